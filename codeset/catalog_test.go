package codeset

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/medcode/medcode/codeset/officialtest"
)

func TestCatalogDefaultParses(t *testing.T) {
	c, err := DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	if c.Source != DefaultCatalogName || c.Version != 1 || c.Updated == "" {
		t.Errorf("catalogue header: %q version %d updated %q", c.Source, c.Version, c.Updated)
	}
	wantURLs := map[string][]string{
		"icd10cm-2025": {"https://www.cms.gov/files/zip/2025-code-descriptions-tabular-order.zip", "https://www.cms.gov/files/zip/2025-code-tables-tabular-and-index.zip"},
		"icd10cm-2026": {"https://www.cms.gov/files/zip/2026-code-descriptions-tabular-order.zip", "https://www.cms.gov/files/zip/2026-code-tables-tabular-and-index.zip"},
		"hcpcs-2026":   {"https://www.cms.gov/files/zip/january-2026-alpha-numeric-hcpcs-file.zip"},
	}
	for name, urls := range wantURLs {
		r := c.Find(name)
		if r == nil {
			t.Errorf("%s is not in the built-in catalogue", name)
			continue
		}
		var got []string
		for _, f := range r.Files {
			got = append(got, f.URL)
		}
		if strings.Join(got, " ") != strings.Join(urls, " ") {
			t.Errorf("%s files %q, want %q", name, got, urls)
		}
	}
	for _, r := range c.Releases {
		if r.Title == "" || r.Page == "" {
			t.Errorf("%s has no title or page", r.Name)
		}
		if rel, ok := r.Release(); ok && rel.ID() != r.Name {
			t.Errorf("%s is release %s", r.Name, rel.ID())
		}
		if r.Loadable() != (r.System == string(ICD10CM) || r.System == string(HCPCS) || r.System == string(NCCI)) {
			t.Errorf("%s (%s) loadable %v", r.Name, r.System, r.Loadable())
		}
		for _, f := range r.Files {
			if !strings.HasPrefix(f.URL, "https://www.cms.gov/") && !strings.HasPrefix(f.URL, "https://ftp.cdc.gov/") {
				t.Errorf("%s: %s is not a CMS or CDC URL", r.Name, f.URL)
			}
			if !strings.HasPrefix(f.Mirror, r.System+"/") || !strings.HasSuffix(f.Mirror, "/"+f.Name) {
				t.Errorf("%s: mirror path %s", r.Name, f.Mirror)
			}
		}
		if strings.HasPrefix(r.System, "ncci") != r.ClickThrough() {
			t.Errorf("%s: click-through %v", r.Name, r.ClickThrough())
		}
	}

	// The sizes and checksums written down are those of the official files.
	known := map[string]struct {
		size int64
		sum  string
	}{
		"2025-code-descriptions-tabular-order.zip": {2317827, "4f6c65f0034736d2b02fa9eb1128aab564fa673dd4d99363f8b2167af3994816"},
		"2020-Alpha-Numeric-HCPCS-File.zip":        {1884267, "c7223c198ac019be842a3370defb6365eeb573da2a97e251650c25056c7b8ab3"},
	}
	for _, r := range c.Releases {
		for _, f := range r.Files {
			k, ok := known[f.Name]
			if !ok {
				if f.Size != 0 || f.SHA256 != "" {
					t.Errorf("%s: %s has a size or checksum no test vouches for", r.Name, f.Name)
				}
				continue
			}
			if f.Size != k.size || f.SHA256 != k.sum {
				t.Errorf("%s: %s size %d sha256 %s, want %d %s", r.Name, f.Name, f.Size, f.SHA256, k.size, k.sum)
			}
			delete(known, f.Name)
		}
	}
	if len(known) > 0 {
		t.Errorf("files with known checksums missing from the catalogue: %v", known)
	}
}

// The checksums of the built-in catalogue match the official files kept in
// the shared data folder.
func TestCatalogChecksumsMatchOfficialFiles(t *testing.T) {
	dir := officialtest.Dir(t)
	c, err := DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ release, path string }{
		{"icd10cm-2025", "cms-icd10cm/2025-code-descriptions-tabular-order.zip"},
		{"hcpcs-2020", "cms-hcpcs/2020-Alpha-Numeric-HCPCS-File.zip"},
	} {
		f := c.Find(tt.release).Files[0]
		fh, err := os.Open(filepath.Join(dir, tt.path))
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		n, err := io.Copy(h, fh)
		fh.Close()
		if err != nil {
			t.Fatal(err)
		}
		if n != f.Size || hex.EncodeToString(h.Sum(nil)) != f.SHA256 {
			t.Errorf("%s: the catalogue's size/sha256 do not match %s", tt.release, tt.path)
		}
	}
}

