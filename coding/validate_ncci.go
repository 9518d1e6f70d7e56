package coding

import (
	"fmt"
	"strings"

	"github.com/medcode/medcode/codeset"
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
}

func (v *Validator) setting() string {
	if v.settings.Setting == "" {
		return "practitioner"
	}
	return v.settings.Setting
}

// modifierOnEither is a rule-pack setting: some payers accept the
// NCCI-associated modifier on the column-1 code too.
func (v *Validator) modifierOnEither() bool {
	for _, p := range v.packs {
		if p.NCCI.ModifierOn == "either" {
			return true
		}
	}
	return false
}

// ncci applies the procedure-to-procedure and MUE edits of the NCCI release
// in force on the date of service, or says they could not be checked.
func (v *Validator) ncci(rep *Report, c *Claim) error {
	rel, note, err := v.release(codeset.NCCI, c.Date)
	if err != nil {
		return err
	}
	if rel == nil {
		rep.Checks = append(rep.Checks,
			Check{Rule: "ncci-ptp", Checked: false, Note: "no NCCI procedure-to-procedure table loaded: pairs were not checked"},
			Check{Rule: "mue", Checked: false, Note: "no MUE table loaded: unit limits were not checked"})
		return nil
	}
	if note != "" {
		// Another quarter's edits would be a guess: say what was not
		// checked rather than apply them.
		rep.Checks = append(rep.Checks,
			Check{Rule: "ncci-ptp", Checked: false, Note: "no NCCI release loaded covers the date of service: pairs were not checked"},
			Check{Rule: "mue", Checked: false, Note: "no NCCI release loaded covers the date of service: unit limits were not checked"})
		return nil
	}
	setting := v.setting()
	if rel.PTPEdits == 0 {
		rep.Checks = append(rep.Checks, Check{Rule: "ncci-ptp", Checked: false, Note: "the NCCI release loaded has no procedure-to-procedure table"})
	} else {
		rep.Checks = append(rep.Checks, Check{Rule: "ncci-ptp", Checked: true, Note: v.note(rel, setting, "edits")})
		if err := v.ptp(rep, c, rel, setting); err != nil {
			return err
		}
	}
	if rel.MUEEdits == 0 {
		rep.Checks = append(rep.Checks, Check{Rule: "mue", Checked: false, Note: "the NCCI release loaded has no MUE table"})
	} else {
		rep.Checks = append(rep.Checks, Check{Rule: "mue", Checked: true, Note: v.note(rel, setting, "services")})
		if err := v.mue(rep, c, rel, setting); err != nil {
			return err
		}
	}
	return nil
}

func (v *Validator) ptp(rep *Report, c *Claim, rel *index.ReleaseInfo, setting string) error {
	either := v.modifierOnEither()
	for i := range c.Px {
		for j := range c.Px {
			a, b := &c.Px[i], &c.Px[j]
			if i == j || a.Code == b.Code || firstIndex(c.Px, a.Code) != i || firstIndex(c.Px, b.Code) != j {
				continue
			}
			edits, err := v.ptpEdits(rel, a.Code, b.Code, setting)
			if err != nil {
				return err
			}
			for k := range edits {
				e := &edits[k]
				if !e.row.Applies(c.Date) {
					continue
				}
				if e.row.Modifier == 1 && (hasNCCIModifier(*b) || either && hasNCCIModifier(*a)) {
					rep.add(*e.bypassed)
					continue
				}
				rep.add(*e.denied)
			}
		}
	}
	return nil
}

func firstIndex(px []Procedure, code string) int {
	for i := range px {
		if px[i].Code == code {
			return i
		}
	}
	return -1
}

// ptpEdit is a PTP row of the setting with its messages written once.
type ptpEdit struct {
	row              index.PTPRow
	denied, bypassed *Finding
}

func (v *Validator) ptpEdits(rel *index.ReleaseInfo, a, b, setting string) ([]ptpEdit, error) {
	key := pairKey{rel.ID, a, b}
	es, ok := v.ptpc[key]
	if ok {
		return es, nil
	}
	rows, err := v.cb.ix.PTP(rel.ID, a, b)
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
	v.ptpc[key] = es
	return es, nil
}

func hasNCCIModifier(p Procedure) bool {
	for _, m := range p.Modifiers {
		if ncciModifiers[m] {
			return true
		}
	}
	return false
}

func (v *Validator) mue(rep *Report, c *Claim, rel *index.ReleaseInfo, setting string) error {
	total := map[string]int{}
	var order []string
	for _, p := range c.Px {
		if _, ok := total[p.Code]; !ok {
			order = append(order, p.Code)
		}
		total[p.Code] += p.Units
	}
	for _, code := range order {
		rows, err := v.mueRows(rel.ID, code)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if r.Service != "" && r.Service != setting {
				continue
			}
			src := func() string {
				return fmt.Sprintf("MUE %s %s: %d units, indicator %d %s", rel.Release, code, r.Value, r.Indicator, r.Meaning)
			}
			if r.Indicator == 1 {
				// A line edit: each claim line on its own.
				for _, p := range c.Px {
					if p.Code == code && p.Units > r.Value {
						rep.add(Finding{Rule: "mue", Severity: SeverityError, Codes: []string{code},
							Message: fmt.Sprintf("%s has %d units on one line; the MUE allows %d a line", code, p.Units, r.Value), Source: src()})
					}
				}
				continue
			}
			if total[code] > r.Value {
				msg := fmt.Sprintf("%s has %d units on the date of service; the MUE allows %d", code, total[code], r.Value)
				if r.Indicator == 3 {
					msg += " (a clinical limit: an appeal with documentation may overturn it)"
				}
				rep.add(Finding{Rule: "mue", Severity: SeverityError, Codes: []string{code}, Message: msg, Source: src()})
			}
		}
	}
	return nil
}

// mueRows caches the MUE rows of a code: a batch sees the same codes again
// and again.
func (v *Validator) mueRows(rel, code string) ([]index.MUERow, error) {
	key := codeKey{rel, code}
	rows, ok := v.muec[key]
	if ok {
		return rows, nil
	}
	rows, err := v.cb.ix.MUE(rel, code)
	if err != nil {
		return nil, err
	}
	v.muec[key] = rows
	return rows, nil
}

// note is the text of a check that ran, written once per release and
// setting.
func (v *Validator) note(rel *index.ReleaseInfo, setting, what string) string {
	key := pairKey{rel.ID, setting, what}
	n, ok := v.notes[key]
	if !ok {
		n = fmt.Sprintf("%s, %s %s", rel.Release, setting, what)
		v.notes[key] = n
	}
	return n
}
