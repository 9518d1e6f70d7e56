package codeset_test

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/codeset/officialtest"
)

// TestParseMCECounts checks the reading of the official tables against the
// counts PROVENANCE.md gives for the rows in force on 2025-10-01.
func TestParseMCECounts(t *testing.T) {
	b := officialtest.File(t, "cms-mce/mce.bin")
	if !codeset.SniffMCE(b[:8<<10]) {
		t.Fatal("mce.bin not recognised by its content")
	}
	tab, err := codeset.ParseMCE(bytes.NewReader(b), "mce.bin")
	if err != nil {
		t.Fatal(err)
	}
	if tab.Version != "43.1" || tab.Rows != 84932 {
		t.Errorf("version %s, %d rows; want 43.1, 84932", tab.Version, tab.Rows)
	}
	if got := tab.Last.Format("2006-01-02"); got != "2026-09-30" {
		t.Errorf("last day %s, want 2026-09-30", got)
	}
	if got := tab.First.Format("2006-01-02"); got != "2015-10-01" {
		t.Errorf("first day %s, want 2015-10-01", got)
	}
	day := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
	counts := map[string]int{}
	for _, rows := range tab.Dx {
		for i := range rows {
			if rows[i].InForce(day) {
				for _, f := range rows[i].Flags {
					counts[f]++
				}
			}
		}
	}
	want := map[string]int{"adult": 856, "maternity": 2543, "newborn": 42, "pediatric": 125, "manifestation": 422,
		"unacceptable": 2657, "qadm": 30, "ecodepdx": 7461, "unspecified": 3465, "reqsdx": 1, "wrngproc": 3, "male": 0, "female": 0}
	for f, n := range want {
		if counts[f] != n {
			t.Errorf("flag %s in force on 2025-10-01: %d rows, want %d", f, counts[f], n)
		}
	}
	ages := map[string][]string{}
	for _, g := range tab.AgeGroups {
		to := "open"
		if !g.To.IsZero() {
			to = g.To.Format("2006-01-02")
		}
		ages[g.Group] = append(ages[g.Group], g.From.Format("2006-01-02")+".."+to+":"+strconv.Itoa(g.Min)+"-"+strconv.Itoa(g.Max))
	}
	if got := ages["Maternity"]; len(got) != 2 || got[0] != "1984-03-01..2019-09-30:12-55" || got[1] != "2019-10-01..open:9-64" {
		t.Errorf("maternity age groups %v", got)
	}
	if got := ages["Adult"]; len(got) != 1 || got[0] != "1984-03-01..open:15-124" {
		t.Errorf("adult age groups %v", got)
	}
	rel := codeset.MCERelease(tab)
	if rel.ID() != "mce-v43.1" || rel.String() != "MCE edit tables, v43.1" || !rel.Covers(day) || rel.Covers(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("release %s %q covers 2025-10-01 %v", rel.ID(), rel, rel.Covers(day))
	}
}

// TestScanMCEInJar finds the tables as CMS publishes them: a zip holding
// the jar holding mce.bin.
func TestScanMCEInJar(t *testing.T) {
	b := officialtest.File(t, "cms-mce/mce.bin")
	jar := zipOf(t, map[string][]byte{"META-INF/MANIFEST.MF": []byte("Manifest-Version: 1.0\n"), "mce.bin": b, "gov/cms/X.class": {0xca, 0xfe}})
	outer := filepath.Join(t.TempDir(), "mce-43.1.zip")
	if err := os.WriteFile(outer, zipOf(t, map[string][]byte{"MCE-2.0-43.1.0.0.jar": jar, "readme.txt": []byte("hello")}), 0o600); err != nil {
		t.Fatal(err)
	}
	srcs, _, err := codeset.Scan([]string{outer})
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) != 1 || srcs[0].Kind != codeset.KindMCE {
		t.Fatalf("found %v, want the MCE tables", srcs)
	}
	f, err := codeset.Identify(srcs[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	if f.Release.ID() != "mce-v43.1" || f.Records != 84932 {
		t.Errorf("%s: release %s, %d records", srcs[0].Path, f.Release.ID(), f.Records)
	}
	if k, ok := codeset.Sniff([]byte("\n\nnot a table\n")); ok {
		t.Errorf("a text starting with newlines sniffed as %s", k)
	}
}

func zipOf(t *testing.T, files map[string][]byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, b := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
