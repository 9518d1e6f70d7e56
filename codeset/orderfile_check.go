package codeset

import (
	"fmt"
	"sort"
)

// TableDisagreement is a code the codes file and the order file of one
// release tell differently.
type TableDisagreement struct {
	Code string
	// What differs: "missing from the order file", "a header in the order
	// file", "missing from the codes file" or "long title".
	What string
	// Order and Codes are the records as each file has them; nil when the
	// file lacks the code.
	Order, Codes *OrderCode
}

// Describe names both lines, as a load report prints it.
func (d *TableDisagreement) Describe(orderName, codesName string) string {
	side := func(name string, c *OrderCode) string {
		if c == nil {
			return name + ": no record"
		}
		flag := "0"
		if c.Billable {
			flag = "1"
		}
		return fmt.Sprintf("%s:%d: %s %s %s", name, c.Line, DotICD(c.Code), flag, clip(c.Long, 60))
	}
	return fmt.Sprintf("%s: %s; %s; %s", DotICD(d.Code), d.What, side(codesName, d.Codes), side(orderName, d.Order))
}

// CompareCodesToOrder checks the codes file against the order file record
// by record: each billable code of the one is in the other, with the same
// long title. The CMS files of one release agree; a mismatch means files
// of two releases, or a damaged one.
func CompareCodesToOrder(order, codes *CodeTable) []TableDisagreement {
	byCode := make(map[string]*OrderCode, len(order.Codes))
	for i := range order.Codes {
		byCode[order.Codes[i].Code] = &order.Codes[i]
	}
	var out []TableDisagreement
	inCodes := make(map[string]bool, len(codes.Codes))
	for i := range codes.Codes {
		c := &codes.Codes[i]
		inCodes[c.Code] = true
		o := byCode[c.Code]
		switch {
		case o == nil:
			out = append(out, TableDisagreement{Code: c.Code, What: "missing from the order file", Codes: c})
		case !o.Billable:
			out = append(out, TableDisagreement{Code: c.Code, What: "a header in the order file", Order: o, Codes: c})
		case o.Long != c.Long:
			out = append(out, TableDisagreement{Code: c.Code, What: "long title", Order: o, Codes: c})
		}
	}
	for i := range order.Codes {
		o := &order.Codes[i]
		if o.Billable && !inCodes[o.Code] {
			out = append(out, TableDisagreement{Code: o.Code, What: "missing from the codes file", Order: o})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}
