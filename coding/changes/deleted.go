package changes

import (
	"sort"
	"strconv"
	"time"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/coding"
	"github.com/medcode/medcode/index"
)

// Deletion is what CDC's conversion table says of a code that is no longer
// valid: when it stopped being valid and which current codes replace it.
type Deletion struct {
	Code string `json:"code"` // dotted
	// Date is the first date of service the code is not valid on: the day
	// the codes carved out of it took effect.
	Date time.Time `json:"-"`
	// Deleted is Date as YYYY-MM-DD, for JSON.
	Deleted string `json:"deleted"`
	// Release is the release the replacements are looked up in.
	Release      string        `json:"release"`
	Replacements []Replacement `json:"replacements"`
	// Unlisted counts the codes the table names that Release does not
	// have, not even through a later replacement: an older release is
	// loaded than the table.
	Unlisted int `json:"unlisted,omitempty"`
	// Source names the table the answer comes from.
	Source string `json:"source"`
	// Confirmed is false when only the table says so: the code is a header
	// of the loaded releases and none in force the day before is loaded to
	// show it billable then. CDC names a few new headers (H05.83 in FY2026)
	// as the previous code of their own children, and the table alone does
	// not tell them from a code really deleted (G35).
	Confirmed bool `json:"confirmed"`
}

// Replacement is a current code that replaces a deleted one, with its own
// title from Release.
type Replacement struct {
	Code  string `json:"code"` // dotted
	Title string `json:"title"`
}

// In reports whether the deletion is in force on a date of service; a zero
// date means the newest release, where it is.
func (d *Deletion) In(date time.Time) bool {
	return d != nil && (date.IsZero() || !date.Before(d.Date))
}

// Find looks an ICD-10-CM code (undotted) up in the newest conversion
// table loaded. It returns nil when no table is loaded, when the table
// names no code carved out of it, or when the code is still billable in the
// newest loaded release, if that release is in force from the deletion on
// (a code can lose part of its meaning to a new code and stay valid).
func Find(cb *coding.Codebook, code string) (*Deletion, error) {
	rels := cb.Index().Releases(codeset.ICD10CM)
	if len(rels) == 0 {
		return nil, nil
	}
	conv, from, err := newestConversion(cb.Index(), rels)
	if conv == nil || err != nil {
		return nil, err
	}
	newest := rels[0]
	e, err := cb.Index().Get(newest.ID, code)
	if err != nil {
		return nil, err
	}
	rows := rowsFor(conv, code, e != nil)
	if len(rows) == 0 {
		return nil, nil
	}
	d := &Deletion{Code: codeset.DotICD(code), Release: newest.ID, Replacements: []Replacement{},
		Source: "CDC ICD-10-CM conversion table FY" + strconv.Itoa(conv.Year) + " (loaded with " + from + ")"}
	for _, r := range rows {
		// Carve-outs from a code that stayed valid precede its deletion;
		// the last one is the day it went.
		if r.Effective.After(d.Date) {
			d.Date = r.Effective
		}
	}
	d.Deleted = d.Date.Format("2006-01-02")
	// A release in force from the deletion on that still has the code
	// billable says the code only lost part of its meaning.
	if e != nil && e.Billable && !newest.Release.Effective().Before(d.Date) {
		return nil, nil
	}
	// CDC names a few new headers as the previous code of their own
	// children (H05.83 in FY2026): where a release in force the day before
	// is loaded, the code must have been billable in it.
	// A code gone from the newest release was deleted, whatever else.
	d.Confirmed = e == nil
	eve := d.Date.AddDate(0, 0, -1)
	if prev, _, err := cb.ReleaseFor(codeset.ICD10CM, coding.Pick{Date: eve}); err != nil {
		return nil, err
	} else if prev != nil && prev.Release.Covers(eve) {
		pe, err := cb.Index().Get(prev.ID, code)
		if err != nil || pe == nil || !pe.Billable {
			return nil, err
		}
		d.Confirmed = true
	}
	seen := map[string]bool{code: true}
	if err := d.collect(cb.Index(), conv, newest.ID, rows, seen, 0); err != nil {
		return nil, err
	}
	sort.Slice(d.Replacements, func(i, j int) bool { return d.Replacements[i].Code < d.Replacements[j].Code })
	return d, nil
}

// collect adds the rows' codes that are billable in the release, following
// a replacement that was itself deleted later to its own replacements.
func (d *Deletion) collect(ix *index.Index, conv *codeset.ConversionTable, rel string, rows []codeset.ConversionRow, seen map[string]bool, depth int) error {
	for _, r := range rows {
		if seen[r.Code] {
			continue
		}
		seen[r.Code] = true
		e, err := ix.Get(rel, r.Code)
		if err != nil {
			return err
		}
		if e != nil && e.Billable {
			d.Replacements = append(d.Replacements, Replacement{Code: codeset.DotICD(r.Code), Title: e.Title})
			continue
		}
		next := rowsFor(conv, r.Code, e != nil)
		if len(next) == 0 || depth >= 8 {
			d.Unlisted++
			continue
		}
		if err := d.collect(ix, conv, rel, next, seen, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// rowsFor is the rows that replace a code. A range or a "code and below"
// span ("I63.-", "categories T15-T19") says where a new code came from,
// not that every code in it went: it counts only for a code the release
// no longer has at all and no row names by itself. Otherwise the header
// I63 would read as deleted.
func rowsFor(conv *codeset.ConversionTable, code string, inRelease bool) []codeset.ConversionRow {
	if rows := conv.Naming(code); len(rows) > 0 || inRelease {
		return rows
	}
	return conv.Replacing(code)
}

// newestConversion is the conversion table of the newest release that has
// one: each table lists every change since FY2016, so the newest says most.
func newestConversion(ix *index.Index, rels []*index.ReleaseInfo) (*codeset.ConversionTable, string, error) {
	for _, r := range rels {
		has := false
		for _, s := range r.Sources {
			has = has || s.Kind == codeset.KindConversion
		}
		if !has {
			continue
		}
		t, err := ix.Conversion(r.ID)
		if err != nil || t != nil {
			return t, r.ID, err
		}
	}
	return nil, "", nil
}
