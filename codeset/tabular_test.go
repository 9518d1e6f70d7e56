package codeset

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func parseTabularFixture(t *testing.T) *Tabular {
	t.Helper()
	tab, err := ParseTabular(bytes.NewReader(icdFixture(t, fixtureTabular)), fixtureTabular)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func TestParseTabularFixture(t *testing.T) {
	tab := parseTabularFixture(t)
	if tab.Version != "2021" {
		t.Errorf("Version = %q, want 2021", tab.Version)
	}
	// E10 and E11 complete, plus the chain S72 > S72.0 > S72.00 > S72.001.
	if got, want := tab.Diags, 129; got != want {
		t.Errorf("Diags = %d, want %d", got, want)
	}
	if len(tab.Chapters) != 2 {
		t.Fatalf("%d chapters, want 2", len(tab.Chapters))
	}

	ch4 := tab.Chapters[0]
	if ch4.Num != "4" || ch4.Desc != "Endocrine, nutritional and metabolic diseases (E00-E89)" {
		t.Errorf("chapter 4 = %q %q", ch4.Num, ch4.Desc)
	}
	wantCh4 := Notes{
		Excludes1: []string{"transitory endocrine and metabolic disorders specific to newborn (P70-P74)"},
		Notes: []string{"All neoplasms, whether functionally active or not, are classified in Chapter 2. " +
			"Appropriate codes in this chapter (i.e. E05.8, E07.0, E16-E31, E34.-) may be used as additional codes to indicate either " +
			"functional activity by neoplasms and ectopic endocrine tissue or hyperfunction and hypofunction of endocrine glands " +
			"associated with neoplasms and other conditions classified elsewhere."},
	}
	if diff := cmp.Diff(wantCh4, ch4.Notes); diff != "" {
		t.Errorf("chapter 4 notes (-want +got):\n%s", diff)
	}
	if len(ch4.Sections) != 1 {
		t.Fatalf("chapter 4 has %d sections, want 1", len(ch4.Sections))
	}
	sec := ch4.Sections[0]
	if sec.ID != "E08-E13" || sec.First != "E08" || sec.Last != "E13" || sec.Desc != "Diabetes mellitus (E08-E13)" {
		t.Errorf("section = %q %q-%q %q", sec.ID, sec.First, sec.Last, sec.Desc)
	}
	var cats []string
	for _, d := range sec.Diags {
		cats = append(cats, d.Code)
	}
	if diff := cmp.Diff([]string{"E10", "E11"}, cats); diff != "" {
		t.Errorf("categories of E08-E13 (-want +got):\n%s", diff)
	}

	diags := tabularDiags(tab)
	e11 := diags["E11"]
	if e11 == nil {
		t.Fatal("E11 missing")
	}
	if e11.Desc != "Type 2 diabetes mellitus" {
		t.Errorf("E11 desc %q", e11.Desc)
	}
	wantE11 := Notes{
		Includes: []string{
			"diabetes (mellitus) due to insulin secretory defect",
			"diabetes NOS",
			"insulin resistant diabetes (mellitus)",
		},
		Excludes1: []string{
			"diabetes mellitus due to underlying condition (E08.-)",
			"drug or chemical induced diabetes mellitus (E09.-)",
			"gestational diabetes (O24.4-)",
			"neonatal diabetes mellitus (P70.2)",
			"postpancreatectomy diabetes mellitus (E13.-)",
			"postprocedural diabetes mellitus (E13.-)",
			"secondary diabetes mellitus NEC (E13.-)",
			"type 1 diabetes mellitus (E10.-)",
		},
		UseAdditional: []string{
			"code to identify control using:",
			"insulin (Z79.4)",
			"oral antidiabetic drugs (Z79.84)",
			"oral hypoglycemic drugs (Z79.84)",
		},
	}
	if diff := cmp.Diff(wantE11, e11.Notes); diff != "" {
		t.Errorf("E11 notes (-want +got):\n%s", diff)
	}
	var kids []string
	for _, d := range e11.Children {
		kids = append(kids, d.Code)
	}
	if diff := cmp.Diff([]string{"E110", "E111", "E112", "E113", "E114", "E115", "E116", "E118", "E119"}, kids); diff != "" {
		t.Errorf("children of E11 (-want +got):\n%s", diff)
	}
	if d := diags["E119"]; d == nil || d.Desc != "Type 2 diabetes mellitus without complications" || !d.Notes.Empty() || len(d.Children) != 0 {
		t.Errorf("E119 = %+v", d)
	}
	if d := diags["E1100"]; d == nil || d.Desc != "Type 2 diabetes mellitus with hyperosmolarity without nonketotic hyperglycemic-hyperosmolar coma (NKHHC)" {
		t.Errorf("E1100 = %+v", d)
	}
	if d := diags["E10"]; d == nil || len(d.Notes.Includes) != 6 || len(d.Notes.Excludes1) != 9 || len(d.Notes.UseAdditional) != 0 {
		t.Errorf("E10 notes = %+v", d.Notes)
	}

	ch19 := tab.Chapters[1]
	if ch19.Num != "19" || len(ch19.Sections) != 1 {
		t.Fatalf("chapter 19 = %q with %d sections", ch19.Num, len(ch19.Sections))
	}
	if got := ch19.Notes.UseAdditional; len(got) != 1 || got[0] != "code to identify any retained foreign body, if applicable (Z18.-)" {
		t.Errorf("chapter 19 useAdditionalCode = %q", got)
	}
	s70 := ch19.Sections[0]
	if s70.ID != "S70-S79" || s70.First != "S70" || s70.Last != "S79" || len(s70.Notes.Excludes2) != 4 {
		t.Errorf("section %q %q-%q excludes2 %q", s70.ID, s70.First, s70.Last, s70.Notes.Excludes2)
	}

	s72 := diags["S72"]
	if s72 == nil {
		t.Fatal("S72 missing")
	}
	wantS72 := Notes{
		Excludes1: []string{"traumatic amputation of hip and thigh (S78.-)"},
		Excludes2: []string{
			"fracture of lower leg and ankle (S82.-)",
			"fracture of foot (S92.-)",
			"periprosthetic fracture of prosthetic implant of hip (M97.0-)",
		},
		Notes: []string{
			"A fracture not indicated as displaced or nondisplaced should be coded to displaced",
			"A fracture not indicated as open or closed should be coded to closed",
			"The open fracture designations are based on the Gustilo open fracture classification",
		},
		SevenChrNote: []string{"The appropriate 7th character is to be added to all codes from category S72"},
		// The <note> between B and C inside sevenChrDef is not an extension.
		SevenChr: []SevenChr{
			{"A", "initial encounter for closed fracture"},
			{"B", "initial encounter for open fracture type I or II"},
			{"C", "initial encounter for open fracture type IIIA, IIIB, or IIIC"},
			{"D", "subsequent encounter for closed fracture with routine healing"},
			{"E", "subsequent encounter for open fracture type I or II with routine healing"},
			{"F", "subsequent encounter for open fracture type IIIA, IIIB, or IIIC with routine healing"},
			{"G", "subsequent encounter for closed fracture with delayed healing"},
			{"H", "subsequent encounter for open fracture type I or II with delayed healing"},
			{"J", "subsequent encounter for open fracture type IIIA, IIIB, or IIIC with delayed healing"},
			{"K", "subsequent encounter for closed fracture with nonunion"},
			{"M", "subsequent encounter for open fracture type I or II with nonunion"},
			{"N", "subsequent encounter for open fracture type IIIA, IIIB, or IIIC with nonunion"},
			{"P", "subsequent encounter for closed fracture with malunion"},
			{"Q", "subsequent encounter for open fracture type I or II with malunion"},
			{"R", "subsequent encounter for open fracture type IIIA, IIIB, or IIIC with malunion"},
			{"S", "sequela"},
		},
	}
	if diff := cmp.Diff(wantS72, s72.Notes); diff != "" {
		t.Errorf("S72 notes (-want +got):\n%s", diff)
	}
	if d := diags["S7200"]; d == nil || !cmp.Equal(d.Notes.InclusionTerms, []string{"Fracture of hip NOS", "Fracture of neck of femur NOS"}) {
		t.Errorf("S7200 inclusion terms = %+v", d)
	}
	if d := diags["S72001"]; d == nil || d.Desc != "Fracture of unspecified part of neck of right femur" || !d.Notes.Empty() {
		t.Errorf("S72001 = %+v", d)
	}
}

func TestParseTabularTruncated(t *testing.T) {
	full := icdFixture(t, fixtureTabular)
	at := func(s string) int {
		i := bytes.Index(full, []byte(s))
		if i < 0 {
			t.Fatalf("%q not in fixture", s)
		}
		return i
	}
	tests := []struct {
		name string
		cut  int
	}{
		{"half", len(full) / 2},
		{"inside a tag name", at("<name>E11.9</name>") + 3},
		{"inside a text", at("Type 2 diabetes mellitus without complications") + 10},
		{"inside an attribute", at(`<extension char="S"`) + 16},
		{"between chapters", at("  <chapter>\r\n    <name>19</name>")},
		{"before the root closes", at("</ICD10CM.tabular>")},
		{"inside the first chapter's notes", at("<excludes1>")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseTabular(bytes.NewReader(full[:tt.cut]), "tab.xml")
			if err == nil {
				t.Fatal("no error for a truncated file")
			}
			var le *LineError
			if !errors.As(err, &le) {
				t.Fatalf("error %q (%T) is not a *LineError", err, err)
			}
			wantLine := bytes.Count(full[:tt.cut], []byte("\n")) + 1
			if le.File != "tab.xml" || le.Line <= 0 || le.Line > wantLine {
				t.Errorf("error at %s:%d, want tab.xml:1..%d", le.File, le.Line, wantLine)
			}
			if !strings.Contains(err.Error(), "truncated") {
				t.Errorf("error %q does not say truncated", err)
			}
		})
	}
}

