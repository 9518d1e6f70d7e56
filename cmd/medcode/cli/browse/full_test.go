package browse

import (
	"strings"
	"testing"

	"github.com/medcode/medcode/coding"
	"github.com/medcode/medcode/coding/codingtest"
	"github.com/medcode/medcode/coding/lookup"
)

// full drives the browser over the official files.
func full(t testing.TB, query string) *driver {
	t.Helper()
	return newDriver(t, codingtest.FullIndex(t), coding.Pick{}, query)
}

// The FY2017 Alphabetic Index has "Grippe, grippal (see also Influenza)"
// with "summer, of Italy A93.1" below; suggest finds A93.1 for "grippe"
// through it.
func TestIndexWalk(t *testing.T) {
	dr := full(t, "grippe")
	at := -1
	for i, r := range dr.m.results {
		if r.Code == "A93.1" && strings.Contains(r.Why, "Grippe, grippal") {
			at = i
		}
	}
	if at < 0 {
		t.Fatalf("no A93.1 through Grippe, grippal in %+v", dr.m.results)
	}
	dr.keys("tab")
	for dr.m.sel < at {
		dr.keys("down")
	}
	dr.keys("i")
	p := dr.m.right
	if p.view != viewIndex || p.index == nil {
		t.Fatalf("no Index pane: %+v (%v)", p.view, p.err)
	}
	if p.index.Main != "Grippe, grippal" || p.index.Lines[p.indexAt].Code != "A93.1" {
		t.Fatalf("opened %q at %+v", p.index.Main, p.index.Lines[p.indexAt])
	}
	views, err := lookup.Show(dr.m.d.cb, []string{"A93.1"}, lookup.ShowOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f := dr.frame()
	for _, want := range []string{"Grippe, grippal see also Influenza", "- summer, of Italy A93.1", "→ A93.1 " + views[0].Title} {
		if !strings.Contains(f, want) {
			t.Errorf("frame lacks %q:\n%s", want, f)
		}
	}
	// Up to the main term; Enter follows its see also.
	for dr.m.right.indexAt > 0 {
		dr.keys("up")
	}
	dr.keys("enter")
	if ix := dr.m.right.index; ix == nil || !strings.HasPrefix(ix.Main, "Influenza") {
		t.Fatalf("see also Influenza led to %+v (%v)", ix, dr.m.right.err)
	}
	// Back to Grippe, and down to the term's code in the Tabular.
	dr.keys("esc")
	if dr.m.right.index.Main != "Grippe, grippal" {
		t.Fatalf("Esc went back to %q", dr.m.right.index.Main)
	}
	for dr.m.right.index.Lines[dr.m.right.indexAt].Code != "A93.1" {
		dr.keys("down")
	}
	dr.keys("enter")
	if dr.m.right.view != viewDetail || dr.m.right.code != "A93.1" {
		t.Fatalf("Enter opened %+v", dr.m.right.code)
	}
	if f := dr.frame(); !strings.Contains(f, "A93.1  "+views[0].Title) {
		t.Errorf("detail lacks show's title line:\n%s", f)
	}
}

// --date picks the release and the tray is checked for that day.
func TestDateShownAndUsed(t *testing.T) {
	dr := newDriver(t, codingtest.FullIndex(t), coding.Pick{Date: day(t, "2026-03-02")}, "e119")
	if !strings.Contains(dr.frame(), "on 2026-03-02") {
		t.Errorf("header lacks the date:\n%s", dr.frame())
	}
	if !strings.Contains(strings.Join(dr.m.right.lines, "\n"), "on 2026-03-02") {
		t.Errorf("detail lacks show's validity line:\n%s", strings.Join(dr.m.right.lines, "\n"))
	}
}
