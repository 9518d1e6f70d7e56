package browse

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	tea "charm.land/bubbletea/v2"
	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/medcode/medcode/cmd/medcode/cli/cmdutil"
	"github.com/medcode/medcode/cmd/medcode/cli/iostreams"
	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/coding"
	"github.com/medcode/medcode/coding/suggest"
	"github.com/medcode/medcode/coding/suggest/synonyms"
	"github.com/medcode/medcode/coding/validate"
)

// Options are the inputs of `browse`.
type Options struct {
	IO      *iostreams.IOStreams
	Factory *cmdutil.Factory

	Query   string
	Date    string
	Release string
}

// NewCmdBrowse builds the command.
func NewCmdBrowse(f *cmdutil.Factory) *cobra.Command {
	opts := &Options{IO: f.IO, Factory: f}
	cmd := &cobra.Command{
		Use:   "browse [QUERY]",
		Short: "Browse the code books interactively",
		Long: `A full-screen browser for coding in the terminal. Type words from the chart
and the list ranks codes as suggest does; type a code (e119, S72.001A) to
jump to it. The right pane shows everything show prints for the selected
code; i opens the Alphabetic Index at the code's main term, where Enter
follows see and see also and opens a term's code. a adds a billable code to
the tray, which is validated as one claim as you go; v shows its findings
as validate reports them. ? lists the keys.

browse draws on the terminal itself (/dev/tty) and reads keys from it, so
stdout stays free: on quit the tray is printed there as one comma-separated
line, and dx=$(medcode browse) works in a script. With no terminal to
open it exits 2; scripts use show and suggest.`,
		Example: `  medcode browse
  medcode browse "type 2 diabetes with neuropathy"
  dx=$(medcode browse --date 2026-03-02)`,
		Args: cobra.ArbitraryArgs,
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Query = strings.Join(args, " ")
			return runBrowse(opts, openTTY)
		},
	}
	cmd.Flags().StringVar(&opts.Date, "date", "", "date of service (YYYY-MM-DD): answer from the release in effect, validate the tray for that day")
	cmd.Flags().StringVar(&opts.Release, "release", "", "answer from this release (2026, 2026-04, hcpcs-2020)")
	return cmd
}

var errNoTerminal = errors.New("browse needs a terminal; use show/suggest in scripts")

// openTTY opens the controlling terminal, as fzf does, so that stdin and
// stdout may be pipes.
func openTTY() (io.ReadWriteCloser, error) {
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return nil, err
	}
	if !isatty.IsTerminal(tty.Fd()) {
		tty.Close()
		return nil, errNoTerminal
	}
	return tty, nil
}

func runBrowse(opts *Options, open func() (io.ReadWriteCloser, error)) error {
	date, err := cmdutil.ParseDate(opts.Date)
	if err != nil {
		return err
	}
	tty, err := open()
	if err != nil {
		return &cmdutil.ExitError{Code: cmdutil.ExitUsage, Err: errNoTerminal}
	}
	defer tty.Close()
	// The first frame is drawn while the code book opens (the built-in
	// sample takes a few hundred milliseconds to build). What opening
	// says on stderr waits for the terminal to be given back.
	var notices bytes.Buffer
	of := &cmdutil.Factory{IO: iostreams.New(nil, io.Discard, &notices), DataDir: opts.Factory.DataDir, Getenv: opts.Factory.Getenv}
	res := make(chan opened, 1)
	go func() {
		d, header, err := openDomain(of, coding.Pick{Release: opts.Release, Date: date})
		res <- opened{d: d, header: header, err: err}
	}()
	var once sync.Once
	var o opened
	wait := func() opened {
		once.Do(func() { o = <-res })
		return o
	}
	m := newModel(nil, iostreams.TerminalStyles(tty), tty, "", opts.Query)
	m.opened = wait
	// bubbletea v2 has no init-time terminal query (v1's stalled every
	// medcode command on a pty that does not answer). The size is the
	// terminal's; 80x24 is for an output that is not one.
	p := tea.NewProgram(m, tea.WithInput(tty), tea.WithOutput(tty), tea.WithWindowSize(m.width, m.height))
	_, runErr := p.Run()
	wait()
	opts.IO.ErrOut.Write(notices.Bytes())
	if o.d != nil {
		defer o.d.cb.Close()
	}
	if o.err != nil {
		return o.err
	}
	if runErr != nil {
		return fmt.Errorf("browse: %w", runErr)
	}
	return printTray(opts.IO.Out, m.Tray())
}

// printTray writes the tray as one comma-separated line, nothing when it
// is empty, so dx=$(medcode browse) gets the codes or nothing.
func printTray(w io.Writer, tray []string) error {
	if len(tray) == 0 {
		return nil
	}
	_, err := fmt.Fprintln(w, strings.Join(tray, ","))
	return err
}

// openDomain opens the code book and checks the release asked for, so a
// wrong --release fails before the screen is taken.
func openDomain(f *cmdutil.Factory, pick coding.Pick) (*domain, string, error) {
	packs, err := validate.LoadRulePacks()
	if err != nil {
		return nil, "", err
	}
	syn, err := synonyms.Load()
	if err != nil {
		return nil, "", err
	}
	cb, err := f.Codebook()
	if err != nil {
		return nil, "", err
	}
	// --release names one system's release; the other answers from none.
	var rels []string
	var relErr error
	for _, sys := range []codeset.System{codeset.ICD10CM, codeset.HCPCS} {
		rel, _, err := cb.ReleaseFor(sys, pick)
		if err != nil && relErr == nil {
			relErr = err
		}
		// A fallback's note shows on the notice line with each answer.
		if rel != nil {
			rels = append(rels, rel.ID)
		}
	}
	if len(rels) == 0 {
		cb.Close()
		if relErr != nil {
			return nil, "", relErr
		}
		return nil, "", coding.Errorf(coding.DoLoad+" PATH loads the official files", "no release is loaded")
	}
	header := strings.Join(rels, " · ")
	if !pick.Date.IsZero() {
		header += " · on " + pick.Date.Format("2006-01-02")
	}
	if cb.Sample {
		header += " · built-in sample"
	}
	d := &domain{cb: cb, sg: suggest.New(cb, syn), pick: pick,
		val: validate.New(cb, packs, validate.Settings{Setting: "practitioner"})}
	return d, header, nil
}
