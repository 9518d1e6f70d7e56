package browse

import (
	"bytes"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/medcode/medcode/cmd/medcode/cli/cmdutil"
	"github.com/medcode/medcode/cmd/medcode/cli/validate"
	"github.com/medcode/medcode/codeset"
)

// Fixed rows around the body: header, search line, notice; tray, status,
// key line.
const chromeRows = 6

func (m *model) bodyRows() int { return max(m.height-chromeRows, 3) }

// listRows is how many results the list shows; each takes two lines.
func (m *model) listRows() int { return max(m.bodyRows()/2, 1) }

func (m *model) leftWidth() int { return clamp(m.width*9/20, 20, 60) }

// View draws the whole screen on the alternate screen.
func (m *model) View() tea.View {
	v := tea.NewView(m.screen())
	v.AltScreen = true
	return v
}

// screen is the whole screen, exactly width by height.
func (m *model) screen() string {
	w := m.width
	m.input.SetWidth(max(w-len(m.input.Prompt)-1, 1))
	lines := []string{
		m.st.Title.Render("medcode browse") + "  " + m.st.Dim.Render(m.header),
		m.input.View(),
		m.noticeLine(),
	}
	left := m.resultLines()
	right := m.rightLines(w - m.leftWidth() - 1)
	sep := m.st.Dim.Render("│")
	for i := 0; i < m.bodyRows(); i++ {
		l, r := "", ""
		if i < len(left) {
			l = left[i]
		}
		if i < len(right) {
			r = right[i]
		}
		lines = append(lines, fit(l, m.leftWidth())+sep+r)
	}
	lines = append(lines, m.trayLine(), m.statusLine(), m.keyLine())
	for i, l := range lines {
		lines[i] = fit(l, w)
	}
	return strings.Join(lines, "\n")
}

// fit cuts or pads a styled line to exactly n cells.
func fit(s string, n int) string {
	if n <= 0 {
		return ""
	}
	s = ansi.Truncate(s, n, "…")
	if pad := n - ansi.StringWidth(s); pad > 0 {
		s += strings.Repeat(" ", pad)
	}
	return s
}

func (m *model) noticeLine() string {
	switch {
	case m.d == nil:
		return m.st.Dim.Render("opening the code book…")
	case m.notice != "":
		return m.st.Warn.Render(m.notice)
	case m.busy:
		return m.st.Dim.Render("searching…")
	case m.shown != "" && len(m.results) > 0:
		return m.st.Dim.Render(fmt.Sprintf("%d results for %q", len(m.results), short(m.shown)))
	}
	return ""
}

// short keeps echoed input short.
func short(s string) string { return ansi.Truncate(s, 40, "…") }

func (m *model) mark(focused bool, on bool) string {
	if !on {
		return "  "
	}
	if focused {
		return m.st.Code.Render("▸ ")
	}
	return m.st.Dim.Render("› ")
}

func billMark(billable bool) string {
	if billable {
		return "✓"
	}
	return "h"
}

func (m *model) resultLines() []string {
	rows := m.listRows()
	if m.sel < m.top {
		m.top = m.sel
	}
	if m.sel >= m.top+rows {
		m.top = m.sel - rows + 1
	}
	var out []string
	focused := m.focus == paneResults || m.focus == paneSearch
	for i := m.top; i < len(m.results) && i < m.top+rows; i++ {
		r := m.results[i]
		code := fmt.Sprintf("%-8s", r.Code)
		if i == m.sel {
			code = m.st.Title.Render(code)
		} else {
			code = m.st.Code.Render(code)
		}
		out = append(out,
			m.mark(focused, i == m.sel)+code+" "+billMark(r.Billable)+" "+r.Title,
			"    "+m.st.Dim.Render(r.Why))
	}
	return out
}

