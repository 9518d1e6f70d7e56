package validate

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/medcode/medcode/coding"
	"github.com/medcode/medcode/coding/claims"

	"gopkg.in/yaml.v3"

	"github.com/medcode/medcode/codeset"
)

// builtinPacks are the rule packs shipped in the binary.
//
//go:embed rules/*.yaml
var builtinPacks embed.FS

// RulePack is a set of payer or local edits written in YAML. The schema is
// documented in rules/README.md and by `medcode rules --help`.
type RulePack struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Source      string `json:"source"` // file the pack came from
	Builtin     bool   `json:"builtin"`
	// NCCI holds the pack's NCCI settings.
	NCCI NCCISettings `json:"ncci,omitzero"`
	// Notes holds how the Tabular-note edits grade their findings.
	Notes NotesSettings `json:"notes,omitzero"`
	// Approximates is "mce" for a pack that stands in for the Medicare
	// Code Editor's edits: its rules do not run where the MCE tables are
	// in force.
	Approximates string  `json:"approximates,omitempty"`
	Rules        []*Rule `json:"rules"`
}

// NotesSettings grade the findings of the Tabular-note edits.
type NotesSettings struct {
	// UseAdditional is the severity of a missing "use additional code"
	// partner: info by default.
	UseAdditional Severity `yaml:"use_additional" json:"use_additional,omitempty"`
}

// NCCISettings are how a payer applies the NCCI edits.
type NCCISettings struct {
	// ModifierOn is "column2" (CMS's rule, the default) or "either": some
	// payers accept the NCCI-associated modifier on the column-1 code too.
	ModifierOn string `yaml:"modifier_on" json:"modifier_on,omitempty"`
}

// Rule is one edit of a pack.
type Rule struct {
	ID        string   `yaml:"id" json:"id"`
	Severity  Severity `yaml:"severity" json:"severity"`
	Message   string   `yaml:"message" json:"message"`
	Reference string   `yaml:"reference" json:"reference,omitempty"`
	// Dx and Px are the codes the rule is about: exact codes ("E11.9"),
	// wildcards ("E11*", "E11.-"), ranges ("O00-O9A").
	Dx []string `yaml:"dx" json:"dx,omitempty"`
	Px []string `yaml:"px" json:"px,omitempty"`
	// Exactly one condition:
	Sex      string    `yaml:"sex" json:"sex,omitempty"`           // the code is for this sex only: F or M
	Age      *AgeRange `yaml:"age" json:"age,omitempty"`           // the code is for these ages only
	Excludes *CodeSet  `yaml:"excludes" json:"excludes,omitempty"` // not with any of these
	Requires *CodeSet  `yaml:"requires" json:"requires,omitempty"` // only with one of these
	Units    *Units    `yaml:"units" json:"units,omitempty"`       // at most this many units a claim
	// Effective limits the dates of service the rule applies to.
	Effective *DateRange `yaml:"effective" json:"effective,omitempty"`

	dx, px []CodeRef
	line   int
	pack   string
	// approx: the rule's pack approximates the MCE.
	approx bool
}

// AgeRange is inclusive, in years.
type AgeRange struct {
	Min *int `yaml:"min" json:"min,omitempty"`
	Max *int `yaml:"max" json:"max,omitempty"`
}

func (a *AgeRange) allows(age int) bool {
	return (a.Min == nil || age >= *a.Min) && (a.Max == nil || age <= *a.Max)
}

// CodeSet names other codes of the claim.
type CodeSet struct {
	Dx []string `yaml:"dx" json:"dx,omitempty"`
	Px []string `yaml:"px" json:"px,omitempty"`

	dx, px []CodeRef
}

// Units limits a procedure's units on one claim.
type Units struct {
	Max int `yaml:"max" json:"max"`
}

// DateRange is inclusive; either end may be open.
type DateRange struct {
	From string `yaml:"from" json:"from,omitempty"`
	To   string `yaml:"to" json:"to,omitempty"`

	from, to time.Time
}

type packFile struct {
	Pack         string        `yaml:"pack"`
	Version      int           `yaml:"version"`
	Description  string        `yaml:"description"`
	NCCI         NCCISettings  `yaml:"ncci"`
	Notes        NotesSettings `yaml:"notes"`
	Approximates string        `yaml:"approximates"`
	Rules        []yaml.Node   `yaml:"rules"`
}

var ruleKeys = map[string]bool{"id": true, "severity": true, "message": true, "reference": true, "dx": true, "px": true,
	"sex": true, "age": true, "excludes": true, "requires": true, "units": true, "effective": true}

// knownKeys catches a misspelt field, which yaml.v3 ignores when decoding a
// node: a rule with a typo must not silently check nothing.
func knownKeys(n *yaml.Node, keys map[string]bool) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("%d: a rule must be a mapping", n.Line)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !keys[k.Value] {
			return fmt.Errorf("%d: unknown field %q", k.Line, k.Value)
		}
	}
	return nil
}

