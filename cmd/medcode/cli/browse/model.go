package browse

import (
	"io"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/medcode/medcode/cmd/medcode/cli/iostreams"
	"github.com/medcode/medcode/coding/lookup"
	"github.com/medcode/medcode/coding/validate"
)

// pane is where keys go.
type pane int

const (
	paneSearch pane = iota
	paneResults
	paneRight // the detail, Index, findings or help view
	paneTray
	paneCount
)

// rightView is what the right-hand pane shows.
type rightView int

const (
	viewDetail rightView = iota
	viewIndex
	viewFindings
	viewHelp
)

// page is one state of the right pane; Esc goes back through them.
type page struct {
	view rightView

	// detail
	code    string
	views   []*lookup.CodeView
	lines   []string // show's text as printed
	links   []link   // the codes listed below (children, nearest)
	linkAt  int
	moved   bool // the user moved to a link: keep it in view
	scroll  int
	loading bool

	// Index
	index   *lookup.IndexPage
	indexAt int

	err error
}

// link is a code show lists that Enter opens, with the printed line it is on.
type link struct {
	lookup.Brief
	line int
}

type model struct {
	d *domain // nil until the code book is open
	// opened waits for the code book browse opens while the first frame
	// is drawn; nil when d was given.
	opened func() opened
	st     iostreams.Styles
	clip   io.Writer // where OSC 52 goes: the terminal
	header string    // releases answered from

	width, height int
	focus         pane

	input   textinput.Model
	seq     uint64 // of the newest query
	shown   string // the query the results answer
	results []result
	sel     int
	top     int
	notice  string // no match, a warning
	busy    bool

	right   page
	history []page

	tray    []result
	trayAt  int
	report  *validate.Report
	trayErr error
	checkN  uint64 // of the newest tray check

	status string
	quit   bool
}

func newModel(d *domain, st iostreams.Styles, clip io.Writer, header, query string) *model {
	in := textinput.New()
	in.Prompt = "search: "
	in.Placeholder = "words from the chart, or a code (e119, S72.001A)"
	in.SetStyles(inputStyles(in.Styles()))
	in.SetValue(query)
	in.Focus()
	return &model{d: d, st: st, clip: clip, header: header, width: 80, height: 24, input: in}
}

// inputStyles are the search line's: a cursor that does not blink, and
// the prompt and text in the terminal's own colours whether the line has
// the focus or not, as bubbles v1 drew them. The placeholder keeps its
// grey. (textinput's styles are lipgloss v2's; medcode's own stay v1.)
func inputStyles(s textinput.Styles) textinput.Styles {
	s.Focused.Prompt = lipgloss.NewStyle()
	s.Focused.Text = lipgloss.NewStyle()
	s.Blurred = s.Focused
	s.Cursor.Color = nil
	s.Cursor.Blink = false
	return s
}

// opened is the code book, open, with the releases it answers from.
type opened struct {
	d      *domain
	header string
	err    error
}

type openedMsg opened

// Init waits for the code book when it is still opening, and starts the
// first search when browse was given a query.
func (m *model) Init() tea.Cmd {
	if m.d == nil && m.opened != nil {
		wait := m.opened
		return func() tea.Msg { return openedMsg(wait()) }
	}
	if m.input.Value() == "" {
		return nil
	}
	return m.startSearch()
}

// Tray is the tray as the line printed on quit.
func (m *model) Tray() []string {
	out := make([]string, len(m.tray))
	for i, t := range m.tray {
		out[i] = t.Code
	}
	return out
}
