package lookup

import (
	"slices"
	"strings"
	"testing"

	"github.com/medcode/medcode/coding"
	"github.com/medcode/medcode/coding/codingtest"
)

func fullBook(t *testing.T) *coding.Codebook {
	t.Helper()
	cb, err := coding.OpenCodebook(codingtest.FullIndex(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cb.Close() })
	return cb
}

func lineAt(p *IndexPage, path string) *IndexLine {
	for i := range p.Lines {
		if p.Lines[i].Path == path {
			return &p.Lines[i]
		}
	}
	return nil
}

// The FY2017 Alphabetic Index prints "Grippe, grippal - see also
// Influenza", with Balkan A78 and summer, of Italy A93.1 below.
func TestIndexMainWalksSubterms(t *testing.T) {
	cb := fullBook(t)
	p, found, err := IndexMain(cb, coding.Pick{}, "grippe, grippal")
	if err != nil || !found {
		t.Fatalf("found %v, err %v", found, err)
	}
	if p.Main != "Grippe, grippal" || p.Lines[0].SeeAlso != "Influenza" {
		t.Fatalf("main line %+v", p.Lines[0])
	}
	ln := lineAt(p, "Grippe, grippal > Balkan")
	if ln == nil || ln.Printed != "A78" || ln.Code != "A78" || ln.Depth != 1 {
		t.Fatalf("Balkan line %+v", ln)
	}
	// The title is the Tabular's, as show gives it.
	views, err := Show(cb, []string{"A78"}, ShowOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ln.Title != views[0].Title || ln.Title == "" {
		t.Errorf("title %q, show says %q", ln.Title, views[0].Title)
	}
	if lineAt(p, "Grippe, grippal > summer, of Italy") == nil {
		t.Error("summer, of Italy missing")
	}
}

// A main term's first words find it: "Diabetes" is printed "Diabetes,
// diabetic (mellitus) (sugar)".
func TestIndexMainByFirstWords(t *testing.T) {
	cb := fullBook(t)
	p, found, err := IndexMain(cb, coding.Pick{}, "Diabetes")
	if err != nil || !found {
		t.Fatalf("found %v, err %v", found, err)
	}
	if !strings.HasPrefix(p.Main, "Diabetes, diabetic") {
		t.Errorf("main %q", p.Main)
	}
	if _, found, err := IndexMain(cb, coding.Pick{}, "no such term at all"); found || err != nil {
		t.Errorf("found %v, err %v", found, err)
	}
}

// "see Discontinuity, ossicles, ear" and "see Fracture, pathological" name
// main terms that hold commas; "see Abnormal, specimen, specified" names a
// subterm two levels below "Abnormal, abnormality, abnormalities".
func TestIndexFollow(t *testing.T) {
	cb := fullBook(t)
	for _, c := range []struct{ ref, main, at string }{
		{"Discontinuity, ossicles, ear", "Discontinuity, ossicles, ear", "Discontinuity, ossicles, ear"},
		{"Fracture, pathological", "Fracture, pathological (pathologic)", "Fracture, pathological (pathologic)"},
		{"Abnormal, specimen, specified", "Abnormal, abnormality, abnormalities", "Abnormal, abnormality, abnormalities > specimen > specified organ, system and tissue NOS"},
	} {
		p, at, err := IndexFollow(cb, coding.Pick{}, c.ref)
		if err != nil {
			t.Fatal(err)
		}
		if p.Main != c.main || p.Lines[at].Path != c.at {
			t.Errorf("%s: main %q, at %q", c.ref, p.Main, p.Lines[at].Path)
		}
	}
}

func TestIndexMainsOf(t *testing.T) {
	cb := fullBook(t)
	mains, err := IndexMainsOf(cb, coding.Pick{}, "A78")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(mains, "Grippe, grippal") {
		t.Errorf("mains of A78: %q", mains)
	}
}

// The sample has no Alphabetic Index: the answer says so and how to fix
// it rather than showing an empty page.
func TestIndexMainWithoutTree(t *testing.T) {
	cb, err := coding.OpenCodebook(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close()
	_, _, err = IndexMain(cb, coding.Pick{}, "Diabetes")
	if h, ok := coding.HintOf(err); err == nil || !ok || h == "" {
		t.Errorf("err %v, hint %q", err, h)
	}
}
