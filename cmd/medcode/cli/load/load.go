package load

import (
	"github.com/spf13/cobra"

	"github.com/medcode/medcode/cmd/medcode/cli/cmdutil"
	"github.com/medcode/medcode/cmd/medcode/cli/iostreams"
	"github.com/medcode/medcode/coding"
)

// Options are the inputs of `load`.
type Options struct {
	IO      *iostreams.IOStreams
	Factory *cmdutil.Factory

	Paths   []string
	Release string
	Replace bool
	JSON    bool
}

// NewCmdLoad builds the command.
func NewCmdLoad(f *cmdutil.Factory) *cobra.Command {
	opts := &Options{IO: f.IO, Factory: f}
	cmd := &cobra.Command{
		Use:   "load PATH...",
		Short: "Load official ICD-10-CM and HCPCS files into the index",
		Long: `Load official files, folders of them, or the zip files exactly as CMS and
CDC publish them. Each file is recognised by its content:

  ICD-10-CM order file (icd10cm_order_YYYY.txt) and codes file
  ICD-10-CM Tabular List XML, Alphabetic Index XML, External Cause Index,
  Table of Drugs and Chemicals, Neoplasm Table
  HCPCS Level II alpha-numeric file (HCPCyyyy_..._ANWEB) and processing notes

The fiscal year comes from the file name (order and codes files) or the
XML <version>; --release names it when a file name carries none.

A load adds to what is loaded: a file of the same kind and release as a
loaded one replaces it; --replace starts afresh. Tabular and index files
attach to the code table of the nearest year, with a warning when the
years differ. The index is rebuilt beside the live one and swapped in only
when everything succeeded, so a failed load leaves the previous one working.`,
		Example: `  medcode load ~/Downloads/2026-code-descriptions-tabular-order.zip
  medcode load icd10cm_order_2026.txt icd10cm_tabular_2021.xml
  medcode load --replace ../shared/data`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Paths = args
			return runLoad(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Release, "release", "", "release of files whose names carry no year (2026, 2026-04, hcpcs-2026)")
	cmd.Flags().BoolVar(&opts.Replace, "replace", false, "drop everything loaded before")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "write the load report as JSON")
	return cmd
}

func runLoad(opts *Options) error {
	dir, err := opts.Factory.ResolveDataDir()
	if err != nil {
		return err
	}
	prog := cmdutil.NewProgress(opts.IO)
	rep, err := coding.Load(dir, coding.LoadRequest{Paths: opts.Paths, Release: opts.Release, Replace: opts.Replace, Progress: prog.Stage})
	prog.Finish()
	if err != nil {
		return err
	}
	warn(opts.IO.ErrOut, rep)
	if opts.JSON {
		return cmdutil.WriteJSON(opts.IO.Out, rep)
	}
	render(opts.IO.Out, opts.IO.Styles(), rep, dir)
	return nil
}
