package claims

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The claim readers under Go's fuzzing, seeded from testdata/claims (and
// the crashes kept in testdata/fuzz). Each target checks what a reader
// promises whatever the input: no panic; every line (or CLM) of the input
// in exactly one record, or a header or blank line; records in order, each
// a claim or a reason; positions that name the record's lines; and no
// field or message carrying more than maxEcho bytes of the input. Run one
// for longer with
//
//	go test ./coding/claims -run '^$' -fuzz '^FuzzCSVReader$' -fuzztime 10m

func fuzzSeeds(f *testing.F, add func([]byte), exts ...string) {
	for _, ext := range exts {
		files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "claims", "*."+ext))
		for _, name := range files {
			b, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			add(b)
		}
	}
}

// fuzzRead reads every record of in, checking each, and returns them
// with the reader; nil when NewReader refused the input.
func fuzzRead(t *testing.T, in []byte, format string, m *ColumnMap) ([]*Record, Reader) {
	r, err := NewReader(bytes.NewReader(in), "in", format, m)
	if err != nil {
		fuzzNoEcho(t, in, "NewReader error", err.Error())
		if !strings.Contains(err.Error(), "in") {
			t.Fatalf("error does not name the file: %v", err)
		}
		return nil, nil
	}
	var recs []*Record
	for {
		rec, err := r.Next()
		if errors.Is(err, ErrNoClaims) {
			if len(recs) != 0 {
				t.Fatalf("no claims after %d records", len(recs))
			}
			return nil, r
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("Next: %v (a reader of bytes has no read error)", err)
		}
		if rec.Seq != len(recs)+1 || rec.Source != "in" {
			t.Fatalf("record %d: seq %d, source %q", len(recs)+1, rec.Seq, rec.Source)
		}
		if (rec.Err == nil) == (rec.Claim == nil) {
			t.Fatalf("record %d: claim %v and error %v: want one of them", rec.Seq, rec.Claim != nil, rec.Err)
		}
		if len(rec.ID) > maxEcho+3 {
			t.Fatalf("record %d: id of %d bytes", rec.Seq, len(rec.ID))
		}
		fuzzNoEcho(t, in, "id", rec.ID)
		if rec.Err != nil {
			fuzzNoEcho(t, in, "reason", rec.Err.Error())
		}
		if rec.Claim != nil {
			for _, l := range rec.Claim.NoCode {
				fuzzNoEcho(t, in, "line without code", l.Where)
			}
		}
		recs = append(recs, rec)
		if len(recs) > len(in)+1 {
			t.Fatal("more records than bytes")
		}
	}
	return recs, r
}

// fuzzNoEcho fails when s repeats more than maxEcho bytes of in in one run.
func fuzzNoEcho(t *testing.T, in []byte, what, s string) {
	const w = maxEcho + 1
	for i := 0; i+w <= len(s); i++ {
		if bytes.Contains(in, []byte(s[i:i+w])) {
			t.Fatalf("%s repeats %q from the input, more than %d bytes: %q", what, s[i:i+w], maxEcho, s)
		}
	}
}

// fuzzLines is how many lines a reader splits in into.
func fuzzLines(in []byte) int {
	in = bytes.TrimPrefix(in, claimBOM)
	n := bytes.Count(in, []byte("\n"))
	if len(in) > 0 && in[len(in)-1] != '\n' {
		n++
	}
	return n
}

// fuzzAccounted: every line is in one record, in order, or skipped, and
// each record's position names its lines.
func fuzzAccounted(t *testing.T, in []byte, recs []*Record, r Reader) {
	tl := r.(Tallier).Tally()
	n, prev := tl.Skipped, 0
	for _, rec := range recs {
		if rec.First <= prev || rec.Last < rec.First {
			t.Fatalf("record %d spans lines %d-%d after line %d", rec.Seq, rec.First, rec.Last, prev)
		}
		want := fmt.Sprintf("lines %d-%d", rec.First, rec.Last)
		if rec.First == rec.Last {
			want = fmt.Sprintf("line %d", rec.First)
		}
		if rec.Pos != want && !strings.HasPrefix(rec.Pos, want) {
			t.Fatalf("record %d at %q, spanning lines %d-%d", rec.Seq, rec.Pos, rec.First, rec.Last)
		}
		prev = rec.Last
		n += rec.Last - rec.First + 1
	}
	if lines := fuzzLines(in); n != lines || tl.Lines != lines || tl.Records != len(recs) {
		t.Fatalf("%d lines in records or skipped, tally %+v; the input has %d lines, gave %d records", n, tl, lines, len(recs))
	}
}

