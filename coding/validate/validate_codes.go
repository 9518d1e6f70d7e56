package validate

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/medcode/medcode/coding"
	"github.com/medcode/medcode/coding/internal/memo"
	"github.com/medcode/medcode/coding/lookup"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/index"
)

// A batch meets the same codes and dates over and over, so everything the
// edits need about a code is worked out once, into one record that the
// workers of a batch share, and each finds it with one map read of its own
// per code of a claim. Claims drawn from tens of thousands of codes meet
// each code a few times, so a record is cheap to make and small to keep:
// it reads the code's entry, and shares the notes above it with its
// siblings. Pairs of codes are keyed by the two records' numbers, not by
// their strings: hashing strings was a fifth of the run.

// relSet is the releases in force on a date of service; nil where none is
// loaded.
type relSet struct{ icd, hcp, ncci, mce *index.ReleaseInfo }

// serviceDay is what a date of service decides: the releases and the
// caches that go with them, and the checks that depend on the date alone.
type serviceDay struct {
	t *localTable
	// icdLate says no loaded ICD-10-CM release covers the date.
	icdLate *Finding
	// ptp and mue say whether the NCCI edits ran, and why not.
	ptp, mue       Check
	runPTP, runMUE bool
	// date is the date as findings write it; hcpLate notes that the
	// HCPCS release in force ends before it.
	date, hcpLate string
	// pxLate says no loaded HCPCS release covers the date.
	pxLate *Finding
	// noNotes says the ICD-10-CM release has no Tabular notes loaded.
	noNotes bool
	// mce is set when the MCE edits run on the date; mceCheck says
	// whether they do, and why not.
	mce      *mceDay
	mceCheck Check
}

// SharedTables are the code tables of a run, one per set of releases,
// shared by its validators.
type SharedTables struct {
	mu sync.Mutex
	m  map[relSet]*codeTable
}

func (s *SharedTables) table(rs relSet) *codeTable {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.m[rs]
	if t == nil {
		if s.m == nil {
			s.m = map[relSet]*codeTable{}
		}
		t = &codeTable{relSet: rs}
		s.m[rs] = t
	}
	return t
}

// codeTable is the code records of one set of releases, shared by the
// validators of a run: a record is worked out once, by whichever of them
// meets its code first, and never changes after.
type codeTable struct {
	relSet
	ids       atomic.Uint32     // the last id given
	dxRecords memo.Map[*dxCode] // by normalised code
	pxRecords memo.Map[*pxCode]
	// chains are the notes over the ICD-10-CM codes read and those above
	// them, by code.
	chains  memo.Map[*noteChain]
	tabular tabular
}

// localTable is a validator's own view of a code table: the records met,
// by the claims' spellings, and the pairs of codes met, read without
// locking.
type localTable struct {
	*codeTable
	dx     byCode[*dxCode] // by the claim's spelling
	px     byCode[*pxCode]
	dxPair map[uint64]*dxPair // by the two codes' ids, in claim order
	ptp    map[uint64][]ptpEdit
}

// dxCode is what the edits need about one diagnosis, as a claim spells it.
type dxCode struct {
	id    uint32
	code  string // normalised (undotted)
	order uint64 // codeOrder(code)
	// key and keyOrder are the code as a note's range compares it
	// (index.RangeKey): D3A.010 sorts where the Tabular prints D3A.
	key      string
	keyOrder uint64
	dotted   string   // as findings name it
	bad      *Finding // the spelling is no diagnosis code: nothing else is set
	// known says the ICD-10-CM release has the code; chain is then the
	// notes over it.
	known bool
	chain *noteChain
	// manifest says the code is a manifestation code.
	manifest bool
	// invalid is the code's validity finding: unknown, header, 7th
	// character; nil for a billable code.
	invalid *Finding
	// deleted is the dx-deleted finding, in force from deletedAt.
	deleted   *Finding
	deletedAt time.Time
	// additional, principal and codeFirst are the sequencing findings the
	// code can raise, written once.
	additional, principal, codeFirst *Finding
	rules                            []*Rule
	// mce are the code's rows in the MCE tables, oldest first.
	mce []mceRow
}

