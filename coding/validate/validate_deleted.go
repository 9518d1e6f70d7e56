package validate

import (
	"fmt"
	"strings"
	"time"

	"github.com/medcode/medcode/coding/changes"
)

// deletion is the dx-deleted finding of a code CDC's conversion table says
// was deleted, and the first date of service it applies to; nil when the
// table says nothing of the code or the code is still valid.
func (v *Validator) deletion(code string) (*Finding, time.Time, error) {
	d, err := changes.Find(v.cb, code)
	if err != nil || d == nil {
		return nil, time.Time{}, err
	}
	msg := fmt.Sprintf("%s was deleted on %s", d.Code, d.Deleted)
	if !d.Confirmed {
		msg = fmt.Sprintf("%s is not valid from %s: CDC's conversion table moves it to new codes then (no release before then is loaded to show it was billable)", d.Code, d.Deleted)
	}
	switch {
	case len(d.Replacements) == 0 && d.Unlisted > 0:
		msg += fmt.Sprintf("; the %d codes that replace it are not in %s", d.Unlisted, d.Release)
	case len(d.Replacements) == 0:
		msg += "; no current code replaces it"
	default:
		codes := make([]string, len(d.Replacements))
		for i, r := range d.Replacements {
			codes[i] = r.Code
		}
		msg += "; report one of " + strings.Join(codes, ", ") + " instead"
	}
	return sealed(Finding{Rule: "dx-deleted", Severity: SeverityError, Codes: []string{d.Code}, Message: msg, Source: d.Source}), d.Date, nil
}

// deletedOn reports whether the code's deletion is in force on the date of
// service; a claim without a date is checked against the newest release,
// where it is.
func (rec *dxCode) deletedOn(date time.Time) bool {
	return rec.deleted != nil && (date.IsZero() || !date.Before(rec.deletedAt))
}
