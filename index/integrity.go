package index

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
)

// StoredFile is one file a load wrote, as the manifest records it: a size
// to check on every open and a checksum to check on demand.
type StoredFile struct {
	Path   string `json:"path"` // relative to the release directory, slash-separated
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// ErrDamaged matches every DamagedError.
var ErrDamaged = errors.New("index damaged")

// DamagedError says a release's files no longer are what the load wrote: a
// full disk, a partial copy or a bad sector.
type DamagedError struct {
	Release string // "" when the generation as a whole is damaged
	Dir     string // the generation, when Release is ""
	File    string // relative to the release directory; "" for the release as a whole
	Why     string
}

func (e *DamagedError) Error() string {
	if e.Release == "" {
		return fmt.Sprintf("the index in %s is damaged: %s %s", e.Dir, e.File, e.Why)
	}
	if e.File == "" {
		return fmt.Sprintf("the index of %s is damaged: %s", e.Release, e.Why)
	}
	return fmt.Sprintf("the index of %s is damaged: %s %s", e.Release, e.File, e.Why)
}

// Is makes errors.Is(err, ErrDamaged) find any DamagedError.
func (e *DamagedError) Is(target error) bool { return target == ErrDamaged }

// sumRelease records every file below a release directory, in path order.
func sumRelease(dir string) ([]StoredFile, error) {
	var out []StoredFile
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		h := sha256.New()
		n, err := io.Copy(h, f)
		if err != nil {
			return err
		}
		out = append(out, StoredFile{Path: filepath.ToSlash(rel), Bytes: n, SHA256: hex.EncodeToString(h.Sum(nil))})
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, err
}

// checkSizes compares a release's files with the sizes the manifest
// recorded: a stat per file, cheap enough for every open, and it catches
// the truncation that makes a memory-mapped read fault. A release from an
// older medcode records no files and is not checked.
func checkSizes(genDir string, r *ReleaseInfo) error {
	for _, f := range r.Files {
		fi, err := os.Stat(filepath.Join(genDir, r.ID, filepath.FromSlash(f.Path)))
		switch {
		case errors.Is(err, os.ErrNotExist):
			return &DamagedError{Release: r.ID, File: f.Path, Why: "is missing"}
		case err != nil:
			return &DamagedError{Release: r.ID, File: f.Path, Why: "cannot be read: " + err.Error()}
		case fi.Size() != f.Bytes:
			return &DamagedError{Release: r.ID, File: f.Path, Why: fmt.Sprintf("has %d bytes, the load wrote %d", fi.Size(), f.Bytes)}
		}
	}
	return nil
}

// checkSums reads every file of a release and compares its checksum.
func checkSums(genDir string, r *ReleaseInfo) error {
	if err := checkSizes(genDir, r); err != nil {
		return err
	}
	for _, f := range r.Files {
		got, err := fileSum(filepath.Join(genDir, r.ID, filepath.FromSlash(f.Path)))
		if err != nil {
			return &DamagedError{Release: r.ID, File: f.Path, Why: "cannot be read: " + err.Error()}
		}
		if got != f.SHA256 {
			return &DamagedError{Release: r.ID, File: f.Path, Why: "does not match its checksum"}
		}
	}
	return nil
}

func fileSum(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Check is what `info --check` found for one release.
type Check struct {
	Release string `json:"release"`
	Files   int    `json:"files"`
	Bytes   int64  `json:"bytes"`
	// Checked is false for a release an older medcode loaded, which
	// recorded no checksums.
	Checked bool `json:"checked"`
	// Problem says what is wrong with the release's files ("codes.db
	// does not match its checksum"); "" when nothing is.
	Problem string `json:"problem,omitempty"`
}

// Verify reads every file of the live generation and compares it with the
// checksum its load recorded, one Check per release in manifest order. It
// opens no release, so it works on an index too damaged to open; gen names
// the generation checked.
func Verify(dataDir string) (gen string, checks []Check, err error) {
	dir, err := currentDir(dataDir)
	if err != nil {
		return "", nil, err
	}
	m, err := readManifest(dir)
	if errors.Is(err, os.ErrNotExist) {
		return "", nil, ErrNotLoaded
	}
	if err != nil {
		return filepath.Base(dir), nil, err
	}
	checks = make([]Check, 0, len(m.Releases))
	for _, r := range m.Releases {
		c := Check{Release: r.ID, Files: len(r.Files), Checked: len(r.Files) > 0}
		for _, f := range r.Files {
			c.Bytes += f.Bytes
		}
		if err := checkSums(dir, r); err != nil {
			c.Problem = err.Error()
			var de *DamagedError
			if errors.As(err, &de) {
				c.Problem = strings.TrimSpace(de.File + " " + de.Why)
			}
		}
		checks = append(checks, c)
	}
	return filepath.Base(dir), checks, nil
}

// guardFault turns a panic inside a read of a release's files into a
// DamagedError. The files are memory-mapped: a page the disk cannot give
// back faults, and bbolt panics on a page it cannot make sense of; with
// SetPanicOnFault both reach the deferred recover instead of killing the
// program. Use as
//
//	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
//	defer guardFault(id, &err)
func guardFault(release string, err *error) {
	if p := recover(); p != nil {
		why := fmt.Sprint(p)
		if len(why) > 120 {
			why = why[:120] + "..."
		}
		*err = &DamagedError{Release: release, Why: "reading it failed (" + why + ")"}
	}
}

// faultGuarded runs fn with faults and bbolt's panics turned into a
// DamagedError of the release.
func faultGuarded(release string, fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer guardFault(release, &err)
	return fn()
}
