package suggest

import (
	"math/bits"

	"github.com/medcode/medcode/coding/internal/memo"

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
	// nums are the query's numbers: a text whose range holds one says it
	// ("BMI 42": "40.0-44.9").
	nums []queryNumber
	// values caches intervals by text, across queries.
	values *memo.Map[[]interval]
}

type queryNumber struct {
	bit uint
	val float64
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
	fit  float64
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
		for ai, a := range c.alts {
			ab := altBits{n: len(a), fit: 1}
			if c.fits != nil {
				ab.fit = c.fits[ai]
			}
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
					if x, ok := numberOf(t); ok {
						q.nums = append(q.nums, queryNumber{b, x})
					}
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

// of matches one text against the query. A word whose signature bit
// the query lacks is not among its words, so most words cost no lookup.
func (q *queryBits) of(v *variant) textBits {
	var tb textBits
	var said uint64 // positions in v.Words the query says
	for i, w := range v.Words {
		if i < 64 && q.sig&(1<<v.WordBits[i]) == 0 {
			continue
		}
		if b, ok := q.terms[w]; ok {
			tb.words |= 1 << b
			if i < 64 {
				said |= 1 << i
			}
		}
	}
	for _, w := range v.Negated {
		if b, ok := q.terms[w]; ok {
			tb.negated |= 1 << b
		}
	}
	if len(q.nums) > 0 {
		// A query number inside a range the text states is said by it,
		// and the range's own numbers are not held against the text.
		held := false
		ivs, _ := q.values.Get(v.Text, func() ([]interval, error) { return intervals(v.Text), nil })
		for _, n := range q.nums {
			for _, iv := range ivs {
				if iv.holds(n.val) {
					tb.words |= 1 << n.bit
					held = true
					break
				}
			}
		}
		if held {
			for i, w := range v.Words[:min(len(v.Words), 64)] {
				if isNumberWord(w) {
					said |= 1 << i
				}
			}
		}
	}
	// unheld tells whether the word at a position counts against the
	// code: the query does not say it and it is not a free word.
	unheld := func(at uint16, w string) bool {
		if at < 64 {
			return (said|v.Free)&(1<<at) == 0
		}
		_, ok := q.terms[w]
		return !ok && !freeWords[w]
	}
	for i, at := range v.CoreAt {
		if unheld(at, v.Words[at]) {
			tb.extra++
			if i < 64 {
				tb.unsaid |= 1 << i
			}
		}
	}
	for _, at := range v.MainAt {
		if unheld(at, v.Words[at]) {
			tb.extraMain++
		}
	}
	return tb
}

// holds tells whether a text has a word at one of the places.
func holds(v *variant, places []uint16, w string) bool {
	for _, at := range places {
		if v.Words[at] == w {
			return true
		}
	}
	return false
}

// markFree sets the variants' Free bits from freeWords; it is done once,
// when a code is read.
func markFree(ct *codeText) {
	for i := range ct.Variants {
		v := &ct.Variants[i]
		for j, w := range v.Words[:min(len(v.Words), 64)] {
			if freeWords[w] {
				v.Free |= 1 << j
			}
		}
	}
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
		counts := func(w string) bool { return !holds(a, a.CoreAt, w) && !holds(a, a.MainAt, w) }
		for m := tb.unsaid; m != 0; m &= m - 1 {
			if counts(b.Words[b.CoreAt[bits.TrailingZeros64(m)]]) {
				extra++
			}
		}
		for _, at := range b.CoreAt[min(len(b.CoreAt), 64):] {
			w := b.Words[at]
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
			if f := al.fit * float64(bits.OnesCount64(words&al.mask)) / float64(al.n); f > frac {
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
