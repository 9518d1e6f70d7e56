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
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"

	"github.com/medcode/medcode/codeset"
)

// Layout of a data directory:
//
//	current -> gens/g-000007        symlink, swapped atomically by a load
//	gens/g-000007/manifest.json
//	gens/g-000007/<release id>/codes.db
//	gens/g-000007/<release id>/text.bleve/
//	load.lock                       held by a running load
const (
	currentLink = "current"
	gensDir     = "gens"
	lockName    = "load.lock"
	keepGens    = 2 // the live generation and the one before it
)

// ErrNotLoaded means the data directory holds no index yet.
var ErrNotLoaded = errors.New("no code tables loaded")

// ErrLoadRunning means another load holds the data directory.
var ErrLoadRunning = errors.New("another medcode load is running on this data directory")

// Progress reports a load's advance: Stage names the work, Done of Total
// (0 when the work has no measure: a merge, the final write).
type Progress struct {
	Stage string
	Done  int
	Total int
	// Bytes says Done and Total count bytes, not items.
	Bytes bool
}

// LoadOptions controls a load.
type LoadOptions struct {
	// Replace drops every loaded release instead of adding to them.
	Replace  bool
	Progress func(Progress)
}

// LoadResult says what a load changed.
type LoadResult struct {
	Manifest *Manifest
	Added    []string // release IDs that were not loaded before
	Replaced []string // release IDs whose files were replaced or extended
	Kept     []string // release IDs carried over untouched
	Dropped  []string // release IDs removed by Replace
}

