package index

import (
	"math"
	"runtime/debug"

	bindex "github.com/blevesearch/bleve_index_api"
)

// TermGroup is one thing a query says, in the ways it may be written: a
// document holds it when it holds every term of one alternative.
type TermGroup struct {
	Alts  [][]string
	Boost float64
}

// SearchAll finds the codes with a document that holds every group, best
// first. The text search of SearchTerms takes any word; this one takes the
// codes that say everything the query says, which a disjunction of common
// words ("malignant neoplasm of left lower limb") can bury.
//
// Scores are those of the bleve query it stands for: a conjunction of the
// groups, each a disjunction of its alternatives, each a conjunction of
// its terms, each a disjunction over the text fields. Postings arrive in
// document order; the parts of a conjunction skip ahead to each other.
func (ix *Index) SearchAll(release string, groups []TermGroup, limit int) (_ []Hit, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer guardFault(release, &err)
	s, err := ix.searcher(release)
	if err != nil {
		return nil, err
	}
	docs, err := s.reader.DocCount()
	if err != nil {
		return nil, err
	}
	// Every clause is opened first: the query norm is over all of them.
	type termClauses struct{ cs []clause }
	var all []clause
	defer func() {
		for _, c := range all {
			c.tfr.Close()
		}
	}()
	var shape [][][]termClauses // group > alternative > term
	for _, g := range groups {
		var alts [][]termClauses
		for _, a := range g.Alts {
			if len(a) == 0 {
				continue
			}
			var terms []termClauses
			for _, t := range a {
				var tc termClauses
				for _, f := range textFields {
					c, err := s.openClause(t, f.name, g.Boost*f.boost, docs)
					if err != nil {
						return nil, err
					}
					all = append(all, c)
					tc.cs = append(tc.cs, c)
				}
				terms = append(terms, tc)
			}
			alts = append(alts, terms)
		}
		if len(alts) > 0 {
			shape = append(shape, alts)
		}
	}
	if len(shape) == 0 {
		return nil, nil
	}
	qn := queryNorm(all)
	var top conjMatcher
	for _, alts := range shape {
		var altMs []matcher
		for _, terms := range alts {
			var termMs []matcher
			for _, tc := range terms {
				var fieldMs []matcher
				for _, c := range tc.cs {
					fieldMs = append(fieldMs, &clauseMatcher{c: c, w: c.idf * c.boost * c.idf * qn})
				}
				termMs = append(termMs, &disjMatcher{kids: fieldMs})
			}
			if len(termMs) == 1 {
				altMs = append(altMs, termMs[0])
			} else {
				altMs = append(altMs, &conjMatcher{kids: termMs})
			}
		}
		if len(altMs) == 1 {
			top.kids = append(top.kids, altMs[0])
		} else {
			top.kids = append(top.kids, &disjMatcher{kids: altMs})
		}
	}
	var cands []docScore
	ok, err := top.advance(0)
	for ; ok && err == nil; ok, err = top.next() {
		cands = append(cands, docScore{doc: top.doc(), score: top.score()})
	}
	if err != nil {
		return nil, err
	}
	return s.hits(cands, limit*3, limit)
}

// matcher walks the documents a query part matches, in document order.
// advance and next report whether the matcher is on a document.
type matcher interface {
	advance(doc uint64) (bool, error) // to the first document at or after doc
	next() (bool, error)              // past the current document
	doc() uint64
	score() float64
}

// clauseMatcher walks one term's postings in one field, scored as bleve's
// term searcher scores them.
type clauseMatcher struct {
	c       clause
	w       float64
	tfd     bindex.TermFieldDoc
	id      bindex.IndexInternalID // scratch for advance
	at      uint64
	sc      float64
	started bool
	done    bool
}

func (m *clauseMatcher) doc() uint64    { return m.at }
func (m *clauseMatcher) score() float64 { return m.sc }