func TestParseTabularNotTabular(t *testing.T) {
	tests := []struct {
		name  string
		input string
		msg   string
	}{
		{"alphabetic index", "<?xml version=\"1.0\"?>\r\n<ICD10CM.index>\r\n  <version>2021</version>\r\n  <letter><title>A</title></letter>\r\n</ICD10CM.index>\r\n", "not an ICD-10-CM tabular file"},
		{"html", "<html><body><chapter><name>1</name></chapter></body></html>", "not an ICD-10-CM tabular file"},
		{"chapter without root", "<chapter><name>1</name><desc>x</desc></chapter>", "not an ICD-10-CM tabular file"},
		{"root without chapters", "<ICD10CM.tabular><version>2021</version></ICD10CM.tabular>", "no chapters"},
		{"empty", "", "no chapters"},
		{"plain text", "04184 E10     0 Type 1 diabetes mellitus\r\n", "no chapters"},
		{"malformed xml", "<ICD10CM.tabular><chapter><name>4</nam></chapter></ICD10CM.tabular>", "tab.xml:1:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := ParseTabular(strings.NewReader(tt.input), "tab.xml")
			if err == nil {
				t.Fatalf("no error, got %d chapters", len(tab.Chapters))
			}
			if !strings.Contains(err.Error(), tt.msg) || !strings.Contains(err.Error(), "tab.xml") {
				t.Errorf("error %q, want it to name the file and contain %q", err, tt.msg)
			}
		})
	}
}

func TestSniffTabular(t *testing.T) {
	full := icdFixture(t, fixtureTabular)
	for _, tt := range []struct {
		name string
		head []byte
		want bool
	}{
		{"fixture", full, true},
		{"first 60 bytes", full[:60], true},
		{"cut before the root", full[:30], false},
		{"order file", icdFixture(t, fixtureOrder), false},
		{"index", []byte("<?xml version=\"1.0\"?>\r\n<ICD10CM.index>"), false},
	} {
		if got := SniffTabular(tt.head); got != tt.want {
			t.Errorf("SniffTabular(%s) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  Type 2\r\n   diabetes  ", "Type 2 diabetes"},
		{"a &amp; b &lt;c&gt;", "a & b <c>"},
		{"<new>added</new> text", "added text"},
		{"kept <old>dropped</old> rest", "kept rest"},
		{"x<diff>y</diff>z", "x y z"},
		{"\tinitial encounter for open fracture NOS", "initial encounter for open fracture NOS"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := cleanText(tt.in); got != tt.want {
			t.Errorf("cleanText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
