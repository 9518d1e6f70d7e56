package browse

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/aymanbagabas/go-osc52/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/medcode/medcode/cmd/medcode/cli/show"
	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/coding/lookup"
)

// Update applies a message: a key, a resize, or an answer from the domain.
func (m *model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		// A terminal that reports no size (a bare pty) keeps 80x24.
		if msg.Width > 0 && msg.Height > 0 {
			m.width, m.height = msg.Width, msg.Height
		}
		return m, nil
	case openedMsg:
		if msg.err != nil {
			m.quit = true
			return m, tea.Quit
		}
		m.d, m.header = msg.d, msg.header
		if m.input.Value() == "" {
			m.busy = false
			return m, nil
		}
		return m, m.startSearch()
	case searchMsg:
		return m, m.applySearch(msg)
	case detailMsg:
		m.applyDetail(msg)
		return m, nil
	case indexMsg:
		if m.right.view == viewIndex && m.right.loading {
			m.right = page{view: viewIndex, index: msg.page, indexAt: msg.at, err: msg.err}
		}
		return m, nil
	case checkMsg:
		if msg.n == m.checkN {
			m.report, m.trayErr = msg.report, msg.err
		}
		return m, nil
	case tea.PasteMsg:
		// A paste goes to the search line; elsewhere it is not keys.
		m.status = ""
		if m.focus != paneSearch {
			return m, nil
		}
		return m, m.editSearch(msg)
	case tea.KeyPressMsg:
		m.status = ""
		// Keys typed faster than they are read can come as one message of
		// several runes; outside the search line each is its own key.
		if runes := []rune(msg.Text); len(runes) > 1 && m.focus != paneSearch {
			var cmds []tea.Cmd
			for i, r := range runes {
				if m.focus == paneSearch {
					cmds = append(cmds, m.onKey(textKey(string(runes[i:]))))
					break
				}
				cmds = append(cmds, m.onKey(textKey(string(r))))
			}
			return m, tea.Batch(cmds...)
		}
		return m, m.onKey(msg)
	}
	return m, nil
}

// textKey is the key press that types text: one rune is that key, more
// are an extended key carrying them all.
func textKey(text string) tea.KeyPressMsg {
	if r := []rune(text); len(r) == 1 {
		return tea.KeyPressMsg{Code: r[0], Text: text}
	}
	return tea.KeyPressMsg{Code: tea.KeyExtended, Text: text}
}

func (m *model) applySearch(msg searchMsg) tea.Cmd {
	if msg.seq != m.seq {
		return nil
	}
	m.busy = false
	a := msg.ans
	m.shown, m.results, m.sel, m.top = a.query, a.results, 0, 0
	m.notice = ""
	switch {
	case a.err != nil:
		m.notice = errText(a.err)
	case a.notFound:
		m.notice = "no code matches this text well; try other words, or type a code"
	case len(a.warnings) > 0:
		m.notice = strings.Join(a.warnings, "; ")
	}
	if len(m.results) == 0 {
		return nil
	}
	return m.preview()
}

// preview shows the selected result in the right pane, replacing what
// was there: the pane follows the list.
func (m *model) preview() tea.Cmd {
	if m.sel >= len(m.results) {
		return nil
	}
	r := m.results[m.sel]
	m.history = nil
	m.right = page{view: viewDetail, code: r.Code, loading: true}
	return m.loadDetail(r.Code, r.System)
}

// open shows a code in the right pane, keeping what was there for Esc.
func (m *model) open(code string, sys codeset.System) tea.Cmd {
	m.push(page{view: viewDetail, code: code, loading: true})
	return m.loadDetail(code, sys)
}

func (m *model) push(p page) {
	m.history = append(m.history, m.right)
	m.right = p
}

func (m *model) back() {
	if n := len(m.history); n > 0 {
		m.right, m.history = m.history[n-1], m.history[:n-1]
		return
	}
	m.focus = paneResults
}

func (m *model) applyDetail(msg detailMsg) {
	if m.right.view != viewDetail || m.right.code != msg.code || !m.right.loading {
		return
	}
	p := &m.right
	p.loading, p.views, p.err = false, msg.views, msg.err
	if msg.err != nil {
		return
	}
	var buf bytes.Buffer
	show.Render(&buf, m.st, msg.views)
	p.lines = strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
	p.links = linksOf(p.lines, msg.views)
}

// linksOf finds the lines of show's text that list codes Enter can open:
// the codes below a header, the nearest codes to one that is not valid.
func linksOf(lines []string, views []*lookup.CodeView) []link {
	var briefs []lookup.Brief
	for _, v := range views {
		briefs = append(briefs, v.Children...)
		briefs = append(briefs, v.Nearest...)
	}
	var out []link
	seen := map[string]bool{}
	for i, l := range lines {
		f := strings.Fields(ansi.Strip(l))
		if len(f) < 2 {
			continue
		}
		for _, b := range briefs {
			if seen[b.Code] || (f[0] != b.Code && (f[0] != "h" || f[1] != b.Code)) {
				continue
			}
			seen[b.Code] = true
			out = append(out, link{Brief: b, line: i})
		}
	}
	return out
}

