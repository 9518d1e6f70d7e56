package changes_test

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/medcode/medcode/codeset/officialtest"
	"github.com/medcode/medcode/coding"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if pairDir != "" {
		os.RemoveAll(pairDir)
	}
	os.Exit(code)
}

var (
	pairOnce sync.Once
	pairDir  string
	pairErr  error
)

// twoReleases loads FY2025 (CMS's zip as published), FY2026 and CDC's
// conversion table and the 2020 HCPCS file once per test binary and opens the code book.
func twoReleases(t testing.TB) *coding.Codebook {
	t.Helper()
	d := officialtest.Dir(t)
	pairOnce.Do(func() {
		if pairDir, pairErr = os.MkdirTemp("", "medcode-changes-"); pairErr != nil {
			return
		}
		_, pairErr = coding.Load(pairDir, coding.LoadRequest{Paths: []string{
			filepath.Join(d, "cms-icd10cm", "2025-code-descriptions-tabular-order.zip"),
			filepath.Join(d, "cms-icd10cm", "icd10cm_order_2026.txt"),
			filepath.Join(d, "cms-icd10cm", "ICD-10-CM-CONVERSION-TABLE-FY2026.xlsx"),
			filepath.Join(d, "cms-hcpcs", "HCPC2020_ANWEB_w_disclaimer.txt"),
		}})
	})
	if pairErr != nil {
		t.Fatalf("loading FY2025 and FY2026: %v", pairErr)
	}
	cb, err := coding.OpenCodebook(pairDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cb.Close() })
	return cb
}
