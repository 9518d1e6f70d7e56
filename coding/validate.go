package coding

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/index"
)

// Validator runs every edit on claims. It caches code look-ups, so a batch
// of claims costs map reads after the first few. A Validator is not safe
// for concurrent use: give each goroutine its own (they share the code
// book), which also spares the caches any locking.
type Validator struct {
	cb       *Codebook
	packs    []*RulePack
	settings Settings

	cache map[codeKey]*dxInfo
	pxc   map[codeKey]*index.Entry
	ptpc  map[pairKey][]ptpEdit
	pairc map[pairKey][]Finding
	notes map[pairKey]string
	// rules is every rule of the packs in pack order; ruleHits caches which
	// of them name a code.
	rules    []*Rule
	ruleHits map[codeKey][]*Rule
	cpt      map[string]*Finding
	norm     map[string]normalized

	dxBuf   []string
	infoBuf []*dxInfo
	muec    map[codeKey][]index.MUERow
	rels    map[relKey]relPick
}

// codeKey and pairKey key the caches without building strings: at batch
// speed, the concatenations cost more than the look-ups.
type codeKey struct{ rel, code string }

type pairKey struct{ rel, a, b string }

type relKey struct {
	sys  codeset.System
	date time.Time
}

type relPick struct {
	rel  *index.ReleaseInfo
	note string
}

// release caches ReleaseFor by system and date of service.
func (v *Validator) release(sys codeset.System, d time.Time) (*index.ReleaseInfo, string, error) {
	k := relKey{sys, d}
	p, ok := v.rels[k]
	if ok {
		return p.rel, p.note, nil
	}
	rel, note, err := v.cb.ReleaseFor(sys, Pick{Date: d})
	if err != nil {
		return nil, "", err
	}
	v.rels[k] = relPick{rel, note}
	return rel, note, nil
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
	additional        []noteRefs
	additionalFinding *Finding // written once, on first need
	manifest          bool

	// The validity finding depends only on the code and release, and a
	// header's takes a scan of the codes below it: computed once.
	validOnce sync.Once
	invalid   *Finding
	validErr  error
}

type noteRefs struct {
	from string // where the note is printed
	text string
	refs []CodeRef
}

// NewValidator prepares validation with the given rule packs.
func (cb *Codebook) NewValidator(packs []*RulePack, settings Settings) *Validator {
	return &Validator{cb: cb, packs: packs, settings: settings, cache: map[codeKey]*dxInfo{}, pxc: map[codeKey]*index.Entry{},
		ptpc: map[pairKey][]ptpEdit{}, pairc: map[pairKey][]Finding{}, notes: map[pairKey]string{}, ruleHits: map[codeKey][]*Rule{}, cpt: map[string]*Finding{}, norm: map[string]normalized{}, muec: map[codeKey][]index.MUERow{}, rels: map[relKey]relPick{}}
}

// Validate runs the edits on one claim. Findings come out in a stable
// order: by rule, then codes.
func (v *Validator) Validate(c *Claim) (*Report, error) {
	rep := &Report{Findings: make([]Finding, 0, 4), Checks: make([]Check, 0, 2)}
	icd, _, err := v.release(codeset.ICD10CM, c.Date)
	if err != nil {
		return nil, err
	}
	hcp, _, err := v.release(codeset.HCPCS, c.Date)
	if err != nil {
		return nil, err
	}
	// Scratch reused from claim to claim: nothing keeps them past Validate.
	dx := scratch(&v.dxBuf, len(c.Dx))
	infos := scratch(&v.infoBuf, len(c.Dx))
	for i, d := range c.Dx {
		code, err := v.normalize(d)
		if err != nil {
			rep.add(Finding{Rule: "dx-invalid", Severity: SeverityError, Codes: []string{d}, Message: err.Error()})
			continue
		}
		dx[i] = code
		if icd == nil {
			continue
		}
		info, err := v.dx(icd, code)
		if err != nil {
			return nil, err
		}
		infos[i] = info
		info.validOnce.Do(func() {
			if f, ok, err := v.validity(icd, code, info); err != nil {
				info.validErr = err
			} else if ok {
				info.invalid = sealed(f)
			}
		})
		if info.validErr != nil {
			return nil, info.validErr
		}
		if info.invalid != nil {
			rep.add(*info.invalid)
		}
	}
	if icd == nil && len(c.Dx) > 0 {
		rep.Checks = append(rep.Checks, Check{Rule: "dx-valid", Checked: false, Note: "no ICD-10-CM release loaded"})
	} else if icd != nil && !c.Date.IsZero() && !icd.Release.Covers(c.Date) {
		rep.add(Finding{Rule: "dx-release", Severity: SeverityWarning, Message: fmt.Sprintf("no loaded ICD-10-CM release covers %s; checked against %s", c.Date.Format("2006-01-02"), icd.Release)})
	}
	if icd != nil {
		v.excludes(rep, icd.ID, dx, infos)
	}
	v.sequencing(rep, dx, infos)
	if err := v.procedures(rep, c, hcp); err != nil {
		return nil, err
	}
	// Only the rules some code of the claim names can fire; which rules a
	// code names is worked out once per code.
	var fire []*Rule
	for _, d := range dx {
		if d != "" {
			fire = appendRules(fire, v.rulesFor(d, true))
		}
	}
	for _, p := range c.Px {
		fire = appendRules(fire, v.rulesFor(p.Code, false))
	}
	for _, r := range v.allRules() {
		if containsRule(fire, r) {
			r.apply(rep, c, dx)
		}
	}
	if err := v.ncci(rep, c); err != nil {
		return nil, err
	}
	sortFindings(rep.Findings)
	return rep, nil
}

