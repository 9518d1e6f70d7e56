package coding

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/index"
)

// Validator runs every edit on claims. It caches what it learns about each
// code, so a batch of claims costs a few map reads after the first ones. A
// Validator is not safe for concurrent use: give each goroutine its own
// (they share the code book), which also spares the caches any locking.
type Validator struct {
	cb       *Codebook
	packs    []*RulePack
	settings Settings
	// rules is every rule of the packs in pack order.
	rules  []*Rule
	either bool // the NCCI modifier may be on either code

	days   map[time.Time]*serviceDay
	tables map[relSet]*codeTable
	refs   map[string][]CodeRef // the code references of a note's text

	// Scratch reused from claim to claim: nothing keeps them past a claim.
	dxBuf   []*dxCode
	dxCodes []string
	needBuf []uint8
	pxBuf   []*pxCode
	fire    []*Rule
	rep     Report // a batch's, reused
}

// dxInfo is what the edits need about one diagnosis code, with the notes of
// its chapter, block and ancestors gathered.
type dxInfo struct {
	entry *index.Entry
	excl1 []noteRefs
	excl2 []noteRefs
	first []noteRefs // code first
	// additional are the code's own and its category's "use additional
	// code" notes that name codes.
	additional []noteRefs
	manifest   bool
	// exclInitials and partnerInitials are the initials of the codes the
	// Excludes notes, and the "use additional" and "code first" notes, can
	// name: many pairs of codes are told apart by them alone.
	exclInitials, partnerInitials letters
}

// letters is a set of code initials, A to Z.
type letters uint32

// initial is the set of a code's initial; any letter when it is none.
func initial(code string) letters {
	if code == "" || code[0] < 'A' || code[0] > 'Z' {
		return ^letters(0)
	}
	return 1 << (code[0] - 'A')
}

// refLetters adds the initials the notes' references can match.
func refLetters(l letters, notes []noteRefs) letters {
	for _, n := range notes {
		for _, r := range n.refs {
			from, to := initial(r.From), initial(r.To)
			if from == ^letters(0) || to == ^letters(0) || to < from {
				return ^letters(0)
			}
			l |= to<<1 - from // every initial from From's to To's
		}
	}
	return l
}

type noteRefs struct {
	from string // where the note is printed
	text string
	refs []CodeRef
}