// FuzzCSVReader reads delimited claims, with a column map when the second
// input is one.
func FuzzCSVReader(f *testing.F) {
	fuzzSeeds(f, func(b []byte) { f.Add(b, []byte(nil)) }, "csv", "tsv", "psv")
	exp, err := os.ReadFile(filepath.Join("..", "..", "testdata", "claims", "claims_export.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	csvExp, err := os.ReadFile(filepath.Join("..", "..", "testdata", "claims", "claims_export.csv"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(csvExp, exp)
	f.Add([]byte("id,dx,px\nC1,\"I10,99213\nC2,I10,99213\n"), []byte(nil))
	f.Add([]byte("CLM|DX1|HCPCS_1|UNITS_1\nK1|E119||0\nK2|E119||2\n"), []byte("version: 1\nclaim_id: CLM\ndx: [DX1]\npx: {code: HCPCS_1, units: UNITS_1}\n"))
	f.Fuzz(func(t *testing.T, in, mapYAML []byte) {
		var m *ColumnMap
		if len(mapYAML) > 0 {
			if m, _ = ParseColumnMap(mapYAML, "map.yaml"); m == nil {
				return
			}
		}
		recs, r := fuzzRead(t, in, "csv", m)
		if r != nil {
			fuzzAccounted(t, in, recs, r)
		}
	})
}

// FuzzJSONLReader reads JSON Lines: one line, one record.
func FuzzJSONLReader(f *testing.F) {
	fuzzSeeds(f, func(b []byte) { f.Add(b) }, "jsonl")
	f.Add([]byte(`{"id":"C1","dx":"I10","px":[{"code":"","units":0}]}` + "\n\n{\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		recs, r := fuzzRead(t, in, "jsonl", nil)
		if r == nil {
			return
		}
		fuzzAccounted(t, in, recs, r)
		for _, rec := range recs {
			if rec.First != rec.Last {
				t.Fatalf("record %d spans lines %d-%d", rec.Seq, rec.First, rec.Last)
			}
		}
	})
}

// FuzzX12Reader reads 837s: every CLM is one record, and so is every
// transaction set that is not an 837 and every ISA that cannot be read.
func FuzzX12Reader(f *testing.F) {
	fuzzSeeds(f, func(b []byte) { f.Add(b) }, "x12")
	f.Fuzz(func(t *testing.T, in []byte) {
		recs, r := fuzzRead(t, in, "x12", nil)
		if r == nil {
			return
		}
		want, segs := fuzzX12Records(t, in)
		if len(recs) != want {
			t.Fatalf("%d records, want one per CLM and per skipped ST or bad ISA: %d", len(recs), want)
		}
		prev := 0
		for _, rec := range recs {
			if rec.First < prev || rec.Last < rec.First || rec.Last > segs {
				t.Fatalf("record %d spans segments %d-%d after %d, of %d", rec.Seq, rec.First, rec.Last, prev, segs)
			}
			prev = rec.Last
		}
		if tl := r.(Tallier).Tally(); tl.Segments != segs || tl.Records != len(recs) {
			t.Fatalf("tally %+v, for %d segments and %d records", tl, segs, len(recs))
		}
	})
}

// fuzzX12Records counts what should be records, with a scanner of its own:
// CLM segments outside transaction sets that are not 837s, those sets, and
// ISA segments that cannot be read.
func fuzzX12Records(t *testing.T, in []byte) (records, segments int) {
	br := bytesReader(in)
	claimSkipBOM(br)
	sc, err := newX12Scanner(br)
	if err != nil {
		t.Fatalf("the reader read what the scanner refuses: %v", err)
	}
	skip := false
	for {
		els, err := sc.Next()
		if err != nil {
			return records, sc.seg
		}
		switch {
		case sc.bad != nil:
			records++
			continue
		case sc.long, sc.broken:
			continue
		}
		switch els[0] {
		case "ISA", "GS", "GE", "IEA", "SE":
			skip = false
		case "ST":
			skip = x12Element(els, 1) != "837"
			if skip {
				records++
			}
		case "CLM":
			if !skip {
				records++
			}
		}
	}
}

// FuzzColumnMap reads column maps: a mistake names the map and its line,
// and a map that reads is one a CSV reader takes or refuses by name.
func FuzzColumnMap(f *testing.F) {
	exp, err := os.ReadFile(filepath.Join("..", "..", "testdata", "claims", "claims_export.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(exp)
	f.Add([]byte("version: 1\nclaim_id: CLM\ndx_list: DX\ndx_separator: \";\"\npx_list: PX\ndelimiter: tab\ngroup_rows: true\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseColumnMap(b, "map.yaml")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "map.yaml:") {
				t.Fatalf("error does not name the map: %v", err)
			}
			return
		}
		header := "CLAIM_NO,FROM_DATE,AGE,GENDER,DIAG_1,HCPCS,UNITS,MOD1\n"
		r, err := NewReader(strings.NewReader(header+"C1,03/02/2026,67,F,E119,99213,1,25\n"), "in.csv", "csv", m)
		if err != nil {
			if !strings.Contains(err.Error(), "in.csv") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for {
			if _, err := r.Next(); err != nil {
				break
			}
		}
	})
}

func bytesReader(in []byte) *bufio.Reader {
	return bufio.NewReaderSize(bytes.NewReader(in), claimReadBuffer)
}
