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
	// Inpatient marks the claims institutional inpatient claims.
	Inpatient     bool
	UseAdditional string
	// set are the flags given, for refusing those that do not apply.
	set func(name string) bool

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
codes as principal (error) and their missing etiology, "code first"
(warning); a missing "use additional code" partner (info: the note asks for
a code only where the record documents one; --use-additional or a rule
pack's notes: use_additional raises it); a diagnosis listed twice
(dx-duplicate, one finding). NCCI and MUE edits need their CMS tables, and
a date of service; until then the report says they were not checked.

Medicare Code Editor edits, from CMS's MCE tables once loaded (medcode load
mce.bin, or the jar or zip holding it), by the row of each code in force on
the date of service, citing the MCE version:
  any diagnosis        mce-age (newborn, pediatric, maternity, adult: the age
                       group's range on that date), mce-sex, mce-unspecified
  principal diagnosis  mce-manifestation, mce-external-cause; dx-duplicate
                       when a secondary repeats it
  principal, inpatient mce-unacceptable, mce-requires-sdx, mce-questionable:
  claims only          they run on the claims of an X12 837I file, and with
                       --inpatient (the --dx claim, or every claim of the
                       files); elsewhere the report says they did not run
Without a date of service, or on a date outside the tables' range, the MCE
edits are reported not checked; an unknown age or sex makes the age or sex
edits not checked. Where the MCE tables are in force they replace the
built-in age-sex pack, which otherwise runs and says it is an approximation.

Batch mode: give claim files (or - for stdin) instead of --dx/--px. The
format is detected from the content or forced with --format: CSV, TSV or
pipe-delimited with a header (default columns claim_id, date, age or
birth_date, sex, dx or dx1..dxN, px or px1..pxN with units1.. and mod1..;
--map FILE maps other layouts, including one row per service line grouped
by claim id), JSON Lines (one claim a line: {"id", "date", "age", "sex",
"dx": [...], "px": [{"code", "units", "modifiers"}]}), or X12 837P/837I.
One result per input record, in input order, with its claim id, file and
line or segment, status (ok, findings, unreadable), findings, and the
edits that did not run on it (not_checked; a not_checked column in CSV);
stderr ends with how many claims each edit did not run on. Claim files
carry their own date, age and sex: --date, --age and --sex are refused
with files, as are --output, -o, --format, --map and --summary with
--dx/--px. --json with files is --output jsonl.
--output jsonl (the default when stdout is not a terminal), csv or text;
--summary adds totals: a last JSON line {"summary": ...} in JSON Lines,
after the results in text, on stderr (without codes) for CSV.

Exit codes: 0 no finding at or above --fail-on (default error), 1 such
findings, 2 usage or input failure, including any unreadable record.`,
		Example: `  medcode validate --dx E11.9,E10.9,I10 --px G0439,J1100x2 --age 67 --sex F --date 2026-03-02
  medcode validate --dx G63,E11.42 --json
  medcode validate --dx O80 --sex M --rules payer.yaml`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			opts.set = func(name string) bool { return cmd.Flags().Changed(name) }
			return runValidate(opts)
		},
	}
	cmd.Flags().StringSliceVar(&opts.Dx, "dx", nil, "diagnosis codes, principal first (comma-separated or repeated)")
	cmd.Flags().StringSliceVar(&opts.Px, "px", nil, "procedure lines: CODE[xUNITS][:MOD...] (comma-separated or repeated)")
	cmd.Flags().IntVar(&opts.Age, "age", -1, "patient age in years, 0 to 124")
	cmd.Flags().StringVar(&opts.Sex, "sex", "", "patient sex: F or M")
	cmd.Flags().StringVar(&opts.Date, "date", "", "date of service (YYYY-MM-DD)")
	cmd.Flags().StringArrayVar(&opts.Rules, "rules", nil, "rule pack file (YAML); repeatable")
	cmd.Flags().StringVar(&opts.FailOn, "fail-on", "error", "lowest severity that makes the exit code 1: error or warning")
	cmd.Flags().StringVar(&opts.Setting, "setting", "practitioner", "NCCI tables to apply: practitioner, outpatient or dme")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "write JSON (one claim), JSON Lines (files: --output jsonl)")
	cmd.Flags().BoolVar(&opts.Inpatient, "inpatient", false, "the claims are institutional inpatient claims: run the MCE's inpatient principal-diagnosis edits")
	cmd.Flags().StringVar(&opts.UseAdditional, "use-additional", "", "severity of a missing \"use additional code\" partner: info (default), warning or error")
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
	if err := refuseUnused(opts); err != nil {
		return err
	}
	if opts.given("age") && (opts.Age < 0 || opts.Age > maxAge) {
		return cmdutil.FlagErrorf("invalid --age %d: want whole years from 0 to %d", opts.Age, maxAge)
	}
	useAdditional := validate.Severity(opts.UseAdditional)
	switch useAdditional {
	case "", validate.SeverityInfo, validate.SeverityWarning, validate.SeverityError:
	default:
		return cmdutil.FlagErrorf("invalid --use-additional %q: want info, warning or error", opts.UseAdditional)
	}
	settings := validate.Settings{Setting: opts.Setting, Inpatient: opts.Inpatient, UseAdditional: useAdditional}
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
		return runBatch(opts, packs, failOn, settings)
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
	rep, err := validate.New(cb, packs, settings).Validate(claim)
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

// maxAge is the oldest age the MCE's adult group holds.
const maxAge = 124

func (o *Options) given(name string) bool { return o.set != nil && o.set(name) }

// refuseUnused refuses the flags that do not apply to the mode: a flag
// silently ignored would make a report claim what it did not check.
func refuseUnused(opts *Options) error {
	if len(opts.Files) > 0 {
		for _, f := range []string{"age", "sex", "date"} {
			if opts.given(f) {
				return cmdutil.FlagErrorf("--%s applies to a claim given with --dx/--px: claim files carry their own", f)
			}
		}
		if opts.JSON {
			if opts.given("output") && opts.Output != "jsonl" {
				return cmdutil.FlagErrorf("--json with files writes JSON Lines: it does not go with --output %s", opts.Output)
			}
			opts.Output = "jsonl"
		}
		return nil
	}
	for _, f := range []string{"output", "out", "format", "map", "summary"} {
		if opts.given(f) {
			return cmdutil.FlagErrorf("--%s applies to claim files, not to a claim given with --dx/--px", f)
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