func (v *Validator) dx(rel *index.ReleaseInfo, code string) (*dxInfo, error) {
	key := codeKey{rel.ID, code}
	info, ok := v.cache[key]
	if ok {
		return info, nil
	}
	info = &dxInfo{}
	e, err := v.cb.ix.Get(rel.ID, code)
	if err != nil {
		return nil, err
	}
	info.entry = e
	if e != nil {
		chain, err := v.cb.ancestors(rel.ID, code)
		if err != nil {
			return nil, err
		}
		view := &CodeView{}
		if err := v.cb.placeICD(view, rel.ID, code, chain); err != nil {
			return nil, err
		}
		for _, n := range view.Notes {
			for _, t := range n.Text {
				refs := NoteRefs(t)
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
	v.cache[key] = info
	return info, nil
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

// excludes applies Excludes1 (never together: error) and Excludes2 (not
// included here, may be coded together: info) between every two diagnoses.
func (v *Validator) excludes(rep *Report, rel string, dx []string, infos []*dxInfo) {
	for i := range dx {
		if infos[i] == nil || infos[i].entry == nil {
			continue
		}
		for j := i + 1; j < len(dx); j++ {
			if infos[j] == nil || infos[j].entry == nil || dx[i] == dx[j] {
				continue
			}
			for _, f := range v.pairFindings(rel, dx[i], dx[j], infos[i], infos[j]) {
				rep.add(f)
			}
		}
	}
}

// pairFindings are the Excludes findings between two diagnoses, worked out
// once per pair and release: a batch meets the same pairs over and over.
// The first code of the claim is reported first.
func (v *Validator) pairFindings(rel, a, b string, ia, ib *dxInfo) []Finding {
	key := pairKey{rel, a, b}
	fs, ok := v.pairc[key]
	if ok {
		return fs
	}
	seen := map[string]bool{}
	for _, dir := range []struct {
		x, y string
		info *dxInfo
	}{{a, b, ia}, {b, a, ib}} {
		for _, kind := range []struct {
			rule  string
			sev   Severity
			notes []noteRefs
		}{{"excludes1", SeverityError, dir.info.excl1}, {"excludes2", SeverityInfo, dir.info.excl2}} {
			for _, n := range kind.notes {
				if seen[kind.rule] || !matchesAny(n.refs, dir.y) {
					continue
				}
				seen[kind.rule] = true
				x, y := codeset.DotICD(dir.x), codeset.DotICD(dir.y)
				msg := fmt.Sprintf("%s and %s should not be coded together: %s has an Excludes1 note for %s", x, y, n.from, y)
				if kind.rule == "excludes2" {
					msg = fmt.Sprintf("%s and %s may both be coded if both conditions are present (Excludes2 at %s)", x, y, n.from)
				}
				fs = append(fs, *sealed(Finding{Rule: kind.rule, Severity: kind.sev, Codes: []string{x, y}, Message: msg, Source: kind.rule + " at " + n.from + ": " + n.text}))
			}
		}
	}
	v.pairc[key] = fs
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

// sequencing: a manifestation code may not be principal, and its etiology
// ("code first") should be on the claim.
func (v *Validator) sequencing(rep *Report, dx []string, infos []*dxInfo) {
	for i, info := range infos {
		if info == nil || info.entry == nil {
			continue
		}
		if len(info.additional) > 0 && !partnerOnClaim(dx, i, info.additional) {
			if info.additionalFinding == nil {
				code := codeset.DotICD(dx[i])
				n := info.additional[0]
				info.additionalFinding = sealed(Finding{Rule: "use-additional-missing", Severity: SeverityWarning, Codes: []string{code},
					Message: code + " says to use an additional code where it applies, and none of the codes it names is on the claim",
					Source:  "use additional code at " + n.from + ": " + n.text})
			}
			rep.add(*info.additionalFinding)
		}
		if !info.manifest {
			continue
		}
		code := codeset.DotICD(dx[i])
		src := "Alphabetic Index: printed in brackets as a manifestation"
		if len(info.first) > 0 {
			src = "code first at " + info.first[0].from + ": " + info.first[0].text
		}
		if i == 0 {
			rep.add(Finding{Rule: "manifestation-principal", Severity: SeverityError, Codes: []string{code},
				Message: fmt.Sprintf("%s is a manifestation code and cannot be the principal or first-listed diagnosis; sequence the underlying condition first", code), Source: src})
		}
		if len(info.first) > 0 && !partnerOnClaim(dx, i, info.first) {
			rep.add(Finding{Rule: "code-first-missing", Severity: SeverityWarning, Codes: []string{code},
				Message: fmt.Sprintf("%s says to code first the underlying condition, and none of the codes it names is on the claim", code), Source: src})
		}
	}
}

// partnerOnClaim reports whether another diagnosis matches the notes' codes.
func partnerOnClaim(dx []string, self int, notes []noteRefs) bool {
	for j, other := range dx {
		if j == self || other == "" {
			continue
		}
		for _, n := range notes {
			if matchesAny(n.refs, other) {
				return true
			}
		}
	}
	return false
}

// procedures checks HCPCS validity on the date of service and modifiers.
func (v *Validator) procedures(rep *Report, c *Claim, rel *index.ReleaseInfo) error {
	if len(c.Px) == 0 {
		return nil
	}
	if rel == nil {
		rep.Checks = append(rep.Checks, Check{Rule: "px-valid", Checked: false, Note: "no HCPCS release loaded"})
		return nil
	}
	for _, p := range c.Px {
		if isCPT(p.Code) {
			rep.add(*v.cptFinding(p.Code))
		} else {
			e, err := v.hcpcs(rel, p.Code)
			if err != nil {
				return err
			}
			switch {
			case e == nil:
				rep.add(Finding{Rule: "px-unknown", Severity: SeverityError, Codes: []string{p.Code}, Message: fmt.Sprintf("%s is not an HCPCS Level II code in %s", p.Code, rel.Release)})
			case e.HCPCS.IsModifier:
				rep.add(Finding{Rule: "px-unknown", Severity: SeverityError, Codes: []string{p.Code}, Message: fmt.Sprintf("%s is a modifier, not a procedure code", p.Code)})
			case !c.Date.IsZero() && !inEffect(e.HCPCS, c.Date):
				if val := hcpcsValidity(e.HCPCS, rel, c.Date); !val.Valid {
					rep.add(Finding{Rule: "px-not-effective", Severity: SeverityError, Codes: []string{p.Code}, Message: fmt.Sprintf("%s is not valid on %s: %s", p.Code, val.Date, val.Reason)})
				}
			}
		}
		for _, m := range p.Modifiers {
			if isDigits(m) {
				continue // CPT modifiers (25, 59) are not in the HCPCS file
			}
			e, err := v.hcpcs(rel, m)
			if err != nil {
				return err
			}
			if e == nil || !e.HCPCS.IsModifier {
				rep.add(Finding{Rule: "px-modifier-unknown", Severity: SeverityError, Codes: []string{p.Code, m}, Message: fmt.Sprintf("%s is not an HCPCS Level II modifier in %s", m, rel.Release)})
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

func (v *Validator) hcpcs(rel *index.ReleaseInfo, code string) (*index.Entry, error) {
	key := codeKey{rel.ID, code}
	e, ok := v.pxc[key]
	if ok {
		return e, nil
	}
	e, err := v.cb.ix.Get(rel.ID, code)
	if err != nil {
		return nil, err
	}
	v.pxc[key] = e
	return e, nil
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

// cptFinding says, once per code, that a CPT code's validity is unchecked.
func (v *Validator) cptFinding(code string) *Finding {
	f, ok := v.cpt[code]
	if !ok {
		f = sealed(Finding{Rule: "px-cpt-unchecked", Severity: SeverityInfo, Codes: []string{code},
			Message: code + " is a CPT code: the HCPCS Level II file does not list CPT codes, so its validity was not checked"})
		v.cpt[code] = f
	}
	return f
}

func (v *Validator) allRules() []*Rule {
	if v.rules == nil {
		v.rules = []*Rule{}
		for _, p := range v.packs {
			v.rules = append(v.rules, p.Rules...)
		}
	}
	return v.rules
}

// rulesFor lists the rules whose dx (or px) patterns name a code.
func (v *Validator) rulesFor(code string, dx bool) []*Rule {
	rules := v.allRules()
	key := codeKey{"dx", code}
	if !dx {
		key.rel = "px"
	}
	rs, ok := v.ruleHits[key]
	if ok {
		return rs
	}
	for _, r := range rules {
		pats := r.px
		if dx {
			pats = r.dx
		}
		if matchesAny(pats, code) {
			rs = append(rs, r)
		}
	}
	v.ruleHits[key] = rs
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

type normalized struct {
	code string
	err  error
}

// normalize caches NormalizeICD: a batch repeats the same few thousand codes.
func (v *Validator) normalize(s string) (string, error) {
	if n, ok := v.norm[s]; ok {
		return n.code, n.err
	}
	code, err := codeset.NormalizeICD(s)
	if len(v.norm) < maxNormCache {
		v.norm[s] = normalized{code, err}
	}
	return code, err
}

// maxNormCache bounds the normalisation cache against a file of garbage.
const maxNormCache = 200000

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
