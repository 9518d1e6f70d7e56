package index

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
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
func (ix *Index) SearchAll(release string, groups []TermGroup, limit int) ([]Hit, error) {
	s, err := ix.searcher(release)
	if err != nil {
		return nil, err
	}
	field := func(t string, boost float64) query.Query {
		var qs []query.Query
		for _, f := range textFields {
			q := query.NewTermQuery(t)
			q.SetField(f.name)
			q.SetBoost(boost * f.boost)
			qs = append(qs, q)
		}
		if len(qs) == 1 {
			return qs[0]
		}
		return query.NewDisjunctionQuery(qs)
	}
	var all []query.Query
	for _, g := range groups {
		var alts []query.Query
		for _, a := range g.Alts {
			if len(a) == 0 {
				continue
			}
			if len(a) == 1 {
				alts = append(alts, field(a[0], g.Boost))
				continue
			}
			var ts []query.Query
			for _, t := range a {
				ts = append(ts, field(t, g.Boost))
			}
			alts = append(alts, query.NewConjunctionQuery(ts))
		}
		if len(alts) == 0 {
			continue
		}
		if len(alts) == 1 {
			all = append(all, alts[0])
		} else {
			all = append(all, query.NewDisjunctionQuery(alts))
		}
	}
	if len(all) == 0 {
		return nil, nil
	}
	req := bleve.NewSearchRequestOptions(query.NewConjunctionQuery(all), limit*3, 0, false)
	res, err := s.idx.Search(req)
	if err != nil {
		return nil, err
	}
	return codeHits(res, limit), nil
}
