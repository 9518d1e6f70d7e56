package claims

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// crReadAll reads every record, failing on a fatal error.
func crReadAll(t testing.TB, r Reader) []*Record {
	t.Helper()
	var out []*Record
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		out = append(out, rec)
		if len(out) > 1e6 {
			t.Fatal("runaway reader")
		}
	}
}

// crLine is a record in one line, for comparing with expectations:
// "3 line 4 C1003 2026-03-05 age=8 F dx=J06.9 px=99212" or
// "4 line 5 C1004 ERR date: invalid ...".
func crLine(rec *Record) string {
	head := fmt.Sprintf("%d %s %s", rec.Seq, rec.Pos, crDash(rec.ID))
	if rec.Err != nil {
		if rec.Claim != nil {
			return head + " BOTH CLAIM AND ERR"
		}
		return head + " ERR " + rec.Err.Error()
	}
	if rec.Claim == nil {
		return head + " NO CLAIM"
	}
	return head + " " + crClaimLine(rec.Claim)
}

func crClaimLine(c *Claim) string {
	date := "-"
	if !c.Date.IsZero() {
		date = c.Date.Format("2006-01-02")
	}
	age := "-"
	if c.Age != nil {
		age = fmt.Sprint(*c.Age)
	}
	var px []string
	for _, p := range c.Px {
		s := p.Code
		if p.Units != 1 {
			s += fmt.Sprintf("x%d", p.Units)
		}
		for _, m := range p.Modifiers {
			s += ":" + m
		}
		px = append(px, s)
	}
	line := fmt.Sprintf("%s age=%s %s dx=%s px=%s", date, age, crDash(c.Sex), strings.Join(c.Dx, ","), strings.Join(px, ","))
	for _, l := range c.NoCode {
		line += fmt.Sprintf(" nocode=%s:%d", l.Where, l.Units)
	}
	return line
}

func crDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func crFixture(t *testing.T, name, format, mapFile string, oneByte bool) []*Record {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "testdata", "claims", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var in io.Reader = f
	if oneByte {
		in = iotest.OneByteReader(f)
	}
	var m *ColumnMap
	if mapFile != "" {
		if m, err = LoadColumnMap(filepath.Join("..", "..", "testdata", "claims", mapFile)); err != nil {
			t.Fatal(err)
		}
	}
	r, err := NewReader(in, name, format, m)
	if err != nil {
		t.Fatal(err)
	}
	recs := crReadAll(t, r)
	for _, rec := range recs {
		if rec.Source != name {
			t.Errorf("record %d: source %q, want %q", rec.Seq, rec.Source, name)
		}
	}
	return recs
}

