package officialtest

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// Root is the repository root: the nearest folder above the working
// directory that holds go.mod.
func Root() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("repository root (go.mod) not found")
		}
		dir = parent
	}
}

// Locate returns the official data folder and whether it is there.
func Locate(tb testing.TB) (string, bool) {
	tb.Helper()
	root, err := Root()
	if err != nil {
		tb.Fatal(err)
	}
	dir := filepath.Join(root, "..", "shared", "data")
	if env := os.Getenv("MEDCODE_TEST_DATA"); env != "" {
		dir = env
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(root, dir)
		}
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		if InCI() {
			tb.Fatalf("test data directory %s is missing (set MEDCODE_TEST_DATA)", dir)
		}
		return dir, false
	}
	return dir, true
}

// Dir returns the official data folder, skipping the test without it.
func Dir(tb testing.TB) string {
	tb.Helper()
	dir, ok := Locate(tb)
	if !ok {
		tb.Skipf("test data directory %s is missing (set MEDCODE_TEST_DATA)", dir)
	}
	return dir
}

// File reads one official file by its slash path inside the folder,
// skipping the test without it.
func File(tb testing.TB, rel string) []byte {
	tb.Helper()
	path := filepath.Join(Dir(tb), filepath.FromSlash(rel))
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if InCI() {
			tb.Fatalf("official file missing: %s (set MEDCODE_TEST_DATA)", path)
		}
		tb.Skipf("official file missing: %s (set MEDCODE_TEST_DATA)", path)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// InCI reports whether the tests run under CI=true, where the official
// data must be present.
func InCI() bool { return os.Getenv("CI") == "true" }
