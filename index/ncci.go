package index

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"sort"
	"strings"
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
	// Src is the file the row came from, without its extension.
	Src string `json:"src,omitempty"`
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
	Src       string `json:"src,omitempty"`
}

// buildNCCI writes an NCCI release. CMS splits a quarter over many files
// (f1 to f4 of each setting, an MUE table a setting): the rows of the
// files this load brings replace the rows loaded before from the same
// files, and the rows of every other file loaded before are kept.
func buildNCCI(dir string, b *codeset.Bundle, old *store, oldInfo *ReleaseInfo) (*ReleaseInfo, error) {
	db, info, err := createRelease(dir, b.Release)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rel := b.Release
	ptp := map[string][]PTPRow{}
	mue := map[string][]MUERow{}
	fresh := map[string]bool{} // the files of this load, by stem
	loads := map[codeset.Kind]bool{}
	for _, f := range b.Edits {
		fresh[fileStem(f.Source.Path)] = true
		loads[f.Source.Kind] = true
	}
	// A row stored without its file (an older index) cannot be told
	// apart: it goes when a file of its kind is loaded, as it used to.
	keep := func(kind codeset.Kind, src string) bool {
		if src == "" {
			return !loads[kind]
		}
		return !fresh[src]
	}
	if old != nil {
		if err := eachRow(old, bucketPTP, func(r PTPRow) {
			if keep(codeset.KindPTP, r.Src) {
				k := r.Column1 + "|" + r.Column2
				ptp[k] = append(ptp[k], r)
			}
		}); err != nil {
			return nil, err
		}
		if err := eachRow(old, bucketMUE, func(r MUERow) {
			if keep(codeset.KindMUE, r.Src) {
				mue[r.Code] = append(mue[r.Code], r)
			}
		}); err != nil {
			return nil, err
		}
	}
	if oldInfo != nil {
		for _, s := range oldInfo.Sources {
			if !fresh[fileStem(s.File)] && (len(ptp) > 0 || s.Kind != codeset.KindPTP) && (len(mue) > 0 || s.Kind != codeset.KindMUE) {
				info.Sources = append(info.Sources, s)
			}
		}
	}
	for _, f := range b.Edits {
		info.Sources = append(info.Sources, SourceInfo{Kind: f.Source.Kind, File: f.Source.Path, Year: f.Year, Records: f.Records})
		src := fileStem(f.Source.Path)
		if t := f.PTP; t != nil {
			for _, e := range t.Edits {
				k := e.Column1 + "|" + e.Column2
				ptp[k] = append(ptp[k], PTPRow{Setting: t.Setting, Column1: e.Column1, Column2: e.Column2, Effective: e.Effective, Deleted: e.Deleted, Modifier: e.Modifier, Rationale: e.Rationale, Src: src})
			}
		}
		if t := f.MUE; t != nil {
			for _, e := range t.Edits {
				mue[e.Code] = append(mue[e.Code], MUERow{Service: t.Service, Code: e.Code, Value: e.Value, Indicator: e.Indicator, Meaning: e.IndicatorText, Rationale: e.Rationale, Src: src})
			}
		}
	}
	sort.Slice(info.Sources, func(i, j int) bool { return info.Sources[i].File < info.Sources[j].File })
	info.PTPBySetting, info.MUEBySetting = map[string]int{}, map[string]int{}
	for _, rows := range ptp {
		for _, r := range rows {
			info.PTPBySetting[r.Setting]++
		}
	}
	for _, rows := range mue {
		for _, r := range rows {
			info.MUEBySetting[r.Service]++
		}
	}
	err = db.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucket(bucketMeta)
		if err != nil {
			return err
		}
		if err := putJSON(meta, keyRelease, rel); err != nil {
			return err
		}
		if info.PTPEdits, err = writeRows(tx, bucketPTP, ptp); err != nil {
			return err
		}
		info.MUEEdits, err = writeRows(tx, bucketMUE, mue)
		return err
	})
	if err != nil {
		return nil, err
	}
	return info, db.Sync()
}

// fileStem names an edit file without its folder, archive or extension,
// so that a table's text and xlsx forms, or a zip and its member, are one.
func fileStem(p string) string {
	if i := strings.LastIndexAny(p, "/\\!"); i >= 0 {
		p = p[i+1:]
	}
	return strings.TrimSuffix(p, filepath.Ext(p))
}

// eachRow calls fn with every row stored in a bucket of rows by key.
func eachRow[T any](s *store, bucket []byte, fn func(T)) error {
	return s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucket)
		if b == nil {
			return nil
		}
		return b.ForEach(func(_, v []byte) error {
			var rows []T
			if err := json.Unmarshal(v, &rows); err != nil {
				return err
			}
			for _, r := range rows {
				fn(r)
			}
			return nil
		})
	})
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
