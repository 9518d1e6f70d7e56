package coding

import (
	"math/bits"
	"slices"

	"github.com/medcode/medcode/index"
)

// queryBits numbers a reading's distinct words, so a code's text can be
// matched against the query once, as a bit set, and every reading of it
// (alone, or under an ancestor's index entry) scored from the bits.
type queryBits struct {
	terms    map[string]uint // word -> bit
	words    []string        // bit -> word
	concepts []conceptBits
	total    float64
	memo     map[*variant]textBits
	sig      uint64 // index.WordSig of every word
}

type conceptBits struct {
	alts    []altBits
	all     uint64
	weight  float64
	negated bool
}

type altBits struct {
	mask uint64
	n    int
}

// textBits is what one text holds of the query.
type textBits struct {
	words, negated uint64
	extra          int // core words the query does not say
	extraMain      int // the same among an index entry's main term's
	// unsaid has a bit for each of the first 64 core words the query does
	// not say, for scoring the text under an ancestor's index entry,
	// which may say them.
	unsaid uint64
}

// maxQueryWords is the words a query is scored on; the rest of a longer
// one is still searched for.
const maxQueryWords = 64

func newQueryBits(rd reading) *queryBits {
	q := &queryBits{terms: map[string]uint{}, memo: map[*variant]textBits{}}
	for _, c := range rd.concepts {
		cb := conceptBits{weight: c.weight, negated: c.negated}
		for _, a := range c.alts {
			ab := altBits{n: len(a)}
			for _, t := range a {
				b, ok := q.terms[t]
				if !ok {
					if len(q.words) == maxQueryWords {
						continue
					}
					b = uint(len(q.words))
					q.terms[t] = b
					q.words = append(q.words, t)
					q.sig |= index.WordSig(t)
				}
				ab.mask |= 1 << b
			}
			cb.alts = append(cb.alts, ab)
			cb.all |= ab.mask
		}
		q.concepts = append(q.concepts, cb)
		q.total += c.weight
	}
	return q
}

// memoOf is of, once per query: the texts read in pairs (a header's index
// entries, a code's title) meet many partners.
func (q *queryBits) memoOf(v *variant) textBits {
	if tb, ok := q.memo[v]; ok {
		return tb
	}
	tb := q.of(v)
	q.memo[v] = tb
	return tb
}

// of matches one text against the query.
func (q *queryBits) of(v *variant) textBits {
	var tb textBits
	for _, w := range v.Words {
		if b, ok := q.terms[w]; ok {
			tb.words |= 1 << b
		}
	}
	for _, w := range v.Negated {
		if b, ok := q.terms[w]; ok {
			tb.negated |= 1 << b
		}
	}
	for i, w := range v.Core {
		if _, said := q.terms[w]; !said && !freeWords[w] {
			tb.extra++
			if i < 64 {
				tb.unsaid |= 1 << i
			}
		}
	}
	for _, w := range v.MainCore {
		if _, said := q.terms[w]; !said && !freeWords[w] {
			tb.extraMain++
		}
	}
	return tb
}

// score is how well a text fits the query: the share of the query's
// weight it covers, less a penalty for each word of its own the query does
// not account for. With b, the text is a (an ancestor's index entry) read
// together with b (the code's own title).
func (q *queryBits) score(a, b *variant) (score, cov float64) {
	var ta textBits
	if b == nil {
		ta = q.of(a)
	} else {
		ta = q.memoOf(a)
	}
	words, negated, extra := ta.words, ta.negated, ta.extra
	if b != nil {
		tb := q.memoOf(b)
		words |= tb.words
		negated = tb.negated
		// A word both texts hold counts once; a's parenthesised words do
		// not excuse b's.
		counts := func(w string) bool { return !slices.Contains(a.Core, w) && !slices.Contains(a.MainCore, w) }
		for m := tb.unsaid; m != 0; m &= m - 1 {
			if counts(b.Core[bits.TrailingZeros64(m)]) {
				extra++
			}
		}
		for _, w := range b.Core[min(len(b.Core), 64):] {
			if _, said := q.terms[w]; !said && !freeWords[w] && counts(w) {
				extra++
			}
		}
	}
	negHit := false
	for _, c := range q.concepts {
		if c.negated {
			// Stated absent: credit a code that says "without" it, fault
			// one that has it.
			switch {
			case negated&c.all != 0:
				cov += c.weight
				negHit = true
			case words&c.all != 0:
				cov -= c.weight
			default:
				cov += 0.5 * c.weight
			}
			continue
		}
		frac := 0.0
		for _, al := range c.alts {
			if f := float64(bits.OnesCount64(words&al.mask)) / float64(al.n); f > frac {
				frac = f
			}
		}
		cov += c.weight * frac
	}
	if q.total > 0 {
		cov /= q.total
	}
	if negHit && (a.WithoutCore || b != nil && b.WithoutCore) {
		// The code's "without" is what the query's negation matched.
		extra--
	}
	pen := extraTitle
	if a.Kind == "index" {
		pen = extraIndex
	}
	return cov - pen*float64(extra) - extraMain*float64(ta.extraMain), cov
}
