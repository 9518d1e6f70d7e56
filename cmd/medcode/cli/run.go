package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/medcode/medcode/cmd/medcode/cli/browse"
	"github.com/medcode/medcode/cmd/medcode/cli/changes"
	"github.com/medcode/medcode/cmd/medcode/cli/cmdutil"
	"github.com/medcode/medcode/cmd/medcode/cli/info"
	"github.com/medcode/medcode/cmd/medcode/cli/iostreams"
	"github.com/medcode/medcode/cmd/medcode/cli/load"
	"github.com/medcode/medcode/cmd/medcode/cli/man"
	"github.com/medcode/medcode/cmd/medcode/cli/pull"
	"github.com/medcode/medcode/cmd/medcode/cli/rules"
	"github.com/medcode/medcode/cmd/medcode/cli/show"
	"github.com/medcode/medcode/cmd/medcode/cli/suggest"
	"github.com/medcode/medcode/cmd/medcode/cli/validate"
	"github.com/medcode/medcode/coding"
)

const exitCodesHelp = `Exit codes:
  0  clean: everything asked for was found and nothing failed
  1  findings at error severity (validate), or a code that does not exist (show)
  2  usage or input failure: bad flags, unreadable or malformed files`

// Run executes medcode with args and returns the exit code.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	f, err := execute(args, stdin, stdout, stderr, nil)
	// A read can meet damage that the size checks at open cannot see (a
	// bad sector). Before anything was written or read, the command runs
	// again on the index from before the last load, as open does for a
	// damaged file it can see.
	if err != nil && coding.IsDamaged(err) && !f.FellBack && f.IO.Untouched() {
		_, err = execute(args, stdin, stdout, stderr, err)
	}
	return exitCode(stderr, err)
}

func execute(args []string, stdin io.Reader, stdout, stderr io.Writer, previous error) (*cmdutil.Factory, error) {
	f := &cmdutil.Factory{IO: iostreams.New(stdin, stdout, stderr), Getenv: os.Getenv, Previous: previous}
	root := newRootCmd(f)
	root.SetArgs(args)
	root.SetIn(f.IO.In)
	root.SetOut(f.IO.Out)
	root.SetErr(stderr)
	return f, root.Execute()
}

func exitCode(stderr io.Writer, err error) int {
	if err == nil {
		return cmdutil.ExitOK
	}
	var ee *cmdutil.ExitError
	if errors.As(err, &ee) {
		if ee.Err != nil {
			printError(stderr, ee.Err)
		}
		return ee.Code
	}
	printError(stderr, err)
	if cmdutil.IsFlagError(err) || isCobraUsage(err) {
		fmt.Fprintln(stderr, "hint: see medcode --help")
	}
	return cmdutil.ExitUsage
}

// printError writes "medcode: msg"; continuation lines (lists, the hint)
// follow.
func printError(w io.Writer, err error) {
	fmt.Fprintf(w, "medcode: %s\n", cmdutil.ErrorText(err))
}

func isCobraUsage(err error) bool {
	s := err.Error()
	return strings.HasPrefix(s, "unknown command") || strings.HasPrefix(s, "unknown flag") ||
		strings.HasPrefix(s, "unknown shorthand") || strings.Contains(s, "flag needs an argument") ||
		strings.HasPrefix(s, "invalid argument") || strings.Contains(s, "arg(s)")
}

func newRootCmd(f *cmdutil.Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "medcode",
		Short: "Look up, suggest and validate ICD-10-CM and HCPCS codes",
		Long: `medcode looks up ICD-10-CM diagnosis codes and HCPCS Level II codes in the
official CMS and CDC tables, which you load once with 'medcode load'.
With nothing loaded it answers from a small sample built in.

Data goes to stdout, progress and diagnostics to stderr. Every data
command takes --json.

` + exitCodesHelp,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &cmdutil.FlagError{Err: err} })
	root.PersistentFlags().StringVar(&f.DataDir, "data-dir", "", "index directory (default $MEDCODE_HOME, else $XDG_DATA_HOME/medcode)")
	root.AddCommand(load.NewCmdLoad(f))
	root.AddCommand(pull.NewCmdPull(f))
	root.AddCommand(show.NewCmdShow(f))
	root.AddCommand(info.NewCmdInfo(f))
	root.AddCommand(suggest.NewCmdSuggest(f))
	root.AddCommand(validate.NewCmdValidate(f))
	root.AddCommand(rules.NewCmdRules(f))
	root.AddCommand(changes.NewCmdChanges(f))
	root.AddCommand(man.NewCmdMan(f))
	root.AddCommand(browse.NewCmdBrowse(f))
	return root
}

// version is set at build time with -ldflags "-X ...cli.version=v1.2.3".
var version = "dev"
