package claims

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/medcode/medcode/codeset"
)

// Batch input: claim files read one claim at a time.
//
// Three formats are read, each streamed (a reader never holds the whole
// file, only the claim it is building):
//
//   - "csv": delimited text with a header line; the delimiter (comma, tab,
//     '|' or ';') is detected from the header. The default layout is
//     described at NewReader; a ColumnMap describes any other layout.
//   - "jsonl": JSON Lines, one claim object per line.
//   - "x12": ASC X12 837P (005010X222A1) and 837I (005010X223A2).
//
// Every input record becomes a Record, numbered in input order; a
// record that cannot be read carries the reason and its place in the file,
// and reading goes on with the next one.

// Record is one input record: a claim, or why it could not be read.
type Record struct {
	Seq    int    // 1-based record number in input order across the file
	Source string // file name ("-" for stdin)
	Pos    string // "line 12", "lines 12-14" (CSV grouped rows), "segment 57" (X12)
	ID     string // claim id when known, even for unreadable records
	// First and Last are the input lines the record spans (CSV, JSON
	// Lines) or its segments (X12).
	First, Last int
	Claim       *Claim // nil when unreadable
	Err         error  // why unreadable; processing goes on
}

// Where is "source:pos", for messages.
func (r *Record) Where() string {
	switch {
	case r.Source == "":
		return r.Pos
	case r.Pos == "":
		return r.Source
	}
	return r.Source + ": " + r.Pos
}

// Reader yields the records of a claim file. Next returns io.EOF at the
// end. Any other error is fatal (reading failed); a record that cannot be
// read comes back as a Record with Err set, and the next call goes on.
type Reader interface {
	Next() (*Record, error)
}

// Claim file formats.
const (
	FormatCSV   = "csv"
	FormatJSONL = "jsonl"
	FormatX12   = "x12"
)

// claimReadBuffer is the read buffer of every claim reader, and how much
// of the input format detection may look at.
const claimReadBuffer = 64 << 10

// DetectClaimFormat tells the format of a claim file from its first bytes:
// "x12" when it starts with an ISA segment, "jsonl" when its first
// non-space character is '{', "csv" when its first line has a delimiter
// (comma, tab, '|' or ';'). A UTF-8 byte order mark and leading white space
// are skipped.
func DetectClaimFormat(head []byte) (string, error) {
	b := bytes.TrimLeft(bytes.TrimPrefix(head, claimBOM), " \t\r\n")
	switch {
	case len(b) == 0:
		return "", errors.New("cannot tell the claim file format: the input is empty")
	case x12LooksLikeISA(b):
		return FormatX12, nil
	case b[0] == '{':
		return FormatJSONL, nil
	case b[0] == '[':
		return "", errors.New("cannot read a JSON array of claims: write JSON Lines, one claim object per line")
	}
	line := claimFirstLine(b)
	if claimBinary(line) {
		return "", errNotText
	}
	if _, n := csvDetectDelimiter(line); n > 0 {
		return FormatCSV, nil
	}
	// The line is not quoted: it may be a patient's record.
	return "", errors.New("not a claim file: its first line is not a CSV header (claim_id,date,...), a JSON object, or an X12 ISA segment")
}

var claimBOM = []byte{0xEF, 0xBB, 0xBF}

var errNotText = errors.New("not a claim file: it holds binary data, not text")

// claimBinary: a first line with control characters (NUL, and the others
// but tab and CR) is not text, as in a zip, gzip, PDF or spreadsheet file.
func claimBinary(line []byte) bool {
	for _, c := range line {
		if c < ' ' && c != '\t' && c != '\r' || c == 0x7f {
			return true
		}
	}
	return false
}

// x12LooksLikeISA: "ISA" then an element separator that is not a letter,
// digit or space, so a CSV header such as "ISAAC,..." is not taken for X12.
func x12LooksLikeISA(b []byte) bool {
	if len(b) < 4 || !bytes.HasPrefix(b, []byte("ISA")) {
		return false
	}
	c := b[3]
	return !isAlnum(c) && c != ' ' && c != '\r' && c != '\n'
}

// csvDetectDelimiter picks the candidate that occurs most often outside
// quotes in a header line; n is its count, 0 when there is none.
func csvDetectDelimiter(line []byte) (rune, int) {
	cands := []byte{',', '\t', '|', ';'}
	var counts [4]int
	inQuote := false
	for _, c := range line {
		if c == '"' {
			inQuote = !inQuote
			continue
		}
		if inQuote {
			continue
		}
		for i, d := range cands {
			if c == d {
				counts[i]++
			}
		}
	}
	best := 0
	for i := range cands {
		if counts[i] > counts[best] {
			best = i
		}
	}
	return rune(cands[best]), counts[best]
}

