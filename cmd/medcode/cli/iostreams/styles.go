package iostreams

import "github.com/charmbracelet/lipgloss"

// Styles are the few looks medcode uses.
type Styles struct {
	Code    lipgloss.Style
	Title   lipgloss.Style
	Label   lipgloss.Style
	Dim     lipgloss.Style
	Good    lipgloss.Style
	Warn    lipgloss.Style
	Bad     lipgloss.Style
	Heading lipgloss.Style
}

func newStyles(r *lipgloss.Renderer) Styles {
	return Styles{
		Code:    r.NewStyle().Bold(true).Foreground(lipgloss.Color("12")),
		Title:   r.NewStyle().Bold(true),
		Label:   r.NewStyle().Foreground(lipgloss.Color("8")),
		Dim:     r.NewStyle().Faint(true),
		Good:    r.NewStyle().Foreground(lipgloss.Color("2")),
		Warn:    r.NewStyle().Foreground(lipgloss.Color("3")),
		Bad:     r.NewStyle().Foreground(lipgloss.Color("1")).Bold(true),
		Heading: r.NewStyle().Bold(true).Underline(true),
	}
}
