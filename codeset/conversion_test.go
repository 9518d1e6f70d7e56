package codeset

import (
	"bytes"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/medcode/medcode/codeset/officialtest"
)

const officialConversion = "cms-icd10cm/ICD-10-CM-CONVERSION-TABLE-FY2026.xlsx"

func TestConversionTableOfficial(t *testing.T) {
	b := officialtest.File(t, officialConversion)
	if !SniffConversionXLSX(bytes.NewReader(b), int64(len(b))) {
		t.Fatal("conversion table not recognised by its content")
	}
	tab, err := ParseConversionXLSX(bytes.NewReader(b), int64(len(b)), officialConversion)
	if err != nil {
		t.Fatal(err)
	}
	// PROVENANCE.md: 5896 sheet rows, of which a title and a header row.
	if tab.Year != 2026 || len(tab.Rows) != 5892 {
		t.Fatalf("year %d, %d rows; want 2026, 5892", tab.Year, len(tab.Rows))
	}
	// 487 codes took effect on 1 October 2025, FY2026's additions.
	n := 0
	for _, r := range tab.Rows {
		if r.Effective.Equal(time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)) {
			n++
		}
	}
	if n != 487 {
		t.Errorf("%d rows effective 2025-10-01, want 487", n)
	}
	cases := map[string][]string{
		"G35":     {"G35A", "G35B0", "G35B1", "G35B2", "G35C0", "G35C1", "G35C2", "G35D"},
		"A047":    {"A0471", "A0472"},
		"W458XXA": {"W269XXA", "W453XXA"}, // W453XXA is an undotted cell
		"H3521":   nil,                    // covered by the range H35.20-H35.23: checked below
	}
	for prev, want := range cases {
		if want == nil {
			continue
		}
		var got []string
		for _, r := range tab.Replacing(prev) {
			got = append(got, r.Code)
		}
		if !equalStrings(got, want) {
			t.Errorf("Replacing(%s) = %v, want %v", prev, got, want)
		}
	}
	if len(tab.Replacing("H3521")) == 0 {
		t.Error("no row names H35.21 through the range H35.20-H35.23")
	}
	if len(tab.Replacing("T150")) == 0 {
		t.Error("no row names T15.0 through \"Codes in Categories T15-T19\"")
	}
	for _, r := range tab.Rows {
		if r.Code == "A0472" && (r.PreviousText != "A04.7" || r.Effective.Year() != 2017) {
			t.Errorf("row of A04.72 = %+v", r)
		}
	}
}

func TestConversionScannedByContent(t *testing.T) {
	dir := officialtest.Dir(t)
	srcs, _, err := Scan([]string{filepath.Join(dir, officialConversion)})
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) != 1 || srcs[0].Kind != KindConversion {
		t.Fatalf("scan found %v", srcs)
	}
	f, err := Identify(srcs[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	if f.Year != 2026 {
		t.Errorf("year %d from the name, want 2026", f.Year)
	}
}

func TestCodeSpanCovers(t *testing.T) {
	for _, c := range []struct {
		span CodeSpan
		code string
		want bool
	}{
		{CodeSpan{From: "A047"}, "A047", true},
		{CodeSpan{From: "A047"}, "A0471", false},
		{CodeSpan{From: "I63", Below: true}, "I6350", true},
		{CodeSpan{From: "Y9301", To: "Y939"}, "Y9311", true},
		{CodeSpan{From: "Y9301", To: "Y939"}, "Y9300", false},
		{CodeSpan{From: "T15", To: "T19"}, "T198XXA", true},
		{CodeSpan{From: "T15", To: "T19"}, "T20", false},
	} {
		if got := c.span.Covers(c.code); got != c.want {
			t.Errorf("%v covers %s = %v", c.span, c.code, got)
		}
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// The conversion table spans every year: loaded with two releases, it goes
// to the one of its year only.
func TestConversionAttachesToOneRelease(t *testing.T) {
	table := func(year int) *File {
		return &File{Source: &Source{Path: "icd10cm_order_" + strconv.Itoa(year) + ".txt", Kind: KindOrder}, Release: NewRelease(ICD10CM, year, 0), Year: year}
	}
	conv := &File{Source: &Source{Path: "ICD-10-CM-CONVERSION-TABLE-FY2026.xlsx", Kind: KindConversion, XLSX: true}, Year: 2026}
	bundles, err := Group([]*File{table(2025), table(2026), conv}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bundles {
		_, has := b.Supplements[KindConversion]
		if has != (b.Release.Year == 2026) {
			t.Errorf("%s has the conversion table: %v", b.Release.ID(), has)
		}
		if len(b.Warnings) > 0 {
			t.Errorf("%s: warnings %v", b.Release.ID(), b.Warnings)
		}
	}
}

// TestConversionBadRow: a row the parser cannot read is an error naming
// the file and the sheet row. The good rows are the official file's own.
func TestConversionBadRow(t *testing.T) {
	official := map[string]ConversionRow{}
	b := officialtest.File(t, officialConversion)
	tab, err := ParseConversionXLSX(bytes.NewReader(b), int64(len(b)), officialConversion)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range tab.Rows {
		official[r.Code] = r
	}
	rows := [][]string{
		{"This FY 2026 (October 1, 2025 Update) Conversion Table includes the new ICD-10-CM codes"},
		{"Current code assignment", "Effective", "Previous Code(s) Assignment"},
		{"A04.71", "2017", "A04.7"},
		{"H36.811", "2023", "H35.20-H35.23"},
		{"A04.72", "soon", "A04.7"},
	}
	for _, r := range rows[2:4] {
		o, ok := official[UndotICD(r[0])]
		if !ok || o.PreviousText != r[2] || strconv.Itoa(o.Effective.Year()) != r[1] {
			t.Fatalf("fixture row %v is not the official file's (%+v)", r, o)
		}
	}
	x := excelize.NewFile()
	for i, r := range rows {
		for j, v := range r {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			x.SetCellValue("Sheet1", cell, v)
		}
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if !SniffConversionXLSX(bytes.NewReader(buf.Bytes()), int64(buf.Len())) {
		t.Fatal("fixture workbook not recognised")
	}
	_, err = ParseConversionXLSX(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "fixture.xlsx")
	if err == nil || err.Error() != `fixture.xlsx:5: effective "soon" is neither a year nor a date` {
		t.Fatalf("error %v", err)
	}
}
