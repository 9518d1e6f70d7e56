package browse

import (
	tea "charm.land/bubbletea/v2"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/coding/lookup"
	"github.com/medcode/medcode/coding/validate"
)

// The messages the commands below send back; each carries what it answers
// so that an answer the user has moved on from is dropped.
type (
	searchMsg struct {
		seq uint64
		ans searchAnswer
	}
	detailMsg struct {
		code  string
		views []*lookup.CodeView
		err   error
	}
	indexMsg struct {
		page *lookup.IndexPage
		at   int
		err  error
	}
	checkMsg struct {
		n      uint64
		report *validate.Report
		err    error
	}
)

// startSearch runs the query in the input off the UI goroutine. A search
// already running is not waited for: its answer is dropped when it comes,
// and one that has not started by then never runs.
func (m *model) startSearch() tea.Cmd {
	if m.d == nil {
		m.busy = true // the search starts once the code book is open
		return nil
	}
	m.seq++
	seq, q := m.seq, m.input.Value()
	m.d.latest.Store(seq)
	m.busy = true
	return func() tea.Msg {
		ans, ok := m.d.search(seq, q)
		if !ok {
			return nil
		}
		return searchMsg{seq: seq, ans: ans}
	}
}

func (m *model) loadDetail(code string, sys codeset.System) tea.Cmd {
	d := m.d
	return func() tea.Msg {
		views, err := d.show(code, sys)
		return detailMsg{code: code, views: views, err: err}
	}
}

func (m *model) loadIndex(code, why string) tea.Cmd {
	d := m.d
	return func() tea.Msg {
		p, at, err := d.indexFor(code, why)
		return indexMsg{page: p, at: at, err: err}
	}
}

func (m *model) followRef(ref string) tea.Cmd {
	d := m.d
	return func() tea.Msg {
		p, at, err := d.follow(ref)
		return indexMsg{page: p, at: at, err: err}
	}
}

// checkTray validates the tray as it is now.
func (m *model) checkTray() tea.Cmd {
	m.checkN++
	n, d := m.checkN, m.d
	tray := append([]result(nil), m.tray...)
	return func() tea.Msg {
		rep, err := d.check(tray)
		return checkMsg{n: n, report: rep, err: err}
	}
}
