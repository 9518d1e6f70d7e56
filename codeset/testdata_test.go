package codeset

import (
	"os"
	"path/filepath"
	"testing"
)

// testDataDir returns the directory holding the real CMS and CDC files,
// which are too large to commit. MEDCODE_TEST_DATA overrides the default
// ../shared/data; a relative override is taken from the repository root,
// where one would type it, not from the package directory go test runs in.
// Without the data the integration tests skip, except in CI, where a
// silently skipped test would hide a broken setup.
func testDataDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "data")
	if env := os.Getenv("MEDCODE_TEST_DATA"); env != "" {
		dir = env
		if !filepath.IsAbs(dir) {
			dir = filepath.Join("..", dir)
		}
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		if os.Getenv("CI") == "true" {
			t.Fatalf("test data directory %s is missing (set MEDCODE_TEST_DATA)", dir)
		}
		t.Skipf("test data directory %s is missing (set MEDCODE_TEST_DATA)", dir)
	}
	return dir
}
