package codeset

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// NCCI tables (procedure-to-procedure edits here, medically unlikely edits
// in mue.go) come as tab-delimited text, csv and xlsx. Every form opens with
// copyright and title lines and then a header row whose line number changes
// between releases and which some releases split over several lines, so the
// header is found by its text. The same reader serves all three forms: it
// hands records (cells with their line or row number) to scanTable, which
// finds the header and passes every record after it to the table's parser.

var errNoHeader = errors.New("no header row found")

// PTPEdit is one procedure-to-procedure edit: the column-2 code is denied
// when billed with the column-1 code on the same date of service, unless the
// modifier indicator is 1 and an NCCI-associated modifier is reported.
type PTPEdit struct {
	Column1, Column2 string
	// PriorTo1996 is the "*" of the "in existence prior to 1996" column.
	PriorTo1996 bool
	// Effective and Deleted are calendar dates in UTC; a zero Deleted
	// means the edit has not been deleted ("*" in the file).
	Effective, Deleted time.Time
	// Modifier is the modifier indicator: 0 not allowed, 1 allowed, 9 not
	// applicable.
	Modifier  int
	Rationale string
	// Line is the line of the text or csv file, the row of the xlsx sheet.
	Line int
}

// Applies reports whether an edit is in force on a date of service:
// effective <= d and (no deletion or d < deletion). Only the calendar date
// of d counts, not its time of day or zone.
func (e PTPEdit) Applies(d time.Time) bool {
	d = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	return !d.Before(e.Effective) && (e.Deleted.IsZero() || d.Before(e.Deleted))
}

// PTPTable is one PTP edit file.
type PTPTable struct {
	// Setting is "practitioner" or "outpatient", from the file name
	// (ccipra..., ccioph...) or the title text; "" when neither tells.
	Setting string
	Edits   []PTPEdit
}

// ParsePTP reads a PTP edit table in its tab-delimited text form or as csv
// (the delimiter is recognised from the first bytes). Bytes that are not
// UTF-8 are read as Windows-1252.
func ParsePTP(r io.Reader, name string) (*PTPTable, error) {
	t, err := parsePTP(newDelimReader(r, name), name)
	if err != nil {
		return nil, fmt.Errorf("ptp: %w", err)
	}
	return t, nil
}

// ParsePTPXLSX reads a PTP edit table from the first sheet of an xlsx
// workbook; errors give the row number as the line.
func ParsePTPXLSX(r io.ReaderAt, size int64, name string) (*PTPTable, error) {
	xr, err := openXLSX(r, size, name)
	if err != nil {
		return nil, fmt.Errorf("ptp: %w", err)
	}
	defer xr.close()
	t, err := parsePTP(xr, name)
	if err != nil {
		return nil, fmt.Errorf("ptp: %w", err)
	}
	return t, nil
}

// SniffPTP reports whether the first bytes of a text or csv file (about
// 8 KB) hold the header of a PTP edit table.
func SniffPTP(head []byte) bool { return ptpHeaderText(normHeaderText(decodeTableText(string(head)))) }

// SniffXLSXKind tells a PTP ("ptp") from an MUE ("mue") workbook by the
// header text in the first 20 rows of its first sheet. It reads only those
// rows and the shared strings they use, so it is cheap on large workbooks.
func SniffXLSXKind(r io.ReaderAt, size int64) (kind string, ok bool) {
	text, err := xlsxHeadText(r, size, 20)
	if err != nil {
		return "", false
	}
	switch {
	case ptpHeaderText(text):
		return "ptp", true
	case mueHeaderText(text):
		return "mue", true
	}
	return "", false
}

var (
	column1Re = regexp.MustCompile(`\bcolumn ?1\b`)
	column2Re = regexp.MustCompile(`\bcolumn ?2\b`)
)

// ptpHeaderText reports whether normalised text holds a PTP header. Single
// words rather than phrases, so that a header split over lines still counts.
func ptpHeaderText(s string) bool {
	return column1Re.MatchString(s) && column2Re.MatchString(s) &&
		strings.Contains(s, "effective") && strings.Contains(s, "deletion") && strings.Contains(s, "modifier")
}

