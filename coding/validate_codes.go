package coding

import (
	"fmt"
	"strings"
	"time"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/index"
)

// A batch meets the same few thousand codes and dates over and over, so the
// validator works out everything the edits need about a code once, into
// one record, and finds it with one map read per code of a claim. Pairs of
// codes are keyed by the two records' numbers, not by their strings:
// hashing strings was a fifth of the run.

// relSet is the releases in force on a date of service; nil where none is
// loaded.
type relSet struct{ icd, hcp, ncci *index.ReleaseInfo }

// serviceDay is what a date of service decides: the releases and the
// caches that go with them, and the checks that depend on the date alone.
type serviceDay struct {
	t *codeTable
	// icdLate says no loaded ICD-10-CM release covers the date.
	icdLate *Finding
	// ptp and mue say whether the NCCI edits ran, and why not.
	ptp, mue       Check
	runPTP, runMUE bool
}

// codeTable is the code records of one set of releases.
type codeTable struct {
	relSet
	dx     map[string]*dxCode // by the claim's spelling
	dxNorm map[string]*dxCode // by normalised code
	px     map[string]*pxCode
	dxPair map[uint64]*dxPair // by the two codes' ids, in claim order
	ptp    map[uint64][]ptpEdit
	ids    uint32 // the last id given
	// entries are the ICD-10-CM entries of categories and subcategories.
	entries map[string]*index.Entry
}

// dxCode is what the edits need about one diagnosis, as a claim spells it.
type dxCode struct {
	id   uint32
	code string   // normalised (undotted)
	bad  *Finding // the spelling is no diagnosis code: nothing else is set
	info *dxInfo  // nil without an ICD-10-CM release
	// invalid is the code's validity finding: unknown, header, 7th
	// character; nil for a billable code.
	invalid *Finding
	// additional, principal and codeFirst are the sequencing findings the
	// code can raise, written once.
	additional, principal, codeFirst *Finding
	self                             uint8 // what the code is to its own notes
	rules                            []*Rule
}

// dxPair is what two different diagnoses of a claim are to each other.
type dxPair struct {
	excl []Finding // the Excludes findings
	// aByB is what b is to a's notes (partnerAdditional, partnerFirst);
	// bByA the other way.
	aByB, bByA uint8
}

// pxCode is what the edits need about a procedure code or modifier.
type pxCode struct {
	id    uint32
	code  string
	entry *index.Entry // the HCPCS entry; nil for a CPT or unknown code
	// cpt says a CPT code's validity is unchecked; unknown is a code that
	// is no procedure (not in the HCPCS file, or a modifier).
	cpt, unknown *Finding
	rules        []*Rule
	mue          []index.MUERow // the rows of the setting
	mueFound     []mueFinding   // written MUE findings
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
	if rs.icd, _, err = v.cb.ReleaseFor(codeset.ICD10CM, Pick{Date: d}); err != nil {
		return nil, err
	}
	if rs.hcp, _, err = v.cb.ReleaseFor(codeset.HCPCS, Pick{Date: d}); err != nil {
		return nil, err
	}
	if rs.ncci, ncciNote, err = v.cb.ReleaseFor(codeset.NCCI, Pick{Date: d}); err != nil {
		return nil, err
	}
	t := v.tables[rs]
	if t == nil {
		t = &codeTable{relSet: rs, dx: map[string]*dxCode{}, dxNorm: map[string]*dxCode{}, px: map[string]*pxCode{},
			dxPair: map[uint64]*dxPair{}, ptp: map[uint64][]ptpEdit{}, entries: map[string]*index.Entry{}}
		v.tables[rs] = t
	}
	dy := &serviceDay{t: t}
	if icd := rs.icd; icd != nil && !d.IsZero() && !icd.Release.Covers(d) {
		dy.icdLate = sealed(Finding{Rule: "dx-release", Severity: SeverityWarning, Message: fmt.Sprintf("no loaded ICD-10-CM release covers %s; checked against %s", d.Format("2006-01-02"), icd.Release)})
	}
	v.ncciChecks(dy, rs.ncci, ncciNote)
	if len(v.days) < maxCached {
		v.days[d] = dy
	}
	return dy, nil
}

// dxCode returns the record of a diagnosis as the claim spells it.
func (v *Validator) dxCode(t *codeTable, s string) (*dxCode, error) {
	if rec, ok := t.dx[s]; ok {
		return rec, nil
	}
	// The strings kept are copies: the claim's may hold on to its whole
	// input line.
	s = strings.Clone(s)
	var rec *dxCode
	code, err := codeset.NormalizeICD(s)
	if err != nil {
		rec = &dxCode{bad: sealed(Finding{Rule: "dx-invalid", Severity: SeverityError, Codes: []string{s}, Message: err.Error()})}
	} else if rec = t.dxNorm[code]; rec == nil {
		if rec, err = v.newDxCode(t, code); err != nil {
			return nil, err
		}
		t.dxNorm[code] = rec
	}
	if len(t.dx) < maxCached {
		t.dx[s] = rec
	}
	return rec, nil
}

