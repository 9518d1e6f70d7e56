package index

import (
	"bytes"
	"encoding/json"
	"errors"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/medcode/medcode/codeset"
)

// Bucket names. Each kind of source file owns its buckets, so loading one
// kind again replaces exactly what came from it.
var (
	bucketMeta      = []byte("meta")
	bucketCodes     = []byte("codes")
	bucketNotes     = []byte("notes")
	bucketProcNotes = []byte("procnotes")
	keyStructure    = []byte("structure")
	// bucketTabularCodes holds a key for each code the Tabular List prints.
	bucketTabularCodes = []byte("tabular-codes")
	keyRelease         = []byte("release")
)

// store is one release's bbolt file, opened read-only.
type store struct {
	db  *bolt.DB
	rel codeset.Release
	sys codeset.System
	id  string

	// chapters are read on first use; validators on several cores ask at
	// once, hence the Once.
	chOnce   sync.Once
	chapters []Chapter
	chErr    error

	placeOnce sync.Once
	places    *placer
	placeErr  error

	// stem analyses texts of an index without a suggest bucket.
	stemOnce sync.Once
	stem     *Stemmer

	convOnce sync.Once
	conv     *codeset.ConversionTable
	convErr  error
}

func (s *store) stemmer() *Stemmer {
	s.stemOnce.Do(func() { s.stem = NewStemmer() })
	return s.stem
}

var errMissingRelease = errors.New("release data missing from index")

func openStore(path, id string) (*store, error) {
	// ReadOnly takes a shared lock, and a load never writes to a live
	// generation, so this cannot wait on a writer.
	var db *bolt.DB
	err := faultGuarded(id, func() (err error) {
		db, err = bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: 2 * time.Second})
		return err
	})
	if err != nil {
		if errors.Is(err, bolterrors.ErrInvalid) || errors.Is(err, bolterrors.ErrChecksum) || errors.Is(err, bolterrors.ErrVersionMismatch) {
			return nil, &DamagedError{Release: id, File: filepath.Base(path), Why: "is not a readable database (" + err.Error() + ")"}
		}
		return nil, err
	}
	s := &store{db: db, id: id}
	err = s.view(func(tx *bolt.Tx) error {
		m := tx.Bucket(bucketMeta)
		if m == nil {
			return errMissingRelease
		}
		return json.Unmarshal(m.Get(keyRelease), &s.rel)
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	s.sys = s.rel.System
	return s, nil
}

func (s *store) close() error { return s.db.Close() }

// view is a read transaction in which a fault of the memory-mapped file, or
// bbolt's panic on a page it cannot read, is an error naming the release.
func (s *store) view(fn func(tx *bolt.Tx) error) error {
	return faultGuarded(s.id, func() error { return s.db.View(fn) })
}

// get returns the entry for an exact code, or nil.
func (s *store) get(code string) (*Entry, error) {
	var e *Entry
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		e, err = s.entry(tx, []byte(code))
		return err
	})
	return e, err
}

func (s *store) entry(tx *bolt.Tx, key []byte) (*Entry, error) {
	b := tx.Bucket(bucketCodes)
	if b == nil {
		return nil, nil
	}
	v := b.Get(key)
	if v == nil {
		return nil, nil
	}
	e := &Entry{System: s.sys, Release: s.id, Code: string(key)}
	if s.sys == codeset.HCPCS {
		var r codeset.HCPCSRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return nil, err
		}
		e.Title, e.Short, e.HCPCS = r.LongDesc, r.ShortDesc, &r
		e.Billable = !r.IsModifier
		return e, nil
	}
	var c storedCode
	if err := json.Unmarshal(v, &c); err != nil {
		return nil, err
	}
	e.Title, e.Short, e.Billable, e.Order = c.Title, c.Short, c.Billable, c.Order
	if nb := tx.Bucket(bucketNotes); nb != nil {
		if nv := nb.Get(key); nv != nil {
			var n codeset.Notes
			if err := json.Unmarshal(nv, &n); err != nil {
				return nil, err
			}
			e.Notes = &n
		}
	}
	return e, nil
}

