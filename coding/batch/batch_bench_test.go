package batch

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/medcode/medcode/coding"
	"github.com/medcode/medcode/coding/claims"
	"github.com/medcode/medcode/coding/codingtest"
	"github.com/medcode/medcode/coding/validate"
)

// genClaimsCSV writes n synthetic claims in the default CSV layout: 4
// diagnoses and 3 procedure lines each, drawn from common codes (with an
// Excludes1 pair and a header code now and then, so the edits have work).
// The file is made at run time and never committed.
func genClaimsCSV(w io.Writer, n int, seed int64) error {
	dx := []string{"E11.9", "I10", "E78.5", "J44.9", "Z79.4", "N18.30", "F32.9", "M54.50", "R07.9", "K21.9", "E10.9", "J43.9", "E11", "Z00.00", "J06.9", "N39.0"}
	px := []string{"G0439", "J1100", "A4253", "E0601", "99213", "99214", "20610", "76942", "J7030", "G0008"}
	r := rand.New(rand.NewSource(seed))
	return writeClaimsCSV(w, n, r, "C", func() string { return dx[r.Intn(len(dx))] }, func() string { return px[r.Intn(len(px))] })
}

// streamMatchesAlone validates a claim file claim by claim with one
// validator, then as a batch, and fails on the first claim whose result
// differs. It returns how many results each gave.
func streamMatchesAlone(t *testing.T, cb *coding.Codebook, file []byte, m *claims.ColumnMap, opt Options) (batch, alone int) {
	t.Helper()
	rd, err := claims.NewReader(bytes.NewReader(file), "g.csv", "", m)
	if err != nil {
		t.Fatal(err)
	}
	var results []string
	v := validate.New(cb, opt.Packs, validate.Settings{})
	var found claims.Slab[validate.Finding]
	var skipped claims.Slab[string]
	var rep validate.Report
	for {
		rec, err := rd.Next()
		if err != nil {
			break
		}
		var res Result
		if err := validateRecord(v, &rep, &res, rec, &found, &skipped); err != nil {
			t.Fatal(err)
		}
		results = append(results, string(res.AppendJSON(nil)))
	}
	rd, err = claims.NewReader(bytes.NewReader(file), "g.csv", "", m)
	if err != nil {
		t.Fatal(err)
	}
	i := 0
	_, err = Stream(context.Background(), cb, rd, opt, func(r *Result) error {
		if got := string(r.AppendJSON(nil)); i >= len(results) || got != results[i] {
			return fmt.Errorf("claim %d in a batch: %s\nalone: %s", i+1, got, results[min(i, len(results)-1)])
		}
		i++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return i, len(results)
}

// writeClaimsCSV writes n claims in the default layout, IDs starting with
// prefix: 4 diagnoses and 3 procedure lines each, from dx and px.
func writeClaimsCSV(w io.Writer, n int, r *rand.Rand, prefix string, dx, px func() string) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	fmt.Fprintln(bw, "claim_id,date,age,sex,dx,px")
	for i := 0; i < n; i++ {
		sex := "F"
		if r.Intn(2) == 0 {
			sex = "M"
		}
		fmt.Fprintf(bw, "%s%07d,2026-%02d-%02d,%d,%s,%s %s %s %s,%s %sx%d %s\n", prefix, i, 4+r.Intn(3), 1+r.Intn(28), 18+r.Intn(70), sex,
			dx(), dx(), dx(), dx(), px(), px(), 1+r.Intn(3), px())
	}
	return bw.Flush()
}

// batchRun validates a generated CSV file end to end, writing JSON Lines to
// io.Discard, and returns the claims per second and the peak heap.
func batchRun(tb testing.TB, n int) (float64, uint64) { return batchRunWith(tb, n, genClaimsCSV) }

// batchRunWith is batchRun over the file gen writes.
func batchRunWith(tb testing.TB, n int, gen func(w io.Writer, n int, seed int64) error) (float64, uint64) {
	cb, err := coding.OpenCodebook(codingtest.FullIndex(tb))
	if err != nil {
		tb.Fatal(err)
	}
	defer cb.Close()
	packs, err := validate.LoadRulePacks()
	if err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(tb.TempDir(), "claims.csv")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	if err := gen(f, n, 1); err != nil {
		tb.Fatal(err)
	}
	f.Close()
	in, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer in.Close()
	rd, err := claims.NewReader(in, path, "", nil)
	if err != nil {
		tb.Fatal(err)
	}
	var peak uint64
	stop := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peak {
					peak = ms.HeapInuse
				}
			}
		}
	}()
	bw := bufio.NewWriterSize(io.Discard, 256<<10)
	var buf []byte
	start := time.Now()
	sum, err := Stream(context.Background(), cb, rd, Options{Packs: packs}, func(r *Result) error {
		buf = r.AppendJSON(buf[:0])
		_, err := bw.Write(buf)
		return err
	})
	el := time.Since(start)
	close(stop)
	if err != nil {
		tb.Fatal(err)
	}
	if sum.Claims != n {
		tb.Fatalf("%d claims in, %d results out", n, sum.Claims)
	}
	return float64(n) / el.Seconds(), peak
}

