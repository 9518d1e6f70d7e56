package claims

import (
	"bufio"
	"fmt"
	"strings"
	"testing"
)

// crISA builds a fixed-width ISA segment with the given delimiters.
func crISA(elem, rep, comp, term byte) string {
	f := []string{"ISA", "00", "          ", "00", "          ", "ZZ", "SENDER         ", "ZZ", "RECEIVER       ",
		"260302", "1200", string(rep), "00501", "000000001", "0", "P", string(comp)}
	s := strings.Join(f, string(elem)) + string(term)
	if len(s) != 106 {
		panic(fmt.Sprintf("ISA is %d bytes", len(s)))
	}
	return s
}

// crX12Doc wraps segments (each without terminator) in ISA/GS/ST..SE/GE/IEA
// with '*', ':' and '~'.
func crX12Doc(segs ...string) string {
	var b strings.Builder
	b.WriteString(crISA('*', '^', ':', '~'))
	b.WriteString("GS*HC*SENDER*RECEIVER*20260302*1200*1*X*005010X222A1~ST*837*0001*005010X222A1~")
	for _, s := range segs {
		b.WriteString(s)
		b.WriteString("~")
	}
	fmt.Fprintf(&b, "SE*%d*0001~GE*1*1~IEA*1*000000001~", len(segs)+2)
	return b.String()
}

// crX12Claim is a subscriber level and one claim, as one string of
// segments for crX12Doc.
func crX12Claim(id string, segs ...string) string {
	all := append([]string{"HL*1**20*1", "HL*2*1*22*0", "DMG*D8*19581114*F", "CLM*" + id + "*100***11:B:1*Y*A*Y*Y"}, segs...)
	all = append(all, "LX*1", "SV1*HC:99213*100*UN*1***1", "DTP*472*D8*20260302")
	return strings.Join(all, "~")
}

func crReadX12(t *testing.T, in string) []*Record {
	t.Helper()
	r, err := NewReader(strings.NewReader(in), "in.x12", "x12", nil)
	if err != nil {
		t.Fatal(err)
	}
	return crReadAll(t, r)
}

func crScanAll(t *testing.T, in string) []string {
	t.Helper()
	sc, err := newX12Scanner(bufio.NewReaderSize(strings.NewReader(in), 128)) // small: segments cross buffer refills
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for {
		els, err := sc.Next()
		if err != nil {
			break
		}
		out = append(out, fmt.Sprintf("%d:%s", sc.seg, strings.Join(els, "/")))
	}
	return out
}

func TestX12ScannerDelimiters(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     string
	}{
		{"tilde, no breaks", crISA('*', '^', ':', '~') + "GS*HC~ST*837*1~CLM*C1*10~SE*3*1~",
			"1:ISA 2:GS/HC 3:ST/837/1 4:CLM/C1/10 5:SE/3/1"},
		{"CRLF after each", crISA('*', '^', ':', '~') + "\r\nGS*HC~\r\nST*837*1~\r\n\r\nSE*2*1~\r\n",
			"1:ISA 2:GS/HC 3:ST/837/1 4:SE/2/1"},
		{"LF after each", crISA('*', '^', ':', '~') + "\nGS*HC~\nSE*2*1~\n", "1:ISA 2:GS/HC 3:SE/2/1"},
		{"newline terminator", crISA('|', '^', '>', '\n') + "GS|HC\nST|837|1\r\nSE|2|1\n", "1:ISA 2:GS/HC 3:ST/837/1 4:SE/2/1"},
		{"other separators", crISA('^', '{', '\\', '\'') + "GS^HC'CLM^C1^10'SE^2^1'", "1:ISA 2:GS/HC 3:CLM/C1/10 4:SE/2/1"},
		{"no final terminator", crISA('*', '^', ':', '~') + "GS*HC~IEA*1*1", "1:ISA 2:GS/HC 3:IEA/1/1"},
		{"leading white space", "\r\n  " + crISA('*', '^', ':', '~') + "GS*HC~", "1:ISA 2:GS/HC"},
		{"wrapped at 40 columns", crWrap(crISA('*', '^', ':', '~')+"GS*HC*SENDER*RECEIVER*20260302*1200*1*X*005010X222A1~CLM*C1*10~", 40),
			"1:ISA 2:GS/HC/SENDER/RECEIVER/20260302/1200/1/X/005010X222A1 3:CLM/C1/10"},
		{"empty elements", crISA('*', '^', ':', '~') + "SV1*HC:J1100*65***1~", "1:ISA 2:SV1/HC:J1100/65///1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := crScanAll(t, tc.in)
			for i := range got {
				if strings.HasPrefix(got[i], "1:ISA/") {
					got[i] = "1:ISA"
				}
			}
			if strings.Join(got, " ") != tc.want {
				t.Errorf("segments:\n%s\nwant:\n%s", strings.Join(got, " "), tc.want)
			}
		})
	}
}

