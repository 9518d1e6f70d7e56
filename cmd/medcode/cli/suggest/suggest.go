package suggest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/medcode/medcode/coding/suggest"
	"github.com/medcode/medcode/coding/suggest/synonyms"

	"github.com/spf13/cobra"

	"github.com/medcode/medcode/cmd/medcode/cli/cmdutil"
	"github.com/medcode/medcode/cmd/medcode/cli/iostreams"
	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/coding"
)

// Options are the inputs of `suggest`.
type Options struct {
	IO      *iostreams.IOStreams
	Factory *cmdutil.Factory

	Query     string
	Stdin     bool
	System    string
	Limit     int
	Billable  bool
	Encounter string
	Date      string
	Release   string
	Synonyms  []string
	JSON      bool
}

// NewCmdSuggest builds the command.
func NewCmdSuggest(f *cmdutil.Factory) *cobra.Command {
	opts := &Options{IO: f.IO, Factory: f}
	cmd := &cobra.Command{
		Use:   "suggest TEXT",
		Short: "Suggest codes for diagnosis or procedure text",
		Long: `Rank codes for what the chart says. medcode reads the text as a coder
would: it searches the Alphabetic Index, the Drug and Neoplasm tables,
titles and inclusion terms; expands clinical abbreviations (HTN, T2DM,
CHF, s/p, w/o, ...; an ambiguous one such as MS ranks all its meanings);
forgives misspellings; prefers the most specific code the words support and
the unspecified code when they give no detail; and shows a code that needs
a 7th character with its completions (--encounter picks one).

A query with no good match says so rather than listing noise (exit 1).

Script mode: --stdin reads one query per line and, with --json, writes one
JSON object per line in input order: {"query", "results": [{"code",
"system", "title", "billable", "score", "why", "low_confidence"}]}.
A result marked low confidence is the nearest code to a query whose words
the code books use but no code says well enough.`,
		Example: `  medcode suggest "type 2 diabetes with diabetic neuropathy"
  medcode suggest --system hcpcs "blood glucose test strips"
  medcode suggest --encounter initial "closed fracture of right femoral neck"
  printf 'HTN\nCHF exacerbation\n' | medcode suggest --stdin --json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if opts.Stdin && len(args) > 0 {
				return cmdutil.FlagErrorf("give the text as an argument or --stdin, not both")
			}
			if !opts.Stdin && len(args) == 0 {
				return cmdutil.FlagErrorf("suggest needs TEXT or --stdin")
			}
			return nil
		},
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Query = strings.Join(args, " ")
			return runSuggest(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Stdin, "stdin", false, "read one query per line from stdin")
	cmd.Flags().StringVar(&opts.System, "system", "all", "icd10cm, hcpcs or all")
	cmd.Flags().IntVar(&opts.Limit, "limit", 10, "most results per query")
	cmd.Flags().BoolVar(&opts.Billable, "billable", false, "only codes that can go on a claim")
	cmd.Flags().StringVar(&opts.Encounter, "encounter", "", "7th character to pick: initial, subsequent or sequela")
	cmd.Flags().StringVar(&opts.Date, "date", "", "date of service (YYYY-MM-DD): suggest from the release in effect")
	cmd.Flags().StringVar(&opts.Release, "release", "", "suggest from this release")
	cmd.Flags().StringArrayVar(&opts.Synonyms, "synonyms", nil, "extra synonyms file (YAML, same schema as the built-in one); repeatable")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "write JSON")
	return cmd
}

// heapLimit is the heap suggest lets grow before collecting. A query
// allocates a few megabytes and keeps what it learns of codes; with the
// collector waiting for a ceiling, a single query never collects and a
// long --stdin run collects seldom. What it keeps of codes is marked on
// every cycle, so the ceiling sits well above it: 256 MB against 192 MB
// took the stdin benchmark's p99 from 8-11.6 to 8-9 ms, for about 70 MB
// more resident memory in a long run.
const heapLimit = 256 << 20

func runSuggest(opts *Options) error {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(heapLimit))
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	var sys codeset.System
	switch opts.System {
	case "all", "":
	case "icd10cm", "hcpcs":
		sys = codeset.System(opts.System)
	default:
		return cmdutil.FlagErrorf("invalid --system %q: want icd10cm, hcpcs or all", opts.System)
	}
	if opts.Limit < 1 {
		return cmdutil.FlagErrorf("invalid --limit %d: want 1 or more", opts.Limit)
	}
	date, err := cmdutil.ParseDate(opts.Date)
	if err != nil {
		return err
	}
	syn, err := synonyms.Load(opts.Synonyms...)
	if err != nil {
		return err
	}
	cb, err := opts.Factory.Codebook()
	if err != nil {
		return err
	}
	defer cb.Close()
	sg := suggest.New(cb, syn)
	so := suggest.Options{System: sys, Limit: opts.Limit, Billable: opts.Billable, Encounter: opts.Encounter, Pick: coding.Pick{Release: opts.Release, Date: date}}
	if !opts.Stdin {
		res, err := sg.Suggest(opts.Query, so)
		if err != nil {
			return err
		}
		if opts.JSON {
			err = cmdutil.WriteJSON(opts.IO.Out, res)
		} else {
			render(opts.IO.Out, opts.IO.Styles(), res)
			warn(opts.IO.ErrOut, "", res)
		}
		if err != nil {
			return err
		}
		if res.NotFound {
			return cmdutil.SilentExit(cmdutil.ExitFindings)
		}
		return nil
	}
	return runStdin(opts, sg, so)
}

// runStdin answers line by line, flushing each answer so a script driving
// medcode through a pipe gets it at once.
func runStdin(opts *Options, sg *suggest.Suggester, so suggest.Options) error {
	sc := bufio.NewScanner(opts.IO.In)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	w := bufio.NewWriter(opts.IO.Out)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	st := opts.IO.Styles()
	line := 0
	for sc.Scan() {
		line++
		q := strings.TrimSpace(sc.Text())
		res, err := sg.Suggest(q, so)
		if err != nil {
			return fmt.Errorf("stdin:%d: %w", line, err)
		}
		if opts.JSON {
			if err := enc.Encode(res); err != nil {
				return err
			}
		} else {
			if line > 1 {
				fmt.Fprintln(w)
			}
			render(w, st, res)
			// The position only: a query may hold patient text.
			warn(opts.IO.ErrOut, fmt.Sprintf("stdin:%d: ", line), res)
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("stdin:%d: %w", line+1, err)
	}
	return nil
}

func render(w io.Writer, st iostreams.Styles, res *suggest.Result) {
	fmt.Fprintf(w, "%s\n", st.Heading.Render(res.Query))
	if res.NotFound {
		fmt.Fprintf(w, "  %s\n", st.Warn.Render("no code matches this text well; try other words, or medcode show CODE"))
	}
	for i, r := range res.Results {
		mark := st.Good.Render("billable")
		if !r.Billable {
			mark = st.Warn.Render("not billable")
			if len(r.Completions) > 0 {
				mark = st.Warn.Render("needs 7th character")
			}
		}
		sys := ""
		if r.System == codeset.HCPCS {
			sys = st.Dim.Render(" [hcpcs]")
		}
		if r.LowConfidence {
			mark += "  " + st.Warn.Render("low confidence")
		}
		fmt.Fprintf(w, "%2d. %s%s  %s  %s\n", i+1, st.Code.Render(fmt.Sprintf("%-9s", r.Code)), sys, r.Title, mark)
		fmt.Fprintf(w, "    %s\n", st.Dim.Render(fmt.Sprintf("%.3f  %s", r.Score, r.Why)))
		if len(r.Completions) > 0 {
			var cs []string
			for _, c := range r.Completions {
				cs = append(cs, c.Code)
			}
			fmt.Fprintf(w, "    %s %s\n", st.Label.Render("complete as"), strings.Join(cs, " "))
		}
	}
}

// warn writes a result's warnings to stderr: they are diagnostics, and the
// JSON carries them as fields.
func warn(w io.Writer, at string, res *suggest.Result) {
	for _, msg := range res.Warnings {
		fmt.Fprintf(w, "medcode: warning: %s%s\n", at, msg)
	}
}
