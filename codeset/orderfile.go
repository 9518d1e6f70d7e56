package codeset

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// OrderCode is one record of the ICD-10-CM order file (or, with Order 0 and
// no Short, of the codes file).
type OrderCode struct {
	Order    int
	Code     string // undotted
	Billable bool
	Short    string
	Long     string
	// Line is the record's line in its file, for reports.
	Line int
}

// CodeTable is a parsed order or codes file: the list of codes of a release.
type CodeTable struct {
	// HasHeaders is false for the codes file, which lists billable codes only.
	HasHeaders bool
	Codes      []OrderCode
}

// Billable counts the codes valid on a claim.
func (t *CodeTable) Billable() int {
	n := 0
	for _, c := range t.Codes {
		if c.Billable {
			n++
		}
	}
	return n
}

var (
	orderLineRe = regexp.MustCompile(`^[0-9]{5} [A-Z][0-9A-Z]{2}[0-9A-Z ]{4} [01] `)
	codesLineRe = regexp.MustCompile(`^[A-Z][0-9A-Z]{2,6} +\S`)
)

// LooksLikeOrderFile reports whether the first bytes of a file are order
// file records.
func LooksLikeOrderFile(head []byte) bool {
	return allFirstLines(head, 3, orderLineRe)
}

// LooksLikeCodesFile reports whether the first bytes of a file are codes
// file records.
func LooksLikeCodesFile(head []byte) bool {
	return allFirstLines(head, 3, codesLineRe)
}

func allFirstLines(head []byte, n int, re *regexp.Regexp) bool {
	lines := bytes.Split(head, []byte("\n"))
	if len(lines) > n+1 {
		lines = lines[:n]
	} else if len(lines) > 1 {
		lines = lines[:len(lines)-1] // the last may be cut mid-line
	}
	seen := 0
	for _, l := range lines {
		if !re.Match(l) {
			return false
		}
		seen++
	}
	return seen > 0
}

// ParseOrderFile reads the fixed-width order file: order(5) sp code(7) sp
// flag(1) sp short(60) sp long, CRLF.
func ParseOrderFile(r io.Reader, name string) (*CodeTable, error) {
	t := &CodeTable{HasHeaders: true}
	err := eachLine(r, name, func(line int, l string) error {
		if strings.TrimSpace(l) == "" {
			return nil
		}
		c, err := parseOrderLine(l)
		if err != nil {
			return err
		}
		c.Line = line
		t.Codes = append(t.Codes, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(t.Codes) == 0 {
		return nil, noRecords(name, "ICD-10-CM order")
	}
	return t, nil
}

func parseOrderLine(l string) (OrderCode, error) {
	// The long title starts at column 78; a line that stops before it was cut.
	if len(l) < 78 {
		return OrderCode{}, fmt.Errorf("order record cut short at column %d (want at least 78)", len(l)+1)
	}
	if !orderLineRe.MatchString(l) {
		return OrderCode{}, fmt.Errorf("not an order file record: %q", clip(l, 30))
	}
	order, _ := strconv.Atoi(l[0:5])
	code := strings.TrimSpace(l[6:13])
	if err := checkICDShape(code); err != nil {
		return OrderCode{}, fmt.Errorf("invalid code %q: %v", code, err)
	}
	return OrderCode{
		Order:    order,
		Code:     code,
		Billable: l[14] == '1',
		Short:    strings.TrimSpace(l[16:76]),
		Long:     strings.TrimSpace(l[77:]),
	}, nil
}

// ParseCodesFile reads the codes file: code(7) sp long title; billable
// codes only.
func ParseCodesFile(r io.Reader, name string) (*CodeTable, error) {
	t := &CodeTable{}
	err := eachLine(r, name, func(line int, l string) error {
		if strings.TrimSpace(l) == "" {
			return nil
		}
		if !codesLineRe.MatchString(l) {
			return fmt.Errorf("not a codes file record: %q", clip(l, 30))
		}
		code, title, _ := strings.Cut(l, " ")
		if err := checkICDShape(code); err != nil {
			return fmt.Errorf("invalid code %q: %v", code, err)
		}
		t.Codes = append(t.Codes, OrderCode{Code: code, Billable: true, Long: strings.TrimSpace(title), Line: line})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(t.Codes) == 0 {
		return nil, noRecords(name, "ICD-10-CM code")
	}
	return t, nil
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
