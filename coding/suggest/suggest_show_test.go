package suggest

import (
	"sync"
	"testing"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/coding"
	"github.com/medcode/medcode/coding/lookup"
	"github.com/medcode/medcode/index"
)

// TestSuggestionsAreCodes: every code suggest returns, and every
// completion it offers, is one show accepts, with its own title. The
// queries are the dev set's, and the short titles of every 60th
// ICD-10-CM code and every 25th HCPCS code, over two thousand in all,
// which reach headers and 7th-character families of every chapter.
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
		every := 60
		if sys == codeset.HCPCS {
			every = 25
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
	if len(queries) < 2000 {
		t.Fatalf("only %d queries", len(queries))
	}
	// What suggest said of each code, then show's word on each, asked
	// once per code.
	type said struct {
		query string
		sys   codeset.System
		code  string
		title string
	}
	var all []said
	seen := map[string]bool{}
	add := func(q string, sys codeset.System, code, title string) {
		if k := string(sys) + "/" + code + "/" + title; !seen[k] {
			seen[k] = true
			all = append(all, said{q, sys, code, title})
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
			add(q, r.System, r.Code, r.Title)
			for _, c := range r.Completions {
				add(q, c.System, c.Code, c.Title)
			}
		}
	}
	shown := make([]string, len(all))
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(all); i += 2 {
				views, err := lookup.Show(cb, []string{all[i].code}, lookup.ShowOptions{System: all[i].sys})
				if err != nil {
					errs <- err
					return
				}
				shown[i] = "(not accepted by show)"
				if len(views) == 1 && views[0].Found && views[0].Code == all[i].code {
					shown[i] = views[0].Title
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
	bad := 0
	for i, s := range all {
		if shown[i] != s.title {
			if bad++; bad <= 20 {
				t.Errorf("%q: suggests %s %q; show says %q", s.query, s.code, s.title, shown[i])
			}
		}
	}
	t.Logf("%d queries, %d suggestions, %d distinct codes checked with show, %d wrong", len(queries), n, len(all), bad)
}