// crWrap breaks s into lines of n bytes with CRLF.
func crWrap(s string, n int) string {
	var b strings.Builder
	for len(s) > n {
		b.WriteString(s[:n] + "\r\n")
		s = s[n:]
	}
	b.WriteString(s)
	return b.String()
}

func TestX12ScannerISA(t *testing.T) {
	sc, err := newX12Scanner(bufio.NewReader(strings.NewReader(crISA('*', '^', '>', '~'))))
	if err != nil {
		t.Fatal(err)
	}
	if sc.elem != '*' || sc.rep != '^' || sc.comp != '>' || sc.term != '~' {
		t.Errorf("delimiters %q %q %q %q", sc.elem, sc.rep, sc.comp, sc.term)
	}
	// 4010: ISA11 is "U", not a repetition separator.
	isa4010 := strings.Replace(crISA('*', 'U', ':', '~'), "*00501*", "*00401*", 1)
	if sc, err = newX12Scanner(bufio.NewReader(strings.NewReader(isa4010))); err != nil || sc.rep != 0 {
		t.Errorf("4010 ISA: rep %q, %v", sc.rep, err)
	}
	// An ISA padded wrongly is still read by counting separators.
	loose := "ISA*00**00**ZZ*SENDER*ZZ*RECEIVER*260302*1200*^*00501*1*0*P*:~GS*HC~"
	if got := crScanAll(t, loose); len(got) != 2 || got[1] != "2:GS/HC" {
		t.Errorf("loose ISA: %v", got)
	}
	for _, tc := range []struct{ in, want string }{
		{"", "the input is empty"},
		{"GS*HC*X~", "does not start with an ISA segment"},
		{"ISA*00*          *00*", "cut short"},
		{strings.Replace(crISA('*', '^', ':', '~'), ":~", ":A", 1), "segment terminator"},
	} {
		_, err := newX12Scanner(bufio.NewReader(strings.NewReader(tc.in)))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("newX12Scanner(%q): %v, want %q", tc.in, err, tc.want)
		}
	}
}

// A segment longer than the read buffer is read whole.
func TestX12ScannerLongSegment(t *testing.T) {
	long := strings.Repeat("A", 3*claimReadBuffer)
	in := crISA('*', '^', ':', '~') + "NTE*ADD*" + long + "~SE*1*1~"
	r, err := NewReader(strings.NewReader(in), "-", "x12", nil)
	if err != nil {
		t.Fatal(err)
	}
	sc := r.(*checkedReader).r.(*x12ClaimReader).sc
	sc.keep = nil // NTE is not one the 837 reader keeps
	var segs []string
	for {
		els, err := sc.Next()
		if err != nil {
			break
		}
		segs = append(segs, els[0])
		if els[0] == "NTE" && els[2] != long {
			t.Errorf("NTE02 has %d bytes, want %d", len(els[2]), len(long))
		}
	}
	if strings.Join(segs, " ") != "ISA NTE SE" {
		t.Errorf("segments %v", segs)
	}
}

func TestX12Components(t *testing.T) {
	for _, tc := range []struct {
		el   string
		i    int
		want string
	}{
		{"HC:99214:25", 0, "HC"}, {"HC:99214:25", 1, "99214"}, {"HC:99214:25", 2, "25"}, {"HC:99214:25", 3, ""},
		{"HC::LT", 1, ""}, {"HC::LT", 2, "LT"}, {"", 0, ""},
	} {
		if got := x12Component(tc.el, ':', tc.i); got != tc.want {
			t.Errorf("x12Component(%q, %d) = %q, want %q", tc.el, tc.i, got, tc.want)
		}
	}
}

// Several transactions in a group, several groups and interchanges: the
// segment count runs across the file, and levels do not leak from one
// transaction into the next.
func TestX12Envelopes(t *testing.T) {
	isa := crISA('*', '^', ':', '~')
	in := isa + "GS*HC*S*R*20260302*1200*1*X*005010X222A1~" + // 1-2
		"ST*837*0001~HL*1**20*1~HL*2*1*22*0~DMG*D8*19600101*M~CLM*A1~HI*ABK:I10~DTP*472*D8*20260302~SE*8*0001~" + // 3-10
		"ST*837*0002~HL*1**20*1~HL*2*1*22*0~CLM*A2~HI*ABK:E119~SE*6*0002~" + // 11-16: no DMG, no age
		"GE*2*1~GS*HC*S*R*20260302*1200*2*X*005010X223A2~" + // 17-18
		"ST*837*0003~HL*1**20*1~HL*2*1*22*0~DMG*D8*19900101*F~CLM*A3~DTP*434*RD8*20260301-20260303~HI*ABK:J189~SE*8*0003~" + // 19-26
		"GE*1*2~IEA*2*000000001~" + // 27-28
		strings.Replace(isa, "*:~", "*>~", 1) + "GS*HC~ST*837*0004~HL*1**22*0~CLM*A4~HI*ABK>J189*ABF>I10~SE*4*0004~GE*1*3~IEA*1*2~" // 29-
	crCheck(t, crReadX12(t, in), []string{
		"1 segment 7 A1 2026-03-02 age=66 M dx=I10 px=",
		"2 segment 14 A2 - age=- - dx=E11.9 px=",
		"3 segment 23 A3 2026-03-01 age=36 F dx=J18.9 px=",
		"4 segment 33 A4 - age=- - dx=J18.9,I10 px=",
	})
}

