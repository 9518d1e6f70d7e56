package lookup

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/medcode/medcode/coding"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/index"
)

// ShowOptions narrows a look-up.
type ShowOptions struct {
	// System limits the look-up to one code system; "" tries each system
	// the input could belong to.
	System codeset.System
	coding.Pick
}

// echoLimit is how much of an input an answer repeats.
const echoLimit = 40

// echo is an input cut to echoLimit bytes (on a character boundary).
func echo(s string) string {
	if len(s) <= echoLimit {
		return s
	}
	cut := echoLimit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

// nearestLimit caps the codes offered for an invalid or header input.
const nearestLimit = 12

// Show looks codes up. Each input gives one view per system it was found in;
// an input found nowhere gives one view that says why and what is near.
func Show(cb *coding.Codebook, inputs []string, opt ShowOptions) ([]*CodeView, error) {
	var out []*CodeView
	for _, in := range inputs {
		vs, err := show(cb, in, opt)
		if err != nil {
			return nil, err
		}
		out = append(out, vs...)
	}
	return out, nil
}

func show(cb *coding.Codebook, input string, opt ShowOptions) ([]*CodeView, error) {
	if strings.TrimSpace(input) == "" {
		return []*CodeView{{Input: input, Problem: "empty code"}}, nil
	}
	if len(input) > echoLimit {
		// No code is that long; the input is not echoed in full.
		e := echo(input)
		return []*CodeView{{Input: e, Problem: fmt.Sprintf("%q is not a code: %d characters long", e, len(input))}}, nil
	}
	if t := strings.TrimSpace(input); strings.HasSuffix(t, "-") && opt.System != codeset.HCPCS && codeset.LooksLikeICD(strings.TrimSuffix(t, "-")) {
		return showPattern(cb, input, opt)
	}
	systems := candidateSystems(input, opt.System)
	if len(systems) == 0 {
		v := &CodeView{Input: input, Problem: shapeProblem(input, opt.System)}
		return []*CodeView{v}, nil
	}
	var found, missing []*CodeView
	var relErr error
	for _, sys := range systems {
		rel, note, err := cb.ReleaseFor(sys, opt.Pick)
		if err != nil {
			// "--release 2026" names an ICD-10-CM release; it is no error
			// that HCPCS has no 2026 when the input is also an ICD code.
			if relErr == nil {
				relErr = err
			}
			continue
		}
		if rel == nil {
			continue
		}
		var v *CodeView
		if sys == codeset.HCPCS {
			v, err = showHCPCS(cb, input, rel, opt.Date)
		} else {
			v, err = showICD(cb, input, rel, opt.Date)
		}
		if err != nil {
			return nil, err
		}
		// The validity says the same as the note when no release covers
		// the date.
		if note != "" && (v.Validity == nil || v.Validity.Status != StatusUnknown) {
			v.Warnings = append(v.Warnings, note)
		}
		if v.Found {
			found = append(found, v)
		} else {
			missing = append(missing, v)
		}
	}
	if len(found) > 0 {
		return found, nil
	}
	if len(missing) == 0 {
		if relErr != nil {
			return nil, relErr
		}
		if opt.Release != "" {
			return nil, fmt.Errorf("release %s is not a release of %s", opt.Release, systemsName(systems))
		}
		return []*CodeView{{Input: input, Problem: fmt.Sprintf("no %s release is loaded", systemsName(systems))}}, nil
	}
	// Not found anywhere: the system whose answer offers codes is the
	// likelier one; show the first such answer only.
	for _, v := range missing {
		if len(v.Nearest) > 0 {
			return []*CodeView{v}, nil
		}
	}
	return missing[:1], nil
}

func systemsName(ss []codeset.System) string {
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = string(s)
	}
	return strings.Join(names, " or ")
}

// candidateSystems tells which code systems an input could be a code of.
// "J1100" is both an HCPCS code and, undotted, ICD-10-CM J11.00: both are
// looked up and each answer is labelled, so the two are never confused.
func candidateSystems(input string, only codeset.System) []codeset.System {
	icd := (only == "" || only == codeset.ICD10CM) && codeset.LooksLikeICD(input)
	hcpcs := (only == "" || only == codeset.HCPCS) && codeset.HCPCSShaped(input)
	switch {
	case icd && hcpcs:
		// Undotted, a letter and four digits reads first as HCPCS, which
		// is always written that way; a dotted code is never HCPCS.
		return []codeset.System{codeset.HCPCS, codeset.ICD10CM}
	case icd:
		return []codeset.System{codeset.ICD10CM}
	case hcpcs:
		return []codeset.System{codeset.HCPCS}
	}
	return nil
}

func shapeProblem(input string, only codeset.System) string {
	if only == codeset.HCPCS {
		return fmt.Sprintf("%q is not an HCPCS code: HCPCS Level II codes are a letter and four digits (J1100), modifiers two characters (LT)", input)
	}
	if _, err := codeset.NormalizeICD(input); err != nil {
		return err.Error()
	}
	return fmt.Sprintf("%q is not a code", input)
}

