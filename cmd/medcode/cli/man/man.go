package man

import (
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/medcode/medcode/cmd/medcode/cli/cmdutil"
	"github.com/medcode/medcode/cmd/medcode/cli/iostreams"
)

// Options are the inputs of `man`.
type Options struct {
	IO  *iostreams.IOStreams
	Dir string
}

// NewCmdMan builds the command.
func NewCmdMan(f *cmdutil.Factory) *cobra.Command {
	opts := &Options{IO: f.IO}
	cmd := &cobra.Command{
		Use:   "man DIR",
		Short: "Write medcode's manual pages into a folder",
		Long: `Writes one manual page per command (medcode.1, medcode-show.1, ...) into
DIR, generated from the commands' own help, so they never disagree with it.

  medcode man ~/.local/share/man/man1 && man medcode-validate`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Dir = args[0]
			return runMan(opts, c.Root())
		},
	}
	return cmd
}

// manDate is the date the pages carry: the day their layout last changed,
// not the day they were written, so the same binary writes the same pages.
var manDate = time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)

func runMan(opts *Options, root *cobra.Command) error {
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return fmt.Errorf("manual folder: %w", err)
	}
	// A fixed date keeps the pages the same from one run to the next.
	header := &doc.GenManHeader{Title: "MEDCODE", Section: "1", Source: "medcode", Manual: "medcode manual", Date: &manDate}
	root.DisableAutoGenTag = true
	if err := doc.GenManTree(root, header, opts.Dir); err != nil {
		return fmt.Errorf("writing the manual pages: %w", err)
	}
	fmt.Fprintf(opts.IO.ErrOut, "medcode: manual pages written to %s\n", opts.Dir)
	return nil
}
