package lookup

import (
	"fmt"
	"strings"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/coding"
	"github.com/medcode/medcode/index"
)

// IndexPage is a main term of the Alphabetic Index with every subterm
// below it, in book order, for walking the index as a coder does.
type IndexPage struct {
	Main    string      `json:"main_term"`
	Release string      `json:"release"`
	Lines   []IndexLine `json:"lines"`
}

// IndexLine is one term of a page: the main term (Depth 0) or a subterm.
type IndexLine struct {
	Depth int    `json:"depth"`
	Text  string `json:"text"` // this level as printed, nonessential modifiers in parentheses
	Path  string `json:"path"` // "Main > subterm > subterm"
	// Printed is the code as the book prints it ("C79.8-"); Code is that
	// code in the release, or its nearest ancestor there when the release
	// no longer has it, with its Tabular title.
	Printed  string `json:"printed_code,omitempty"`
	Code     string `json:"code,omitempty"`
	Title    string `json:"title,omitempty"`
	Billable bool   `json:"billable,omitempty"`
	Manif    string `json:"manifestation,omitempty"`
	See      string `json:"see,omitempty"`
	SeeAlso  string `json:"see_also,omitempty"`
	SeeCat   string `json:"see_category,omitempty"`
}

// errNoTree is what a release without the Alphabetic Index tree answers.
func errNoTree(rel string) error {
	return coding.Errorf(coding.DoLoad+" PATH with the Alphabetic Index file (icd10cm_index_YYYY.xml) keeps it for walking",
		"%s holds no Alphabetic Index to walk", rel)
}

// IndexMain opens the Alphabetic Index at a main term ("Grippe, grippal",
// or its first words: "diabetes" opens "Diabetes, diabetic (mellitus)
// (sugar)"). found is false when the index has no such main term.
func IndexMain(cb *coding.Codebook, pick coding.Pick, main string) (page *IndexPage, found bool, err error) {
	rel, err := icdRelease(cb, pick)
	if err != nil {
		return nil, false, err
	}
	page, err = openPage(cb, rel, index.AlphaKey(main), true)
	return page, page != nil, err
}

func icdRelease(cb *coding.Codebook, pick coding.Pick) (string, error) {
	rel, _, err := cb.ReleaseFor(codeset.ICD10CM, pick)
	if err != nil {
		return "", err
	}
	if rel == nil {
		return "", coding.Errorf(coding.DoLoad+" PATH loads the ICD-10-CM files", "no ICD-10-CM release is loaded")
	}
	return rel.ID, nil
}

// openPage reads a main term's entries; nil when there is no such term.
func openPage(cb *coding.Codebook, rel, key string, near bool) (*IndexPage, error) {
	_, rows, stored, err := cb.Index().Alpha(rel, key, near)
	if err != nil {
		return nil, err
	}
	if !stored {
		return nil, errNoTree(rel)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	page := &IndexPage{Main: rows[0].Levels[0], Release: rel}
	// Rows are the book's entries that say something; a title with only
	// subterms below it is implied by their paths and shown as a line.
	seen := map[string]bool{}
	for _, r := range rows {
		for d := range r.Levels {
			path := strings.Join(r.Levels[:d+1], " > ")
			last := d == len(r.Levels)-1
			bare := r.Code == "" && r.See == "" && r.SeeAlso == "" && r.SeeCat == ""
			if seen[path] && (!last || bare) {
				continue
			}
			seen[path] = true
			ln := IndexLine{Depth: d, Text: r.Levels[d], Path: path}
			if last {
				ln.Printed, ln.Manif = r.Code, r.Manif
				ln.See, ln.SeeAlso, ln.SeeCat = r.See, r.SeeAlso, r.SeeCat
				if err := resolveLine(cb, rel, &ln); err != nil {
					return nil, err
				}
			}
			page.Lines = append(page.Lines, ln)
		}
	}
	return page, nil
}

// resolveLine finds a printed code in the release as the term buckets do:
// a code the release no longer has goes to its nearest ancestor.
func resolveLine(cb *coding.Codebook, rel string, ln *IndexLine) error {
	if ln.Printed == "" {
		return nil
	}
	code := strings.TrimRight(codeset.UndotICD(ln.Printed), "-")
	for code != "" {
		e, err := cb.Index().Get(rel, code)
		if err != nil {
			return err
		}
		if e != nil {
			ln.Code, ln.Title, ln.Billable = codeset.DotICD(code), e.Title, e.Billable
			return nil
		}
		code = codeset.ICDParent(code)
	}
	return nil
}

// IndexFollow opens the page a cross reference names ("see Fracture,
// femur, neck") and returns the line it points at: the deepest line whose
// subterms start with the reference's further parts, 0 (the main term)
// when none does. A main term may itself hold commas ("Discontinuity,
// ossicles, ear"), so the longest run of parts naming one is taken first.
func IndexFollow(cb *coding.Codebook, pick coding.Pick, ref string) (page *IndexPage, line int, err error) {
	rel, err := icdRelease(cb, pick)
	if err != nil {
		return nil, 0, err
	}
	parts := strings.Split(ref, ",")
	var sub []string
	for k := len(parts); k >= 1 && page == nil; k-- {
		if page, err = openPage(cb, rel, index.AlphaKey(strings.Join(parts[:k], ",")), false); err != nil {
			return nil, 0, err
		}
		sub = parts[k:]
	}
	if page == nil {
		if page, err = openPage(cb, rel, index.AlphaKey(parts[0]), true); err != nil {
			return nil, 0, err
		}
		sub = parts[1:]
	}
	if page == nil {
		return nil, 0, fmt.Errorf("the Alphabetic Index has no main term %q", strings.TrimSpace(parts[0]))
	}
	want := make([]string, len(sub))
	for i, p := range sub {
		want[i] = index.AlphaKey(p)
	}
	best, bestDepth := 0, 0
	for i, ln := range page.Lines {
		levels := strings.Split(ln.Path, " > ")[1:]
		if len(levels) > len(want) || len(levels) <= bestDepth {
			continue
		}
		ok := true
		for d, l := range levels {
			if !startsWord(index.AlphaKey(l), want[d]) {
				ok = false
				break
			}
		}
		if ok {
			best, bestDepth = i, len(levels)
		}
	}
	return page, best, nil
}

// startsWord reports whether a level begins with a reference's part as
// references abbreviate levels to their first words ("femur" names
// "femur, femoral").
func startsWord(level, part string) bool {
	if part == "" {
		return false
	}
	return level == part || strings.HasPrefix(level, part+" ") || strings.HasPrefix(level, part+",")
}

// IndexMainsOf names the main terms of the Alphabetic Index entries that
// lead to a code, in the order show lists them.
func IndexMainsOf(cb *coding.Codebook, pick coding.Pick, code string) ([]string, error) {
	rel, _, err := cb.ReleaseFor(codeset.ICD10CM, pick)
	if err != nil || rel == nil {
		return nil, err
	}
	norm, err := codeset.NormalizeICD(code)
	if err != nil {
		return nil, fmt.Errorf("%q is not an ICD-10-CM code", code)
	}
	terms, err := cb.Index().Terms(rel.ID, norm)
	if err != nil {
		return nil, err
	}
	var out []string
	seen := map[string]bool{}
	for _, t := range terms {
		if t.Book != codeset.BookDiseases {
			continue
		}
		main := t.Text
		if i := strings.Index(main, " > "); i >= 0 {
			main = main[:i]
		}
		if k := index.AlphaKey(main); !seen[k] {
			seen[k] = true
			out = append(out, main)
		}
	}
	return out, nil
}