func crCheck(t *testing.T, got []*Record, want []string) {
	t.Helper()
	var lines []string
	for _, rec := range got {
		lines = append(lines, crLine(rec))
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("records:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

// TestClaimFixtures reads every fixture, each with the format detected and
// given, to the expected claims, positions and reasons.
func TestClaimFixtures(t *testing.T) {
	for _, tc := range []struct {
		file, format, mapFile string
		want                  []string
	}{
		{"claims.csv", "csv", "", []string{
			"1 line 2 C1001 2026-03-02 age=67 F dx=E11.9,I10,E78.5 px=99214,J1100x2:LT",
			"2 line 3 C1002 2026-03-04 age=45 M dx=J45.909,J30.9 px=94640",
			"3 line 4 C1003 2026-03-05 age=8 F dx=J06.9 px=99212",
			`4 line 5 C1004 ERR date: invalid date "2026-02-30": want YYYY-MM-DD, MM/DD/YYYY or YYYYMMDD`,
			"5 line 6 C1005 2026-03-06 age=71 M dx=I48.91,I10,E78.5 px=93000,G0439",
			"6 line 7 C1006 ERR the row has 5 fields, the header has 6",
			`7 line 8 C1007 ERR dx: invalid ICD-10-CM code "250.00": must start with a letter`,
			"8 line 9 C1008 2026-03-09 age=29 F dx=O80 px=59400",
		}},
		{"claims.tsv", "csv", "", []string{
			"1 line 2 T3001 2026-03-02 age=67 F dx=E11.9,I10,E78.5 px=99214,J1100x2:LT",
			"2 line 3 T3002 2026-03-02 age=68 M dx=I10 px=99213", // 68th birthday on the day
			"3 line 4 T3003 2026-03-02 age=67 F dx=E78.5 px=99213",
			"4 line 5 T3004 2026-03-05 age=9 M dx=J06.9 px=99212",
		}},
		{"claims.psv", "csv", "", []string{
			"1 line 2 P4001 2026-03-02 age=72 F dx=Z00.00,I10,E78.5 px=G0439,93000",
			"2 line 3 P4002 2026-03-03 age=54 M dx=M17.0 px=20610:RT,J3301x4",
			"3 line 4 P4003 2026-03-04 age=16 M dx=S93.401A,W01.0XXA px=99203,73610:RT,L4361:NU:RT",
		}},
		{"claims_export.csv", "csv", "claims_export.yaml", []string{
			"1 lines 2-4 260400011 2026-03-02 age=67 F dx=E11.9,I10,E78.5 px=99214:25,J1100x2:LT,36415",
			"2 lines 5-6 260400012 2026-03-03 age=45 M dx=J45.909,J30.9,R06.02 px=94640,99213:25",
			`3 lines 7-9 260400013 ERR line 8: MOD1: invalid modifier "LEFT": a modifier has two characters`,
			"4 line 10 260400014 2026-03-05 age=8 F dx=J06.9 px=99212",
			"5 line 11 260400015 ERR the row has 12 fields, the header has 24",
			"6 lines 12-13 260400016 2026-03-06 age=54 M dx=M17.0 px=20610:RT,J3301x4",
		}},
		{"claims.jsonl", "jsonl", "", []string{
			"1 line 1 J2001 2026-03-02 age=67 F dx=E11.9,I10 px=J1100x2:LT,99213",
			"2 line 2 J2002 2026-03-03 age=45 M dx=J45.909,J30.9 px=94640,99213:25",
			"3 line 4 - ERR not JSON: invalid character 'J' looking for beginning of value",
			"4 line 5 2004 2026-03-05 age=71 M dx=I48.91,I10 px=93000,G0439",
			"5 line 6 J2005 ERR age: want a whole number, got string",
			"6 line 7 J2006 2026-03-06 age=29 F dx=O80 px=59400",
		}},
		{"837p-two-st.x12", "x12", "", []string{
			"1 segment 21 LSO-88101 2026-03-05 age=72 F dx=Z00.00,I10,E78.5,Z79.82 px=G0439,93000",
			"2 segment 29 LSO-88102 2026-03-09 age=72 F dx=M17.0 px=20610:50,J3301x4",
			"3 segment 61 LSO-88103 2026-03-10 age=16 M dx=S93.401A,W01.0XXA,Y93.67 px=99203:25,73610:RT,L4361:NU:RT",
			"4 segment 79 LSO-88104 2026-03-11 age=37 F dx=J01.90 px=99213",
		}},
		{"837p-lines.x12", "x12", "", []string{
			"1 segment 21 P26030001 2026-03-02 age=67 F dx=E11.9,I10,E78.5 px=99214:25,J1100x2:LT,36415",
			"2 segment 45 P26030002 2026-03-04 age=10 F dx=J06.9 px=99213",                          // the patient's DMG, not the subscriber's
			"3 segment 50 P26030003 2026-03-11 age=10 F dx=H66.90 px= nocode=SV101 at segment 53:1", // a line without a code is read
			"4 segment 55 P26030004 2026-06-20 age=11 F dx=J01.90,R50.9 px=99213",
		}},
		{"837i.x12", "x12", "", []string{
			"1 segment 21 I26030101 2026-03-01 age=77 M dx=J18.9,J96.01,I11.0,I50.33,E11.9,R06.02 px=J2543x12,85025x3,99285:25",
			"2 segment 55 I26030102 2026-03-06 age=10 M dx=S52.501A,W18.30XA,M25.531 px=73110:RT,99283:25,J1885x2",
		}},
	} {
		for _, format := range []string{tc.format, ""} {
			t.Run(tc.file+"/"+crDash(format), func(t *testing.T) {
				crCheck(t, crFixture(t, tc.file, format, tc.mapFile, false), tc.want)
			})
		}
		// Reads of one byte at a time, as from a slow pipe.
		t.Run(tc.file+"/one-byte", func(t *testing.T) {
			crCheck(t, crFixture(t, tc.file, "", tc.mapFile, true), tc.want)
		})
	}
}

func TestDetectClaimFormat(t *testing.T) {
	isa := "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *260302*1200*^*00501*000000001*0*P*:~"
	for _, tc := range []struct{ in, want string }{
		{isa + "GS*HC~", "x12"},
		{"\xEF\xBB\xBF\r\n  " + isa, "x12"},
		{"ISA|00|", "x12"},
		{`{"id":"C1","dx":["I10"]}` + "\n", "jsonl"},
		{"\n\n   {", "jsonl"},
		{"claim_id,date,dx\nC1,2026-03-02,I10\n", "csv"},
		{"claim_id\tdx\n", "csv"},
		{"CLAIM_ID|DX1|DX2", "csv"},
		{"claim_id;dx\r\n", "csv"},
		{"\xEF\xBB\xBFclaim_id,dx\n", "csv"},
		{"ISAAC,dx\n", "csv"},
		{`"claim id","dx"` + "\n", "csv"},
		{"", ""},
		{"  \n\n", ""},
		{"hello world\n", ""},
		{"[1,2,3]\n", ""},
	} {
		got, err := DetectClaimFormat([]byte(tc.in))
		if got != tc.want || (err != nil) != (tc.want == "") {
			t.Errorf("DetectClaimFormat(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestNewClaimReaderFormats(t *testing.T) {
	m := &ColumnMap{DxList: "dx"}
	for _, tc := range []struct {
		in, format string
		m          *ColumnMap
		wantErr    string
	}{
		{"a,b\n", "xml", nil, `unknown claim file format "xml"`},
		{`{"dx":["I10"]}`, "jsonl", m, "a column map applies to CSV input only"},
		{`{"dx":["I10"]}`, "", m, "a column map applies to CSV input only"},
		{"hello\n", "", nil, "not a claim file: its first line is not"},
		{"PK\x03\x04,\x14\x00\x06\x00,dx\n", "", nil, "not a claim file: it holds binary data"},
		{"claim_id,date\nC1,2026-03-02\n", "csv", nil, "line 1: header: no dx or px column"},
		{"GS*HC~", "x12", nil, "does not start with an ISA segment"},
	} {
		_, err := NewReader(strings.NewReader(tc.in), "in.txt", tc.format, tc.m)
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("NewClaimReader(%q, %q): %v, want %q", tc.in, tc.format, err, tc.wantErr)
		}
	}
	// Empty input, or a header alone: no claims, an input failure,
	// whatever the format.
	for _, tc := range []struct{ in, format string }{
		{" \n", ""}, {" \n", "csv"}, {" \n", "jsonl"}, {"", ""},
		{"claim_id,dx\n", ""}, {"claim_id,dx\n\n,\n", "csv"}, {"\n\n", "jsonl"},
		{crISA('*', '^', ':', '~') + "GS*HC~ST*837*1~SE*1*1~GE*1*1~IEA*1*1~", ""},
	} {
		r, err := NewReader(strings.NewReader(tc.in), "in.txt", tc.format, nil)
		if err != nil {
			t.Fatalf("%q: %v", tc.in, err)
		}
		if _, err := r.Next(); !errors.Is(err, ErrNoClaims) || err.Error() != "no claims in in.txt" {
			t.Errorf("%q as %q: %v, want no claims in in.txt", tc.in, tc.format, err)
		}
	}
	// tsv forces the tab even when the header has more commas.
	r, err := NewReader(strings.NewReader("id\tdx\tnote\nC1\tI10\ta,b,c,d\n"), "-", "tsv", nil)
	if err != nil {
		t.Fatal(err)
	}
	crCheck(t, crReadAll(t, r), []string{"1 line 2 C1 - age=- - dx=I10 px="})
}

// A fatal error is one of reading, not of a record.
func TestClaimReaderIOError(t *testing.T) {
	boom := errors.New("disk on fire")
	for _, format := range []string{"csv", "jsonl", "x12"} {
		head := map[string]string{
			"csv":   "claim_id,dx\nC1,I10\n",
			"jsonl": `{"id":"C1","dx":["I10"]}` + "\n",
			"x12":   crX12Doc(crX12Claim("C1", "HI*ABK:I10")),
		}[format]
		in := io.MultiReader(strings.NewReader(head), crErrReader{boom})
		r, err := NewReader(in, "-", format, nil)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		var gotErr error
		for i := 0; i < 5; i++ {
			if _, err := r.Next(); err != nil {
				gotErr = err
				break
			}
		}
		if !errors.Is(gotErr, boom) {
			t.Errorf("%s: got %v, want the read error", format, gotErr)
		}
	}
}

type crErrReader struct{ err error }

func (e crErrReader) Read([]byte) (int, error) { return 0, e.err }

// The readers stream: a record comes out as soon as the input holding it
// (and, for grouped rows and X12, the start of the next claim) has arrived,
// before the input ends.
func TestClaimReadersStream(t *testing.T) {
	for _, tc := range []struct {
		name, format string
		m            *ColumnMap
		first, rest  string
		want         string
	}{
		{"csv", "", nil, "claim_id,dx\nC1,I10\n", "C2,E11.9\n", "1 line 2 C1 - age=- - dx=I10 px="},
		{"grouped csv", "", &ColumnMap{ClaimID: "id", DxList: "dx", PxList: "px", GroupRows: true},
			"id,dx,px\nC1,I10,99213\nC1,I10,36415\nC2,E11.9,99212\n", "C3,I10,99212\n", "1 lines 2-3 C1 - age=- - dx=I10 px=99213,36415"},
		{"jsonl", "", nil, `{"id":"C1","dx":["I10"]}` + "\n", `{"id":"C2","dx":["I10"]}` + "\n", "1 line 1 C1 - age=- - dx=I10 px="},
		{"x12", "", nil, crISA('*', '^', ':', '~') + "GS*HC~ST*837*1~HL*1**22*0~CLM*C1~HI*ABK:I10~CLM*C2~", "HI*ABK:E119~SE*4*1~",
			"1 segment 5 C1 - age=- - dx=I10 px="},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pr, pw := io.Pipe()
			go pw.Write([]byte(tc.first))
			got := make(chan string, 1)
			go func() {
				r, err := NewReader(pr, "-", tc.format, tc.m)
				if err != nil {
					got <- err.Error()
					return
				}
				rec, err := r.Next()
				if err != nil {
					got <- err.Error()
					return
				}
				got <- crLine(rec)
			}()
			select {
			case s := <-got:
				if s != tc.want {
					t.Errorf("first record %q, want %q", s, tc.want)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("no record before the end of the input: the reader does not stream")
			}
			pw.Close()
		})
	}
}

func TestClaimParsePx(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"J1100", "J1100"},
		{" j1100 ", "J1100"},
		{"J1100x2", "J1100x2"},
		{"J1100X2:LT", "J1100x2:LT"},
		{"J1100x2:lt:59", "J1100x2:LT:59"},
		{"J1100:LT:59x3", "J1100x3:LT:59"},
		{"J1100-59", "J1100:59"},
		{"J1100*4", "J1100x4"},
		{"L4361:NU:RT", "L4361:NU:RT"},
		{"99213:XS", "99213:XS"},
		{"J1100x0", "ERR"},
		{"J1100x2:LTx3", "ERR"},
		{"J110", "ERR"},
		{"J1100:LEFT", "ERR"},
		{"J1100x2x", "ERR"},
		{"", "ERR"},
	} {
		p, err := ParseProcedure(tc.in)
		got := "ERR"
		if err == nil {
			got = strings.TrimPrefix(crClaimLine(&Claim{Px: []Procedure{p}}), "- age=- - dx= px=")
		}
		if got != tc.want {
			t.Errorf("ParseProcedure(%q) = %q (%v), want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestClaimNormDx(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"E11.9", "E11.9"}, {"e119", "E11.9"}, {" I10 ", "I10"}, {"S72001A", "S72.001A"}, {"W01.0XXA", "W01.0XXA"},
		{"QA0", "QA0"}, {"250.00", "ERR"}, {"E1", "ERR"}, {"E11.9.1", "ERR"}, {"E11-9", "ERR"}, {"E1190000", "ERR"},
	} {
		got, err := claimDx(tc.in)
		if err != nil {
			got = "ERR"
		}
		if got != tc.want {
			t.Errorf("claimDx(%q) = %q (%v), want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestClaimAgeAt(t *testing.T) {
	d := func(s string) time.Time {
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			panic(err)
		}
		return t
	}
	for _, tc := range []struct {
		birth, at string
		want      int
	}{
		{"1958-03-02", "2026-03-02", 68},
		{"1958-03-03", "2026-03-02", 67},
		{"1958-02-28", "2026-03-02", 68},
		{"2024-02-29", "2025-02-28", 0},
		{"2024-02-29", "2025-03-01", 1},
		{"2026-03-02", "2026-03-02", 0},
	} {
		got, err := claimAgeAt(d(tc.birth), d(tc.at))
		if err != nil || got != tc.want {
			t.Errorf("claimAgeAt(%s, %s) = %d, %v; want %d", tc.birth, tc.at, got, err, tc.want)
		}
	}
	if _, err := claimAgeAt(d("2026-03-03"), d("2026-03-02")); err == nil {
		t.Error("a birth after the date of service: no error")
	}
}

func TestClaimRecordWhere(t *testing.T) {
	r := &Record{Source: "claims.csv", Pos: "line 4"}
	if got := r.Where(); got != "claims.csv: line 4" {
		t.Errorf("Where = %q", got)
	}
}

// A byte order mark before the header is not part of the first column.
func TestClaimReaderBOM(t *testing.T) {
	in := "\xEF\xBB\xBFclaim_id,dx\r\nC1,I10\r\n"
	r, err := NewReader(bytes.NewReader([]byte(in)), "-", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	crCheck(t, crReadAll(t, r), []string{"1 line 2 C1 - age=- - dx=I10 px="})
}
