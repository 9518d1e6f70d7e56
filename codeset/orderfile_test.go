package codeset

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/medcode/medcode/codeset/officialtest"
)

// ignoreLine: record contents are compared; TestCompareCodesToOrderOfficial
// checks the line numbers.
var ignoreLine = cmpopts.IgnoreFields(OrderCode{}, "Line")

// icdFixtures holds small excerpts of the official ICD-10-CM files, every
// line copied unchanged (TestICDFixturesMatchOfficial checks that).
const icdFixtures = "../testdata/icd10cm"

const (
	fixtureOrder   = "icd10cm_order_2026.txt"
	fixtureCodes   = "icd10cm_codes_2026.txt"
	fixtureAddenda = "icd10cm_order_addenda_2026.txt"
	fixtureTabular = "icd10cm_tabular_2021.xml"
)

func icdFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(icdFixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// icdFixtureLines splits a CRLF fixture into its lines without line ends.
func icdFixtureLines(t testing.TB, name string) []string {
	t.Helper()
	b := icdFixture(t, name)
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Fatalf("%s does not end in CRLF", name)
	}
	return strings.Split(string(b[:len(b)-2]), "\r\n")
}

// wantLineError checks that err is a *LineError at file:line whose text
// contains msg.
func wantLineError(t *testing.T, err error, file string, line int, msg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %s:%d: ...%s...", file, line, msg)
	}
	var le *LineError
	if !errors.As(err, &le) {
		t.Fatalf("error %q (%T) is not a *LineError", err, err)
	}
	if le.File != file || le.Line != line {
		t.Errorf("error at %s:%d, want %s:%d (%v)", le.File, le.Line, file, line, err)
	}
	if !strings.Contains(err.Error(), msg) {
		t.Errorf("error %q does not contain %q", err, msg)
	}
}

func TestParseOrderFileFixture(t *testing.T) {
	tab, err := ParseOrderFile(bytes.NewReader(icdFixture(t, fixtureOrder)), fixtureOrder)
	if err != nil {
		t.Fatal(err)
	}
	if !tab.HasHeaders {
		t.Error("HasHeaders = false for an order file")
	}
	if got, want := len(tab.Codes), 42; got != want {
		t.Errorf("%d codes, want %d", got, want)
	}
	if got, want := tab.Billable(), 25; got != want {
		t.Errorf("Billable() = %d, want %d", got, want)
	}
	byCode := map[string]OrderCode{}
	for i, c := range tab.Codes {
		if i > 0 && c.Order <= tab.Codes[i-1].Order {
			t.Errorf("order %d of %s does not follow %d", c.Order, c.Code, tab.Codes[i-1].Order)
		}
		if strings.Contains(c.Code, " ") || strings.Contains(c.Code, ".") {
			t.Errorf("code %q is not trimmed and undotted", c.Code)
		}
		byCode[c.Code] = c
	}
	tests := []OrderCode{
		{Order: 4301, Code: "E11", Billable: false, Short: "Type 2 diabetes mellitus", Long: "Type 2 diabetes mellitus"},
		{Order: 4416, Code: "E119", Billable: true, Short: "Type 2 diabetes mellitus without complications", Long: "Type 2 diabetes mellitus without complications"},
		{Order: 4303, Code: "E1100", Billable: true,
			Short: "Type 2 diab w hyprosm w/o nonket hyprgly-hypros coma (NKHHC)",
			Long:  "Type 2 diabetes mellitus with hyperosmolarity without nonketotic hyperglycemic-hyperosmolar coma (NKHHC)"},
		// E11A: a letter in position 4, new in FY2026.
		{Order: 4417, Code: "E11A", Billable: true, Short: "Type 2 diabetes mellitus without complications in remission", Long: "Type 2 diabetes mellitus without complications in remission"},
		{Order: 11580, Code: "I10", Billable: true, Short: "Essential (primary) hypertension", Long: "Essential (primary) hypertension"},
		{Order: 13571, Code: "J449", Billable: true, Short: "Chronic obstructive pulmonary disease, unspecified", Long: "Chronic obstructive pulmonary disease, unspecified"},
		// QA0: a letter in position 2, new in FY2026.
		{Order: 30493, Code: "QA0", Billable: false, Short: "Neurodev disord related to specific genetic patho variants", Long: "Neurodevelopmental disorders related to specific genetic pathogenic variants"},
		{Order: 30497, Code: "QA00101", Billable: true, Short: "SCN2A-related neurodevelopmental disorder", Long: "SCN2A-related neurodevelopmental disorder"},
		{Order: 57426, Code: "S72001", Billable: false, Short: "Fracture of unspecified part of neck of right femur", Long: "Fracture of unspecified part of neck of right femur"},
		{Order: 57427, Code: "S72001A", Billable: true, Short: "Fracture of unsp part of neck of right femur, init", Long: "Fracture of unspecified part of neck of right femur, initial encounter for closed fracture"},
		{Order: 92029, Code: "W19XXXA", Billable: true, Short: "Unspecified fall, initial encounter", Long: "Unspecified fall, initial encounter"},
	}
	for _, want := range tests {
		got, ok := byCode[want.Code]
		if !ok {
			t.Errorf("%s missing", want.Code)
			continue
		}
		if diff := cmp.Diff(want, got, ignoreLine); diff != "" {
			t.Errorf("%s (-want +got):\n%s", want.Code, diff)
		}
	}
	// Placeholder levels do not exist: W19 goes straight to W19XXXA.
	for _, c := range []string{"W19X", "W19XX", "W19XXX"} {
		if _, ok := byCode[c]; ok {
			t.Errorf("%s should not be a record", c)
		}
	}
}

