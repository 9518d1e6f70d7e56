package validate

import (
	"fmt"
	"io"
	"strings"

	"github.com/medcode/medcode/coding/claims"
	"github.com/medcode/medcode/coding/validate"

	"github.com/spf13/cobra"

	"github.com/medcode/medcode/cmd/medcode/cli/cmdutil"
	"github.com/medcode/medcode/cmd/medcode/cli/iostreams"
)

// Options are the inputs of `validate`.
type Options struct {
	IO      *iostreams.IOStreams
	Factory *cmdutil.Factory

	Dx      []string
	Px      []string
	Age     int
	Sex     string
	Date    string
	Rules   []string
	FailOn  string
	Setting string
	JSON    bool

	// Batch mode.
	Files   []string
	Format  string
	Map     string
	Output  string
	Out     string
	Summary bool
}

// NewCmdValidate builds the command.
func NewCmdValidate(f *cmdutil.Factory) *cobra.Command {
	opts := &Options{IO: f.IO, Factory: f, Age: -1}
	cmd := &cobra.Command{
		Use:   "validate (--dx CODES [--px LINES] | FILE...)",
		Short: "Check a claim's codes against edit rules",
		Long: `Check one claim's diagnoses and procedures against the edits a payer
applies, and say for each finding its rule, severity, codes, a message and
the source it comes from.

The first diagnosis is the principal or first-listed one. A procedure line
may carry units (J1100x2) and modifiers (J1100:LT or J1100-59).

Built-in edits: code validity on the date of service (exists, billable, 7th
character, HCPCS added and not terminated, modifiers known); ICD-10-CM
Excludes1 (error) and Excludes2 (info) from the Tabular notes; manifestation
codes as principal (error) and their missing etiology (warning); the
age-sex rule pack (see medcode rules). NCCI and MUE edits need their CMS
tables; until they are loaded the report says they were not checked.

Batch mode: give claim files (or - for stdin) instead of --dx/--px. The
format is detected from the content or forced with --format: CSV, TSV or
pipe-delimited with a header (default columns claim_id, date, age or
birth_date, sex, dx or dx1..dxN, px or px1..pxN with units1.. and mod1..;
--map FILE maps other layouts, including one row per service line grouped
by claim id), JSON Lines (one claim a line: {"id", "date", "age", "sex",
"dx": [...], "px": [{"code", "units", "modifiers"}]}), or X12 837P/837I.
One result per input record, in input order, with its claim id, file and
line or segment, status (ok, findings, unreadable) and findings.
--output jsonl (the default when stdout is not a terminal), csv or text;
--summary adds totals: a last JSON line {"summary": ...} in JSON Lines,
after the results in text, on stderr (without codes) for CSV.

Exit codes: 0 no finding at or above --fail-on (default error), 1 such
findings, 2 usage or input failure, including any unreadable record.`,
		Example: `  medcode validate --dx E11.9,E10.9,I10 --px G0439,J1100x2 --age 67 --sex F --date 2026-03-02
  medcode validate --dx G63,E11.42 --json
  medcode validate --dx O80 --sex M --rules payer.yaml`,
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Files = args
			return runValidate(opts)
		},
	}
	cmd.Flags().StringSliceVar(&opts.Dx, "dx", nil, "diagnosis codes, principal first (comma-separated or repeated)")
	cmd.Flags().StringSliceVar(&opts.Px, "px", nil, "procedure lines: CODE[xUNITS][:MOD...] (comma-separated or repeated)")
	cmd.Flags().IntVar(&opts.Age, "age", -1, "patient age in years")
	cmd.Flags().StringVar(&opts.Sex, "sex", "", "patient sex: F or M")
	cmd.Flags().StringVar(&opts.Date, "date", "", "date of service (YYYY-MM-DD)")
	cmd.Flags().StringArrayVar(&opts.Rules, "rules", nil, "rule pack file (YAML); repeatable")
	cmd.Flags().StringVar(&opts.FailOn, "fail-on", "error", "lowest severity that makes the exit code 1: error or warning")
	cmd.Flags().StringVar(&opts.Setting, "setting", "practitioner", "NCCI tables to apply: practitioner, outpatient or dme")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "write JSON (one claim), or the summary as JSON (files)")
	cmd.Flags().StringVar(&opts.Format, "format", "", "claim file format: csv, jsonl or x12 (default: from the content)")
	cmd.Flags().StringVar(&opts.Map, "map", "", "YAML column map for a CSV layout other than the default")
	cmd.Flags().StringVar(&opts.Output, "output", "", "result format for files: jsonl, csv or text")
	cmd.Flags().StringVarP(&opts.Out, "out", "o", "", "write results to this file (created 0600) instead of stdout")
	cmd.Flags().BoolVar(&opts.Summary, "summary", false, "print totals: claims, clean, with errors, with warnings, unreadable, findings by rule, top codes")
	return cmd
}

