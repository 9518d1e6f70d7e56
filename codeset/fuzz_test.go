package codeset

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The fuzz targets of the official-file parsers. Each is seeded from the
// hand-written fixtures in testdata/ (and testdata/fuzz/ for inputs that
// once failed) and checks what the parser promises, not only that it
// returns: a record for every record line, fields taken from the input,
// errors that name the file and a line that exists and echo little of it.

const fuzzName = "fuzz.txt"

// addSeeds adds every named fixture as a seed.
func addSeeds(f *testing.F, paths ...string) {
	f.Helper()
	for _, p := range paths {
		b, err := os.ReadFile(filepath.Join("..", "testdata", p))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// lineCount is the number of lines as eachLine numbers them.
func lineCount(b []byte) int {
	n := bytes.Count(b, []byte("\n"))
	if len(b) > 0 && b[len(b)-1] != '\n' {
		n++
	}
	return n
}

// lineOf is line n (1-based) without its line end.
func lineOf(b []byte, n int) string {
	lines := strings.Split(string(b), "\n")
	if n < 1 || n > len(lines) {
		return ""
	}
	return strings.TrimRight(lines[n-1], "\r\n")
}

// checkError asserts a parse error names the file, points at a line the
// input has when it is a LineError, and quotes at most a short excerpt of
// the input. wantLine says a LineError is required: a line parser's only
// errors without a line are about the file as a whole.
func checkError(t *testing.T, err error, in []byte, wantLine bool) {
	t.Helper()
	msg := err.Error()
	if !strings.Contains(msg, fuzzName) {
		t.Fatalf("error does not name the file: %q", msg)
	}
	// The name, a position, a sentence and a ~40-character excerpt (each
	// byte of which %q may spell as four).
	if len(msg) > len(fuzzName)+400 {
		t.Fatalf("error of %d bytes echoes too much input: %.200q", len(msg), msg)
	}
	var le *LineError
	if errors.As(err, &le) {
		if le.File != fuzzName {
			t.Fatalf("LineError names %q", le.File)
		}
		if le.Line < 0 || le.Line > lineCount(in)+1 {
			t.Fatalf("error at line %d of %d: %q", le.Line, lineCount(in), msg)
		}
		return
	}
	if wantLine && !strings.Contains(msg, "no ") {
		t.Fatalf("error names no line: %q", msg)
	}
}

// nonBlankLines lists the numbers of the lines holding more than spaces.
func nonBlankLines(b []byte) []int {
	var out []int
	for i, l := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(strings.TrimRight(l, "\r")) != "" {
			out = append(out, i+1)
		}
	}
	return out
}

func FuzzParseOrderFile(f *testing.F) {
	addSeeds(f, "icd10cm/icd10cm_order_2026.txt", "icd10cm/icd10cm_order_addenda_2026.txt", "cli/bad/truncated/icd10cm_order_2026.txt")
	f.Fuzz(func(t *testing.T, in []byte) {
		tab, err := ParseOrderFile(bytes.NewReader(in), fuzzName)
		if err != nil {
			checkError(t, err, in, true)
			return
		}
		// One record per non-blank line, each from its own line.
		lines := nonBlankLines(in)
		if len(tab.Codes) != len(lines) {
			t.Fatalf("%d records from %d non-blank lines", len(tab.Codes), len(lines))
		}
		for i, c := range tab.Codes {
			l := lineOf(in, lines[i])
			if strings.TrimSpace(l[6:13]) != c.Code || !strings.HasSuffix(strings.TrimSpace(l), c.Long) || c.Billable != (l[14] == '1') {
				t.Fatalf("record %d %+v is not line %d %q", i, c, lines[i], l)
			}
			if _, err := NormalizeICD(c.Code); err != nil {
				t.Fatalf("record %d: code %q accepted but not an ICD-10-CM code: %v", i, c.Code, err)
			}
		}
	})
}

func FuzzParseCodesFile(f *testing.F) {
	addSeeds(f, "icd10cm/icd10cm_codes_2026.txt")
	f.Fuzz(func(t *testing.T, in []byte) {
		tab, err := ParseCodesFile(bytes.NewReader(in), fuzzName)
		if err != nil {
			checkError(t, err, in, true)
			return
		}
		lines := nonBlankLines(in)
		if len(tab.Codes) != len(lines) {
			t.Fatalf("%d records from %d non-blank lines", len(tab.Codes), len(lines))
		}
		for i, c := range tab.Codes {
			l := lineOf(in, lines[i])
			if !strings.HasPrefix(l, c.Code+" ") || !c.Billable {
				t.Fatalf("record %d %+v is not line %d %q", i, c, lines[i], l)
			}
			if _, err := NormalizeICD(c.Code); err != nil {
				t.Fatalf("record %d: code %q accepted but not an ICD-10-CM code: %v", i, c.Code, err)
			}
		}
	})
}

func FuzzParseHCPCS(f *testing.F) {
	addSeeds(f, "hcpcs/HCPC2020_sample_ANWEB.txt", "hcpcs/HCPC2020_bad_layout.txt", "hcpcs/HCPC2020_bad_recid.txt", "hcpcs/HCPC2020_bad_short.txt")
	f.Fuzz(func(t *testing.T, in []byte) {
		h, err := ParseHCPCS(bytes.NewReader(in), fuzzName)
		if err != nil {
			checkError(t, err, in, true)
			return
		}
		if h.Lines > lineCount(in) || len(h.Records) > h.Lines {
			t.Fatalf("%d records and %d record lines from %d lines", len(h.Records), h.Lines, lineCount(in))
		}
		last := 0
		for _, r := range h.Records {
			if r.Line <= last || r.Line > lineCount(in) {
				t.Fatalf("record %s at line %d after line %d", r.Code, r.Line, last)
			}
			last = r.Line
			if l := lineOf(in, r.Line); r.Code == "" || !strings.Contains(l[:min(len(l), 5)], r.Code) {
				t.Fatalf("record %q is not the code of its line %d %.40q", r.Code, r.Line, l)
			}
		}
	})
}

func FuzzParseProcNotes(f *testing.F) {
	addSeeds(f, "hcpcs/proc_notes_sample.txt")
	f.Fuzz(func(t *testing.T, in []byte) {
		notes, err := ParseProcNotes(bytes.NewReader(in), fuzzName)
		if err != nil {
			checkError(t, err, in, true)
			return
		}
		// Each note number opens a line of the file.
		for num := range notes {
			if num == "" || !bytes.Contains(in, []byte(num+"--")) {
				t.Fatalf("note %q is not in the input", num)
			}
		}
	})
}

func FuzzParseTabular(f *testing.F) {
	addSeeds(f, "icd10cm/icd10cm_tabular_2021.xml", "cli/bad/halfxml/icd10cm_tabular_2021.xml")
	f.Fuzz(func(t *testing.T, in []byte) {
		tab, err := ParseTabular(bytes.NewReader(in), fuzzName)
		if err != nil {
			checkError(t, err, in, false)
			return
		}
		// Diags counts every diag in the tree, each one a <diag> element
		// of the input whose name the input holds.
		n := 0
		var walk func(d *TabularDiag)
		walk = func(d *TabularDiag) {
			n++
			if d.Code != "" && !bytes.Contains(bytes.ReplaceAll(in, []byte("."), nil), []byte(d.Code)) {
				t.Fatalf("diag %q is not in the input", d.Code)
			}
			for _, c := range d.Children {
				walk(c)
			}
		}
		for _, c := range tab.Chapters {
			for _, s := range c.Sections {
				for _, d := range s.Diags {
					walk(d)
				}
			}
		}
		if n != tab.Diags || n > bytes.Count(in, []byte("<diag")) {
			t.Fatalf("%d diags in the tree, %d counted, %d <diag in the input", n, tab.Diags, bytes.Count(in, []byte("<diag")))
		}
	})
}

func FuzzParseIndex(f *testing.F) {
	addSeeds(f, "index/icd10cm_index_sample.xml", "index/icd10cm_eindex_sample.xml", "index/icd10cm_drug_sample.xml",
		"index/icd10cm_neoplasm_sample.xml", "index/index_truncated.xml")
	f.Fuzz(func(t *testing.T, in []byte) {
		ix, err := ParseIndex(bytes.NewReader(in), fuzzName)
		if err != nil {
			var le *LineError
			if !errors.As(err, &le) {
				t.Fatalf("ParseIndex error is not a *LineError: %v", err)
			}
			checkError(t, err, in, true)
			return
		}
		// Every term has a path, and its code is text of the input.
		for i, term := range ix.Terms {
			if len(term.Path) == 0 {
				t.Fatalf("term %d has no path: %+v", i, term)
			}
			if term.Code != "" && !bytes.Contains(in, []byte(term.Code)) {
				t.Fatalf("term %d code %q is not in the input", i, term.Code)
			}
		}
	})
}

// checkTableLines asserts that NCCI records come from distinct lines in
// input order, within the file, each holding the record's codes.
func checkTableLines(t *testing.T, in []byte, text bool, lines []int, codes [][]string) {
	t.Helper()
	last := 0
	for i, l := range lines {
		if l <= last || text && l > lineCount(in) {
			t.Fatalf("record %d at line %d after line %d", i, l, last)
		}
		last = l
		if !text {
			continue
		}
		line := lineOf(in, l)
		for _, c := range codes[i] {
			if !strings.Contains(line, c) {
				t.Fatalf("record %d code %q is not on its line %d %.60q", i, c, l, line)
			}
		}
	}
}

func FuzzParsePTP(f *testing.F) {
	addSeeds(f, "ncci/ccipra-v321r0-f1.txt", "ncci/ccipra-v321r0-f1.csv", "ncci/ccioph-v321r0-f1.txt",
		"ncci/ptp-bad-date.txt", "ncci/ptp-bad-modifier.txt", "ncci/ptp-missing-column.txt", "ncci/ptp-no-header.txt")
	f.Fuzz(func(t *testing.T, in []byte) {
		tab, err := ParsePTP(bytes.NewReader(in), fuzzName)
		if err != nil {
			checkError(t, err, in, false)
			return
		}
		lines, codes := make([]int, len(tab.Edits)), make([][]string, len(tab.Edits))
		for i, e := range tab.Edits {
			lines[i], codes[i] = e.Line, []string{e.Column1, e.Column2}
			if e.Modifier != 0 && e.Modifier != 1 && e.Modifier != 9 {
				t.Fatalf("edit %d modifier indicator %d", i, e.Modifier)
			}
		}
		checkTableLines(t, in, true, lines, codes)
	})
}

func FuzzParseMUE(f *testing.F) {
	addSeeds(f, "ncci/MCR_MUE_PractitionerServices.csv", "ncci/MCR_MUE_DMESupplierServices.csv", "ncci/mue-bad-indicator.csv", "ncci/mue-no-header.csv")
	f.Fuzz(func(t *testing.T, in []byte) {
		tab, err := ParseMUE(bytes.NewReader(in), fuzzName)
		if err != nil {
			checkError(t, err, in, false)
			return
		}
		lines, codes := make([]int, len(tab.Edits)), make([][]string, len(tab.Edits))
		for i, e := range tab.Edits {
			lines[i], codes[i] = e.Line, []string{e.Code}
			if e.Indicator < 1 || e.Indicator > 3 || e.Value < 0 {
				t.Fatalf("edit %d indicator %d value %d", i, e.Indicator, e.Value)
			}
		}
		checkTableLines(t, in, true, lines, codes)
	})
}

// The xlsx forms are zips of XML; the fuzzer mostly meets the zip
// reader's refusals, and the seeds' own sheets mutated.
func FuzzParsePTPXLSX(f *testing.F) {
	addSeeds(f, "ncci/ccipra-v321r0-f1.xlsx")
	f.Fuzz(func(t *testing.T, in []byte) {
		tab, err := ParsePTPXLSX(bytes.NewReader(in), int64(len(in)), fuzzName)
		if err != nil {
			checkError(t, err, in, false)
			return
		}
		lines, codes := make([]int, len(tab.Edits)), make([][]string, len(tab.Edits))
		for i, e := range tab.Edits {
			lines[i], codes[i] = e.Line, []string{e.Column1, e.Column2}
		}
		checkTableLines(t, in, false, lines, codes)
	})
}

func FuzzParseMUEXLSX(f *testing.F) {
	addSeeds(f, "ncci/MCR_MUE_PractitionerServices.xlsx")
	f.Fuzz(func(t *testing.T, in []byte) {
		tab, err := ParseMUEXLSX(bytes.NewReader(in), int64(len(in)), fuzzName)
		if err != nil {
			checkError(t, err, in, false)
			return
		}
		lines, codes := make([]int, len(tab.Edits)), make([][]string, len(tab.Edits))
		for i, e := range tab.Edits {
			lines[i], codes[i] = e.Line, []string{e.Code}
		}
		checkTableLines(t, in, false, lines, codes)
	})
}

func FuzzParseCatalog(f *testing.F) {
	f.Add(defaultCatalog)
	f.Fuzz(func(t *testing.T, in []byte) {
		c, err := ParseCatalog(in, fuzzName)
		if err != nil {
			// YAML ends a line at a lone CR too; count lines as it does.
			checkError(t, err, bytes.ReplaceAll(bytes.ReplaceAll(in, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n")), false)
			return
		}
		// Every release and file says where it starts, and a release the
		// catalogue names is found by its name.
		for _, r := range c.Releases {
			if r.Line < 1 || r.Line > yamlLines(in) || c.Find(r.Name) == nil {
				t.Fatalf("release %q at line %d of %d, found %v", r.Name, r.Line, yamlLines(in), c.Find(r.Name) != nil)
			}
			for _, file := range r.Files {
				if file.Line < r.Line || file.Line > yamlLines(in) || file.Name == "" {
					t.Fatalf("release %q file %q at line %d", r.Name, file.Name, file.Line)
				}
			}
		}
	})
}

// yamlLines counts lines as YAML does: CR, LF and CRLF each end one.
func yamlLines(b []byte) int {
	return lineCount(bytes.ReplaceAll(bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n")))
}