// normHeaderText lowercases s and reduces every run of blanks, line ends, tabs
// and quotes to one space, so that header text reads the same whether it is
// one line, several lines or an xlsx cell with line breaks.
func normHeaderText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch r {
		case ' ', '\t', '\r', '\n', '"', '\u00a0':
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// decodeTableText returns s as UTF-8: unchanged when it is ASCII or valid UTF-8
// (an xlsx saved as csv), read as Windows-1252 otherwise (the CMS text).
func decodeTableText(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			if utf8.ValidString(s) {
				return s
			}
			return decodeWindows1252(s)
		}
	}
	return s
}

// ptpParser turns records after the header into edits.
type ptpParser struct {
	t      *PTPTable
	ncols  int // 7 with the rationale column, 6 without
	sparse bool
	intern map[string]string
	// The rows come sorted by column 1 code: the previous one is likely
	// the same again, with no need to look it up.
	lastCol1 string
	// Edits gather in chunks, copied once into a slice of the exact size at
	// the end: appending to one slice of a million edits would copy (and
	// allocate) it several times over.
	chunks [][]PTPEdit
	cur    []PTPEdit
	n      int
}

const ptpChunk = 32 << 10

func (p *ptpParser) add(e PTPEdit) {
	if len(p.cur) == cap(p.cur) {
		if p.cur != nil {
			p.chunks = append(p.chunks, p.cur)
		}
		p.cur = make([]PTPEdit, 0, min(ptpChunk, max(64, 2*p.n)))
	}
	p.cur = append(p.cur, e)
	p.n++
}

func (p *ptpParser) edits() []PTPEdit {
	if len(p.chunks) == 0 {
		return p.cur
	}
	out := make([]PTPEdit, 0, p.n)
	for _, c := range p.chunks {
		out = append(out, c...)
	}
	return append(out, p.cur...)
}

func parsePTP(rr recordReader, name string) (*PTPTable, error) {
	p := &ptpParser{t: &PTPTable{}, ncols: 7, sparse: rr.sparse(), intern: map[string]string{}}
	shape := tableShape{
		start: func(s string) bool { return column1Re.MatchString(s) },
		header: func(h *tableHeader) error {
			all := h.title + " " + h.text
			if !ptpHeaderText(all) {
				return errors.New("header row lacks the PTP columns (Column 1, Column 2, Effective Date, Deletion Date, Modifier)")
			}
			if !strings.Contains(h.text, "rationale") {
				p.ncols = 6
			}
			p.t.Setting = ptpSetting(name, all)
			return nil
		},
		row: p.row,
	}
	if err := scanTable(rr, name, shape); err != nil {
		return nil, err
	}
	if p.n == 0 {
		return nil, &LineError{File: name, Err: errors.New("no PTP edit records found")}
	}
	p.t.Edits = p.edits()
	return p.t, nil
}

func (p *ptpParser) row(line int, cells []string) error {
	cells, err := needCells(cells, p.ncols, p.sparse)
	if err != nil {
		return err
	}
	e := PTPEdit{Line: line}
	if c := strings.TrimSpace(cells[0]); c != "" && c == p.lastCol1 {
		e.Column1 = p.lastCol1
	} else if e.Column1, err = p.code(c, p.sparse); err != nil {
		return fmt.Errorf("bad column 1 code: %v", err)
	}
	p.lastCol1 = e.Column1
	if e.Column2, err = p.code(cells[1], p.sparse); err != nil {
		return fmt.Errorf("bad column 2 code: %v", err)
	}
	switch f := strings.TrimSpace(cells[2]); f {
	case "*":
		e.PriorTo1996 = true
	case "":
	default:
		return fmt.Errorf("bad prior-to-1996 flag %q (want * or blank)", clip(f, 20))
	}
	if e.Effective, err = parseNCCIDate(cells[3]); err != nil {
		return fmt.Errorf("bad effective date %q", clip(strings.TrimSpace(cells[3]), 20))
	}
	if d := strings.TrimSpace(cells[4]); d != "*" {
		if e.Deleted, err = parseNCCIDate(d); err != nil {
			return fmt.Errorf("bad deletion date %q (want YYYYMMDD or *)", clip(d, 20))
		}
	}
	switch m := strings.TrimSpace(cells[5]); m {
	case "0", "1", "9":
		e.Modifier = int(m[0] - '0')
	default:
		return fmt.Errorf("bad modifier indicator %q (want 0, 1 or 9)", clip(m, 20))
	}
	if p.ncols > 6 {
		e.Rationale = p.str(strings.TrimSpace(cells[6]))
	}
	p.add(e)
	return nil
}