// Load builds a new generation holding the previously loaded releases plus
// the bundles, and swaps it in only when everything succeeded: on any error
// the live generation is untouched and the partial build is removed.
func Load(dataDir string, bundles []*codeset.Bundle, opts LoadOptions) (res *LoadResult, err error) {
	defer func() { err = cannotWrite(dataDir, err) }()
	if err := os.MkdirAll(filepath.Join(dataDir, gensDir), 0o700); err != nil {
		return nil, err
	}
	unlock, err := lock(dataDir)
	if err != nil {
		return nil, err
	}
	defer unlock()

	removeUnsealed(dataDir)
	oldDir, _ := currentDir(dataDir)
	var old *Manifest
	if oldDir != "" {
		// A load that replaces everything needs nothing from the current
		// index, so a damaged one does not stand in its way.
		if old, err = readManifest(oldDir); err != nil && !opts.Replace {
			return nil, fmt.Errorf("reading the current index: %w", err)
		}
		if err != nil {
			old, err = nil, nil
		}
	}
	seq := nextSeq(dataDir)
	name := fmt.Sprintf("g-%06d", seq)
	build := filepath.Join(dataDir, gensDir, ".build-"+name)
	_ = os.RemoveAll(build)
	if err := os.MkdirAll(build, 0o700); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(build)
		}
	}()

	res = &LoadResult{}
	m := &Manifest{Format: formatVersion}
	touched := map[string]*codeset.Bundle{}
	for _, b := range bundles {
		touched[b.Release.ID()] = b
	}
	if old != nil {
		for _, r := range old.Releases {
			switch {
			case touched[r.ID] != nil:
			case opts.Replace:
				res.Dropped = append(res.Dropped, r.ID)
			default:
				if err := copyRelease(oldDir, build, r); err != nil {
					return nil, err
				}
				m.Releases = append(m.Releases, r)
				res.Kept = append(res.Kept, r.ID)
			}
		}
	}
	report := func(p Progress) {
		if opts.Progress != nil {
			opts.Progress(p)
		}
	}
	uses := map[*codeset.File]int{}
	for _, b := range bundles {
		for _, f := range b.Files() {
			uses[f]++
		}
	}
	for _, b := range bundles {
		id := b.Release.ID()
		var oldStore *store
		var oldInfo *ReleaseInfo
		if old != nil && !opts.Replace {
			oldInfo = old.Release(id)
		}
		if oldInfo != nil {
			if err := checkSizes(oldDir, oldInfo); err != nil {
				return nil, err
			}
			if oldStore, err = openStore(filepath.Join(oldDir, id, "codes.db"), id); err != nil {
				return nil, fmt.Errorf("reading %s from the current index: %w", id, err)
			}
		}
		if b.Table == nil && len(b.Edits) == 0 && oldStore == nil {
			return nil, fmt.Errorf("%s is not loaded, and this load has no code table for it", id)
		}
		report(Progress{Stage: "store " + id})
		build1 := buildRelease
		switch b.Release.System {
		case codeset.NCCI:
			build1 = buildNCCI
		case codeset.MCE:
			build1 = func(dir string, b *codeset.Bundle, _ *store, _ *ReleaseInfo) (*ReleaseInfo, error) {
				return buildMCE(dir, b)
			}
		}
		info, err := build1(filepath.Join(build, id), b, oldStore, oldInfo)
		if oldStore != nil {
			oldStore.close()
		}
		if err != nil {
			return nil, fmt.Errorf("building %s: %w", id, err)
		}
		// The parsed files are in the store now; letting go of those no
		// other release still needs keeps a full load's peak memory to one
		// copy of the data. One Tabular file often serves two releases.
		for _, f := range b.Files() {
			if uses[f]--; uses[f] == 0 {
				f.Drop()
			}
		}
		runtime.GC()
		// Edit tables are looked up by code pair, never searched as text.
		if b.Release.System != codeset.NCCI && b.Release.System != codeset.MCE {
			err = buildText(filepath.Join(build, id, textDir), filepath.Join(build, id, "codes.db"), func(stage string, done, total int) {
				report(Progress{Stage: stage + " " + id, Done: done, Total: total})
			})
			if err != nil {
				return nil, fmt.Errorf("indexing %s: %w", id, err)
			}
		}
		if info.Files, err = sumRelease(filepath.Join(build, id)); err != nil {
			return nil, err
		}
		m.Releases = append(m.Releases, info)
		// With Replace the old release is not built on, but it is still
		// what this load replaces.
		if old != nil && old.Release(id) != nil {
			res.Replaced = append(res.Replaced, id)
		} else {
			res.Added = append(res.Added, id)
		}
	}
	report(Progress{Stage: "write index"})
	if err := writeManifest(build, m); err != nil {
		return nil, err
	}
	if err := seal(build); err != nil {
		return nil, err
	}
	final := filepath.Join(dataDir, gensDir, name)
	if err := os.Rename(build, final); err != nil {
		return nil, err
	}
	if err := swapCurrent(dataDir, filepath.Join(gensDir, name)); err != nil {
		os.RemoveAll(final)
		return nil, err
	}
	pruneGens(dataDir, seq)
	res.Manifest = m
	return res, nil
}

// ErrCannotWrite marks a load the data directory could not take: read-only,
// full, or over the file size limit.
var ErrCannotWrite = errors.New("cannot write the index")

// cannotWrite says a failed write is the data directory's, not the files'.
func cannotWrite(dataDir string, err error) error {
	if err == nil {
		return nil
	}
	for _, e := range []error{fs.ErrPermission, syscall.EROFS, syscall.ENOSPC, syscall.EFBIG, syscall.EDQUOT} {
		if errors.Is(err, e) {
			return fmt.Errorf("%w in %s: %v; the index loaded before is unchanged", ErrCannotWrite, dataDir, err)
		}
	}
	return err
}

func lock(dataDir string) (func(), error) {
	unlock, err := LockFile(filepath.Join(dataDir, lockName))
	if errors.Is(err, ErrLocked) {
		return nil, ErrLoadRunning
	}
	return unlock, err
}

// currentDir resolves the live generation, "" when there is none.
func currentDir(dataDir string) (string, error) {
	target, err := os.Readlink(filepath.Join(dataDir, currentLink))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "", ErrNotLoaded
		}
		return "", err
	}
	if !filepath.IsAbs(target) {
		target = filepath.Join(dataDir, target)
	}
	return target, nil
}