// orderInput builds an order file from the fixture, letting a test damage
// one line (1-based) and choose whether the file ends in CRLF.
func orderInput(t *testing.T, damage map[int]string, finalCRLF bool) string {
	t.Helper()
	lines := icdFixtureLines(t, fixtureOrder)
	for n, l := range damage {
		lines[n-1] = l
	}
	s := strings.Join(lines, "\r\n")
	if finalCRLF {
		s += "\r\n"
	}
	return s
}

func TestParseOrderFileErrors(t *testing.T) {
	lines := icdFixtureLines(t, fixtureOrder)
	last := len(lines)
	garbage := "This page is temporarily unavailable. Please try again later, or contact the webmaster."
	if len(garbage) < 78 {
		t.Fatal("garbage line must reach the long title column")
	}
	tests := []struct {
		name  string
		input string
		line  int
		msg   string
	}{
		{"line cut before the long title", orderInput(t, map[int]string{3: lines[2][:50]}, true), 3, "cut short at column 51"},
		{"line cut right before column 78", orderInput(t, map[int]string{7: lines[6][:77]}, true), 7, "cut short at column 78"},
		{"no final CRLF", orderInput(t, nil, false), last, "truncated"},
		{"last line cut and no final CRLF", orderInput(t, map[int]string{last: lines[last-1][:40]}, false), last, "cut short"},
		{"garbage line", orderInput(t, map[int]string{2: garbage}, true), 2, "not an order file record"},
		{"codes file line", orderInput(t, map[int]string{5: "E119    Type 2 diabetes mellitus without complications                              x"}, true), 5, "not an order file record"},
		{"bad flag", orderInput(t, map[int]string{4: strings.Replace(lines[3], " 1 ", " 2 ", 1)}, true), 4, "not an order file record"},
		{"code starting with a digit", orderInput(t, map[int]string{1: "0" + lines[0][1:6] + "1" + lines[0][7:]}, true), 1, "not an order file record"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseOrderFile(strings.NewReader(tt.input), "order.txt")
			wantLineError(t, err, "order.txt", tt.line, tt.msg)
		})
	}
}

