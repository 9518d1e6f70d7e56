package validate

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/medcode/medcode/coding"
	"github.com/medcode/medcode/coding/claims"
	"github.com/medcode/medcode/coding/lookup"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/index"
)

// Validator runs every edit on claims. It caches what it learns about each
// code, so a batch of claims costs a few map reads after the first ones. A
// Validator is not safe for concurrent use: give each goroutine its own
// (they share the code book), which also spares the caches any locking.
type Validator struct {
	cb       *coding.Codebook
	packs    []*RulePack
	settings Settings
	// rules is every rule of the packs in pack order.
	rules  []*Rule
	either bool // the NCCI modifier may be on either code

	days   map[time.Time]*serviceDay
	tables map[relSet]*localTable
	shared *SharedTables

	// Scratch reused from claim to claim: nothing keeps them past a claim.
	dxBuf   []*dxCode
	recBuf  []*dxCode
	dxCodes []string
	needBuf []uint8
	pxBuf   []*pxCode
	fire    []*Rule
}

// New prepares validation with the given rule packs.
func New(cb *coding.Codebook, packs []*RulePack, settings Settings) *Validator {
	return NewShared(cb, packs, settings, &SharedTables{})
}

// NewShared is a validator that shares its code records with the
// others given the same tables, and the same packs and settings.
func NewShared(cb *coding.Codebook, packs []*RulePack, settings Settings, shared *SharedTables) *Validator {
	v := &Validator{cb: cb, packs: packs, settings: settings, days: map[time.Time]*serviceDay{}, tables: map[relSet]*localTable{},
		shared: shared}
	v.rules = []*Rule{}
	for _, p := range packs {
		v.rules = append(v.rules, p.Rules...)
		if p.NCCI.ModifierOn == "either" {
			v.either = true
		}
	}
	return v
}

// Validate runs the edits on one claim. Findings come out in a stable
// order: by rule, then codes.
func (v *Validator) Validate(c *claims.Claim) (*Report, error) {
	rep := &Report{Findings: make([]Finding, 0, 4), Checks: make([]Check, 0, 2)}
	if err := v.Check(rep, c); err != nil {
		return nil, err
	}
	return rep, nil
}

// Check adds the findings and checks of a claim to rep.
func (v *Validator) Check(rep *Report, c *claims.Claim) error {
	dy, err := v.day(c.Date)
	if err != nil {
		return err
	}
	t := dy.t
	dxs := scratch(&v.dxBuf, len(c.Dx))
	dx := scratch(&v.dxCodes, len(c.Dx))
	recs := scratch(&v.recBuf, len(c.Dx))
	for i, d := range c.Dx {
		rec, err := v.dxCode(t, d)
		if err != nil {
			return err
		}
		// A code listed again (Medicare's claim files repeat the
		// principal as the first secondary) is one finding, and is
		// left out of every other edit: its findings would be doubles.
		recs[i] = rec
		if first := slices.Index(recs[:i], rec); first >= 0 {
			rep.add(duplicate(rec, first, i, dy))
			continue
		}
		if rec.bad != nil {
			rep.add(*rec.bad)
			continue
		}
		dxs[i], dx[i] = rec, rec.code
		if rec.deletedOn(c.Date) {
			rep.add(*rec.deleted) // says more than dx-unknown or dx-header
		} else if rec.invalid != nil {
			rep.add(*rec.invalid)
		}
	}
	if t.icd == nil && len(c.Dx) > 0 {
		rep.Checks = append(rep.Checks, Check{Rule: "dx-valid", Checked: false, Note: "no ICD-10-CM release loaded"})
	} else if dy.icdLate != nil {
		rep.add(*dy.icdLate)
	}
	if t.icd != nil {
		v.dxPairs(rep, t, dxs, dy.mce != nil)
		if dy.noNotes && len(c.Dx) > 0 {
			rep.Checks = append(rep.Checks, noNotes)
		}
	}
	v.mce(rep, c, dy, dxs)
	pxs := scratch(&v.pxBuf, len(c.Px))
	for i := range c.Px {
		if pxs[i], err = v.pxCode(t, c.Px[i].Code); err != nil {
			return err
		}
	}
	if err := v.procedures(rep, c, dy, pxs); err != nil {
		return err
	}
	// Only the rules some code of the claim names can fire; which rules a
	// code names is worked out once per code.
	fire := v.fire[:0]
	for _, d := range dxs {
		if d != nil {
			fire = appendRules(fire, d.rules)
		}
	}
	for _, p := range pxs {
		fire = appendRules(fire, p.rules)
	}
	if len(fire) > 0 {
		v.applyRules(rep, c, dx, fire, dy.mce != nil)
	}
	clear(fire)
	v.fire = fire[:0]
	if err := v.ncci(rep, c, dy, pxs); err != nil {
		return err
	}
	linesWithoutCode(rep, c)
	sortFindings(rep.Findings)
	return nil
}

