package codeset

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ErrNotIndex is wrapped in the error ParseIndex returns for a well-formed
// XML file that is not one of the CDC index files, so that callers trying
// several parsers in turn can tell "wrong kind of file" from "broken file".
var ErrNotIndex = errors.New("not an ICD-10-CM index file")

const indexRoot = "ICD10CM.index"

// SniffIndex decides from the first bytes of a file (about 8 KB is plenty:
// the hints all sit before the first <letter>) whether it is a CDC index
// file and which book it holds.
func SniffIndex(head []byte) (IndexBook, bool) {
	d := xml.NewDecoder(bytes.NewReader(head))
	var (
		sawRoot bool
		elem    string // element whose text we want, "" when none
		col1    bool
		text    strings.Builder
		hint    indexBookHints
	)
	for {
		tok, err := d.Token()
		if err != nil {
			// The head is usually cut mid-document; an index root with no
			// contrary hint before the cut means the main index.
			if sawRoot {
				b, err := hint.book()
				return b, err == nil
			}
			return "", false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if !sawRoot {
				if t.Name.Local != indexRoot {
					return "", false
				}
				sawRoot = true
				continue
			}
			switch t.Name.Local {
			case "title", "head":
				elem = t.Name.Local
				col1 = elem == "head" && indexAttr(t, "col") == "1"
				text.Reset()
			case "letter":
				b, err := hint.book()
				return b, err == nil
			}
		case xml.CharData:
			if elem != "" {
				text.Write(t)
			}
		case xml.EndElement:
			switch {
			case t.Name.Local == "title" && elem == "title":
				hint.title = text.String()
			case t.Name.Local == "head" && elem == "head" && col1:
				hint.head1 = text.String()
			}
			if t.Name.Local == elem {
				elem = ""
			}
		}
	}
}

// indexBookHints collects what the content says about the book; the file name
// is deliberately not consulted because users rename downloads.
type indexBookHints struct {
	title string // the document <title>, absent in the tables
	head1 string // column 1 heading, present only in the tables
}

func (h indexBookHints) book() (IndexBook, error) {
	if h.head1 != "" {
		switch strings.ToLower(strings.TrimSpace(h.head1)) {
		case "substance":
			return BookDrugs, nil
		case "neoplasm":
			return BookNeoplasms, nil
		}
		return "", fmt.Errorf("unknown index table %q", strings.TrimSpace(h.head1))
	}
	if strings.Contains(strings.ToUpper(h.title), "EXTERNAL CAUSE") {
		return BookExternalCause, nil
	}
	return BookDiseases, nil
}

