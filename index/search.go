package index

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	bindex "github.com/blevesearch/bleve_index_api"
)

// searcher is the text side of one release.
type searcher struct {
	idx      bleve.Index
	reader   bindex.IndexReader
	analyzer analysis.Analyzer
	// accs are accumulators for concurrent searches.
	accs sync.Pool
	// ids are the document IDs named so far, by document number.
	idMu sync.Mutex
	ids  map[uint64]string
}

// textFields are the fields a query term is looked for in, with the weight
// a match in each carries: the Alphabetic Index is how coders find codes, so
// it counts as much as the title.
var textFields = []struct {
	name  string
	boost float64
}{{FieldTitle, 1.0}, {FieldIndex, 1.0}, {FieldIncl, 0.7}}

func (ix *Index) searcher(id string) (*searcher, error) {
	ix.mu.Lock()
	s := ix.searchers[id]
	ix.mu.Unlock()
	if s != nil {
		return s, nil
	}
	t, err := ix.text(id)
	if err != nil {
		return nil, err
	}
	adv, err := t.Advanced()
	if err != nil {
		return nil, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, err
	}
	an := t.Mapping().AnalyzerNamed(analyzerStem)
	if an == nil {
		r.Close()
		return nil, fmt.Errorf("%s: text index lacks the %s analyzer", id, analyzerStem)
	}
	s = &searcher{idx: t, reader: r, analyzer: an}
	s.accs.New = func() any { return new(accumulator) }
	ix.mu.Lock()
	ix.searchers[id] = s
	ix.mu.Unlock()
	return s, nil
}

// Analyze turns text into the terms the text index holds (lower-cased,
// stemmed), so callers compare like with like.
func (ix *Index) Analyze(release, text string) ([]string, error) {
	s, err := ix.searcher(release)
	if err != nil {
		return nil, err
	}
	toks := s.analyzer.Analyze([]byte(text))
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = string(t.Term)
	}
	return out, nil
}

// DocFreq is the number of codes whose text holds an analysed term in any
// searched field (the largest count of the fields, as a cheap upper bound).
func (ix *Index) DocFreq(release, term string) (_ int, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer guardFault(release, &err)
	s, err := ix.searcher(release)
	if err != nil {
		return 0, err
	}
	best := 0
	for _, f := range textFields {
		tfr, err := s.reader.TermFieldReader(context.Background(), []byte(term), f.name, false, false, false)
		if err != nil {
			return 0, err
		}
		if n := int(tfr.Count()); n > best {
			best = n
		}
		tfr.Close()
	}
	return best, nil
}

// DocCount is the number of documents in the release's text index.
func (ix *Index) DocCount(release string) (_ int, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer guardFault(release, &err)
	s, err := ix.searcher(release)
	if err != nil {
		return 0, err
	}
	n, err := s.reader.DocCount()
	return int(n), err
}

// Correct finds the indexed term closest to an analysed term that the index
// does not hold: the fewest edits, then the first in order (bleve's fuzzy
// dictionary walk leaves term counts out). ok is false when nothing is
// within two edits (one for a word under eight letters).
func (ix *Index) Correct(release, term string) (_ string, _ bool, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer guardFault(release, &err)
	s, err := ix.searcher(release)
	if err != nil {
		return "", false, err
	}
	fz, ok := s.reader.(bindex.IndexReaderFuzzy)
	if !ok {
		return "", false, nil
	}
	// Two edits only in a long word: a short one two edits away is
	// another word ("mongol" is not "mangl").
	fuzz := 1
	if len(term) >= 8 {
		fuzz = 2
	}
	best, bestDist := "", 99
	for _, f := range []string{FieldTitle, FieldIndex} {
		// The first letter is rarely the one mistyped; requiring it keeps
		// the dictionary walk short.
		d, err := fz.FieldDictFuzzy(f, term, fuzz, term[:1])
		if err != nil {
			return "", false, err
		}
		for {
			e, err := d.Next()
			if err != nil {
				d.Close()
				return "", false, err
			}
			if e == nil {
				break
			}
			dist := int(e.EditDistance)
			if dist < bestDist || dist == bestDist && e.Term < best {
				best, bestDist = e.Term, dist
			}
		}
		d.Close()
	}
	return best, best != "", nil
}

// WeightedTerm is an analysed query term and its weight.
type WeightedTerm struct {
	Term  string
	Boost float64
}

// Hit is a code the text search found.
type Hit struct {
	Code  string
	Score float64
}

// SearchTerms finds the codes whose title, index entries or inclusion terms
// hold any of the terms, best first. It is the recall step; callers rank.
// Scores are those of a bleve disjunction of term queries (tf-idf, query
// norm, coordination by the share of clauses a document matches).
func (ix *Index) SearchTerms(release string, terms []WeightedTerm, limit int) (_ []Hit, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer guardFault(release, &err)
	s, err := ix.searcher(release)
	if err != nil {
		return nil, err
	}
	if len(terms) == 0 {
		return nil, nil
	}
	docs, err := s.reader.DocCount()
	if err != nil {
		return nil, err
	}
	cs := make([]clause, 0, len(terms)*len(textFields))
	defer func() {
		for _, c := range cs {
			c.tfr.Close()
		}
	}()
	for _, t := range terms {
		for _, f := range textFields {
			c, err := s.openClause(t.Term, f.name, t.Boost*f.boost, docs)
			if err != nil {
				return nil, err
			}
			cs = append(cs, c)
		}
	}
	acc := s.accs.Get().(*accumulator)
	defer func() {
		acc.reset()
		s.accs.Put(acc)
	}()
	acc.size(docs)
	qn := queryNorm(cs)
	for _, c := range cs {
		if err := c.walk(acc, qn); err != nil {
			return nil, err
		}
	}
	total := float64(len(cs))
	// Several documents of one code may match; rank more and keep each
	// code's best.
	for _, d := range acc.touched {
		acc.cands = append(acc.cands, docScore{doc: d, score: acc.score[d] * float64(acc.matched[d]) / total})
	}
	return s.hits(acc.cands, limit*3, limit)
}

// codeOfDoc is the code a text document belongs to.
func codeOfDoc(id string) string {
	code, _, _ := strings.Cut(id, string(termDocSep))
	return code
}
