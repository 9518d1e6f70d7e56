package index

import (
	"encoding/json"

	"github.com/medcode/medcode/codeset"
	bolt "go.etcd.io/bbolt"
)

// SuggestText is what suggestion reads of a code: enough of the entry to
// rank and show it, and every text the code books give it.
type SuggestText struct {
	Entry *Entry // Code, Title, Billable; for HCPCS, IsModifier and BETOS
	Texts []Text
}

// Text is one text of a code; Kind says where it comes from: "title",
// "short description", "inclusion term" or "index".
type Text struct {
	Kind string
	Text string
}

// SuggestTexts reads the texts of several codes in one transaction; a code
// not in the release gives nil.
func (ix *Index) SuggestTexts(release string, codes []string) ([]*SuggestText, error) {
	s, err := ix.store(release)
	if err != nil {
		return nil, err
	}
	out := make([]*SuggestText, len(codes))
	err = s.db.View(func(tx *bolt.Tx) error {
		for i, c := range codes {
			st, err := s.suggestText(tx, []byte(c))
			if err != nil {
				return err
			}
			out[i] = st
		}
		return nil
	})
	return out, err
}

// suggestText gathers a code's texts from the code, notes and term
// buckets. It decodes only the fields suggestion reads: a cold query reads
// hundreds of codes, and their full notes are most of the bytes.
func (s *store) suggestText(tx *bolt.Tx, key []byte) (*SuggestText, error) {
	b := tx.Bucket(bucketCodes)
	if b == nil {
		return nil, nil
	}
	v := b.Get(key)
	if v == nil {
		return nil, nil
	}
	e := &Entry{System: s.sys, Release: s.id, Code: string(key)}
	st := &SuggestText{Entry: e}
	if s.sys == codeset.HCPCS {
		var r struct {
			IsModifier          bool
			LongDesc, ShortDesc string
			BETOS               string
		}
		if err := json.Unmarshal(v, &r); err != nil {
			return nil, err
		}
		e.Title, e.Billable = r.LongDesc, !r.IsModifier
		e.HCPCS = &codeset.HCPCSRecord{IsModifier: r.IsModifier, BETOS: r.BETOS}
		st.Texts = append(st.Texts, Text{"title", r.LongDesc})
		if r.ShortDesc != "" {
			st.Texts = append(st.Texts, Text{"short description", r.ShortDesc})
		}
	} else {
		var c storedCode
		if err := json.Unmarshal(v, &c); err != nil {
			return nil, err
		}
		e.Title, e.Billable = c.Title, c.Billable
		st.Texts = append(st.Texts, Text{"title", c.Title})
		if nb := tx.Bucket(bucketNotes); nb != nil {
			if nv := nb.Get(key); nv != nil {
				var n struct {
					InclusionTerms []string `json:"inclusion_terms"`
				}
				if err := json.Unmarshal(nv, &n); err != nil {
					return nil, err
				}
				for _, t := range n.InclusionTerms {
					st.Texts = append(st.Texts, Text{"inclusion term", t})
				}
			}
		}
	}
	terms, err := termsIn(tx, key)
	if err != nil {
		return nil, err
	}
	for _, t := range terms {
		text := t.Text
		if t.Column != "" {
			text += " > " + t.Column
		}
		if t.See != "" {
			text += " (see " + t.See + ")"
		}
		st.Texts = append(st.Texts, Text{"index", text})
	}
	return st, nil
}
