package codeset

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The xml* types mirror icd10cm_tabular.xsd closely enough for
// encoding/xml; they are converted to the exported model right away.
type xmlNotes struct {
	Notes []xmlText `xml:"note"`
}

type xmlText struct {
	Inner string `xml:",innerxml"`
}

type xmlExtension struct {
	Char  string `xml:"char,attr"`
	Inner string `xml:",innerxml"`
}

type xmlSevenChrDef struct {
	Extensions []xmlExtension `xml:"extension"`
}

type xmlNoteBlocks struct {
	Inclusion     []xmlNotes       `xml:"inclusionTerm"`
	Includes      []xmlNotes       `xml:"includes"`
	Excludes1     []xmlNotes       `xml:"excludes1"`
	Excludes2     []xmlNotes       `xml:"excludes2"`
	CodeFirst     []xmlNotes       `xml:"codeFirst"`
	UseAdditional []xmlNotes       `xml:"useAdditionalCode"`
	CodeAlso      []xmlNotes       `xml:"codeAlso"`
	Notes         []xmlNotes       `xml:"notes"`
	SevenChrNote  []xmlNotes       `xml:"sevenChrNote"`
	SevenChrDef   []xmlSevenChrDef `xml:"sevenChrDef"`
}

type xmlDiag struct {
	Name string  `xml:"name"`
	Desc xmlText `xml:"desc"`
	xmlNoteBlocks
	Diags []xmlDiag `xml:"diag"`
}

type xmlSection struct {
	ID   string  `xml:"id,attr"`
	Desc xmlText `xml:"desc"`
	xmlNoteBlocks
	Diags []xmlDiag `xml:"diag"`
}

type xmlChapter struct {
	Name string  `xml:"name"`
	Desc xmlText `xml:"desc"`
	xmlNoteBlocks
	Sections []xmlSection `xml:"section"`
}

// SniffTabular reports whether the first bytes of a file are a Tabular
// List XML document.
func SniffTabular(head []byte) bool {
	return bytes.Contains(head, []byte("<ICD10CM.tabular"))
}

// ParseTabular reads a Tabular List XML file (icd10cm_tabular_YYYY.xml).
func ParseTabular(r io.Reader, name string) (*Tabular, error) {
	dec := xml.NewDecoder(r)
	t := &Tabular{}
	sawRoot := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, xmlError(name, dec, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "ICD10CM.tabular":
			sawRoot = true
		case "version":
			var v xmlText
			if err := dec.DecodeElement(&v, &se); err != nil {
				return nil, xmlError(name, dec, err)
			}
			t.Version = cleanText(v.Inner)
		case "chapter":
			if !sawRoot {
				return nil, fmt.Errorf("%s: not an ICD-10-CM tabular file", name)
			}
			var xc xmlChapter
			if err := dec.DecodeElement(&xc, &se); err != nil {
				return nil, xmlError(name, dec, err)
			}
			t.Chapters = append(t.Chapters, t.chapter(&xc))
		case "introduction":
			if err := dec.Skip(); err != nil {
				return nil, xmlError(name, dec, err)
			}
		default:
			if !sawRoot {
				return nil, fmt.Errorf("%s: not an ICD-10-CM tabular file (root element <%s>)", name, se.Name.Local)
			}
		}
	}
	if !sawRoot || len(t.Chapters) == 0 {
		return nil, fmt.Errorf("%s: no chapters found in tabular file", name)
	}
	return t, nil
}

func (t *Tabular) chapter(xc *xmlChapter) *TabularChapter {
	c := &TabularChapter{Num: strings.TrimSpace(xc.Name), Desc: cleanText(xc.Desc.Inner), Notes: xc.notes()}
	for i := range xc.Sections {
		xs := &xc.Sections[i]
		s := &TabularSection{ID: strings.TrimSpace(xs.ID), Desc: cleanText(xs.Desc.Inner), Notes: xs.notes()}
		s.First, s.Last, _ = strings.Cut(s.ID, "-")
		if s.Last == "" {
			s.Last = s.First
		}
		for j := range xs.Diags {
			s.Diags = append(s.Diags, t.diag(&xs.Diags[j]))
		}
		c.Sections = append(c.Sections, s)
	}
	nestSections(c.Sections)
	return c
}

