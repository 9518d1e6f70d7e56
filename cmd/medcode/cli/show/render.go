package show

import (
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/medcode/medcode/cmd/medcode/cli/iostreams"
	"github.com/medcode/medcode/coding/lookup"
)

var noteLabels = map[string]string{
	"inclusion_terms":        "inclusion terms",
	"includes":               "includes",
	"excludes1":              "Excludes1",
	"excludes2":              "Excludes2",
	"code_first":             "code first",
	"use_additional_code":    "use additional code",
	"code_also":              "code also",
	"notes":                  "note",
	"seventh_character_note": "7th character note",
}

const labelWidth = 12

// maxTerms keeps the index list readable; --json has them all.
const maxTerms = 8

// printer writes the text answer, wrapping at word boundaries with a
// hanging indent when width is set (a terminal); piped output keeps one
// line per item.
type printer struct {
	w     io.Writer
	st    iostreams.Styles
	width int
}

func render(w io.Writer, st iostreams.Styles, width int, views []*lookup.CodeView) {
	p := &printer{w: w, st: st, width: width}
	for i, v := range views {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if !v.Found {
			p.missing(v)
			continue
		}
		p.found(v)
	}
}

// hang prints head then text, the text's later lines indented by indent
// columns more than head's width, under the text's first column.
func (p *printer) hang(head, text string, extra int) {
	indent := ansi.StringWidth(head) + extra
	if p.width <= 0 || p.width-indent < 20 {
		fmt.Fprintf(p.w, "%s%s\n", head, text)
		return
	}
	lines := strings.Split(ansi.Wrap(text, p.width-ansi.StringWidth(head), " -"), "\n")
	fmt.Fprintf(p.w, "%s%s\n", head, strings.TrimRight(lines[0], " "))
	if len(lines) == 1 {
		return
	}
	rest := ansi.Wrap(strings.Join(lines[1:], " "), p.width-indent, " -")
	for _, l := range strings.Split(rest, "\n") {
		fmt.Fprintf(p.w, "%s%s\n", strings.Repeat(" ", indent), strings.TrimRight(l, " "))
	}
}

func (p *printer) line(label, value string) {
	p.hang("  "+p.st.Label.Render(pad(label))+" ", value, 0)
}

// cont is a line under the last label; extra indents its wrapped lines
// further, under a code's title.
func (p *printer) cont(value string, extra int) {
	p.hang("  "+pad("")+" ", value, extra)
}

func pad(s string) string {
	if len(s) >= labelWidth {
		return s
	}
	return s + strings.Repeat(" ", labelWidth-len(s))
}

// briefIndent is how far a brief line's title is from its start.
const briefIndent = 12

func (p *printer) found(v *lookup.CodeView) {
	st := p.st
	if v.Title == "" {
		fmt.Fprintln(p.w, st.Code.Render(v.Code))
	} else {
		p.hang(st.Code.Render(v.Code)+"  ", st.Title.Render(v.Title), 0)
	}
	p.line("system", fmt.Sprintf("%s (%s)", v.System, v.Release))
	switch v.Kind {
	case "billable":
		p.line("billable", st.Good.Render("yes"))
	case "header":
		p.line("billable", st.Warn.Render("no: header, report a code below it"))
	case "terminated":
		p.line("billable", st.Bad.Render("no: terminated, last in effect "+v.HCPCS.Terminated))
	case "modifier":
		p.line("kind", "HCPCS Level II modifier")
	case "pattern":
		p.line("pattern", st.Warn.Render(v.Pattern))
	}
	if v.Short != "" && v.Short != v.Title {
		p.line("short title", v.Short)
	}
	if v.Validity != nil {
		p.line("on "+v.Validity.Date, validityText(st, v.Validity))
	}
	p.deleted(v)
	for i, s := range v.Path {
		label := ""
		if i == 0 {
			label = "path"
		}
		code := s.Code
		if s.Level == "chapter" {
			code = "chapter " + s.Code
		}
		p.hang("  "+st.Label.Render(pad(label))+" "+fmt.Sprintf("%-11s ", code), s.Title, 0)
	}
	if v.HCPCS != nil {
		p.hcpcs(v.HCPCS)
	}
	for _, n := range v.Notes {
		label := noteLabels[n.Kind]
		if label == "" {
			label = n.Kind
		}
		style := st.Label
		if n.Kind == "excludes1" {
			style = st.Warn
		}
		fmt.Fprintf(p.w, "  %s %s\n", style.Render(label), st.Dim.Render("("+noteFrom(n)+")"))
		for _, t := range n.Text {
			p.cont(t, 0)
		}
	}
	if v.NotesMissing != "" {
		p.line("notes", st.Dim.Render(v.NotesMissing))
	}
	if s := v.Seventh; s != nil {
		head := "7th character " + st.Dim.Render("(from "+s.From+"; placeholder X fills empty positions)")
		fmt.Fprintf(p.w, "  %s\n", head)
		if s.Char != "" {
			p.cont(fmt.Sprintf("%s = %s", s.Char, s.Meaning), 4)
		} else {
			for _, c := range s.Chars {
				p.cont(fmt.Sprintf("%s  %s", c.Char, c.Meaning), 3)
			}
		}
	}
	if len(v.Children) > 0 {
		label := "codes below"
		if v.Kind == "pattern" {
			label = "its codes"
		}
		fmt.Fprintf(p.w, "  %s\n", st.Label.Render(label))
		for _, c := range v.Children {
			p.cont(briefLine(st, c), briefIndent)
		}
	}
	if (v.Kind == "header" || v.Kind == "pattern") && v.NearestTotal > 0 && len(v.Children) != v.NearestTotal {
		p.cont(st.Dim.Render(fmt.Sprintf("%d billable codes in all under %s", v.NearestTotal, v.Code)), 0)
	}
	if v.HCPCS == nil && len(v.Nearest) > 0 && v.Kind != "header" && v.Kind != "pattern" {
		fmt.Fprintf(p.w, "  %s\n", st.Label.Render("replaced by"))
		for _, c := range v.Nearest {
			p.cont(briefLine(st, c), briefIndent)
		}
	}
	if len(v.Terms) > 0 {
		fmt.Fprintf(p.w, "  %s\n", st.Label.Render("index"))
		for i, t := range v.Terms {
			if i == maxTerms {
				p.cont(st.Dim.Render(fmt.Sprintf("... %d more (--json lists all)", len(v.Terms)-maxTerms)), 0)
				break
			}
			p.cont(termLine(t), 2)
		}
	}
}

