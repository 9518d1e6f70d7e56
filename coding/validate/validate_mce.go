package validate

import (
	"fmt"
	"math"
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
	day    int32 // the date, as dayNumber counts
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
	m := &mceDay{rel: rel, source: "MCE " + rel.Release.Name, ages: map[string]codeset.MCEAgeGroup{}, day: dayNumber(d)}
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

// mceRow is one dated row of a code's MCE flags: a code's rows are kept
// for the whole run, so they hold no pointers and the findings are
// written when they fire, which is seldom.
type mceRow struct {
	// from and to are the days the row is in force, as dayNumber counts.
	from, to int32
	flags    mceFlag
}

// mceFlag is a set of the flags medcode's MCE edits read.
type mceFlag uint16

const (
	mceNewborn mceFlag = 1 << iota
	mcePediatric
	mceMaternity
	mceAdult
	mceMale
	mceFemale
	mceUnspecified
	mceManifestation
	mceExternal
	mceUnacceptable // without reqsdx
	mceRequiresSDx  // unacceptable, but not with a secondary diagnosis
	mceQuestionable
	mceAges      = mceNewborn | mcePediatric | mceMaternity | mceAdult
	mceSexes     = mceMale | mceFemale
	mceInpatient = mceUnacceptable | mceRequiresSDx | mceQuestionable
)

var mceFlagNames = map[string]mceFlag{codeset.MCENewborn: mceNewborn, codeset.MCEPediatric: mcePediatric, codeset.MCEMaternity: mceMaternity,
	codeset.MCEAdult: mceAdult, codeset.MCEMale: mceMale, codeset.MCEFemale: mceFemale, codeset.MCEUnspecified: mceUnspecified,
	codeset.MCEManifestation: mceManifestation, codeset.MCEExternalPDx: mceExternal, codeset.MCEUnacceptable: mceUnacceptable,
	codeset.MCEQuestionable: mceQuestionable}

// mceAgeFlags are the age flags in the order findings name them.
var mceAgeFlags = []struct {
	bit  mceFlag
	name string
}{{mceNewborn, codeset.MCENewborn}, {mcePediatric, codeset.MCEPediatric}, {mceMaternity, codeset.MCEMaternity}, {mceAdult, codeset.MCEAdult}}

// mceRows reads a code's MCE rows.
func (v *Validator) mceRows(rel *index.ReleaseInfo, rec *dxCode) ([]mceRow, error) {
	rows, err := v.cb.Index().MCEDx(rel.ID, rec.code)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	out := make([]mceRow, len(rows))
	for i, row := range rows {
		r := &out[i]
		r.from, r.to = dayNumber(row.From), math.MaxInt32
		if !row.To.IsZero() {
			r.to = dayNumber(row.To)
		}
		for _, f := range row.Flags {
			r.flags |= mceFlagNames[f]
		}
		if r.flags&mceUnacceptable != 0 && row.Has(codeset.MCERequiresSDx) {
			r.flags = r.flags&^mceUnacceptable | mceRequiresSDx
		}
	}
	return out, nil
}

// mceFinding is the finding a flag of a code's row raises.
func mceFinding(m *mceDay, d *dxCode, r *mceRow, bit mceFlag) Finding {
	c := d.dotted
	span := dayString(r.from) + " to date"
	if r.to != math.MaxInt32 {
		span = dayString(r.from) + " to " + dayString(r.to)
	}
	cite := func(flag string) string {
		return m.source + ": " + flag + " flag of " + c + " (row in force " + span + ")"
	}
	f := Finding{Codes: []string{c}, Severity: SeverityError}
	switch bit {
	case mceMale, mceFemale:
		sex := codeset.MCEMale
		if bit == mceFemale {
			sex = codeset.MCEFemale
		}
		f.Rule, f.Message, f.Source = RuleMCESex, c+" is for "+sex+" patients only", cite(sex)
	case mceUnspecified:
		f.Rule, f.Severity, f.Source = RuleMCEUnspecified, SeverityWarning, cite(codeset.MCEUnspecified)
		f.Message = c + " is an unspecified code: report a more specific code when the record documents one"
	case mceManifestation:
		f.Rule, f.Source = RuleMCEManifestation, cite(codeset.MCEManifestation)
		f.Message = c + " is a manifestation code and cannot be the principal diagnosis; sequence the underlying condition first"
	case mceExternal:
		f.Rule, f.Source = RuleMCEExternalCause, cite(codeset.MCEExternalPDx)
		f.Message = c + " is an external cause code and cannot be the principal diagnosis"
	case mceUnacceptable:
		f.Rule, f.Source = RuleMCEUnacceptable, cite(codeset.MCEUnacceptable)
		f.Message = c + " is unacceptable as the principal diagnosis of an inpatient claim"
	case mceRequiresSDx:
		f.Rule, f.Source = RuleMCERequiresSDx, cite(codeset.MCERequiresSDx)
		f.Message = c + " is acceptable as principal diagnosis only with a secondary diagnosis, and the claim has none"
	case mceQuestionable:
		f.Rule, f.Severity, f.Source = RuleMCEQuestionable, SeverityWarning, cite(codeset.MCEQuestionable)
		f.Message = c + " as principal diagnosis is a questionable reason for an inpatient admission"
	}
	return f
}

func dayString(day int32) string { return time.Unix(int64(day)*86400, 0).UTC().Format("2006-01-02") }

// mceOn is the row of a code in force on a day (a dayNumber), nil when
// none is.
func (d *dxCode) mceOn(day int32) *mceRow {
	for i := range d.mce {
		if r := &d.mce[i]; r.from <= day && day <= r.to {
			return r
		}
	}
	return nil
}

// dayNumber counts the days since 1970-01-01: a claim's date is compared
// with every row of its codes, and integers compare fastest.
func dayNumber(t time.Time) int32 { return int32(t.Unix() / 86400) }

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
		row := d.mceOn(m.day)
		if row == nil {
			continue
		}
		if row.flags&mceAges != 0 {
			for _, a := range mceAgeFlags {
				g, ok := m.ages[a.name]
				switch {
				case row.flags&a.bit == 0 || !ok:
				case c.Age == nil:
					noAge = true
				case *c.Age < g.Min || *c.Age > g.Max:
					rep.add(Finding{Rule: RuleMCEAge, Severity: SeverityError, Codes: []string{d.dotted},
						Message: fmt.Sprintf("%s is a %s code, for ages %d to %d; the patient is %d", d.dotted, a.name, g.Min, g.Max, *c.Age),
						Source:  fmt.Sprintf("%s: %s flag of %s; %s age range %d-%d in force on %s", m.source, a.name, d.dotted, g.Group, g.Min, g.Max, dy.date)})
				}
			}
		}
		if sex := row.flags & mceSexes; sex != 0 {
			switch {
			case c.Sex == "":
				noSex = true
			case sex == mceMale && c.Sex != "M", sex == mceFemale && c.Sex != "F":
				rep.add(mceFinding(m, d, row, sex))
			}
		}
		if row.flags&mceUnspecified != 0 {
			rep.add(mceFinding(m, d, row, mceUnspecified))
		}
		if i != 0 {
			continue
		}
		for _, bit := range []mceFlag{mceManifestation, mceExternal} {
			if row.flags&bit != 0 {
				rep.add(mceFinding(m, d, row, bit))
			}
		}
		if row.flags&mceInpatient == 0 {
			continue
		}
		if !v.settings.Inpatient {
			notInpatient = true
			continue
		}
		for _, bit := range []mceFlag{mceUnacceptable, mceRequiresSDx, mceQuestionable} {
			if row.flags&bit != 0 && (bit != mceRequiresSDx || secondaries == 0) {
				rep.add(mceFinding(m, d, row, bit))
			}
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
