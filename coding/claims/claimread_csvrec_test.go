package claims

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand"
	"strings"
	"testing"
)

// csvRecords splits records as encoding/csv does with LazyQuotes, on
// quoted fields, line breaks in quotes, bare quotes, CRLF, blank lines,
// lines longer than the read buffer and multi-byte delimiters.
func TestCSVRecordsAsEncodingCSV(t *testing.T) {
	inputs := []string{
		"", "\n", "a", "a,b\n", "a,b", "a,b\r\n\r\nc,d\r\n", "a,b\r", "\r\n\r\n",
		`"a,b",c` + "\n", `"a""b",c`, `"a"b",c` + "\n", `a"b,c`, `"a` + "\nb\",c\nd,e\n",
		`"unterminated` + "\nmore\n", `"x"` + "\r\n" + `"y"`, `"a"` + "\n", `,,` + "\n,\n",
		"id,dx\n\nC1,I10\n  \nC2,\"E11.9\nI10\"\n",
		"x,\"" + strings.Repeat("q", 100) + "\n" + strings.Repeat("r", 50) + "\",y\n" + strings.Repeat("z", 70) + "\n",
		"a\"\"b,\"c\"\"\"\n", "\"a\"\r\nb", "\"a\r\nb\"\n",
	}
	r := rand.New(rand.NewSource(1))
	alphabet := []string{"a", "b", ",", ";", "¦", `"`, `"`, "\n", "\r\n", "\r", " ", "é"}
	for i := 0; i < 3000; i++ {
		var b strings.Builder
		for n := r.Intn(40); n > 0; n-- {
			b.WriteString(alphabet[r.Intn(len(alphabet))])
		}
		inputs = append(inputs, b.String())
	}
	for _, in := range inputs {
		for _, delim := range []rune{',', ';', '¦'} {
			want := stdCSV(in, delim)
			got := ourCSV(t, in, delim)
			if got != want && got != "" {
				t.Fatalf("%q with %q:\n got %s\nwant %s", in, delim, got, want)
			}
		}
	}
}

func stdCSV(in string, delim rune) string {
	cr := csv.NewReader(strings.NewReader(in))
	cr.Comma, cr.FieldsPerRecord, cr.LazyQuotes = delim, -1, true
	var b strings.Builder
	for {
		f, err := cr.Read()
		if err == io.EOF {
			return b.String()
		}
		if err != nil {
			return b.String() + "error " + err.Error()
		}
		line, _ := cr.FieldPos(0)
		fmt.Fprintf(&b, "%d %q;", line, f)
	}
}

func ourCSV(t *testing.T, in string, delim rune) string {
	rs, err := newCSVRecords(bufio.NewReaderSize(strings.NewReader(in), 16), delim)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for {
		f, line, last, pos, bad, err := rs.read()
		if err == io.EOF {
			return b.String()
		}
		if err != nil {
			return b.String() + "error " + err.Error()
		}
		if bad != nil {
			return "" // no longer as encoding/csv: see TestCSVResync
		}
		want := fmt.Sprintf("line %d", line)
		if last > line {
			want = fmt.Sprintf("lines %d-%d", line, last)
		}
		if pos != want {
			t.Fatalf("position %q for lines %d-%d", pos, line, last)
		}
		fmt.Fprintf(&b, "%d %q;", line, f)
	}
}