// NewReader reads claims from r in the given format: "csv" (also
// "tsv"), "jsonl" (also "ndjson"), "x12" (also "837"), or "" / "auto" to
// detect it from the content. source names the input in records ("-" for
// stdin). m, for CSV only, maps the columns of a layout other than the
// default; nil means the default layout:
//
//	claim_id   claim id (also "id")
//	date       date of service: YYYY-MM-DD, MM/DD/YYYY or YYYYMMDD
//	age        age in whole years, or
//	birth_date date of birth (also "dob"), same formats: the age is computed
//	           in whole years at the date of service (at today's date when
//	           the claim has none)
//	sex        F, M or U (also female, male, unknown; also "gender")
//	dx         diagnoses separated by white space, ';', '|' or ',', principal
//	           first; or numbered columns dx1 .. dx25
//	px         service lines CODE[xUNITS][:MOD...] ("J1100x2:LT") separated
//	           the same way; or numbered columns px1 .., each with optional
//	           units1 .. and mod1 .. (modifiers separated by ':' or spaces)
//
// One row is one claim. Header names are matched ignoring case, spaces,
// '_' and '-' ("Claim ID", "CLAIM_ID" and "claimid" are the same); other
// columns are ignored; there must be a dx or px column. Diagnosis codes come
// out dotted and upper-case ("E11.9"), procedures upper-case.
//
// A row (or JSON line, or X12 claim) that cannot be read, because of a
// wrong number of fields, a bad date or a code of the wrong shape, becomes a
// record with Err and its position, and reading goes on.
func NewReader(r io.Reader, source, format string, m *ColumnMap) (Reader, error) {
	rd, count, err := newReader(r, source, format, m)
	if err != nil {
		return nil, err
	}
	return &checkedReader{r: rd, source: source, count: count}, nil
}

func newReader(r io.Reader, source, format string, m *ColumnMap) (Reader, func() Tally, error) {
	br := bufio.NewReaderSize(r, claimReadBuffer)
	claimSkipBOM(br)
	head, err := claimPeekHead(br)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", source, err)
	}
	delim := rune(0) // detected
	switch strings.ToLower(format) {
	case "", "auto":
		if len(bytes.TrimSpace(head)) == 0 {
			return emptyClaimReader{}, nil, nil
		}
		f, err := DetectClaimFormat(head)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", source, err)
		}
		format = f
	case "csv":
		format = FormatCSV
	case "tsv":
		format, delim = FormatCSV, '\t'
	case "jsonl", "ndjson":
		format = FormatJSONL
	case "x12", "837":
		format = FormatX12
	default:
		return nil, nil, fmt.Errorf("unknown claim file format %q: want csv, tsv, jsonl or x12", format)
	}
	if m != nil && format != FormatCSV {
		return nil, nil, fmt.Errorf("%s: a column map applies to CSV input only, and this is %s", source, format)
	}
	if format != FormatX12 && claimBinary(claimFirstLine(head)) {
		// X12 may take control characters for delimiters; text may not.
		return nil, nil, fmt.Errorf("%s: %w", source, errNotText)
	}
	switch format {
	case FormatCSV:
		if m != nil && m.Delimiter != 0 {
			delim = m.Delimiter
		}
		rd, err := newCSVClaimReader(br, source, m, delim)
		if err != nil {
			return nil, nil, err
		}
		if rd.rs == nil {
			return rd, nil, nil
		}
		return rd, rd.tally, nil
	case FormatJSONL:
		rd := newJSONLClaimReader(br, source)
		return rd, rd.tally, nil
	default:
		rd, err := newX12ClaimReader(br, source)
		if err != nil {
			return nil, nil, err
		}
		return rd, rd.tally, nil
	}
}

// claimFirstLine is the first non-blank line of head.
func claimFirstLine(head []byte) []byte {
	b := bytes.TrimLeft(head, " \t\r\n")
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	return b
}

type emptyClaimReader struct{}

func (emptyClaimReader) Next() (*Record, error) { return nil, io.EOF }

func claimSkipBOM(br *bufio.Reader) {
	if b, _ := br.Peek(3); bytes.Equal(b, claimBOM) {
		br.Discard(3)
	}
}

// claimPeekHead returns enough of the buffered input to tell its format:
// up to the end of the first non-blank line, or the first character when
// it is '{', or the buffer when the line is longer.
func claimPeekHead(br *bufio.Reader) ([]byte, error) {
	return claimPeekUntil(br, claimReadBuffer, claimHeadDecided)
}

