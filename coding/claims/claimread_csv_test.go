package claims

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func crReadCSV(t *testing.T, in string, m *ColumnMap) []*Record {
	t.Helper()
	r, err := NewReader(strings.NewReader(in), "in.csv", "csv", m)
	if err != nil {
		t.Fatal(err)
	}
	return crReadAll(t, r)
}

func TestCSVDefaultLayoutNumbered(t *testing.T) {
	in := "Claim ID,Date of Service,Birth Date,Sex,DX_1,DX 2,dx3,PX1,Units1,Mod1,PX2,payer\n" +
		"N1,3/2/2026,1958-11-14,female,e119,I10,,J1100,3,LT RT,99213,MEDICARE\n" +
		"N2,20260302,11/14/1958,U,,E78.5,,J1100x2:LT,,,,\n" + // dx1 empty: skipped
		"N3,,,m,I10,,,,,,,\n" // no date, no birth date
	crCheck(t, crReadCSV(t, in, nil), []string{
		"1 line 2 N1 2026-03-02 age=67 F dx=E11.9,I10 px=J1100x3:LT:RT,99213",
		"2 line 3 N2 2026-03-02 age=67 - dx=E78.5 px=J1100x2:LT",
		"3 line 4 N3 - age=- M dx=I10 px=",
	})
}

// An age column wins when filled; the birth date stands in when not.
func TestCSVAgeOrBirthDate(t *testing.T) {
	in := "id,date,age,dob,dx\nA1,2026-03-02,40,1958-11-14,I10\nA2,2026-03-02,,1958-11-14,I10\nA3,2026-03-02,,,I10\n"
	crCheck(t, crReadCSV(t, in, nil), []string{
		"1 line 2 A1 2026-03-02 age=40 - dx=I10 px=",
		"2 line 3 A2 2026-03-02 age=67 - dx=I10 px=",
		"3 line 4 A3 2026-03-02 age=- - dx=I10 px=",
	})
}

func TestCSVRowErrors(t *testing.T) {
	in := "claim_id,date,age,birth_date,sex,dx,px1,units1,mod1\n" +
		"E1,2026-03-02,140,,F,I10,99213,,\n" +
		"E2,2026-03-02,,2027-01-01,F,I10,99213,,\n" +
		"E3,2026-03-02,50,,X,I10,99213,,\n" +
		"E4,2026-03-02,50,,F,I10,99213,0,\n" +
		"E5,2026-03-02,50,,F,I10,,2,\n" +
		"E6,2026-03-02,50,,F,,,,\n" +
		"E7,2026-03-02,50,,F,I10,9921,,\n" +
		"E8,2026-03-02,50,,F,I10,99213,,L\n" +
		"E9,2026-03-02,50,,F,I10;,99213,,25\n" +
		",2026-03-02,50,,F,I10,99213,,25,extra\n" +
		"E11,2026-03-02,50,,F,I10 E11.9,99213,1.0,25:59\n"
	crCheck(t, crReadCSV(t, in, nil), []string{
		`1 line 2 E1 ERR age: invalid age "140": want whole years from 0 to 130`,
		"2 line 3 E2 ERR birth_date: birth date 2027-01-01 is after the date of service 2026-03-02",
		`3 line 4 E3 ERR sex: invalid sex "X": want F, M or U`,
		`4 line 5 E4 ERR units1: invalid units "0": want a whole number of 1 or more`,
		"5 line 6 E5 2026-03-02 age=50 F dx=I10 px= nocode=px1:2", // validated, the line reported
		"6 line 7 E6 ERR the claim has no diagnosis or procedure",
		`7 line 8 E7 ERR px1: invalid procedure "9921": a procedure code has five characters (J1100, 99213)`,
		`8 line 9 E8 ERR mod1: invalid modifier "L": a modifier has two characters`,
		"9 line 10 E9 2026-03-02 age=50 F dx=I10 px=99213:25",
		"10 line 11 - ERR the row has 10 fields, the header has 9",
		"11 line 12 E11 2026-03-02 age=50 F dx=I10,E11.9 px=99213:25:59",
	})
}

