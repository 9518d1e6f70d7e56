package validate

import (
	"fmt"
	"strings"
	"time"

	"github.com/medcode/medcode/coding/claims"

	"github.com/medcode/medcode/index"
)

// ncciModifiers bypass a PTP edit with modifier indicator 1: anatomic,
// global surgery and the distinct-service modifiers, per CMS's NCCI
// policy manual.
var ncciModifiers = map[string]bool{}

func init() {
	for _, m := range strings.Fields(`E1 E2 E3 E4 FA F1 F2 F3 F4 F5 F6 F7 F8 F9 TA T1 T2 T3 T4 T5 T6 T7 T8 T9
		LT RT LC LD RC LM RI 24 25 57 58 78 79 27 59 91 XE XS XP XU`) {
		ncciModifiers[m] = true
	}
}

// Settings of a validation run that come from the claim's context rather
// than from the claim.
type Settings struct {
	// Setting picks the NCCI tables: "practitioner" (the default),
	// "outpatient", or "dme" for MUE.
	Setting string
	// Inpatient says the claims are institutional inpatient claims, on
	// which the MCE's principal-diagnosis edits for inpatient stays run.
	Inpatient bool
	// UseAdditional is the severity of a missing "use additional code"
	// partner: info unless a pack or the caller raises it. The note asks
	// for a code where the record documents one, which a claim cannot
	// show.
	UseAdditional Severity
}

func (v *Validator) useAdditional() Severity {
	if v.settings.UseAdditional != "" {
		return v.settings.UseAdditional
	}
	for _, p := range v.packs {
		if p.Notes.UseAdditional != "" {
			return p.Notes.UseAdditional
		}
	}
	return SeverityInfo
}

func (v *Validator) setting() string {
	if v.settings.Setting == "" {
		return "practitioner"
	}
	return v.settings.Setting
}

// ncciChecks decides, for a date of service, whether the procedure-to-
// procedure and MUE edits of the NCCI release in force run, or why not.
func (v *Validator) ncciChecks(dy *serviceDay, rel *index.ReleaseInfo, note string, d time.Time) {
	switch {
	case rel == nil:
		dy.ptp = Check{Rule: "ncci-ptp", Checked: false, Note: "no NCCI procedure-to-procedure table loaded: pairs were not checked"}
		dy.mue = Check{Rule: "mue", Checked: false, Note: "no MUE table loaded: unit limits were not checked"}
		return
	case d.IsZero():
		// Edits take effect and are deleted by date, and each quarter
		// has its own tables: without a date any answer is a guess.
		dy.ptp = Check{Rule: "ncci-ptp", Checked: false, Note: "no date of service: NCCI pairs, which depend on it, were not checked"}
		dy.mue = Check{Rule: "mue", Checked: false, Note: "no date of service: MUE unit limits, which depend on it, were not checked"}
		return
	case note != "":
		// Another quarter's edits would be a guess: say what was not
		// checked rather than apply them.
		dy.ptp = Check{Rule: "ncci-ptp", Checked: false, Note: "no NCCI release loaded covers the date of service: pairs were not checked"}
		dy.mue = Check{Rule: "mue", Checked: false, Note: "no NCCI release loaded covers the date of service: unit limits were not checked"}
		return
	}
	setting := v.setting()
	if rel.PTPRows(setting) == 0 {
		dy.ptp = Check{Rule: "ncci-ptp", Checked: false, Note: fmt.Sprintf("%s has no %s procedure-to-procedure edits loaded: pairs were not checked", rel.Release, setting)}
	} else {
		dy.ptp = Check{Rule: "ncci-ptp", Checked: true, Note: fmt.Sprintf("%s, %s edits", rel.Release, setting)}
		dy.runPTP = true
	}
	if rel.MUERows(setting) == 0 {
		dy.mue = Check{Rule: "mue", Checked: false, Note: fmt.Sprintf("%s has no %s MUE table loaded: unit limits were not checked", rel.Release, setting)}
	} else {
		dy.mue = Check{Rule: "mue", Checked: true, Note: fmt.Sprintf("%s, %s services", rel.Release, setting)}
		dy.runMUE = true
	}
}

// ncci applies the procedure-to-procedure and MUE edits of the NCCI release
// in force on the date of service, or says they could not be checked.
//
// A claim without procedures has nothing for them to check.
func (v *Validator) ncci(rep *Report, c *claims.Claim, dy *serviceDay, pxs []*pxCode) error {
	if len(c.Px) == 0 {
		return nil
	}
	rep.Checks = append(rep.Checks, dy.ptp)
	if dy.runPTP {
		if err := v.ptp(rep, c, dy.t, pxs); err != nil {
			return err
		}
	}
	rep.Checks = append(rep.Checks, dy.mue)
	if dy.runMUE {
		v.mue(rep, c, dy.t, pxs)
	}
	return nil
}

