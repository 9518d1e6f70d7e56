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
)

// X12 837 claims, professional (005010X222A1) and institutional
// (005010X223A2), read with a segment reader of our own: the 837 needs only
// a handful of segments, and no maintained Go X12 library reads it well.
//
// What is read, per CLM (loop 2300) and its service lines (loop 2400):
//
//	CLM01          claim id
//	HI             diagnoses: ABK/BK principal first, then ABF/BF other
//	               diagnoses, ABN/BN external causes, ABJ/BJ admitting,
//	               APR/PR reasons for visit, each in file order, repeats
//	               dropped; other code lists (occurrence, value, condition
//	               codes, ICD-10-PCS procedures, DRG) are not diagnoses and
//	               are skipped. Codes come dotted ("E119" -> "E11.9").
//	SV1 (837P)     SV101 HC:code:mod1:..:mod4, SV104 units
//	SV2 (837I)     SV202 HC:code:mods, SV205 units; a line with a revenue
//	               code only, or a HIPPS rate code (HP), has no procedure
//	DTP*472        service date (D8 CCYYMMDD, or RD8 range: its first day);
//	               the first one of the claim
//	DTP*434        statement dates (837I): the first day; preferred to 472
//	DMG            birth date (DMG02) and sex (DMG03) from the subscriber
//	               (HL 22) or patient (HL 23) level; the patient's win
//
// The age is in whole years at the date of service. A record's position is
// the number of its CLM segment in the file, counting from ISA as 1; an
// unreadable claim is placed at the segment that broke it, and reading goes
// on with the next CLM.

// x12Scanner splits an interchange into segments, with the delimiters the
// ISA segment declares: the element separator is the byte after "ISA",
// the component separator is ISA16 and the segment terminator the byte
// after it. Line breaks after terminators, or anywhere in a file wrapped at
// a fixed width, are tolerated.
type x12Scanner struct {
	br                    *bufio.Reader
	elem, comp, rep, term byte
	seg                   int      // number of the last segment read
	els                   []string // its elements; els[0] is the segment id
	acc                   []byte
	// long is set when the last segment was longer than maxSegmentBytes,
	// and bad when a later ISA could not be read: the segment comes back
	// as one empty element, for the claim reader to report.
	long bool
	bad  error
	// broken is set when the last segment's id is not one.
	broken bool
	// keep, when set, lists the segments wanted: the others are counted
	// but come back as one empty element, without copying.
	keep map[string]bool
}

func newX12Scanner(br *bufio.Reader) (*x12Scanner, error) {
	for {
		b, err := br.Peek(1)
		if err == io.EOF {
			return nil, errors.New("not an X12 interchange: the input is empty")
		}
		if err != nil {
			return nil, err
		}
		if c := b[0]; c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			break
		}
		br.Discard(1)
	}
	s := &x12Scanner{br: br}
	head, err := claimPeekUntil(br, min(512, br.Size()), func(b []byte) bool {
		return len(b) >= 4 && !x12LooksLikeISA(b) || s.setDelimiters(b, true) != errX12ISAShort
	})
	if err != nil {
		return nil, err
	}
	if err := s.setDelimiters(head, true); err != nil {
		return nil, err
	}
	return s, nil
}

var errX12ISAShort = errors.New("ISA: the segment is cut short: it needs 16 elements and a terminator")

// setDelimiters reads the delimiters from an ISA segment (with what follows
// it when first, to find the terminator).
func (s *x12Scanner) setDelimiters(isa []byte, first bool) error {
	if len(isa) < 4 && bytes.HasPrefix([]byte("ISA"), isa) {
		return errX12ISAShort
	}
	if !x12LooksLikeISA(isa) {
		return errors.New("not an X12 interchange: it does not start with an ISA segment")
	}
	elem := isa[3]
	n, isa11 := 0, -1
	for i := 3; i < len(isa); i++ {
		if isa[i] != elem {
			continue
		}
		n++
		if n == 11 {
			isa11 = i + 1
		}
		if n < 16 {
			continue
		}
		if i+1 >= len(isa) || first && i+2 >= len(isa) {
			break
		}
		s.elem, s.comp, s.rep = elem, isa[i+1], 0
		if isa11 >= 0 && isa11+1 < len(isa) && isa[isa11+1] == elem && !isAlnum(isa[isa11]) {
			s.rep = isa[isa11] // 00501; 00401 has "U" there
		}
		if first {
			s.term = isa[i+2]
			if isAlnum(s.term) || s.term == elem || s.term == s.comp {
				return fmt.Errorf("ISA: segment terminator %q after ISA16 is not a delimiter", s.term)
			}
		}
		return nil
	}
	return errX12ISAShort
}