// code checks and interns a CPT or HCPCS code: a 500,000-row table names
// only some thousands of codes, and interning frees the line they came in.
func (p *ptpParser) code(s string, sparse bool) (string, error) {
	return internCode(p.intern, s, sparse)
}

func (p *ptpParser) str(s string) string { return internStr(p.intern, s) }

func internStr(m map[string]string, s string) string {
	if v, ok := m[s]; ok {
		return v
	}
	v := strings.Clone(s)
	m[v] = v
	return v
}

// internCode checks that s is a five-character CPT or HCPCS code. A
// spreadsheet may hold an all-digit code as a number, losing its leading
// zeros (01996 as 1996), so with fromSheet short digit strings are padded.
func internCode(m map[string]string, s string, fromSheet bool) (string, error) {
	s = strings.TrimSpace(s)
	if fromSheet && len(s) < 5 && len(s) > 0 && asciiDigits(s) {
		s = strings.Repeat("0", 5-len(s)) + s
	}
	if v, ok := m[s]; ok {
		return v, nil
	}
	if !ncciCodeShaped(s) {
		if s == "" {
			return "", errors.New("empty")
		}
		return "", fmt.Errorf("%q is not a 5-character CPT or HCPCS code", clip(s, 20))
	}
	v := strings.Clone(s)
	m[v] = v
	return v, nil
}

func ncciCodeShaped(s string) bool {
	if len(s) != 5 {
		return false
	}
	for i := 0; i < 5; i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

func asciiDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

// needCells checks that a record reaches column n. An xlsx row stops at its
// last non-empty cell, so sparse records are padded instead.
func needCells(cells []string, n int, sparse bool) ([]string, error) {
	if len(cells) >= n {
		return cells, nil
	}
	if !sparse {
		return nil, fmt.Errorf("missing columns: want %d, got %d", n, len(cells))
	}
	return append(cells, make([]string, n-len(cells))...), nil
}

// parseNCCIDate reads YYYYMMDD, the form of the text files; M/D/YYYY and
// YYYY-MM-DD are accepted too, for a spreadsheet showing dates as dates.
func parseNCCIDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	var y, m, d int
	switch {
	case len(s) == 8 && asciiDigits(s):
		y, m, d = atoiDigits(s[:4]), atoiDigits(s[4:6]), atoiDigits(s[6:])
	case strings.Count(s, "/") == 2:
		parts := strings.Split(s, "/")
		if len(parts[2]) != 4 || !asciiDigits(parts[0]) || !asciiDigits(parts[1]) || !asciiDigits(parts[2]) || len(parts[0]) > 2 || len(parts[1]) > 2 {
			return time.Time{}, errBadDate
		}
		m, d, y = atoiDigits(parts[0]), atoiDigits(parts[1]), atoiDigits(parts[2])
	case len(s) == 10 && s[4] == '-' && s[7] == '-' && asciiDigits(s[:4]) && asciiDigits(s[5:7]) && asciiDigits(s[8:]):
		y, m, d = atoiDigits(s[:4]), atoiDigits(s[5:7]), atoiDigits(s[8:])
	default:
		return time.Time{}, errBadDate
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if y < 1900 || t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return time.Time{}, errBadDate
	}
	return t, nil
}

var errBadDate = errors.New("bad date")

func atoiDigits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// ptpSetting tells practitioner from outpatient edits: CMS names the files
// ccipra-... and ccioph-...; failing that, the title may say.
func ptpSetting(name, text string) string {
	for _, s := range []string{strings.ToLower(baseName(name)), strings.ToLower(name)} {
		switch {
		case strings.Contains(s, "ccipra"):
			return "practitioner"
		case strings.Contains(s, "ccioph"):
			return "outpatient"
		}
	}
	switch {
	case strings.Contains(text, "practitioner"):
		return "practitioner"
	case strings.Contains(text, "outpatient"), strings.Contains(text, "hospital"):
		return "outpatient"
	}
	return ""
}