func TestCatalogCurrent(t *testing.T) {
	c, err := DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		system string
		on     time.Time
		want   string
		stale  bool
	}{
		{"icd10cm", day(2024, 9, 30), "", false},
		{"icd10cm", day(2024, 10, 1), "icd10cm-2025", false},
		{"icd10cm", day(2025, 9, 30), "icd10cm-2025", false},
		{"icd10cm", day(2025, 10, 1), "icd10cm-2026", false},
		{"icd10cm", day(2026, 4, 1), "icd10cm-2026-04", false},
		{"icd10cm", day(2026, 10, 1), "icd10cm-2026-04", true},
		{"hcpcs", day(2026, 1, 15), "hcpcs-2026", false},
		{"hcpcs", day(2025, 8, 1), "hcpcs-2025-07", false},
		{"hcpcs", day(2021, 1, 1), "hcpcs-2020", true},
		{"ncci", day(2026, 5, 1), "ncci-2026-04", false},
		{"ncci", day(2026, 1, 1), "", false},
	}
	for _, tt := range tests {
		r, stale := c.Current(tt.system, tt.on)
		got := ""
		if r != nil {
			got = r.Name
		}
		if got != tt.want || stale != tt.stale {
			t.Errorf("Current(%s, %s) = %q stale %v, want %q stale %v", tt.system, tt.on.Format("2006-01-02"), got, stale, tt.want, tt.stale)
		}
	}
}

const goodCatalog = `version: 1
updated: 2026-01-15
releases:
  - name: icd10cm-2026-04
    system: icd10cm
    fiscal_year: 2026
    update: 2026-04
    files:
      - url: https://www.cms.gov/files/zip/april-1-2026-code-descriptions-tabular-order.zip
        size: 12
        sha256: 4F6C65F0034736D2B02FA9EB1128AAB564FA673DD4D99363F8B2167AF3994816
  - name: hcpcs-2026
    system: hcpcs
    quarter: 2026-01
    files:
      - url: https://mirror.example.org/x/january.zip?download=1
        name: january-2026.zip
  - name: ncci-mue-2026-q1
    system: ncci-mue
    quarter: 2026-01
    through: 2026-03-31
    licence: click-through
    files:
      - url: https://www.cms.gov/files/zip/mue.zip
`

