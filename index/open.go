package index

import (
	"errors"
	"fmt"
	bolt "go.etcd.io/bbolt"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/blevesearch/bleve/v2"

	"github.com/medcode/medcode/codeset"
)

// Index is an open generation. Release data is opened on first use, so a
// command that looks up one code touches one bbolt file and no bleve index.
type Index struct {
	dir      string
	Manifest *Manifest
	cleanup  func()

	mu        sync.Mutex
	stores    map[string]*store
	texts     map[string]bleve.Index
	searchers map[string]*searcher
}

// Open opens the live generation of a data directory. It returns
// ErrNotLoaded when nothing was loaded yet.
//
// Every file a release is read from must have the size its load recorded:
// a truncated file would fault when read through its memory map, so it is
// a DamagedError here instead.
func Open(dataDir string) (*Index, error) {
	dir, err := currentDir(dataDir)
	if err != nil {
		return nil, err
	}
	return openChecked(dir)
}

// OpenPrevious opens the newest intact generation older than the live one:
// what answered before the last load, for when the live one is damaged.
// It returns ErrNotLoaded when there is none.
func OpenPrevious(dataDir string) (*Index, error) {
	live, err := currentDir(dataDir)
	if err != nil {
		return nil, err
	}
	seqs := genSeqs(dataDir)
	for i := len(seqs) - 1; i >= 0; i-- {
		dir := filepath.Join(dataDir, gensDir, fmt.Sprintf("g-%06d", seqs[i]))
		if filepath.Base(dir) >= filepath.Base(live) {
			continue
		}
		if ix, err := openChecked(dir); err == nil {
			return ix, nil
		}
	}
	return nil, ErrNotLoaded
}

func openChecked(dir string) (*Index, error) {
	ix, err := openDir(dir)
	if err != nil {
		return nil, err
	}
	for _, r := range ix.Manifest.Releases {
		if err := checkSizes(dir, r); err != nil {
			return nil, err
		}
	}
	return ix, nil
}

func openDir(dir string) (*Index, error) {
	m, err := readManifest(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, ErrNotLoaded
		}
		return nil, err
	}
	if m.Format != formatVersion {
		return nil, fmt.Errorf("%s: index format %d, this medcode reads %d\nhint: run medcode load --replace with your files", dir, m.Format, formatVersion)
	}
	return &Index{dir: dir, Manifest: m, stores: map[string]*store{}, texts: map[string]bleve.Index{}, searchers: map[string]*searcher{}}, nil
}

// Dir is the generation directory, for `info`.
func (ix *Index) Dir() string { return ix.dir }

// Generation names the generation ("g-000007"), for saying which one
// answered.
func (ix *Index) Generation() string { return filepath.Base(ix.dir) }

// Close releases every file the index opened.
func (ix *Index) Close() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	var first error
	for _, s := range ix.stores {
		if err := s.close(); err != nil && first == nil {
			first = err
		}
	}
	for _, s := range ix.searchers {
		if err := s.reader.Close(); err != nil && first == nil {
			first = err
		}
	}
	for _, t := range ix.texts {
		if err := t.Close(); err != nil && first == nil {
			first = err
		}
	}
	ix.stores, ix.texts, ix.searchers = map[string]*store{}, map[string]bleve.Index{}, map[string]*searcher{}
	if ix.cleanup != nil {
		ix.cleanup()
		ix.cleanup = nil
	}
	return first
}

// Releases lists the loaded releases of a system, newest first.
func (ix *Index) Releases(sys codeset.System) []*ReleaseInfo {
	var out []*ReleaseInfo
	for _, r := range ix.Manifest.Releases {
		if r.System == sys {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Release.Effective().After(out[j].Release.Effective()) })
	return out
}

func (ix *Index) store(id string) (*store, error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if s := ix.stores[id]; s != nil {
		return s, nil
	}
	if ix.Manifest.Release(id) == nil {
		return nil, fmt.Errorf("release %s is not loaded", id)
	}
	s, err := openStore(filepath.Join(ix.dir, id, "codes.db"), id)
	if err != nil {
		if errors.Is(err, ErrDamaged) {
			return nil, err
		}
		return nil, fmt.Errorf("opening %s: %w", id, err)
	}
	ix.stores[id] = s
	return s, nil
}