// rightLines draws the right pane: a title line, then its view.
func (m *model) rightLines(w int) []string {
	p := &m.right
	rows := m.bodyRows() - 1
	focused := m.focus == paneRight
	title := func(s string) string {
		if focused {
			return m.st.Heading.Render(s)
		}
		return m.st.Label.Render(s)
	}
	switch {
	case p.view == viewHelp:
		return append([]string{title("keys")}, m.helpLines()...)
	case p.view == viewFindings:
		return append([]string{title("tray findings")}, window(wrap(m.findingsLines(), w), &p.scroll, -1, rows)...)
	case p.loading:
		return []string{title(m.viewName()), m.st.Dim.Render("loading…")}
	case p.err != nil:
		return append([]string{title(m.viewName())}, wrap(strings.Split(errText(p.err), "\n"), w)...)
	case p.view == viewIndex:
		return m.indexLines(w, rows, title)
	}
	if len(p.lines) == 0 {
		return []string{title("detail"), m.st.Dim.Render("type a search; the selected code shows here")}
	}
	// Marks on the code lines Enter opens; the text wraps to the pane.
	var lines []string
	at := -1
	for i, l := range p.lines {
		mk := "  "
		for j, ln := range p.links {
			if ln.line == i {
				mk = m.mark(focused, j == p.linkAt)
				if j == p.linkAt && p.moved {
					at = len(lines)
				}
			}
		}
		for k, part := range wrap([]string{l}, w-2) {
			if k > 0 {
				mk = "  "
			}
			lines = append(lines, mk+part)
		}
	}
	return append([]string{title("detail " + p.code)}, window(lines, &p.scroll, at, rows)...)
}

func (m *model) viewName() string {
	if m.right.view == viewIndex {
		return "Alphabetic Index"
	}
	return "detail " + m.right.code
}

// window keeps the cursor line (at, -1 for none) in view and returns the
// rows shown.
func window(lines []string, top *int, at, rows int) []string {
	if at >= 0 {
		if at < *top {
			*top = at
		}
		if at >= *top+rows {
			*top = at - rows + 1
		}
	}
	*top = clamp(*top, 0, max(len(lines)-rows, 0))
	return lines[*top:min(*top+rows, len(lines))]
}

// wrap folds lines to the pane, continuing each under where its text
// starts, so show's label column stays a column.
func wrap(lines []string, w int) []string {
	w = max(w, 10)
	var out []string
	for _, l := range lines {
		if ansi.StringWidth(l) <= w {
			out = append(out, l)
			continue
		}
		ind := hang(ansi.Strip(l))
		if ind > w/2 {
			ind = len(l) - len(strings.TrimLeft(l, " "))
		}
		if ind > w/2 {
			ind = 4
		}
		parts := strings.Split(ansi.Wordwrap(l, w, ""), "\n")
		out = append(out, parts[0])
		// Wordwrap drops the space it breaks at and keeps a hyphen, so
		// the rest joins back as written.
		rest := ""
		for _, p := range parts[1:] {
			if rest != "" && !strings.HasSuffix(rest, "-") {
				rest += " "
			}
			rest += strings.TrimLeft(p, " ")
		}
		for _, p := range strings.Split(ansi.Wordwrap(rest, w-ind, ""), "\n") {
			out = append(out, strings.Repeat(" ", ind)+p)
		}
	}
	return out
}

// hang is the column a line's text starts at: after its indent, and
// after a label that a run of spaces parts from the value.
func hang(s string) int {
	lead := len(s) - len(strings.TrimLeft(s, " "))
	if i := strings.Index(s[lead:], "  "); i >= 0 && i < 20 {
		j := lead + i
		for j < len(s) && s[j] == ' ' {
			j++
		}
		if j < len(s) {
			return j
		}
	}
	return lead
}

