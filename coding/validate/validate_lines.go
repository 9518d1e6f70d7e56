package validate

import (
	"fmt"
	"strings"

	"github.com/medcode/medcode/coding/claims"
)

// linesWithoutCode reports the service lines a claim file gave without a
// procedure code, so that the claim is validated and the line is not
// passed in silence: one with units is a warning of its own, as no
// procedure edit ran on it; those with 0 units bill nothing and are
// skipped, said once, as info.
func linesWithoutCode(rep *Report, c *claims.Claim) {
	var skipped []string
	for _, l := range c.NoCode {
		if l.Units == 0 {
			skipped = append(skipped, l.Where)
			continue
		}
		rep.add(Finding{Rule: "px-no-code", Severity: SeverityWarning, Codes: []string{},
			Message: fmt.Sprintf("the service line in %s has %d units but no procedure code: no procedure edit ran on it", l.Where, l.Units)})
	}
	if len(skipped) > 0 {
		rep.add(Finding{Rule: "px-line-skipped", Severity: SeverityInfo, Codes: []string{},
			Message: fmt.Sprintf("skipped %d service lines with no procedure code and 0 units (%s)", len(skipped), strings.Join(skipped, "; "))})
	}
}