func TestParseOrderFileEmpty(t *testing.T) {
	for _, in := range []string{"", "\r\n", "\r\n   \r\n"} {
		tab, err := ParseOrderFile(strings.NewReader(in), "empty.txt")
		if err == nil {
			t.Errorf("ParseOrderFile(%q) = %d codes, want an error", in, len(tab.Codes))
			continue
		}
		if !strings.Contains(err.Error(), "no ICD-10-CM order records") || !strings.Contains(err.Error(), "empty.txt") {
			t.Errorf("ParseOrderFile(%q): error %q", in, err)
		}
	}
}

func TestParseOrderFileBlankLinesAndLF(t *testing.T) {
	// Blank lines are ignored, and LF-only line ends are read too.
	lines := icdFixtureLines(t, fixtureOrder)
	in := lines[0] + "\n\n" + lines[1] + "\n"
	tab, err := ParseOrderFile(strings.NewReader(in), "lf.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Codes) != 2 || tab.Codes[0].Code != "E10" || tab.Codes[1].Code != "E101" {
		t.Errorf("got %+v", tab.Codes)
	}
}

func TestParseCodesFileFixture(t *testing.T) {
	codes, err := ParseCodesFile(bytes.NewReader(icdFixture(t, fixtureCodes)), fixtureCodes)
	if err != nil {
		t.Fatal(err)
	}
	if codes.HasHeaders {
		t.Error("HasHeaders = true for a codes file")
	}
	order, err := ParseOrderFile(bytes.NewReader(icdFixture(t, fixtureOrder)), fixtureOrder)
	if err != nil {
		t.Fatal(err)
	}
	// The codes file is the billable part of the order file, with the same
	// long titles and no order numbers or short titles.
	var want []OrderCode
	for _, c := range order.Codes {
		if c.Billable {
			want = append(want, OrderCode{Code: c.Code, Billable: true, Long: c.Long})
		}
	}
	if diff := cmp.Diff(want, codes.Codes, ignoreLine); diff != "" {
		t.Errorf("codes file vs billable order records (-want +got):\n%s", diff)
	}
	if codes.Billable() != len(codes.Codes) {
		t.Errorf("Billable() = %d, want %d", codes.Billable(), len(codes.Codes))
	}
}

func TestParseCodesFileErrors(t *testing.T) {
	lines := icdFixtureLines(t, fixtureCodes)
	join := func(ls []string, crlf bool) string {
		s := strings.Join(ls, "\r\n")
		if crlf {
			s += "\r\n"
		}
		return s
	}
	withLine := func(n int, l string) []string {
		out := append([]string(nil), lines...)
		out[n-1] = l
		return out
	}
	orderLine := icdFixtureLines(t, fixtureOrder)[1]
	tests := []struct {
		name  string
		input string
		line  int
		msg   string
	}{
		{"no final CRLF", join(lines, false), len(lines), "truncated"},
		{"order file line", join(withLine(2, orderLine), true), 2, "not a codes file record"},
		{"code without title", join(withLine(3, "E119"), true), 3, "not a codes file record"},
		{"lower case code", join(withLine(4, "e119    Type 2 diabetes mellitus without complications"), true), 4, "not a codes file record"},
		{"code too long", join(withLine(5, "E1199999 Type 2 diabetes"), true), 5, "not a codes file record"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseCodesFile(strings.NewReader(tt.input), "codes.txt")
			wantLineError(t, err, "codes.txt", tt.line, tt.msg)
		})
	}
	if _, err := ParseCodesFile(strings.NewReader(""), "codes.txt"); err == nil || !strings.Contains(err.Error(), "no ICD-10-CM code records") {
		t.Errorf("empty codes file: error %v", err)
	}
}

