package codeset

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ConversionTable is CDC's ICD-10-CM conversion table: for every code added
// since FY2016, when it took effect and the code(s) it was carved out of.
// Read backwards it says which current codes replace a deleted one.
type ConversionTable struct {
	// Year is the fiscal year the table was published for (FY2026).
	Year int             `json:"year"`
	Rows []ConversionRow `json:"rows"`

	byPrev    map[string][]int // exact previous code -> rows
	wide      []int            // rows with a range or a "code and below" span
	indexOnce sync.Once
}

// ConversionRow is one new code and what it came from.
type ConversionRow struct {
	Line      int       `json:"line"`
	Code      string    `json:"code"` // undotted
	Effective time.Time `json:"effective"`
	// Previous are the codes the table names as the previous assignment,
	// as spans; empty for "None".
	Previous []CodeSpan `json:"previous,omitempty"`
	// PreviousText is the cell as printed ("H44.20-H44.23 and H33.2").
	PreviousText string `json:"previous_text"`
}

// CodeSpan is one code, a code and everything below it ("I63.-"), or a
// range of codes ("H35.20-H35.23", "categories T15-T19"), undotted.
type CodeSpan struct {
	From  string `json:"from"`
	To    string `json:"to,omitempty"`    // "" for a single code
	Below bool   `json:"below,omitempty"` // a single code with the codes below it
}

// Covers reports whether code falls in the span. A range takes in what lies
// below its last code too: "T15-T19" means every code of those categories.
func (s CodeSpan) Covers(code string) bool {
	if s.To == "" {
		if s.Below {
			return strings.HasPrefix(code, s.From)
		}
		return code == s.From
	}
	return code >= s.From && (code <= s.To || strings.HasPrefix(code, s.To))
}

func (s CodeSpan) String() string {
	switch {
	case s.To != "":
		return DotICD(s.From) + "-" + DotICD(s.To)
	case s.Below:
		return DotICD(s.From) + ".-"
	}
	return DotICD(s.From)
}

// Replacing lists the rows whose previous assignment covers code, in the
// table's order.
func (t *ConversionTable) Replacing(code string) []ConversionRow {
	t.indexOnce.Do(t.buildIndex)
	idx := append([]int(nil), t.byPrev[code]...)
	for _, i := range t.wide {
		for _, s := range t.Rows[i].Previous {
			if (s.To != "" || s.Below) && s.Covers(code) {
				idx = append(idx, i)
				break
			}
		}
	}
	sort.Ints(idx)
	out := make([]ConversionRow, 0, len(idx))
	for k, i := range idx {
		if k > 0 && idx[k-1] == i {
			continue
		}
		out = append(out, t.Rows[i])
	}
	return out
}

// Naming lists the rows that name code itself, not through a range or a
// "code and below" span, in the table's order.
func (t *ConversionTable) Naming(code string) []ConversionRow {
	t.indexOnce.Do(t.buildIndex)
	out := make([]ConversionRow, 0, len(t.byPrev[code]))
	for _, i := range t.byPrev[code] {
		out = append(out, t.Rows[i])
	}
	return out
}

func (t *ConversionTable) buildIndex() {
	t.byPrev = map[string][]int{}
	for i, r := range t.Rows {
		wide := false
		for _, s := range r.Previous {
			if s.To == "" && !s.Below {
				t.byPrev[s.From] = append(t.byPrev[s.From], i)
			} else {
				wide = true
			}
		}
		if wide {
			t.wide = append(t.wide, i)
		}
	}
}

// conversionHeaderText reports whether normalised sheet text holds the
// conversion table's column heads.
func conversionHeaderText(s string) bool {
	return strings.Contains(s, "current code assignment") && strings.Contains(s, "previous code")
}

// SniffConversionXLSX recognises the conversion table workbook by its
// column heads.
func SniffConversionXLSX(r io.ReaderAt, size int64) bool {
	text, err := xlsxHeadText(r, size, 5)
	return err == nil && conversionHeaderText(text)
}