// children lists the codes one level below code, in code order. ICD-10-CM
// codes nest by prefix, so a cursor seek finds them without a scan.
func (s *store) children(code string) ([]*Entry, error) {
	var out []*Entry
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketCodes)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		prefix := []byte(code)
		// A child is the shortest extension present: usually one character
		// longer, but 7th-character codes skip placeholder levels.
		var keys [][]byte
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			if len(k) == len(prefix) {
				continue
			}
			covered := false
			for _, p := range keys {
				if bytes.HasPrefix(k, p) {
					covered = true
					break
				}
			}
			if !covered {
				keys = append(keys, append([]byte(nil), k...))
			}
		}
		for _, k := range keys {
			e, err := s.entry(tx, k)
			if err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

// eachBelow calls fn with the key of every code below code, in code order
// (ICD-10-CM codes nest by prefix), until fn says stop.
func eachBelow(tx *bolt.Tx, code string, fn func(k []byte) (stop bool, err error)) error {
	b := tx.Bucket(bucketCodes)
	if b == nil {
		return nil
	}
	c := b.Cursor()
	prefix := []byte(code)
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if len(k) == len(prefix) {
			continue
		}
		if stop, err := fn(k); stop || err != nil {
			return err
		}
	}
	return nil
}

// descendantCodes lists the codes below code, up to limit, and how many
// there are, without reading their entries.
func (s *store) descendantCodes(code string, limit int) ([]string, int, error) {
	var out []string
	total := 0
	err := s.view(func(tx *bolt.Tx) error {
		return eachBelow(tx, code, func(k []byte) (bool, error) {
			total++
			if limit <= 0 || len(out) < limit {
				out = append(out, string(k))
			}
			return false, nil
		})
	})
	return out, total, err
}

// descendants lists every code below code, billable ones only when asked.
func (s *store) descendants(code string, billableOnly bool, limit int) ([]*Entry, int, error) {
	var out []*Entry
	total := 0
	err := s.view(func(tx *bolt.Tx) error {
		return eachBelow(tx, code, func(k []byte) (bool, error) {
			e, err := s.entry(tx, k)
			if err != nil || billableOnly && !e.Billable {
				return false, err
			}
			total++
			if limit <= 0 || len(out) < limit {
				out = append(out, e)
			}
			return false, nil
		})
	})
	return out, total, err
}

// terms returns the index terms that lead to a code.
func (s *store) terms(code string) ([]Term, error) {
	var out []Term
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		out, err = termsIn(tx, []byte(code))
		return err
	})
	return out, err
}

func termsIn(tx *bolt.Tx, key []byte) ([]Term, error) {
	var out []Term
	for _, book := range allBooks {
		b := tx.Bucket(termBucket(book))
		if b == nil {
			continue
		}
		if v := b.Get(key); v != nil {
			var ts []Term
			if err := json.Unmarshal(v, &ts); err != nil {
				return nil, err
			}
			out = append(out, ts...)
		}
	}
	return out, nil
}

func (s *store) structure() ([]Chapter, error) {
	s.chOnce.Do(func() {
		s.chErr = s.view(func(tx *bolt.Tx) error {
			b := tx.Bucket(bucketMeta)
			if v := b.Get(keyStructure); v != nil {
				return json.Unmarshal(v, &s.chapters)
			}
			return nil
		})
	})
	return s.chapters, s.chErr
}

func (s *store) procNote(num string) (string, error) {
	var out string
	err := s.view(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketProcNotes); b != nil {
			out = string(b.Get([]byte(num)))
		}
		return nil
	})
	return out, err
}

// abbrev is the expansion learned for a short-title word, or "".
func (s *store) abbrev(word string) (string, error) {
	var out string
	err := s.view(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketAbbrev); b != nil {
			out = string(b.Get([]byte(word)))
		}
		return nil
	})
	return out, err
}

// forEach visits every entry in key order.
func (s *store) forEach(fn func(e *Entry) error) error {
	return s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketCodes)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, _ []byte) error {
			e, err := s.entry(tx, k)
			if err != nil {
				return err
			}
			return fn(e)
		})
	})
}
