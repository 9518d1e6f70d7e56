package iostreams

import (
	"io"
	"os"

	"github.com/charmbracelet/lipgloss"
	"github.com/mattn/go-isatty"
	"github.com/muesli/termenv"
)

// IOStreams are a command's input and outputs and what they are attached to.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	outTTY bool
	errTTY bool
	color  bool
}

// New wraps the given streams, detecting terminals on *os.File streams and
// honouring NO_COLOR (https://no-color.org).
func New(in io.Reader, out, errOut io.Writer) *IOStreams {
	s := &IOStreams{In: in, Out: out, ErrOut: errOut}
	s.outTTY = isTTY(out)
	s.errTTY = isTTY(errOut)
	_, noColor := os.LookupEnv("NO_COLOR")
	s.color = s.outTTY && !noColor && os.Getenv("TERM") != "dumb"
	return s
}

func isTTY(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// IsStdoutTTY reports whether data goes to a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.outTTY }

// IsStderrTTY reports whether progress can be drawn.
func (s *IOStreams) IsStderrTTY() bool { return s.errTTY }

// Styles returns the styles for stdout: real ones on a colour terminal, and
// pass-through ones otherwise so piped output stays plain and stable.
func (s *IOStreams) Styles() Styles {
	r := lipgloss.NewRenderer(s.Out)
	if !s.color {
		r.SetColorProfile(termenv.Ascii)
	}
	return newStyles(r)
}