func (ix *Index) text(id string) (bleve.Index, error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if t := ix.texts[id]; t != nil {
		return t, nil
	}
	var t bleve.Index
	err := faultGuarded(id, func() (err error) {
		t, err = bleve.OpenUsing(filepath.Join(ix.dir, id, textDir), map[string]any{"read_only": true})
		return err
	})
	if err != nil {
		if errors.Is(err, ErrDamaged) {
			return nil, err
		}
		return nil, &DamagedError{Release: id, File: textDir, Why: "cannot be opened (" + err.Error() + ")"}
	}
	ix.texts[id] = t
	return t, nil
}

// Get returns a code's entry in a release, or nil when the release does not
// have the code.
func (ix *Index) Get(release, code string) (*Entry, error) {
	s, err := ix.store(release)
	if err != nil {
		return nil, err
	}
	return s.get(code)
}

// Children lists the codes directly below a code.
func (ix *Index) Children(release, code string) ([]*Entry, error) {
	s, err := ix.store(release)
	if err != nil {
		return nil, err
	}
	return s.children(code)
}

// Descendants lists up to limit codes below a code (all when limit <= 0)
// DescendantCodes lists the codes below code (headers too), up to limit,
// and how many there are: Descendants without reading the entries.
func (ix *Index) DescendantCodes(release, code string, limit int) ([]string, int, error) {
	s, err := ix.store(release)
	if err != nil {
		return nil, 0, err
	}
	return s.descendantCodes(code, limit)
}

// and how many there are in all.
func (ix *Index) Descendants(release, code string, billableOnly bool, limit int) ([]*Entry, int, error) {
	s, err := ix.store(release)
	if err != nil {
		return nil, 0, err
	}
	return s.descendants(code, billableOnly, limit)
}

// Terms lists the index and table entries that lead to a code.
func (ix *Index) Terms(release, code string) ([]Term, error) {
	s, err := ix.store(release)
	if err != nil {
		return nil, err
	}
	return s.terms(code)
}

// Chapters returns the Tabular List's chapters and blocks, nil when no
// Tabular List was loaded for the release.
func (ix *Index) Chapters(release string) ([]Chapter, error) {
	s, err := ix.store(release)
	if err != nil {
		return nil, err
	}
	return s.structure()
}

// ProcNote returns the text of an HCPCS processing note.
func (ix *Index) ProcNote(release, num string) (string, error) {
	s, err := ix.store(release)
	if err != nil {
		return "", err
	}
	return s.procNote(num)
}

// Abbrev is what a word of the release's short titles stands for ("clsn":
// "collision"), learned at load from the long and short titles; "" when
// the word is not one of them.
func (ix *Index) Abbrev(release, word string) (string, error) {
	s, err := ix.store(release)
	if err != nil {
		return "", err
	}
	return s.abbrev(word)
}

// ForEach visits every code of a release in code order.
func (ix *Index) ForEach(release string, fn func(*Entry) error) error {
	s, err := ix.store(release)
	if err != nil {
		return err
	}
	return s.forEach(fn)
}

// Size is the bytes the generation takes on disk.
func (ix *Index) Size() int64 {
	var n int64
	filepath.Walk(ix.dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			n += fi.Size()
		}
		return nil
	})
	return n
}

// IsManifestation reports whether the Alphabetic Index prints a code, or a
// category above it, in brackets as a manifestation.
func (ix *Index) IsManifestation(release, code string) (bool, error) {
	s, err := ix.store(release)
	if err != nil {
		return false, err
	}
	found := false
	err = s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketManif)
		if b == nil {
			return nil
		}
		for c := code; c != "" && !found; c = codeset.ICDParent(c) {
			found = b.Get([]byte(c)) != nil
		}
		return nil
	})
	return found, err
}
