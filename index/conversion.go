package index

import (
	"encoding/json"

	bolt "go.etcd.io/bbolt"

	"github.com/medcode/medcode/codeset"
)

// The conversion table is small (some 6000 rows) and read whole, so it is
// one value in a bucket of its own, which a later load of the table
// replaces.
var (
	bucketConversion = []byte("conversion")
	keyConversion    = []byte("table")
)

// writeConversion stores the bundle's conversion table, or carries over
// the one the release had.
func writeConversion(tx *bolt.Tx, b *codeset.Bundle, old *store, record func(*codeset.File)) error {
	f := b.Supplements[codeset.KindConversion]
	if f == nil {
		if old == nil {
			return nil
		}
		return copyBucket(tx, old.db, bucketConversion)
	}
	record(f)
	cb, err := tx.CreateBucket(bucketConversion)
	if err != nil {
		return err
	}
	return putJSON(cb, keyConversion, f.Conversion)
}

// Conversion is the CDC conversion table loaded with a release, nil when
// none was. It is decoded once per open index.
func (ix *Index) Conversion(release string) (*codeset.ConversionTable, error) {
	s, err := ix.store(release)
	if err != nil {
		return nil, err
	}
	s.convOnce.Do(func() {
		s.convErr = s.db.View(func(tx *bolt.Tx) error {
			b := tx.Bucket(bucketConversion)
			if b == nil {
				return nil
			}
			v := b.Get(keyConversion)
			if v == nil {
				return nil
			}
			s.conv = &codeset.ConversionTable{}
			return json.Unmarshal(v, s.conv)
		})
	})
	return s.conv, s.convErr
}