// claimPeekUntil returns the buffered input, without consuming it, as soon
// as done says it is enough, or limit bytes are buffered, or the input ends.
// It waits for more input only when what has arrived is not enough, so a
// pipe is never waited on beyond what is needed.
func claimPeekUntil(br *bufio.Reader, limit int, done func([]byte) bool) ([]byte, error) {
	n := 1
	for {
		b, err := br.Peek(n)
		if done(b) || len(b) >= limit {
			return b, nil
		}
		if err != nil {
			if err == io.EOF {
				return b, nil
			}
			return nil, err
		}
		if m := br.Buffered(); m > n {
			n = min(m, limit) // look at what has arrived before waiting
			continue
		}
		n = min(n+1, limit)
	}
}

func claimHeadDecided(b []byte) bool {
	t := bytes.TrimLeft(b, " \t\r\n")
	if len(t) == 0 {
		return false
	}
	if t[0] == '{' || len(t) >= 4 && t[0] == 'I' && t[1] == 'S' && t[2] == 'A' {
		return true
	}
	return bytes.IndexByte(t, '\n') >= 0
}

// Field parsing shared by the formats.

// claimTrim is strings.TrimSpace with the usual case inlined: a field that
// starts and ends with printable ASCII has nothing to trim. A claim's
// fields were trimmed a dozen times a claim.
func claimTrim(s string) string {
	if s != "" && plainASCII(s[0]) && plainASCII(s[len(s)-1]) {
		return s
	}
	return strings.TrimSpace(s)
}

// plainASCII: printable ASCII other than the space.
func plainASCII(c byte) bool { return c > ' ' && c < utf8.RuneSelf }

var claimDateLayouts = []string{"2006-01-02", "1/2/2006", "20060102"}

func claimDate(s string, layouts []string) (time.Time, error) {
	s = claimTrim(s)
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("invalid date %q: want %s", excerpt(s), claimLayoutNames(layouts))
}

func claimLayoutNames(layouts []string) string {
	var out []string
	for _, l := range layouts {
		switch l {
		case "2006-01-02":
			out = append(out, "YYYY-MM-DD")
		case "1/2/2006":
			out = append(out, "MM/DD/YYYY")
		case "20060102":
			out = append(out, "YYYYMMDD")
		default:
			out = append(out, "the layout "+l)
		}
	}
	if len(out) > 1 {
		return strings.Join(out[:len(out)-1], ", ") + " or " + out[len(out)-1]
	}
	return strings.Join(out, "")
}

// claimAgeAt is the age in whole years on date (today when date is zero).
func claimAgeAt(birth, date time.Time) (int, error) {
	if date.IsZero() {
		date = time.Now()
	}
	if birth.After(date) {
		return 0, fmt.Errorf("birth date %s is after the date of service %s", birth.Format("2006-01-02"), date.Format("2006-01-02"))
	}
	age := date.Year() - birth.Year()
	if date.Month() < birth.Month() || date.Month() == birth.Month() && date.Day() < birth.Day() {
		age--
	}
	return age, nil
}

const claimMaxAge = 130

func claimAge(s string) (int, error) {
	n, err := strconv.Atoi(claimTrim(s))
	if err != nil || n < 0 || n > claimMaxAge {
		return 0, fmt.Errorf("invalid age %q: want whole years from 0 to %d", excerpt(s), claimMaxAge)
	}
	return n, nil
}

// claimSex: "F", "M", or "" for unknown.
func claimSex(s string) (string, error) {
	switch strings.ToUpper(claimTrim(s)) {
	case "F", "FEMALE":
		return "F", nil
	case "M", "MALE":
		return "M", nil
	case "", "U", "UNKNOWN":
		return "", nil
	}
	return "", fmt.Errorf("invalid sex %q: want F, M or U", excerpt(s))
}

// claimDx checks the shape of a diagnosis code and returns it dotted and
// upper-case ("e119" -> "E11.9"). A code already in that form is returned
// as is, without allocating.
func claimDx(s string) (string, error) {
	s = claimTrim(s)
	if claimCanonicalDx(s) {
		return s, nil
	}
	if n := len(s); n >= 3 && n <= 7 && s[0] >= 'A' && s[0] <= 'Z' && claimUpperAlnum(s) {
		return codeset.DotICD(s), nil // undotted, as in X12: "E119"
	}
	if len(s) > maxEcho {
		return "", fmt.Errorf("invalid ICD-10-CM code %q: too long: a code has at most 7 characters", excerpt(s))
	}
	code, err := codeset.NormalizeICD(s)
	if err != nil {
		return "", err
	}
	return codeset.DotICD(code), nil
}

