package claims

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/medcode/medcode/codeset"
)

// Claim is what validation looks at. Its JSON form is the JSON Lines input
// of batch validation, so field names are stable.
type Claim struct {
	ID   string    `json:"id,omitempty"`
	Date time.Time `json:"-"`
	// Age is in whole years; nil when not given.
	Age *int `json:"age,omitempty"`
	// Sex is "F", "M" or "" for unknown.
	Sex string `json:"sex,omitempty"`
	// Dx are diagnosis codes, the first the principal or first-listed one.
	Dx []string    `json:"dx"`
	Px []Procedure `json:"px,omitempty"`
}

// Procedure is one service line.
type Procedure struct {
	Code      string   `json:"code"`
	Units     int      `json:"units"`
	Modifiers []string `json:"modifiers,omitempty"`
}

// ParseProcedure reads a service line as typed on the command line:
// "J1100", "J1100x2", "J1100:LT", "J1100-59", "J1100x2:LT", "J1100:LT:59x3".
// Units may follow the code or the last modifier.
func ParseProcedure(s string) (Procedure, error) {
	p := Procedure{Units: 1}
	parts := strings.FieldsFunc(strings.TrimSpace(s), func(r rune) bool { return r == ':' || r == '-' })
	if len(parts) == 0 {
		return p, fmt.Errorf("empty procedure")
	}
	units := 0
	for i, part := range parts {
		if j := strings.LastIndexAny(part, "xX*"); j > 0 && (i == 0 || i == len(parts)-1) {
			if n, err := strconv.Atoi(part[j+1:]); err == nil {
				if n < 1 || units != 0 {
					return p, fmt.Errorf("invalid units in %q: want one count of 1 or more", s)
				}
				units, parts[i] = n, part[:j]
			}
		}
	}
	if units > 0 {
		p.Units = units
	}
	p.Code = strings.ToUpper(parts[0])
	if !codeset.HCPCSShaped(p.Code) || len(p.Code) != 5 {
		return p, fmt.Errorf("invalid procedure %q: a procedure code has five characters (J1100, 99213)", s)
	}
	for _, m := range parts[1:] {
		m = strings.ToUpper(m)
		if len(m) != 2 || !codeset.HCPCSShaped(m) {
			return p, fmt.Errorf("invalid modifier %q in %q: a modifier has two characters", m, s)
		}
		p.Modifiers = append(p.Modifiers, m)
	}
	return p, nil
}