func (v *Validator) validity(rel *index.ReleaseInfo, code string, e *index.Entry) (Finding, bool, error) {
	dotted := codeset.DotICD(code)
	if e == nil {
		view := &lookup.CodeView{}
		if err := lookup.NearestICD(v.cb, view, rel.ID, code); err != nil {
			return Finding{}, false, err
		}
		msg := fmt.Sprintf("%s is not a code in %s", dotted, rel.Release)
		if len(view.Nearest) > 0 {
			msg += "; nearest: " + briefCodes(view.Nearest, 5)
		}
		rule := "dx-unknown"
		if strings.Contains(view.Problem, "placeholder X") {
			rule = "dx-seventh-character"
		}
		return Finding{Rule: rule, Severity: SeverityError, Codes: []string{dotted}, Message: msg}, true, nil
	}
	if !e.Billable {
		bill, total, err := v.cb.Index().Descendants(rel.ID, code, true, 5)
		if err != nil {
			return Finding{}, false, err
		}
		rule, what := "dx-header", "a header code, not valid on a claim"
		if len(code) == 6 && len(bill) > 0 && len(bill[0].Code) == 7 {
			rule, what = "dx-seventh-character", "incomplete: it needs a 7th character"
		}
		msg := fmt.Sprintf("%s is %s; report one of %d codes below it, e.g. %s", dotted, what, total, briefCodes(lookup.Briefs(bill), 5))
		return Finding{Rule: rule, Severity: SeverityError, Codes: []string{dotted}, Message: msg}, true, nil
	}
	return Finding{}, false, nil
}

func briefCodes(bs []lookup.Brief, n int) string {
	var out []string
	for i, b := range bs {
		if i == n {
			out = append(out, "...")
			break
		}
		out = append(out, b.Code)
	}
	return strings.Join(out, ", ")
}

// dxPairs applies the edits between two diagnoses: Excludes1 (never
// together: error) and Excludes2 (not included here, may be coded together:
// info) between every two of them, then sequencing: a "use additional
// code" partner missing, a manifestation code principal or its etiology
// ("code first") missing.
//
// With the MCE tables in force, their manifestation list decides which
// code may not be principal.
func (v *Validator) dxPairs(rep *Report, t *localTable, dxs []*dxCode, mce bool) {
	// need[i] collects what the other codes give code i: partnerAdditional,
	// partnerFirst.
	need := scratch(&v.needBuf, len(dxs))
	for i, a := range dxs {
		if a == nil {
			continue
		}
		for j := i + 1; j < len(dxs); j++ {
			b := dxs[j]
			if b == nil {
				continue
			}
			p := v.dxPair(t, a, b)
			for _, f := range p.excl {
				rep.add(f)
			}
			need[i] |= p.aByB
			need[j] |= p.bByA
		}
	}
	for i, d := range dxs {
		if d == nil || !d.known {
			continue
		}
		if d.additional != nil && need[i]&partnerAdditional == 0 {
			rep.add(*d.additional)
		}
		if d.principal != nil && i == 0 && !mce {
			rep.add(*d.principal)
		}
		if d.codeFirst != nil && need[i]&partnerFirst == 0 {
			rep.add(*d.codeFirst)
		}
	}
}

// noNotes: the note edits need the Tabular List.
var noNotes = Check{Rule: "notes", Checked: false,
	Note: "no Tabular List loaded for the ICD-10-CM release: Excludes1, Excludes2, code-first and use-additional notes were not checked"}