// recordReader yields the records of a table: its cells and the line (or
// row) it starts on; io.EOF at the end.
type recordReader interface {
	next() (line int, cells []string, err error)
	// sparse is true when trailing empty cells may be missing (xlsx).
	sparse() bool
}

// tableShape is what scanTable needs to know of a table.
type tableShape struct {
	// start reports whether a record's normalised text begins the header.
	start func(text string) bool
	// header checks the header and sets the parser up from it.
	header func(h *tableHeader) error
	row    func(line int, cells []string) error
}

// tableHeader is the header as found: records from the one that starts it
// to the first data record, merged column by column, all normalised.
type tableHeader struct {
	line  int
	cells []string
	text  string
	title string // the text above the header
}

// scanTable skips blank records and the lines above the header, finds the
// header by its text, and passes every record after it to shape.row. A
// record shaped like data (a code, then more cells) before any header means
// the header is missing; records after the header's first line that are not
// shaped like data (no code first, no all-digit cell) continue the header.
func scanTable(rr recordReader, name string, shape tableShape) error {
	var h *tableHeader
	var title strings.Builder
	inRows := false
	for {
		line, cells, err := rr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if blankRecord(cells) {
			continue
		}
		if !inRows {
			switch {
			case h == nil && looksLikeRow(cells):
				return &LineError{File: name, Err: errNoHeader}
			case h == nil:
				text := normHeaderText(strings.Join(cells, " "))
				if !shape.start(text) {
					title.WriteString(text)
					title.WriteByte(' ')
					continue
				}
				h = &tableHeader{line: line, title: title.String()}
				h.merge(cells)
				continue
			case !looksLikeData(cells):
				h.merge(cells)
				continue
			}
			h.text = strings.Join(h.cells, " ")
			if err := shape.header(h); err != nil {
				return &LineError{File: name, Line: h.line, Err: err}
			}
			inRows = true
		}
		if err := shape.row(line, cells); err != nil {
			return &LineError{File: name, Line: line, Err: err}
		}
	}
	if h == nil {
		return &LineError{File: name, Err: errNoHeader}
	}
	if !inRows {
		h.text = strings.Join(h.cells, " ")
		if err := shape.header(h); err != nil {
			return &LineError{File: name, Line: h.line, Err: err}
		}
	}
	return nil
}

func (h *tableHeader) merge(cells []string) {
	for i, c := range cells {
		c = normHeaderText(c)
		if i >= len(h.cells) {
			h.cells = append(h.cells, c)
			continue
		}
		if c != "" {
			h.cells[i] = strings.TrimSpace(h.cells[i] + " " + c)
		}
	}
}

func blankRecord(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// looksLikeRow: a code and at least one more value, as a table row starts.
func looksLikeRow(cells []string) bool {
	if len(cells) < 2 || !ncciCodeShaped(strings.TrimSpace(cells[0])) {
		return false
	}
	for _, c := range cells[1:] {
		if strings.TrimSpace(c) != "" {
			return true
		}
	}
	return false
}

// looksLikeData tells a data record, even a malformed one, from header text
// continued on another line: header cells are words, rows hold a code or
// numbers.
func looksLikeData(cells []string) bool {
	if ncciCodeShaped(strings.TrimSpace(cells[0])) {
		return true
	}
	for _, c := range cells {
		if asciiDigits(strings.TrimSpace(c)) {
			return true
		}
	}
	return false
}

// delimReader reads tab-delimited text or csv: tab when the first 8 KB hold
// a tab. Quoted cells may span lines (a header cell with line breaks).
type delimReader struct {
	name string
	cr   *csv.Reader
	tail *tailReader
	last int
	bom  bool
}

func newDelimReader(r io.Reader, name string) *delimReader {
	br := bufio.NewReaderSize(r, 256<<10)
	head, _ := br.Peek(sniffSize)
	t := &tailReader{r: br}
	cr := csv.NewReader(t)
	cr.Comma = ','
	if bytes.IndexByte(head, '\t') >= 0 {
		cr.Comma = '\t'
	}
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return &delimReader{name: name, cr: cr, tail: t, bom: true}
}

func (d *delimReader) sparse() bool { return false }

func (d *delimReader) next() (int, []string, error) {
	rec, err := d.cr.Read()
	if err == io.EOF {
		// CMS ends every line with CRLF: a last line without one was cut off.
		if d.tail.n > 0 && d.tail.last != '\n' {
			return 0, nil, &LineError{File: d.name, Line: d.last, Err: errUnterminated}
		}
		return 0, nil, io.EOF
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return 0, nil, &LineError{File: d.name, Line: pe.Line, Err: pe.Err}
		}
		return 0, nil, &LineError{File: d.name, Line: d.last + 1, Err: err}
	}
	line, _ := d.cr.FieldPos(0)
	d.last = line
	if d.bom {
		d.bom = false
		rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
	}
	for i, c := range rec {
		rec[i] = decodeTableText(c)
	}
	return line, rec, nil
}

