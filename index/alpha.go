package index

import (
	"encoding/json"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/medcode/medcode/codeset"
)

// bucketAlpha keeps the Alphabetic Index as the book prints it, one key per
// main term, so a reader can walk a main term's subterms and follow its
// cross references. The term buckets key entries by code and leave out
// what leads to none ("see also", titles with only subterms below).
var bucketAlpha = []byte("alpha")

// AlphaRow is one entry of the Alphabetic Index under its main term.
type AlphaRow struct {
	// Levels are the main term and each subterm down to this entry, with
	// nonessential modifiers in their parentheses.
	Levels []string `json:"l"`
	// Code is as the book prints it ("E11.9", "C79.8-").
	Code    string `json:"c,omitempty"`
	Manif   string `json:"m,omitempty"`
	See     string `json:"s,omitempty"`
	SeeAlso string `json:"a,omitempty"`
	SeeCat  string `json:"sc,omitempty"`
}

// AlphaKey is the key of a main term: its words without nonessential
// modifiers, in lower case, as "see" references name it.
func AlphaKey(main string) string {
	if i := strings.Index(main, "("); i >= 0 {
		main = main[:i]
	}
	return strings.ToLower(strings.TrimSpace(main))
}

// writeAlpha stores the Alphabetic Index by main term, in book order.
func writeAlpha(tx *bolt.Tx, ix *codeset.Index) error {
	b, err := tx.CreateBucket(bucketAlpha)
	if err != nil {
		return err
	}
	byMain := map[string][]AlphaRow{}
	var order []string
	for i := range ix.Terms {
		t := &ix.Terms[i]
		if len(t.Path) == 0 {
			continue
		}
		key := AlphaKey(t.Path[0])
		if _, ok := byMain[key]; !ok {
			order = append(order, key)
		}
		levels := strings.Split(termText(t), " > ")
		byMain[key] = append(byMain[key], AlphaRow{Levels: levels, Code: t.Code, Manif: t.Manif, See: t.See, SeeAlso: t.SeeAlso, SeeCat: t.SeeCat})
	}
	for _, k := range order {
		if err := putJSON(b, []byte(k), byMain[k]); err != nil {
			return err
		}
	}
	return nil
}

// Alpha returns the Alphabetic Index entries under a main term (see
// AlphaKey) in book order. With near, a key the index lacks falls to the
// first main term that begins with its words ("diabetes" finds "Diabetes,
// diabetic (mellitus) (sugar)"); key is the main term's key found. stored
// is false when the release's index holds no Alphabetic Index tree: none
// was loaded, or it was built before the tree was kept.
func (ix *Index) Alpha(release, key string, near bool) (found string, rows []AlphaRow, stored bool, err error) {
	s, err := ix.store(release)
	if err != nil {
		return "", nil, false, err
	}
	err = s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAlpha)
		if b == nil {
			return nil
		}
		stored = true
		k, v := []byte(key), b.Get([]byte(key))
		if v == nil && near {
			k, v = b.Cursor().Seek([]byte(key + ","))
			if k == nil || !strings.HasPrefix(string(k), key+",") {
				return nil
			}
		}
		if v == nil {
			return nil
		}
		found = string(k)
		return json.Unmarshal(v, &rows)
	})
	return found, rows, stored, err
}
