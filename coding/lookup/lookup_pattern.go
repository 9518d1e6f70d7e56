package lookup

import (
	"fmt"
	"strings"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/coding"
)

// showPattern answers a marked pattern, a code with a trailing dash as
// the Tabular writes references ("T75.3XX-", "E11.-"): the codes that
// complete it. A pattern that is itself a code is that code; one that is
// no code (placeholders: T75.3XX) is told through the code above it, with
// the completions listed, never under a made-up code.
func showPattern(cb *coding.Codebook, input string, opt ShowOptions) ([]*CodeView, error) {
	base := strings.TrimSuffix(strings.TrimSpace(input), "-")
	code, err := codeset.NormalizeICD(base)
	if err != nil {
		return []*CodeView{{Input: input, System: codeset.ICD10CM, Problem: err.Error()}}, nil
	}
	rel, note, err := cb.ReleaseFor(codeset.ICD10CM, opt.Pick)
	if err != nil {
		return nil, err
	}
	if rel == nil {
		return []*CodeView{{Input: input, Problem: "no icd10cm release is loaded"}}, nil
	}
	e, err := cb.Index().Get(rel.ID, code)
	if err != nil {
		return nil, err
	}
	if e != nil {
		vs, err := show(cb, base, ShowOptions{System: codeset.ICD10CM, Pick: opt.Pick})
		for _, v := range vs {
			v.Input = input
		}
		return vs, err
	}
	bill, total, err := cb.Index().Descendants(rel.ID, code, true, 0)
	if err != nil {
		return nil, err
	}
	v := &CodeView{Input: input, System: codeset.ICD10CM, Release: rel.ID, Code: codeset.DotICD(code) + "-"}
	if note != "" {
		v.Warnings = append(v.Warnings, note)
	}
	if total == 0 {
		v.Problem = fmt.Sprintf("no code of %s starts with %s", rel.Release, codeset.DotICD(code))
		return []*CodeView{v}, NearestICD(cb, v, rel.ID, code)
	}
	chain, err := ancestors(cb, rel.ID, code)
	if err != nil {
		return nil, err
	}
	if len(chain) == 0 {
		v.Problem = fmt.Sprintf("%s has no category in %s", v.Code, rel.Release)
		return []*CodeView{v}, nil
	}
	head := chain[len(chain)-1]
	v.Found, v.Kind = true, "pattern"
	v.Pattern = fmt.Sprintf("a pattern, not a code: the %d codes that complete %s; %s is the code above them", total, codeset.DotICD(code), codeset.DotICD(head.Code))
	if err := placeICD(cb, v, rel, head.Code, chain); err != nil {
		return nil, err
	}
	// The head is the pattern's category or subcategory, not the code asked.
	level := "subcategory"
	if len(head.Code) == 3 {
		level = "category"
	}
	v.Path[len(v.Path)-1].Level = level
	for i := range v.Notes {
		if v.Notes[i].Level == "code" {
			v.Notes[i].Level = level
		}
	}
	v.Children = Briefs(bill)
	v.NearestTotal = total
	if !opt.Date.IsZero() {
		v.Validity = &Validity{Date: opt.Date.Format("2006-01-02"), Status: StatusNotValid, Reason: "a pattern: report one of its codes"}
	}
	return []*CodeView{v}, nil
}
