package claims

import (
	"time"
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
	// NoCode are service lines the file gives without a procedure code,
	// as real exports do: the claim is still read, and the validator
	// says that no edit ran on them.
	NoCode []LineWithoutCode `json:"-"`
}

// LineWithoutCode is a service line without a procedure code.
type LineWithoutCode struct {
	Where string // where it is: its column ("HCPCS", "px2"), line or segment
	Units int    // 0: a line billing nothing
}

// Procedure is one service line.
type Procedure struct {
	Code      string   `json:"code"`
	Units     int      `json:"units"`
	Modifiers []string `json:"modifiers,omitempty"`
}