func showICD(cb *coding.Codebook, input string, rel *index.ReleaseInfo, date time.Time) (*CodeView, error) {
	code, err := codeset.NormalizeICD(input)
	if err != nil {
		return &CodeView{Input: input, System: codeset.ICD10CM, Problem: err.Error()}, nil
	}
	ix := cb.Index()
	v := &CodeView{Input: input, System: codeset.ICD10CM, Release: rel.ID, Code: codeset.DotICD(code)}
	e, err := ix.Get(rel.ID, code)
	if err != nil {
		return nil, err
	}
	if e == nil {
		v.Problem = fmt.Sprintf("%s is not a code in %s", codeset.DotICD(code), rel.Release)
		if len(code) == 6 && strings.HasSuffix(code, "X") {
			v.Problem += fmt.Sprintf("; its codes take a 7th character (%s- lists them)", codeset.DotICD(code))
		}
		if err := addDeletion(cb, v, code, date); err != nil {
			return nil, err
		}
		if !date.IsZero() {
			if v.Validity, err = icdValidity(cb, v, rel, code, date); err != nil {
				return nil, err
			}
		}
		return v, NearestICD(cb, v, rel.ID, code)
	}
	v.Found, v.Title, v.Short, v.Billable = true, e.Title, e.Short, e.Billable
	v.Kind = "header"
	if e.Billable {
		v.Kind = "billable"
	}
	if err := addDeletion(cb, v, code, date); err != nil {
		return nil, err
	}
	chain, err := ancestors(cb, rel.ID, code)
	if err != nil {
		return nil, err
	}
	if err := placeICD(cb, v, rel, code, chain); err != nil {
		return nil, err
	}
	if !e.Billable {
		kids, err := ix.Children(rel.ID, code)
		if err != nil {
			return nil, err
		}
		v.Children = Briefs(kids)
		bill, total, err := ix.Descendants(rel.ID, code, true, nearestLimit)
		if err != nil {
			return nil, err
		}
		v.Nearest, v.NearestTotal = Briefs(bill), total
	}
	terms, err := ix.Terms(rel.ID, code)
	if err != nil {
		return nil, err
	}
	for _, t := range terms {
		v.Terms = append(v.Terms, TermView{Book: t.Book, Text: t.Text, Column: t.Column, Manif: dotIf(t.Manif), See: t.See})
	}
	if !date.IsZero() {
		if v.Validity, err = icdValidity(cb, v, rel, code, date); err != nil {
			return nil, err
		}
	}
	return v, nil
}

func dotIf(code string) string {
	if code == "" {
		return ""
	}
	return codeset.DotICD(code)
}

// ancestors returns the entries from the category down to the code.
func ancestors(cb *coding.Codebook, rel, code string) ([]*index.Entry, error) {
	var chain []*index.Entry
	for c := code; c != ""; c = codeset.ICDParent(c) {
		e, err := cb.Index().Get(rel, c)
		if err != nil {
			return nil, err
		}
		if e != nil {
			chain = append([]*index.Entry{e}, chain...)
		}
	}
	return chain, nil
}

// NearestICD offers valid codes for an input that is not a code: the
// longest existing prefix when it is billable ("E11.99" -> E11.9), else
// the billable codes under it ("S72.001" -> S72.001A, ...); a missing
// placeholder X is put in ("W19A" -> W19.XXXA).
func NearestICD(cb *coding.Codebook, v *CodeView, rel, code string) error {
	if len(code) >= 4 {
		base, char := code[:len(code)-1], code[len(code)-1:]
		for len(base) < 6 {
			base += "X"
		}
		if cand := base + char; cand != code {
			e, err := cb.Index().Get(rel, cand)
			if err != nil {
				return err
			}
			if e != nil {
				v.Problem += fmt.Sprintf("; the 7th character needs placeholder X: %s", codeset.DotICD(cand))
				v.Nearest = []Brief{brief(e)}
				v.NearestTotal = 1
				return nil
			}
		}
	}
	for p := codeset.ICDParent(code); p != ""; p = codeset.ICDParent(p) {
		e, err := cb.Index().Get(rel, p)
		if err != nil {
			return err
		}
		if e == nil {
			continue
		}
		if e.Billable {
			v.Nearest, v.NearestTotal = []Brief{brief(e)}, 1
			return nil
		}
		bill, total, err := cb.Index().Descendants(rel, p, true, nearestLimit)
		if err != nil {
			return err
		}
		v.Nearest, v.NearestTotal = Briefs(bill), total
		return nil
	}
	return nil
}

func brief(e *index.Entry) Brief {
	code := e.Code
	if e.System == codeset.ICD10CM {
		code = codeset.DotICD(code)
	}
	return Brief{System: e.System, Code: code, Title: e.Title, Billable: e.Billable}
}

func Briefs(es []*index.Entry) []Brief {
	out := make([]Brief, len(es))
	for i, e := range es {
		out[i] = brief(e)
	}
	return out
}