func TestLooksLikeOrderAndCodesFile(t *testing.T) {
	order := icdFixture(t, fixtureOrder)
	codes := icdFixture(t, fixtureCodes)
	tests := []struct {
		name         string
		head         []byte
		order, codes bool
	}{
		{"order file", order, true, false},
		{"order head cut mid-line", order[:200], true, false},
		{"order head cut inside the first record", order[:30], true, false},
		{"one order record without line end", bytes.TrimRight(bytes.SplitAfter(order, []byte("\n"))[0], "\r\n"), true, false},
		{"codes file", codes, false, true},
		{"codes head cut mid-line", codes[:100], false, true},
		{"addenda", icdFixture(t, fixtureAddenda), false, false},
		{"tabular", icdFixture(t, fixtureTabular), false, false},
		{"empty", nil, false, false},
		{"prose", []byte("Hello, this is a README.\r\nIt has lines.\r\nMore lines.\r\n"), false, false},
		{"order file with a bad third line", []byte(strings.Join(icdFixtureLines(t, fixtureOrder)[:2], "\r\n") + "\r\nnot a record\r\n"), false, false},
	}
	for _, tt := range tests {
		if got := LooksLikeOrderFile(tt.head); got != tt.order {
			t.Errorf("LooksLikeOrderFile(%s) = %v, want %v", tt.name, got, tt.order)
		}
		if got := LooksLikeCodesFile(tt.head); got != tt.codes {
			t.Errorf("LooksLikeCodesFile(%s) = %v, want %v", tt.name, got, tt.codes)
		}
	}
}

// TestICDFixturesMatchOfficial checks that the fixtures are excerpts of the
// official files: order, codes and addenda lines byte-identical, every line
// of the Tabular excerpt a line of the official XML, and every code, title
// and note of it what the official Tabular List says.
func TestICDFixturesMatchOfficial(t *testing.T) {
	dir := officialtest.Dir(t)
	officialLines := func(t *testing.T, rel string) map[string]bool {
		t.Helper()
		f, err := os.Open(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatal(err)
			}
			t.Skip(err)
		}
		defer f.Close()
		set := map[string]bool{}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		sc.Split(splitCRLF)
		for sc.Scan() {
			set[sc.Text()] = true
		}
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
		return set
	}
	for _, tt := range []struct{ fixture, official string }{
		{fixtureOrder, "cms-icd10cm/icd10cm_order_2026.txt"},
		{fixtureCodes, "cms-icd10cm/icd10cm_codes_2026.txt"},
		{fixtureAddenda, "cms-icd10cm/icd10cm_order_addenda_2026.txt"},
		{fixtureTabular, "cdc-icd10cm-xml/icd10cm_tabular_2021.xml"},
		// The whole-CLI tests' fixtures are excerpts too.
		{"../cli/" + fixtureOrder, "cms-icd10cm/icd10cm_order_2026.txt"},
		{"../cli/" + fixtureTabular, "cdc-icd10cm-xml/icd10cm_tabular_2021.xml"},
	} {
		t.Run(tt.fixture, func(t *testing.T) {
			set := officialLines(t, tt.official)
			for i, l := range icdFixtureLines(t, tt.fixture) {
				if !set[l] {
					t.Errorf("%s:%d is not a line of %s: %q", tt.fixture, i+1, tt.official, l)
				}
			}
		})
	}

	t.Run("tabular content", func(t *testing.T) {
		path := filepath.Join(dir, "cdc-icd10cm-xml", fixtureTabular)
		f, err := os.Open(path)
		if err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatal(err)
			}
			t.Skip(err)
		}
		defer f.Close()
		official, err := ParseTabular(f, path)
		if err != nil {
			t.Fatal(err)
		}
		fixture, err := ParseTabular(bytes.NewReader(icdFixture(t, fixtureTabular)), fixtureTabular)
		if err != nil {
			t.Fatal(err)
		}
		want := tabularDiags(official)
		n := 0
		for code, d := range tabularDiags(fixture) {
			n++
			o := want[code]
			if o == nil {
				t.Errorf("%s is not in the official Tabular List", code)
				continue
			}
			if d.Desc != o.Desc {
				t.Errorf("%s: desc %q, official %q", code, d.Desc, o.Desc)
			}
			if diff := cmp.Diff(o.Notes, d.Notes); diff != "" {
				t.Errorf("%s notes (-official +fixture):\n%s", code, diff)
			}
		}
		if n != fixture.Diags {
			t.Errorf("%d distinct codes, %d diags", n, fixture.Diags)
		}
		chapters := map[string]*TabularChapter{}
		sections := map[string]*TabularSection{}
		for _, c := range official.Chapters {
			chapters[c.Num] = c
			for _, s := range c.Sections {
				sections[s.ID] = s
			}
		}
		for _, c := range fixture.Chapters {
			o := chapters[c.Num]
			if o == nil || o.Desc != c.Desc || !cmp.Equal(o.Notes, c.Notes) {
				t.Errorf("chapter %s differs from the official one", c.Num)
			}
			for _, s := range c.Sections {
				o := sections[s.ID]
				if o == nil || o.Desc != s.Desc || o.First != s.First || o.Last != s.Last || !cmp.Equal(o.Notes, s.Notes) {
					t.Errorf("section %s differs from the official one", s.ID)
				}
			}
		}
	})

	t.Run("order titles", func(t *testing.T) {
		path := filepath.Join(dir, "cms-icd10cm", fixtureOrder)
		f, err := os.Open(path)
		if err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatal(err)
			}
			t.Skip(err)
		}
		defer f.Close()
		official, err := ParseOrderFile(f, path)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]OrderCode{}
		for _, c := range official.Codes {
			want[c.Code] = c
		}
		fixture, err := ParseOrderFile(bytes.NewReader(icdFixture(t, fixtureOrder)), fixtureOrder)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range fixture.Codes {
			if diff := cmp.Diff(want[c.Code], c, ignoreLine); diff != "" {
				t.Errorf("%s (-official +fixture):\n%s", c.Code, diff)
			}
		}
	})
}

