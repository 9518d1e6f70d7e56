package info

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/medcode/medcode/cmd/medcode/cli/cmdutil"
	"github.com/medcode/medcode/cmd/medcode/cli/iostreams"
	"github.com/medcode/medcode/coding"
)

// Options are the inputs of `info`.
type Options struct {
	IO      *iostreams.IOStreams
	Factory *cmdutil.Factory
	JSON    bool
	Check   bool
}

// Report is the JSON of `info --json`.
type Report struct {
	DataDir  string                `json:"data_dir"`
	Sample   bool                  `json:"sample"`
	Bytes    int64                 `json:"index_bytes"`
	Releases []*coding.ReleaseInfo `json:"releases"`
}

// NewCmdInfo builds the command.
func NewCmdInfo(f *cmdutil.Factory) *cobra.Command {
	opts := &Options{IO: f.IO, Factory: f}
	cmd := &cobra.Command{
		Use:   "info",
		Short: "Tell which releases and files are loaded",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return runInfo(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "write JSON")
	cmd.Flags().BoolVar(&opts.Check, "check", false, "read every index file and compare it with the checksum the load recorded")
	return cmd
}

func runInfo(opts *Options) error {
	dir, err := opts.Factory.ResolveDataDir()
	if err != nil {
		return err
	}
	if opts.Check {
		return runCheck(opts, dir)
	}
	cb, err := opts.Factory.Codebook()
	if err != nil {
		return err
	}
	defer cb.Close()
	rep := Report{DataDir: dir, Sample: cb.Sample, Releases: cb.Manifest().Releases}
	if !cb.Sample {
		rep.Bytes = cb.IndexBytes()
	}
	if opts.JSON {
		return cmdutil.WriteJSON(opts.IO.Out, rep)
	}
	render(opts.IO.Out, opts.IO.Styles(), &rep)
	return nil
}

func render(w io.Writer, st iostreams.Styles, rep *Report) {
	if rep.Sample {
		fmt.Fprintf(w, "%s %s\n", st.Label.Render("data dir "), rep.DataDir+" (nothing loaded: the built-in sample answers)")
	} else {
		fmt.Fprintf(w, "%s %s\n", st.Label.Render("data dir "), rep.DataDir)
		fmt.Fprintf(w, "%s %s\n", st.Label.Render("index size"), cmdutil.HumanBytes(rep.Bytes))
	}
	for _, r := range rep.Releases {
		fmt.Fprintf(w, "\n%s  %s  %s\n", st.Code.Render(r.ID), st.Title.Render(r.Release.String()), st.Dim.Render("dates of service "+r.Effective+" to "+r.Through))
		counts, detail := cmdutil.ReleaseCounts(r)
		if detail != "" {
			counts += ": " + detail
		}
		fmt.Fprintf(w, "  %s\n", counts)
		if r.Notes > 0 {
			fmt.Fprintf(w, "  %d codes with Tabular notes\n", r.Notes)
		}
		if r.Terms > 0 {
			fmt.Fprintf(w, "  %d index and table entries\n", r.Terms)
		}
		for _, s := range r.Sources {
			year := ""
			if s.Year != 0 {
				year = fmt.Sprintf(" %d", s.Year)
			}
			fmt.Fprintf(w, "  %s %s%s, %d records\n", st.Label.Render("from"), s.File, st.Dim.Render(" ("+s.Kind.Describe()+year+")"), s.Records)
		}
		for _, warn := range r.Warnings {
			fmt.Fprintf(w, "  %s %s\n", st.Warn.Render("warning"), warn)
		}
	}
}
