package codeset

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
	"google.golang.org/protobuf/proto"

	"github.com/medcode/medcode/codeset/mcepb"
)

// The MCE tables and the conversion table came after the other parsers'
// fuzz targets; their seeds are written here in the official layouts,
// with codes, titles and dates of the official files (TestConversionBadRow
// and the MCE tests check those against the real ones).

func mceSeed(t testing.TB) []byte {
	root := &mcepb.Root{
		DateFormat: "yyyyMMdd", Version: 431, TerminationDate: "20260930",
		AgeRangeRoot: &mcepb.AgeRangeRoot{AgeRangeEntries: []*mcepb.AgeRangeEntry{
			{AgeGroup: "Adult", StartAge: 15, EndAge: 124, StartDate: "20151001"},
			{AgeGroup: "Maternity", StartAge: 12, EndAge: 55, StartDate: "20151001", EndDate: "20190930"},
			{AgeGroup: "Maternity", StartAge: 9, EndAge: 64, StartDate: "20191001"},
		}},
		I10DxMasterRoot: &mcepb.CodeMasterRoot{CodeMasterEntries: []*mcepb.CodeMasterEntry{
			{Code: "E119", StartDate: "20151001"},
			{Code: "O800", StartDate: "20151001", Flags: []string{"maternity"}},
			{Code: "R69", StartDate: "20151001", Flags: []string{"unacceptable"}},
		}},
	}
	b, err := proto.Marshal(root)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func FuzzParseMCE(f *testing.F) {
	f.Add(mceSeed(f))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, in []byte) {
		tab, err := ParseMCE(bytes.NewReader(in), fuzzName)
		if err != nil {
			checkError(t, err, in, false)
			return
		}
		rows := 0
		for code, rs := range tab.Dx {
			if _, err := NormalizeICD(code); err != nil {
				t.Fatalf("kept code %q: %v", code, err)
			}
			for i, r := range rs {
				if i > 0 && r.From.Before(rs[i-1].From) {
					t.Fatalf("rows of %s out of date order", code)
				}
				if r.From.Before(tab.First) {
					t.Fatalf("row of %s from %s before the tables' first date %s", code, r.From, tab.First)
				}
			}
			rows += len(rs)
		}
		if rows != tab.Rows || rows == 0 {
			t.Fatalf("counted %d rows, kept %d", tab.Rows, rows)
		}
	})
}

func conversionSeed(t testing.TB, rows [][]string) []byte {
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
	return buf.Bytes()
}

func FuzzParseConversion(f *testing.F) {
	f.Add(conversionSeed(f, [][]string{
		{"Current code assignment", "Effective", "Previous Code(s) Assignment"},
		{"A04.71", "2017", "A04.7"},
		{"H36.811", "2023", "H35.20-H35.23"},
	}))
	f.Fuzz(func(t *testing.T, in []byte) {
		tab, err := ParseConversionXLSX(bytes.NewReader(in), int64(len(in)), fuzzName)
		if err != nil {
			checkError(t, err, in, false)
			return
		}
		last := 0
		for _, r := range tab.Rows {
			if r.Line <= last {
				t.Fatalf("row at sheet row %d after row %d", r.Line, last)
			}
			last = r.Line
			if !codeCellRe.MatchString(r.Code) {
				t.Fatalf("sheet row %d keeps code %q", r.Line, r.Code)
			}
		}
	})
}
