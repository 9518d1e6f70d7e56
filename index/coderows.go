package index

import (
	"bytes"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/medcode/medcode/codeset"
)

// CodeRow is one code of a release without its notes: what a comparison of
// two releases reads.
type CodeRow struct {
	Code     string
	Title    string
	Short    string
	Billable bool
	HCPCS    *codeset.HCPCSRecord
}

// CodeRows lists every code of a release in code order, reading only the
// codes bucket, so comparing two full releases stays well under a second.
func (ix *Index) CodeRows(release string) ([]CodeRow, error) {
	s, err := ix.store(release)
	if err != nil {
		return nil, err
	}
	out := make([]CodeRow, 0, ix.Manifest.Release(release).Codes)
	err = s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketCodes)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			if s.sys == codeset.HCPCS {
				var r codeset.HCPCSRecord
				if err := json.Unmarshal(v, &r); err != nil {
					return err
				}
				out = append(out, CodeRow{Code: string(k), Title: r.LongDesc, Short: r.ShortDesc, Billable: !r.IsModifier, HCPCS: &r})
				return nil
			}
			var c storedCode
			if err := json.Unmarshal(v, &c); err != nil {
				return err
			}
			out = append(out, CodeRow{Code: string(k), Title: c.Title, Short: c.Short, Billable: c.Billable})
			return nil
		})
	})
	return out, err
}

// DiffCodes walks the codes of two ICD-10-CM releases at and below prefix in
// code order and calls fn for every code whose record differs: old or cur
// is nil for a code only one release has. Records equal but for their
// order number (which shifts with every code added before them) are
// skipped without decoding, which is what makes comparing two full
// releases cheap. It returns how many codes each release has below prefix.
func (ix *Index) DiffCodes(from, to, prefix string, fn func(old, cur *CodeRow) error) (nOld, nCur int, err error) {
	a, err := ix.store(from)
	if err != nil {
		return 0, 0, err
	}
	b, err := ix.store(to)
	if err != nil {
		return 0, 0, err
	}
	err = a.db.View(func(atx *bolt.Tx) error {
		return b.db.View(func(btx *bolt.Tx) error {
			ab, bb := atx.Bucket(bucketCodes), btx.Bucket(bucketCodes)
			if ab == nil || bb == nil {
				return errMissingRelease
			}
			p := []byte(prefix)
			ac, bc := ab.Cursor(), bb.Cursor()
			ak, av := ac.Seek(p)
			bk, bv := bc.Seek(p)
			in := func(k []byte) bool { return k != nil && bytes.HasPrefix(k, p) }
			for in(ak) || in(bk) {
				var o, c *CodeRow
				switch cmp := bytes.Compare(ak, bk); {
				case !in(bk) || in(ak) && cmp < 0:
					if o, err = decodeRow(ak, av); err != nil {
						return err
					}
					nOld++
					ak, av = ac.Next()
				case !in(ak) || cmp > 0:
					if c, err = decodeRow(bk, bv); err != nil {
						return err
					}
					nCur++
					bk, bv = bc.Next()
				default:
					nOld++
					nCur++
					if !bytes.Equal(withoutOrder(av), withoutOrder(bv)) {
						if o, err = decodeRow(ak, av); err != nil {
							return err
						}
						if c, err = decodeRow(bk, bv); err != nil {
							return err
						}
					}
					ak, av = ac.Next()
					bk, bv = bc.Next()
				}
				if o == nil && c == nil {
					continue
				}
				if err := fn(o, c); err != nil {
					return err
				}
			}
			return nil
		})
	})
	return nOld, nCur, err
}

func decodeRow(k, v []byte) (*CodeRow, error) {
	var c storedCode
	if err := json.Unmarshal(v, &c); err != nil {
		return nil, fmt.Errorf("code %s: %w", k, err)
	}
	return &CodeRow{Code: string(k), Title: c.Title, Short: c.Short, Billable: c.Billable}, nil
}

// withoutOrder cuts the order number, the last field of a stored code,
// from its JSON; a record of another shape is returned whole, and so only
// ever compared whole.
func withoutOrder(v []byte) []byte {
	i := bytes.LastIndex(v, []byte(`,"o":`))
	if i < 0 || len(v) < i+7 || v[len(v)-1] != '}' {
		return v
	}
	for _, ch := range v[i+5 : len(v)-1] {
		if ch < '0' || ch > '9' {
			return v
		}
	}
	return v[:i]
}
