package suggest

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/medcode/medcode/index"
)

// expansion is a word of the books a shorthand word may stand for, and
// how well it fits the shorthand (1 for the best of them).
type expansion struct {
	word string
	fit  float64
}

// A word of the books of three to maxShortWord letters, in fewer than
// rareShortWord codes, is read as shorthand too, its readings trusted
// cutShortFit as much as the word itself.
const (
	maxShortWord  = 4
	rareShortWord = 60
	cutShortFit   = 0.9
)

// maxExpansions is how many readings of one shorthand word are searched:
// each is another posting list to walk.
const maxExpansions = 6

// How a shorthand word is matched to a word of the books, from the
// surest: the same consonant skeleton ("hmrhg", hemorrhage), the start
// of the word ("intrst", "mal"), or its letters in order with the first
// fixed ("brncpul", bronchopulmonary).
const (
	fitSkeleton = 1.0
	fitPrefix   = 0.85
	fitLetters  = 0.7
)

// expand reads a word the books do not use as shorthand for words they
// do, best first. Shorthand keeps a word's first letter and most of its
// consonants: a candidate that is not cut short must keep at least two
// fifths of its letters in the shorthand. Among candidates, a closer match and a longer share
// of the word count most, and a word many codes use a little: the
// ranking then prefers the readings that fit the rest of the query.
func (s *Suggester) expand(rel, w string) ([]expansion, error) {
	if len(w) < 2 || !lettersOnly(w) {
		return nil, nil
	}
	vocab, err := s.vocab.Get(rel+"/"+w[:1], func() ([]index.VocabWord, error) {
		return s.cb.Index().Vocabulary(rel, w[0])
	})
	if err != nil {
		return nil, err
	}
	skel := index.Skeleton(w)
	var out []expansion
	for _, v := range vocab {
		if v.Word == w || len(v.Word) < len(w) {
			continue
		}
		kind := 0.0
		switch {
		case len(skel) >= 3 && v.Skeleton == skel:
			kind = fitSkeleton
		case strings.HasPrefix(v.Word, w):
			kind = fitPrefix
		case len(w) >= 3 && 5*len(w) >= 2*len(v.Word) && inOrder(w, v.Word):
			kind = fitLetters
		default:
			continue
		}
		share := float64(len(w)) / float64(len(v.Word))
		out = append(out, expansion{word: v.Word, fit: kind * (0.6 + 0.4*share) * (1 + 0.03*math.Log1p(float64(v.Codes)))})
	}
	slices.SortStableFunc(out, func(a, b expansion) int { return cmp.Compare(b.fit, a.fit) })
	if len(out) > maxExpansions {
		out = out[:maxExpansions]
	}
	for i := range out {
		out[i].fit /= out[0].fit
	}
	return out, nil
}

// shorthand is expand for a query word the books' texts do not hold and
// no learned or listed abbreviation explains (learned is that one's, or
// ""): a real word is never read as someone's shorthand.
func (s *Suggester) shorthand(rel, w, learned string) ([]expansion, error) {
	if learned != "" {
		return nil, nil
	}
	return s.shorts.Get(rel+"/"+w, func() ([]expansion, error) {
		toks, err := s.cb.Index().Analyze(rel, w)
		if err != nil || len(toks) != 1 {
			return nil, err
		}
		df, err := s.cb.Index().DocFreq(rel, toks[0])
		if err != nil || df > 0 && (len(w) < 3 || len(w) > maxShortWord || df >= rareShortWord) {
			return nil, err
		}
		exps, err := s.expand(rel, w)
		if err != nil || df == 0 || len(exps) == 0 {
			return exps, err
		}
		// A short word the books use a few times ("mal" of grand mal,
		// "neo" of neo-adjuvant) is more often a cut-short word ("mal
		// neo", malignant neoplasm): it keeps its own reading, first, and
		// the query's other words choose.
		out := []expansion{{word: w, fit: 1}}
		for _, e := range exps {
			out = append(out, expansion{word: e.word, fit: cutShortFit * e.fit})
		}
		return out, nil
	})
}

// inOrder tells whether every letter of short is in long, in order, the
// first letters equal.
func inOrder(short, long string) bool {
	if short[0] != long[0] {
		return false
	}
	j := 1
	for i := 1; i < len(long) && j < len(short); i++ {
		if long[i] == short[j] {
			j++
		}
	}
	return j == len(short)
}

func lettersOnly(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}
