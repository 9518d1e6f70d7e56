package codingtest

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/medcode/medcode/codeset/officialtest"
	"github.com/medcode/medcode/coding"
)

var (
	fullOnce sync.Once
	fullDir  string
	fullErr  error
)

// FullIndex loads the official files the issues name once per test binary
// and returns the data directory.
func FullIndex(t testing.TB) string {
	t.Helper()
	d := officialtest.Dir(t)
	fullOnce.Do(func() {
		fullDir, fullErr = os.MkdirTemp("", "medcode-full-")
		if fullErr != nil {
			return
		}
		// The MUE fixture is dated a quarter before the PTP one; a copy
		// named for the PTP quarter puts both in one NCCI release.
		mue := filepath.Join(fullDir, "MCR_MUE_PractitionerServices_v321r0.csv")
		var b []byte
		if b, fullErr = os.ReadFile(fixture("ncci", "MCR_MUE_PractitionerServices.csv")); fullErr != nil {
			return
		}
		if fullErr = os.WriteFile(mue, b, 0o600); fullErr != nil {
			return
		}
		_, fullErr = coding.Load(fullDir, coding.LoadRequest{Paths: []string{
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
		}})
	})
	if fullErr != nil {
		t.Fatalf("loading the official files: %v", fullErr)
	}
	return fullDir
}

var (
	mceOnce sync.Once
	mceDir  string
	mceErr  error
)

// MCEIndex loads the ICD-10-CM FY2026 order file, the HCPCS file and the
// MCE v43.1 tables once per test binary and returns the data directory:
// the MCE edits replace the age-sex pack, so the tests of the full index
// keep their own.
func MCEIndex(t testing.TB) string {
	t.Helper()
	d := officialtest.Dir(t)
	mceOnce.Do(func() {
		if mceDir, mceErr = os.MkdirTemp("", "medcode-mce-"); mceErr != nil {
			return
		}
		_, mceErr = coding.Load(mceDir, coding.LoadRequest{Paths: []string{
			filepath.Join(d, "cms-icd10cm", "icd10cm_order_2026.txt"),
			filepath.Join(d, "cms-hcpcs", "2020-Alpha-Numeric-HCPCS-File.zip"),
			filepath.Join(d, "cms-mce", "mce.bin"),
		}})
	})
	if mceErr != nil {
		t.Fatalf("loading the official files: %v", mceErr)
	}
	return mceDir
}

// Main runs a package's tests and removes the index FullIndex built; a
// package whose tests call FullIndex has TestMain call it.
func Main(m *testing.M) int {
	code := m.Run()
	if fullDir != "" {
		os.RemoveAll(fullDir)
	}
	if mceDir != "" {
		os.RemoveAll(mceDir)
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
