package show

import (
	"fmt"
	"io"
	"strings"

	"github.com/medcode/medcode/coding/lookup"

	"github.com/medcode/medcode/cmd/medcode/cli/iostreams"
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

func render(w io.Writer, st iostreams.Styles, views []*lookup.CodeView) {
	for i, v := range views {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if !v.Found {
			renderMissing(w, st, v)
			continue
		}
		renderFound(w, st, v)
	}
}

func line(w io.Writer, st iostreams.Styles, label, value string) {
	fmt.Fprintf(w, "  %s %s\n", st.Label.Render(pad(label)), value)
}

func cont(w io.Writer, value string) {
	fmt.Fprintf(w, "  %s %s\n", pad(""), value)
}

func pad(s string) string {
	if len(s) >= labelWidth {
		return s
	}
	return s + strings.Repeat(" ", labelWidth-len(s))
}

func renderFound(w io.Writer, st iostreams.Styles, v *lookup.CodeView) {
	fmt.Fprintf(w, "%s  %s\n", st.Code.Render(v.Code), st.Title.Render(v.Title))
	line(w, st, "system", fmt.Sprintf("%s (%s)", v.System, v.Release))
	switch v.Kind {
	case "billable":
		line(w, st, "billable", st.Good.Render("yes"))
	case "header":
		line(w, st, "billable", st.Warn.Render("no: header, report a code below it"))
	case "modifier":
		line(w, st, "kind", "HCPCS Level II modifier")
	}
	if v.Short != "" && v.Short != v.Title {
		line(w, st, "short title", v.Short)
	}
	if v.Validity != nil {
		verdict := st.Good.Render("valid")
		if !v.Validity.Valid {
			verdict = st.Bad.Render("not valid")
		}
		line(w, st, "on "+v.Validity.Date, verdict+": "+v.Validity.Reason)
	}
	renderDeleted(w, st, v)
	for i, p := range v.Path {
		label := ""
		if i == 0 {
			label = "path"
		}
		code := p.Code
		if p.Level == "chapter" {
			code = "chapter " + p.Code
		}
		line(w, st, label, fmt.Sprintf("%-11s %s", code, p.Title))
	}
	if v.HCPCS != nil {
		renderHCPCS(w, st, v.HCPCS)
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
		fmt.Fprintf(w, "  %s %s\n", style.Render(label), st.Dim.Render("("+n.From+")"))
		for _, t := range n.Text {
			cont(w, t)
		}
	}
	if s := v.Seventh; s != nil {
		head := "7th character " + st.Dim.Render("(from "+s.From+"; placeholder X fills empty positions)")
		fmt.Fprintf(w, "  %s\n", head)
		if s.Char != "" {
			cont(w, fmt.Sprintf("%s = %s", s.Char, s.Meaning))
		} else {
			for _, c := range s.Chars {
				cont(w, fmt.Sprintf("%s  %s", c.Char, c.Meaning))
			}
		}
	}
	if len(v.Children) > 0 {
		fmt.Fprintf(w, "  %s\n", st.Label.Render("codes below"))
		for _, c := range v.Children {
			cont(w, briefLine(st, c))
		}
	}
	if v.Kind == "header" && v.NearestTotal > 0 && len(v.Children) != v.NearestTotal {
		cont(w, st.Dim.Render(fmt.Sprintf("%d billable codes in all under %s", v.NearestTotal, v.Code)))
	}
	if v.HCPCS == nil && len(v.Nearest) > 0 && v.Kind != "header" {
		fmt.Fprintf(w, "  %s\n", st.Label.Render("replaced by"))
		for _, c := range v.Nearest {
			cont(w, briefLine(st, c))
		}
	}
	if len(v.Terms) > 0 {
		fmt.Fprintf(w, "  %s\n", st.Label.Render("index"))
		for i, t := range v.Terms {
			if i == maxTerms {
				cont(w, st.Dim.Render(fmt.Sprintf("... %d more (--json lists all)", len(v.Terms)-maxTerms)))
				break
			}
			cont(w, termLine(t))
		}
	}
	for _, warn := range v.Warnings {
		line(w, st, "warning", st.Warn.Render(warn))
	}
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

func renderMissing(w io.Writer, st iostreams.Styles, v *lookup.CodeView) {
	fmt.Fprintf(w, "%s  %s\n", st.Code.Render(v.Input), st.Bad.Render("not found"))
	line(w, st, "problem", v.Problem)
	renderDeleted(w, st, v)
	if len(v.Nearest) > 0 {
		fmt.Fprintf(w, "  %s\n", st.Label.Render("nearest"))
		for _, c := range v.Nearest {
			cont(w, briefLine(st, c))
		}
		if v.NearestTotal > len(v.Nearest) {
			cont(w, st.Dim.Render(fmt.Sprintf("... %d more", v.NearestTotal-len(v.Nearest))))
		}
	}
	for _, warn := range v.Warnings {
		line(w, st, "warning", st.Warn.Render(warn))
	}
}

func renderHCPCS(w io.Writer, st iostreams.Styles, h *lookup.HCPCSView) {
	coded := func(label string, c *lookup.Coded) {
		if c != nil {
			line(w, st, label, codedText(*c))
		}
	}
	for i, p := range h.Pricing {
		label := ""
		if i == 0 {
			label = "pricing"
		}
		line(w, st, label, codedText(p))
	}
	coded("multi price", h.MultiPricing)
	coded("coverage", h.Coverage)
	coded("BETOS", h.BETOS)
	for i, t := range h.TypeOfService {
		label := ""
		if i == 0 {
			label = "service type"
		}
		line(w, st, label, codedText(t))
	}
	if h.ASCGroup != "" {
		line(w, st, "ASC group", strings.TrimSpace(h.ASCGroup+" "+h.ASCEffective))
	}
	for i, l := range h.LabCert {
		label := ""
		if i == 0 {
			label = "lab cert"
		}
		line(w, st, label, codedText(l))
	}
	if len(h.CrossReference) > 0 {
		line(w, st, "see also", strings.Join(h.CrossReference, ", "))
	}
	if h.Statute != "" {
		line(w, st, "statute", h.Statute)
	}
	if h.AnesBaseUnits != "" {
		line(w, st, "anes. units", h.AnesBaseUnits)
	}
	if h.Added != "" {
		line(w, st, "added", h.Added)
	}
	if h.ActionEffective != "" {
		line(w, st, "effective", h.ActionEffective)
	}
	coded("last action", h.Action)
	if h.Terminated != "" {
		line(w, st, "terminated", st.Bad.Render("last in effect "+h.Terminated))
	}
	if h.ProcNote != nil {
		line(w, st, "proc. note", codedText(*h.ProcNote))
	}
}

func codedText(c lookup.Coded) string {
	if c.Meaning == "" {
		return c.Code
	}
	return c.Code + "  " + c.Meaning
}
