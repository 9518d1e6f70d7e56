package codeset

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// MUEEdit is one medically unlikely edit: the most units of a code a
// provider would report for one beneficiary on one date of service.
type MUEEdit struct {
	Code  string
	Value int
	// Indicator is the MUE adjudication indicator: 1 limits the units on
	// one claim line; 2 (policy) and 3 (clinical) limit the units summed
	// over all lines of the date of service.
	Indicator int
	// IndicatorText is the indicator's meaning without its number, as the
	// file writes it ("Date of Service Edit: Policy"), or the standard
	// meaning when the file gives the number alone.
	IndicatorText string
	Rationale     string
	// Line is the line of the csv file, the row of the xlsx sheet.
	Line int
}

// MUETable is one MUE file.
type MUETable struct {
	// Service is "practitioner", "outpatient" or "dme", from the header
	// ("Practitioner Services MUE Values"), else the title or file name;
	// "" when none of them tells.
	Service string
	Edits   []MUEEdit
}

var mueMeanings = [...]string{1: "Line Edit", 2: "Date of Service Edit: Policy", 3: "Date of Service Edit: Clinical"}

// ParseMUE reads an MUE table in its csv form (tab-delimited text is
// accepted too). Bytes that are not UTF-8 are read as Windows-1252.
func ParseMUE(r io.Reader, name string) (*MUETable, error) {
	t, err := parseMUE(newDelimReader(r, name), name)
	if err != nil {
		return nil, fmt.Errorf("mue: %w", err)
	}
	return t, nil
}

// ParseMUEXLSX reads an MUE table from the first sheet of an xlsx workbook;
// errors give the row number as the line.
func ParseMUEXLSX(r io.ReaderAt, size int64, name string) (*MUETable, error) {
	xr, err := openXLSX(r, size, name)
	if err != nil {
		return nil, fmt.Errorf("mue: %w", err)
	}
	defer xr.close()
	t, err := parseMUE(xr, name)
	if err != nil {
		return nil, fmt.Errorf("mue: %w", err)
	}
	return t, nil
}

// SniffMUE reports whether the first bytes of a csv or text file (about
// 8 KB) hold the header of an MUE table.
func SniffMUE(head []byte) bool { return mueHeaderText(normHeaderText(decodeTableText(string(head)))) }

// mueHeaderText reports whether normalised text holds an MUE header; single
// words, so that a header split over lines still counts.
func mueHeaderText(s string) bool {
	return strings.Contains(s, "hcpcs") && strings.Contains(s, "mue") && strings.Contains(s, "adjudication")
}

type mueParser struct {
	t                       *MUETable
	code, value, ind, ratio int // column indexes; ratio -1 when absent
	ncols                   int
	sparse                  bool
	intern                  map[string]string
}

func parseMUE(rr recordReader, name string) (*MUETable, error) {
	p := &mueParser{t: &MUETable{}, sparse: rr.sparse(), intern: map[string]string{}}
	shape := tableShape{
		start: func(s string) bool { return strings.Contains(s, "hcpcs/cpt code") || strings.Contains(s, "mue value") },
		header: func(h *tableHeader) error {
			if err := p.columns(h.cells); err != nil {
				return err
			}
			p.t.Service = mueService(h.cells[p.value])
			if p.t.Service == "" {
				p.t.Service = mueService(h.title)
			}
			if p.t.Service == "" {
				p.t.Service = mueService(strings.ToLower(baseName(name)))
			}
			return nil
		},
		row: p.row,
	}
	if err := scanTable(rr, name, shape); err != nil {
		return nil, err
	}
	if len(p.t.Edits) == 0 {
		return nil, &LineError{File: name, Err: errors.New("no MUE records found")}
	}
	return p.t, nil
}

// columns finds the columns by their header text.
func (p *mueParser) columns(cells []string) error {
	p.code, p.value, p.ind, p.ratio = -1, -1, -1, -1
	for i, c := range cells {
		switch {
		case strings.Contains(c, "rationale"):
			p.ratio = i
		case strings.Contains(c, "adjudication") || strings.Contains(c, "indicator"):
			p.ind = i
		case strings.Contains(c, "mue value") || strings.Contains(c, "values"):
			p.value = i
		case strings.Contains(c, "hcpcs") || strings.Contains(c, "cpt"):
			p.code = i
		}
	}
	for _, c := range []struct {
		i    int
		what string
	}{{p.code, "HCPCS/CPT Code"}, {p.value, "MUE Values"}, {p.ind, "MUE Adjudication Indicator"}} {
		if c.i < 0 {
			return fmt.Errorf("header row has no %q column", c.what)
		}
	}
	p.ncols = max(p.code, p.value, p.ind, p.ratio) + 1
	return nil
}

func mueService(s string) string {
	switch {
	case strings.Contains(s, "practitioner"):
		return "practitioner"
	case strings.Contains(s, "outpatient"), strings.Contains(s, "facility"):
		return "outpatient"
	case strings.Contains(s, "dme"):
		return "dme"
	}
	return ""
}

func (p *mueParser) row(line int, cells []string) error {
	cells, err := needCells(cells, p.ncols, p.sparse)
	if err != nil {
		return err
	}
	e := MUEEdit{Line: line}
	if e.Code, err = internCode(p.intern, cells[p.code], p.sparse); err != nil {
		return fmt.Errorf("bad code: %v", err)
	}
	v := strings.TrimSpace(cells[p.value])
	if e.Value, err = strconv.Atoi(v); err != nil || e.Value < 0 || !asciiDigits(v) {
		return fmt.Errorf("bad MUE value %q (want a whole number of units)", clip(v, 20))
	}
	ind := strings.TrimSpace(cells[p.ind])
	if e.Indicator, e.IndicatorText, err = parseMUEIndicator(ind); err != nil {
		return err
	}
	e.IndicatorText = internStr(p.intern, e.IndicatorText)
	if p.ratio >= 0 {
		e.Rationale = internStr(p.intern, strings.TrimSpace(cells[p.ratio]))
	}
	p.t.Edits = append(p.t.Edits, e)
	return nil
}

// parseMUEIndicator reads "1 Line Edit", "2 Date of Service Edit: Policy",
// "3 Date of Service Edit: Clinical", or the number alone.
func parseMUEIndicator(s string) (int, string, error) {
	bad := fmt.Errorf("bad MUE adjudication indicator %q (want 1, 2 or 3 and its meaning)", clip(s, 40))
	if s == "" || s[0] < '1' || s[0] > '3' {
		return 0, "", bad
	}
	n := int(s[0] - '0')
	rest := s[1:]
	if rest == "" {
		return n, mueMeanings[n], nil
	}
	if c := rest[0]; c != ' ' && c != '-' && c != ':' && c != '\t' {
		return 0, "", bad
	}
	text := strings.TrimSpace(strings.TrimLeft(rest, " -:\t"))
	if text == "" {
		text = mueMeanings[n]
	}
	return n, text, nil
}