func (m *clauseMatcher) take(d *bindex.TermFieldDoc, err error) (bool, error) {
	m.started = true
	if err != nil || d == nil {
		m.done = true
		return false, err
	}
	m.at = d.ID.Value()
	var tf float64
	if d.Freq < uint64(len(sqrtTF)) {
		tf = sqrtTF[d.Freq]
	} else {
		tf = math.Sqrt(float64(d.Freq))
	}
	m.sc = tf * d.Norm * m.w
	return true, nil
}

func (m *clauseMatcher) next() (bool, error) {
	if m.done {
		return false, nil
	}
	return m.take(m.c.tfr.Next(&m.tfd))
}

func (m *clauseMatcher) advance(doc uint64) (bool, error) {
	if m.done {
		return false, nil
	}
	if m.started && m.at >= doc {
		return true, nil
	}
	if m.c.tfr.Count() == 0 {
		m.done = true
		return false, nil
	}
	if m.id == nil {
		m.id = make(bindex.IndexInternalID, 8)
	}
	m.id.SetValue(doc)
	return m.take(m.c.tfr.Advance(m.id, &m.tfd))
}

// disjMatcher is on every document any of its parts is on, scored as a
// bleve disjunction: the sum of the parts on it, times their share.
type disjMatcher struct {
	kids []matcher
	on   []bool
	at   uint64
}

func (m *disjMatcher) doc() uint64 { return m.at }

func (m *disjMatcher) score() float64 {
	sum, n := 0.0, 0
	for i, k := range m.kids {
		if m.on[i] && k.doc() == m.at {
			sum += k.score()
			n++
		}
	}
	return sum * float64(n) / float64(len(m.kids))
}

// settle puts the matcher on the lowest document its parts are on.
func (m *disjMatcher) settle() bool {
	found := false
	for i, k := range m.kids {
		if m.on[i] && (!found || k.doc() < m.at) {
			m.at, found = k.doc(), true
		}
	}
	return found
}

func (m *disjMatcher) advance(doc uint64) (bool, error) {
	if m.on == nil {
		m.on = make([]bool, len(m.kids))
		for i, k := range m.kids {
			ok, err := k.advance(doc)
			if err != nil {
				return false, err
			}
			m.on[i] = ok
		}
		return m.settle(), nil
	}
	for i, k := range m.kids {
		if m.on[i] && k.doc() < doc {
			ok, err := k.advance(doc)
			if err != nil {
				return false, err
			}
			m.on[i] = ok
		}
	}
	return m.settle(), nil
}

func (m *disjMatcher) next() (bool, error) {
	at := m.at
	for i, k := range m.kids {
		if m.on[i] && k.doc() == at {
			ok, err := k.next()
			if err != nil {
				return false, err
			}
			m.on[i] = ok
		}
	}
	return m.settle(), nil
}

// conjMatcher is on the documents all of its parts are on, scored as a
// bleve conjunction: the sum. Parts skip ahead to each other's documents.
type conjMatcher struct {
	kids []matcher
}

func (m *conjMatcher) doc() uint64 { return m.kids[0].doc() }

func (m *conjMatcher) score() float64 {
	sum := 0.0
	for _, k := range m.kids {
		sum += k.score()
	}
	return sum
}

// align moves the parts forward until they are on one document.
func (m *conjMatcher) align() (bool, error) {
	for {
		target := m.kids[0].doc()
		for _, k := range m.kids[1:] {
			target = max(target, k.doc())
		}
		same := true
		for _, k := range m.kids {
			if k.doc() < target {
				ok, err := k.advance(target)
				if !ok || err != nil {
					return false, err
				}
			}
			if k.doc() != target {
				same = false
			}
		}
		if same {
			return true, nil
		}
	}
}

func (m *conjMatcher) advance(doc uint64) (bool, error) {
	for _, k := range m.kids {
		ok, err := k.advance(doc)
		if !ok || err != nil {
			return false, err
		}
	}
	return m.align()
}

func (m *conjMatcher) next() (bool, error) {
	ok, err := m.kids[0].next()
	if !ok || err != nil {
		return false, err
	}
	return m.align()
}
