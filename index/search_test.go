package index

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// bleveSearchTerms is what SearchTerms computes, asked of bleve's own
// searcher: a disjunction of term queries over the text fields.
func bleveSearchTerms(tb testing.TB, ix *Index, release string, terms []WeightedTerm, limit int) []Hit {
	tb.Helper()
	s, err := ix.searcher(release)
	if err != nil {
		tb.Fatal(err)
	}
	var qs []query.Query
	for _, t := range terms {
		for _, f := range textFields {
			q := query.NewTermQuery(t.Term)
			q.SetField(f.name)
			q.SetBoost(t.Boost * f.boost)
			qs = append(qs, q)
		}
	}
	res, err := s.idx.Search(bleve.NewSearchRequestOptions(query.NewDisjunctionQuery(qs), limit*3, 0, false))
	if err != nil {
		tb.Fatal(err)
	}
	return codeHits(res, limit)
}

// sameHits compares two rankings: the same codes with the same scores, in
// the same order except among equal scores, whose order neither promises.
// A run of equal scores at the end may hold different codes: the cut
// falls inside it.
func sameHits(tb testing.TB, what string, got, want []Hit) {
	tb.Helper()
	if len(got) != len(want) {
		tb.Errorf("%s: %d hits, bleve has %d", what, len(got), len(want))
		return
	}
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }
	for i := 0; i < len(got); {
		// A run of equal scores in bleve's order.
		j := i + 1
		for j < len(want) && near(want[j].Score, want[i].Score) {
			j++
		}
		codes := map[string]bool{}
		for _, h := range want[i:j] {
			codes[h.Code] = true
		}
		last := j == len(want)
		for _, h := range got[i:j] {
			if !codes[h.Code] && !last || !near(h.Score, want[i].Score) {
				tb.Errorf("%s: hit %d is %s %.6f, bleve has %v", what, i, h.Code, h.Score, want[i:j])
				return
			}
		}
		i = j
	}
}

func TestSearchTermsAsBleve(t *testing.T) {
	ix := mustOpen(t, fixtureIndex(t))
	checkSearchTerms(t, ix, rel26)
}

func checkSearchTerms(t *testing.T, ix *Index, release string) {
	t.Helper()
	cases := [][]WeightedTerm{
		{{"diabet", 1}},
		{{"diabet", 1.5}, {"neuropathi", 1}, {"type", 0.4}},
		{{"fractur", 1}, {"femur", 2}, {"left", 0.3}, {"nosuchword", 1}},
		{{"nosuchword", 1}},
	}
	for _, terms := range cases {
		for _, limit := range []int{1, 5, 120} {
			got, err := ix.SearchTerms(release, terms, limit)
			if err != nil {
				t.Fatal(err)
			}
			sameHits(t, termsString(terms), got, bleveSearchTerms(t, ix, release, terms, limit))
		}
	}
}

func termsString(ts []WeightedTerm) string {
	s := ""
	for _, t := range ts {
		s += t.Term + " "
	}
	return s
}

// codeHits keeps each code's best document.
func codeHits(res *bleve.SearchResult, limit int) []Hit {
	out := make([]Hit, 0, limit)
	seen := map[string]bool{}
	for _, h := range res.Hits {
		code := codeOfDoc(h.ID)
		if seen[code] {
			continue
		}
		seen[code] = true
		out = append(out, Hit{Code: code, Score: h.Score})
		if len(out) == limit {
			break
		}
	}
	return out
}

// bleveSearchAll is what SearchAll computes, asked of bleve's own searcher.
func bleveSearchAll(tb testing.TB, ix *Index, release string, groups []TermGroup, limit int) []Hit {
	tb.Helper()
	s, err := ix.searcher(release)
	if err != nil {
		tb.Fatal(err)
	}
	field := func(t string, boost float64) query.Query {
		var qs []query.Query
		for _, f := range textFields {
			q := query.NewTermQuery(t)
			q.SetField(f.name)
			q.SetBoost(boost * f.boost)
			qs = append(qs, q)
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
		if len(alts) == 1 {
			all = append(all, alts[0])
		} else if len(alts) > 1 {
			all = append(all, query.NewDisjunctionQuery(alts))
		}
	}
	res, err := s.idx.Search(bleve.NewSearchRequestOptions(query.NewConjunctionQuery(all), limit*3, 0, false))
	if err != nil {
		tb.Fatal(err)
	}
	return codeHits(res, limit)
}

func checkSearchAll(t *testing.T, ix *Index, release string) {
	t.Helper()
	cases := [][]TermGroup{
		{{Alts: [][]string{{"diabet"}}, Boost: 1}},
		{{Alts: [][]string{{"diabet"}}, Boost: 1.5}, {Alts: [][]string{{"type"}, {"kidnei", "diseas"}}, Boost: 0.5}},
		{{Alts: [][]string{{"malign"}}, Boost: 1}, {Alts: [][]string{{"neoplasm"}}, Boost: 0.8}, {Alts: [][]string{{"left"}}, Boost: 0.3}, {Alts: [][]string{{"lower", "limb"}, {"leg"}}, Boost: 1}},
		{{Alts: [][]string{{"fractur"}}, Boost: 1}, {Alts: [][]string{{"nosuchword"}}, Boost: 1}},
	}
	for _, groups := range cases {
		for _, limit := range []int{1, 5, 60} {
			got, err := ix.SearchAll(release, groups, limit)
			if err != nil {
				t.Fatal(err)
			}
			sameHits(t, fmt.Sprint(groups), got, bleveSearchAll(t, ix, release, groups, limit))
		}
	}
}

func TestSearchAllAsBleve(t *testing.T) {
	ix := mustOpen(t, fixtureIndex(t))
	checkSearchAll(t, ix, rel26)
}

func TestNthBest(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 200; trial++ {
		cands := make([]docScore, rng.IntN(50))
		for i := range cands {
			cands[i] = docScore{doc: uint64(i), score: float64(rng.IntN(10))}
		}
		n := 1 + rng.IntN(20)
		scores := make([]float64, len(cands))
		for i, c := range cands {
			scores[i] = c.score
		}
		sort.Sort(sort.Reverse(sort.Float64Slice(scores)))
		want := math.Inf(-1)
		if len(scores) >= n {
			want = scores[n-1]
		}
		if got := nthBest(cands, n); got != want {
			t.Fatalf("nthBest(%v, %d) = %v, want %v", scores, n, got, want)
		}
	}
}