// duplicate is the finding of a diagnosis listed again at position i,
// first at position first (0-based). A repeat of the principal is also
// the MCE's "duplicate of principal diagnosis" edit, cited when its tables
// are in force.
func duplicate(rec *dxCode, first, i int, dy *serviceDay) Finding {
	name := rec.dotted
	if rec.bad != nil {
		name = rec.bad.Codes[0]
	}
	f := Finding{Rule: RuleDuplicate, Severity: SeverityWarning, Codes: []string{name},
		Message: fmt.Sprintf("%s is listed twice (diagnoses %d and %d): report each diagnosis once", name, first+1, i+1)}
	if first == 0 && dy.mce != nil {
		f.Message = fmt.Sprintf("%s, the principal diagnosis, is listed again as diagnosis %d: a secondary diagnosis may not repeat the principal", name, i+1)
		f.Source = dy.mce.source + ": duplicate of principal diagnosis"
	}
	return f
}

// Bits of what a diagnosis finds in another: a code its "use additional
// code" notes name, a code its "code first" notes name.
const (
	partnerAdditional uint8 = 1 << iota
	partnerFirst
)

// partners says which of a's notes name b.
func partners(a, b *dxCode) uint8 {
	if !a.known {
		return 0
	}
	n := a.chain
	if n.partnerInitials&initial(b.code) == 0 || !n.partner.covers(b.order) {
		return 0
	}
	var p uint8
	if notesMatch(n, func(l *noteLevel) []noteText { return l.additional }, b.code) {
		p |= partnerAdditional
	}
	if notesMatch(n, func(l *noteLevel) []noteText { return l.first }, b.code) {
		p |= partnerFirst
	}
	return p
}

// mayName reports whether some note over the code can name another code:
// when neither code of a pair may name the other, the pair has nothing.
func (d *dxCode) mayName(o *dxCode) bool {
	if !d.known {
		return false
	}
	n, i := d.chain, initial(o.code)
	return n.exclInitials&i != 0 && n.excl.covers(o.order) || n.partnerInitials&i != 0 && n.partner.covers(o.order)
}

// notesMatch reports whether a note of a kind in a chain names code.
func notesMatch(n *noteChain, kind func(*noteLevel) []noteText, code string) bool {
	for _, l := range n.levels {
		for _, t := range kind(l) {
			if matchesAny(t.refs, code) {
				return true
			}
		}
	}
	return false
}

// excludes are the Excludes findings between two known diagnoses, the
// first code of the claim reported first.
func excludes(a, b *dxCode) []Finding {
	na, nb := a.chain, b.chain
	if !(na.exclInitials&initial(b.code) != 0 && b.coveredBy(na.excl)) && !(nb.exclInitials&initial(a.code) != 0 && a.coveredBy(nb.excl)) {
		return nil
	}
	var fs []Finding
	var seen [2]bool // a finding of each rule, whichever code's note it is
	for _, dir := range []struct {
		x, y *dxCode
		n    *noteChain
	}{{a, b, na}, {b, a, nb}} {
		for k, kind := range []struct {
			rule string
			sev  Severity
		}{{"excludes1", SeverityError}, {"excludes2", SeverityInfo}} {
			for _, l := range dir.n.levels {
				notes := l.excl1
				if k == 1 {
					notes = l.excl2
				}
				for _, n := range notes {
					if seen[k] || !matchesKeyed(n.refs, dir.y) {
						continue
					}
					seen[k] = true
					x, y := dir.x.dotted, dir.y.dotted
					msg := x + " and " + y + " should not be coded together: " + l.from + " has an Excludes1 note for " + y
					if kind.rule == "excludes2" {
						msg = x + " and " + y + " may both be coded if both conditions are present (Excludes2 at " + l.from + ")"
					}
					fs = append(fs, Finding{Rule: kind.rule, Severity: kind.sev, Codes: []string{x, y}, Message: msg, Source: n.source})
				}
			}
		}
	}
	return fs
}

// coveredBy: a span of a single reference holds the code, one of a range
// its key.
func (d *dxCode) coveredBy(s codeSpans) bool {
	return s.covers(d.order) || d.keyOrder != d.order && s.covers(d.keyOrder)
}