func TestCSVHeaderErrors(t *testing.T) {
	for _, tc := range []struct{ header, want string }{
		{"claim_id,id,dx", `columns "claim_id" and "id" are both the claim id`},
		{"claim_id,dx,dx1", `give the diagnoses in column "dx" or in numbered columns dx1.., not both`},
		{"claim_id,px,px1", `give the procedures in column "px" or in numbered columns px1.., not both`},
		{"claim_id,dx1,DX_1", `columns "dx1" and "DX_1" are the same numbered column`},
		{"claim_id,dx,px1,units2", `column "units2" (units2) has no px2 column`},
		{"claim_id,date,sex", "no dx or px column"},
		{"claim_id,Gender,sex,dx", `columns "Gender" and "sex" are both the sex`},
	} {
		_, err := NewReader(strings.NewReader(tc.header+"\nC1,I10,x\n"), "in.csv", "csv", nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "in.csv: line 1: header: ") {
			t.Errorf("header %q: %v, want %q", tc.header, err, tc.want)
		}
	}
}

// Delimiters are told from the header line, quotes and all.
func TestCSVDelimiters(t *testing.T) {
	for _, tc := range []struct{ name, in string }{
		{"comma", "id,dx,px\nC1,I10;E11.9,99213\n"},
		{"tab", "id\tdx\tpx\nC1\tI10,E11.9\t99213\n"},
		{"pipe", "id|dx|px\nC1|I10 E11.9|99213\n"},
		{"semicolon", "id;dx;px\nC1;I10 E11.9;99213\n"},
		{"tab with commas in quotes", "\"id, the claim's\"\tdx\tpx\nC1\tI10,E11.9\t99213\n"},
		{"CRLF", "id,dx,px\r\nC1,I10|E11.9,99213\r\n"},
		{"blank lines first", "\n\r\n\nid|dx|px\nC1|I10 E11.9|99213\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewReader(strings.NewReader(tc.in), "in", "", nil)
			if err != nil {
				t.Fatal(err)
			}
			recs := crReadAll(t, r)
			if len(recs) != 1 || recs[0].Claim == nil || crClaimLine(recs[0].Claim) != "- age=- - dx=I10,E11.9 px=99213" {
				for _, rec := range recs {
					t.Log(crLine(rec))
				}
				t.Fatal("wrong records")
			}
		})
	}
}

// A quoted field may hold line breaks: the record spans its lines and the
// next record's line is still right.
func TestCSVQuotedLineBreaks(t *testing.T) {
	in := "id,dx,px,note\nQ1,I10,99213,\"two\nlines\"\nQ2,\"E11.9\nI10\",99213,\nQ3,I10,99213,\"bare \"quote\" in it\"\n,,,\n Q4 ,I10,99213,x\n"
	crCheck(t, crReadCSV(t, in, nil), []string{
		"1 lines 2-3 Q1 - age=- - dx=I10 px=99213",
		"2 lines 4-5 Q2 - age=- - dx=E11.9,I10 px=99213",
		"3 line 6 Q3 - age=- - dx=I10 px=99213",
		"4 line 8 Q4 - age=- - dx=I10 px=99213", // line 7 is blank: skipped
	})
}

