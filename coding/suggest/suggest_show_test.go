package suggest

import (
	"testing"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/coding"
	"github.com/medcode/medcode/coding/lookup"
	"github.com/medcode/medcode/index"
)

// TestSuggestionsAreCodes: every code suggest returns, and every
// completion it offers, is one show accepts, with its own title. The
// queries are the dev set's, and the short titles of every 50th
// ICD-10-CM code and every 20th HCPCS code, a few thousand in all, which
// reach headers and 7th-character families of every chapter.
func TestSuggestionsAreCodes(t *testing.T) {
	sg, cb := fullSuggester(t)
	var queries []string
	for _, r := range readDevSet(t) {
		queries = append(queries, r.query)
	}
	for _, sys := range []codeset.System{codeset.ICD10CM, codeset.HCPCS} {
		rel, _, err := cb.ReleaseFor(sys, coding.Pick{})
		if err != nil || rel == nil {
			t.Fatalf("no %s release: %v", sys, err)
		}
		every := 50
		if sys == codeset.HCPCS {
			every = 20
		}
		i := 0
		err = cb.Index().ForEach(rel.ID, func(e *index.Entry) error {
			if i++; i%every == 0 && e.Short != "" {
				queries = append(queries, e.Short)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(queries) < 2500 {
		t.Fatalf("only %d queries", len(queries))
	}
	titles := map[string]string{} // system/code -> title show gives
	check := func(q string, sys codeset.System, code, title string) {
		key := string(sys) + "/" + code
		got, ok := titles[key]
		if !ok {
			views, err := lookup.Show(cb, []string{code}, lookup.ShowOptions{System: sys})
			if err != nil {
				t.Fatal(err)
			}
			if len(views) == 1 && views[0].Found && views[0].Code == code {
				got = views[0].Title
			} else {
				got = "(not accepted by show)"
			}
			titles[key] = got
		}
		if got != title {
			t.Errorf("%q: suggests %s %q; show says %q", q, code, title, got)
		}
	}
	n := 0
	for _, q := range queries {
		res, err := sg.Suggest(q, Options{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Results {
			n++
			check(q, r.System, r.Code, r.Title)
			for _, c := range r.Completions {
				check(q, c.System, c.Code, c.Title)
			}
		}
		if t.Failed() {
			break
		}
	}
	t.Logf("%d queries, %d suggestions, %d distinct codes checked with show", len(queries), n, len(titles))
}
