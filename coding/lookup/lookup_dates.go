package lookup

import (
	"fmt"
	"time"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/coding"
	"github.com/medcode/medcode/index"
)

// icdValidity judges a date of service from the releases loaded: the one
// covering the date answers, and the others tell when a code it lacks was
// added or deleted.
func icdValidity(cb *coding.Codebook, v *CodeView, rel *index.ReleaseInfo, code string, date time.Time) (*Validity, error) {
	val := &Validity{Date: date.Format("2006-01-02")}
	if !rel.Release.Covers(date) {
		return unknownOn(val, date, fmt.Sprintf("FY%d", codeset.FiscalYear(date))), nil
	}
	switch {
	case v.Found && v.Billable:
		val.Valid, val.Status = true, StatusValid
		val.Reason = fmt.Sprintf("billable in %s", rel.Release)
		return val, nil
	case v.Found:
		val.Status = StatusNotValid
		val.Reason = "header code: report one of the codes below it"
		return val, nil
	}
	val.Status = StatusNotValid
	val.Reason = fmt.Sprintf("not a code in %s", rel.Release)
	// Newest first: the oldest newer release with the code added it; the
	// newest older one with it is the last that had it.
	var added, last *index.ReleaseInfo
	for _, r := range cb.Index().Releases(codeset.ICD10CM) {
		e, err := cb.Index().Get(r.ID, code)
		if err != nil {
			return nil, err
		}
		if e == nil {
			continue
		}
		if r.Release.Effective().After(rel.Release.Effective()) {
			added = r
		} else if last == nil {
			last = r
		}
	}
	switch {
	case added != nil:
		val.Reason = "added " + day(added.Release.Effective())
	case last != nil:
		val.Status = StatusDeleted
		val.Reason = fmt.Sprintf("not in %s; last in %s", rel.Release, last.Release)
	}
	return val, nil
}

// unknownOn is the answer for a date no loaded release covers.
func unknownOn(val *Validity, date time.Time, want string) *Validity {
	val.Status = StatusUnknown
	val.Reason = fmt.Sprintf("no loaded release covers %s; load %s to check", val.Date, want)
	return val
}

// hcpcsValidity judges a date from the record's own dates: the file carries
// the day a code was added and the day it was terminated, which is what a
// claim for an earlier date of service is checked against. A later date
// is past what the file knows, unless the code was terminated before it.
func hcpcsValidity(r *codeset.HCPCSRecord, rel *index.ReleaseInfo, date time.Time) *Validity {
	val := &Validity{Date: date.Format("2006-01-02")}
	switch {
	case !r.Added.IsZero() && date.Before(r.Added):
		val.Status, val.Reason = StatusNotValid, "added "+day(r.Added)
	case !r.Terminated.IsZero() && date.After(r.Terminated):
		val.Status, val.Reason = StatusDeleted, "terminated: last in effect "+day(r.Terminated)
	case date.After(rel.Release.Through()):
		return unknownOn(val, date, fmt.Sprintf("HCPCS %d", date.Year()))
	case r.IsModifier:
		val.Valid, val.Status, val.Reason = true, StatusValid, "modifier in effect on the date"
	default:
		val.Valid, val.Status, val.Reason = true, StatusValid, "in effect on the date"
		if !r.Terminated.IsZero() {
			val.Reason = fmt.Sprintf("in effect on the date; last in effect %s", day(r.Terminated))
		}
	}
	return val
}
