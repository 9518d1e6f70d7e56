package index

import (
	"encoding/json"

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
