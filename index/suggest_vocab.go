package index

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// bucketVocab holds the words of a release's texts by first letter, with
// their consonant skeletons and how many codes use them, so a query's
// shorthand ("abdmnl", "hmrhg") can be read against the books' own words
// without a walk of the whole dictionary. Like bucketSuggest it is derived
// and rebuilt with every load of the release.
var bucketVocab = []byte("vocab")

// VocabWord is a word of the books' texts, lower case, as written.
type VocabWord struct {
	Word string
	// Skeleton is the first letter and then the consonants, a run of one
	// letter counted once ("hemorrhage": "hmrhg"): how vowel-dropping
	// shorthand writes a word.
	Skeleton string
	// Codes is how many codes have the word in a text.
	Codes int
}

// Skeleton is a word's consonant skeleton (see VocabWord).
func Skeleton(w string) string {
	b := make([]byte, 0, len(w))
	for i := 0; i < len(w); i++ {
		c := w[i]
		if i > 0 && strings.IndexByte("aeiou", c) >= 0 || len(b) > 0 && b[len(b)-1] == c {
			continue
		}
		b = append(b, c)
	}
	return string(b)
}

// vocabWords are the distinct words a code's texts hold, for the
// vocabulary: words of letters only, three or more. The short
// descriptions are left out: they are themselves shorthand, and a query
// word found in them is what the vocabulary is there to read.
func vocabWords(st *sourceTexts) []string {
	var out []string
	for _, t := range st.Texts {
		if t.Kind == "short description" {
			continue
		}
		text := t.Text
		eachWord(text, func(start, end int) {
			if end-start < 3 {
				return
			}
			for i := start; i < end; i++ {
				if !isASCIILetter(text[i]) {
					return
				}
			}
			w := strings.ToLower(text[start:end])
			if !slices.Contains(out, w) {
				out = append(out, w)
			}
		})
	}
	return out
}

// writeVocab stores the counted words, one key per first letter, most
// used first.
func writeVocab(tx *bolt.Tx, counts map[string]int) error {
	if tx.Bucket(bucketVocab) != nil {
		if err := tx.DeleteBucket(bucketVocab); err != nil {
			return err
		}
	}
	b, err := tx.CreateBucket(bucketVocab)
	if err != nil {
		return err
	}
	byFirst := map[byte][]VocabWord{}
	for w, n := range counts {
		byFirst[w[0]] = append(byFirst[w[0]], VocabWord{Word: w, Skeleton: Skeleton(w), Codes: n})
	}
	for first, ws := range byFirst {
		slices.SortFunc(ws, func(a, b VocabWord) int {
			if a.Codes != b.Codes {
				return cmp.Compare(b.Codes, a.Codes)
			}
			return strings.Compare(a.Word, b.Word)
		})
		var rec []byte
		rec = binary.AppendUvarint(rec, uint64(len(ws)))
		for _, w := range ws {
			for _, s := range []string{w.Word, w.Skeleton} {
				rec = binary.AppendUvarint(rec, uint64(len(s)))
				rec = append(rec, s...)
			}
			rec = binary.AppendUvarint(rec, uint64(w.Codes))
		}
		if err := b.Put([]byte{first}, rec); err != nil {
			return err
		}
	}
	return nil
}

// Vocabulary lists the release's words that start with a letter, most
// used first; none for an index built before the vocabulary was stored.
func (ix *Index) Vocabulary(release string, first byte) ([]VocabWord, error) {
	s, err := ix.store(release)
	if err != nil {
		return nil, err
	}
	var out []VocabWord
	err = s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketVocab)
		if b == nil {
			return nil
		}
		v := b.Get([]byte{first})
		if v == nil {
			return nil
		}
		r := recReader{s: string(v)}
		n := r.count()
		out = make([]VocabWord, 0, n)
		for i := 0; i < n && r.err == nil; i++ {
			w := VocabWord{Word: r.str(), Skeleton: r.str()}
			w.Codes = int(r.uvarint())
			out = append(out, w)
		}
		if r.err != nil {
			return fmt.Errorf("%s: bad vocabulary record", release)
		}
		return nil
	})
	return out, err
}
