package index

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/medcode/medcode/codeset"
	bolt "go.etcd.io/bbolt"
)

// sourceTexts is a code's entry, as much as suggestion shows, and every
// text the code books give it, before analysis.
type sourceTexts struct {
	Entry *Entry // Code, Title, Billable; for HCPCS, IsModifier and BETOS
	Texts []sourceText
	// For the text index, which has them too: the Tabular's includes
	// notes and the index entries as stored.
	includes []string
	terms    []Term
}

// sourceText is one text of a code; Kind says where it comes from: "title",
// "short description", "inclusion term" or "index".
type sourceText struct {
	Kind string
	Text string
}

// SuggestTexts reads the analysed texts of several codes in one
// transaction; a code not in the release gives nil.
func (ix *Index) SuggestTexts(release string, codes []string) ([]*CodeText, error) {
	s, err := ix.store(release)
	if err != nil {
		return nil, err
	}
	out := make([]*CodeText, len(codes))
	err = s.view(func(tx *bolt.Tx) error {
		sb := tx.Bucket(bucketSuggest)
		for i, c := range codes {
			key := []byte(c)
			if sb != nil {
				if v := sb.Get(key); v != nil {
					ct, err := decodeCodeText(v, &Entry{System: s.sys, Release: s.id, Code: c})
					if err != nil {
						return fmt.Errorf("%s: %w", release, err)
					}
					out[i] = ct
				}
				continue
			}
			// An index from before the suggest bucket: analyse now.
			st, err := suggestText(tx, s.sys, s.id, key)
			if err != nil {
				return err
			}
			if st != nil {
				out[i] = analyseCode(s.stemmer(), st)
			}
		}
		return nil
	})
	return out, err
}

// suggestText gathers a code's texts from the code, notes and term
// buckets, for the suggest record and the text index both. It decodes
// only the fields those use: a code's full notes are most of its bytes.
func suggestText(tx *bolt.Tx, sys codeset.System, id string, key []byte) (*sourceTexts, error) {
	b := tx.Bucket(bucketCodes)
	if b == nil {
		return nil, nil
	}
	v := b.Get(key)
	if v == nil {
		return nil, nil
	}
	e := &Entry{System: sys, Release: id, Code: string(key)}
	st := &sourceTexts{Entry: e}
	if sys == codeset.HCPCS {
		var r struct {
			IsModifier          bool
			LongDesc, ShortDesc string
			BETOS               string
			Added, Terminated   time.Time
		}
		if err := json.Unmarshal(v, &r); err != nil {
			return nil, err
		}
		e.Title, e.Billable = r.LongDesc, !r.IsModifier
		e.HCPCS = &codeset.HCPCSRecord{IsModifier: r.IsModifier, BETOS: r.BETOS, Added: r.Added, Terminated: r.Terminated}
		st.Texts = append(st.Texts, sourceText{"title", r.LongDesc})
		if r.ShortDesc != "" {
			st.Texts = append(st.Texts, sourceText{"short description", r.ShortDesc})
		}
	} else {
		var c storedCode
		if err := json.Unmarshal(v, &c); err != nil {
			return nil, err
		}
		e.Title, e.Billable = c.Title, c.Billable
		st.Texts = append(st.Texts, sourceText{"title", c.Title})
		if nb := tx.Bucket(bucketNotes); nb != nil {
			if nv := nb.Get(key); nv != nil {
				var n struct {
					InclusionTerms []string `json:"inclusion_terms"`
					Includes       []string `json:"includes"`
				}
				if err := json.Unmarshal(nv, &n); err != nil {
					return nil, err
				}
				for _, t := range n.InclusionTerms {
					st.Texts = append(st.Texts, sourceText{"inclusion term", t})
				}
				st.includes = n.Includes
			}
		}
	}
	terms, err := termsIn(tx, key)
	if err != nil {
		return nil, err
	}
	st.terms = terms
	for _, t := range terms {
		text := t.Text
		if t.Column != "" {
			text += " > " + t.Column
		}
		if t.See != "" {
			text += " (see " + t.See + ")"
		}
		st.Texts = append(st.Texts, sourceText{"index", text})
	}
	return st, nil
}

// BillableDescendants lists up to limit (0 for all) billable codes below a
// code, in code order. It reads each code's billable flag from its suggest
// record, not its whole entry: suggestion asks this of every family it
// shows.
func (ix *Index) BillableDescendants(release, code string, limit int) ([]string, error) {
	s, err := ix.store(release)
	if err != nil {
		return nil, err
	}
	var out []string
	err = s.view(func(tx *bolt.Tx) error {
		sb := tx.Bucket(bucketSuggest)
		return eachBelow(tx, code, func(k []byte) (bool, error) {
			var rec []byte
			if sb != nil {
				rec = sb.Get(k)
			}
			var billable bool
			if len(rec) > 0 {
				billable = rec[0]&recBillable != 0
			} else {
				e, err := s.entry(tx, k)
				if err != nil {
					return false, err
				}
				billable = e != nil && e.Billable
			}
			if billable {
				out = append(out, string(k))
			}
			return limit > 0 && len(out) == limit, nil
		})
	})
	return out, err
}
