package index

import (
	"bytes"
	"encoding/json"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/medcode/medcode/codeset"
)

var (
	bucketPTP = []byte("ptp")
	bucketMUE = []byte("mue")
)

// PTPRow is one procedure-to-procedure edit as stored: the table's setting
// travels with it, since practitioner and outpatient edits differ.
type PTPRow struct {
	Setting   string    `json:"setting"`
	Column1   string    `json:"column1"`
	Column2   string    `json:"column2"`
	Effective time.Time `json:"effective"`
	Deleted   time.Time `json:"deleted,omitzero"`
	Modifier  int       `json:"modifier"`
	Rationale string    `json:"rationale,omitempty"`
}

// Applies reports whether the edit is in force on a date of service; with
// no date, whether it has not been deleted.
func (r PTPRow) Applies(d time.Time) bool {
	if d.IsZero() {
		return r.Deleted.IsZero()
	}
	e := codeset.PTPEdit{Effective: r.Effective, Deleted: r.Deleted}
	return e.Applies(d)
}

// MUERow is one medically unlikely edit.
type MUERow struct {
	Service   string `json:"service"`
	Code      string `json:"code"`
	Value     int    `json:"value"`
	Indicator int    `json:"indicator"`
	Meaning   string `json:"meaning,omitempty"`
	Rationale string `json:"rationale,omitempty"`
}

// buildNCCI writes an NCCI release: the PTP and MUE tables of the bundle,
// and whichever of the two it lacks from the release as loaded before.
func buildNCCI(dir string, b *codeset.Bundle, old *store, oldInfo *ReleaseInfo) (*ReleaseInfo, error) {
	db, info, err := createRelease(dir, b.Release)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rel := b.Release
	ptp := map[string][]PTPRow{}
	mue := map[string][]MUERow{}
	var hasPTP, hasMUE bool
	for _, f := range b.Edits {
		info.Sources = append(info.Sources, SourceInfo{Kind: f.Source.Kind, File: f.Source.Path, Year: f.Year, Records: f.Records})
		if t := f.PTP; t != nil {
			hasPTP = true
			for _, e := range t.Edits {
				k := e.Column1 + "|" + e.Column2
				ptp[k] = append(ptp[k], PTPRow{Setting: t.Setting, Column1: e.Column1, Column2: e.Column2, Effective: e.Effective, Deleted: e.Deleted, Modifier: e.Modifier, Rationale: e.Rationale})
			}
		}
		if t := f.MUE; t != nil {
			hasMUE = true
			for _, e := range t.Edits {
				mue[e.Code] = append(mue[e.Code], MUERow{Service: t.Service, Code: e.Code, Value: e.Value, Indicator: e.Indicator, Meaning: e.IndicatorText, Rationale: e.Rationale})
			}
		}
	}
	if oldInfo != nil {
		for _, s := range oldInfo.Sources {
			if s.Kind == codeset.KindPTP && !hasPTP || s.Kind == codeset.KindMUE && !hasMUE {
				info.Sources = append(info.Sources, s)
			}
		}
	}
	sort.Slice(info.Sources, func(i, j int) bool { return info.Sources[i].File < info.Sources[j].File })
	err = db.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucket(bucketMeta)
		if err != nil {
			return err
		}
		if err := putJSON(meta, keyRelease, rel); err != nil {
			return err
		}
		if hasPTP {
			if info.PTPEdits, err = writeRows(tx, bucketPTP, ptp); err != nil {
				return err
			}
		} else if old != nil {
			if err := copyBucket(tx, old.db, bucketPTP); err != nil {
				return err
			}
			info.PTPEdits = oldInfo.PTPEdits
		}
		if hasMUE {
			if info.MUEEdits, err = writeRows(tx, bucketMUE, mue); err != nil {
				return err
			}
		} else if old != nil {
			if err := copyBucket(tx, old.db, bucketMUE); err != nil {
				return err
			}
			info.MUEEdits = oldInfo.MUEEdits
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return info, db.Sync()
}

func writeRows[T any](tx *bolt.Tx, name []byte, rows map[string][]T) (int, error) {
	b, err := tx.CreateBucket(name)
	if err != nil {
		return 0, err
	}
	keys := make([]string, 0, len(rows))
	n := 0
	for k, v := range rows {
		keys = append(keys, k)
		n += len(v)
	}
	sort.Strings(keys)
	b.FillPercent = 1
	for _, k := range keys {
		if err := putJSON(b, []byte(k), rows[k]); err != nil {
			return 0, err
		}
	}
	return n, nil
}

func getRows[T any](s *store, bucket []byte, key string) ([]T, error) {
	var out []T
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucket)
		if b == nil {
			return nil
		}
		if v := b.Get([]byte(key)); v != nil {
			return json.Unmarshal(v, &out)
		}
		return nil
	})
	return out, err
}

// PTP returns the procedure-to-procedure edits of a code pair, all settings.
func (ix *Index) PTP(release, column1, column2 string) ([]PTPRow, error) {
	s, err := ix.store(release)
	if err != nil {
		return nil, err
	}
	return getRows[PTPRow](s, bucketPTP, column1+"|"+column2)
}

// MUE returns the medically unlikely edits of a code, all services.
func (ix *Index) MUE(release, code string) ([]MUERow, error) {
	s, err := ix.store(release)
	if err != nil {
		return nil, err
	}
	return getRows[MUERow](s, bucketMUE, code)
}

// PTPColumn2 lists, in code order, the codes that have a procedure-to-
// procedure edit with a code as column 1, any setting: a validator asks
// once per code, and then only about the pairs it lists.
func (ix *Index) PTPColumn2(release, column1 string) ([]string, error) {
	s, err := ix.store(release)
	if err != nil {
		return nil, err
	}
	var out []string
	err = s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPTP)
		if b == nil {
			return nil
		}
		prefix := []byte(column1 + "|")
		c := b.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			out = append(out, string(k[len(prefix):]))
		}
		return nil
	})
	return out, err
}
