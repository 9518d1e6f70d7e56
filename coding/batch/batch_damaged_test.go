package batch

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand"
	"os"
	"strings"
	"testing"

	"github.com/medcode/medcode/coding"
	"github.com/medcode/medcode/coding/claims"
)

// Damage kinds of a claim file row, as real files and disks have them.
var damageKinds = []string{"half row", "; separators", "binary junk", "extra columns", "unclosed quote"}

// damagedWriter passes generated claim rows through, damaging a share of
// them (never the header): each damaged row must come out as one
// unreadable record, and every other row as a claim.
type damagedWriter struct {
	w       io.Writer
	r       *rand.Rand
	rate    float64
	partial []byte
	line    int
	counts  []int // damaged rows by kind
}

func newDamagedWriter(w io.Writer, rate float64, seed int64) *damagedWriter {
	return &damagedWriter{w: w, r: rand.New(rand.NewSource(seed)), rate: rate, counts: make([]int, len(damageKinds))}
}

func (d *damagedWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			d.partial = append(d.partial, p...)
			break
		}
		line := append(d.partial, p[:i]...)
		d.partial = d.partial[:0]
		p = p[i+1:]
		d.line++
		if d.line > 1 && d.r.Float64() < d.rate {
			line = d.damage(line)
		}
		if _, err := d.w.Write(append(line, '\n')); err != nil {
			return 0, err
		}
	}
	return n, nil
}

func (d *damagedWriter) damage(row []byte) []byte {
	k := d.r.Intn(len(damageKinds))
	d.counts[k]++
	switch k {
	case 0: // a row cut short: fewer fields
		return row[:len(row)/2]
	case 1:
		return bytes.ReplaceAll(row, []byte(","), []byte(";"))
	case 2: // bytes of a disk sector: no delimiter, quote or line break
		junk := make([]byte, 20+d.r.Intn(60))
		for i := range junk {
			c := byte(d.r.Intn(256))
			for c == ',' || c == '"' || c == '\n' || c >= ' ' && c < 0x7f {
				c = byte(d.r.Intn(32))
				if c == '\n' {
					c = 0
				}
			}
			junk[i] = c
		}
		return junk
	case 3:
		return append(row, ",EXTRA,1"...)
	}
	// A quote that opens the diagnosis field and never closes.
	f := bytes.SplitN(row, []byte(","), 5)
	return bytes.Join(append(f[:4], append([]byte{'"'}, f[4]...)), []byte(","))
}

func (d *damagedWriter) damaged() int {
	n := 0
	for _, c := range d.counts {
		n += c
	}
	return n
}

// TestBatchDamagedFile: in a generated file with 1% damaged rows, each
// damaged row is one unreadable record and costs no other row; the
// summary accounts for every line.
func TestBatchDamagedFile(t *testing.T) {
	cb, err := coding.OpenCodebook(t.TempDir()) // the built-in sample
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close()
	const n = 20000
	var b bytes.Buffer
	dw := newDamagedWriter(&b, 0.01, 5)
	if err := genClaimsCSV(dw, n, 5); err != nil {
		t.Fatal(err)
	}
	for k, c := range dw.counts {
		if c == 0 {
			t.Fatalf("no row damaged by %s", damageKinds[k])
		}
	}
	rd, err := claims.NewReader(bytes.NewReader(b.Bytes()), "damaged.csv", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	unreadable := 0
	sum, err := Stream(context.Background(), cb, rd, Options{Workers: 2}, func(r *Result) error {
		if r.Status == StatusUnreadable {
			unreadable++
			if len(r.Reason) > 200 || len(r.ClaimID) > 43 {
				return fmt.Errorf("%s: reason or id too long: %q %q", r.Position, r.Reason, r.ClaimID)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Claims != n || sum.Read.Records != n || sum.Read.Lines != n+1 || sum.Read.Skipped != 1 {
		t.Errorf("%d rows: %d results, read %+v", n, sum.Claims, sum.Read)
	}
	if unreadable != dw.damaged() || sum.Unreadable != unreadable {
		t.Errorf("%d rows damaged (%v), %d unreadable, summary %d", dw.damaged(), dw.counts, unreadable, sum.Unreadable)
	}
}

// TestWriteDamagedClaims writes the generated claim file of
// TestWriteGeneratedClaims with a share of its rows damaged (half rows,
// ';' separators, binary junk, extra columns, an opening quote that never
// closes), for measuring the whole command on it, when asked:
//
//	MEDCODE_GEN_DAMAGED=/tmp/damaged.csv MEDCODE_BATCH_N=1000000 \
//	  go test ./coding/batch -run TestWriteDamagedClaims -v
//	/usr/bin/time -v medcode validate --summary -o /tmp/out.jsonl /tmp/damaged.csv
//
// MEDCODE_GEN_DAMAGE_RATE sets the share (default 0.01). The same
// variables give the same file; the test logs how many rows of each kind
// it damaged.
func TestWriteDamagedClaims(t *testing.T) {
	path := os.Getenv("MEDCODE_GEN_DAMAGED")
	if path == "" {
		t.Skip("set MEDCODE_GEN_DAMAGED to a file path to write a damaged claim file")
	}
	n, rate := 1000000, 0.01
	if s := os.Getenv("MEDCODE_BATCH_N"); s != "" {
		fmt.Sscan(s, &n)
	}
	if s := os.Getenv("MEDCODE_GEN_DAMAGE_RATE"); s != "" {
		fmt.Sscan(s, &rate)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	dw := newDamagedWriter(bw, rate, 1)
	if err := genClaimsCSV(dw, n, 1); err != nil {
		t.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for k, c := range dw.counts {
		kinds = append(kinds, fmt.Sprintf("%s %d", damageKinds[k], c))
	}
	t.Logf("%d claims, %d rows damaged: %s", n, dw.damaged(), strings.Join(kinds, ", "))
}
