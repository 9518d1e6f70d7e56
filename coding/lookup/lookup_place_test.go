package lookup

import (
	"bytes"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/codeset/officialtest"
	"github.com/medcode/medcode/coding"
)

// want is where the Tabular XML prints a code.
type want struct {
	chapter  string
	sections []string // outermost first
}

// TestPathsFollowTheTabular walks the whole Tabular XML: every code it
// prints that the release has shows the path the XML nests it in, each
// level once, its block the section that prints its category, the
// headings over it those that group that block, and no note twice.
func TestPathsFollowTheTabular(t *testing.T) {
	tab, err := codeset.ParseTabular(bytes.NewReader(officialtest.File(t, "cdc-icd10cm-xml/icd10cm_tabular_2021.xml")), "icd10cm_tabular_2021.xml")
	if err != nil {
		t.Fatal(err)
	}
	cb := fullBook(t)
	wants := map[string]want{}
	var codes []string
	for _, ch := range tab.Chapters {
		byID := map[string]*codeset.TabularSection{}
		for _, s := range ch.Sections {
			byID[s.ID] = s
		}
		for _, s := range ch.Sections {
			if len(s.Diags) == 0 {
				continue
			}
			secs := []string{s.ID}
			for h := byID[s.Within]; h != nil; h = byID[h.Within] {
				// A heading prints no categories and its range spans the block.
				if len(h.Diags) != 0 || s.First < h.First || s.Last > h.Last {
					t.Errorf("%s is under %s, which is no heading spanning it", s.ID, h.ID)
				}
				secs = append([]string{h.ID}, secs...)
			}
			var walk func(d *codeset.TabularDiag)
			walk = func(d *codeset.TabularDiag) {
				wants[d.Code] = want{ch.Num, secs}
				codes = append(codes, d.Code)
				for _, c := range d.Children {
					walk(c)
				}
			}
			for _, d := range s.Diags {
				walk(d)
			}
		}
	}
	if len(codes) != tab.Diags {
		t.Fatalf("walked %d codes, the Tabular has %d", len(codes), tab.Diags)
	}
	// Two workers: the walk is most of this package's test time.
	var checked atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(codes) && !t.Failed(); i += 2 {
				if checkPath(t, cb, codes[i], wants[codes[i]]) {
					checked.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if checked := checked.Load(); checked < 40000 {
		t.Errorf("only %d codes checked", checked)
	}
	t.Logf("%d codes of the Tabular checked", checked.Load())
}

// checkPath checks one code's path and notes against where the Tabular
// prints it; false when the release no longer has the code.
func checkPath(t *testing.T, cb *coding.Codebook, code string, w want) bool {
	views, err := Show(cb, []string{code}, ShowOptions{System: codeset.ICD10CM})
	if err != nil {
		t.Error(err)
		return false
	}
	v := views[0]
	if !v.Found {
		return false // deleted since 2021
	}
	var got []string
	seen := map[string]bool{}
	levels := map[string]bool{}
	for _, p := range v.Path {
		step := p.Level + " " + p.Code
		if seen[step] {
			t.Errorf("%s: %s twice in the path", code, step)
		}
		seen[step] = true
		levels[p.From()] = true
		switch p.Level {
		case "chapter":
			if p.Code != w.chapter {
				t.Errorf("%s: chapter %s, want %s", code, p.Code, w.chapter)
			}
		case "heading", "block":
			got = append(got, p.Code)
		}
	}
	if strings.Join(got, " > ") != strings.Join(w.sections, " > ") {
		t.Errorf("%s: sections %v, want %v", code, got, w.sections)
	}
	if last := v.Path[len(v.Path)-1]; last.Code != codeset.DotICD(code) || last.Level != "code" {
		t.Errorf("%s: path ends at %s %s", code, last.Level, last.Code)
	}
	notes := map[string]bool{}
	for _, n := range v.Notes {
		origin := n.Level + " " + n.From
		if n.Level == "chapter" {
			origin = n.From
		}
		if !levels[origin] {
			t.Errorf("%s: a note from %s %s, which is not on its path", code, n.Level, n.From)
		}
		for _, text := range n.Text {
			k := n.Kind + ": " + text
			if notes[k] {
				t.Errorf("%s: note shown twice: %s", code, k)
			}
			notes[k] = true
		}
	}
	return true
}

// TestPlacesOfLetteredCategories are the cases the Tabular's order and
// the alphabet disagree on.
func TestPlacesOfLetteredCategories(t *testing.T) {
	cb := fullBook(t)
	for code, want := range map[string]string{
		"Z3A.39":   "chapter 21 > Z30-Z39 > Z3A > Z3A.3 > Z3A.39",
		"M1A.0710": "chapter 13 > M00-M25 > M05-M14 > M1A > M1A.0 > M1A.07 > M1A.071 > M1A.0710",
		"C4A.0":    "chapter 2 > C00-C96 > C00-C75 > C43-C44 > C4A > C4A.0",
		"D3A.010":  "chapter 2 > D3A > D3A > D3A.0 > D3A.01 > D3A.010",
		"T36.0X1A": "chapter 19 > T07-T88 > T36-T50 > T36 > T36.0 > T36.0X > T36.0X1 > T36.0X1A",
		// Newer than the 2021 Tabular: beside I16, the category before it.
		"I1A.0": "chapter 9 > I10-I16 > I1A > I1A.0",
	} {
		views, err := Show(cb, []string{code}, ShowOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var steps []string
		for _, p := range views[0].Path {
			steps = append(steps, p.From())
		}
		got := strings.Join(steps, " > ")
		got = strings.NewReplacer("heading ", "", "block ", "", "category ", "", "subcategory ", "", "code ", "").Replace(got)
		if got != want {
			t.Errorf("%s: path %s\nwant %s", code, got, want)
		}
		placedBeside := strings.Contains(strings.Join(views[0].Warnings, "\n"), "does not print category")
		if placedBeside != (code == "I1A.0") {
			t.Errorf("%s: warnings %q", code, views[0].Warnings)
		}
	}
}