// NewValidator prepares validation with the given rule packs.
func (cb *Codebook) NewValidator(packs []*RulePack, settings Settings) *Validator {
	v := &Validator{cb: cb, packs: packs, settings: settings, days: map[time.Time]*serviceDay{}, tables: map[relSet]*codeTable{},
		refs: map[string][]CodeRef{}}
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
func (v *Validator) Validate(c *Claim) (*Report, error) {
	rep := &Report{Findings: make([]Finding, 0, 4), Checks: make([]Check, 0, 2)}
	if err := v.check(rep, c); err != nil {
		return nil, err
	}
	return rep, nil
}

// check adds the findings and checks of a claim to rep.
func (v *Validator) check(rep *Report, c *Claim) error {
	dy, err := v.day(c.Date)
	if err != nil {
		return err
	}
	t := dy.t
	dxs := scratch(&v.dxBuf, len(c.Dx))
	dx := scratch(&v.dxCodes, len(c.Dx))
	for i, d := range c.Dx {
		rec, err := v.dxCode(t, d)
		if err != nil {
			return err
		}
		if rec.bad != nil {
			rep.add(*rec.bad)
			continue
		}
		dxs[i], dx[i] = rec, rec.code
		if rec.invalid != nil {
			rep.add(*rec.invalid)
		}
	}
	if t.icd == nil && len(c.Dx) > 0 {
		rep.Checks = append(rep.Checks, Check{Rule: "dx-valid", Checked: false, Note: "no ICD-10-CM release loaded"})
	} else if dy.icdLate != nil {
		rep.add(*dy.icdLate)
	}
	if t.icd != nil {
		v.dxPairs(rep, t, dxs)
	}
	pxs := scratch(&v.pxBuf, len(c.Px))
	for i := range c.Px {
		if pxs[i], err = v.pxCode(t, c.Px[i].Code); err != nil {
			return err
		}
	}
	if err := v.procedures(rep, c, t, pxs); err != nil {
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
		for _, r := range v.rules {
			if containsRule(fire, r) {
				r.apply(rep, c, dx)
			}
		}
	}
	clear(fire)
	v.fire = fire[:0]
	if err := v.ncci(rep, c, dy, pxs); err != nil {
		return err
	}
	sortFindings(rep.Findings)
	return nil
}

// dxInfo gathers the notes of a diagnosis code.
func (v *Validator) dxInfo(t *codeTable, code string) (*dxInfo, error) {
	rel := t.icd
	info := &dxInfo{}
	e, err := v.cb.ix.Get(rel.ID, code)
	if err != nil {
		return nil, err
	}
	info.entry = e
	if e != nil {
		chain, err := v.ancestors(t, code, e)
		if err != nil {
			return nil, err
		}
		view := &CodeView{}
		if err := v.cb.placeICD(view, rel.ID, code, chain); err != nil {
			return nil, err
		}
		for _, n := range view.Notes {
			for _, t := range n.Text {
				refs := v.noteRefs(t)
				if len(refs) == 0 {
					continue
				}
				nr := noteRefs{from: n.From, text: t, refs: refs}
				switch n.Kind {
				case "excludes1":
					info.excl1 = append(info.excl1, nr)
				case "excludes2":
					// A chapter's Excludes2 lists whole other chapters ("endocrine
					// diseases (E00-E88)"): true, and noise on every claim.
					if !strings.HasPrefix(n.From, "chapter ") {
						info.excl2 = append(info.excl2, nr)
					}
				case "code_first":
					info.first = append(info.first, nr)
				case "use_additional_code":
					// A chapter's or block's "use additional code" names
					// what may apply to any of hundreds of codes; only
					// the code's own and its category's are a partner
					// the claim should carry.
					if !strings.HasPrefix(n.From, "chapter ") && !strings.Contains(n.From, "-") {
						info.additional = append(info.additional, nr)
					}
				}
			}
		}
		// The convention: a manifestation code says "in diseases classified
		// elsewhere" and carries a "code first" note for its etiology.
		info.manifest = strings.Contains(strings.ToLower(e.Title), "in diseases classified elsewhere") && len(info.first) > 0
		if !info.manifest {
			// The Alphabetic Index prints manifestation codes in brackets
			// after their etiology ("Amyloid heart E85.4 [I43]").
			if info.manifest, err = v.cb.ix.IsManifestation(rel.ID, code); err != nil {
				return nil, err
			}
		}
	}
	info.exclInitials = refLetters(refLetters(0, info.excl1), info.excl2)
	info.partnerInitials = refLetters(refLetters(0, info.additional), info.first)
	return info, nil
}

// ancestors returns the entries from the category down to the code, as
// Codebook.ancestors does, the code's own entry given: the entries of
// categories and subcategories are read once for all the codes below them.
func (v *Validator) ancestors(t *codeTable, code string, e *index.Entry) ([]*index.Entry, error) {
	chain := []*index.Entry{e}
	for c := codeset.ICDParent(code); c != ""; c = codeset.ICDParent(c) {
		pe, ok := t.entries[c]
		if !ok {
			var err error
			if pe, err = v.cb.ix.Get(t.icd.ID, c); err != nil {
				return nil, err
			}
			t.entries[c] = pe
		}
		if pe != nil {
			chain = append(chain, pe)
		}
	}
	slices.Reverse(chain)
	return chain, nil
}

// noteRefs caches NoteRefs: a category's notes apply to every code below it.
func (v *Validator) noteRefs(text string) []CodeRef {
	refs, ok := v.refs[text]
	if !ok {
		refs = NoteRefs(text)
		v.refs[text] = refs
	}
	return refs
}

func (v *Validator) validity(rel *index.ReleaseInfo, code string, info *dxInfo) (Finding, bool, error) {
	dotted := codeset.DotICD(code)
	if info.entry == nil {
		view := &CodeView{}
		if err := v.cb.nearestICD(view, rel.ID, code); err != nil {
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
	if !info.entry.Billable {
		bill, total, err := v.cb.ix.Descendants(rel.ID, code, true, 5)
		if err != nil {
			return Finding{}, false, err
		}
		rule, what := "dx-header", "a header code, not valid on a claim"
		if len(code) == 6 && len(bill) > 0 && len(bill[0].Code) == 7 {
			rule, what = "dx-seventh-character", "incomplete: it needs a 7th character"
		}
		msg := fmt.Sprintf("%s is %s; report one of %d codes below it, e.g. %s", dotted, what, total, briefCodes(briefs(bill), 5))
		return Finding{Rule: rule, Severity: SeverityError, Codes: []string{dotted}, Message: msg}, true, nil
	}
	return Finding{}, false, nil
}

func briefCodes(bs []Brief, n int) string {
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
func (v *Validator) dxPairs(rep *Report, t *codeTable, dxs []*dxCode) {
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
			if a == b { // the same code: a table has one record a code
				need[i] |= a.self
				need[j] |= a.self
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
		if d == nil || d.info.entry == nil {
			continue
		}
		if d.additional != nil && need[i]&partnerAdditional == 0 {
			rep.add(*d.additional)
		}
		if d.principal != nil && i == 0 {
			rep.add(*d.principal)
		}
		if d.codeFirst != nil && need[i]&partnerFirst == 0 {
			rep.add(*d.codeFirst)
		}
	}
}

// Bits of what a diagnosis finds in another: a code its "use additional
// code" notes name, a code its "code first" notes name.
const (
	partnerAdditional uint8 = 1 << iota
	partnerFirst
)

// partners says which of a's notes name code.
func partners(a *dxInfo, code string) uint8 {
	var p uint8
	if a == nil || a.entry == nil || a.partnerInitials&initial(code) == 0 {
		return 0
	}
	if notesMatch(a.additional, code) {
		p |= partnerAdditional
	}
	if notesMatch(a.first, code) {
		p |= partnerFirst
	}
	return p
}

func notesMatch(notes []noteRefs, code string) bool {
	for _, n := range notes {
		if matchesAny(n.refs, code) {
			return true
		}
	}
	return false
}

// excludes are the Excludes findings between two diagnoses, the first code
// of the claim reported first.
func excludes(a, b string, ia, ib *dxInfo) []Finding {
	if ia.exclInitials&initial(b) == 0 && ib.exclInitials&initial(a) == 0 {
		return nil
	}
	var fs []Finding
	var seen [2]bool // a finding of each rule, whichever code's note it is
	for _, dir := range []struct {
		x, y string
		info *dxInfo
	}{{a, b, ia}, {b, a, ib}} {
		for k, kind := range []struct {
			rule  string
			sev   Severity
			notes []noteRefs
		}{{"excludes1", SeverityError, dir.info.excl1}, {"excludes2", SeverityInfo, dir.info.excl2}} {
			for _, n := range kind.notes {
				if seen[k] || !matchesAny(n.refs, dir.y) {
					continue
				}
				seen[k] = true
				x, y := codeset.DotICD(dir.x), codeset.DotICD(dir.y)
				msg := fmt.Sprintf("%s and %s should not be coded together: %s has an Excludes1 note for %s", x, y, n.from, y)
				if kind.rule == "excludes2" {
					msg = fmt.Sprintf("%s and %s may both be coded if both conditions are present (Excludes2 at %s)", x, y, n.from)
				}
				fs = append(fs, *sealed(Finding{Rule: kind.rule, Severity: kind.sev, Codes: []string{x, y}, Message: msg, Source: kind.rule + " at " + n.from + ": " + n.text}))
			}
		}
	}
	return fs
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
func (v *Validator) procedures(rep *Report, c *Claim, t *codeTable, pxs []*pxCode) error {
	if len(c.Px) == 0 {
		return nil
	}
	if t.hcp == nil {
		rep.Checks = append(rep.Checks, Check{Rule: "px-valid", Checked: false, Note: "no HCPCS release loaded"})
		return nil
	}
	for i, p := range c.Px {
		rec := pxs[i]
		switch {
		case rec.cpt != nil:
			rep.add(*rec.cpt)
		case rec.unknown != nil:
			rep.add(*rec.unknown)
		case !c.Date.IsZero() && !inEffect(rec.entry.HCPCS, c.Date):
			if val := hcpcsValidity(rec.entry.HCPCS, t.hcp, c.Date); !val.Valid {
				rep.add(Finding{Rule: "px-not-effective", Severity: SeverityError, Codes: []string{p.Code}, Message: fmt.Sprintf("%s is not valid on %s: %s", p.Code, val.Date, val.Reason)})
			}
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

// inEffect is the cheap test behind hcpcsValidity, which builds its
// explanation: most codes on most claims are in effect.
func inEffect(r *codeset.HCPCSRecord, d time.Time) bool {
	return (r.Added.IsZero() || !d.Before(r.Added)) && (r.Terminated.IsZero() || !d.After(r.Terminated))
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