func indexAttr(se xml.StartElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// ParseIndex reads one of the CDC index files: the Alphabetic Index
// (icd10cm_index_YYYY.xml), the External Cause Index (icd10cm_eindex), the
// Table of Drugs and Chemicals (icd10cm_drug) or the Neoplasm Table
// (icd10cm_neoplasm). The book is recognised from the content. name is used
// only in error messages. Errors are *LineError; a well-formed XML file of
// another kind wraps ErrNotIndex.
func ParseIndex(r io.Reader, name string) (*Index, error) {
	p := &indexParser{
		d:    xml.NewDecoder(r),
		name: name,
		idx:  &Index{},
	}
	if err := p.run(); err != nil {
		return nil, err
	}
	n := len(p.terms)
	for _, c := range p.chunks {
		n += len(c)
	}
	p.idx.Terms = make([]IndexTerm, 0, n)
	for _, c := range p.chunks {
		p.idx.Terms = append(p.idx.Terms, c...)
	}
	p.idx.Terms = append(p.idx.Terms, p.terms...)
	return p.idx, nil
}

// The elements whose text content the parser keeps.
const (
	icapNone = iota
	icapVersion
	icapTitle
	icapHead
	icapCode
	icapManif
	icapSee
	icapSeeAlso
	icapSeeCat
	icapSubCat
	icapCell
	icapNemod  // a <nemod> beside the title rather than inside it
	icapIgnore // <warning>, which IndexTerm has no place for
)

var indexCaptureKinds = map[string]int{
	"version": icapVersion,
	"title":   icapTitle,
	"head":    icapHead,
	"code":    icapCode,
	"manif":   icapManif,
	"see":     icapSee,
	"seeAlso": icapSeeAlso,
	"seecat":  icapSeeCat,
	"subcat":  icapSubCat,
	"cell":    icapCell,
	"warning": icapIgnore,
	"nemod":   icapNemod,
}

type indexCell struct {
	col  int
	code string
}

// indexFrame is an open mainTerm or term. Its own content is held until the
// first subterm or its end tag, so that a term is emitted before its
// subterms, in book order.
type indexFrame struct {
	title, nemod                              string
	code, manif, see, seeAlso, seeCat, subCat string
	cells                                     []indexCell
	titled, pending                           bool
}

type indexParser struct {
	d      *xml.Decoder
	name   string
	idx    *Index
	hint   indexBookHints
	booked bool

	stack []indexFrame

	// Terms are gathered in fixed chunks and copied once into an exact
	// slice at the end: growing one slice by doubling would allocate and
	// copy about three times the final size.
	chunks [][]IndexTerm
	terms  []IndexTerm

	// Text capture state of the element being read.
	capKind  int
	capName  string
	capDepth int // elements open inside the captured one
	oldDepth int // >0 while inside <old>, whose text the addenda deleted
	nemDepth int // >0 while inside <nemod>
	capCol   int
	main     []byte // text outside <nemod>
	nem      []byte // text inside <nemod>
	nemBreak bool   // a <nemod> separated the last main text from the next

	// arena hands out Path and Nemod slices in chunks: one allocation per
	// few hundred terms instead of two per term.
	arena []string
}

func (p *indexParser) errorf(format string, args ...any) error {
	line, _ := p.d.InputPos()
	return &LineError{File: p.name, Line: line, Err: fmt.Errorf(format, args...)}
}

func (p *indexParser) xmlError(err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		msg := se.Msg
		if msg == "unexpected EOF" {
			msg = "unexpected end of file (truncated?)"
		}
		return &LineError{File: p.name, Line: se.Line, Err: errors.New("xml: " + msg)}
	}
	line, _ := p.d.InputPos()
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = errors.New("xml: unexpected end of file (truncated?)")
	}
	return &LineError{File: p.name, Line: line, Err: err}
}

