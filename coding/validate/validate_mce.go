package validate

import (
	"fmt"
	"strings"
	"time"

	"github.com/medcode/medcode/coding/claims"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/index"
)

// The Medicare Code Editor's diagnosis edits, from CMS's own tables: the
// row of a code in force on the date of service says which edits the code
// meets. Rule ids are stable; the source of each finding cites the MCE
// version.
const (
	RuleMCEAge           = "mce-age"            // age conflict: newborn, pediatric, maternity, adult
	RuleMCESex           = "mce-sex"            // sex conflict
	RuleMCEManifestation = "mce-manifestation"  // manifestation code as principal
	RuleMCEUnacceptable  = "mce-unacceptable"   // unacceptable principal diagnosis (inpatient)
	RuleMCERequiresSDx   = "mce-requires-sdx"   // requires a secondary diagnosis (inpatient)
	RuleMCEQuestionable  = "mce-questionable"   // questionable admission (inpatient)
	RuleMCEExternalCause = "mce-external-cause" // external cause code as principal
	RuleMCEUnspecified   = "mce-unspecified"    // unspecified code
	// A secondary diagnosis equal to the principal is dx-duplicate, whose
	// source cites the MCE when its tables are in force.
	RuleDuplicate = "dx-duplicate"
)

// mceDay is what the MCE tables in force on a date of service say about
// the date: the age groups' ranges then.
type mceDay struct {
	rel    *index.ReleaseInfo
	source string // "MCE v43.1"
	ages   map[string]codeset.MCEAgeGroup
}

// mceDayFor decides whether the MCE edits run on a date: they need its
// tables loaded, a date of service, and the date inside the tables'.
func (v *Validator) mceDayFor(dy *serviceDay, rel *index.ReleaseInfo, d time.Time) error {
	if rel == nil {
		return nil
	}
	name := rel.Release.String()
	switch {
	case d.IsZero():
		dy.mceCheck = Check{Rule: "mce", Checked: false, Note: "no date of service: the " + name + " edits, which depend on it, were not checked"}
		return nil
	case !rel.Release.Covers(d):
		dy.mceCheck = Check{Rule: "mce", Checked: false, Note: fmt.Sprintf("%s is outside the dates of the loaded MCE tables (%s, %s to %s): the MCE edits were not checked",
			d.Format("2006-01-02"), name, rel.Effective, rel.Through)}
		return nil
	}
	groups, err := v.cb.Index().MCEAgeGroups(rel.ID)
	if err != nil {
		return err
	}
	m := &mceDay{rel: rel, source: "MCE " + rel.Release.Name, ages: map[string]codeset.MCEAgeGroup{}}
	for _, g := range groups {
		if !d.Before(g.From) && (g.To.IsZero() || !d.After(g.To)) {
			m.ages[codeset.MCEAgeFlag(g.Group)] = g
		}
	}
	dy.mce = m
	dy.mceCheck = Check{Rule: "mce", Checked: true, Note: name}
	return nil
}

var mceNotLoaded = Check{Rule: "mce", Checked: false,
	Note: "no Medicare Code Editor tables loaded: the MCE edits were not checked (the built-in age-sex pack approximates its age and sex edits)"}

// mceRow is one dated row of a code's MCE flags, with the findings it
// raises whatever the patient, written once.
type mceRow struct {
	codeset.MCERow
	ageFlags []string
	sex      string // "M" or "F": the code is for that sex only
	// sexConflict, unspecified: any diagnosis; the others: the principal.
	sexConflict, unspecified, manifestation, external *Finding
	// Inpatient claims only.
	unacceptable, requiresSDx, questionable *Finding
}

func (r *mceRow) inpatientOnly() bool {
	return r.unacceptable != nil || r.requiresSDx != nil || r.questionable != nil
}