// Broken claims are records with the segment that broke them, and reading
// goes on with the next CLM.
func TestX12BrokenClaims(t *testing.T) {
	segs := []string{
		"HL*1**20*1",                 // 4
		"HL*2*1*22*0",                // 5
		"DMG*D8*19581114*F",          // 6
		"CLM**100",                   // 7: no id
		"HI*ABK:I10",                 // 8
		"CLM*B2*100",                 // 9
		"HI*ABK:I10*ABF:25000",       // 10: ICD-9 code
		"CLM*B3*100",                 // 11
		"HI*ABK:I10",                 // 12
		"SV1*HC:*100*UN*1",           // 13: no code
		"SV1*HC*100*UN*0",            // 14: no code, 0 units
		"CLM*B4*100",                 // 15
		"HI*ABK:I10",                 // 16
		"SV1*ER:99213*100*UN*1",      // 17: not HC
		"CLM*B5*100",                 // 18
		"HI*ABK:I10",                 // 19
		"SV1*HC:99213:LEFT*100*UN*1", // 20
		"CLM*B6*100",                 // 21
		"HI*ABK:I10",                 // 22
		"SV1*HC:99213*100*UN*1.5",    // 23
		"CLM*B7*100",                 // 24
		"HI*ABK:I10",                 // 25
		"DTP*472*D8*20260230",        // 26
		"CLM*B8*100",                 // 27
		"HI*ABK:I10",                 // 28
		"DTP*472*RD8*20260305",       // 29
		"CLM*B9*100",                 // 30
		"HI*ABF:",                    // 31
		"CLM*B10*100",                // 32
		"LX*1",                       // 33: no diagnosis and no procedure
		"CLM*B11*100",                // 34: fine
		"HI*ABK:I10",                 // 35
		"SV1*HC:J1100:LT:RT*65*UN*2", // 36
		"SV1*HC:99213x2*65*UN*2",     // 37
		"CLM*B12*100",                // 38
		"HI*ABK:I10",                 // 39
		"SV1*HC:99213*100*UN*2.0",    // 40
		"DTP*472*D8*20260302",        // 41
		"DTP*472*D8*20260309",        // 42: the first date wins
	}
	crCheck(t, crReadX12(t, crX12Doc(segs...)), []string{
		"1 segment 7 - ERR CLM01: no claim id",
		`2 segment 10 B2 ERR HI02: invalid ICD-10-CM code "25000": must start with a letter`,
		"3 segment 11 B3 - age=68 F dx=I10 px= nocode=SV101 at segment 13:1 nocode=SV101 at segment 14:0",
		`4 segment 17 B4 ERR SV101: product qualifier "ER": only HC (HCPCS and CPT) codes are read`,
		`5 segment 20 B5 ERR SV101-3: invalid modifier "LEFT": a modifier has two characters`,
		`6 segment 23 B6 ERR SV104: invalid units "1.5": want a whole number of 1 or more`,
		`7 segment 26 B7 ERR DTP*472: invalid date "20260230": want CCYYMMDD`,
		`8 segment 29 B8 ERR DTP*472: invalid date range "20260305": want CCYYMMDD-CCYYMMDD`,
		"9 segment 31 B9 ERR HI01: qualifier ABF without a code",
		"10 segment 32 B10 ERR the claim has no diagnosis or procedure",
		`11 segment 37 B11 ERR SV101: invalid procedure code "99213x2"`,
		"12 segment 38 B12 2026-03-02 age=67 F dx=I10 px=99213x2",
	})
}