// tailReader remembers the last byte read, to spot a file cut mid-line.
type tailReader struct {
	r    io.Reader
	n    int64
	last byte
}

func (t *tailReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if n > 0 {
		t.n += int64(n)
		t.last = p[n-1]
	}
	return n, err
}

// xlsxReader reads the rows of the first sheet of a workbook.
type xlsxReader struct {
	name string
	f    *excelize.File
	rows *excelize.Rows
	row  int
}

// openXLSX opens a workbook; like a zip member, one that would inflate
// past maxZipMember is refused (excelize's own limit is 16 GB).
func openXLSX(r io.ReaderAt, size int64, name string) (*xlsxReader, error) {
	f, err := excelize.OpenReader(io.NewSectionReader(r, 0, size), excelize.Options{UnzipSizeLimit: maxZipMember})
	if err != nil {
		return nil, &LineError{File: name, Err: fmt.Errorf("not a readable xlsx workbook: %v", err)}
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, &LineError{File: name, Err: errors.New("workbook has no sheets")}
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, &LineError{File: name, Err: fmt.Errorf("sheet %q: %v", sheets[0], err)}
	}
	return &xlsxReader{name: name, f: f, rows: rows}, nil
}

func (x *xlsxReader) sparse() bool { return true }

func (x *xlsxReader) next() (int, []string, error) {
	if !x.rows.Next() {
		if err := x.rows.Error(); err != nil {
			return 0, nil, &LineError{File: x.name, Line: x.row + 1, Err: err}
		}
		return 0, nil, io.EOF
	}
	// Next counts missing rows too, so the count is the row number.
	x.row++
	cells, err := x.rows.Columns()
	if err != nil {
		return 0, nil, &LineError{File: x.name, Line: x.row, Err: err}
	}
	return x.row, cells, nil
}

func (x *xlsxReader) close() {
	x.rows.Close()
	x.f.Close()
}

// xlsxHeadText reads the text of the first maxRows rows of the first sheet
// of a workbook, normalised by normHeaderText, without loading the workbook.
func xlsxHeadText(r io.ReaderAt, size int64, maxRows int) (string, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return "", err
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	wb := files["xl/workbook.xml"]
	if wb == nil {
		return "", errors.New("no xl/workbook.xml")
	}
	rid, err := firstSheetRID(wb)
	if err != nil {
		return "", err
	}
	rels, err := workbookRels(files["xl/_rels/workbook.xml.rels"])
	if err != nil {
		return "", err
	}
	sheetPath, sstPath := "", "xl/sharedStrings.xml"
	for _, rel := range rels {
		target := rel.Target
		if strings.HasPrefix(target, "/") {
			target = strings.TrimPrefix(target, "/")
		} else {
			target = path.Join("xl", target)
		}
		if rel.ID == rid {
			sheetPath = target
		}
		if strings.HasSuffix(rel.Type, "/sharedStrings") {
			sstPath = target
		}
	}
	sheet := files[sheetPath]
	if sheet == nil {
		return "", fmt.Errorf("first sheet %q missing", sheetPath)
	}
	rows, err := sheetHeadCells(sheet, maxRows)
	if err != nil {
		return "", err
	}
	need := map[int]string{}
	for _, row := range rows {
		for _, c := range row {
			if c.sst >= 0 {
				need[c.sst] = ""
			}
		}
	}
	if len(need) > 0 && files[sstPath] != nil {
		if err := sharedStrings(files[sstPath], need); err != nil {
			return "", err
		}
	}
	var b strings.Builder
	for _, row := range rows {
		for _, c := range row {
			if c.sst >= 0 {
				b.WriteString(need[c.sst])
			} else {
				b.WriteString(c.text)
			}
			b.WriteByte(' ')
		}
		b.WriteByte('\n')
	}
	return normHeaderText(b.String()), nil
}