func (m *model) onKey(k tea.KeyPressMsg) tea.Cmd {
	if key.Matches(k, keys.ForceQ) {
		m.quit = true
		return tea.Quit
	}
	if m.focus == paneSearch {
		return m.searchKey(k)
	}
	switch {
	case key.Matches(k, keys.Quit):
		m.quit = true
		return tea.Quit
	case key.Matches(k, keys.Search):
		m.setFocus(paneSearch)
	case key.Matches(k, keys.NextPane):
		m.setFocus((m.focus + 1) % paneCount)
	case key.Matches(k, keys.PrevPane):
		m.setFocus((m.focus + paneCount - 1) % paneCount)
	case key.Matches(k, keys.Help):
		if m.right.view == viewHelp {
			m.back()
		} else {
			m.push(page{view: viewHelp})
		}
	case key.Matches(k, keys.Index):
		return m.openIndex()
	case key.Matches(k, keys.Add):
		return m.add()
	case key.Matches(k, keys.Remove):
		return m.remove()
	case key.Matches(k, keys.Findings):
		if m.right.view != viewFindings {
			m.push(page{view: viewFindings})
		}
	case key.Matches(k, keys.Copy):
		m.copySelected()
	case key.Matches(k, keys.Back):
		switch m.focus {
		case paneRight:
			m.back()
		case paneResults:
			m.setFocus(paneSearch)
		case paneTray:
			m.setFocus(paneResults)
		}
	default:
		return m.move(k)
	}
	return nil
}

func (m *model) setFocus(p pane) {
	m.focus = p
	if p == paneSearch {
		m.input.Focus()
	} else {
		m.input.Blur()
	}
}

func (m *model) searchKey(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, keys.NextPane):
		m.setFocus(paneResults)
		return nil
	case key.Matches(k, keys.PrevPane):
		m.setFocus(paneTray)
		return nil
	case k.Code == tea.KeyEscape:
		m.setFocus(paneResults)
		return nil
	case k.Code == tea.KeyEnter:
		if len(m.results) > 0 {
			m.setFocus(paneRight)
		}
		return nil
	case key.Matches(k, keys.Up, keys.Down, keys.PageUp, keys.PageDown):
		return m.moveResults(k)
	}
	return m.editSearch(k)
}

// editSearch gives a key or a paste to the search line and searches
// again when it changed what is there.
func (m *model) editSearch(msg tea.Msg) tea.Cmd {
	before := m.input.Value()
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	if m.input.Value() != before {
		return tea.Batch(cmd, m.startSearch())
	}
	return cmd
}

// move handles the moving keys and Enter in the pane that has the focus.
func (m *model) move(k tea.KeyPressMsg) tea.Cmd {
	switch m.focus {
	case paneResults:
		if key.Matches(k, keys.Open) {
			if len(m.results) > 0 {
				m.setFocus(paneRight)
			}
			return nil
		}
		return m.moveResults(k)
	case paneTray:
		switch {
		case key.Matches(k, keys.Up, keys.PageUp):
			m.trayAt = max(m.trayAt-1, 0)
		case key.Matches(k, keys.Down, keys.PageDown):
			m.trayAt = min(m.trayAt+1, max(len(m.tray)-1, 0))
		case key.Matches(k, keys.Open):
			if m.trayAt < len(m.tray) {
				t := m.tray[m.trayAt]
				return m.open(t.Code, t.System)
			}
		}
	case paneRight:
		return m.moveRight(k)
	}
	return nil
}

func (m *model) moveResults(k tea.KeyPressMsg) tea.Cmd {
	if len(m.results) == 0 {
		return nil
	}
	old := m.sel
	m.sel = clamp(m.sel+step(k, m.listRows()), 0, len(m.results)-1)
	if m.sel == old {
		return nil
	}
	return m.preview()
}

// step is how far a moving key moves in a list showing rows rows.
func step(k tea.KeyPressMsg, rows int) int {
	switch {
	case key.Matches(k, keys.Up):
		return -1
	case key.Matches(k, keys.Down):
		return 1
	case key.Matches(k, keys.PageUp):
		return -max(rows, 1)
	case key.Matches(k, keys.PageDown):
		return max(rows, 1)
	}
	return 0
}