// Demographics: the patient's DMG wins over the subscriber's; a new
// subscriber forgets the previous patient; a bad DMG makes the claims that
// use it unreadable, at the DMG segment.
func TestX12Demographics(t *testing.T) {
	segs := []string{
		"HL*1**20*1",          // 4
		"HL*2*1*22*1",         // 5
		"DMG*D8*19700101*M",   // 6
		"HL*3*2*23*0",         // 7
		"DMG*D8*20100615*F",   // 8
		"CLM*D1",              // 9
		"HI*ABK:J069",         // 10
		"DTP*472*D8*20260302", // 11
		"HL*4*1*22*0",         // 12: the subscriber is the patient
		"DMG*D8*19800302*M",   // 13
		"CLM*D2",              // 14
		"HI*ABK:I10",          // 15
		"DTP*472*D8*20260302", // 16
		"HL*5*1*22*0",         // 17
		"DMG*D8*19801340*F",   // 18: bad date
		"CLM*D3",              // 19
		"HI*ABK:I10",          // 20
		"CLM*D4",              // 21
		"HI*ABK:I10",          // 22
		"HL*6*1*22*0",         // 23
		"DMG*D8*20300101*X",   // 24: bad sex
		"CLM*D5",              // 25
		"HI*ABK:I10",          // 26
		"HL*7*1*22*0",         // 27
		"DMG*D8*20300101*U",   // 28: born after the service
		"CLM*D6",              // 29
		"HI*ABK:I10",          // 30
		"DTP*472*D8*20260302", // 31
		"HL*8*1*22*0",         // 32: no DMG
		"CLM*D7",              // 33
		"HI*ABK:I10",          // 34
	}
	crCheck(t, crReadX12(t, crX12Doc(segs...)), []string{
		"1 segment 9 D1 2026-03-02 age=15 F dx=J06.9 px=",
		"2 segment 14 D2 2026-03-02 age=46 M dx=I10 px=",
		`3 segment 18 D3 ERR DMG02: invalid birth date "19801340": want CCYYMMDD`,
		`4 segment 18 D4 ERR DMG02: invalid birth date "19801340": want CCYYMMDD`,
		`5 segment 24 D5 ERR DMG03: invalid sex "X": want F, M or U`,
		"6 segment 28 D6 ERR DMG02: birth date 2030-01-01 is after the date of service 2026-03-02",
		"7 segment 33 D7 - age=- - dx=I10 px=",
	})
}

// 837I: statement dates before service dates, revenue-code lines, HIPPS
// codes, and the order of diagnosis qualifiers.
func TestX12Institutional(t *testing.T) {
	segs := []string{
		"HL*1**20*1", "HL*2*1*22*0", "DMG*D8*19480922*M",
		"CLM*I1*500***11:A:1",
		"DTP*472*D8*20260310",
		"DTP*434*RD8*20260301-20260305",
		"HI*APR:R0602*ABN:W1830XA",
		"HI*ABF:J9601*ABK:J189*ABJ:R0602",
		"HI*BH:11:D8:20260301*BE:80:::4*BBR:0BH17EZ",
		"LX*1", "SV2*0120**400*DA*4",
		"LX*2", "SV2*0022*HP:RUX11*100*UN*1",
		"LX*3", "SV2*0250*HC:J2543:JW*100*UN*12",
	}
	crCheck(t, crReadX12(t, crX12Doc(segs...)), []string{
		"1 segment 7 I1 2026-03-01 age=77 M dx=J18.9,J96.01,W18.30XA,R06.02 px=J2543x12:JW",
	})
}

// A transaction that is not an 837 is reported and skipped.
func TestX12OtherTransaction(t *testing.T) {
	in := crISA('*', '^', ':', '~') + "GS*HP~ST*835*0001~CLP*C9*1~SE*3*0001~GE*1*1~GS*HC~ST*837*0002~HL*1**22*0~CLM*C1~HI*ABK:I10~SE*5*0002~GE*1*2~"
	crCheck(t, crReadX12(t, in), []string{
		`1 segment 3 - ERR ST01: transaction set "835" is not an 837 claim; skipped to its SE`,
		"2 segment 10 C1 - age=- - dx=I10 px=",
	})
}

// A damaged segment costs the claim it is in, and reading goes on at the
// next CLM; a later interchange whose ISA cannot be read is a record, and
// its claims are read with the delimiters before.
func TestX12DamagedSegments(t *testing.T) {
	in := crX12Doc(crX12Claim("D1", "HI*ABK:I10"), "CLM*D2*100", "H\x00I*ABK:E119", "SV1*HC:99213*100*UN*1", "CLM*D3*100", "HI*ABK:E119", "DTP*472*D8*20260302") +
		"ISA|00|short~" + crX12Doc("CLM*D4*100", "HI*ABK:I10")[106:]
	crCheck(t, crReadX12(t, in), []string{
		"1 segment 7 D1 2026-03-02 age=67 F dx=I10 px=99213",
		"2 segment 13 D2 ERR the segment is damaged: its id is not an X12 segment id",
		"3 segment 15 D3 2026-03-02 age=67 F dx=E11.9 px=",
		"4 segment 21 - ERR ISA: the segment is cut short: it needs 16 elements and a terminator",
		"5 segment 24 D4 - age=- - dx=I10 px=",
	})
}