// dxPair is what two different diagnoses of a claim are to each other.
type dxPair struct {
	// excl are the Excludes findings, sealed once the pair comes back:
	// with thousands of codes most pairs are met once, and their
	// findings' JSON would be most of the cache.
	excl   []Finding
	sealed bool
	// aByB is what b is to a's notes (partnerAdditional, partnerFirst);
	// bByA the other way.
	aByB, bByA uint8
}

// pxCode is what the edits need about a procedure code or modifier.
type pxCode struct {
	id    uint32
	code  string
	codes []string     // the code, as findings list it
	entry *index.Entry // the HCPCS entry; nil for a CPT or unknown code
	// added and terminated are why the code is not in effect before it
	// was added and after it was terminated.
	added, terminated string
	// cpt says a CPT code's validity is unchecked; unknown is a code that
	// is no procedure (not in the HCPCS file, or a modifier).
	cpt, unknown *Finding
	rules        []*Rule
	mue          []index.MUERow // the rows of the setting
	// column2 are the codes the NCCI pairs with this one as column 1, in
	// order: a pair of codes absent from it has no PTP edit.
	column2 []string

	mu       sync.Mutex   // the validators share mueFound
	mueFound []mueFinding // written MUE findings
}

// notEffective is why the code is not in effect on a date it is not.
func (p *pxCode) notEffective(d time.Time) string {
	if r := p.entry.HCPCS; !r.Added.IsZero() && d.Before(r.Added) {
		return p.added
	}
	return p.terminated
}

// bundles reports whether the NCCI pairs the code with b as column 2.
func (p *pxCode) bundles(b string) bool {
	_, ok := slices.BinarySearch(p.column2, b)
	return ok
}

// maxCached bounds the caches of spellings and dates against a file of
// garbage. A table has one record per code, normalised, so records of the
// same code are the same pointer.
const maxCached = 200000

// day returns the releases and caches for a date of service.
func (v *Validator) day(d time.Time) (*serviceDay, error) {
	if dy, ok := v.days[d]; ok {
		return dy, nil
	}
	var rs relSet
	var ncciNote string
	var err error
	if rs.icd, _, err = v.cb.ReleaseFor(codeset.ICD10CM, coding.Pick{Date: d}); err != nil {
		return nil, err
	}
	if rs.hcp, _, err = v.cb.ReleaseFor(codeset.HCPCS, coding.Pick{Date: d}); err != nil {
		return nil, err
	}
	if rs.ncci, ncciNote, err = v.cb.ReleaseFor(codeset.NCCI, coding.Pick{Date: d}); err != nil {
		return nil, err
	}
	if rs.mce, _, err = v.cb.ReleaseFor(codeset.MCE, coding.Pick{Date: d}); err != nil {
		return nil, err
	}
	t := v.tables[rs]
	if t == nil {
		t = &localTable{codeTable: v.shared.table(rs), dx: newByCode[*dxCode](), px: newByCode[*pxCode](),
			dxPair: map[uint64]*dxPair{}, ptp: map[uint64][]ptpEdit{}}
		v.tables[rs] = t
	}
	dy := &serviceDay{t: t}
	if !d.IsZero() {
		dy.date = d.Format("2006-01-02")
		if rs.hcp != nil && d.After(rs.hcp.Release.Through()) {
			dy.hcpLate = lookup.LaterChanges(rs.hcp)
		}
	}
	if icd := rs.icd; icd != nil && !d.IsZero() && !icd.Release.Covers(d) {
		dy.icdLate = sealed(Finding{Rule: "dx-release", Severity: SeverityWarning, Message: fmt.Sprintf("no loaded ICD-10-CM release covers %s; checked against %s", d.Format("2006-01-02"), icd.Release)})
	}
	dy.noNotes = rs.icd != nil && rs.icd.Notes == 0
	if hcp := rs.hcp; hcp != nil && !d.IsZero() && !hcp.Release.Covers(d) {
		dy.pxLate = sealed(Finding{Rule: "px-release", Severity: SeverityWarning, Message: fmt.Sprintf("no loaded HCPCS release covers %s; checked against %s", d.Format("2006-01-02"), hcp.Release)})
	}
	v.ncciChecks(dy, rs.ncci, ncciNote, d)
	if err := v.mceDayFor(dy, rs.mce, d); err != nil {
		return nil, err
	}
	if len(v.days) < maxCached {
		v.days[d] = dy
	}
	return dy, nil
}