func claimCanonicalDx(s string) bool {
	n := len(s)
	if n < 3 || n == 4 || n > 8 || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for i := 1; i < n; i++ {
		c := s[i]
		if i == 3 {
			if c != '.' {
				return false
			}
			continue
		}
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// ParseProcedure reads one service line, as claim files and the command
// line write it: the code, then modifiers after ':' or '-', with units as
// "xN" (or "*N") after the code or at the end: "J1100", "J1100x2:LT",
// "J1100:LT:59x2", "J1100-59". A bare upper-case code takes a fast path.
func ParseProcedure(s string) (Procedure, error) {
	t := claimTrim(s)
	if len(t) == 5 && claimUpperAlnum(t) {
		return Procedure{Code: t, Units: 1}, nil
	}
	// The parts, without allocating: a code and at most a few modifiers.
	var buf [8]string
	parts := buf[:0]
	start := 0
	for i := 0; i <= len(t); i++ {
		if i < len(t) && t[i] != ':' && t[i] != '-' {
			continue
		}
		if i > start {
			if len(parts) == len(buf) {
				return Procedure{}, fmt.Errorf("invalid procedure %q: too many modifiers", excerpt(s))
			}
			parts = append(parts, t[start:i])
		}
		start = i + 1
	}
	if len(parts) == 0 {
		return Procedure{}, fmt.Errorf("empty procedure")
	}
	p := Procedure{Units: 1}
	unitsSet := false
	for i, part := range parts {
		// Units end the code (5 characters) or the last modifier (2).
		at := 5
		if i > 0 {
			if i < len(parts)-1 {
				continue
			}
			at = 2
		}
		if len(part) > at+1 && strings.ContainsRune("xX*", rune(part[at])) {
			n, err := strconv.Atoi(part[at+1:])
			if err != nil {
				continue
			}
			if unitsSet {
				return p, fmt.Errorf("invalid procedure %q: units given twice", excerpt(s))
			}
			if n < 1 {
				return p, fmt.Errorf("invalid units in %q: want 1 or more", excerpt(s))
			}
			p.Units, unitsSet, parts[i] = n, true, part[:at]
		}
	}
	p.Code = strings.ToUpper(parts[0])
	if len(p.Code) != 5 || !codeset.HCPCSShaped(p.Code) {
		return p, fmt.Errorf("invalid procedure %q: a procedure code has five characters (J1100, 99213)", excerpt(s))
	}
	if len(parts) > 1 {
		p.Modifiers = make([]string, 0, len(parts)-1)
	}
	for _, m := range parts[1:] {
		mod, err := claimModifier(m)
		if err != nil {
			return p, fmt.Errorf("invalid modifier %q in %q: a modifier has two characters", excerpt(m), excerpt(s))
		}
		p.Modifiers = append(p.Modifiers, mod)
	}
	return p, nil
}

func claimUpperAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// claimModifier checks one modifier ("lt" -> "LT").
func claimModifier(s string) (string, error) {
	m := claimTrim(s)
	if len(m) != 2 || !codeset.HCPCSShaped(m) {
		return "", fmt.Errorf("invalid modifier %q: a modifier has two characters", excerpt(s))
	}
	if !claimUpperAlnum(m) {
		m = strings.ToUpper(m)
	}
	return m, nil
}

// claimUnits reads a unit count: a whole number of 1 or more ("2", "2.0").
func claimUnits(s string) (int, error) {
	t := claimTrim(s)
	if n, err := strconv.Atoi(t); err == nil && n >= 1 {
		return n, nil
	}
	if f, err := strconv.ParseFloat(t, 64); err == nil && f >= 1 && f == float64(int(f)) && f < 1e9 {
		return int(f), nil
	}
	return 0, fmt.Errorf("invalid units %q: want a whole number of 1 or more", excerpt(s))
}

// claimUnitsOrZero reads the units of a line without a procedure code,
// where 0 says the line bills nothing.
func claimUnitsOrZero(s string) (int, error) {
	if t := claimTrim(s); t == "0" || t == "0.0" || t == "0.00" {
		return 0, nil
	}
	return claimUnits(s)
}

// claimListSep: the separators of code lists within one field.
func claimListSep(r rune) bool {
	return r == ' ' || r == ';' || r == '|' || r == ',' || r == '\t' || r == '\n' || r == '\r'
}

// claimSplit splits a code list on sep (claimListSep when nil).
func claimSplit(s string, sep func(rune) bool) []string {
	if sep == nil {
		sep = claimListSep
	}
	return strings.FieldsFunc(s, sep)
}

// claimAppendDx adds a diagnosis unless the claim has it already.
func claimAppendDx(dx []string, code string) []string {
	for _, d := range dx {
		if d == code {
			return dx
		}
	}
	return append(dx, code)
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}
