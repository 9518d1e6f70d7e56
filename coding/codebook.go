package coding

import (
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/codeset/sample"
	"github.com/medcode/medcode/index"
)

// Codebook is an open set of loaded releases, or the built-in sample when
// nothing is loaded.
type Codebook struct {
	ix *index.Index
	// Sample is true when the answers come from the sample built into the
	// binary rather than from loaded official files.
	Sample bool
	// Damaged, when not nil, says the live index is damaged and the one
	// before the last load answers instead.
	Damaged error
}

// OpenCodebook opens the data directory's index, falling back to the
// built-in sample when nothing was loaded. When the live index is damaged,
// the intact one before the last load answers, and Damaged says why; with
// none, the damage is the error.
func OpenCodebook(dataDir string) (*Codebook, error) {
	ix, err := index.Open(dataDir)
	if err == nil {
		return &Codebook{ix: ix}, nil
	}
	if errors.Is(err, index.ErrDamaged) {
		if prev, perr := index.OpenPrevious(dataDir); perr == nil {
			return &Codebook{ix: prev, Damaged: WithHint(err, DamagedHint)}, nil
		}
		return nil, WithHint(err, DamagedHint)
	}
	if !errors.Is(err, index.ErrNotLoaded) {
		return nil, err
	}
	ix, err = openSample()
	if err != nil {
		return nil, fmt.Errorf("built-in sample: %w", err)
	}
	return &Codebook{ix: ix, Sample: true}, nil
}

// OpenPreviousCodebook opens the intact index from before the last load,
// for when a read of the live one met damage its open could not see
// (a file of the right size with bad pages); reason is that damage. With
// no intact older index, the damage is the error.
func OpenPreviousCodebook(dataDir string, reason error) (*Codebook, error) {
	prev, err := index.OpenPrevious(dataDir)
	if err != nil {
		return nil, WithHint(reason, DamagedHint)
	}
	return &Codebook{ix: prev, Damaged: WithHint(reason, DamagedHint)}, nil
}

// IsDamaged reports whether err says the index is damaged.
func IsDamaged(err error) bool { return errors.Is(err, index.ErrDamaged) }

func openSample() (*index.Index, error) {
	srcs, err := codeset.ScanFS(sample.FS, "sample")
	if err != nil {
		return nil, err
	}
	files := make([]*codeset.File, len(srcs))
	for i, src := range srcs {
		if files[i], err = codeset.Identify(src, nil); err != nil {
			return nil, err
		}
	}
	bundles, err := codeset.Group(files, nil)
	if err != nil {
		return nil, err
	}
	if err := parseUsed(bundles, nil); err != nil {
		return nil, err
	}
	return index.OpenTemp(bundles)
}

// DamagedHint is the remedy for a damaged index: the files are derived,
// so building them again from the official files restores them.
const DamagedHint = DoReplace + " with the official files rebuilds the index"

// ErrNotLoaded means the data directory holds no index yet.
var ErrNotLoaded = index.ErrNotLoaded

// Generation names the index generation that answers, for saying which one
// did when the live one is damaged.
func (cb *Codebook) Generation() string { return cb.ix.Generation() }

// IndexCheck is what checking one release's files found.
type IndexCheck = index.Check

// CheckIndex reads every file of the live index and compares it with the
// checksum its load recorded. gen names the generation checked; a release
// with a Problem is damaged.
func CheckIndex(dataDir string) (gen string, checks []IndexCheck, err error) {
	gen, checks, err = index.Verify(dataDir)
	if errors.Is(err, index.ErrDamaged) {
		err = WithHint(err, DamagedHint)
	}
	return gen, checks, err
}

// Close releases the index files.
func (cb *Codebook) Close() error { return cb.ix.Close() }

// Index exposes the underlying index to the other parts of the domain.
func (cb *Codebook) Index() *index.Index { return cb.ix }

// Manifest says what is loaded.
func (cb *Codebook) Manifest() *index.Manifest { return cb.ix.Manifest }

// Pick selects the release of a system to answer from: the named one, else
// the one in force on the date of service, else the newest. note explains a
// fallback the user should know about.
type Pick struct {
	Release string    // release name or ID ("2026", "icd10cm-2026"); "" for none
	Date    time.Time // date of service; zero for none
}

// ReleaseFor resolves a Pick for one system. ok is false when the system
// has no release loaded at all.
func (cb *Codebook) ReleaseFor(sys codeset.System, p Pick) (rel *index.ReleaseInfo, note string, err error) {
	rels := cb.ix.Releases(sys)
	if len(rels) == 0 {
		return nil, "", nil
	}
	if p.Release != "" {
		want, err := codeset.ParseRelease(sys, p.Release)
		if err != nil {
			return nil, "", err
		}
		if want.System != sys {
			return nil, "", nil
		}
		for _, r := range rels {
			if r.ID == want.ID() {
				return r, "", nil
			}
		}
		return nil, "", Errorf("{info} lists the loaded releases", "release %s is not loaded (loaded: %s)", want.ID(), releaseList(rels))
	}
	if !p.Date.IsZero() {
		// Newest first: the first release in effect on the date wins, so an
		// April update takes over from its base release.
		for _, r := range rels {
			if r.Release.Covers(p.Date) {
				return r, "", nil
			}
		}
		return rels[0], fmt.Sprintf("no loaded %s release covers %s; answered from %s", sys, p.Date.Format("2006-01-02"), rels[0].Release), nil
	}
	return rels[0], "", nil
}

func releaseList(rels []*index.ReleaseInfo) string {
	ids := make([]string, len(rels))
	for i, r := range rels {
		ids[i] = r.ID
	}
	sort.Strings(ids)
	s := ""
	for i, id := range ids {
		if i > 0 {
			s += ", "
		}
		s += id
	}
	return s
}
