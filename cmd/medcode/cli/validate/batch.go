package validate

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/medcode/medcode/coding/batch"
	"github.com/medcode/medcode/coding/claims"
	"github.com/medcode/medcode/coding/validate"

	"github.com/medcode/medcode/cmd/medcode/cli/cmdutil"
	"github.com/medcode/medcode/cmd/medcode/cli/iostreams"
	"github.com/medcode/medcode/coding"
)

// runBatch validates claim files. Results go to stdout (or --out, created
// 0600), in input order; progress and diagnostics to stderr, which names a
// claim by its id and position only, never by its contents.
func runBatch(opts *Options, packs []*validate.RulePack, failOn validate.Severity, settings validate.Settings) error {
	// A batch holds little live memory (the records in flight), so the
	// collector need only run as the heap nears a ceiling well under the
	// 300 MB a run may take: most of its work goes away.
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(batchHeapLimit))
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	output := opts.Output
	if output == "" {
		output = "jsonl"
		if opts.IO.IsStdoutTTY() && opts.Out == "" {
			output = "text"
		}
	}
	switch output {
	case "jsonl", "csv", "text":
	default:
		return cmdutil.FlagErrorf("invalid --output %q: want jsonl, csv or text", output)
	}
	var cmap *claims.ColumnMap
	if opts.Map != "" {
		m, err := claims.LoadColumnMap(opts.Map)
		if err != nil {
			return err
		}
		cmap = m
	}
	format := opts.Format
	switch format {
	case "", "auto", "csv", "jsonl", "x12":
	default:
		return cmdutil.FlagErrorf("invalid --format %q: want csv, jsonl or x12", format)
	}
	cb, err := opts.Factory.Codebook()
	if err != nil {
		return err
	}
	defer cb.Close()

	out := opts.IO.Out
	if opts.Out != "" {
		f, err := os.OpenFile(opts.Out, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
		if err != nil {
			return err
		}
		defer f.Close()
		out = f
	}
	bw := bufio.NewWriterSize(out, 256<<10)
	w, err := newResultWriter(output, bw, opts.IO.Styles())
	if err != nil {
		return err
	}
	total := batch.NewSummary()
	for _, path := range opts.Files {
		sum, err := validateFile(cb, path, format, cmap, packs, settings, opts, w)
		if err != nil {
			bw.Flush()
			return err
		}
		total.Merge(sum)
	}
	if err := w.close(); err != nil {
		return err
	}
	if opts.Summary {
		if err := writeSummary(bw, output, opts.IO.ErrOut, total); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	notRun(opts.IO.ErrOut, total)
	failed := total.WithErrors > 0 || failOn == validate.SeverityWarning && total.WithWarnings > 0
	if total.Unreadable > 0 {
		fmt.Fprintf(opts.IO.ErrOut, "medcode: %d of %d records could not be read (status unreadable in the output)\n", total.Unreadable, total.Claims)
		return cmdutil.SilentExit(cmdutil.ExitUsage)
	}
	if failed {
		return cmdutil.SilentExit(cmdutil.ExitFindings)
	}
	return nil
}

// batchHeapLimit is the heap a batch run lets grow before collecting.
const batchHeapLimit = 192 << 20

func validateFile(cb *coding.Codebook, path, format string, cmap *claims.ColumnMap, packs []*validate.RulePack, settings validate.Settings, opts *Options, w resultWriter) (*batch.Summary, error) {
	var in io.Reader
	source := path
	if path == "-" {
		in, source = opts.IO.In, "-"
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		in = f
	}
	br := bufio.NewReaderSize(in, 64<<10)
	if institutional(br) {
		// An 837I interchange: its claims are institutional, and the
		// MCE's inpatient edits run on them.
		settings.Inpatient = true
	}
	rd, err := claims.NewReader(br, source, format, cmap)
	if err != nil {
		return nil, err
	}
	prog := newProgress(opts.IO, source)
	sum, err := batch.Stream(context.Background(), cb, rd, batch.Options{Packs: packs, Settings: settings}, func(r *batch.Result) error {
		prog.tick()
		return w.write(r)
	})
	prog.done()
	return sum, err
}

// institutional reports whether a claim file is an X12 837I: its head
// names the institutional implementation guide (005010X223) and not the
// professional one.
func institutional(br *bufio.Reader) bool {
	head, _ := br.Peek(br.Size())
	return bytes.HasPrefix(bytes.TrimLeft(head, "\xef\xbb\xbf \t\r\n"), []byte("ISA")) &&
		bytes.Contains(head, []byte("005010X223")) && !bytes.Contains(head, []byte("005010X222"))
}

// writeSummary adds the totals to the output: as a last JSON line
// {"summary": ...} for JSON Lines, after the results for text. A CSV stream
// has no room for them, so they go to stderr, without the codes: stderr
// carries nothing of a claim but its id and position.
func writeSummary(w io.Writer, output string, errOut io.Writer, s *batch.Summary) error {
	switch output {
	case "jsonl":
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return enc.Encode(struct {
			Summary *batch.Summary `json:"summary"`
		}{s})
	case "csv":
		w = errOut
	}
	fmt.Fprintf(w, "claims %d: %d clean, %d with errors, %d with warnings only, %d unreadable\n", s.Claims, s.Clean, s.WithErrors, s.WithWarnings, s.Unreadable)
	fmt.Fprintln(w, readLine(s))
	rules := make([]batch.CodeCount, 0, len(s.ByRule))
	for r, n := range s.ByRule {
		rules = append(rules, batch.CodeCount{Code: r, Count: n})
	}
	sortCounts(rules)
	for _, r := range rules {
		fmt.Fprintf(w, "  %-28s %d\n", r.Code, r.Count)
	}
	if len(s.TopCodes) > 0 && output != "csv" {
		var parts []string
		for _, c := range s.TopCodes {
			parts = append(parts, fmt.Sprintf("%s (%d)", c.Code, c.Count))
		}
		fmt.Fprintf(w, "top codes: %s\n", strings.Join(parts, ", "))
	}
	for _, c := range s.Checks {
		fmt.Fprintf(w, "not checked: %s\n", c.Note)
	}
	return nil
}

// readLine accounts for the input: every line read is in a record or is a
// header or blank line, and every record has its result.
func readLine(s *batch.Summary) string {
	in := fmt.Sprintf("%d lines", s.Read.Lines)
	if s.Read.Segments > 0 {
		in = fmt.Sprintf("%d segments", s.Read.Segments)
		if s.Read.Lines > 0 {
			in = fmt.Sprintf("%d lines and %d segments", s.Read.Lines, s.Read.Segments)
		}
	}
	return fmt.Sprintf("read %s: %d records, %d header or blank lines; %d results", in, s.Read.Records, s.Read.Skipped, s.Claims)
}

// notRun ends the run on stderr with the edits that did not run on some
// claims, and on how many: rule ids and counts, nothing of a claim.
func notRun(w io.Writer, s *batch.Summary) {
	if len(s.NotCheckedClaims) == 0 {
		return
	}
	counts := make([]batch.CodeCount, 0, len(s.NotCheckedClaims))
	for r, n := range s.NotCheckedClaims {
		counts = append(counts, batch.CodeCount{Code: r, Count: n})
	}
	sortCounts(counts)
	parts := make([]string, len(counts))
	for i, c := range counts {
		parts[i] = fmt.Sprintf("%s on %d", c.Code, c.Count)
	}
	fmt.Fprintf(w, "medcode: edits not run (not_checked in the results), by claims: %s of %d\n", strings.Join(parts, ", "), s.Claims)
}

func sortCounts(cs []batch.CodeCount) {
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && (cs[j].Count > cs[j-1].Count || cs[j].Count == cs[j-1].Count && cs[j].Code < cs[j-1].Code); j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}

// resultWriter writes batch results in one output format.
type resultWriter interface {
	write(*batch.Result) error
	close() error
}

func newResultWriter(format string, w io.Writer, st iostreams.Styles) (resultWriter, error) {
	switch format {
	case "jsonl":
		return &jsonlWriter{w: w}, nil
	case "csv":
		cw := csv.NewWriter(w)
		err := cw.Write([]string{"seq", "source", "position", "claim_id", "status", "reason", "rule", "severity", "codes", "message", "not_checked"})
		return &csvWriter{cw}, err
	}
	return &textWriter{w: w, st: st}, nil
}

type jsonlWriter struct {
	w   io.Writer
	buf []byte
}

func (j *jsonlWriter) write(r *batch.Result) error {
	j.buf = r.AppendJSON(j.buf[:0])
	_, err := j.w.Write(j.buf)
	return err
}

func (*jsonlWriter) close() error { return nil }

// csvWriter writes a row per finding, and one row for a claim with none,
// so every record appears.
type csvWriter struct{ w *csv.Writer }

func (c *csvWriter) write(r *batch.Result) error {
	base := []string{strconv.Itoa(r.Seq), r.Source, r.Position, r.ClaimID, r.Status, r.Reason}
	not := strings.Join(r.NotChecked, " ")
	if len(r.Findings) == 0 {
		return c.w.Write(append(base, "", "", "", "", not))
	}
	for _, f := range r.Findings {
		if err := c.w.Write(append(append([]string(nil), base...), f.Rule, string(f.Severity), strings.Join(f.Codes, " "), f.Message, not)); err != nil {
			return err
		}
	}
	return nil
}

func (c *csvWriter) close() error {
	c.w.Flush()
	return c.w.Error()
}

type textWriter struct {
	w  io.Writer
	st iostreams.Styles
}

func (t *textWriter) write(r *batch.Result) error {
	st := t.st
	status := st.Good.Render(r.Status)
	switch r.Status {
	case batch.StatusFindings:
		status = st.Warn.Render(r.Status)
		if r.Errors > 0 {
			status = st.Bad.Render(r.Status)
		}
	case batch.StatusUnreadable:
		status = st.Bad.Render(r.Status)
	}
	id := r.ClaimID
	if id == "" {
		id = "(no id)"
	}
	_, err := fmt.Fprintf(t.w, "%s %s  %s\n", st.Code.Render(id), status, st.Dim.Render(r.Source+" "+r.Position))
	if err != nil {
		return err
	}
	if r.Reason != "" {
		fmt.Fprintf(t.w, "    %s\n", r.Reason)
	}
	for _, f := range r.Findings {
		fmt.Fprintf(t.w, "    %-7s %s %s: %s\n", f.Severity, st.Label.Render("["+f.Rule+"]"), strings.Join(f.Codes, " "), f.Message)
	}
	if len(r.NotChecked) > 0 {
		fmt.Fprintf(t.w, "    %s %s\n", st.Dim.Render("not checked:"), strings.Join(r.NotChecked, ", "))
	}
	return nil
}

func (t *textWriter) close() error { return nil }

// progress counts records on stderr, only on a terminal.
type progress struct {
	w      io.Writer
	on     bool
	source string
	n      int
}

func newProgress(io *iostreams.IOStreams, source string) *progress {
	return &progress{w: io.ErrOut, on: io.IsStderrTTY(), source: source}
}

func (p *progress) tick() {
	p.n++
	if p.on && p.n%10000 == 0 {
		fmt.Fprintf(p.w, "\r%s: %d claims", p.source, p.n)
	}
}

func (p *progress) done() {
	if p.on && p.n >= 10000 {
		fmt.Fprintf(p.w, "\r%s: %d claims\n", p.source, p.n)
	}
}