// splitCRLF splits on CRLF only, so that a bare CR or LF stays visible.
func splitCRLF(data []byte, atEOF bool) (int, []byte, error) {
	if i := bytes.Index(data, []byte("\r\n")); i >= 0 {
		return i + 2, data[:i], nil
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	return 0, nil, nil
}

// tabularDiags flattens a Tabular List by code.
func tabularDiags(t *Tabular) map[string]*TabularDiag {
	out := map[string]*TabularDiag{}
	var walk func(d *TabularDiag)
	walk = func(d *TabularDiag) {
		out[d.Code] = d
		for _, c := range d.Children {
			walk(c)
		}
	}
	for _, c := range t.Chapters {
		for _, s := range c.Sections {
			for _, d := range s.Diags {
				walk(d)
			}
		}
	}
	return out
}

// The FY2026 codes and order files agree record by record; FY2025's order
// file is another release, and disagrees on every code added, deleted or
// retitled.
func TestCompareCodesToOrderOfficial(t *testing.T) {
	order, err := ParseOrderFile(bytes.NewReader(officialtest.File(t, "cms-icd10cm/icd10cm_order_2026.txt")), "icd10cm_order_2026.txt")
	if err != nil {
		t.Fatal(err)
	}
	codes, err := ParseCodesFile(bytes.NewReader(officialtest.File(t, "cms-icd10cm/icd10cm_codes_2026.txt")), "icd10cm_codes_2026.txt")
	if err != nil {
		t.Fatal(err)
	}
	if ds := CompareCodesToOrder(order, codes); len(ds) != 0 {
		t.Errorf("%d disagreements, first %s", len(ds), ds[0].Describe("order", "codes"))
	}
	// One title changed in memory: named with both lines.
	i := len(codes.Codes) / 2
	codes.Codes[i].Long += " (changed)"
	ds := CompareCodesToOrder(order, codes)
	if len(ds) != 1 || ds[0].What != "long title" || ds[0].Codes.Line != i+1 || ds[0].Order == nil || ds[0].Order.Line == 0 {
		t.Errorf("after a change: %+v", ds)
	}
}