// dxCode returns the record of a diagnosis as the claim spells it.
func (v *Validator) dxCode(t *localTable, s string) (*dxCode, error) {
	if rec, ok := t.dx.get(s); ok {
		return rec, nil
	}
	var rec *dxCode
	code, err := codeset.NormalizeICD(s)
	if err != nil {
		// The strings kept are copies: the claim's may hold on to its
		// whole input line.
		s = strings.Clone(s)
		rec = &dxCode{bad: sealed(Finding{Rule: "dx-invalid", Severity: SeverityError, Codes: []string{s}, Message: err.Error()})}
	} else if rec, err = t.dxRecords.Get(code, func() (*dxCode, error) { return v.newDxCode(t.codeTable, code) }); err != nil {
		return nil, err
	}
	t.dx.put(s, rec)
	return rec, nil
}

func (v *Validator) newDxCode(t *codeTable, code string) (*dxCode, error) {
	rec := &dxCode{id: t.ids.Add(1), code: code, order: codeOrder(code), dotted: codeset.DotICD(code), rules: v.rulesFor(code, true)}
	rec.key, rec.keyOrder = code, rec.order
	if t.mce != nil {
		var err error
		if rec.mce, err = v.mceRows(t.mce, rec); err != nil {
			return nil, err
		}
	}
	if t.icd == nil {
		return rec, nil
	}
	key, err := v.cb.Index().RangeKey(t.icd.ID, code)
	if err != nil {
		return nil, err
	}
	if key != code {
		rec.key, rec.keyOrder = key, codeOrder(key)
	}
	e, err := v.cb.Index().Get(t.icd.ID, code)
	if err != nil {
		return nil, err
	}
	if rec.deleted, rec.deletedAt, err = v.deletion(code); err != nil {
		return nil, err
	}
	if f, ok, err := v.validity(t.icd, code, e); err != nil {
		return nil, err
	} else if ok {
		rec.invalid = sealed(f)
	}
	if e == nil {
		return rec, nil
	}
	rec.known = true
	if rec.chain, err = v.chain(t, code, e); err != nil {
		return nil, err
	}
	additional := firstNote(rec.chain, func(l *noteLevel) []noteText { return l.additional })
	first := firstNote(rec.chain, func(l *noteLevel) []noteText { return l.first })
	// The convention: a manifestation code says "in diseases classified
	// elsewhere" and carries a "code first" note for its etiology.
	rec.manifest = first != nil && strings.Contains(strings.ToLower(e.Title), "in diseases classified elsewhere")
	if !rec.manifest {
		// The Alphabetic Index prints manifestation codes in brackets
		// after their etiology ("Amyloid heart E85.4 [I43]").
		if rec.manifest, err = v.cb.Index().IsManifestation(t.icd.ID, code); err != nil {
			return nil, err
		}
	}
	dotted := rec.dotted
	if additional != nil {
		rec.additional = sealed(Finding{Rule: "use-additional-missing", Severity: v.useAdditional(), Codes: []string{dotted},
			Message: dotted + " says to use an additional code where it applies, and none of the codes it names is on the claim",
			Source:  additional.source})
	}
	if rec.manifest {
		src := "Alphabetic Index: printed in brackets as a manifestation"
		if first != nil {
			src = first.source
		}
		rec.principal = sealed(Finding{Rule: "manifestation-principal", Severity: SeverityError, Codes: []string{dotted},
			Message: fmt.Sprintf("%s is a manifestation code and cannot be the principal or first-listed diagnosis; sequence the underlying condition first", dotted), Source: src})
		if first != nil {
			rec.codeFirst = sealed(Finding{Rule: "code-first-missing", Severity: SeverityWarning, Codes: []string{dotted},
				Message: fmt.Sprintf("%s says to code first the underlying condition, and none of the codes it names is on the claim", dotted), Source: src})
		}
	}
	return rec, nil
}