// LoadRulePacks reads the built-in packs and then the user's files.
func LoadRulePacks(files ...string) ([]*RulePack, error) {
	var out []*RulePack
	names, err := fs.Glob(builtinPacks, "rules/*.yaml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	for _, n := range names {
		b, err := builtinPacks.ReadFile(n)
		if err != nil {
			return nil, err
		}
		p, err := ParseRulePack(b, "built-in "+strings.TrimPrefix(n, "rules/"))
		if err != nil {
			return nil, err
		}
		p.Builtin = true
		out = append(out, p)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		p, err := ParseRulePack(b, f)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	ids := map[string]string{}
	for _, p := range out {
		for _, r := range p.Rules {
			if prev, ok := ids[r.ID]; ok {
				return nil, fmt.Errorf("%s:%d: rule id %q is already used in %s", p.Source, r.line, r.ID, prev)
			}
			ids[r.ID] = p.Source
		}
	}
	return out, nil
}

// ParseRulePack reads one pack, naming the file and line of any mistake.
func ParseRulePack(b []byte, name string) (*RulePack, error) {
	var pf packFile
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&pf); err != nil {
		return nil, fmt.Errorf("%s: %s", name, coding.YAMLMessage(err))
	}
	if pf.Version != 1 {
		return nil, fmt.Errorf("%s: version %d, want 1", name, pf.Version)
	}
	if pf.Pack == "" {
		return nil, fmt.Errorf("%s: the pack has no name (pack: ...)", name)
	}
	switch pf.NCCI.ModifierOn {
	case "", "column2", "either":
	default:
		return nil, fmt.Errorf("%s: ncci modifier_on %q: want column2 or either", name, pf.NCCI.ModifierOn)
	}
	switch pf.Notes.UseAdditional {
	case "", SeverityError, SeverityWarning, SeverityInfo:
	default:
		return nil, fmt.Errorf("%s: notes use_additional %q: want error, warning or info", name, pf.Notes.UseAdditional)
	}
	switch pf.Approximates {
	case "", "mce":
	default:
		return nil, fmt.Errorf("%s: approximates %q: want mce", name, pf.Approximates)
	}
	p := &RulePack{Name: pf.Pack, Description: pf.Description, Source: name, NCCI: pf.NCCI, Notes: pf.Notes, Approximates: pf.Approximates}
	for i := range pf.Rules {
		node := &pf.Rules[i]
		r := &Rule{line: node.Line, pack: pf.Pack, approx: pf.Approximates == "mce"}
		if err := knownKeys(node, ruleKeys); err != nil {
			return nil, fmt.Errorf("%s:%v", name, err)
		}
		if err := node.Decode(r); err != nil {
			return nil, fmt.Errorf("%s: %s", name, coding.YAMLMessage(err))
		}
		if err := r.compile(); err != nil {
			return nil, fmt.Errorf("%s:%d: rule %q: %v", name, node.Line, r.ID, err)
		}
		p.Rules = append(p.Rules, r)
	}
	return p, nil
}

func (r *Rule) compile() error {
	if r.ID == "" {
		return errors.New("no id")
	}
	switch r.Severity {
	case SeverityError, SeverityWarning, SeverityInfo:
	case "":
		r.Severity = SeverityError
	default:
		return fmt.Errorf("severity %q: want error, warning or info", r.Severity)
	}
	if r.Message == "" {
		return errors.New("no message")
	}
	var err error
	if r.dx, err = patterns(r.Dx, true); err != nil {
		return err
	}
	if r.px, err = patterns(r.Px, false); err != nil {
		return err
	}
	if len(r.dx)+len(r.px) == 0 {
		return errors.New("names no codes (dx: or px:)")
	}
	conds := 0
	if r.Sex != "" {
		conds++
		r.Sex = strings.ToUpper(r.Sex[:1])
		if r.Sex != "F" && r.Sex != "M" {
			return fmt.Errorf("sex %q: want F or M", r.Sex)
		}
	}
	if r.Age != nil {
		conds++
		if r.Age.Min == nil && r.Age.Max == nil {
			return errors.New("age needs min or max")
		}
	}
	for _, cs := range []*CodeSet{r.Excludes, r.Requires} {
		if cs == nil {
			continue
		}
		conds++
		if cs.dx, err = patterns(cs.Dx, true); err != nil {
			return err
		}
		if cs.px, err = patterns(cs.Px, false); err != nil {
			return err
		}
		if len(cs.dx)+len(cs.px) == 0 {
			return errors.New("excludes/requires names no codes")
		}
	}
	if r.Units != nil {
		conds++
		if r.Units.Max < 1 || len(r.px) == 0 {
			return errors.New("units needs max of 1 or more and px codes")
		}
	}
	if conds != 1 {
		return fmt.Errorf("has %d conditions: give exactly one of sex, age, excludes, requires, units", conds)
	}
	if d := r.Effective; d != nil {
		for _, x := range []struct {
			s string
			t *time.Time
		}{{d.From, &d.from}, {d.To, &d.to}} {
			if x.s == "" {
				continue
			}
			if *x.t, err = time.Parse("2006-01-02", x.s); err != nil {
				return fmt.Errorf("effective date %q: want YYYY-MM-DD", x.s)
			}
		}
	}
	return nil
}

