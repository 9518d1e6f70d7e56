package suggest

import (
	"os"
	"sort"
	"testing"

	"github.com/medcode/medcode/coding"
	"github.com/medcode/medcode/coding/codingtest"

	"github.com/blevesearch/bleve/v2"
	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/index"
)

// TestSuggestBaseline scores the development set with what the issue calls
// the plain approach, a bleve match query over the titles with the default
// analyzer, so our figures can be read against it. It builds a title index
// of its own, which takes a while; set MEDCODE_EVAL_BASELINE=1 to run it.
func TestSuggestBaseline(t *testing.T) {
	if os.Getenv("MEDCODE_EVAL_BASELINE") == "" {
		t.Skip("set MEDCODE_EVAL_BASELINE=1 to score the plain title search")
	}
	dir := codingtest.FullIndex(t)
	cb, err := coding.OpenCodebook(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close()
	bix, err := bleve.NewMemOnly(bleve.NewIndexMapping())
	if err != nil {
		t.Fatal(err)
	}
	defer bix.Close()
	batch := bix.NewBatch()
	for _, sys := range []codeset.System{codeset.ICD10CM, codeset.HCPCS} {
		rel, _, err := cb.ReleaseFor(sys, coding.Pick{})
		if err != nil || rel == nil {
			t.Fatalf("no %s release: %v", sys, err)
		}
		err = cb.Index().ForEach(rel.ID, func(e *index.Entry) error {
			if e.HCPCS != nil && e.HCPCS.IsModifier {
				return nil
			}
			return batch.Index(displayCode(e.System, e.Code), map[string]string{"title": e.Title})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := bix.Batch(batch); err != nil {
		t.Fatal(err)
	}
	type tally struct{ n, top1, top10 int }
	byKind := map[string]*tally{}
	rows := readDevSet(t)
	// The title evaluation's queries too (TestSuggestTitles).
	for _, e := range titleSample(t, cb) {
		want := []string{displayCode(e.System, e.Code)}
		rows = append(rows, devRow{kind: "title", query: e.Title, codes: want})
		if p := plainWording(e.Title); p != e.Title {
			rows = append(rows, devRow{kind: "plain wording", query: p, codes: want})
		}
		if e.Short != "" && e.Short != e.Title {
			rows = append(rows, devRow{kind: "short title", query: e.Short, codes: want})
		}
	}
	for _, r := range rows {
		q := bleve.NewMatchQuery(r.query)
		req := bleve.NewSearchRequestOptions(q, 10, 0, false)
		sr, err := bix.Search(req)
		if err != nil {
			t.Fatal(err)
		}
		res := &Result{}
		for _, h := range sr.Hits {
			res.Results = append(res.Results, Suggestion{Code: h.ID})
		}
		k := byKind[r.kind]
		if k == nil {
			k = &tally{}
			byKind[r.kind] = k
		}
		k.n++
		rank := rankOf(res, r.codes)
		if rank == 1 {
			k.top1++
		}
		if rank >= 1 {
			k.top10++
		}
	}
	kinds := make([]string, 0, len(byKind))
	for k := range byKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		v := byKind[k]
		t.Logf("baseline %-7s n=%3d  top1 %5.1f%%  top10 %5.1f%%", k, v.n, 100*float64(v.top1)/float64(v.n), 100*float64(v.top10)/float64(v.n))
	}
}
