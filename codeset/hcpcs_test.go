package codeset

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/medcode/medcode/codeset/officialtest"
)

const (
	hcpcsSample  = "HCPC2020_sample_ANWEB.txt"
	hcpcsReal    = "cms-hcpcs/HCPC2020_ANWEB_w_disclaimer.txt"
	hcpcsRealZip = "cms-hcpcs/2020-Alpha-Numeric-HCPCS-File.zip"
	procNoteReal = "cms-hcpcs/proc_notes_2020.txt"
)

func day(s string) time.Time {
	t, err := time.Parse("20060102", s)
	if err != nil {
		panic(err)
	}
	return t
}

func hcpcsFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "hcpcs", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// realHCPCSFile returns the path of a file under the test data directory,
// applying the same skip-or-fail rule to a missing file as to a missing
// directory.
func realHCPCSFile(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(officialtest.Dir(t), filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("test data file missing: %v", err)
		}
		t.Skipf("test data file missing: %v", err)
	}
	return p
}

func parseHCPCSFile(t testing.TB, path string) *HCPCSFile {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	f, err := ParseHCPCS(fh, filepath.Base(path))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// sampleRecords is the fixture as read independently from the record layout,
// continuation lines folded in by hand.
var sampleRecords = []HCPCSRecord{
	{
		Code: "AM", IsModifier: true, Line: 5, Seq: "00100",
		LongDesc:  "Physician, team member service",
		ShortDesc: "Physician, team member svc",
		MCM:       []string{"4105.7"}, XRef: []string{"QM"},
		Coverage: "D", ProcNote: "0069", Action: "N",
		Added: day("19910101"), ActionEffective: day("19970101"),
	},
	{
		Code: "LT", IsModifier: true, Line: 6, Seq: "00100",
		LongDesc:  "Left side (used to identify procedures performed on the left side of the body)",
		ShortDesc: "Left side",
		Coverage:  "C", Action: "N",
		Added: day("19840101"), ActionEffective: day("19970101"),
	},
	{
		Code: "RT", IsModifier: true, Line: 7, Seq: "00100",
		LongDesc:  "Right side (used to identify procedures performed on the right side of the body)",
		ShortDesc: "Right side",
		Coverage:  "C", Action: "N",
		Added: day("19840101"), ActionEffective: day("19970101"),
	},
	{
		Code: "XS", IsModifier: true, Line: 8, Seq: "00100",
		LongDesc:  "Separate structure, a service that is distinct because it was performed on a separate organ/structure",
		ShortDesc: "Separate organ/structure",
		Coverage:  "C", Action: "N",
		Added: day("20150101"), ActionEffective: day("20150101"),
	},
	{
		Code: "A4253", Line: 10, Seq: "00100",
		LongDesc:  "Blood glucose test or reagent strips for home blood glucose monitor, per 50 strips",
		ShortDesc: "Blood glucose/reagent strips",
		Pricing:   []string{"32"}, MultiPricing: "A", CIM: []string{"60-11"},
		Coverage: "D", BETOS: "D1E", TypeOfService: []string{"P"}, AnesBaseUnits: "0", Action: "N",
		Added: day("19860101"), ActionEffective: day("19980701"),
	},
	{
		Code: "A4466", Line: 12, Seq: "00100",
		LongDesc:  "Garment, belt, sleeve or other covering, elastic or similar stretchable material, any type, each",
		ShortDesc: "Elastic garment/covering",
		Pricing:   []string{"00"}, MultiPricing: "9", XRef: []string{"A4467"},
		Coverage: "M", ProcNote: "0196", BETOS: "Z2", TypeOfService: []string{"9"}, AnesBaseUnits: "0", Action: "N",
		Added: day("20100101"), ActionEffective: day("20170101"), Terminated: day("20161231"),
	},
	{
		Code: "A9513", Line: 14, Seq: "00100",
		LongDesc:  "Lutetium lu 177, dotatate, therapeutic, 1 millicurie",
		ShortDesc: "Lutetium lu 177 dotatat ther",
		Pricing:   []string{"57"}, MultiPricing: "A", CIM: []string{"153.60"},
		Coverage: "D", ASCGroup: "YY", ASCEffective: day("20190101"),
		BETOS: "I1E", TypeOfService: []string{"6"}, AnesBaseUnits: "0", Action: "N",
		Added: day("20190101"), ActionEffective: day("20190101"),
	},
	{
		Code: "C9742", Line: 15, Seq: "00100",
		LongDesc:  "Laryngoscopy, flexible fiberoptic, with injection into vocal cord(s), therapeutic, including diagnostic laryngoscopy, if performed",
		ShortDesc: "Laryngoscopy with injection",
		Pricing:   []string{"53"}, MultiPricing: "A", Statute: "1833(t)", XRef: []string{"31573", "31574"},
		Coverage: "D", BETOS: "P8H", TypeOfService: []string{"2", "F"}, AnesBaseUnits: "0", Action: "N",
		Added: day("20150101"), ActionEffective: day("20170101"), Terminated: day("20161231"),
	},
	{
		Code: "E0100", Line: 17, Seq: "00100",
		LongDesc:  "Cane, includes canes of all materials, adjustable or fixed, with tip",
		ShortDesc: "Cane adjust/fixed with tip",
		Pricing:   []string{"32"}, MultiPricing: "A", CIM: []string{"60-3", "60-9"}, MCM: []string{"2100.1"},
		Coverage: "D", BETOS: "D1E", TypeOfService: []string{"A", "P", "R"}, AnesBaseUnits: "0", Action: "N",
		Added: day("19860101"), ActionEffective: day("19960101"),
	},
	{
		Code: "E0601", Line: 18, Seq: "00100",
		LongDesc:  "Continuous positive airway pressure (cpap) device",
		ShortDesc: "Cont airway pressure device",
		Pricing:   []string{"36"}, MultiPricing: "A", CIM: []string{"60-17"},
		Coverage: "D", BETOS: "D1E", TypeOfService: []string{"R"}, AnesBaseUnits: "0", Action: "N",
		Added: day("19880101"), ActionEffective: day("20140101"),
	},
	{
		Code: "G0124", Line: 19, Seq: "00100",
		LongDesc:  "Screening cytopathology, cervical or vaginal (any reporting system), collected in preservative fluid, automated thin layer preparation, requiring interpretation by physician",
		ShortDesc: "Screen c/v thin layer by md",
		Pricing:   []string{"11", "21"}, MultiPricing: "C", CIM: []string{"50-20"}, LabCert: []string{"630"},
		Coverage: "D", ProcNote: "0045", BETOS: "T1H", TypeOfService: []string{"5"}, AnesBaseUnits: "0", Action: "N",
		Added: day("19980401"), ActionEffective: day("19980401"),
	},
	{
		Code: "G0439", Line: 22, Seq: "00100",
		LongDesc:  "Annual wellness visit, includes a personalized prevention plan of service (pps), subsequent visit",
		ShortDesc: "Ppps, subseq visit",
		Pricing:   []string{"13"}, MultiPricing: "A",
		Coverage: "C", BETOS: "M5D", TypeOfService: []string{"1"}, AnesBaseUnits: "0", Action: "N",
		Added: day("20110101"), ActionEffective: day("20110101"),
	},
	{
		Code: "J1100", Line: 24, Seq: "00100",
		LongDesc:  "Injection, dexamethasone sodium phosphate, 1 mg",
		ShortDesc: "Dexamethasone sodium phos",
		Pricing:   []string{"51"}, MultiPricing: "A", MCM: []string{"2049"},
		Coverage: "D", BETOS: "O1E", TypeOfService: []string{"1", "P"}, AnesBaseUnits: "0", Action: "N",
		Added: day("19820101"), ActionEffective: day("20010101"),
	},
	{
		Code: "K0001", Line: 25, Seq: "00100",
		LongDesc:  "Standard wheelchair",
		ShortDesc: "Standard wheelchair",
		Pricing:   []string{"36"}, MultiPricing: "A",
		Coverage: "C", BETOS: "D1D", TypeOfService: []string{"R"}, AnesBaseUnits: "0", Action: "N",
		Added: day("19940101"), ActionEffective: day("19940101"),
	},
}

func TestParseHCPCSSample(t *testing.T) {
	// The name carries no year, so 2020 must come from the disclaimer.
	f, err := ParseHCPCS(bytes.NewReader(hcpcsFixture(t, hcpcsSample)), "sample.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := &HCPCSFile{Year: 2020, Records: sampleRecords, Procedures: 10, Modifiers: 4, Lines: 21}
	if diff := cmp.Diff(want, f); diff != "" {
		t.Errorf("ParseHCPCS mismatch (-want +got):\n%s", diff)
	}
}

func TestParseHCPCSSampleYearFromName(t *testing.T) {
	// Without the disclaimer only the name is left to tell the year.
	b := hcpcsFixture(t, hcpcsSample)
	b = b[bytes.Index(b, []byte("   AM00100")):]
	f, err := ParseHCPCS(bytes.NewReader(b), "HCPC2026_JAN_ANWEB_v3.txt")
	if err != nil {
		t.Fatal(err)
	}
	if f.Year != 2026 {
		t.Errorf("Year = %d, want 2026", f.Year)
	}
	if f.Records[0].Line != 1 {
		t.Errorf("first record on line %d, want 1", f.Records[0].Line)
	}
}

// sampleLine returns the fixture line holding the first line of code.
func sampleLine(t *testing.T, code string) string {
	t.Helper()
	for l := range strings.SplitSeq(string(hcpcsFixture(t, hcpcsSample)), "\r\n") {
		if strings.HasPrefix(l, code) {
			return l
		}
	}
	t.Fatalf("%s not in fixture", code)
	return ""
}

func TestParseHCPCSLineShapes(t *testing.T) {
	j1100 := sampleLine(t, "J1100")
	a4253 := sampleLine(t, "A4253")
	tests := []struct {
		name string
		in   string
		long string
	}{
		{"filler trimmed", strings.TrimRight(j1100, " ") + "\r\n", "Injection, dexamethasone sodium phosphate, 1 mg"},
		{"LF only", j1100 + "\n", "Injection, dexamethasone sodium phosphate, 1 mg"},
		{"continuation padded", a4253 + "\r\n" + "A4253002004strips" + strings.Repeat(" ", 309) + "\r\n",
			"Blood glucose test or reagent strips for home blood glucose monitor, per 50 strips"},
		{"continuation without text", a4253 + "\r\nA4253002004\r\n",
			"Blood glucose test or reagent strips for home blood glucose monitor, per 50"},
		{"blank line between", a4253 + "\r\n\r\nA4253002004strips\r\n",
			"Blood glucose test or reagent strips for home blood glucose monitor, per 50 strips"},
		{"windows-1252", strings.Replace(j1100, "1 mg ", "1 mg\x92", 1) + "\r\n", "Injection, dexamethasone sodium phosphate, 1 mg\u2019"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ParseHCPCS(strings.NewReader(tt.in), "x.txt")
			if err != nil {
				t.Fatal(err)
			}
			if got := f.Records[0].LongDesc; got != tt.long {
				t.Errorf("LongDesc = %q, want %q", got, tt.long)
			}
		})
	}
}

func TestDecodeWindows1252(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"CMS\x92 2020", "CMS\u2019 2020"},
		{"\x80\x85\x91\x93\x94\x96\x97\x99", "€…‘“”–—™"},
		{"caf\xe9 \xb0 \xa0", "café ° \u00a0"},
		// Undefined in Windows-1252: kept as the C1 controls, never dropped.
		{"\x81\x8d\x8f\x90\x9d", "\u0081\u008d\u008f\u0090\u009d"},
	}
	for _, tt := range tests {
		if got := decodeWindows1252(tt.in); got != tt.want {
			t.Errorf("decodeWindows1252(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	var all [256]byte
	for i := range all {
		all[i] = byte(i)
	}
	got := decodeWindows1252(string(all[:]))
	if !utf8.ValidString(got) || utf8.RuneCountInString(got) != 256 {
		t.Errorf("decoding every byte gave %d runes (valid UTF-8: %v), want 256", utf8.RuneCountInString(got), utf8.ValidString(got))
	}
}

func TestParseHCPCSErrors(t *testing.T) {
	fixtures := []struct {
		file string
		line int
		msg  string
	}{
		{"HCPC2020_bad_short.txt", 4, "hcpcs: HCPC2020_bad_short.txt:4: record cut short at column 201 (want at least 293)"},
		{"HCPC2020_bad_recid.txt", 4, `hcpcs: HCPC2020_bad_recid.txt:4: unknown record id "5"`},
		{"HCPC2020_bad_layout.txt", 0, "hcpcs: HCPC2020_bad_layout.txt: no HCPCS records found"},
	}
	for _, tt := range fixtures {
		t.Run(tt.file, func(t *testing.T) {
			_, err := ParseHCPCS(bytes.NewReader(hcpcsFixture(t, tt.file)), tt.file)
			checkLineError(t, err, tt.file, tt.line, tt.msg)
		})
	}

	j1100 := sampleLine(t, "J1100")
	lt := sampleLine(t, "   LT")
	inline := []struct {
		name string
		in   string
		line int
		msg  string
	}{
		{"orphan continuation", "A4253002004strips\r\n", 1, "continuation line (id 4) with no preceding record"},
		{"continuation of other code", j1100 + "\r\nA4253002004strips\r\n", 2, "continuation line for A4253 follows record J1100"},
		{"procedure continuation after modifier", lt + "\r\n   LT002004x\r\n", 2, "continuation line (id 4) follows modifier LT"},
		{"modifier continuation after procedure", j1100 + "\r\nJ1100002008x\r\n", 2, "continuation line (id 8) follows procedure J1100"},
		{"no record id", j1100 + "\r\nJ110000200\r\n", 2, "record cut short at column 11"},
		{"cut in sequence", j1100 + "\r\nJ1100002\r\n", 2, "record cut short at column 9"},
		{"letter in date", j1100[:268] + "1982O101" + j1100[276:] + "\r\n", 1, `added date in columns 269-276: not a YYYYMMDD date: "1982O101"`},
		{"impossible date", j1100[:284] + "20191340" + j1100[292:] + "\r\n", 1, `termination date in columns 285-292: not a valid date: "20191340"`},
		{"modifier with code", "J1X" + lt[3:] + "\r\n", 1, `modifier record (id 7) with procedure code "J1XLT"`},
		{"procedure without code", "   " + j1100[3:] + "\r\n", 1, `procedure record (id 3) with modifier code "00"`},
		{"records run together", j1100 + j1100 + "\r\n", 1, "text after column 320"},
		{"text after records", j1100 + "\r\nEnd of file\r\n", 2, `not an HCPCS record: "End of file"`},
	}
	for _, tt := range inline {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseHCPCS(strings.NewReader(tt.in), "x.txt")
			checkLineError(t, err, "x.txt", tt.line, tt.msg)
		})
	}
}