func crMap(t *testing.T, yml string) *ColumnMap {
	t.Helper()
	m, err := ParseColumnMap([]byte(yml), "map.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestCSVGroupRows(t *testing.T) {
	m := crMap(t, `version: 1
claim_id: CLAIM
date: DOS
dx: [D1, D2]
px: {code: CPT, units: UNITS, modifiers: [M1, M2]}
group_rows: true
`)
	in := "CLAIM,DOS,D1,D2,CPT,UNITS,M1,M2\n" +
		"G1,2026-03-02,I10,,99213,1,25,\n" + // 2
		"G1,2026-03-02,I10,E11.9,J1100,2,LT,\n" + // 3: adds E11.9
		"G2,2026-13-02,I10,,99213,1,,\n" + // 4: bad date in the first row
		"G2,2026-03-02,I10,,36415,1,,\n" + // 5
		"G1,2026-03-04,E78.5,,99214,1,,\n" + // 6: G1 again, not next to the first: another claim
		"G3,2026-03-04,I10,,99213,1,,\n" + // 7
		"G3,2026-03-04,I10\n" + // 8: short row in the middle
		"G3,2026-03-04,I10,,36415,1,,\n" + // 9
		",2026-03-04,I10,,36415,1,,\n" + // 10: no claim id
		",2026-03-04,I10,,36415,1,,\n" + // 11: no claim id either: not grouped with 10
		"G4,2026-03-05,I10,,99213,x,,\n" // 12: last row, bad units
	crCheck(t, crReadCSV(t, in, m), []string{
		"1 lines 2-3 G1 2026-03-02 age=- - dx=I10,E11.9 px=99213:25,J1100x2:LT",
		`2 lines 4-5 G2 ERR line 4: DOS: invalid date "2026-13-02": want YYYY-MM-DD, MM/DD/YYYY or YYYYMMDD`,
		"3 line 6 G1 2026-03-04 age=- - dx=E78.5 px=99214",
		"4 lines 7-9 G3 ERR line 8: the row has 3 fields, the header has 8",
		"5 line 10 - ERR CLAIM: no claim id",
		"6 line 11 - ERR CLAIM: no claim id",
		`7 line 12 G4 ERR UNITS: invalid units "x": want a whole number of 1 or more`,
	})
	// group_dx: first keeps the first row's diagnoses.
	m.GroupDx = "first"
	recs := crReadCSV(t, "CLAIM,DOS,D1,D2,CPT,UNITS,M1,M2\nG1,2026-03-02,I10,,99213,1,,\nG1,2026-03-02,E11.9,,J1100,1,,\n", m)
	crCheck(t, recs, []string{"1 lines 2-3 G1 2026-03-02 age=- - dx=I10 px=99213,J1100"})
}

func TestCSVColumnMapLists(t *testing.T) {
	m := crMap(t, `version: 1
delimiter: pipe
claim_id: Claim Number
date: Service Date
date_format: "02.01.2006"
birth_date: DOB
birth_date_format: "2006/01/02"
sex: Sex
dx_list: Diagnoses
dx_separator: "/"
px:
  - {code: Proc 1, units: Qty 1, modifiers: Mods 1}
  - {code: Proc 2, units: Qty 2}
`)
	in := "claim number|service date|dob|sex|diagnoses|proc 1|qty 1|mods 1|proc 2|qty 2|comma,comma,comma\n" +
		"L1|02.03.2026|1958/11/14|F|E11.9 / I10/E78.5|99214|1|25|J1100|2|x\n" +
		"L2|2026-03-02|1958/11/14|F|I10|99213|||||x\n"
	crCheck(t, crReadCSV(t, in, m), []string{
		"1 line 2 L1 2026-03-02 age=67 F dx=E11.9,I10,E78.5 px=99214:25,J1100x2",
		`2 line 3 L2 ERR service date: invalid date "2026-03-02": want the layout 02.01.2006`,
	})
	m = crMap(t, "version: 1\ndx_list: DX\npx_list: PX\npx_separator: \",\"\n")
	crCheck(t, crReadCSV(t, "DX\tPX\nI10 E11.9\tJ1100x2:LT, 99213\n", m), []string{
		"1 line 2 - - age=- - dx=I10,E11.9 px=J1100x2:LT,99213",
	})
}

func TestCSVColumnMapErrors(t *testing.T) {
	for _, tc := range []struct{ yml, want string }{
		{"version: 1\ndx: [A]\nclaimid: X\n", `map.yaml:3: unknown field "claimid"`},
		{"version: 2\ndx: [A]\n", "map.yaml: version 2, want 1"},
		{"dx: [A]\n", "map.yaml: version 0, want 1"},
		{"version: 1\nclaim_id: C\n", "names no diagnosis or procedure column"},
		{"version: 1\ndx: [A]\ndx_list: B\n", "map.yaml:3: give dx or dx_list, not both"},
		{"version: 1\npx: {code: A}\npx_list: B\n", "map.yaml:3: give px or px_list, not both"},
		{"version: 1\ndx: [A]\ngroup_rows: true\n", "map.yaml:3: group_rows needs the claim_id column"},
		{"version: 1\ndx: [A]\ngroup_rows: maybe\n", "map.yaml:3: group_rows: want true or false"},
		{"version: 1\ndx: [A]\ngroup_dx: all\n", `map.yaml:3: group_dx "all": want union or first`},
		{"version: 1\ndx: [A]\ndate: D\ndate_format: MM/DD/YYYY\n", `map.yaml:4: date_format "MM/DD/YYYY" is not a Go date layout`},
		{"version: 1\ndx: [A]\ndate_format: 01/02/2006\n", "map.yaml:3: date_format without a date or birth_date column"},
		{"version: 1\ndx: [A]\ndelimiter: ab\n", `map.yaml:3: delimiter "ab": want one character`},
		{"version: 1\ndx: [A, [B]]\n", "map.yaml:2: dx: line 2: want a column name"},
		{"version: 1\ndx: {a: b}\n", "map.yaml:2: dx: want a column name or a list of them"},
		{"version: 1\npx: {code: A, unit: U}\n", `map.yaml:2: px unit: unknown field "unit"`},
		{"version: 1\npx: {units: U}\n", "map.yaml:2: px: no code column"},
		{"version: 1\npx: [[A]]\n", "map.yaml:2: px: want a mapping"},
		{"version: 1\ndx: [A]\ndx: [B]\n", "map.yaml:3: dx is already set at line 2"},
		{"version: 1\ndate: [A]\n", "map.yaml:2: date: want a single value"},
		{"- a\n- b\n", "map.yaml:1: a column map is a mapping"},
		{"version: 1\n  dx: [A\n", "map.yaml: "},
		{"", "map.yaml: the column map is empty"},
	} {
		_, err := ParseColumnMap([]byte(tc.yml), "map.yaml")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseColumnMap(%q): %v, want %q", tc.yml, err, tc.want)
		}
	}
}