// nestSections sets each section's heading. The XML lists sections flat,
// a heading (a section with no categories of its own) first, then the
// sections it groups, up to the first whose range leaves it.
func nestSections(secs []*TabularSection) {
	var open []*TabularSection
	for _, s := range secs {
		for len(open) > 0 && !open[len(open)-1].spans(s) {
			open = open[:len(open)-1]
		}
		if len(open) > 0 {
			s.Within = open[len(open)-1].ID
		}
		if len(s.Diags) == 0 {
			open = append(open, s)
		}
	}
}

func (t *Tabular) diag(xd *xmlDiag) *TabularDiag {
	t.Diags++
	d := &TabularDiag{Code: UndotICD(xd.Name), Desc: cleanText(xd.Desc.Inner), Notes: xd.notes()}
	for i := range xd.Diags {
		d.Children = append(d.Children, t.diag(&xd.Diags[i]))
	}
	return d
}

func (b *xmlNoteBlocks) notes() Notes {
	flat := func(blocks []xmlNotes) []string {
		var out []string
		for _, bl := range blocks {
			for _, n := range bl.Notes {
				if s := cleanText(n.Inner); s != "" {
					out = append(out, s)
				}
			}
		}
		return out
	}
	n := Notes{
		InclusionTerms: flat(b.Inclusion),
		Includes:       flat(b.Includes),
		Excludes1:      flat(b.Excludes1),
		Excludes2:      flat(b.Excludes2),
		CodeFirst:      flat(b.CodeFirst),
		UseAdditional:  flat(b.UseAdditional),
		CodeAlso:       flat(b.CodeAlso),
		Notes:          flat(b.Notes),
		SevenChrNote:   flat(b.SevenChrNote),
	}
	for _, def := range b.SevenChrDef {
		for _, e := range def.Extensions {
			n.SevenChr = append(n.SevenChr, SevenChr{Char: strings.ToUpper(strings.TrimSpace(e.Char)), Meaning: cleanText(e.Inner)})
		}
	}
	return n
}

// cleanText drops addenda markup (<old> text, tags of <new>/<unc>/<diff>),
// decodes entities and collapses white space.
func cleanText(inner string) string {
	if strings.Contains(inner, "<") {
		inner = stripMarkup(inner)
	}
	if strings.Contains(inner, "&") {
		inner = unescapeXML(inner)
	}
	return strings.Join(strings.Fields(inner), " ")
}

func stripMarkup(s string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		s = s[i:]
		if strings.HasPrefix(s, "<old>") {
			if j := strings.Index(s, "</old>"); j >= 0 {
				s = s[j+len("</old>"):]
				continue
			}
		}
		j := strings.IndexByte(s, '>')
		if j < 0 {
			return b.String()
		}
		b.WriteByte(' ')
		s = s[j+1:]
	}
}

func unescapeXML(s string) string {
	var v struct {
		S string `xml:",chardata"`
	}
	if err := xml.Unmarshal([]byte("<x>"+s+"</x>"), &v); err != nil {
		return s
	}
	return v.S
}

func xmlError(name string, dec *xml.Decoder, err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		msg := se.Msg
		if msg == "unexpected EOF" {
			msg = "unexpected end of file (truncated?)"
		}
		return &LineError{File: name, Line: se.Line, Err: errors.New("xml: " + msg)}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		line, _ := dec.InputPos()
		return &LineError{File: name, Line: line, Err: errors.New("xml: unexpected end of file (truncated?)")}
	}
	line, _ := dec.InputPos()
	return &LineError{File: name, Line: line, Err: err}
}