func checkLineError(t *testing.T, err error, file string, line int, msg string) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	var le *LineError
	if !errors.As(err, &le) {
		t.Fatalf("error %q (%T) is not a *LineError", err, err)
	}
	if le.File != file || le.Line != line {
		t.Errorf("error at %s:%d, want %s:%d", le.File, le.Line, file, line)
	}
	if !strings.Contains(err.Error(), msg) {
		t.Errorf("error %q does not contain %q", err, msg)
	}
}

func TestHCPCSYearFromName(t *testing.T) {
	tests := []struct {
		name string
		want int
	}{
		{"HCPC2020_ANWEB_w_disclaimer.txt", 2020},
		{"HCPC2026_JAN_ANWEB_v3.txt", 2026},
		{"/data/cms/hcpc2019_anweb.TXT", 2019},
		{`C:\cms\HCPCS2021_ANWEB.txt`, 2021},
		{"2020-Alpha-Numeric-HCPCS-File.zip", 2020},
		{"2021 HCPCS/HCPC2022_APR_ANWEB.txt", 2022},
		{"anweb.txt", 0},
		{"HCPC20201_ANWEB.txt", 0},
	}
	for _, tt := range tests {
		if got := HCPCSYearFromName(tt.name); got != tt.want {
			t.Errorf("HCPCSYearFromName(%q) = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestLooksLike(t *testing.T) {
	sample := hcpcsFixture(t, hcpcsSample)
	notes := hcpcsFixture(t, "proc_notes_sample.txt")
	tests := []struct {
		name        string
		head        []byte
		hcpcs, note bool
	}{
		{"hcpcs sample", sample, true, false},
		{"hcpcs head cut inside the first record", sample[:bytes.Index(sample, []byte("   AM"))+200], false, false},
		{"hcpcs without line ends", []byte(strings.TrimRight(sampleLine(t, "J1100"), " ")), true, false},
		{"proc notes", notes, false, true},
		{"changes report", hcpcsFixture(t, "HCPC2020_bad_layout.txt"), false, false},
		{"cut short", hcpcsFixture(t, "HCPC2020_bad_short.txt"), true, false},
		{"empty", nil, false, false},
		{"order file", []byte("00001 A00     0 Cholera   Cholera\r\n"), false, false},
	}
	for _, tt := range tests {
		if got := LooksLikeHCPCS(tt.head); got != tt.hcpcs {
			t.Errorf("LooksLikeHCPCS(%s) = %v, want %v", tt.name, got, tt.hcpcs)
		}
		if got := LooksLikeProcNotes(tt.head); got != tt.note {
			t.Errorf("LooksLikeProcNotes(%s) = %v, want %v", tt.name, got, tt.note)
		}
	}
}

func TestParseProcNotesSample(t *testing.T) {
	got, err := ParseProcNotes(bytes.NewReader(hcpcsFixture(t, "proc_notes_sample.txt")), "proc_notes_sample.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := ProcNotes{
		"0001": "THIS PROCESSING NOTE DELETED 1/1/97.",
		"0002": "THESE CODES (82585, 82595) PERTAIN TO PERFORMING THE ANALYSIS FOR THE ANALYTE AS OPPOSED TO ADMINISTRATION OF THE ANALYTE.",
		"0003": "THIS PROCEDURE (85029, 85030) IS USUALLY PART OF THE AUTOMATED PROFILES FOR CBC AND CONSIDERATION SHOULD BE GIVEN TO NOT PAYING SEPARATELY FOR THESE INDICES.",
		"0045": "SEE INTERMEDIARY MANUAL 3628.1A FOR PAYMENT INSTRUCTIONS. (P3000,P3001 G0123, G0124, G0141, G0143, G0144, G0145, G0147, G0148). PROGRAM MEMORANDUM AB-98-71.60.",
		"0135": "MEDICARE BENEFIT POLICY MANUAL, PUB 100.2, CHAPTER 15, SECTION 110.3 (100.02,15,110.3).",
		"0183": "NCD 220.6 POSITRON EMISSION TOMOGRAPHY (PET) SCANS, (EFFECTIVE 4/6/2009) (REV. 120; ISSUED 5/6/2010; EFFECTIVE DATE: 4/3/2009; IMPLEMENTATION DATE: 10/30/2009).",
		"0184": "MEDICARE RECOGNIZES CODE G0455 FOR THIS SERVICE.",
		"0202": "THE PATIENT PROTECTION AND AFFORDABLE CARE ACT MADE IT MANDATORY FOR ALL HEALTHCARE INSURANCE PLANS TO COVER SOME PREVENTIVE SERVICES AND IMMUNIZATIONS AS PART OF ALL BENEFIT PLANS; THIS MODIFIER DOES NOT APPLY TO CMS SCREENING SERVICES AS THEY ARE STATUTORILY ADMINISTERED.",
		"0218": "MEDICARE DOES NOT COVER THIS SERVICE INDEPENDENTLY AS A SEPARATE IDENTIFIABLE SERVICE.",
		"0219": "NCD 30.4.",
		"0220": "REFER TO THE NCD MANUAL, SECTION 30.3.",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseProcNotes mismatch (-want +got):\n%s", diff)
	}
}

func TestParseProcNotesErrors(t *testing.T) {
	tests := []struct {
		name, in string
		line     int
		msg      string
	}{
		{"twice", "  0001--A.  *\r\n\r\n  0001--B.  *\r\n", 3, "processing note 0001 defined twice"},
		{"hcpcs file", sampleLine(t, "J1100") + "\r\n", 0, "notes.txt: no processing notes found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseProcNotes(strings.NewReader(tt.in), "notes.txt")
			checkLineError(t, err, "notes.txt", tt.line, tt.msg)
		})
	}
}

// countRecordIDs counts the lines of a raw HCPCS file by the record id in
// column 11, independently of the parser.
func countRecordIDs(t *testing.T, raw []byte) map[byte]int {
	t.Helper()
	n := map[byte]int{}
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		l := sc.Bytes()
		if len(l) > 10 && l[5] >= '0' && l[5] <= '9' && bytes.IndexByte([]byte("3478"), l[10]) >= 0 {
			n[l[10]]++
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestParseHCPCSReal(t *testing.T) {
	path := realHCPCSFile(t, hcpcsReal)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := ParseHCPCS(bytes.NewReader(raw), filepath.Base(path))
	if err != nil {
		t.Fatal(err)
	}
	if f.Year != 2020 {
		t.Errorf("Year = %d, want 2020", f.Year)
	}
	cont := f.Lines - f.Procedures - f.Modifiers
	if f.Procedures != 6710 || f.Modifiers != 369 || cont != 5280 {
		t.Errorf("got %d procedures, %d modifiers, %d continuation lines; want 6710, 369, 5280", f.Procedures, f.Modifiers, cont)
	}
	ids := countRecordIDs(t, raw)
	if f.Procedures != ids['3'] || f.Modifiers != ids['7'] || cont != ids['4']+ids['8'] {
		t.Errorf("parser counts %d/%d/%d disagree with column 11 counts %v", f.Procedures, f.Modifiers, cont, ids)
	}
	if len(f.Records) != f.Procedures+f.Modifiers {
		t.Errorf("%d records, want %d", len(f.Records), f.Procedures+f.Modifiers)
	}
	if !LooksLikeHCPCS(raw[:8192]) || LooksLikeProcNotes(raw[:8192]) {
		t.Error("the first 8 KB are not recognised as an HCPCS file")
	}

	lines := bytes.Split(raw, []byte("\r\n"))
	seen := map[string]bool{}
	for _, r := range f.Records {
		if seen[r.Code] {
			t.Errorf("%s appears twice", r.Code)
		}
		seen[r.Code] = true
		if id := lines[r.Line-1][10]; id != '3' && id != '7' {
			t.Errorf("%s: line %d has record id %c", r.Code, r.Line, id)
		}
		if r.LongDesc == "" || r.ShortDesc == "" || r.Added.IsZero() || r.Action == "" {
			t.Errorf("%s: incomplete record %+v", r.Code, r)
		}
		if !r.Terminated.IsZero() && r.Terminated.Before(r.Added) {
			t.Errorf("%s: terminated %v before added %v", r.Code, r.Terminated, r.Added)
		}
	}
}

func TestParseHCPCSRealZip(t *testing.T) {
	want := parseHCPCSFile(t, realHCPCSFile(t, hcpcsReal))
	zr, err := zip.OpenReader(realHCPCSFile(t, hcpcsRealZip))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	// Pick the member by content: the zip also holds the proc notes, the
	// change reports and spreadsheets.
	var found []string
	for _, zf := range zr.File {
		b := readZipMember(t, zf)
		switch {
		case LooksLikeHCPCS(b[:min(len(b), 8192)]):
			found = append(found, zf.Name)
			got, err := ParseHCPCS(bytes.NewReader(b), zf.Name)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("zip member %s parses differently (-file +zip):\n%s", zf.Name, diff)
			}
		case LooksLikeProcNotes(b[:min(len(b), 8192)]):
			found = append(found, zf.Name)
		}
	}
	if diff := cmp.Diff([]string{"HCPC2020_ANWEB_w_disclaimer.txt", "proc_notes_2020.txt"}, found); diff != "" {
		t.Errorf("members recognised by content (-want +got):\n%s", diff)
	}
}

func readZipMember(t *testing.T, zf *zip.File) []byte {
	t.Helper()
	rc, err := zf.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestProcNotesReal(t *testing.T) {
	raw, err := os.ReadFile(realHCPCSFile(t, procNoteReal))
	if err != nil {
		t.Fatal(err)
	}
	notes, err := ParseProcNotes(bytes.NewReader(raw), "proc_notes_2020.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 220 {
		t.Errorf("%d notes, want 220", len(notes))
	}
	for num, text := range notes {
		if text == "" || strings.ContainsAny(text, "*\t") || strings.Contains(text, "  ") {
			t.Errorf("note %s badly cleaned: %q", num, text)
		}
	}
	// Every note a record points at must exist; 0000 is CMS's "none".
	f := parseHCPCSFile(t, realHCPCSFile(t, hcpcsReal))
	for _, r := range f.Records {
		if _, ok := notes[r.ProcNote]; r.ProcNote != "" && r.ProcNote != "0000" && !ok {
			t.Errorf("%s refers to missing processing note %s", r.Code, r.ProcNote)
		}
	}
}

// TestHCPCSSampleMatchesReal guards the hand-made fixture against drift
// from what CMS published.
func TestHCPCSSampleMatchesReal(t *testing.T) {
	real := parseHCPCSFile(t, realHCPCSFile(t, hcpcsReal))
	byCode := map[string]HCPCSRecord{}
	for _, r := range real.Records {
		byCode[r.Code] = r
	}
	sample, err := ParseHCPCS(bytes.NewReader(hcpcsFixture(t, hcpcsSample)), hcpcsSample)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sample.Records {
		r, ok := byCode[s.Code]
		if !ok {
			t.Errorf("%s is not in the real file", s.Code)
			continue
		}
		if r.LongDesc != s.LongDesc || r.ShortDesc != s.ShortDesc {
			t.Errorf("%s: fixture says %q / %q, CMS says %q / %q", s.Code, s.LongDesc, s.ShortDesc, r.LongDesc, r.ShortDesc)
		}
		s.Line, r.Line = 0, 0
		if diff := cmp.Diff(r, s); diff != "" {
			t.Errorf("%s differs from the real file (-real +fixture):\n%s", s.Code, diff)
		}
	}
}

func BenchmarkParseHCPCS(b *testing.B) {
	raw, err := os.ReadFile(realHCPCSFile(b, hcpcsReal))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseHCPCS(bytes.NewReader(raw), "HCPC2020_ANWEB_w_disclaimer.txt"); err != nil {
			b.Fatal(err)
		}
	}
}
