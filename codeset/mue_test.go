package codeset

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func parseMUEFixture(t *testing.T, name string) *MUETable {
	t.Helper()
	b := ncciFile(t, name)
	var tab *MUETable
	var err error
	if strings.HasSuffix(name, ".xlsx") {
		tab, err = ParseMUEXLSX(bytes.NewReader(b), int64(len(b)), name)
	} else {
		tab, err = ParseMUE(bytes.NewReader(b), name)
	}
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func TestParseMUEPractitioner(t *testing.T) {
	tab := parseMUEFixture(t, "MCR_MUE_PractitionerServices.csv")
	if tab.Service != "practitioner" {
		t.Errorf("service %q, want practitioner", tab.Service)
	}
	if len(tab.Edits) != 14 {
		t.Fatalf("%d edits, want 14", len(tab.Edits))
	}
	want := map[int]MUEEdit{
		0:  {Code: "0001U", Value: 1, Indicator: 2, IndicatorText: "Date of Service Edit: Policy", Rationale: "Code Descriptor / CPT Instruction", Line: 5},
		3:  {Code: "11045", Value: 12, Indicator: 3, IndicatorText: "Date of Service Edit: Clinical", Rationale: "Clinical: Data", Line: 8},
		12: {Code: "J1100", Value: 100, Indicator: 3, IndicatorText: "Date of Service Edit: Clinical", Rationale: "Clinical: Data", Line: 17},
	}
	for i, w := range want {
		if d := cmp.Diff(w, tab.Edits[i]); d != "" {
			t.Errorf("edit %d (-want +got):\n%s", i, d)
		}
	}
}

func TestParseMUEDME(t *testing.T) {
	tab := parseMUEFixture(t, "MCR_MUE_DMESupplierServices.csv")
	if tab.Service != "dme" {
		t.Errorf("service %q, want dme", tab.Service)
	}
	if len(tab.Edits) != 10 {
		t.Fatalf("%d edits, want 10", len(tab.Edits))
	}
	ind := map[int]int{}
	for _, e := range tab.Edits {
		ind[e.Indicator]++
	}
	if ind[1] != 3 || ind[2] != 3 || ind[3] != 4 {
		t.Errorf("indicators %v, want map[1:3 2:3 3:4]", ind)
	}
	if e := tab.Edits[5]; e.Code != "E0260" || e.Value != 1 || e.Indicator != 1 || e.IndicatorText != "Line Edit" || e.Rationale != "Nature of Equipment" || e.Line != 10 {
		t.Errorf("E0260: %+v", e)
	}
}

func TestParseMUEXLSXAgrees(t *testing.T) {
	csv := parseMUEFixture(t, "MCR_MUE_PractitionerServices.csv")
	x := parseMUEFixture(t, "MCR_MUE_PractitionerServices.xlsx")
	if x.Service != csv.Service {
		t.Errorf("service %q, want %q", x.Service, csv.Service)
	}
	// The xlsx has no blank row under the title, so each row is one up.
	for i := range x.Edits {
		if x.Edits[i].Line != csv.Edits[i].Line-1 {
			t.Errorf("edit %d on row %d, want %d", i, x.Edits[i].Line, csv.Edits[i].Line-1)
		}
		x.Edits[i].Line = csv.Edits[i].Line
	}
	if d := cmp.Diff(csv.Edits, x.Edits); d != "" {
		t.Errorf("xlsx differs from csv (-csv +xlsx):\n%s", d)
	}
}

func TestParseMUEVariants(t *testing.T) {
	tests := []struct {
		name, in, service string
		want              MUEEdit
	}{
		{"MCR_MUE_OutpatientHospitalServices.csv",
			"HCPCS/CPT Code,Outpatient Hospital Services MUE Values,MUE Adjudication Indicator,MUE Rationale\r\n36415,2,3 Date of Service Edit: Clinical,Clinical: Data\r\n",
			"outpatient", MUEEdit{Code: "36415", Value: 2, Indicator: 3, IndicatorText: "Date of Service Edit: Clinical", Rationale: "Clinical: Data", Line: 2}},
		// The service from the title, then from the name, when the header does not say.
		{"mue.csv", "Medicare NCCI DME Supplier Services MUE Table\r\nHCPCS/CPT Code,MUE Values,MUE Adjudication Indicator\r\nE0601,1,1\r\n",
			"dme", MUEEdit{Code: "E0601", Value: 1, Indicator: 1, IndicatorText: "Line Edit", Line: 3}},
		{"MCR_MUE_PractitionerServices_Eff_10-01-2025.csv", "HCPCS/CPT Code,MUE Values,MUE Adjudication Indicator,MUE Rationale\r\n99213,2,2,Clinical: Data\r\n",
			"practitioner", MUEEdit{Code: "99213", Value: 2, Indicator: 2, IndicatorText: "Date of Service Edit: Policy", Rationale: "Clinical: Data", Line: 2}},
		// Columns in another order, a header split inside quotes, tab-delimited.
		{"x.txt", "MUE Rationale\t\"HCPCS/CPT\nCode\"\t\"Practitioner Services\nMUE Values\"\t\"MUE Adjudication\nIndicator\"\r\nAnatomic Consideration\t20610\t2\t2 Date of Service Edit: Policy\r\n",
			"practitioner", MUEEdit{Code: "20610", Value: 2, Indicator: 2, IndicatorText: "Date of Service Edit: Policy", Rationale: "Anatomic Consideration", Line: 5}},
	}
	for _, tt := range tests {
		tab, err := ParseMUE(strings.NewReader(tt.in), tt.name)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if tab.Service != tt.service {
			t.Errorf("%s: service %q, want %q", tt.name, tab.Service, tt.service)
		}
		if d := cmp.Diff([]MUEEdit{tt.want}, tab.Edits); d != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, d)
		}
	}
}

