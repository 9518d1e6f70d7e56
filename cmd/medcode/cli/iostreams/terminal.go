package iostreams

import (
	"io"
	"os"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// TerminalStyles are the styles for a terminal medcode draws on itself
// (browse draws on /dev/tty, not stdout), honouring NO_COLOR and TERM=dumb
// as Styles does.
func TerminalStyles(tty io.Writer) Styles {
	r := lipgloss.NewRenderer(tty)
	_, noColor := os.LookupEnv("NO_COLOR")
	if noColor || os.Getenv("TERM") == "dumb" {
		r.SetColorProfile(termenv.Ascii)
	}
	return newStyles(r)
}
