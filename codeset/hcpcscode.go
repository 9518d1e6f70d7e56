package codeset

import (
	"strings"
	"time"
)

// HCPCSShaped reports whether s has the shape of an HCPCS Level II code or
// modifier: five or two letters and digits. It says nothing of whether the
// code exists.
func HCPCSShaped(s string) bool {
	s = strings.TrimSpace(s)
	switch len(s) {
	case 2:
		return isAlnum(s[0]) && isAlnum(s[1])
	case 5:
		for i := 0; i < 5; i++ {
			if !isAlnum(s[i]) {
				return false
			}
		}
		return true
	}
	return false
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}

// InEffect reports whether the code was in effect on d by its own added
// and terminated dates. It is the cheap test behind the look-up's
// explained validity: most codes on most claims are in effect.
func (r *HCPCSRecord) InEffect(d time.Time) bool {
	return (r.Added.IsZero() || !d.Before(r.Added)) && (r.Terminated.IsZero() || !d.After(r.Terminated))
}
