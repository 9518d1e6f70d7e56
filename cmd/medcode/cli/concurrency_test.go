package cli_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/medcode/medcode/cmd/medcode/cli"
)

// run is one in-process medcode command.
func run(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = cli.Run(args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

// copyFixture copies a hand-written official-format file into dir under
// name.
func copyFixture(t *testing.T, dir, name string, parts ...string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(append([]string{repoRoot, "testdata"}, parts...)...))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// readers runs show, suggest and validate in a loop until stop is closed,
// and reports every run that failed or answered what a complete release
// would not.
func readers(t *testing.T, home string, stop <-chan struct{}, runs *atomic.Int64) *sync.WaitGroup {
	t.Helper()
	checks := []struct {
		args []string
		want string
	}{
		{[]string{"show", "E11.9"}, "E11.9  Type 2 diabetes mellitus without complications\n"},
		{[]string{"show", "--json", "S72.001"}, `"code": "S72.001"`},
		{[]string{"suggest", "type 2 diabetes"}, "E11.9"},
		{[]string{"validate", "--dx", "E11.9,I10"}, "0 errors"},
	}
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				code, out, errOut := run(append([]string{"--data-dir", home}, c.args...)...)
				runs.Add(1)
				if code != 0 || !strings.Contains(out, c.want) || strings.Contains(errOut, "damaged") || strings.Contains(errOut, "sample") {
					t.Errorf("reader %d %v during a load: exit %d\nstdout %.300q\nstderr %.300q", i, c.args, code, out, errOut)
					return
				}
			}
		}()
	}
	return &wg
}

// Commands answer from a whole generation while loads swap generations
// under them: never an error, never a half-built release.
func TestCommandsDuringLoads(t *testing.T) {
	home := filepath.Join(t.TempDir(), "home")
	files := t.TempDir()
	order := copyFixture(t, files, "icd10cm_order_2026.txt", "icd10cm", "icd10cm_order_2026.txt")
	tabular := copyFixture(t, files, "icd10cm_tabular_2021.xml", "icd10cm", "icd10cm_tabular_2021.xml")
	hcpcs := copyFixture(t, files, "HCPC2020_sample_ANWEB.txt", "hcpcs", "HCPC2020_sample_ANWEB.txt")
	if code, _, errOut := run("--data-dir", home, "load", order, tabular); code != 0 {
		t.Fatalf("first load: %s", errOut)
	}
	stop := make(chan struct{})
	var runs atomic.Int64
	wg := readers(t, home, stop, &runs)
	// Each load swaps a generation: a release replaced, one added, all
	// replaced.
	loads := [][]string{{order}, {hcpcs}, {"--replace", order, tabular}, {tabular}}
	deadline := time.Now().Add(3 * time.Second)
	n := 0
	for ; n < 4 || time.Now().Before(deadline); n++ {
		args := append([]string{"--data-dir", home, "load"}, loads[n%len(loads)]...)
		if code, _, errOut := run(args...); code != 0 {
			t.Fatalf("load %d %v: exit %d: %s", n, args, code, errOut)
		}
	}
	close(stop)
	wg.Wait()
	t.Logf("%d loads, %d reader runs", n, runs.Load())
	if runs.Load() < int64(n) {
		t.Errorf("only %d reader runs during %d loads", runs.Load(), n)
	}
	if code, out, errOut := run("--data-dir", home, "info", "--check"); code != 0 {
		t.Errorf("info --check after the loads: %d\n%s%s", code, out, errOut)
	}
}

// pull and load on one data directory: each finishes or is refused with
// the lock's message, and the index left behind is whole.
func TestPullDuringLoad(t *testing.T) {
	home := filepath.Join(t.TempDir(), "home")
	files := t.TempDir()
	order := copyFixture(t, files, "icd10cm_order_2026.txt", "icd10cm", "icd10cm_order_2026.txt")
	hcpcs := copyFixture(t, files, "HCPC2020_sample_ANWEB.txt", "hcpcs", "HCPC2020_sample_ANWEB.txt")
	mirror := t.TempDir()
	zipPath := filepath.Join(mirror, "icd10cm", "2026", "codes.zip")
	if err := os.MkdirAll(filepath.Dir(zipPath), 0o700); err != nil {
		t.Fatal(err)
	}
	zf, err := os.Create(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(zf)
	w, _ := zw.Create("icd10cm_order_2026.txt")
	b, _ := os.ReadFile(order)
	w.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	zf.Close()
	catalog := filepath.Join(files, "catalog.yaml")
	if err := os.WriteFile(catalog, []byte(`version: 1
updated: 2026-01-01
releases:
  - name: icd10cm-2026
    title: test FY2026
    system: icd10cm
    fiscal_year: 2026
    page: https://www.cms.gov/
    files:
      - url: https://www.cms.gov/files/zip/codes.zip
        mirror: icd10cm/2026/codes.zip
`), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := run("--data-dir", home, "load", order); code != 0 {
		t.Fatalf("first load: %s", errOut)
	}
	stop := make(chan struct{})
	var runs atomic.Int64
	wg := readers(t, home, stop, &runs)
	refused := 0
	var mu sync.Mutex
	var jobs sync.WaitGroup
	outcome := func(what string, code int, errOut string) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case code == 0:
		case code == 2 && strings.Contains(errOut, "another medcode load is running"):
			refused++
		default:
			t.Errorf("%s: exit %d: %s", what, code, errOut)
		}
	}
	for i := 0; i < 6; i++ {
		jobs.Add(2)
		go func() {
			defer jobs.Done()
			code, _, errOut := run("--data-dir", home, "pull", "--catalog", catalog, "--from", mirror, "--release", "2026")
			outcome(fmt.Sprintf("pull %d", i), code, errOut)
		}()
		go func() {
			defer jobs.Done()
			code, _, errOut := run("--data-dir", home, "load", hcpcs)
			outcome(fmt.Sprintf("load %d", i), code, errOut)
		}()
		jobs.Wait()
	}
	close(stop)
	wg.Wait()
	t.Logf("%d of 12 pulls and loads refused by the lock, %d reader runs", refused, runs.Load())
	if code, out, errOut := run("--data-dir", home, "info", "--check"); code != 0 {
		t.Errorf("info --check after pull and load: %d\n%s%s", code, out, errOut)
	}
}
