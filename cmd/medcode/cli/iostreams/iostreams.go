package iostreams

import (
	"io"
	"os"
	"strconv"

	"github.com/charmbracelet/lipgloss"
	"github.com/mattn/go-isatty"
	"github.com/muesli/termenv"
	"golang.org/x/term"
)

// IOStreams are a command's input and outputs and what they are attached to.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	outTTY bool
	errTTY bool
	color  bool
	// width is stdout's terminal width, 0 when it is no terminal.
	width int
	// rawOut is stdout as given, for terminal queries; Out and In count
	// what passes through them.
	rawOut io.Writer
	out    *countedWriter
	in     *countedReader
}

// New wraps the given streams, detecting terminals on *os.File streams and
// honouring NO_COLOR (https://no-color.org).
func New(in io.Reader, out, errOut io.Writer) *IOStreams {
	s := &IOStreams{ErrOut: errOut, rawOut: out, out: &countedWriter{w: out}}
	s.Out = s.out
	if in != nil {
		s.in = &countedReader{r: in}
		s.In = s.in
	}
	s.outTTY = isTTY(out)
	s.errTTY = isTTY(errOut)
	if s.outTTY {
		if w, _, err := term.GetSize(int(out.(*os.File).Fd())); err == nil {
			s.width = w
		}
	}
	// MEDCODE_FORCE_TTY=80 makes stdout behave as a terminal that wide,
	// so that scripts and tests can see what a terminal user sees.
	if n, err := strconv.Atoi(os.Getenv("MEDCODE_FORCE_TTY")); err == nil && n > 0 {
		s.outTTY, s.width = true, n
	}
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

// Width is the terminal width text is wrapped to, 0 for none: piped
// output is never wrapped, so scripts see one line per item.
func (s *IOStreams) Width() int { return s.width }

// IsStderrTTY reports whether progress can be drawn.
func (s *IOStreams) IsStderrTTY() bool { return s.errTTY }

// Styles returns the styles for stdout: real ones on a colour terminal, and
// pass-through ones otherwise so piped output stays plain and stable.
func (s *IOStreams) Styles() Styles {
	r := lipgloss.NewRenderer(s.rawOut)
	if !s.color {
		r.SetColorProfile(termenv.Ascii)
	}
	return newStyles(r)
}
