package codeset

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Column layout of the CMS alpha-numeric HCPCS contractor record (the CMS
// RIF record layout, 320 columns). Offsets are 0-based half-open slices of
// the 1-based inclusive positions in the layout document, so that each line
// below can be checked against it by adding one to the start.
const (
	hcpcsWidth = 320
	// hcpcsMinFirst is the last column a first line must reach: the action
	// code at 293. Only the filler after it may have been trimmed away.
	hcpcsMinFirst = 293
	// hcpcsDescEnd ends the long description, the only meaningful field of
	// a continuation line.
	hcpcsDescEnd = 91
)

type hcpcsField struct{ from, to int } // 0-based, half-open

var (
	fLongDesc  = hcpcsField{11, 91}
	fShortDesc = hcpcsField{91, 119}
	fPricing   = hcpcsField{119, 127}
	fMultiPric = hcpcsField{127, 128}
	fCIM       = hcpcsField{128, 146}
	fMCM       = hcpcsField{146, 170}
	fStatute   = hcpcsField{170, 180}
	fLabCert   = hcpcsField{180, 204}
	fXRef      = hcpcsField{204, 229}
	fCoverage  = hcpcsField{229, 230}
	fASCGroup  = hcpcsField{230, 232}
	fASCDate   = hcpcsField{232, 240}
	fMOGGroup  = hcpcsField{240, 243}
	fMOGPolicy = hcpcsField{243, 244}
	fMOGDate   = hcpcsField{244, 252}
	fProcNote  = hcpcsField{252, 256}
	fBETOS     = hcpcsField{256, 259}
	fTOS       = hcpcsField{260, 265}
	fAnesUnits = hcpcsField{265, 268}
	fAdded     = hcpcsField{268, 276}
	fActionEff = hcpcsField{276, 284}
	fTermDate  = hcpcsField{284, 292}
	fAction    = hcpcsField{292, 293}
)

// A file without a single record is the wrong file, not an empty code set;
// the error concerns the whole file, hence a LineError with no line.
var (
	errNoHCPCS     = errors.New("no HCPCS records found")
	errNoProcNotes = errors.New("no processing notes found")
)

var (
	// The disclaimer names the release: "... codes in CMS’ 2020 HCPCS Update".
	hcpcsYearInText = regexp.MustCompile(`\b((?:19|20)[0-9]{2})\s+HCPCS\b`)
	// CMS names the file after the year: HCPC2020_ANWEB_w_disclaimer.txt,
	// HCPC2026_JAN_ANWEB_v3.txt.
	hcpcsYearInName = regexp.MustCompile(`(?i)HCPCS?[ _-]?((?:19|20)[0-9]{2})(?:[^0-9]|$)`)
	// Failing that, a year standing alone: 2020-Alpha-Numeric-HCPCS-File.zip.
	yearInName = regexp.MustCompile(`(?:^|[^0-9])((?:19|20)[0-9]{2})(?:[^0-9]|$)`)

	procNoteStart = regexp.MustCompile(`^([0-9]{4})--\s*(.*)$`)
)

// HCPCSYearFromName returns the HCPCS year a CMS file name carries, or 0.
func HCPCSYearFromName(name string) int {
	base := filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	for _, re := range []*regexp.Regexp{hcpcsYearInName, yearInName} {
		if m := re.FindStringSubmatch(base); m != nil {
			return atoi4(m[1])
		}
	}
	return 0
}

// hcpcsYearFromText finds the year in a disclaimer line, or returns 0.
func hcpcsYearFromText(s string) int {
	if m := hcpcsYearInText.FindStringSubmatch(s); m != nil {
		return atoi4(m[1])
	}
	return 0
}

func atoi4(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// ParseHCPCS reads the CMS alpha-numeric HCPCS file (fixed width, 320
// columns, Windows-1252). Free text before the first record is the
// disclaimer and is skipped; after that every non-blank line must be a
// record, because a stray line there means a damaged file, not a note.
func ParseHCPCS(r io.Reader, name string) (*HCPCSFile, error) {
	f := &HCPCSFile{}
	var cur *HCPCSRecord // the record continuation lines extend
	started := false
	err := eachLine(r, name, func(n int, l string) error {
		if strings.TrimSpace(l) == "" {
			return nil
		}
		if !hcpcsPrefix(l) {
			if started {
				return fmt.Errorf("not an HCPCS record: %q", clipText(l, 30))
			}
			if f.Year == 0 {
				f.Year = hcpcsYearFromText(decodeWindows1252(l))
			}
			return nil
		}
		started = true
		if len(l) < 11 {
			return fmt.Errorf("record cut short at column %d (no record id in column 11)", len(l)+1)
		}
		switch id := l[10]; id {
		case '3', '7':
			rec, err := parseHCPCSFirst(l)
			if err != nil {
				return err
			}
			rec.Line = n
			f.Records = append(f.Records, rec)
			cur = &f.Records[len(f.Records)-1]
			if rec.IsModifier {
				f.Modifiers++
			} else {
				f.Procedures++
			}
		case '4', '8':
			if err := continueHCPCS(cur, l); err != nil {
				return err
			}
		default:
			return fmt.Errorf("unknown record id %q", decodeWindows1252(l[10:11]))
		}
		f.Lines++
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("hcpcs: %w", err)
	}
	if len(f.Records) == 0 {
		return nil, fmt.Errorf("hcpcs: %w", &LineError{File: name, Err: errNoHCPCS})
	}
	if f.Year == 0 {
		f.Year = HCPCSYearFromName(name)
	}
	return f, nil
}

// hcpcsShape reports whether l starts like a record: a procedure code (five
// letters or digits) or a modifier (three blanks, two letters or digits),
// then the five-digit sequence number.
func hcpcsShape(l string) bool {
	return len(l) >= 10 && hcpcsPrefix(l[:10])
}

// hcpcsPrefix reports whether l starts like a record, allowing it to stop
// after the first sequence digit, so that a record cut short is told from
// unrelated text.
func hcpcsPrefix(l string) bool {
	if len(l) < 6 {
		return false
	}
	modifier := strings.HasPrefix(l, "   ")
	for i := 0; i < len(l) && i < 10; i++ {
		c := l[i]
		switch {
		case i < 3 && modifier:
			// blanks, already checked
		case i < 5:
			if !isUpperAlnum(c) {
				return false
			}
		default:
			if c < '0' || c > '9' {
				return false
			}
		}
	}
	return true
}

func isUpperAlnum(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func parseHCPCSFirst(l string) (HCPCSRecord, error) {
	id := l[10]
	if len(l) < hcpcsMinFirst {
		return HCPCSRecord{}, fmt.Errorf("record cut short at column %d (want at least %d)", len(l)+1, hcpcsMinFirst)
	}
	if len(l) > hcpcsWidth && strings.TrimSpace(l[hcpcsWidth:]) != "" {
		// Most likely two records run together for want of a line break.
		return HCPCSRecord{}, fmt.Errorf("text after column %d: %q", hcpcsWidth, clipText(l[hcpcsWidth:], 30))
	}
	rec := HCPCSRecord{IsModifier: id == '7', Seq: l[5:10]}
	if rec.IsModifier {
		if l[:3] != "   " {
			return rec, fmt.Errorf("modifier record (id 7) with procedure code %q", l[:5])
		}
		rec.Code = l[3:5]
	} else {
		if l[0] == ' ' {
			return rec, fmt.Errorf("procedure record (id 3) with modifier code %q", strings.TrimSpace(l[:5]))
		}
		rec.Code = l[:5]
	}
	text := func(f hcpcsField) string { return decodeWindows1252(strings.TrimRight(l[f.from:f.to], " ")) }
	code := func(f hcpcsField) string { return decodeWindows1252(strings.TrimSpace(l[f.from:f.to])) }
	rec.LongDesc = text(fLongDesc)
	rec.ShortDesc = text(fShortDesc)
	rec.Pricing = splitFixed(l, fPricing, 2)
	rec.MultiPricing = code(fMultiPric)
	rec.CIM = splitFixed(l, fCIM, 6)
	rec.MCM = splitFixed(l, fMCM, 8)
	rec.Statute = code(fStatute)
	rec.LabCert = splitFixed(l, fLabCert, 3)
	rec.XRef = splitFixed(l, fXRef, 5)
	rec.Coverage = code(fCoverage)
	rec.ASCGroup = code(fASCGroup)
	rec.MOGGroup = code(fMOGGroup)
	rec.MOGPolicy = code(fMOGPolicy)
	rec.ProcNote = code(fProcNote)
	rec.BETOS = code(fBETOS)
	rec.TypeOfService = splitFixed(l, fTOS, 1)
	rec.AnesBaseUnits = code(fAnesUnits)
	rec.Action = code(fAction)
	for _, d := range []struct {
		what string
		f    hcpcsField
		dst  *time.Time
	}{
		{"asc effective", fASCDate, &rec.ASCEffective},
		{"mog effective", fMOGDate, &rec.MOGEffective},
		{"added", fAdded, &rec.Added},
		{"action effective", fActionEff, &rec.ActionEffective},
		{"termination", fTermDate, &rec.Terminated},
	} {
		t, err := parseHCPCSDate(l[d.f.from:d.f.to])
		if err != nil {
			return rec, fmt.Errorf("%s date in columns %d-%d: %v", d.what, d.f.from+1, d.f.to, err)
		}
		*d.dst = t
	}
	return rec, nil
}

// continueHCPCS folds a continuation line (id 4 or 8) into the record it
// follows. CMS breaks descriptions between words, so one space rejoins them.
func continueHCPCS(cur *HCPCSRecord, l string) error {
	id := l[10]
	if cur == nil {
		return fmt.Errorf("continuation line (id %c) with no preceding record", id)
	}
	if (id == '8') != cur.IsModifier {
		kind := "procedure"
		if cur.IsModifier {
			kind = "modifier"
		}
		return fmt.Errorf("continuation line (id %c) follows %s %s", id, kind, cur.Code)
	}
	c := l[:5]
	if id == '8' {
		c = l[3:5]
	}
	if c != cur.Code || id == '8' && l[:3] != "   " {
		return fmt.Errorf("continuation line for %s follows record %s", strings.TrimSpace(l[:5]), cur.Code)
	}
	end := min(len(l), hcpcsDescEnd)
	more := decodeWindows1252(strings.TrimSpace(l[fLongDesc.from:end]))
	if more == "" {
		return nil
	}
	if cur.LongDesc == "" {
		cur.LongDesc = more
	} else {
		cur.LongDesc += " " + more
	}
	return nil
}

// splitFixed cuts a repeating field (four pricing indicators of two
// characters, ...) into its non-blank occurrences; nil when all are blank.
func splitFixed(l string, f hcpcsField, width int) []string {
	var out []string
	for i := f.from; i+width <= f.to; i += width {
		if s := strings.TrimSpace(l[i : i+width]); s != "" {
			out = append(out, decodeWindows1252(s))
		}
	}
	return out
}

// parseHCPCSDate reads a YYYYMMDD field; blank means no date.
func parseHCPCSDate(s string) (time.Time, error) {
	if strings.TrimSpace(s) == "" {
		return time.Time{}, nil
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return time.Time{}, fmt.Errorf("not a YYYYMMDD date: %q", decodeWindows1252(s))
		}
	}
	t, err := time.Parse("20060102", s)
	if err != nil {
		return time.Time{}, fmt.Errorf("not a valid date: %q", s)
	}
	return t, nil
}

func clipText(s string, n int) string {
	s = decodeWindows1252(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "..."
}

// cp1252High maps bytes 0x80-0x9F, where Windows-1252 differs from Latin-1.
// The five bytes Windows-1252 leaves undefined keep their Latin-1 (C1
// control) meaning so that no byte of the source is ever lost.
var cp1252High = [32]rune{
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
}

// decodeWindows1252 converts CMS text to UTF-8. ASCII, nearly all of it,
// is returned as is without allocating.
func decodeWindows1252(s string) string {
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c < 0x80:
			b.WriteByte(c)
		case c < 0xA0:
			b.WriteRune(cp1252High[c-0x80])
		default:
			b.WriteRune(rune(c))
		}
	}
	return b.String()
}

// LooksLikeHCPCS reports whether the first bytes of a file (about 8 KB)
// hold at least one complete HCPCS first-line record, whatever the file is
// called. The disclaimer above the records is allowed for.
func LooksLikeHCPCS(head []byte) bool {
	for _, l := range headLines(head) {
		s := string(l)
		if !hcpcsShape(s) || len(s) < 11 || s[10] != '3' && s[10] != '7' {
			continue
		}
		if _, err := parseHCPCSFirst(s); err == nil {
			return true
		}
	}
	return false
}

// LooksLikeProcNotes reports whether the first bytes of a file are the
// HCPCS processing notes: at least two "NNNN--text" note openings.
func LooksLikeProcNotes(head []byte) bool {
	seen := 0
	for _, l := range headLines(head) {
		if procNoteStart.MatchString(cleanNoteLine(string(l))) {
			seen++
			if seen >= 2 {
				return true
			}
		}
	}
	return false
}

// headLines splits a file head into lines without CR/LF. The last piece is
// dropped when the head stops mid-line, unless it is the whole head.
func headLines(head []byte) [][]byte {
	lines := bytes.Split(head, []byte("\n"))
	if len(lines) > 1 {
		lines = lines[:len(lines)-1]
	}
	for i, l := range lines {
		lines[i] = bytes.TrimRight(l, "\r")
	}
	return lines
}

// cleanNoteLine reduces a processing notes line to its words. The file
// mixes tabs and spaces and closes each line with a right-margin "*".
func cleanNoteLine(l string) string {
	s := strings.TrimRight(l, " \t\r")
	s = strings.TrimSuffix(s, "*")
	return strings.Join(strings.Fields(s), " ")
}

// ParseProcNotes reads the HCPCS processing notes file: blocks opening
// with "NNNN--" and continued on the following lines. Text above the first
// note is the title.
func ParseProcNotes(r io.Reader, name string) (ProcNotes, error) {
	notes := ProcNotes{}
	cur := ""
	err := eachLine(r, name, func(_ int, l string) error {
		s := cleanNoteLine(decodeWindows1252(l))
		if s == "" {
			return nil
		}
		if m := procNoteStart.FindStringSubmatch(s); m != nil {
			if _, dup := notes[m[1]]; dup {
				return fmt.Errorf("processing note %s defined twice", m[1])
			}
			cur = m[1]
			notes[cur] = m[2]
			return nil
		}
		if cur == "" {
			return nil
		}
		if notes[cur] == "" {
			notes[cur] = s
		} else {
			notes[cur] += " " + s
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("hcpcs: %w", err)
	}
	if len(notes) == 0 {
		return nil, fmt.Errorf("hcpcs: %w", &LineError{File: name, Err: errNoProcNotes})
	}
	return notes, nil
}
