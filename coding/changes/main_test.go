package changes_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/medcode/medcode/coding"
	"github.com/medcode/medcode/coding/codingtest"
)

func TestMain(m *testing.M) { os.Exit(codingtest.Main(m)) }

// twoReleases loads FY2025 (CMS's zip as published), FY2026, CDC's
// conversion table and the 2020 HCPCS file once per test binary and opens
// the code book.
func twoReleases(t testing.TB) *coding.Codebook {
	t.Helper()
	dir := codingtest.LoadOnce(t, "changes", func(d, _ string) ([]string, error) {
		return []string{
			filepath.Join(d, "cms-icd10cm", "2025-code-descriptions-tabular-order.zip"),
			filepath.Join(d, "cms-icd10cm", "icd10cm_order_2026.txt"),
			filepath.Join(d, "cms-icd10cm", "ICD-10-CM-CONVERSION-TABLE-FY2026.xlsx"),
			filepath.Join(d, "cms-hcpcs", "HCPC2020_ANWEB_w_disclaimer.txt"),
		}, nil
	})
	cb, err := coding.OpenCodebook(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cb.Close() })
	return cb
}