func (m *model) indexLines(w, rows int, title func(string) string) []string {
	p := &m.right
	ix := p.index
	focused := m.focus == paneRight
	var lines []string
	for i, ln := range ix.Lines {
		s := strings.Repeat("- ", ln.Depth) + ln.Text
		if ln.Printed != "" {
			s += " " + m.st.Code.Render(ln.Printed)
		}
		if ln.Manif != "" {
			s += " [" + ln.Manif + "]"
		}
		switch {
		case ln.See != "":
			s += m.st.Label.Render(" see ") + ln.See
		case ln.SeeAlso != "":
			s += m.st.Label.Render(" see also ") + ln.SeeAlso
		case ln.SeeCat != "":
			s += m.st.Label.Render(" see category ") + ln.SeeCat
		}
		lines = append(lines, m.mark(focused, i == p.indexAt)+s)
	}
	// The last row names the code the term leads to, with its Tabular
	// title, so a printed code is never shown without it.
	shown := window(lines, &p.scroll, p.indexAt, rows-1)
	ln := ix.Lines[p.indexAt]
	foot := ""
	switch {
	case ln.Code != "":
		foot = "→ " + m.st.Code.Render(ln.Code) + " " + ln.Title
		if !ln.Billable {
			foot += m.st.Dim.Render(" (header)")
		}
	case ln.Printed != "":
		foot = m.st.Warn.Render(ln.Printed + " is not a code of " + ix.Release)
	case ln.See != "" || ln.SeeAlso != "":
		foot = m.st.Dim.Render("Enter follows the reference")
	}
	for len(shown) < rows-1 {
		shown = append(shown, "")
	}
	head := title(fmt.Sprintf("Alphabetic Index (%s)", ix.Release))
	return append(append([]string{head}, shown...), fit(foot, w))
}

func (m *model) findingsLines() []string {
	switch {
	case len(m.tray) == 0:
		return []string{m.st.Dim.Render("the tray is empty: a adds the selected billable code")}
	case m.trayErr != nil:
		return strings.Split(errText(m.trayErr), "\n")
	case m.report == nil:
		return []string{m.st.Dim.Render("checking…")}
	}
	var buf bytes.Buffer
	validate.Render(&buf, m.st, m.report)
	return strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
}

func (m *model) helpLines() []string {
	var out []string
	for _, b := range keys.helpRows() {
		h := b.Help()
		out = append(out, fmt.Sprintf("%s %s", m.st.Code.Render(fmt.Sprintf("%-13s", h.Key)), h.Desc))
	}
	return append(out, "", m.st.Dim.Render("✓ billable, h header (not billable)"))
}

func (m *model) trayLine() string {
	var parts []string
	for i, t := range m.tray {
		c := t.Code
		if t.System == codeset.HCPCS {
			c += m.st.Dim.Render("(px)")
		}
		parts = append(parts, m.mark(m.focus == paneTray, i == m.trayAt)+c)
	}
	label := m.st.Label.Render("tray")
	if m.focus == paneTray {
		label = m.st.Heading.Render("tray")
	}
	s := label + " " + strings.Join(parts, " ")
	if len(m.tray) == 0 {
		s += m.st.Dim.Render(" empty")
	}
	return s
}

func (m *model) statusLine() string {
	if m.status != "" {
		return m.status
	}
	if len(m.tray) == 0 {
		return ""
	}
	if m.trayErr != nil {
		return m.st.Bad.Render(errText(m.trayErr))
	}
	if m.report == nil {
		return m.st.Dim.Render("checking the tray…")
	}
	r := m.report
	s := fmt.Sprintf("%d errors, %d warnings, %d info", r.Errors, r.Warnings, r.Infos)
	if r.Errors > 0 {
		s = m.st.Bad.Render(s)
	}
	notChecked := 0
	for _, c := range r.Checks {
		if !c.Checked {
			notChecked++
		}
	}
	if notChecked > 0 {
		s += m.st.Warn.Render(fmt.Sprintf("; %d edits not checked", notChecked))
	}
	return s + m.st.Dim.Render(" (v shows them)")
}

func (m *model) keyLine() string {
	return m.st.Dim.Render("? keys  / search  Tab pane  Enter open  i index  a add  x remove  v findings  q quit")
}

func errText(err error) string { return cmdutil.ErrorText(err) }