// patterns compiles code patterns: "E11.9", "E11*", "E11.-", "O00-O9A".
func patterns(ps []string, icd bool) ([]CodeRef, error) {
	var out []CodeRef
	for _, p := range ps {
		t := strings.ToUpper(strings.TrimSpace(p))
		t = strings.TrimSuffix(strings.TrimSuffix(t, "*"), ".-")
		from, to, isRange := strings.Cut(t, "-")
		if !isRange {
			to = from
		}
		from, to = strings.TrimSpace(from), strings.TrimSpace(to)
		if icd {
			from, to = codeset.UndotICD(from), codeset.UndotICD(to)
		}
		if from == "" || to == "" || strings.ContainsAny(from+to, "*. ") {
			return nil, fmt.Errorf("bad code pattern %q: use E11.9, E11*, E11.- or O00-O9A", p)
		}
		out = append(out, CodeRef{From: from, To: to})
	}
	return out, nil
}

func (r *Rule) active(c *claims.Claim) bool {
	if r.Effective == nil || c.Date.IsZero() {
		return true
	}
	if !r.Effective.from.IsZero() && c.Date.Before(r.Effective.from) {
		return false
	}
	if !r.Effective.to.IsZero() && c.Date.After(r.Effective.to) {
		return false
	}
	return true
}

// applyRules applies the rules some code of the claim names, in pack
// order. A rule of a pack that approximates the MCE gives way to the MCE
// tables when they are in force (mce), and says it is an approximation
// when it runs; an age or sex rule with the patient's age or sex unknown
// says it was not checked.
func (v *Validator) applyRules(rep *Report, c *claims.Claim, dx []string, fire []*Rule, mce bool) {
	var approx, noAge, noSex bool
	for _, r := range v.rules {
		if !containsRule(fire, r) || !r.active(c) {
			continue
		}
		if r.approx {
			if mce {
				continue
			}
			approx = true
		}
		switch {
		case r.Age != nil && c.Age == nil:
			noAge = true
			continue
		case r.Sex != "" && c.Sex == "":
			noSex = true
			continue
		}
		r.apply(rep, c, dx)
	}
	if approx {
		rep.Checks = append(rep.Checks, Check{Rule: "age-sex", Checked: true,
			Note: "age and sex edits from the built-in approximation of the Medicare Code Editor: no MCE tables loaded cover the claim"})
	}
	if noAge {
		rep.Checks = append(rep.Checks, Check{Rule: "age", Checked: false, Note: "patient age unknown: the rule packs' age edits were not checked"})
	}
	if noSex {
		rep.Checks = append(rep.Checks, Check{Rule: "sex", Checked: false, Note: "patient sex unknown: the rule packs' sex edits were not checked"})
	}
}

func (r *Rule) apply(rep *Report, c *claims.Claim, dx []string) {
	if !r.active(c) {
		return
	}
	// A sex or age rule the patient meets needs no codes listed: most
	// claims that name its codes meet it.
	switch {
	case r.Sex != "":
		if c.Sex == "" || c.Sex == r.Sex {
			return
		}
	case r.Age != nil:
		if c.Age == nil || r.Age.allows(*c.Age) {
			return
		}
	}
	var hits []string // display codes the rule is about
	for _, d := range dx {
		if d != "" && matchesAny(r.dx, d) {
			hits = append(hits, codeset.DotICD(d))
		}
	}
	for _, p := range c.Px {
		if matchesAny(r.px, p.Code) && !slices.Contains(hits, p.Code) {
			hits = append(hits, p.Code)
		}
	}
	if len(hits) == 0 {
		return
	}
	src := "rule pack " + r.pack
	if r.Reference != "" {
		src += ": " + r.Reference
	}
	emit := func(codes []string, detail string) {
		msg := strings.ReplaceAll(r.Message, "{codes}", strings.Join(codes, ", "))
		if detail != "" {
			msg += " (" + detail + ")"
		}
		rep.add(Finding{Rule: r.ID, Severity: r.Severity, Codes: codes, Message: msg, Source: src})
	}
	switch {
	case r.Sex != "":
		emit(hits, "patient sex "+c.Sex)
	case r.Age != nil:
		emit(hits, fmt.Sprintf("patient age %d", *c.Age))
	case r.Excludes != nil:
		if others := r.Excludes.present(c, dx); len(others) > 0 {
			emit(append(hits, others...), "")
		}
	case r.Requires != nil:
		if len(r.Requires.present(c, dx)) == 0 {
			emit(hits, "")
		}
	case r.Units != nil:
		for _, code := range hits {
			n := 0
			for _, p := range c.Px {
				if p.Code == code {
					n += p.Units
				}
			}
			if n > r.Units.Max {
				emit([]string{code}, fmt.Sprintf("%d units, at most %d", n, r.Units.Max))
			}
		}
	}
}

func (cs *CodeSet) present(c *claims.Claim, dx []string) []string {
	var out []string
	for _, d := range dx {
		if d != "" && matchesAny(cs.dx, d) {
			out = append(out, codeset.DotICD(d))
		}
	}
	for _, p := range c.Px {
		if matchesAny(cs.px, p.Code) {
			out = append(out, p.Code)
		}
	}
	return out
}