// noteFrom labels a note with the level it is printed at.
func noteFrom(n lookup.NoteView) string {
	if n.Level == "" || n.Level == "chapter" {
		return n.From
	}
	return n.Level + " " + n.From
}

// validityText is the date's answer, worded alike for both systems:
// "valid", "not valid (added 2025-10-01)", "deleted (...)", "unknown: ...".
func validityText(st iostreams.Styles, v *lookup.Validity) string {
	switch v.Status {
	case lookup.StatusValid:
		return st.Good.Render(v.Status) + " (" + v.Reason + ")"
	case lookup.StatusUnknown:
		return st.Warn.Render(v.Status) + ": " + v.Reason
	}
	return st.Bad.Render(v.Status) + " (" + v.Reason + ")"
}

func termLine(t lookup.TermView) string {
	s := t.Text
	if t.Column != "" {
		s += " [" + t.Column + "]"
	}
	if t.Manif != "" {
		s += " with manifestation [" + t.Manif + "]"
	}
	if t.See != "" {
		s += " (see " + t.See + ")"
	}
	if t.Book != "index" {
		s = string(t.Book) + ": " + s
	}
	return s
}

func briefLine(st iostreams.Styles, b lookup.Brief) string {
	mark := " "
	if !b.Billable {
		mark = st.Dim.Render("h")
	}
	return fmt.Sprintf("%s %-9s %s", mark, st.Code.Render(b.Code), b.Title)
}

func (p *printer) missing(v *lookup.CodeView) {
	st := p.st
	fmt.Fprintf(p.w, "%s  %s\n", st.Code.Render(v.Input), st.Bad.Render("not found"))
	p.line("problem", v.Problem)
	p.deleted(v)
	if v.Validity != nil {
		p.line("on "+v.Validity.Date, validityText(st, v.Validity))
	}
	if len(v.Nearest) > 0 {
		fmt.Fprintf(p.w, "  %s\n", st.Label.Render("nearest"))
		for _, c := range v.Nearest {
			p.cont(briefLine(st, c), briefIndent)
		}
		if v.NearestTotal > len(v.Nearest) {
			p.cont(st.Dim.Render(fmt.Sprintf("... %d more", v.NearestTotal-len(v.Nearest))), 0)
		}
	}
}

func (p *printer) hcpcs(h *lookup.HCPCSView) {
	coded := func(label string, c *lookup.Coded) {
		if c != nil {
			p.line(label, codedText(*c))
		}
	}
	for i, pr := range h.Pricing {
		label := ""
		if i == 0 {
			label = "pricing"
		}
		p.line(label, codedText(pr))
	}
	coded("multi price", h.MultiPricing)
	coded("coverage", h.Coverage)
	coded("BETOS", h.BETOS)
	for i, t := range h.TypeOfService {
		label := ""
		if i == 0 {
			label = "service type"
		}
		p.line(label, codedText(t))
	}
	if h.ASCGroup != "" {
		p.line("ASC group", strings.TrimSpace(h.ASCGroup+" "+h.ASCEffective))
	}
	for i, l := range h.LabCert {
		label := ""
		if i == 0 {
			label = "lab cert"
		}
		p.line(label, codedText(l))
	}
	if len(h.CrossReference) > 0 {
		p.line("see also", strings.Join(h.CrossReference, ", "))
	}
	if h.Statute != "" {
		p.line("statute", h.Statute)
	}
	if h.AnesBaseUnits != "" {
		p.line("anes. units", h.AnesBaseUnits)
	}
	if h.Added != "" {
		p.line("added", h.Added)
	}
	if h.ActionEffective != "" {
		p.line("effective", h.ActionEffective)
	}
	coded("last action", h.Action)
	if h.Terminated != "" {
		p.line("terminated", p.st.Bad.Render("last in effect "+h.Terminated))
	}
	if h.ProcNote != nil {
		p.line("proc. note", codedText(*h.ProcNote))
	}
}

func codedText(c lookup.Coded) string {
	if c.Meaning == "" {
		return c.Code
	}
	return c.Code + "  " + c.Meaning
}
