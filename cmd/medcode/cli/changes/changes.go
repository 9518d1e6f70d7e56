package changes

import (
	"github.com/spf13/cobra"

	"github.com/medcode/medcode/cmd/medcode/cli/cmdutil"
	"github.com/medcode/medcode/cmd/medcode/cli/iostreams"
	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/coding/changes"
)

// Options are the inputs of `changes`.
type Options struct {
	IO      *iostreams.IOStreams
	Factory *cmdutil.Factory

	From   string
	To     string
	Code   string
	System string
	JSON   bool
	Output string
}

// NewCmdChanges builds the command.
func NewCmdChanges(f *cmdutil.Factory) *cobra.Command {
	opts := &Options{IO: f.IO, Factory: f}
	cmd := &cobra.Command{
		Use:   "changes",
		Short: "List what changed between two releases",
		Long: `List the codes added and deleted between two ICD-10-CM releases, the long
and short titles revised (old and new side by side), and the codes that
turned from billable to header or back. By default the two newest loaded
releases are compared. The counts are also given as CMS's order-file
addenda count them (billable codes and headers apart).

With --system hcpcs the list comes from one HCPCS file: the codes its
action code marks as added, discontinued, reactivated or changed, with the
action's effective date.

In a terminal the list is grouped, counts first; piped it is one
tab-separated row per change: change, code, kind, title, and the old
title where it changed (for HCPCS, the action's effective date).
--output picks either form, or csv with every field; --json has them
too, with the counts.

Exits 2 when fewer than two ICD-10-CM releases are loaded, a release
named is not loaded, or --code is a code of neither release.`,
		Example: `  medcode changes
  medcode changes --from 2025 --to 2026 --code E11
  medcode changes --output csv > fy2026.csv
  medcode changes --system hcpcs --json`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return runChanges(opts)
		},
	}
	cmd.Flags().StringVar(&opts.From, "from", "", "older release (default: the one before --to)")
	cmd.Flags().StringVar(&opts.To, "to", "", "newer release (default: the newest loaded)")
	cmd.Flags().StringVar(&opts.Code, "code", "", "only this code and the codes below it")
	cmd.Flags().StringVar(&opts.System, "system", "icd10cm", "icd10cm or hcpcs")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "write JSON")
	cmd.Flags().StringVar(&opts.Output, "output", "", "grouped, rows or csv (default: grouped in a terminal, rows when piped)")
	return cmd
}

func runChanges(opts *Options) error {
	var sys codeset.System
	switch opts.System {
	case "icd10cm", "icd", "icd10":
		sys = codeset.ICD10CM
	case "hcpcs":
		sys = codeset.HCPCS
	default:
		return cmdutil.FlagErrorf("invalid --system %q: want icd10cm or hcpcs", opts.System)
	}
	if sys == codeset.HCPCS && opts.From != "" {
		return cmdutil.FlagErrorf("--from does not apply to --system hcpcs: the changes come from one file's action codes (name it with --to)")
	}
	output := opts.Output
	switch {
	case opts.JSON && output != "":
		return cmdutil.FlagErrorf("--json and --output do not go together")
	case output == "" && opts.IO.IsStdoutTTY():
		output = "grouped"
	case output == "":
		output = "rows"
	case output != "grouped" && output != "rows" && output != "csv":
		return cmdutil.FlagErrorf("invalid --output %q: want grouped, rows or csv", output)
	}
	cb, err := opts.Factory.Codebook()
	if err != nil {
		return err
	}
	defer cb.Close()
	rep, err := changes.Compare(cb, changes.Request{System: sys, From: opts.From, To: opts.To, Code: opts.Code})
	if err != nil {
		return err
	}
	switch {
	case opts.JSON:
		return cmdutil.WriteJSON(opts.IO.Out, rep)
	case output == "csv":
		return writeCSV(opts.IO.Out, rep)
	case output == "grouped":
		renderGrouped(opts.IO.Out, opts.IO.Styles(), rep)
		return nil
	}
	writeRows(opts.IO.Out, rep)
	return nil
}