// Result is the JSON of `validate --json`.
type Result struct {
	Claim *claims.Claim `json:"claim"`
	Date  string        `json:"date,omitempty"`
	*validate.Report
}

func runValidate(opts *Options) error {
	if len(opts.Files) > 0 && (len(opts.Dx) > 0 || len(opts.Px) > 0) {
		return cmdutil.FlagErrorf("give one claim with --dx/--px, or claim files, not both")
	}
	if len(opts.Files) == 0 && len(opts.Dx) == 0 && len(opts.Px) == 0 {
		return cmdutil.FlagErrorf("nothing to validate: give --dx and/or --px, or claim files")
	}
	date, err := cmdutil.ParseDate(opts.Date)
	if err != nil {
		return err
	}
	switch opts.Setting {
	case "practitioner", "outpatient", "dme":
	default:
		return cmdutil.FlagErrorf("invalid --setting %q: want practitioner, outpatient or dme", opts.Setting)
	}
	failOn := validate.Severity(opts.FailOn)
	if failOn != validate.SeverityError && failOn != validate.SeverityWarning {
		return cmdutil.FlagErrorf("invalid --fail-on %q: want error or warning", opts.FailOn)
	}
	if len(opts.Files) > 0 {
		packs, err := validate.LoadRulePacks(opts.Rules...)
		if err != nil {
			return err
		}
		return runBatch(opts, packs, failOn)
	}
	claim := &claims.Claim{Date: date, Dx: opts.Dx}
	if opts.Age >= 0 {
		a := opts.Age
		claim.Age = &a
	}
	switch s := strings.ToUpper(opts.Sex); s {
	case "", "U":
	case "F", "M":
		claim.Sex = s
	default:
		return cmdutil.FlagErrorf("invalid --sex %q: want F or M", opts.Sex)
	}
	for _, p := range opts.Px {
		proc, err := claims.ParseProcedure(p)
		if err != nil {
			return cmdutil.FlagErrorf("%v", err)
		}
		claim.Px = append(claim.Px, proc)
	}
	packs, err := validate.LoadRulePacks(opts.Rules...)
	if err != nil {
		return err
	}
	cb, err := opts.Factory.Codebook()
	if err != nil {
		return err
	}
	defer cb.Close()
	rep, err := validate.New(cb, packs, validate.Settings{Setting: opts.Setting}).Validate(claim)
	if err != nil {
		return err
	}
	if opts.JSON {
		res := Result{Claim: claim, Report: rep}
		if !date.IsZero() {
			res.Date = opts.Date
		}
		if err := cmdutil.WriteJSON(opts.IO.Out, res); err != nil {
			return err
		}
	} else {
		render(opts.IO.Out, opts.IO.Styles(), rep)
	}
	for _, f := range rep.Findings {
		if f.Severity.AtLeast(failOn) {
			return cmdutil.SilentExit(cmdutil.ExitFindings)
		}
	}
	return nil
}

func render(w io.Writer, st iostreams.Styles, rep *validate.Report) {
	if len(rep.Findings) == 0 {
		fmt.Fprintln(w, st.Good.Render("no findings"))
	}
	for _, f := range rep.Findings {
		sev := string(f.Severity)
		switch f.Severity {
		case validate.SeverityError:
			sev = st.Bad.Render(sev)
		case validate.SeverityWarning:
			sev = st.Warn.Render(sev)
		default:
			sev = st.Dim.Render(sev)
		}
		fmt.Fprintf(w, "%-7s %s  %s\n", sev, st.Code.Render(strings.Join(f.Codes, " ")), st.Label.Render("["+f.Rule+"]"))
		fmt.Fprintf(w, "        %s\n", f.Message)
		if f.Source != "" {
			fmt.Fprintf(w, "        %s\n", st.Dim.Render("source: "+f.Source))
		}
	}
	for _, c := range rep.Checks {
		if !c.Checked {
			fmt.Fprintf(w, "%s %s\n", st.Warn.Render("not checked:"), c.Note)
		}
	}
	fmt.Fprintf(w, "%d errors, %d warnings, %d info\n", rep.Errors, rep.Warnings, rep.Infos)
}
