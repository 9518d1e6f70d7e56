package browse

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/coding"
	"github.com/medcode/medcode/coding/claims"
	"github.com/medcode/medcode/coding/lookup"
	"github.com/medcode/medcode/coding/suggest"
	"github.com/medcode/medcode/coding/validate"
)

// domain is what the browser asks of coding/...: every answer it shows
// comes from here, computed off the UI goroutine by the commands in
// query.go.
type domain struct {
	cb   *coding.Codebook
	sg   *suggest.Suggester
	pick coding.Pick

	// One search runs at a time, and one that a newer keystroke made
	// stale by the time it may run is skipped, so the newest query never
	// queues behind the ones typed before it.
	searchMu sync.Mutex
	latest   atomic.Uint64

	valMu sync.Mutex // a Validator is not safe for concurrent use
	val   *validate.Validator
}

// resultLimit is how many results the list holds; it scrolls.
const resultLimit = 30

// result is one line of the result list.
type result struct {
	Code     string
	System   codeset.System
	Title    string
	Billable bool
	Why      string
}

type searchAnswer struct {
	query    string
	results  []result
	notFound bool
	warnings []string
	jump     bool // the query is a code, shown at once
	err      error
}

// search answers a query: a typed code is looked up, anything else goes
// to suggest's ranking. ok is false when a newer query made it stale.
func (d *domain) search(seq uint64, q string) (ans searchAnswer, ok bool) {
	d.searchMu.Lock()
	defer d.searchMu.Unlock()
	if d.latest.Load() != seq {
		return ans, false
	}
	ans.query = q
	q = strings.TrimSpace(q)
	if q == "" {
		return ans, true
	}
	if !strings.ContainsAny(q, " \t") {
		views, err := lookup.Show(d.cb, []string{q}, lookup.ShowOptions{Pick: d.pick})
		if err != nil {
			ans.err = err
			return ans, true
		}
		for _, v := range views {
			if v.Found {
				ans.jump = true
				ans.results = append(ans.results, result{Code: v.Code, System: v.System, Title: v.Title, Billable: v.Billable, Why: "typed code"})
			}
		}
		if ans.jump {
			return ans, true
		}
	}
	res, err := d.sg.Suggest(q, suggest.Options{Limit: resultLimit, Pick: d.pick})
	if err != nil {
		ans.err = err
		return ans, true
	}
	for _, r := range res.Results {
		ans.results = append(ans.results, result{Code: r.Code, System: r.System, Title: r.Title, Billable: r.Billable, Why: r.Why})
	}
	ans.notFound, ans.warnings = res.NotFound, res.Warnings
	return ans, true
}

// show is everything show says about a code of a system.
func (d *domain) show(code string, sys codeset.System) ([]*lookup.CodeView, error) {
	return lookup.Show(d.cb, []string{code}, lookup.ShowOptions{System: sys, Pick: d.pick})
}

// indexFor opens the Alphabetic Index at the main term behind a code, the
// one suggest's why names when it names one, and returns the line leading
// to the code.
func (d *domain) indexFor(code, why string) (*lookup.IndexPage, int, error) {
	// The index often names a code only to the level a 7th character or
	// a subcategory completes ("S72.00-"): its entries are the parent's.
	var mains []string
	var err error
	named := code // the code the entries name
	for c := codeset.UndotICD(code); c != "" && len(mains) == 0; c = codeset.ICDParent(c) {
		if mains, err = lookup.IndexMainsOf(d.cb, d.pick, c); err != nil {
			return nil, 0, err
		}
		named = codeset.DotICD(c)
	}
	if len(mains) == 0 {
		// An index with no Alphabetic Index tree says so, with its hint.
		if _, _, err := lookup.IndexMain(d.cb, d.pick, code); err != nil {
			return nil, 0, err
		}
		return nil, 0, fmt.Errorf("no Alphabetic Index entry leads to %s", code)
	}
	main := mains[0]
	for _, mt := range mains {
		if strings.Contains(why, mt) {
			main = mt
			break
		}
	}
	page, found, err := lookup.IndexMain(d.cb, d.pick, main)
	if err != nil {
		return nil, 0, err
	}
	if !found {
		return nil, 0, fmt.Errorf("the Alphabetic Index has no main term %q", mains[0])
	}
	at := -1
	for i, ln := range page.Lines {
		if ln.Code != named {
			continue
		}
		if at < 0 || strings.Contains(why, ln.Path) {
			at = i
		}
	}
	return page, max(at, 0), nil
}

// follow opens the entry a see or see also reference names.
func (d *domain) follow(ref string) (*lookup.IndexPage, int, error) {
	return lookup.IndexFollow(d.cb, d.pick, ref)
}

// check validates the tray as one claim: diagnoses in the order added,
// HCPCS codes as one-unit service lines.
func (d *domain) check(tray []result) (*validate.Report, error) {
	c := &claims.Claim{Date: d.pick.Date, Dx: []string{}}
	for _, t := range tray {
		if t.System == codeset.HCPCS {
			c.Px = append(c.Px, claims.Procedure{Code: t.Code, Units: 1})
			continue
		}
		c.Dx = append(c.Dx, t.Code)
	}
	d.valMu.Lock()
	defer d.valMu.Unlock()
	return d.val.Validate(c)
}
