package codingtest

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/medcode/medcode/codeset/officialtest"
	"github.com/medcode/medcode/coding"
)

// loaded is one data directory built once per test binary.
type loaded struct {
	once sync.Once
	dir  string
	err  error
}

var (
	mu   sync.Mutex
	dirs = map[string]*loaded{}
)

// LoadOnce loads the files paths names once per test binary under name
// and returns the data directory. paths is handed the official data folder
// and the new data directory (for files a test writes beside the index).
// A package whose tests call it has TestMain call Main.
func LoadOnce(t testing.TB, name string, paths func(data, dir string) ([]string, error)) string {
	t.Helper()
	data := officialtest.Dir(t)
	mu.Lock()
	l := dirs[name]
	if l == nil {
		l = &loaded{}
		dirs[name] = l
	}
	mu.Unlock()
	l.once.Do(func() {
		if l.dir, l.err = os.MkdirTemp("", "medcode-"+name+"-"); l.err != nil {
			return
		}
		var ps []string
		if ps, l.err = paths(data, l.dir); l.err != nil {
			return
		}
		_, l.err = coding.Load(l.dir, coding.LoadRequest{Paths: ps})
	})
	if l.err != nil {
		t.Fatalf("loading the official files (%s): %v", name, l.err)
	}
	return l.dir
}

// FullIndex loads the official files the issues name once per test binary
// and returns the data directory.
func FullIndex(t testing.TB) string {
	t.Helper()
	return LoadOnce(t, "full", func(d, dir string) ([]string, error) {
		// The MUE fixture is dated a quarter before the PTP one; a copy
		// named for the PTP quarter puts both in one NCCI release.
		mue := filepath.Join(dir, "MCR_MUE_PractitionerServices_v321r0.csv")
		b, err := os.ReadFile(fixture("ncci", "MCR_MUE_PractitionerServices.csv"))
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(mue, b, 0o600); err != nil {
			return nil, err
		}
		return []string{
			filepath.Join(d, "cms-icd10cm", "icd10cm_order_2026.txt"),
			filepath.Join(d, "cdc-icd10cm-xml", "icd10cm_tabular_2021.xml"),
			filepath.Join(d, "cdc-icd10cm-xml", "ICD10CM_FY2017_Full_XML.zip"),
			filepath.Join(d, "cdc-icd10cm-xml", "icd10cm_drug_2022.xml"),
			filepath.Join(d, "cdc-icd10cm-xml", "icd10cm_neoplasm_2022.xml"),
			filepath.Join(d, "cdc-icd10cm-xml", "icd10cm_eindex_2022.xml"),
			filepath.Join(d, "cms-hcpcs", "2020-Alpha-Numeric-HCPCS-File.zip"),
			filepath.Join(d, "cms-mce", "mce.bin"),
			// NCCI tables are not published openly; the hand-written
			// fixtures stand in for them.
			fixture("ncci", "ccipra-v321r0-f1.txt"),
			mue,
		}, nil
	})
}

// MCEIndex loads the ICD-10-CM FY2026 order file, the HCPCS file and the
// MCE v43.1 tables once per test binary and returns the data directory:
// the MCE edits replace the age-sex pack, so the tests of the full index
// keep their own.
func MCEIndex(t testing.TB) string {
	t.Helper()
	return LoadOnce(t, "mce", func(d, _ string) ([]string, error) {
		return []string{
			filepath.Join(d, "cms-icd10cm", "icd10cm_order_2026.txt"),
			filepath.Join(d, "cms-hcpcs", "2020-Alpha-Numeric-HCPCS-File.zip"),
			filepath.Join(d, "cms-mce", "mce.bin"),
		}, nil
	})
}

// Main runs a package's tests and removes the data directories LoadOnce
// built.
func Main(m *testing.M) int {
	code := m.Run()
	mu.Lock()
	defer mu.Unlock()
	for _, l := range dirs {
		if l.dir != "" {
			os.RemoveAll(l.dir)
		}
	}
	return code
}

// fixture is a hand-written file of the repository's testdata folder.
func fixture(parts ...string) string {
	root, err := officialtest.Root()
	if err != nil {
		return filepath.Join(append([]string{"testdata"}, parts...)...)
	}
	return filepath.Join(append([]string{root, "testdata"}, parts...)...)
}