func (p *indexParser) run() error {
	sawRoot := false
	for {
		tok, err := p.d.Token()
		if err == io.EOF {
			if !sawRoot {
				return &LineError{File: p.name, Err: ErrNotIndex}
			}
			// Token reports unclosed elements itself, so EOF here means
			// the root was closed and everything after it was blank.
			return nil
		}
		if err != nil {
			return p.xmlError(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if !sawRoot {
				if t.Name.Local != indexRoot {
					return p.errorf("%w (root element <%s>)", ErrNotIndex, t.Name.Local)
				}
				sawRoot = true
				continue
			}
			if err := p.start(t); err != nil {
				return err
			}
		case xml.CharData:
			if p.capKind != icapNone && p.oldDepth == 0 {
				if p.nemDepth > 0 {
					p.nem = append(p.nem, t...)
				} else {
					p.addMain(t)
				}
			}
		case xml.EndElement:
			if t.Name.Local == indexRoot && p.capKind == icapNone && len(p.stack) == 0 {
				if !p.booked {
					if err := p.decideBook(); err != nil {
						return err
					}
				}
				return nil
			}
			if err := p.end(t); err != nil {
				return err
			}
		}
	}
}

func (p *indexParser) start(t xml.StartElement) error {
	name := t.Name.Local
	if p.capKind != icapNone {
		p.capDepth++
		switch name {
		case "old":
			p.oldDepth++
		case "nemod":
			p.nemDepth++
			p.nemBreak = true
		}
		// <diff>, <new>, <unc> and anything unforeseen are transparent.
		return nil
	}
	switch name {
	case "mainTerm", "term":
		if len(p.stack) == 0 && name == "term" {
			return p.errorf("<term> outside a <mainTerm>")
		}
		if len(p.stack) > 0 && name == "mainTerm" {
			return p.errorf("<mainTerm> inside a term")
		}
		if !p.booked {
			if err := p.decideBook(); err != nil {
				return err
			}
		}
		if name == "mainTerm" {
			p.idx.MainTerms++
		} else {
			p.flush(len(p.stack) - 1)
		}
		p.stack = append(p.stack, indexFrame{})
		return nil
	case "letter", "indexHeading":
		if name == "letter" && !p.booked {
			return p.decideBook()
		}
		return nil
	case "diff":
		// In the index schema a <diff> may stand in for a term's title.
		p.beginCapture(name, icapTitle)
		return nil
	}
	kind, ok := indexCaptureKinds[name]
	if !ok {
		return nil
	}
	p.beginCapture(name, kind)
	switch kind {
	case icapCell, icapHead:
		v := indexAttr(t, "col")
		col, err := strconv.Atoi(v)
		if err != nil || col < 1 {
			return p.errorf("<%s> with bad col %q", name, v)
		}
		p.capCol = col
	case icapNemod:
		p.nemDepth = 1
	}
	return nil
}

func (p *indexParser) beginCapture(name string, kind int) {
	p.capKind, p.capName = kind, name
	p.capDepth, p.oldDepth, p.nemDepth = 0, 0, 0
	p.main, p.nem = p.main[:0], p.nem[:0]
	p.nemBreak = false
}

// addMain appends title text, joining the pieces either side of a <nemod>
// the way the printed book reads with the modifier left out:
// "autonomic (poly)neuropathy" gives "autonomic neuropathy", but
// "Klein(e)-Levin" gives "Klein-Levin" and "contaminant(s), source" gives
// "contaminant, source".
func (p *indexParser) addMain(b []byte) {
	if p.nemBreak && len(p.main) > 0 {
		b = bytes.TrimLeft(b, " \t\r\n")
		if len(b) == 0 {
			return // keep the break pending for the next piece
		}
		p.main = bytes.TrimRight(p.main, " \t\r\n")
		last := p.main[len(p.main)-1]
		if last != '-' && last != '/' && !strings.ContainsRune("-,.;:)/", rune(b[0])) {
			p.main = append(p.main, ' ')
		}
	}
	if len(b) > 0 {
		p.nemBreak = false
	}
	p.main = append(p.main, b...)
}

func (p *indexParser) end(t xml.EndElement) error {
	if p.capKind != icapNone {
		if p.capDepth > 0 {
			p.capDepth--
			switch t.Name.Local {
			case "old":
				p.oldDepth--
			case "nemod":
				p.nemDepth--
			}
			return nil
		}
		return p.endCapture()
	}
	switch t.Name.Local {
	case "mainTerm", "term":
		// Token has already checked that the tags match, so the frame on
		// top of the stack is the one closing.
		top := len(p.stack) - 1
		p.flush(top)
		p.stack = p.stack[:top]
	}
	return nil
}

func (p *indexParser) endCapture() error {
	kind := p.capKind
	p.capKind = icapNone
	text := collapseIndexSpace(p.main)
	var f *indexFrame
	if len(p.stack) > 0 {
		f = &p.stack[len(p.stack)-1]
	}
	switch kind {
	case icapVersion:
		p.idx.Version = text
	case icapHead:
		if p.idx.Headings == nil {
			p.idx.Headings = make(map[int]string)
		}
		p.idx.Headings[p.capCol] = text
		if p.capCol == 1 {
			p.hint.head1 = text
		}
	case icapTitle:
		switch {
		case f != nil && !f.titled:
			f.title, f.nemod, f.titled = text, collapseIndexSpace(p.nem), true
			if f.title == "" {
				// A subterm that is nothing but a modifier, such as
				// "electric > (taser)": the modifier is the entry.
				f.title, f.nemod = f.nemod, ""
			}
		case f == nil && !p.booked:
			// The document title comes before the first letter.
			p.hint.title = text
		}
		// Otherwise a letter's title, which adds nothing to a Path.
	case icapCell:
		if f == nil {
			return p.errorf("<cell> outside a term")
		}
		if text != "" && text != "-" && text != "--" {
			f.cells = append(f.cells, indexCell{col: p.capCol, code: text})
			f.pending = true
		}
	case icapNemod:
		// The drug table schema once put the modifier after the title
		// (the declaration is commented out in its xsd); accept it there.
		if f != nil && f.nemod == "" {
			f.nemod = collapseIndexSpace(p.nem)
		}
	case icapIgnore:
	default:
		if f == nil {
			return p.errorf("<%s> outside a term", p.capName)
		}
		if text == "" {
			return nil
		}
		switch kind {
		case icapCode:
			f.code = text
		case icapManif:
			f.manif = text
		case icapSee:
			f.see = text
		case icapSeeAlso:
			f.seeAlso = text
		case icapSeeCat:
			f.seeCat = text
		case icapSubCat:
			f.subCat = text
		}
		f.pending = true
	}
	return nil
}

func (p *indexParser) decideBook() error {
	b, err := p.hint.book()
	if err != nil {
		return p.errorf("%w", err)
	}
	p.idx.Book, p.booked = b, true
	return nil
}

// flush emits the held content of stack[i], if any. Content that (against
// the schema) follows a subterm is emitted at the term's end as a second
// entry with the same Path rather than lost.
func (p *indexParser) flush(i int) {
	f := &p.stack[i]
	if !f.pending {
		return
	}
	t := IndexTerm{
		Book:    p.idx.Book,
		Code:    f.code,
		Manif:   f.manif,
		See:     f.see,
		SeeAlso: f.seeAlso,
		SeeCat:  f.seeCat,
		SubCat:  f.subCat,
	}
	if len(f.cells) == 0 {
		t.Path, t.Nemod = p.paths(i + 1)
		p.add(t)
	}
	for _, c := range f.cells {
		t.Path, t.Nemod = p.paths(i + 1)
		t.Code = c.code
		t.Column = p.column(c.col)
		p.add(t)
	}
	f.code, f.manif, f.see, f.seeAlso, f.seeCat, f.subCat = "", "", "", "", "", ""
	f.cells = f.cells[:0]
	f.pending = false
}

func (p *indexParser) add(t IndexTerm) {
	if len(p.terms) == cap(p.terms) {
		if p.terms != nil {
			p.chunks = append(p.chunks, p.terms)
		}
		p.terms = make([]IndexTerm, 0, 4096)
	}
	p.terms = append(p.terms, t)
}

func (p *indexParser) column(col int) string {
	if h, ok := p.idx.Headings[col]; ok {
		return h
	}
	return "col " + strconv.Itoa(col)
}

// paths returns fresh Path and Nemod slices for a term n levels deep.
func (p *indexParser) paths(n int) (path, nemod []string) {
	if len(p.arena) < 2*n {
		p.arena = make([]string, max(1024, 2*n))
	}
	path, nemod = p.arena[:n:n], p.arena[n:2*n:2*n]
	p.arena = p.arena[2*n:]
	for i := range n {
		path[i], nemod[i] = p.stack[i].title, p.stack[i].nemod
	}
	return path, nemod
}

// collapseIndexSpace trims b and turns every run of white space into one blank.
func collapseIndexSpace(b []byte) string {
	b = bytes.TrimSpace(b)
	clean := true
	for i, c := range b {
		if c == '\t' || c == '\r' || c == '\n' || (c == ' ' && i > 0 && b[i-1] == ' ') {
			clean = false
			break
		}
	}
	if clean {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b))
	space := false
	for _, c := range b {
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' {
			space = true
			continue
		}
		if space {
			sb.WriteByte(' ')
			space = false
		}
		sb.WriteByte(c)
	}
	return sb.String()
}