// swapCurrent points the current link at a new generation with a rename,
// which is atomic: a reader sees the old generation or the new, never none.
func swapCurrent(dataDir, target string) error {
	tmp := filepath.Join(dataDir, currentLink+".new")
	_ = os.Remove(tmp)
	if err := os.Symlink(target, tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(dataDir, currentLink)); err != nil {
		os.Remove(tmp)
		return err
	}
	if d, err := os.Open(dataDir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

func genSeqs(dataDir string) []int {
	ents, _ := os.ReadDir(filepath.Join(dataDir, gensDir))
	var seqs []int
	for _, e := range ents {
		if n, ok := strings.CutPrefix(e.Name(), "g-"); ok {
			if v, err := strconv.Atoi(n); err == nil {
				seqs = append(seqs, v)
			}
		}
	}
	sort.Ints(seqs)
	return seqs
}

func nextSeq(dataDir string) int {
	seqs := genSeqs(dataDir)
	if len(seqs) == 0 {
		return 1
	}
	return seqs[len(seqs)-1] + 1
}

// pruneGens removes generations older than the previous one; a reader that
// opened the previous generation just before the swap keeps working.
func pruneGens(dataDir string, live int) {
	seqs := genSeqs(dataDir)
	for i := 0; i < len(seqs)-keepGens; i++ {
		if seqs[i] != live {
			os.RemoveAll(filepath.Join(dataDir, gensDir, fmt.Sprintf("g-%06d", seqs[i])))
		}
	}
}

// removeUnsealed removes what a load killed before its swap left behind:
// build folders and a half-made link. The caller holds the load lock, so
// no other load is writing them.
func removeUnsealed(dataDir string) {
	ents, _ := os.ReadDir(filepath.Join(dataDir, gensDir))
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".build-") {
			os.RemoveAll(filepath.Join(dataDir, gensDir, e.Name()))
		}
	}
	os.Remove(filepath.Join(dataDir, currentLink+".new"))
}

// copyRelease copies a kept release into the new generation, checking each
// file against the checksum its load recorded. Generations share no file:
// a disk fault in one leaves the other to answer from, and a damaged
// release is refused here instead of being carried into every later
// generation.
func copyRelease(oldDir, build string, r *ReleaseInfo) error {
	if err := checkSizes(oldDir, r); err != nil {
		return err
	}
	src, dst := filepath.Join(oldDir, r.ID), filepath.Join(build, r.ID)
	if len(r.Files) == 0 {
		// Loaded by a medcode that recorded no files: copy what is there
		// and record it now.
		if err := copyTree(src, dst); err != nil {
			return err
		}
		files, err := sumRelease(dst)
		r.Files = files
		return err
	}
	for _, f := range r.Files {
		rel := filepath.FromSlash(f.Path)
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dst, rel)), 0o700); err != nil {
			return err
		}
		sum, err := copyFile(filepath.Join(src, rel), filepath.Join(dst, rel))
		if err != nil {
			return err
		}
		if sum != f.SHA256 {
			return &DamagedError{Release: r.ID, File: f.Path, Why: "does not match its checksum"}
		}
	}
	return nil
}

func copyTree(src, dst string) error {
	return filepath.Walk(src, func(path string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if fi.IsDir() {
			return os.MkdirAll(target, 0o700)
		}
		_, err = copyFile(path, target)
		return err
	})
}

// copyFile copies a file, synced, and returns the SHA-256 of what it read.
func copyFile(src, dst string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(out, h), in); err != nil {
		out.Close()
		return "", err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), out.Close()
}

// seal makes every file of a finished generation read-only: nothing writes
// to a generation once it can go live, and a stray writer now fails
// instead of changing what the manifest's checksums describe.
func seal(dir string) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		return os.Chmod(path, 0o400)
	})
}
