package changes

import (
	"fmt"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/coding"
	"github.com/medcode/medcode/index"
)

// Request says which releases to compare.
type Request struct {
	System codeset.System // ICD10CM when empty
	// From and To name releases ("2025", "icd10cm-2026"); empty picks the
	// two newest loaded. HCPCS reads one file: From must be empty.
	From, To string
	// Code limits the list to a code and the codes below it.
	Code string
}

// Compare lists what changed.
func Compare(cb *coding.Codebook, req Request) (*Report, error) {
	if req.System == codeset.HCPCS {
		return hcpcsChanges(cb, req)
	}
	from, to, err := pickPair(cb, req)
	if err != nil {
		return nil, err
	}
	prefix := ""
	if req.Code != "" {
		if prefix, err = codeset.NormalizeICD(req.Code); err != nil {
			return nil, err
		}
	}
	rep := &Report{System: string(codeset.ICD10CM), From: from.ID, To: to.ID, FromName: from.Release.String(), ToName: to.Release.String(),
		Counts: map[Kind]int{}, Addenda: &Addenda{}, Changes: []Change{}}
	if prefix != "" {
		rep.Code = codeset.DotICD(prefix)
	}
	for _, k := range kindsOf(false) {
		rep.Counts[k] = 0
	}
	nOld, nCur, err := cb.Index().DiffCodes(from.ID, to.ID, prefix, func(o, n *index.CodeRow) error {
		switch {
		case n == nil:
			rep.add(Change{Change: Deleted, Code: codeset.DotICD(o.Code), Kind: icdKind(o.Billable), Title: o.Title, Short: o.Short})
		case o == nil:
			rep.add(Change{Change: Added, Code: codeset.DotICD(n.Code), Kind: icdKind(n.Billable), Title: n.Title, Short: n.Short})
		default:
			if c, ok := compareCode(*o, *n); ok {
				rep.add(c)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if prefix != "" && nOld == 0 && nCur == 0 {
		return nil, coding.Errorf(coding.DoInfo, "%s is a code of neither %s nor %s", codeset.DotICD(prefix), from.ID, to.ID)
	}
	return rep, nil
}

// compareCode is the change of a code both releases have, if any.
func compareCode(o, n index.CodeRow) (Change, bool) {
	c := Change{Code: codeset.DotICD(n.Code), Kind: icdKind(n.Billable), Title: n.Title, Short: n.Short}
	if o.Title != n.Title {
		c.OldTitle = o.Title
	}
	if o.Short != n.Short {
		c.OldShort = o.Short
	}
	switch {
	case o.Billable && !n.Billable:
		c.Change, c.OldKind = BecameHeader, icdKind(o.Billable)
	case !o.Billable && n.Billable:
		c.Change, c.OldKind = BecameBillable, icdKind(o.Billable)
	case o.Title != n.Title || o.Short != n.Short:
		c.Change = Revised
	default:
		return c, false
	}
	return c, true
}

func (r *Report) add(c Change) {
	r.Changes = append(r.Changes, c)
	r.Counts[c.Change]++
	a := r.Addenda
	tally := func(billable bool) *Tally {
		if billable {
			return &a.Codes
		}
		return &a.Headers
	}
	switch c.Change {
	case Added:
		tally(c.Kind == "billable").Additions++
	case Deleted:
		tally(c.Kind == "billable").Deletions++
	case BecameHeader:
		a.Codes.Deletions++
		a.Headers.Additions++
	case BecameBillable:
		a.Headers.Deletions++
		a.Codes.Additions++
	case Revised:
		t := tally(c.Kind == "billable")
		t.Revisions++
		switch {
		case c.OldTitle != "" && c.OldShort != "":
			t.BothTitles++
		case c.OldTitle != "":
			t.LongOnly++
		default:
			t.ShortOnly++
		}
	}
}

func icdKind(billable bool) string {
	if billable {
		return "billable"
	}
	return "header"
}

// pickPair resolves --from and --to: by default the newest release and the
// one before it.
func pickPair(cb *coding.Codebook, req Request) (from, to *index.ReleaseInfo, err error) {
	rels := cb.Index().Releases(codeset.ICD10CM) // newest first
	if len(rels) < 2 {
		have := "none is"
		if len(rels) == 1 {
			have = "only " + rels[0].ID + " is"
		}
		return nil, nil, coding.Errorf(coding.DoLoad+" another release's order file", "changes needs two ICD-10-CM releases loaded; %s", have)
	}
	pick := func(name string) (*index.ReleaseInfo, error) {
		r, _, err := cb.ReleaseFor(codeset.ICD10CM, coding.Pick{Release: name})
		if err == nil && r == nil {
			err = fmt.Errorf("%s is not an ICD-10-CM release", name)
		}
		return r, err
	}
	to = rels[0]
	if req.To != "" {
		if to, err = pick(req.To); err != nil {
			return nil, nil, err
		}
	}
	if req.From != "" {
		if from, err = pick(req.From); err != nil {
			return nil, nil, err
		}
	} else {
		for k, r := range rels {
			if r.ID == to.ID && k+1 < len(rels) {
				from = rels[k+1]
			}
		}
		if from == nil {
			return nil, nil, coding.Errorf(coding.DoInfo, "no release older than %s is loaded to compare it with", to.ID)
		}
	}
	if from.ID == to.ID {
		return nil, nil, fmt.Errorf("cannot compare %s with itself", to.ID)
	}
	if from.Release.Effective().After(to.Release.Effective()) {
		return nil, nil, fmt.Errorf("%s is newer than %s: the older release goes first", from.ID, to.ID)
	}
	return from, to, nil
}