// Next returns the elements of the next segment, valid until the next
// call, or io.EOF.
func (s *x12Scanner) Next() ([]string, error) {
	s.bad, s.broken = nil, false
	for {
		raw, err := s.readSegment()
		if err != nil {
			return nil, err
		}
		if s.long {
			s.seg++
			s.els = append(s.els[:0], "")
			return s.els, nil
		}
		i, j := 0, len(raw)
		for i < j && (raw[i] == '\r' || raw[i] == '\n' || raw[i] == ' ' || raw[i] == '\t') {
			i++
		}
		for j > i && (raw[j-1] == '\r' || raw[j-1] == '\n') {
			j--
		}
		if i == j {
			continue
		}
		raw = raw[i:j]
		if bytes.ContainsAny(raw, "\r\n") {
			// A file wrapped at a fixed width: line breaks are never data.
			raw = bytes.ReplaceAll(bytes.ReplaceAll(raw, []byte("\r"), nil), []byte("\n"), nil)
		}
		i, j = 0, len(raw)
		s.seg++
		if s.keep != nil {
			id := raw[i:j]
			if k := bytes.IndexByte(id, s.elem); k >= 0 {
				id = id[:k]
			}
			if x12LooksLikeISA(raw) {
				id = raw[:3] // an interchange with other delimiters
			}
			if !x12SegmentID(id) {
				// Damage: a segment id is two or three letters and
				// digits. What it was cannot be told, so the claim it
				// is in cannot be read.
				s.broken = true
				s.els = append(s.els[:0], "")
				return s.els, nil
			}
			if string(id) != "ISA" && !s.keep[string(id)] {
				// Not wanted: no copy. The id alone stands for it.
				s.els = append(s.els[:0], "")
				return s.els, nil
			}
		}
		seg := string(raw[i:j])
		if strings.HasPrefix(seg, "ISA") && len(seg) > 3 && seg[3] != s.elem {
			// A later interchange with another element separator.
			if err := s.setDelimiters([]byte(seg), false); err != nil {
				// The delimiters stay those of the interchange before.
				s.bad = err
				s.els = append(s.els[:0], "")
				return s.els, nil
			}
		}
		s.els = x12Split(s.els[:0], seg, s.elem)
		if s.els[0] == "ISA" && len(s.els) == 17 {
			s.comp = 0
			if c := s.els[16]; len(c) > 0 {
				s.comp = c[0]
			}
		}
		return s.els, nil
	}
}

// maxSegmentBytes bounds a segment: a longer one (a terminator lost, or
// not an 837 at all) is read to its end but not kept.
const maxSegmentBytes = 1 << 20

// readSegment reads up to the next terminator, which it drops; the last
// segment may lack one.
func (s *x12Scanner) readSegment() ([]byte, error) {
	s.acc, s.long = s.acc[:0], false
	for {
		b, err := s.br.ReadSlice(s.term)
		if err == bufio.ErrBufferFull {
			if len(s.acc) < maxSegmentBytes {
				s.acc = append(s.acc, b...)
			} else {
				s.long = true
			}
			continue
		}
		if s.long {
			if err != nil && err != io.EOF {
				return nil, err
			}
			return nil, nil
		}
		if len(s.acc) > 0 {
			s.acc = append(s.acc, b...)
			b = s.acc
		}
		switch {
		case err == io.EOF:
			if len(b) == 0 {
				return nil, io.EOF
			}
			return b, nil
		case err != nil:
			return nil, err
		}
		return b[:len(b)-1], nil
	}
}