func TestCatalogDefaults(t *testing.T) {
	c, err := ParseCatalog([]byte(goodCatalog), "good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	upd := c.Find("ICD10CM-2026-04")
	if upd == nil {
		t.Fatal("Find is not case-insensitive")
	}
	rel, ok := upd.Release()
	if !ok || rel != NewRelease(ICD10CM, 2026, 4) || upd.Effective != "2026-04-01" || upd.Through != "" || !upd.ThroughDate().IsZero() {
		t.Errorf("update: %+v %v effective %s", rel, ok, upd.Effective)
	}
	f := upd.Files[0]
	if f.Name != "april-1-2026-code-descriptions-tabular-order.zip" || f.Mirror != "icd10cm/2026-04/april-1-2026-code-descriptions-tabular-order.zip" || f.SHA256 != strings.ToLower(f.SHA256) || f.Line != 9 || upd.Line != 4 {
		t.Errorf("file defaults: %+v (release line %d)", f, upd.Line)
	}
	h := c.Find("hcpcs-2026")
	if h.Files[0].Mirror != "hcpcs/2026/january-2026.zip" || h.Effective != "2026-01-01" {
		t.Errorf("hcpcs defaults: %+v %s", h.Files[0], h.Effective)
	}
	m := c.Find("ncci-mue-2026-q1")
	if _, ok := m.Release(); ok || m.Loadable() || !m.ClickThrough() || m.Files[0].Mirror != "ncci-mue/2026-q1/mue.zip" {
		t.Errorf("ncci entry: %+v", m)
	}
	if got := strings.Join(c.Systems(), ","); got != "icd10cm,hcpcs,ncci-mue" {
		t.Errorf("systems %s", got)
	}
}

func TestCatalogErrors(t *testing.T) {
	rel := func(body string) string {
		return "version: 1\nreleases:\n  - name: icd10cm-2026\n    system: icd10cm\n    fiscal_year: 2026\n" + body
	}
	file := "    files:\n      - url: https://www.cms.gov/a.zip\n"
	tests := []struct {
		name, yaml, want string
	}{
		{"empty", "", "bad.yaml: empty catalogue"},
		{"syntax", "version: 1\nreleases: [\n", "bad.yaml:2: "},
		{"tab indent", "version: 1\nreleases:\n\t- name: x\n", "bad.yaml:3: "},
		{"version", "version: 2\nreleases: []\n", "bad.yaml:1: version 2, want 1"},
		{"no releases", "version: 1\n", "bad.yaml: no releases"},
		{"unknown top field", "version: 1\nrelease:\n  - name: x\n", `bad.yaml:2: unknown field "release"`},
		{"unknown release field", rel("    sha: x\n" + file), `bad.yaml:6: unknown field "sha"`},
		{"unknown file field", rel(file + "        sha265: abc\n"), `bad.yaml:8: unknown field "sha265"`},
		{"bad type", rel(file + "        size: big\n"), "bad.yaml:8: cannot unmarshal"},
		{"release not a mapping", "version: 1\nreleases:\n  - icd10cm-2026\n", "bad.yaml:3: a release must be a mapping"},
		{"no name", "version: 1\nreleases:\n  - system: icd10cm\n" + file, "bad.yaml:3: release #1: no name"},
		{"bad system", "version: 1\nreleases:\n  - name: cpt-2026\n    system: cpt\n" + file, `bad.yaml:3: release cpt-2026: system "cpt"`},
		{"name mismatch", "version: 1\nreleases:\n  - name: icd10cm-2025\n    system: icd10cm\n    fiscal_year: 2026\n" + file, "bad.yaml:3: release icd10cm-2025: name \"icd10cm-2025\" does not match the fiscal year of the entry: want icd10cm-2026"},
		{"hcpcs month", "version: 1\nreleases:\n  - name: hcpcs-2026-02\n    system: hcpcs\n    quarter: 2026-02\n" + file, `bad.yaml:3: release hcpcs-2026-02: quarter "2026-02"`},
		{"update outside the year", rel("    update: 2026-11\n" + file), "update 2026-11 is not in fiscal year 2026"},
		{"bad date", rel("    effective: 2025-13-01\n" + file), `bad.yaml:3: release icd10cm-2026: effective "2025-13-01": want YYYY-MM-DD`},
		{"through before effective", rel("    effective: 2025-10-01\n    through: 2025-09-30\n" + file), "through 2025-09-30 is before effective 2025-10-01"},
		{"licence", rel("    licence: clickthrough\n" + file), `licence "clickthrough": want public-domain or click-through`},
		{"no files", rel(""), "bad.yaml:3: release icd10cm-2026: no files"},
		{"file not a mapping", rel("    files:\n      - https://www.cms.gov/a.zip\n"), "bad.yaml:7: a file must be a mapping"},
		{"no url", rel("    files:\n      - size: 3\n"), "bad.yaml:7: release icd10cm-2026: a file has no url"},
		{"ftp url", rel("    files:\n      - url: ftp://ftp.cdc.gov/a.zip\n"), `bad.yaml:7: release icd10cm-2026: url "ftp://ftp.cdc.gov/a.zip": want an http or https URL`},
		{"bad sha", rel(file + "        sha256: 1234\n"), `bad.yaml:7: release icd10cm-2026: sha256 "1234": want 64 hex digits`},
		{"negative size", rel(file + "        size: -1\n"), "size -1"},
		{"escaping mirror", rel(file + "        mirror: ../../etc/a.zip\n"), `bad.yaml:7: release icd10cm-2026: mirror "../../etc/a.zip"`},
		{"absolute mirror", rel(file + "        mirror: /etc/a.zip\n"), `mirror "/etc/a.zip"`},
		{"name with a slash", rel(file + "        name: a/b.zip\n"), `file name "a/b.zip"`},
		{"twice", rel(file + "      - url: https://www.cms.gov/b/a.zip\n"), "bad.yaml:8: release icd10cm-2026: file a.zip is listed twice"},
		{"duplicate release", rel(file) + "  - name: icd10cm-2026\n    system: icd10cm\n    fiscal_year: 2026\n" + file, "bad.yaml:8: release icd10cm-2026 is already listed at line 3"},
	}
	for _, tt := range tests {
		_, err := ParseCatalog([]byte(tt.yaml), "bad.yaml")
		if err == nil {
			t.Errorf("%s: parsed, want an error containing %q", tt.name, tt.want)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v\nwant it to contain %q", tt.name, err, tt.want)
		}
		var le *LineError
		if !errors.As(err, &le) || le.File != "bad.yaml" {
			t.Errorf("%s: %v is not a LineError naming the file", tt.name, err)
		}
	}
}

func TestReadCatalog(t *testing.T) {
	p := filepath.Join(t.TempDir(), "catalog-2027.yaml")
	if _, err := ReadCatalog(p); err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "hint:") {
		t.Errorf("missing file: %v", err)
	}
	if err := os.WriteFile(p, []byte(goodCatalog), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := ReadCatalog(p)
	if err != nil {
		t.Fatal(err)
	}
	if c.Source != p || len(c.Releases) != 3 {
		t.Errorf("read %s: %d releases", c.Source, len(c.Releases))
	}
	if err := os.WriteFile(p, []byte(strings.Replace(goodCatalog, "quarter: 2026-01\n    files", "quarter: 2026-01\n    fils", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadCatalog(p); err == nil || !strings.HasPrefix(err.Error(), p+":15: ") {
		t.Errorf("malformed file: %v, want %s:15: ...", err, p)
	}
}