// A column the map names must be in the header; the error names the map
// line.
func TestCSVColumnMapHeader(t *testing.T) {
	m := crMap(t, "version: 1\nclaim_id: CLAIM_NO\ndx: [DIAG_1, DIAG_2]\n")
	_, err := NewReader(strings.NewReader("claim_no,diag_1,DIAG_3\n"), "in.csv", "", m)
	if err == nil || !strings.Contains(err.Error(), `in.csv: line 1: header: map.yaml:3: dx column "DIAG_2" is not in the header (3 columns)`) {
		t.Errorf("missing column: %v", err)
	}
	_, err = NewReader(strings.NewReader("CLAIM_NO,DIAG_1,DIAG_2,diag_2\n"), "in.csv", "", m)
	if err == nil || !strings.Contains(err.Error(), `dx column "DIAG_2" appears twice in the header (columns 3 and 4)`) {
		t.Errorf("twice: %v", err)
	}
}

func TestCSVLoadColumnMap(t *testing.T) {
	m, err := LoadColumnMap(filepath.Join("..", "..", "testdata", "claims", "claims_export.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !m.GroupRows || m.ClaimID != "CLAIM_NO" || len(m.Dx) != 12 || len(m.Px) != 1 || m.Px[0].Units != "UNITS" || len(m.Px[0].Modifiers) != 2 {
		t.Errorf("map %+v", m)
	}
	if _, err := LoadColumnMap(filepath.Join(t.TempDir(), "none.yaml")); !os.IsNotExist(err) {
		t.Errorf("missing file: %v", err)
	}
}

// A stray quote costs its own line only: the lines after it are read
// again, and every line is in one record or skipped.
func TestCSVResync(t *testing.T) {
	head := "id,dx,px\n"
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{"never closes", head + "C1,I10,99213\nC2,\"I10,99213\nC3,I10,99213\nC4,E11.9,99213\n", []string{
			"1 line 2 C1 - age=- - dx=I10 px=99213",
			"2 line 3 C2 ERR a quoted field opens on this line and the input ends before it closes",
			"3 line 4 C3 - age=- - dx=I10 px=99213",
			"4 line 5 C4 - age=- - dx=E11.9 px=99213",
		}},
		{"closes on a wrong row", head + "C2,\"I10,99213\nC3,I10,\"99213\"\nC4,E11.9,99213\n", []string{
			"1 line 2 C2 ERR a quoted field opens on this line and closes on line 3, in a row of 2 fields where the header has 3",
			"2 line 3 C3 - age=- - dx=I10 px=99213",
			"3 line 4 C4 - age=- - dx=E11.9 px=99213",
		}},
		{"closes into an unreadable row", head + "C2,\"I10,99213\nC3,\"E11.9\",99213\nC4,E11.9,99213\n", []string{
			"1 line 2 C2 ERR a quoted field opens on this line, and the 2 lines up to its closing quote do not make a readable row",
			"2 line 3 C3 - age=- - dx=E11.9 px=99213",
			"3 line 4 C4 - age=- - dx=E11.9 px=99213",
		}},
		{"quote in the id", head + "\"C2,I10,99213\nC3,I10,99213\n", []string{
			"1 line 2 - ERR a quoted field opens on this line and the input ends before it closes",
			"2 line 3 C3 - age=- - dx=I10 px=99213",
		}},
		{"runs too long", head + "C2,\"I10,99213\n" + strings.Repeat("C3,I10,99213\n", maxSpanLines+5), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewReader(strings.NewReader(tc.in), "in.csv", "csv", nil)
			if err != nil {
				t.Fatal(err)
			}
			recs := crReadAll(t, r)
			if tc.want != nil {
				crCheck(t, recs, tc.want)
			} else if len(recs) != maxSpanLines+6 || recs[0].Err == nil || recs[1].Err != nil {
				t.Errorf("%d records, first %v", len(recs), recs[0].Err)
			}
			crAccounted(t, r, recs, strings.Count(tc.in, "\n"))
		})
	}
}

