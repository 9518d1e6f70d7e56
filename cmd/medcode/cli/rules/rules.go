package rules

import (
	"fmt"
	"strings"

	"github.com/medcode/medcode/coding/validate"

	"github.com/spf13/cobra"

	"github.com/medcode/medcode/cmd/medcode/cli/cmdutil"
	"github.com/medcode/medcode/cmd/medcode/cli/iostreams"
)

// Options are the inputs of `rules`.
type Options struct {
	IO    *iostreams.IOStreams
	Files []string
	JSON  bool
}

const schemaHelp = `A rule pack is YAML:

  pack: my-payer            # name
  version: 1
  description: ...
  rules:
    - id: payer-j1100-units # unique across packs
      severity: error       # error, warning or info
      message: "{codes} ..."  # {codes} is replaced by the codes involved
      reference: "policy 12.3"
      dx: ["E11.9", "E11*", "E11.-", "O00-O9A"]   # codes the rule is about
      px: ["J1100"]
      # exactly one condition:
      sex: F                 # the codes are for this sex only
      age: {min: 12, max: 55}  # the codes are for these ages only
      excludes: {dx: [...], px: [...]}  # not with any of these
      requires: {dx: [...], px: [...]}  # only with one of these
      units: {max: 10}       # at most this many units of a px code a claim
      effective: {from: 2026-01-01, to: 2026-12-31}  # optional`

// NewCmdRules builds the command.
func NewCmdRules(f *cmdutil.Factory) *cobra.Command {
	opts := &Options{IO: f.IO}
	cmd := &cobra.Command{
		Use:   "rules [FILE...]",
		Short: "List the rule packs and their rules",
		Long:  "List the built-in rule packs, and any given as files, with their rules.\nA malformed pack is reported with its file and line.\n\n" + schemaHelp,
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Files = args
			return runRules(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "write JSON")
	return cmd
}

func runRules(opts *Options) error {
	packs, err := validate.LoadRulePacks(opts.Files...)
	if err != nil {
		return err
	}
	if opts.JSON {
		return cmdutil.WriteJSON(opts.IO.Out, packs)
	}
	st := opts.IO.Styles()
	for i, p := range packs {
		if i > 0 {
			fmt.Fprintln(opts.IO.Out)
		}
		fmt.Fprintf(opts.IO.Out, "%s  %s\n", st.Title.Render(p.Name), st.Dim.Render(p.Source))
		if p.Description != "" {
			fmt.Fprintf(opts.IO.Out, "  %s\n", p.Description)
		}
		for _, r := range p.Rules {
			codes := strings.Join(append(append([]string(nil), r.Dx...), r.Px...), " ")
			fmt.Fprintf(opts.IO.Out, "  %-24s %-7s %s\n", st.Code.Render(r.ID), r.Severity, codes)
		}
	}
	return nil
}
