package show

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/medcode/medcode/coding/lookup"
	"github.com/spf13/cobra"

	"github.com/medcode/medcode/cmd/medcode/cli/cmdutil"
	"github.com/medcode/medcode/cmd/medcode/cli/iostreams"
	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/coding"
)

// Options are the inputs of `show`.
type Options struct {
	IO      *iostreams.IOStreams
	Factory *cmdutil.Factory

	Codes   []string
	System  string
	Date    string
	Release string
	JSON    bool
}

// NewCmdShow builds the command.
func NewCmdShow(f *cmdutil.Factory) *cobra.Command {
	opts := &Options{IO: f.IO, Factory: f}
	cmd := &cobra.Command{
		Use:   "show CODE...",
		Short: "Show everything the code books say about codes",
		Long: `Show a code's title, whether it can go on a claim, its place in the Tabular
List and every note that applies to it, including those inherited from the
category above. Codes may be typed with or without the dot, in any case.

An HCPCS code shows its descriptions, pricing, coverage and dates; a
two-character input is looked up as an HCPCS Level II modifier. An input
that could be a code of both systems (J1100 is also ICD-10-CM J11.00) is
answered for each system it exists in, labelled.

An unknown code says so and offers the nearest valid codes: E11.99 offers
E11.9, a category offers its billable codes, S72.001 its 7th characters.
Codes may be separated by spaces or commas (E11.9,I10). With --date the
answer says valid, not valid (added ...), deleted, or unknown when no
loaded release covers the date. Warnings go to stderr (into the JSON with
--json).

Exits 1 when a code asked for does not exist, or is not valid (or was
deleted) on --date; 0 otherwise, an unknown date included.`,
		Example: `  medcode show E11.9
  medcode show e119 S72.001A J1100
  medcode show --date 2019-06-01 G0439
  medcode show --json I10`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Codes = splitCodes(args)
			if len(opts.Codes) == 0 {
				return cmdutil.FlagErrorf("no code given")
			}
			return runShow(opts)
		},
	}
	cmd.Flags().StringVar(&opts.System, "system", "", "look up in one system only: icd10cm or hcpcs")
	cmd.Flags().StringVar(&opts.Date, "date", "", "date of service (YYYY-MM-DD): answer from the release in effect and say if the code was valid")
	cmd.Flags().StringVar(&opts.Release, "release", "", "answer from this release (2026, 2026-04, hcpcs-2020)")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "write JSON")
	return cmd
}

func runShow(opts *Options) error {
	sys, err := parseSystem(opts.System)
	if err != nil {
		return err
	}
	date, err := cmdutil.ParseDate(opts.Date)
	if err != nil {
		return err
	}
	cb, err := opts.Factory.Codebook()
	if err != nil {
		return err
	}
	defer cb.Close()
	views, err := lookup.Show(cb, opts.Codes, lookup.ShowOptions{System: sys, Pick: coding.Pick{Release: opts.Release, Date: date}})
	if err != nil {
		return err
	}
	if opts.JSON {
		if err := cmdutil.WriteJSON(opts.IO.Out, views); err != nil {
			return err
		}
	} else {
		render(opts.IO.Out, opts.IO.Styles(), opts.IO.Width(), views)
		// Warnings are diagnostics: the JSON carries them as fields.
		for _, v := range views {
			for _, w := range v.Warnings {
				fmt.Fprintf(opts.IO.ErrOut, "medcode: warning: %s: %s\n", v.Input, w)
			}
		}
	}
	for _, v := range views {
		if !v.Found || v.Validity.Refused() {
			return cmdutil.SilentExit(cmdutil.ExitFindings)
		}
	}
	return nil
}

// splitCodes takes codes separated by commas as well as spaces, as
// validate --dx does.
func splitCodes(args []string) []string {
	var out []string
	for _, a := range args {
		out = append(out, strings.FieldsFunc(a, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })...)
	}
	return out
}

func parseSystem(s string) (codeset.System, error) {
	switch s {
	case "", "all":
		return "", nil
	case "icd10cm", "icd", "icd10":
		return codeset.ICD10CM, nil
	case "hcpcs":
		return codeset.HCPCS, nil
	}
	return "", cmdutil.FlagErrorf("invalid --system %q: want icd10cm or hcpcs", s)
}