// x12SegmentID: an upper-case letter, then one or two letters or digits.
func x12SegmentID(id []byte) bool {
	if len(id) < 2 || len(id) > 3 || id[0] < 'A' || id[0] > 'Z' {
		return false
	}
	for _, c := range id[1:] {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func x12Split(dst []string, s string, sep byte) []string {
	for {
		i := strings.IndexByte(s, sep)
		if i < 0 {
			return append(dst, s)
		}
		dst = append(dst, s[:i])
		s = s[i+1:]
	}
}

// x12Component returns the i-th (0-based) component of a composite element.
func x12Component(el string, sep byte, i int) string {
	for ; i > 0; i-- {
		j := strings.IndexByte(el, sep)
		if j < 0 {
			return ""
		}
		el = el[j+1:]
	}
	if j := strings.IndexByte(el, sep); j >= 0 {
		return el[:j]
	}
	return el
}

// x12Element returns els[i] or "" when the segment is shorter.
func x12Element(els []string, i int) string {
	if i < len(els) {
		return els[i]
	}
	return ""
}

// x12Keep are the segments the 837 reader looks at.
var x12Keep = map[string]bool{"ISA": true, "GS": true, "GE": true, "IEA": true, "ST": true, "SE": true,
	"HL": true, "DMG": true, "CLM": true, "HI": true, "SV1": true, "SV2": true, "DTP": true}

type x12ClaimReader struct {
	sc     *x12Scanner
	source string
	seq    int
	queue  []*Record
	qi     int
	eof    bool

	skipST   bool   // in a transaction that is not an 837
	level    string // HL03 of the current hierarchical level
	sub, pat x12Demo
	cur      *x12Claim
}

// x12Demo is what a DMG segment says.
type x12Demo struct {
	seg   int // the DMG segment; 0 when none
	birth time.Time
	sex   string
	err   error
}

// x12Dx is a diagnosis of HI with its x12HIDx rank.
type x12Dx struct {
	code string
	rank int
}

type x12Claim struct {
	id                     string
	seg, last              int // the CLM segment, and the claim's last
	principal              string
	other                  []x12Dx // in file order
	px                     []Procedure
	noCode                 []LineWithoutCode
	date434, date472       time.Time
	demo                   x12Demo
	err                    error
	errSeg                 int
	hasDate434, hasDate472 bool
}

func newX12ClaimReader(br *bufio.Reader, source string) (*x12ClaimReader, error) {
	sc, err := newX12Scanner(br)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	sc.keep = x12Keep
	return &x12ClaimReader{sc: sc, source: source}, nil
}

func (r *x12ClaimReader) Next() (*Record, error) {
	for r.qi == len(r.queue) {
		r.queue, r.qi = r.queue[:0], 0
		if r.eof {
			return nil, io.EOF
		}
		els, err := r.sc.Next()
		if err == io.EOF {
			r.eof = true
			r.finish()
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.source, err)
		}
		r.segment(els, r.sc.seg)
	}
	rec := r.queue[r.qi]
	r.queue[r.qi] = nil
	r.qi++
	r.seq++
	rec.Seq, rec.Source = r.seq, r.source
	return rec, nil
}

func (r *x12ClaimReader) tally() Tally { return Tally{Segments: r.sc.seg} }

func (r *x12ClaimReader) segment(els []string, n int) {
	switch {
	case r.sc.bad != nil:
		// A later interchange whose ISA cannot be read: its claims are
		// read with the delimiters of the one before, or fail.
		r.finish()
		r.queue = append(r.queue, &Record{Pos: x12Pos(n), First: n, Last: n, Err: r.sc.bad})
		return
	case r.sc.long:
		err := fmt.Errorf("the segment is longer than %d MiB: is a segment terminator missing?", maxSegmentBytes>>20)
		if r.cur != nil {
			r.cur.fail(n, err)
		}
		return
	case r.sc.broken:
		// It may have been one of the claim's segments, or the CLM of
		// the next: either way this claim cannot be trusted.
		if r.cur != nil {
			r.cur.fail(n, errors.New("the segment is damaged: its id is not an X12 segment id"))
		}
		return
	}
	if c := r.cur; c != nil {
		c.last = n
	}
	switch els[0] {
	case "ISA", "GS", "GE", "IEA":
		r.finish()
		r.skipST = false
		return
	case "ST":
		r.finish()
		r.level, r.sub, r.pat = "", x12Demo{}, x12Demo{}
		if st := x12Element(els, 1); st != "837" {
			r.skipST = true
			r.queue = append(r.queue, &Record{Pos: x12Pos(n), First: n, Last: n,
				Err: fmt.Errorf("ST01: transaction set %q is not an 837 claim; skipped to its SE", excerpt(st))})
		}
		return
	case "SE":
		r.finish()
		r.skipST = false
		return
	}
	if r.skipST {
		return
	}
	switch els[0] {
	case "HL":
		r.finish()
		r.level = x12Element(els, 3)
		switch r.level {
		case "20", "22":
			r.sub, r.pat = x12Demo{}, x12Demo{}
		case "23":
			r.pat = x12Demo{}
		}
		return
	case "DMG":
		if r.cur != nil {
			return
		}
		switch r.level {
		case "22":
			r.sub = x12DMG(els, n)
		case "23":
			r.pat = x12DMG(els, n)
		}
		return
	case "CLM":
		r.finish()
		c := &x12Claim{id: strings.TrimSpace(x12Element(els, 1)), seg: n, last: n, demo: r.sub}
		if r.pat.seg != 0 {
			c.demo = r.pat
		}
		r.cur = c
		if c.id == "" {
			c.fail(n, errors.New("CLM01: no claim id"))
		}
		return
	}
	c := r.cur
	if c == nil || c.err != nil {
		return
	}
	switch els[0] {
	case "HI":
		c.hi(els, n, r.sc.comp)
	case "SV1":
		c.service(els, n, r.sc.comp, "SV1", 1, 4)
	case "SV2":
		c.service(els, n, r.sc.comp, "SV2", 2, 5)
	case "DTP":
		c.dtp(els, n)
	}
}

func x12Pos(n int) string { return "segment " + strconv.Itoa(n) }

func (c *x12Claim) fail(n int, err error) {
	if c.err == nil {
		c.err, c.errSeg = err, n
	}
}

// x12HIDx ranks the diagnosis qualifiers of HI: other diagnoses, external
// causes, admitting, reasons for visit. Principal (ABK/BK) comes first.
var x12HIDx = map[string]int{"ABF": 1, "BF": 1, "ABN": 2, "BN": 2, "ABJ": 3, "BJ": 3, "APR": 4, "PR": 4}

func (c *x12Claim) hi(els []string, n int, comp byte) {
	for i := 1; i < len(els); i++ {
		if els[i] == "" {
			continue
		}
		q := x12Component(els[i], comp, 0)
		principal := q == "ABK" || q == "BK"
		rank := x12HIDx[q]
		if !principal && rank == 0 {
			continue
		}
		raw := x12Component(els[i], comp, 1)
		if strings.TrimSpace(raw) == "" {
			c.fail(n, fmt.Errorf("HI%02d: qualifier %s without a code", i, q))
			return
		}
		code, err := claimDx(raw)
		if err != nil {
			c.fail(n, fmt.Errorf("HI%02d: %w", i, err))
			return
		}
		if principal && c.principal == "" {
			c.principal = code
			continue
		}
		if rank == 0 {
			rank = 1 // a second principal: another diagnosis
		}
		if c.other == nil {
			c.other = make([]x12Dx, 0, 12)
		}
		c.other = append(c.other, x12Dx{code, rank})
	}
}

// service reads SV1 or SV2: the composite procedure element at el and the
// units at unitsEl.
func (c *x12Claim) service(els []string, n int, comp byte, seg string, el, unitsEl int) {
	name := "SV101" // the element's name, for messages
	if el == 2 {
		name = "SV202"
	}
	proc := x12Element(els, el)
	q := x12Component(proc, comp, 0)
	code := strings.TrimSpace(x12Component(proc, comp, 1))
	switch {
	case proc == "" && seg == "SV2":
		return // a revenue code line
	case q == "HP" && seg == "SV2":
		return // a HIPPS rate code, not a procedure
	case q == "" && code == "" || q == "HC" && code == "":
		// A line without a procedure code: the claim is read, and the
		// validator says the line went unchecked.
		units := 1
		if u := x12Element(els, unitsEl); u != "" {
			var err error
			if units, err = claimUnitsOrZero(u); err != nil {
				c.fail(n, fmt.Errorf("%s%02d: %w", seg, unitsEl, err))
				return
			}
		}
		c.noCode = append(c.noCode, LineWithoutCode{Where: name + " at " + x12Pos(n), Units: units})
		return
	case q != "HC":
		c.fail(n, fmt.Errorf("%s: product qualifier %q: only HC (HCPCS and CPT) codes are read", name, excerpt(q)))
		return
	}
	p, err := ParseProcedure(code)
	if err != nil {
		c.fail(n, fmt.Errorf("%s: %w", name, err))
		return
	}
	if p.Units != 1 || p.Code != strings.ToUpper(code) {
		// ParseProcedure reads "J1100x2"; an X12 code is the code alone.
		c.fail(n, fmt.Errorf("%s: invalid procedure code %q", name, excerpt(code)))
		return
	}
	for k := 2; k <= 5; k++ {
		m := x12Component(proc, comp, k)
		if m == "" {
			continue
		}
		mod, err := claimModifier(m)
		if err != nil {
			c.fail(n, fmt.Errorf("%s-%d: %w", name, k+1, err))
			return
		}
		p.Modifiers = append(p.Modifiers, mod)
	}
	if u := x12Element(els, unitsEl); u != "" {
		if p.Units, err = claimUnits(u); err != nil {
			c.fail(n, fmt.Errorf("%s%02d: %w", seg, unitsEl, err))
			return
		}
	}
	if c.px == nil {
		c.px = make([]Procedure, 0, 4)
	}
	c.px = append(c.px, p)
}

func (c *x12Claim) dtp(els []string, n int) {
	q := x12Element(els, 1)
	if q != "472" && q != "434" {
		return
	}
	d, err := parseX12Date(x12Element(els, 2), x12Element(els, 3))
	if err != nil {
		c.fail(n, fmt.Errorf("DTP*%s: %w", q, err))
		return
	}
	switch {
	case q == "434" && !c.hasDate434:
		c.date434, c.hasDate434 = d, true
	case q == "472" && !c.hasDate472:
		c.date472, c.hasDate472 = d, true
	}
}

// parseX12Date reads D8 (CCYYMMDD) or RD8 (CCYYMMDD-CCYYMMDD, the first
// day).
func parseX12Date(format, v string) (time.Time, error) {
	switch format {
	case "D8":
		t, err := time.Parse("20060102", v)
		if err != nil {
			return time.Time{}, fmt.Errorf("invalid date %q: want CCYYMMDD", excerpt(v))
		}
		return t, nil
	case "RD8":
		from, to, ok := strings.Cut(v, "-")
		t, err := time.Parse("20060102", from)
		if err == nil && ok {
			var end time.Time
			if end, err = time.Parse("20060102", to); err == nil && end.Before(t) {
				err = errors.New("ends before it starts")
			}
		}
		if err != nil || !ok {
			return time.Time{}, fmt.Errorf("invalid date range %q: want CCYYMMDD-CCYYMMDD", excerpt(v))
		}
		return t, nil
	}
	return time.Time{}, fmt.Errorf("date format %q: want D8 or RD8", excerpt(format))
}

func x12DMG(els []string, n int) x12Demo {
	d := x12Demo{seg: n}
	if v := x12Element(els, 2); v != "" {
		if f := x12Element(els, 1); f != "D8" {
			d.err = fmt.Errorf("DMG01: date format %q: want D8", excerpt(f))
			return d
		}
		t, err := time.Parse("20060102", v)
		if err != nil {
			d.err = fmt.Errorf("DMG02: invalid birth date %q: want CCYYMMDD", excerpt(v))
			return d
		}
		d.birth = t
	}
	sex, err := claimSex(x12Element(els, 3))
	if err != nil {
		d.err = fmt.Errorf("DMG03: %w", err)
	}
	d.sex = sex
	return d
}

// finish turns the claim being read into a record.
func (r *x12ClaimReader) finish() {
	c := r.cur
	if c == nil {
		return
	}
	r.cur = nil
	rec := &Record{ID: c.id, Pos: x12Pos(c.seg), First: c.seg, Last: c.last}
	r.queue = append(r.queue, rec)
	if c.err != nil {
		rec.Pos, rec.Err = x12Pos(c.errSeg), c.err
		return
	}
	if c.demo.err != nil {
		rec.Pos, rec.Err = x12Pos(c.demo.seg), c.demo.err
		return
	}
	cl := &Claim{ID: c.id, Sex: c.demo.sex, Px: c.px, NoCode: c.noCode}
	switch {
	case c.hasDate434:
		cl.Date = c.date434
	case c.hasDate472:
		cl.Date = c.date472
	}
	cl.Dx = make([]string, 0, len(c.other)+1)
	if c.principal != "" {
		cl.Dx = append(cl.Dx, c.principal)
	}
	for rank := 1; rank <= 4; rank++ {
		for _, d := range c.other {
			if d.rank == rank {
				cl.Dx = claimAppendDx(cl.Dx, d.code)
			}
		}
	}
	if !c.demo.birth.IsZero() {
		a, err := claimAgeAt(c.demo.birth, cl.Date)
		if err != nil {
			rec.Pos, rec.Err = x12Pos(c.demo.seg), fmt.Errorf("DMG02: %w", err)
			return
		}
		cl.Age = &a
	}
	if err := claimNotEmpty(cl); err != nil {
		rec.Err = err
		return
	}
	rec.Claim = cl
}
