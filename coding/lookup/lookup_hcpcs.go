package lookup

import (
	"fmt"
	"strings"
	"time"

	"github.com/medcode/medcode/coding"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/index"
)

func showHCPCS(cb *coding.Codebook, input string, rel *index.ReleaseInfo, date time.Time) (*CodeView, error) {
	code := strings.ToUpper(strings.TrimSpace(input))
	v := &CodeView{Input: input, System: codeset.HCPCS, Release: rel.ID, Code: code}
	e, err := cb.Index().Get(rel.ID, code)
	if err != nil {
		return nil, err
	}
	if e == nil {
		if len(code) == 2 {
			v.Problem = fmt.Sprintf("%s is not an HCPCS Level II modifier in %s (CPT modifiers such as 25 and 59 are not in the HCPCS file)", code, rel.Release)
		} else {
			v.Problem = fmt.Sprintf("%s is not an HCPCS Level II code in %s", code, rel.Release)
		}
		return v, nil
	}
	r := e.HCPCS
	v.Found, v.Title, v.Short, v.Billable = true, e.Title, e.Short, e.Billable
	v.Kind = "billable"
	if r.IsModifier {
		v.Kind = "modifier"
	}
	h := &HCPCSView{Modifier: r.IsModifier, ASCGroup: r.ASCGroup, Statute: r.Statute, CIM: r.CIM, MCM: r.MCM, CrossReference: r.XRef, AnesBaseUnits: strings.TrimLeft(r.AnesBaseUnits, "0")}
	for _, p := range r.Pricing {
		h.Pricing = append(h.Pricing, Coded{p, codeset.HCPCSPricingMeaning(p)})
	}
	h.MultiPricing = coded(r.MultiPricing, codeset.HCPCSMultiPricingMeaning)
	h.Coverage = coded(r.Coverage, codeset.HCPCSCoverageMeaning)
	h.BETOS = coded(r.BETOS, codeset.HCPCSBETOSMeaning)
	h.Action = coded(r.Action, codeset.HCPCSActionMeaning)
	for _, t := range r.TypeOfService {
		h.TypeOfService = append(h.TypeOfService, Coded{t, codeset.HCPCSTypeOfServiceMeaning(t)})
	}
	for _, l := range r.LabCert {
		h.LabCert = append(h.LabCert, Coded{l, codeset.HCPCSLabCertMeaning(l)})
	}
	h.Added, h.ActionEffective, h.Terminated = day(r.Added), day(r.ActionEffective), day(r.Terminated)
	h.ASCEffective = day(r.ASCEffective)
	if r.ProcNote != "" {
		text, err := cb.Index().ProcNote(rel.ID, r.ProcNote)
		if err != nil {
			return nil, err
		}
		h.ProcNote = &Coded{r.ProcNote, text}
	}
	v.HCPCS = h
	if !r.Terminated.IsZero() && len(r.XRef) > 0 {
		v.Nearest = nil
		for _, x := range r.XRef {
			if xe, err := cb.Index().Get(rel.ID, x); err == nil && xe != nil {
				v.Nearest = append(v.Nearest, brief(xe))
			}
		}
		v.NearestTotal = len(v.Nearest)
	}
	if !date.IsZero() {
		v.Validity = hcpcsValidity(r, rel, date)
	}
	// A terminated code cannot go on a claim after its last day: not
	// billable, unless the date of service is on or before it.
	if !r.IsModifier && !r.Terminated.IsZero() && (v.Validity == nil || !v.Validity.Valid) {
		v.Billable, v.Kind = false, "terminated"
	}
	return v, nil
}

func coded(c string, meaning func(string) string) *Coded {
	if c == "" {
		return nil
	}
	return &Coded{c, meaning(c)}
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

// AddedReason, terminatedReason and laterChanges are the parts of the
// reason a code is not in effect; a validator writes them once per code.
func AddedReason(r *codeset.HCPCSRecord) string {
	return fmt.Sprintf("added %s, after the date of service", day(r.Added))
}

// TerminatedReason: CMS gives the last day a code is in effect, not the
// first day it is not.
func TerminatedReason(r *codeset.HCPCSRecord) string {
	return fmt.Sprintf("terminated: last in effect %s", day(r.Terminated))
}

// LaterChanges notes that a date of service is past the release.
func LaterChanges(rel *index.ReleaseInfo) string {
	return fmt.Sprintf(" (as of %s; later changes are not loaded)", rel.Release)
}