var (
	fyRe = regexp.MustCompile(`(?i)\bFY\s?(20[0-9]{2})\b`)
	// spanRe finds the codes of a previous-assignment cell: a code, a code
	// with ".-" or "-" at the end (and below), or a range.
	// A category is a letter, then a digit and a digit or letter, or a
	// letter and a digit (FY2026's QA0), so "AND" is not one.
	spanRe = regexp.MustCompile(`\b([A-Z](?:[0-9][0-9A-Z]|[A-Z][0-9])(?:\.?[0-9A-Z]{1,4})?)(?:\s*-\s*([A-Z](?:[0-9][0-9A-Z]|[A-Z][0-9])(?:\.?[0-9A-Z]{1,4})?)|(\.?-))?`)
	// codeCellRe is a current-code cell: dotted or not, as CDC mixes both.
	codeCellRe = regexp.MustCompile(`^[A-Z](?:[0-9][0-9A-Z]|[A-Z][0-9])(?:\.?[0-9A-Z]{1,4})?$`)
)

// ParseConversionXLSX reads the conversion table workbook.
func ParseConversionXLSX(r io.ReaderAt, size int64, name string) (*ConversionTable, error) {
	x, err := openXLSX(r, size, name)
	if err != nil {
		return nil, err
	}
	defer x.close()
	t := &ConversionTable{}
	header := false
	for {
		line, cells, err := x.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if !header {
			text := normHeaderText(strings.Join(cells, " "))
			if m := fyRe.FindStringSubmatch(strings.Join(cells, " ")); m != nil && t.Year == 0 {
				t.Year, _ = strconv.Atoi(m[1])
			}
			header = conversionHeaderText(text)
			continue
		}
		if strings.Join(cells, "") == "" {
			continue
		}
		row, err := parseConversionRow(cells)
		if err != nil {
			return nil, &LineError{File: name, Line: line, Err: err}
		}
		row.Line = line
		t.Rows = append(t.Rows, row)
	}
	if !header {
		return nil, &LineError{File: name, Err: errors.New("no \"Current code assignment\" header row")}
	}
	if len(t.Rows) == 0 {
		return nil, &LineError{File: name, Err: errors.New("no rows below the header")}
	}
	return t, nil
}

func parseConversionRow(cells []string) (ConversionRow, error) {
	for len(cells) < 3 {
		cells = append(cells, "")
	}
	var row ConversionRow
	if !codeCellRe.MatchString(cells[0]) {
		return row, fmt.Errorf("current code %q is not an ICD-10-CM code", clip(cells[0], 40))
	}
	row.Code = UndotICD(cells[0])
	eff, err := conversionDate(cells[1])
	if err != nil {
		return row, err
	}
	row.Effective = eff
	row.PreviousText = cells[2]
	if strings.EqualFold(cells[2], "none") {
		return row, nil
	}
	for _, m := range spanRe.FindAllStringSubmatch(cells[2], -1) {
		s := CodeSpan{From: UndotICD(m[1])}
		switch {
		case m[2] != "":
			s.To = UndotICD(m[2])
		case m[3] != "":
			s.Below = true
		}
		row.Previous = append(row.Previous, s)
	}
	if len(row.Previous) == 0 {
		return row, fmt.Errorf("previous assignment %q names no code", clip(cells[2], 40))
	}
	return row, nil
}

// conversionDate reads the Effective column: a year means 1 October of that
// year (the table's own rule); an April or January update is written as a
// date ("04/01/23").
func conversionDate(s string) (time.Time, error) {
	if y, err := strconv.Atoi(s); err == nil && y >= 2015 && y < 2100 {
		return time.Date(y, time.October, 1, 0, 0, 0, 0, time.UTC), nil
	}
	for _, layout := range []string{"01/02/06", "1/2/06", "01/02/2006", "1/2/2006", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("effective %q is neither a year nor a date", clip(s, 40))
}

func (f *File) parseConversion(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("%s: %w", f.Source.Path, err)
	}
	f.Conversion, err = ParseConversionXLSX(bytes.NewReader(b), int64(len(b)), f.Source.Path)
	if err == nil && f.Year == 0 {
		f.Year = f.Conversion.Year
	}
	return err
}
