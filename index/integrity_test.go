package index

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// twoGenerations loads the ICD-10-CM fixtures, then a second release, so
// the live generation keeps icd10cm-2026 from the one before it.
func twoGenerations(t *testing.T) (dir string, prev, live string) {
	t.Helper()
	dir = fixtureIndex(t)
	prev = mustOpen(t, dir).Dir()
	mustLoad(t, dir, LoadOptions{}, order2025(t))
	live = mustOpen(t, dir).Dir()
	if prev == live {
		t.Fatal("the second load made no new generation")
	}
	return dir, prev, live
}

// damage makes a sealed file writable and changes it.
func damage(t *testing.T, path string, fn func(f *os.File) error) {
	t.Helper()
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := fn(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// forgetFiles rewrites a generation's manifest as a medcode that recorded
// no files wrote it.
func forgetFiles(t *testing.T, gen string) {
	t.Helper()
	m, err := readManifest(gen)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range m.Releases {
		r.Files = nil
	}
	if err := os.Chmod(filepath.Join(gen, manifestName), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := writeManifest(gen, m); err != nil {
		t.Fatal(err)
	}
}

func TestManifestRecordsEveryFile(t *testing.T) {
	dir := fixtureIndex(t)
	ix := mustOpen(t, dir)
	r := ix.Manifest.Release(rel26)
	on := map[string]int64{}
	err := filepath.Walk(filepath.Join(ix.Dir(), rel26), func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			rel, _ := filepath.Rel(filepath.Join(ix.Dir(), rel26), p)
			on[filepath.ToSlash(rel)] = fi.Size()
			if fi.Mode().Perm() != 0o400 {
				t.Errorf("%s mode %v: a sealed generation's files are read-only", rel, fi.Mode().Perm())
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Files) != len(on) || len(on) < 3 {
		t.Fatalf("manifest records %d files, %d on disk", len(r.Files), len(on))
	}
	for _, f := range r.Files {
		if on[f.Path] != f.Bytes || len(f.SHA256) != 64 {
			t.Errorf("%s: manifest %d bytes %q, disk %d", f.Path, f.Bytes, f.SHA256, on[f.Path])
		}
	}
	if _, checks, err := Verify(dir); err != nil || len(checks) != 1 || checks[0].Problem != "" || !checks[0].Checked {
		t.Errorf("Verify of an intact index = %+v, %v", checks, err)
	}
}

func TestGenerationsShareNoFile(t *testing.T) {
	_, prev, live := twoGenerations(t)
	for _, name := range []string{"codes.db", "text.bleve/store/root.bolt"} {
		a, err := os.Stat(filepath.Join(prev, rel26, name))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.Stat(filepath.Join(live, rel26, name))
		if err != nil {
			t.Fatal(err)
		}
		if a.Sys().(*syscall.Stat_t).Ino == b.Sys().(*syscall.Stat_t).Ino {
			t.Errorf("%s of the kept release is the same file in both generations", name)
		}
	}
}

func TestTruncatedStoreFallsBackToPrevious(t *testing.T) {
	dir, prev, live := twoGenerations(t)
	damage(t, filepath.Join(live, rel26, "codes.db"), func(f *os.File) error { return f.Truncate(20000) })

	_, err := Open(dir)
	var de *DamagedError
	if !errors.As(err, &de) || de.Release != rel26 || de.File != "codes.db" || !strings.Contains(err.Error(), "20000 bytes") {
		t.Fatalf("Open of a truncated store = %v, want a DamagedError naming %s and codes.db", err, rel26)
	}
	old, err := OpenPrevious(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	if old.Dir() != prev {
		t.Errorf("OpenPrevious opened %s, want %s", old.Dir(), prev)
	}
	if e, err := old.Get(rel26, "E119"); err != nil || e == nil || e.Title != "Type 2 diabetes mellitus without complications" {
		t.Errorf("previous generation Get = %+v, %v", e, err)
	}
	_, checks, err := Verify(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range checks {
		if (c.Problem != "") != (c.Release == rel26) {
			t.Errorf("Verify %s: problem %q", c.Release, c.Problem)
		}
	}
}

// An overwrite keeps the size, so Open cannot see it; the read that meets
// it must be an error, not a crash, and Verify finds it.
func TestOverwrittenStoreIsAnErrorWhenRead(t *testing.T) {
	dir := fixtureIndex(t)
	ix := mustOpen(t, dir)
	damage(t, filepath.Join(ix.Dir(), rel26, "codes.db"), func(f *os.File) error {
		junk := make([]byte, 48<<10)
		for i := range junk {
			junk[i] = 0xff
		}
		_, err := f.WriteAt(junk, 8192)
		return err
	})
	ix = mustOpen(t, dir)
	var err error
	for _, code := range []string{"E119", "I10", "S72001A", "A000"} {
		if _, err = ix.Get(rel26, code); err != nil {
			break
		}
		if _, err = ix.Children(rel26, code[:3]); err != nil {
			break
		}
	}
	if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), rel26) {
		t.Errorf("reading an overwritten store: %v, want ErrDamaged naming the release", err)
	}
	_, checks, err := Verify(dir)
	if err != nil || len(checks) != 1 || checks[0].Problem != "codes.db does not match its checksum" {
		t.Errorf("Verify = %+v, %v", checks, err)
	}
}

func TestLoadRefusesToCarryADamagedRelease(t *testing.T) {
	dir := fixtureIndex(t)
	live := mustOpen(t, dir).Dir()
	damage(t, filepath.Join(live, rel26, "codes.db"), func(f *os.File) error {
		_, err := f.WriteAt([]byte("damaged"), 100)
		return err
	})
	// Adding a release copies icd10cm-2026: the copy is checked and refused.
	_, err := Load(dir, bundlesOf(t, nil, order2025(t)), LoadOptions{})
	if !errors.Is(err, ErrDamaged) {
		t.Fatalf("load over a damaged release: %v, want ErrDamaged", err)
	}
	if got := mustOpen(t, dir).Dir(); got != live {
		t.Errorf("a failed load swapped the live generation to %s", got)
	}
	// Replacing everything needs nothing from it.
	mustLoad(t, dir, LoadOptions{Replace: true}, fixtureOrder)
	if _, checks, err := Verify(dir); err != nil || len(checks) != 1 || checks[0].Problem != "" {
		t.Errorf("Verify after --replace = %+v, %v", checks, err)
	}
}

func TestDamagedManifest(t *testing.T) {
	dir := fixtureIndex(t)
	live := mustOpen(t, dir).Dir()
	damage(t, filepath.Join(live, manifestName), func(f *os.File) error { return f.Truncate(40) })
	if _, err := Open(dir); !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), manifestName) {
		t.Errorf("Open with a cut manifest: %v", err)
	}
	if _, err := Load(dir, bundlesOf(t, nil, order2025(t)), LoadOptions{}); err == nil {
		t.Error("a load adding to an unreadable index succeeded")
	}
	mustLoad(t, dir, LoadOptions{Replace: true}, fixtureOrder)
	mustOpen(t, dir)
}

func TestLoadRemovesWhatAKilledLoadLeft(t *testing.T) {
	dir := fixtureIndex(t)
	// A load killed before its swap leaves its build folder and maybe a
	// half-made link.
	stale := filepath.Join(dir, "gens", ".build-g-000042")
	if err := os.MkdirAll(filepath.Join(stale, rel26), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(stale, rel26, "codes.db"), []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("gens/.build-g-000042", filepath.Join(dir, "current.new")); err != nil {
		t.Fatal(err)
	}
	mustLoad(t, dir, LoadOptions{}, order2025(t))
	for _, n := range genNames(t, dir) {
		if strings.HasPrefix(n, ".build-") {
			t.Errorf("%s left behind after the next load", n)
		}
	}
	if _, err := os.Lstat(filepath.Join(dir, "current.new")); !os.IsNotExist(err) {
		t.Errorf("current.new left behind: %v", err)
	}
}