// ptp applies the edits of every two different codes of the claim, each
// code at its first line.
func (v *Validator) ptp(rep *Report, c *claims.Claim, t *localTable, pxs []*pxCode) error {
	for i, a := range pxs {
		if !firstLine(pxs, i) {
			continue
		}
		for j, b := range pxs {
			if a == b || !a.bundles(b.code) || !firstLine(pxs, j) {
				continue
			}
			edits, err := v.ptpEdits(t, a, b)
			if err != nil {
				return err
			}
			for k := range edits {
				e := &edits[k]
				if !e.row.Applies(c.Date) {
					continue
				}
				if e.row.Modifier == 1 && (hasNCCIModifier(c.Px[j]) || v.either && hasNCCIModifier(c.Px[i])) {
					rep.add(*e.bypassed)
					continue
				}
				rep.add(*e.denied)
			}
		}
	}
	return nil
}

// firstLine reports whether line i is the first of its code (a code has
// one record, so the same pointer).
func firstLine(pxs []*pxCode, i int) bool {
	for _, p := range pxs[:i] {
		if p == pxs[i] {
			return false
		}
	}
	return true
}

// ptpEdit is a PTP row of the setting with its messages written once.
type ptpEdit struct {
	row              index.PTPRow
	denied, bypassed *Finding
}

func (v *Validator) ptpEdits(t *localTable, pa, pb *pxCode) ([]ptpEdit, error) {
	key := pairKey(pa.id, pb.id)
	es, ok := t.ptp[key]
	if ok {
		return es, nil
	}
	rel, a, b, setting := t.ncci, pa.code, pb.code, v.setting()
	rows, err := v.cb.Index().PTP(rel.ID, a, b)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		if r.Setting != "" && r.Setting != setting || r.Modifier == 9 {
			continue
		}
		src := fmt.Sprintf("NCCI PTP %s %s/%s, modifier indicator %d", rel.Release, r.Column1, r.Column2, r.Modifier)
		if r.Rationale != "" {
			src += ": " + r.Rationale
		}
		denied := fmt.Sprintf("%s is bundled into %s and will be denied", b, a)
		if r.Modifier == 1 {
			denied += "; if the services were distinct, report an NCCI-associated modifier (59, XE, XS, XP, XU or an anatomic one) on " + b
		} else {
			denied += "; no modifier allows both (modifier indicator 0)"
		}
		codes := []string{a, b}
		es = append(es, ptpEdit{row: r,
			denied: sealed(Finding{Rule: "ncci-ptp", Severity: SeverityError, Codes: codes, Message: denied, Source: src}),
			bypassed: sealed(Finding{Rule: "ncci-ptp-bypassed", Severity: SeverityInfo, Codes: codes,
				Message: fmt.Sprintf("%s is bundled into %s, reported separately with an NCCI-associated modifier", b, a), Source: src})})
	}
	if len(t.ptp) >= maxPairs {
		clear(t.ptp)
	}
	t.ptp[key] = es
	return es, nil
}

func hasNCCIModifier(p claims.Procedure) bool {
	for _, m := range p.Modifiers {
		if ncciModifiers[m] {
			return true
		}
	}
	return false
}

// mue applies the unit limits of each code of the claim: a line edit to
// each line, a date-of-service edit to the code's units over the claim.
func (v *Validator) mue(rep *Report, c *claims.Claim, t *localTable, pxs []*pxCode) {
	for i, rec := range pxs {
		if len(rec.mue) == 0 || !firstLine(pxs, i) {
			continue
		}
		total := 0
		for k, p := range pxs {
			if p == rec {
				total += c.Px[k].Units
			}
		}
		for ri, r := range rec.mue {
			if r.Indicator == 1 {
				for k, p := range pxs {
					if p == rec && c.Px[k].Units > r.Value {
						rep.add(*rec.mueFinding(t.ncci, ri, c.Px[k].Units))
					}
				}
				continue
			}
			if total > r.Value {
				rep.add(*rec.mueFinding(t.ncci, ri, total))
			}
		}
	}
}

// mueFinding is a written MUE finding: a code has few rows, and claims
// repeat the same few unit counts.
type mueFinding struct {
	row, units int
	f          *Finding
}

// maxMUEFindings bounds the MUE findings a code keeps written.
const maxMUEFindings = 16

// mueFinding is the finding of MUE row ri of the code with units over its
// limit: on one line for a line edit (indicator 1), on the date of service
// otherwise.
func (p *pxCode) mueFinding(rel *index.ReleaseInfo, ri, units int) *Finding {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, m := range p.mueFound {
		if m.row == ri && m.units == units {
			return m.f
		}
	}
	r, code := p.mue[ri], p.code
	src := fmt.Sprintf("MUE %s %s: %d units, indicator %d %s", rel.Release, code, r.Value, r.Indicator, r.Meaning)
	msg := fmt.Sprintf("%s has %d units on the date of service; the MUE allows %d", code, units, r.Value)
	if r.Indicator == 1 {
		msg = fmt.Sprintf("%s has %d units on one line; the MUE allows %d a line", code, units, r.Value)
	} else if r.Indicator == 3 {
		msg += " (a clinical limit: an appeal with documentation may overturn it)"
	}
	f := sealed(Finding{Rule: "mue", Severity: SeverityError, Codes: []string{code}, Message: msg, Source: src})
	if len(p.mueFound) < maxMUEFindings {
		p.mueFound = append(p.mueFound, mueFinding{ri, units, f})
	}
	return f
}