func TestParseMUEErrors(t *testing.T) {
	fixtures := []struct {
		name string
		line int
		msg  string
	}{
		{"mue-bad-indicator.csv", 7, `mue: mue-bad-indicator.csv:7: bad MUE adjudication indicator "4 Date of Service Edit: Clinical"`},
		{"mue-no-header.csv", 0, "mue: mue-no-header.csv: no header row found"},
	}
	for _, tt := range fixtures {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseMUE(bytes.NewReader(ncciFile(t, tt.name)), tt.name)
			checkNCCIError(t, err, tt.name, tt.line, tt.msg)
		})
	}
	hdr := "Title line\r\nHCPCS/CPT Code,Practitioner Services MUE Values,MUE Adjudication Indicator,MUE Rationale\r\n"
	inline := []struct {
		name, in string
		line     int
		msg      string
	}{
		{"bad value", hdr + "10021,one,2 Date of Service Edit: Policy,x\r\n", 3, `bad MUE value "one"`},
		{"negative value", hdr + "10021,-1,2 Date of Service Edit: Policy,x\r\n", 3, `bad MUE value "-1"`},
		{"indicator 12", hdr + "10021,1,12,x\r\n", 3, `bad MUE adjudication indicator "12"`},
		{"empty indicator", hdr + "10021,1,,x\r\n", 3, `bad MUE adjudication indicator ""`},
		{"bad code", hdr + "10021,1,1,x\r\n1002A1,1,1,x\r\n", 4, `bad code: "1002A1"`},
		{"missing column", hdr + "10021,1\r\n", 3, "missing columns: want 4, got 2"},
		{"no values column", "HCPCS/CPT Code,MUE Adjudication Indicator,MUE Rationale\r\n10021,1,x\r\n", 1, `header row has no "MUE Values" column`},
		{"header only", hdr, 0, "no MUE records found"},
		{"truncated", hdr + "10021,1,1 Line Edit,Anatomic Consid", 3, "truncated download"},
	}
	for _, tt := range inline {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseMUE(strings.NewReader(tt.in), "x.csv")
			checkNCCIError(t, err, "x.csv", tt.line, tt.msg)
		})
	}

	b := buildXLSX(t, [][]any{
		{"HCPCS/CPT Code", "Practitioner Services MUE Values", "MUE Adjudication Indicator", "MUE Rationale"},
		{"10021", 1, "2 Date of Service Edit: Policy", "Anatomic Consideration"},
		nil,
		{"11045", 12, "Date of Service Edit: Clinical", "Clinical: Data"},
	})
	_, err := ParseMUEXLSX(bytes.NewReader(b), int64(len(b)), "bad.xlsx")
	checkNCCIError(t, err, "bad.xlsx", 4, `bad MUE adjudication indicator "Date of Service Edit: Clinical"`)
}
