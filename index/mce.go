package index

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/medcode/medcode/codeset"
)

var (
	bucketMCEDx = []byte("mce-dx")
	keyMCEAges  = []byte("mce-ages")
)

// buildMCE writes an MCE release: each diagnosis's rows under its code,
// and the age groups. One file holds the whole version, so nothing is
// kept from a release loaded before.
func buildMCE(dir string, b *codeset.Bundle) (*ReleaseInfo, error) {
	if len(b.Edits) != 1 || b.Edits[0].MCE == nil {
		return nil, fmt.Errorf("%s: want one MCE table file, got %d", b.Release.ID(), len(b.Edits))
	}
	f := b.Edits[0]
	t := f.MCE
	db, info, err := createRelease(dir, b.Release)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	info.Sources = []SourceInfo{{Kind: f.Source.Kind, File: f.Source.Path, Year: f.Year, Records: f.Records}}
	info.Codes = len(t.Dx)
	info.MCERows = t.Rows
	err = db.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucket(bucketMeta)
		if err != nil {
			return err
		}
		if err := putJSON(meta, keyRelease, b.Release); err != nil {
			return err
		}
		if err := putJSON(meta, keyMCEAges, t.AgeGroups); err != nil {
			return err
		}
		_, err = writeRows(tx, bucketMCEDx, t.Dx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return info, db.Sync()
}

// MCEDx returns the MCE rows of a diagnosis (undotted), oldest first; nil
// when the tables do not list it.
func (ix *Index) MCEDx(release, code string) ([]codeset.MCERow, error) {
	s, err := ix.store(release)
	if err != nil {
		return nil, err
	}
	return getRows[codeset.MCERow](s, bucketMCEDx, code)
}

// MCEAgeGroups returns the age groups of an MCE release.
func (ix *Index) MCEAgeGroups(release string) ([]codeset.MCEAgeGroup, error) {
	s, err := ix.store(release)
	if err != nil {
		return nil, err
	}
	var out []codeset.MCEAgeGroup
	err = s.db.View(func(tx *bolt.Tx) error {
		if m := tx.Bucket(bucketMeta); m != nil {
			if v := m.Get(keyMCEAges); v != nil {
				return json.Unmarshal(v, &out)
			}
		}
		return nil
	})
	return out, err
}
