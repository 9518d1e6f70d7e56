package browse

import "charm.land/bubbles/v2/key"

// keyMap is every key the browser answers; `?` lists them from here, so
// the help cannot drift from what the keys do.
type keyMap struct {
	Up, Down, PageUp, PageDown key.Binding
	Open, Back                 key.Binding
	NextPane, PrevPane, Search key.Binding
	Index                      key.Binding
	Add, Remove, Findings      key.Binding
	Copy, Help, Quit, ForceQ   key.Binding
}

var keys = keyMap{
	Up:       key.NewBinding(key.WithKeys("up"), key.WithHelp("↑", "move up")),
	Down:     key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", "move down")),
	PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("PgUp", "page up")),
	PageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("PgDn", "page down")),
	Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("Enter", "open the code, a code below it, or follow see/see also")),
	Back:     key.NewBinding(key.WithKeys("esc", "backspace"), key.WithHelp("Esc/Backspace", "go back")),
	NextPane: key.NewBinding(key.WithKeys("tab"), key.WithHelp("Tab", "next pane")),
	PrevPane: key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("Shift-Tab", "previous pane")),
	Search:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "back to the search line")),
	Index:    key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "Alphabetic Index at the code's main term")),
	Add:      key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "add the selected billable code to the tray")),
	Remove:   key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "remove the selected code from the tray")),
	Findings: key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "show the tray's findings")),
	Copy:     key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy the code (the tray, in the tray) via OSC 52")),
	Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "these keys")),
	Quit:     key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit and print the tray on stdout")),
	ForceQ:   key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("Ctrl-C", "quit, from anywhere")),
}

// helpRows are the bindings in the order `?` lists them.
func (k keyMap) helpRows() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Open, k.Back, k.NextPane, k.PrevPane, k.Search,
		k.Index, k.Add, k.Remove, k.Findings, k.Copy, k.Help, k.Quit, k.ForceQ}
}
