package coding

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// officialData returns the folder of official files: $MEDCODE_TEST_DATA, else
// ../shared/data beside the repository. Missing, it skips locally and fails
// under CI=true, where the data must be present.
func officialData(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("MEDCODE_TEST_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "data")
	} else if !filepath.IsAbs(dir) {
		dir = filepath.Join("..", dir)
	}
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("official data folder %s is missing: %v", dir, err)
		}
		t.Skipf("official data folder %s is missing", dir)
	}
	return dir
}

var (
	fullOnce sync.Once
	fullDir  string
	fullErr  error
)

// fullIndex loads the official files the issues name once per test binary
// and returns the data directory.
func fullIndex(t testing.TB) string {
	t.Helper()
	d := officialData(t)
	fullOnce.Do(func() {
		fullDir, fullErr = os.MkdirTemp("", "medcode-full-")
		if fullErr != nil {
			return
		}
		// The MUE fixture is dated a quarter before the PTP one; a copy
		// named for the PTP quarter puts both in one NCCI release.
		mue := filepath.Join(fullDir, "MCR_MUE_PractitionerServices_v321r0.csv")
		var b []byte
		if b, fullErr = os.ReadFile(filepath.Join("..", "testdata", "ncci", "MCR_MUE_PractitionerServices.csv")); fullErr != nil {
			return
		}
		if fullErr = os.WriteFile(mue, b, 0o600); fullErr != nil {
			return
		}
		_, fullErr = Load(fullDir, LoadRequest{Paths: []string{
			filepath.Join(d, "cms-icd10cm", "icd10cm_order_2026.txt"),
			filepath.Join(d, "cdc-icd10cm-xml", "icd10cm_tabular_2021.xml"),
			filepath.Join(d, "cdc-icd10cm-xml", "ICD10CM_FY2017_Full_XML.zip"),
			filepath.Join(d, "cdc-icd10cm-xml", "icd10cm_drug_2022.xml"),
			filepath.Join(d, "cdc-icd10cm-xml", "icd10cm_neoplasm_2022.xml"),
			filepath.Join(d, "cdc-icd10cm-xml", "icd10cm_eindex_2022.xml"),
			filepath.Join(d, "cms-hcpcs", "2020-Alpha-Numeric-HCPCS-File.zip"),
			// NCCI tables are not published openly; the hand-written
			// fixtures stand in for them.
			filepath.Join("..", "testdata", "ncci", "ccipra-v321r0-f1.txt"),
			mue,
		}})
	})
	if fullErr != nil {
		t.Fatalf("loading the official files: %v", fullErr)
	}
	return fullDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if fullDir != "" {
		os.RemoveAll(fullDir)
	}
	os.Exit(code)
}