// mceRows reads a code's MCE rows and writes their findings.
func (v *Validator) mceRows(rel *index.ReleaseInfo, rec *dxCode) ([]mceRow, error) {
	rows, err := v.cb.Index().MCEDx(rel.ID, rec.code)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	src := "MCE " + rel.Release.Name
	out := make([]mceRow, len(rows))
	d := rec.dotted
	for i, row := range rows {
		r := &out[i]
		r.MCERow = row
		span := row.From.Format("2006-01-02") + " to "
		if row.To.IsZero() {
			span += "date"
		} else {
			span += row.To.Format("2006-01-02")
		}
		cite := func(flag string) string {
			return fmt.Sprintf("%s: %s flag of %s (row in force %s)", src, flag, d, span)
		}
		unacceptable := false
		for _, f := range row.Flags {
			switch f {
			case codeset.MCENewborn, codeset.MCEPediatric, codeset.MCEMaternity, codeset.MCEAdult:
				r.ageFlags = append(r.ageFlags, f)
			case codeset.MCEMale, codeset.MCEFemale:
				r.sex = strings.ToUpper(f[:1])
				r.sexConflict = sealed(Finding{Rule: RuleMCESex, Severity: SeverityError, Codes: []string{d},
					Message: fmt.Sprintf("%s is for %s patients only", d, f), Source: cite(f)})
			case codeset.MCEUnspecified:
				r.unspecified = sealed(Finding{Rule: RuleMCEUnspecified, Severity: SeverityWarning, Codes: []string{d},
					Message: d + " is an unspecified code: report a more specific code when the record documents one", Source: cite(f)})
			case codeset.MCEManifestation:
				r.manifestation = sealed(Finding{Rule: RuleMCEManifestation, Severity: SeverityError, Codes: []string{d},
					Message: d + " is a manifestation code and cannot be the principal diagnosis; sequence the underlying condition first", Source: cite(f)})
			case codeset.MCEExternalPDx:
				r.external = sealed(Finding{Rule: RuleMCEExternalCause, Severity: SeverityError, Codes: []string{d},
					Message: d + " is an external cause code and cannot be the principal diagnosis", Source: cite(f)})
			case codeset.MCEUnacceptable:
				unacceptable = true
			case codeset.MCEQuestionable:
				r.questionable = sealed(Finding{Rule: RuleMCEQuestionable, Severity: SeverityWarning, Codes: []string{d},
					Message: d + " as principal diagnosis is a questionable reason for an inpatient admission", Source: cite(f)})
			}
		}
		switch {
		case unacceptable && row.Has(codeset.MCERequiresSDx):
			r.requiresSDx = sealed(Finding{Rule: RuleMCERequiresSDx, Severity: SeverityError, Codes: []string{d},
				Message: d + " is acceptable as principal diagnosis only with a secondary diagnosis, and the claim has none", Source: cite(codeset.MCERequiresSDx)})
		case unacceptable:
			r.unacceptable = sealed(Finding{Rule: RuleMCEUnacceptable, Severity: SeverityError, Codes: []string{d},
				Message: d + " is unacceptable as the principal diagnosis of an inpatient claim", Source: cite(codeset.MCEUnacceptable)})
		}
	}
	return out, nil
}

// mceOn is the row of a code in force on a date, nil when none is.
func (d *dxCode) mceOn(date time.Time) *mceRow {
	for i := range d.mce {
		if d.mce[i].InForce(date) {
			return &d.mce[i]
		}
	}
	return nil
}

// mce applies the MCE edits of the tables in force on the claim's date, or
// says why they did not run.
func (v *Validator) mce(rep *Report, c *claims.Claim, dy *serviceDay, dxs []*dxCode) {
	if len(c.Dx) == 0 {
		return
	}
	if dy.t.mce == nil {
		rep.Checks = append(rep.Checks, mceNotLoaded)
		return
	}
	rep.Checks = append(rep.Checks, dy.mceCheck)
	m := dy.mce
	if m == nil {
		return
	}
	secondaries := 0
	for _, d := range dxs[min(1, len(dxs)):] {
		if d != nil {
			secondaries++
		}
	}
	var noAge, noSex, notInpatient bool
	for i, d := range dxs {
		if d == nil {
			continue
		}
		row := d.mceOn(c.Date)
		if row == nil {
			continue
		}
		for _, f := range row.ageFlags {
			g, ok := m.ages[f]
			switch {
			case !ok:
			case c.Age == nil:
				noAge = true
			case *c.Age < g.Min || *c.Age > g.Max:
				rep.add(Finding{Rule: RuleMCEAge, Severity: SeverityError, Codes: []string{d.dotted},
					Message: fmt.Sprintf("%s is a %s code, for ages %d to %d; the patient is %d", d.dotted, f, g.Min, g.Max, *c.Age),
					Source:  fmt.Sprintf("%s: %s flag of %s; %s age range %d-%d in force on %s", m.source, f, d.dotted, g.Group, g.Min, g.Max, dy.date)})
			}
		}
		if row.sex != "" {
			if c.Sex == "" {
				noSex = true
			} else if c.Sex != row.sex {
				rep.add(*row.sexConflict)
			}
		}
		if row.unspecified != nil {
			rep.add(*row.unspecified)
		}
		if i != 0 {
			continue
		}
		if row.manifestation != nil {
			rep.add(*row.manifestation)
		}
		if row.external != nil {
			rep.add(*row.external)
		}
		if row.inpatientOnly() && !v.settings.Inpatient {
			notInpatient = true
			continue
		}
		if row.unacceptable != nil {
			rep.add(*row.unacceptable)
		}
		if row.requiresSDx != nil && secondaries == 0 {
			rep.add(*row.requiresSDx)
		}
		if row.questionable != nil {
			rep.add(*row.questionable)
		}
	}
	if noAge {
		rep.Checks = append(rep.Checks, Check{Rule: RuleMCEAge, Checked: false, Note: "patient age unknown: the MCE age edits were not checked"})
	}
	if noSex {
		rep.Checks = append(rep.Checks, Check{Rule: RuleMCESex, Checked: false, Note: "patient sex unknown: the MCE sex edits were not checked"})
	}
	if notInpatient {
		rep.Checks = append(rep.Checks, Check{Rule: RuleMCEUnacceptable, Checked: false,
			Note: "not an institutional inpatient claim: the MCE principal-diagnosis edits for inpatient claims (unacceptable, requires secondary, questionable admission) did not run"})
	}
}