func (m *model) moveRight(k tea.KeyPressMsg) tea.Cmd {
	p := &m.right
	rows := m.bodyRows() - 1
	switch p.view {
	case viewDetail:
		if key.Matches(k, keys.Open) {
			if p.linkAt < len(p.links) {
				l := p.links[p.linkAt]
				return m.open(l.Code, l.System)
			}
			return nil
		}
		if len(p.links) > 0 && key.Matches(k, keys.Up, keys.Down) {
			// The first move brings the first code into view; the next
			// ones move from it.
			if p.moved {
				p.linkAt = clamp(p.linkAt+step(k, rows), 0, len(p.links)-1)
			}
			p.moved = true
			return nil
		}
		p.scroll = max(p.scroll+step(k, rows), 0)
	case viewIndex:
		if p.index == nil {
			return nil
		}
		if key.Matches(k, keys.Open) {
			ln := p.index.Lines[p.indexAt]
			switch {
			case ln.Code != "":
				return m.open(ln.Code, codeset.ICD10CM)
			case ln.See != "" || ln.SeeAlso != "":
				ref := ln.See
				if ref == "" {
					ref = ln.SeeAlso
				}
				m.push(page{view: viewIndex, loading: true})
				return m.followRef(ref)
			case p.indexAt+1 < len(p.index.Lines) && p.index.Lines[p.indexAt+1].Depth > ln.Depth:
				p.indexAt++ // into the subterms
			}
			return nil
		}
		p.indexAt = clamp(p.indexAt+step(k, rows), 0, len(p.index.Lines)-1)
	default:
		p.scroll = max(p.scroll+step(k, rows), 0)
	}
	return nil
}

func (m *model) openIndex() tea.Cmd {
	code, sys, _, ok := m.selected()
	if !ok {
		m.status = "select a code first"
		return nil
	}
	if sys == codeset.HCPCS {
		m.status = "HCPCS Level II has no Alphabetic Index"
		return nil
	}
	why := ""
	if (m.focus == paneResults || m.focus == paneSearch) && m.sel < len(m.results) {
		why = m.results[m.sel].Why
	}
	m.push(page{view: viewIndex, loading: true})
	m.setFocus(paneRight)
	return m.loadIndex(code, why)
}

// selected is the code the keys a, i and y act on: the one under the
// cursor of the focused pane.
func (m *model) selected() (code string, sys codeset.System, billable, ok bool) {
	switch m.focus {
	case paneTray:
		if m.trayAt < len(m.tray) {
			t := m.tray[m.trayAt]
			return t.Code, t.System, t.Billable, true
		}
		return "", "", false, false
	case paneRight:
		p := m.right
		switch p.view {
		case viewDetail:
			if p.linkAt < len(p.links) {
				l := p.links[p.linkAt]
				return l.Code, l.System, l.Billable, true
			}
			for _, v := range p.views {
				if v.Found {
					return v.Code, v.System, v.Billable, true
				}
			}
		case viewIndex:
			if p.index != nil {
				ln := p.index.Lines[p.indexAt]
				return ln.Code, codeset.ICD10CM, ln.Billable, ln.Code != ""
			}
		}
		return "", "", false, false
	}
	if m.sel < len(m.results) {
		r := m.results[m.sel]
		return r.Code, r.System, r.Billable, true
	}
	return "", "", false, false
}

func (m *model) add() tea.Cmd {
	code, sys, billable, ok := m.selected()
	switch {
	case !ok:
		m.status = "select a code first"
		return nil
	case !billable:
		m.status = code + " is not billable: add a code below it"
		return nil
	case slices.ContainsFunc(m.tray, func(t result) bool { return t.Code == code && t.System == sys }):
		m.status = code + " is in the tray already"
		return nil
	}
	m.tray = append(m.tray, result{Code: code, System: sys, Billable: true})
	m.status = "added " + code
	return m.checkTray()
}

func (m *model) remove() tea.Cmd {
	at := -1
	if m.focus == paneTray {
		at = m.trayAt
	} else if code, sys, _, ok := m.selected(); ok {
		at = slices.IndexFunc(m.tray, func(t result) bool { return t.Code == code && t.System == sys })
	}
	if at < 0 || at >= len(m.tray) {
		m.status = "not in the tray"
		return nil
	}
	m.status = "removed " + m.tray[at].Code
	m.tray = slices.Delete(m.tray, at, at+1)
	m.trayAt = clamp(m.trayAt, 0, max(len(m.tray)-1, 0))
	if len(m.tray) == 0 {
		m.checkN++
		m.report, m.trayErr = nil, nil
		return nil
	}
	return m.checkTray()
}

// copySelected puts the selected code, or the tray in the tray pane, on
// the terminal's clipboard with OSC 52, which works over ssh too.
func (m *model) copySelected() {
	text := ""
	if m.focus == paneTray {
		text = strings.Join(m.Tray(), ",")
	} else if code, _, _, ok := m.selected(); ok {
		text = code
	}
	if text == "" {
		m.status = "nothing to copy"
		return
	}
	if _, err := osc52.New(text).WriteTo(m.clip); err != nil {
		m.status = "copy failed: " + err.Error()
		return
	}
	m.status = fmt.Sprintf("copied %s", text)
}

func clamp(v, lo, hi int) int { return max(lo, min(v, hi)) }