func matchesKeyed(refs []CodeRef, d *dxCode) bool {
	for _, r := range refs {
		if r.MatchesKeyed(d.code, d.key) {
			return true
		}
	}
	return false
}

func matchesAny(refs []CodeRef, code string) bool {
	for _, r := range refs {
		if r.Matches(code) {
			return true
		}
	}
	return false
}

// procedures checks HCPCS validity on the date of service and modifiers.
func (v *Validator) procedures(rep *Report, c *claims.Claim, dy *serviceDay, pxs []*pxCode) error {
	t := dy.t
	if len(c.Px) == 0 {
		return nil
	}
	if t.hcp == nil {
		rep.Checks = append(rep.Checks, Check{Rule: "px-valid", Checked: false, Note: "no HCPCS release loaded"})
		return nil
	}
	if c.Date.IsZero() {
		rep.Checks = append(rep.Checks, Check{Rule: "px-not-effective", Checked: false, Note: "no date of service: whether the HCPCS codes were in effect was not checked"})
	} else if dy.pxLate != nil {
		rep.add(*dy.pxLate)
	}
	for i, p := range c.Px {
		rec := pxs[i]
		switch {
		case rec.cpt != nil:
			rep.add(*rec.cpt)
		case rec.unknown != nil:
			rep.add(*rec.unknown)
		case !c.Date.IsZero() && !rec.entry.HCPCS.InEffect(c.Date):
			// As hcpcsValidity says, from the parts written once.
			rep.add(Finding{Rule: "px-not-effective", Severity: SeverityError, Codes: rec.codes,
				Message: rec.code + " is not valid on " + dy.date + ": " + rec.notEffective(c.Date) + dy.hcpLate})
		}
		for _, m := range p.Modifiers {
			if isDigits(m) {
				continue // CPT modifiers (25, 59) are not in the HCPCS file
			}
			mod, err := v.pxCode(t, m)
			if err != nil {
				return err
			}
			if e := mod.entry; e == nil || !e.HCPCS.IsModifier {
				rep.add(Finding{Rule: "px-modifier-unknown", Severity: SeverityError, Codes: []string{p.Code, m}, Message: fmt.Sprintf("%s is not an HCPCS Level II modifier in %s", m, t.hcp.Release)})
			}
		}
	}
	return nil
}

// isCPT: CPT codes are five digits, or four digits and F/T/U (category II,
// III and PLA codes).
func isCPT(code string) bool {
	if len(code) != 5 {
		return false
	}
	if isDigits(code) {
		return true
	}
	last := code[4]
	return isDigits(code[:4]) && (last == 'F' || last == 'T' || last == 'U')
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func codesLess(a, b []string) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return len(a) < len(b)
}

// rulesFor lists the rules whose dx (or px) patterns name a code.
func (v *Validator) rulesFor(code string, dx bool) []*Rule {
	var rs []*Rule
	for _, r := range v.rules {
		pats := r.px
		if dx {
			pats = r.dx
		}
		if matchesAny(pats, code) {
			rs = append(rs, r)
		}
	}
	return rs
}

func appendRules(to, rs []*Rule) []*Rule {
	for _, r := range rs {
		if !containsRule(to, r) {
			to = append(to, r)
		}
	}
	return to
}

func containsRule(rs []*Rule, r *Rule) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// sortFindings orders findings by severity, rule and codes. A claim has a
// handful, so an insertion sort beats sort.SliceStable's reflection.
func sortFindings(fs []Finding) {
	less := func(a, b *Finding) bool {
		if a.Severity != b.Severity {
			return a.Severity.rank() > b.Severity.rank()
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return codesLess(a.Codes, b.Codes)
	}
	for i := 1; i < len(fs); i++ {
		for j := i; j > 0 && less(&fs[j], &fs[j-1]); j-- {
			fs[j], fs[j-1] = fs[j-1], fs[j]
		}
	}
}

// scratch returns buf resized to n and cleared, growing it when needed.
func scratch[T any](buf *[]T, n int) []T {
	if cap(*buf) < n {
		*buf = make([]T, n)
	}
	s := (*buf)[:n]
	clear(s)
	return s
}