func firstSheetRID(f *zip.File) (string, error) {
	rc, err := f.Open()
	if err != nil {
		return "", err
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", fmt.Errorf("workbook.xml: no sheet: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "sheet" {
			for _, a := range se.Attr {
				if a.Name.Local == "id" {
					return a.Value, nil
				}
			}
			return "", errors.New("workbook.xml: sheet without r:id")
		}
	}
}

type xlsxRel struct {
	ID     string `xml:"Id,attr"`
	Type   string `xml:"Type,attr"`
	Target string `xml:"Target,attr"`
}

func workbookRels(f *zip.File) ([]xlsxRel, error) {
	if f == nil {
		return nil, errors.New("no xl/_rels/workbook.xml.rels")
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var v struct {
		Rels []xlsxRel `xml:"Relationship"`
	}
	if err := xml.NewDecoder(io.LimitReader(rc, 1<<20)).Decode(&v); err != nil {
		return nil, err
	}
	return v.Rels, nil
}

type xlsxCell struct {
	sst  int // shared string index, -1 for a value held in the cell
	text string
}

// sheetHeadCells streams a worksheet up to row maxRows.
func sheetHeadCells(f *zip.File, maxRows int) ([][]xlsxCell, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	var rows [][]xlsxCell
	var cur *xlsxCell
	shared, inV, inT := false, false, false
	rowNum := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				// Empty rows are left out of the XML: count by their number.
				rowNum++
				for _, a := range t.Attr {
					if a.Name.Local == "r" {
						if n, err := strconv.Atoi(a.Value); err == nil {
							rowNum = n
						}
					}
				}
				if rowNum > maxRows {
					return rows, nil
				}
				rows = append(rows, nil)
			case "c":
				if len(rows) == 0 {
					continue
				}
				shared = false
				for _, a := range t.Attr {
					if a.Name.Local == "t" && a.Value == "s" {
						shared = true
					}
				}
				last := len(rows) - 1
				rows[last] = append(rows[last], xlsxCell{sst: -1})
				cur = &rows[last][len(rows[last])-1]
			case "v":
				inV = true
			case "t":
				inT = true
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "v":
				inV = false
			case "t":
				inT = false
			case "c":
				cur = nil
			case "sheetData":
				return rows, nil
			}
		case xml.CharData:
			switch {
			case cur == nil:
			case inV && shared:
				if n, err := strconv.Atoi(strings.TrimSpace(string(t))); err == nil {
					cur.sst = n
				}
			case inV, inT:
				cur.text += string(t)
			}
		}
	}
}

// sharedStrings fills need (index -> text) from the shared string table,
// reading no further than the highest index needed.
func sharedStrings(f *zip.File, need map[int]string) error {
	maxIdx := 0
	for i := range need {
		maxIdx = max(maxIdx, i)
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	idx := -1
	inT, inPhonetic := false, false
	var b strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				idx++
				b.Reset()
			case "t":
				inT = true
			case "rPh":
				inPhonetic = true
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				if _, ok := need[idx]; ok {
					need[idx] = b.String()
				}
				if idx >= maxIdx {
					return nil
				}
			case "t":
				inT = false
			case "rPh":
				inPhonetic = false
			}
		case xml.CharData:
			if inT && !inPhonetic {
				if _, ok := need[idx]; ok {
					b.Write(t)
				}
			}
		}
	}
}