// firstNote is the first note of a kind in a chain.
func firstNote(c *noteChain, kind func(*noteLevel) []noteText) *noteText {
	for _, l := range c.levels {
		if notes := kind(l); len(notes) > 0 {
			return &notes[0]
		}
	}
	return nil
}

// pairKey keys a cache by two records' ids, in claim order.
func pairKey(a, b uint32) uint64 { return uint64(a)<<32 | uint64(b) }

// dxPair returns what two different diagnoses are to each other, a first.
func (v *Validator) dxPair(t *localTable, a, b *dxCode) *dxPair {
	// Most pairs of codes name neither the other: that is told from their
	// nodes at once, and only the others are worked out and kept.
	if !a.mayName(b) && !b.mayName(a) {
		return noPair
	}
	k := pairKey(a.id, b.id)
	if p, ok := t.dxPair[k]; ok {
		if !p.sealed && p.excl != nil {
			for i := range p.excl {
				p.excl[i].enc = p.excl[i].AppendJSON(nil)
			}
			p.sealed = true
		}
		return p
	}
	p := &dxPair{aByB: partners(a, b), bByA: partners(b, a)}
	if a.known && b.known {
		p.excl = excludes(a, b)
	}
	if p.excl == nil && p.aByB == 0 && p.bByA == 0 {
		p = noPair
	}
	if len(t.dxPair) >= maxPairs {
		clear(t.dxPair)
	}
	t.dxPair[k] = p
	return p
}

// noPair is most pairs: nothing between the two codes.
var noPair = &dxPair{}

// maxPairs bounds a cache of pairs: claims with thousands of different
// codes meet millions of pairs, each seen once or twice, and only the
// pairs whose notes may name each other are kept. A full cache starts
// again; the pairs that matter come back at once.
const maxPairs = 1 << 14

// pxCode returns the record of a procedure code or modifier.
func (v *Validator) pxCode(t *localTable, code string) (*pxCode, error) {
	if rec, ok := t.px.get(code); ok {
		return rec, nil
	}
	rec, err := t.pxRecords.Get(code, func() (*pxCode, error) {
		return v.newPxCode(t.codeTable, strings.Clone(code)) // as dxCode
	})
	if err != nil {
		return nil, err
	}
	t.px.put(code, rec)
	return rec, nil
}

func (v *Validator) newPxCode(t *codeTable, code string) (*pxCode, error) {
	rec := &pxCode{id: t.ids.Add(1), code: code, codes: []string{code}, rules: v.rulesFor(code, false)}
	if isCPT(code) {
		rec.cpt = sealed(Finding{Rule: "px-cpt-unchecked", Severity: SeverityInfo, Codes: rec.codes,
			Message: code + " is a CPT code: the HCPCS Level II file does not list CPT codes, so its validity was not checked"})
	} else if t.hcp != nil {
		e, err := v.cb.Index().Get(t.hcp.ID, code)
		if err != nil {
			return nil, err
		}
		rec.entry = e
		if e != nil {
			rec.added, rec.terminated = lookup.AddedReason(e.HCPCS), lookup.TerminatedReason(e.HCPCS)
		}
		switch {
		case e == nil:
			rec.unknown = sealed(Finding{Rule: "px-unknown", Severity: SeverityError, Codes: rec.codes, Message: fmt.Sprintf("%s is not an HCPCS Level II code in %s", code, t.hcp.Release)})
		case e.HCPCS.IsModifier:
			rec.unknown = sealed(Finding{Rule: "px-unknown", Severity: SeverityError, Codes: rec.codes, Message: fmt.Sprintf("%s is a modifier, not a procedure code", code)})
		}
	}
	if t.ncci != nil {
		rows, err := v.cb.Index().MUE(t.ncci.ID, code)
		if err != nil {
			return nil, err
		}
		setting := v.setting()
		for _, r := range rows {
			if r.Service == "" || r.Service == setting {
				rec.mue = append(rec.mue, r)
			}
		}
		if rec.column2, err = v.cb.Index().PTPColumn2(t.ncci.ID, code); err != nil {
			return nil, err
		}
	}
	return rec, nil
}