// crAccounted: the records and the skipped lines add up to the input's
// lines, each record's lines following the one before.
func crAccounted(t *testing.T, r Reader, recs []*Record, lines int) {
	t.Helper()
	tl := r.(Tallier).Tally()
	n := tl.Skipped
	prev := 0
	for _, rec := range recs {
		if rec.First <= prev || rec.Last < rec.First {
			t.Errorf("record %d spans lines %d-%d after line %d", rec.Seq, rec.First, rec.Last, prev)
		}
		prev = rec.Last
		n += rec.Last - rec.First + 1
	}
	if n != lines || tl.Lines != lines || tl.Records != len(recs) {
		t.Errorf("%d lines in records or skipped, tally %+v, for %d lines and %d records", n, tl, lines, len(recs))
	}
}

// Exports have service lines without a procedure code: the claim is read,
// each such line noted with its units; an empty line is no line.
func TestCSVLinesWithoutCode(t *testing.T) {
	m := crMap(t, "version: 1\nclaim_id: CLM\ndx: [DX1]\npx: [{code: HCPCS_1, units: UNITS_1}, {code: HCPCS_2, units: UNITS_2, modifiers: [MOD_2]}]\n")
	in := "CLM|DX1|HCPCS_1|UNITS_1|HCPCS_2|UNITS_2|MOD_2\n" +
		"K1|E119|99213|1|||\n" +
		"K2|E119||1|99213|2|\n" +
		"K3|E119|99213|1||0|\n" +
		"K4|E119|||||25\n" +
		"K5|E119||x|||\n"
	crCheck(t, crReadCSV(t, in, m), []string{
		"1 line 2 K1 - age=- - dx=E11.9 px=99213",
		"2 line 3 K2 - age=- - dx=E11.9 px=99213x2 nocode=HCPCS_1:1",
		"3 line 4 K3 - age=- - dx=E11.9 px=99213 nocode=HCPCS_2:0",
		"4 line 5 K4 - age=- - dx=E11.9 px= nocode=HCPCS_2:1",
		`5 line 6 K5 ERR UNITS_1: invalid units "x": want a whole number of 1 or more`,
	})
}

// With grouped rows, a damaged row of a claim makes that claim unreadable;
// one with another id (or none) is a record of its own.
func TestCSVGroupResync(t *testing.T) {
	m := crMap(t, "version: 1\nclaim_id: id\ndx_list: dx\npx_list: px\ngroup_rows: true\n")
	in := "id,dx,px\nG1,I10,99213\nG1,\"I10,36415\nG1,I10,99212\nG2,E11.9,99213\n\"G3,E11.9\nG3,I10,99213\n"
	recs := crReadCSV(t, in, m)
	crCheck(t, recs, []string{
		"1 lines 2-4 G1 ERR line 3: a quoted field opens on this line and the input ends before it closes",
		"2 line 5 G2 - age=- - dx=E11.9 px=99213",
		"3 line 6 - ERR a quoted field opens on this line and the input ends before it closes",
		"4 line 7 G3 - age=- - dx=I10 px=99213",
	})
}