func (v *Validator) newDxCode(t *codeTable, code string) (*dxCode, error) {
	t.ids++
	rec := &dxCode{id: t.ids, code: code, rules: v.rulesFor(code, true)}
	if t.icd == nil {
		return rec, nil
	}
	info, err := v.dxInfo(t, code)
	if err != nil {
		return nil, err
	}
	rec.info = info
	if f, ok, err := v.validity(t.icd, code, info); err != nil {
		return nil, err
	} else if ok {
		rec.invalid = sealed(f)
	}
	if info.entry == nil {
		return rec, nil
	}
	rec.self = partners(info, code)
	dotted := codeset.DotICD(code)
	if len(info.additional) > 0 {
		n := info.additional[0]
		rec.additional = sealed(Finding{Rule: "use-additional-missing", Severity: SeverityWarning, Codes: []string{dotted},
			Message: dotted + " says to use an additional code where it applies, and none of the codes it names is on the claim",
			Source:  "use additional code at " + n.from + ": " + n.text})
	}
	if info.manifest {
		src := "Alphabetic Index: printed in brackets as a manifestation"
		if len(info.first) > 0 {
			src = "code first at " + info.first[0].from + ": " + info.first[0].text
		}
		rec.principal = sealed(Finding{Rule: "manifestation-principal", Severity: SeverityError, Codes: []string{dotted},
			Message: fmt.Sprintf("%s is a manifestation code and cannot be the principal or first-listed diagnosis; sequence the underlying condition first", dotted), Source: src})
		if len(info.first) > 0 {
			rec.codeFirst = sealed(Finding{Rule: "code-first-missing", Severity: SeverityWarning, Codes: []string{dotted},
				Message: fmt.Sprintf("%s says to code first the underlying condition, and none of the codes it names is on the claim", dotted), Source: src})
		}
	}
	return rec, nil
}

// pairKey keys a cache by two records' ids, in claim order.
func pairKey(a, b uint32) uint64 { return uint64(a)<<32 | uint64(b) }

// dxPair returns what two different diagnoses are to each other, a first.
func (v *Validator) dxPair(t *codeTable, a, b *dxCode) *dxPair {
	k := pairKey(a.id, b.id)
	if p, ok := t.dxPair[k]; ok {
		return p
	}
	p := &dxPair{aByB: partners(a.info, b.code), bByA: partners(b.info, a.code)}
	if a.info.entry != nil && b.info.entry != nil {
		p.excl = excludes(a.code, b.code, a.info, b.info)
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
// codes meet millions of pairs, each seen once or twice. A full cache
// starts again; the pairs that matter come back at once.
const maxPairs = 1 << 18

// pxCode returns the record of a procedure code or modifier.
func (v *Validator) pxCode(t *codeTable, code string) (*pxCode, error) {
	if rec, ok := t.px[code]; ok {
		return rec, nil
	}
	code = strings.Clone(code) // as dxCode
	t.ids++
	rec := &pxCode{id: t.ids, code: code, rules: v.rulesFor(code, false)}
	if isCPT(code) {
		rec.cpt = sealed(Finding{Rule: "px-cpt-unchecked", Severity: SeverityInfo, Codes: []string{code},
			Message: code + " is a CPT code: the HCPCS Level II file does not list CPT codes, so its validity was not checked"})
	} else if t.hcp != nil {
		e, err := v.cb.ix.Get(t.hcp.ID, code)
		if err != nil {
			return nil, err
		}
		rec.entry = e
		switch {
		case e == nil:
			rec.unknown = sealed(Finding{Rule: "px-unknown", Severity: SeverityError, Codes: []string{code}, Message: fmt.Sprintf("%s is not an HCPCS Level II code in %s", code, t.hcp.Release)})
		case e.HCPCS.IsModifier:
			rec.unknown = sealed(Finding{Rule: "px-unknown", Severity: SeverityError, Codes: []string{code}, Message: fmt.Sprintf("%s is a modifier, not a procedure code", code)})
		}
	}
	if t.ncci != nil {
		rows, err := v.cb.ix.MUE(t.ncci.ID, code)
		if err != nil {
			return nil, err
		}
		setting := v.setting()
		for _, r := range rows {
			if r.Service == "" || r.Service == setting {
				rec.mue = append(rec.mue, r)
			}
		}
	}
	t.px[code] = rec
	return rec, nil
}
