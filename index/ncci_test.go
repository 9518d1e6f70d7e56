package index

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestLoadNCCIQuarterFileByFile: CMS splits a quarter over several files a
// setting. Loading some of them keeps the rows loaded from the others, and
// loading a file again replaces only its own rows.
func TestLoadNCCIQuarterFileByFile(t *testing.T) {
	ncci := filepath.Join("..", "testdata", "ncci")
	f1 := filepath.Join(ncci, "ccipra-v321r0-f1.txt")
	oph := filepath.Join(ncci, "ccioph-v321r0-f1.txt")
	// A second practitioner file of the quarter. It holds f1's rows again
	// (pairs made up for it would not be CMS's), which then count twice:
	// two files, two rows each.
	b, err := os.ReadFile(f1)
	if err != nil {
		t.Fatal(err)
	}
	f2 := filepath.Join(t.TempDir(), "ccipra-v321r0-f2.txt")
	if err := os.WriteFile(f2, b, 0o600); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	mustLoad(t, dir, LoadOptions{}, f1, oph)
	first := mustOpen(t, dir).Manifest.Release("ncci-2026-04")
	prac, out := first.PTPBySetting["practitioner"], first.PTPBySetting["outpatient"]
	if prac == 0 || out == 0 {
		t.Fatalf("first load: %v", first.PTPBySetting)
	}

	mustLoad(t, dir, LoadOptions{}, f2)
	second := mustOpen(t, dir).Manifest.Release("ncci-2026-04")
	if diff := cmp.Diff(map[string]int{"practitioner": 2 * prac, "outpatient": out}, second.PTPBySetting); diff != "" {
		t.Errorf("after loading f2 (-want +got):\n%s", diff)
	}
	var files []string
	for _, s := range second.Sources {
		files = append(files, filepath.Base(s.File))
	}
	if got := strings.Join(files, " "); got != "ccioph-v321r0-f1.txt ccipra-v321r0-f1.txt ccipra-v321r0-f2.txt" {
		t.Errorf("sources after loading f2: %s", got)
	}

	mustLoad(t, dir, LoadOptions{}, f1)
	third := mustOpen(t, dir).Manifest.Release("ncci-2026-04")
	if diff := cmp.Diff(second.PTPBySetting, third.PTPBySetting); diff != "" {
		t.Errorf("loading f1 again changed the counts (-want +got):\n%s", diff)
	}
	if third.PTPEdits != 2*prac+out {
		t.Errorf("%d edits, want %d", third.PTPEdits, 2*prac+out)
	}
}
