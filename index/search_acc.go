package index

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"

	bindex "github.com/blevesearch/bleve_index_api"
)

// accumulator adds up term scores per document in flat arrays indexed by
// the document's number. A suggestion's disjunction walks tens of
// thousands of postings; bleve's heap-merged searcher and top-N collector
// spend most of a query on that merge and on a pooled match object per
// posting, where an array add does the same work.
type accumulator struct {
	score   []float64
	matched []uint16
	touched []uint64
	cands   []docScore // scratch for the final scores
}

// size makes room for every document at once, rather than growing.
func (a *accumulator) size(docs uint64) {
	if uint64(len(a.score)) < docs {
		a.score = make([]float64, docs)
		a.matched = make([]uint16, docs)
	}
}

func (a *accumulator) add(doc uint64, s float64) {
	if doc >= uint64(len(a.score)) {
		n := max(doc+1, uint64(2*len(a.score)))
		a.score = append(a.score, make([]float64, n-uint64(len(a.score)))...)
		a.matched = append(a.matched, make([]uint16, n-uint64(len(a.matched)))...)
	}
	if a.matched[doc] == 0 {
		a.touched = append(a.touched, doc)
	}
	a.score[doc] += s
	a.matched[doc]++
}

func (a *accumulator) reset() {
	for _, d := range a.touched {
		a.score[d] = 0
		a.matched[d] = 0
	}
	a.touched = a.touched[:0]
	a.cands = a.cands[:0]
}

// sqrtTF caches the square roots of small term frequencies, as bleve does.
var sqrtTF = func() [64]float64 {
	var t [64]float64
	for i := range t {
		t[i] = math.Sqrt(float64(i))
	}
	return t
}()

// clause is one term in one field, ready to walk.
type clause struct {
	tfr   bindex.TermFieldReader
	idf   float64 // 1 + ln(docs / (docFreq+1)), as bleve has it
	boost float64
}

// openClause opens a term's postings in a field.
func (s *searcher) openClause(term, field string, boost float64, docs uint64) (clause, error) {
	tfr, err := s.reader.TermFieldReader(context.Background(), []byte(term), field, true, true, false)
	if err != nil {
		return clause{}, err
	}
	idf := 1 + math.Log(float64(docs)/float64(tfr.Count()+1))
	return clause{tfr: tfr, idf: idf, boost: boost}, nil
}

// queryNorm is bleve's normalisation of a query's clauses, which keeps
// scores on the scale they had under bleve's own searcher.
func queryNorm(cs []clause) float64 {
	sum := 0.0
	for _, c := range cs {
		w := c.boost * c.idf
		sum += w * w
	}
	if sum == 0 {
		return 1
	}
	return 1 / math.Sqrt(sum)
}

// walk adds a clause's postings to the accumulator.
func (c clause) walk(acc *accumulator, qnorm float64) error {
	return c.walkTo(acc.add, qnorm)
}

// walkTo hands each of a clause's documents, in order, with bleve's tf-idf
// term score: sqrt(tf) · norm · idf, times the query weight
// boost · idf · queryNorm.
func (c clause) walkTo(fn func(doc uint64, score float64), qnorm float64) error {
	if c.tfr.Count() == 0 {
		return nil
	}
	w := c.idf * c.boost * c.idf * qnorm
	var tfd bindex.TermFieldDoc
	for {
		d, err := c.tfr.Next(&tfd)
		if err != nil {
			return err
		}
		if d == nil {
			return nil
		}
		var tf float64
		if d.Freq < uint64(len(sqrtTF)) {
			tf = sqrtTF[d.Freq]
		} else {
			tf = math.Sqrt(float64(d.Freq))
		}
		fn(d.ID.Value(), tf*d.Norm*w)
	}
}

// docScore is a document, its final score and, once named, its ID.
type docScore struct {
	doc   uint64
	score float64
	id    string
}

// nthBest is the n-th highest score (minus infinity when there are fewer
// than n), by a min-heap of the n best so far.
func nthBest(cands []docScore, n int) float64 {
	h := make([]float64, 0, n)
	for _, c := range cands {
		sc := c.score
		if len(h) < n {
			// Sift up.
			h = append(h, sc)
			for i := len(h) - 1; i > 0; {
				p := (i - 1) / 2
				if h[p] <= h[i] {
					break
				}
				h[p], h[i] = h[i], h[p]
				i = p
			}
			continue
		}
		if sc <= h[0] {
			continue
		}
		// Replace the root and sift down.
		h[0] = sc
		for i := 0; ; {
			l, small := 2*i+1, i
			if l < n && h[l] < h[small] {
				small = l
			}
			if r := l + 1; r < n && h[r] < h[small] {
				small = r
			}
			if small == i {
				break
			}
			h[i], h[small] = h[small], h[i]
			i = small
		}
	}
	if len(h) < n {
		return math.Inf(-1)
	}
	return h[0]
}

// hits ranks the n best documents by score, then by document ID, and
// names their codes, each once at its best document, up to limit. Ties go
// the same way however the index's segments were numbered, so two loads of
// the same files suggest the same codes. Documents are named only as far
// as the ranking is read.
func (s *searcher) hits(cands []docScore, n, limit int) ([]Hit, error) {
	if n <= 0 || len(cands) == 0 {
		return nil, nil
	}
	floor := nthBest(cands, n)
	ranked := make([]docScore, 0, n+n/4)
	for _, c := range cands {
		if c.score >= floor {
			ranked = append(ranked, c)
		}
	}
	slices.SortFunc(ranked, func(a, b docScore) int {
		if a.score != b.score {
			return cmp.Compare(b.score, a.score)
		}
		return cmp.Compare(a.doc, b.doc)
	})
	out := make([]Hit, 0, limit)
	seen := make(map[string]bool, limit)
	for i := 0; i < len(ranked) && i < n && len(out) < limit; {
		// A run of equal scores is ordered by ID; the run at the n-th
		// place is read whole, as its IDs decide which make the cut.
		j := i + 1
		for j < len(ranked) && ranked[j].score == ranked[i].score {
			j++
		}
		run := ranked[i:j]
		if err := s.name(run); err != nil {
			return nil, err
		}
		if len(run) > 1 {
			slices.SortFunc(run, func(a, b docScore) int { return strings.Compare(a.id, b.id) })
		}
		for k := range run {
			if i+k >= n || len(out) == limit {
				break
			}
			code := codeOfDoc(run[k].id)
			if seen[code] {
				continue
			}
			seen[code] = true
			out = append(out, Hit{Code: code, Score: run[k].score})
		}
		i = j
	}
	return out, nil
}

// name fills in the IDs of documents, from the searcher's memory of those
// it has named before.
func (s *searcher) name(ds []docScore) error {
	s.idMu.Lock()
	defer s.idMu.Unlock()
	if s.ids == nil {
		s.ids = map[uint64]string{}
	}
	id := make(bindex.IndexInternalID, 8)
	for i := range ds {
		d := ds[i].doc
		if ext, ok := s.ids[d]; ok {
			ds[i].id = ext
			continue
		}
		id.SetValue(d)
		ext, err := s.reader.ExternalID(id)
		if err != nil {
			return err
		}
		s.ids[d] = ext
		ds[i].id = ext
	}
	return nil
}