// BenchmarkBatchCSV is the batch throughput figure: set MEDCODE_BATCH_N
// (default 200,000; the figure is for 1,000,000).
func BenchmarkBatchCSV(b *testing.B) {
	n := 200000
	if s := os.Getenv("MEDCODE_BATCH_N"); s != "" {
		fmt.Sscan(s, &n)
	}
	for i := 0; i < b.N; i++ {
		rate, peak := batchRun(b, n)
		b.ReportMetric(rate, "claims/s")
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	}
}

// TestBatchAccountsForEveryRecord: a run over a generated file gives one
// result per claim, in input order.
func TestBatchAccountsForEveryRecord(t *testing.T) {
	cb, err := coding.OpenCodebook(codingtest.FullIndex(t))
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close()
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(genClaimsCSV(pw, 3000, 7)) }()
	rd, err := claims.NewReader(pr, "gen.csv", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	next := 1
	sum, err := Stream(context.Background(), cb, rd, Options{Workers: 3}, func(r *Result) error {
		if r.Seq != next {
			return fmt.Errorf("result %d out of order, want %d", r.Seq, next)
		}
		next++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Claims != 3000 || sum.Clean+sum.WithErrors+sum.WithWarnings+sum.Unreadable != 3000 {
		t.Fatalf("summary does not account for every claim: %+v", sum)
	}
}

// TestWriteGeneratedClaims writes a synthetic claim file for measuring the
// whole command, when asked:
//
//	MEDCODE_GEN_CLAIMS=/tmp/claims.csv MEDCODE_BATCH_N=1000000 \
//	  go test ./coding/batch -run TestWriteGeneratedClaims
//
// then time medcode validate /tmp/claims.csv > /dev/null. With
// MEDCODE_GEN_VARIETY=zipf or uniform the codes are drawn from every
// billable code of the releases (see genVariedClaimsCSV), read from the
// data directory MEDCODE_GEN_DATA_DIR, else from the official files
// loaded afresh (MEDCODE_TEST_DATA):
//
//	MEDCODE_GEN_CLAIMS=/tmp/claims-zipf.csv MEDCODE_GEN_VARIETY=zipf \
//	  MEDCODE_GEN_DATA_DIR=/path/to/medcode/data \
//	  go test ./coding/batch -run TestWriteGeneratedClaims
//
// The same variables give the same file.
func TestWriteGeneratedClaims(t *testing.T) {
	path := os.Getenv("MEDCODE_GEN_CLAIMS")
	if path == "" {
		t.Skip("set MEDCODE_GEN_CLAIMS to a file path to write a generated claim file")
	}
	n := 1000000
	if s := os.Getenv("MEDCODE_BATCH_N"); s != "" {
		fmt.Sscan(s, &n)
	}
	gen := genClaimsCSV
	if variety := genVariety(); variety != "" {
		cc := varietyCodes(t)
		gen = func(w io.Writer, n int, seed int64) error { return genVariedClaimsCSV(w, n, seed, cc, variety) }
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := gen(f, n, 1); err != nil {
		t.Fatal(err)
	}
}

// TestBatchReusesChunks: a batch reuses the memory of the chunks it has
// written, and still finds what a validator finds for each claim read on
// its own, claims grouped from rows across a chunk's end included.
func TestBatchReusesChunks(t *testing.T) {
	cb, err := coding.OpenCodebook(t.TempDir()) // the built-in sample
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close()
	m, err := claims.ParseColumnMap([]byte("version: 1\nclaim_id: CLAIM\ndate: DOS\ndx_list: DX\npx:\n  code: PX\n  units: UNITS\ngroup_rows: true\n"), "map.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dx := []string{"E11.9", "I10", "E10.9", "J44.9", "J43.9", "N18.30", "E78.5", "Z99.999", "E11"}
	px := []string{"G0439", "J1100", "99213", "20610", "76942", "A4253"}
	var b bytes.Buffer
	b.WriteString("CLAIM,DOS,DX,PX,UNITS\n")
	r := rand.New(rand.NewSource(3))
	for i := 0; i < 5*chunkSize; i++ {
		rows := 1 + r.Intn(3)
		for j := 0; j < rows; j++ {
			fmt.Fprintf(&b, "C%05d,2026-05-01,%s %s,%s,%d\n", i, dx[r.Intn(len(dx))], dx[r.Intn(len(dx))], px[r.Intn(len(px))], 1+r.Intn(3))
		}
	}
	n, nAlone := streamMatchesAlone(t, cb, b.Bytes(), m, Options{Workers: 2})
	if n != 5*chunkSize || nAlone != n {
		t.Fatalf("%d claims in the batch, %d alone; want %d", n, nAlone, 5*chunkSize)
	}
}
