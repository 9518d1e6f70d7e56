package batch

import (
	"bytes"
	"fmt"
	"io"
	"math/rand"
	"os"
	"testing"

	"github.com/medcode/medcode/coding"
	"github.com/medcode/medcode/coding/claims"
	"github.com/medcode/medcode/coding/codingtest"
	"github.com/medcode/medcode/coding/validate"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/index"
)

// The default generated file draws from 16 diagnoses and 10 procedures, so
// after the first claims every code and pair of codes is known. Real
// claims name thousands of codes, and their cost is in the codes and pairs
// not seen before: a varied file draws every code from the loaded
// releases instead. MEDCODE_GEN_VARIETY picks the mix:
//
//   - zipf: a few codes are common and most are rare, as in real claims (the
//     hundred most drawn diagnoses are a third of all, the thousand most
//     drawn two thirds), and nearly every billable code turns up;
//   - uniform: every code as likely as any other, the worst case, where
//     nearly every pair of codes of a claim is new.

// claimCodes are what a varied file draws from: the billable ICD-10-CM
// codes (dotted) and the HCPCS Level II procedure codes of the loaded
// releases, shuffled, so that the common codes of a Zipf mix come from
// every chapter rather than from the first.
type claimCodes struct{ dx, px []string }

func loadClaimCodes(cb *coding.Codebook, seed int64) (*claimCodes, error) {
	cc := &claimCodes{}
	for _, sys := range []codeset.System{codeset.ICD10CM, codeset.HCPCS} {
		rel, _, err := cb.ReleaseFor(sys, coding.Pick{})
		if err != nil {
			return nil, err
		}
		if rel == nil {
			return nil, fmt.Errorf("no %s release loaded", sys)
		}
		err = cb.Index().ForEach(rel.ID, func(e *index.Entry) error {
			switch {
			case !e.Billable:
			case sys == codeset.ICD10CM:
				cc.dx = append(cc.dx, codeset.DotICD(e.Code))
			default:
				cc.px = append(cc.px, e.Code)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	r := rand.New(rand.NewSource(seed))
	r.Shuffle(len(cc.dx), func(i, j int) { cc.dx[i], cc.dx[j] = cc.dx[j], cc.dx[i] })
	r.Shuffle(len(cc.px), func(i, j int) { cc.px[i], cc.px[j] = cc.px[j], cc.px[i] })
	return cc, nil
}

// picker draws codes from a list by the named mix.
func picker(r *rand.Rand, variety string, list []string) (func() string, error) {
	switch variety {
	case "zipf":
		// s 1.1 with an offset of 10 keeps the commonest code near 2% of
		// all draws rather than the 14% of a bare Zipf law.
		z := rand.NewZipf(r, 1.1, 10, uint64(len(list)-1))
		return func() string { return list[z.Uint64()] }, nil
	case "uniform":
		return func() string { return list[r.Intn(len(list))] }, nil
	}
	return nil, fmt.Errorf("MEDCODE_GEN_VARIETY %q: want zipf or uniform", variety)
}

// genVariedClaimsCSV writes n claims in the layout of genClaimsCSV, 4
// diagnoses and 3 procedure lines each, the codes drawn from cc.
func genVariedClaimsCSV(w io.Writer, n int, seed int64, cc *claimCodes, variety string) error {
	r := rand.New(rand.NewSource(seed))
	dx, err := picker(r, variety, cc.dx)
	if err != nil {
		return err
	}
	px, err := picker(r, variety, cc.px)
	if err != nil {
		return err
	}
	return writeClaimsCSV(w, n, r, "V", dx, px)
}

// genVariety is the mix MEDCODE_GEN_VARIETY asks for, "" for the default
// generator.
func genVariety() string { return os.Getenv("MEDCODE_GEN_VARIETY") }

// varietyCodes opens the data directory MEDCODE_GEN_DATA_DIR names (one
// already loaded, such as medcode's own), else loads the official files,
// and returns the codes a varied file draws from.
func varietyCodes(tb testing.TB) *claimCodes {
	tb.Helper()
	dir := os.Getenv("MEDCODE_GEN_DATA_DIR")
	if dir == "" {
		dir = codingtest.FullIndex(tb)
	}
	cb, err := coding.OpenCodebook(dir)
	if err != nil {
		tb.Fatal(err)
	}
	defer cb.Close()
	cc, err := loadClaimCodes(cb, 1)
	if err != nil {
		tb.Fatal(err)
	}
	return cc
}

// BenchmarkBatchCSVVaried is BenchmarkBatchCSV over claims of thousands of
// codes: MEDCODE_GEN_VARIETY=zipf (the default here) or uniform, and
// MEDCODE_BATCH_N claims (default 200,000):
//
//	CI=true MEDCODE_GEN_VARIETY=uniform \
//	  go test ./coding/batch -run '^$' -bench BatchCSVVaried -benchtime 1x
func BenchmarkBatchCSVVaried(b *testing.B) {
	n := 200000
	if s := os.Getenv("MEDCODE_BATCH_N"); s != "" {
		fmt.Sscan(s, &n)
	}
	variety := genVariety()
	if variety == "" {
		variety = "zipf"
	}
	cc := varietyCodes(b)
	gen := func(w io.Writer, n int, seed int64) error { return genVariedClaimsCSV(w, n, seed, cc, variety) }
	for i := 0; i < b.N; i++ {
		rate, peak := batchRunWith(b, n, gen)
		b.ReportMetric(rate, "claims/s")
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	}
}

// TestVariedClaimsDrawFromManyCodes: a Zipf mix names thousands of codes,
// the same ones for the same seed.
func TestVariedClaimsDrawFromManyCodes(t *testing.T) {
	cc := varietyCodes(t)
	if len(cc.dx) < 70000 || len(cc.px) < 5000 {
		t.Fatalf("%d diagnoses and %d procedures to draw from; want the whole releases", len(cc.dx), len(cc.px))
	}
	var first, again bytes.Buffer
	for _, w := range []*bytes.Buffer{&first, &again} {
		if err := genVariedClaimsCSV(w, 20000, 3, cc, "zipf"); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(first.Bytes(), again.Bytes()) {
		t.Fatal("the same seed wrote two different files")
	}
	dx := map[string]bool{}
	rd, err := claims.NewReader(&first, "varied.csv", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	claims := 0
	for {
		r, err := rd.Next()
		if err != nil {
			break
		}
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		claims++
		for _, d := range r.Claim.Dx {
			dx[d] = true
		}
	}
	if claims != 20000 {
		t.Fatalf("%d claims read back, want 20000", claims)
	}
	if len(dx) < 10000 {
		t.Errorf("20,000 claims name %d diagnoses; want a variety of thousands", len(dx))
	}
}

// TestSharedRecordsAgreeWithOwn: workers sharing the records of the codes
// they meet find what one validator finds alone, claim for claim.
func TestSharedRecordsAgreeWithOwn(t *testing.T) {
	cc := varietyCodes(t)
	var in bytes.Buffer
	if err := genVariedClaimsCSV(&in, 4000, 5, cc, "zipf"); err != nil {
		t.Fatal(err)
	}
	cb, err := coding.OpenCodebook(codingtest.FullIndex(t))
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close()
	packs, err := validate.LoadRulePacks()
	if err != nil {
		t.Fatal(err)
	}
	n, nAlone := streamMatchesAlone(t, cb, in.Bytes(), nil, Options{Packs: packs, Workers: 3})
	if n != nAlone || n != 4000 {
		t.Fatalf("%d results shared, %d alone, want 4000", n, nAlone)
	}
}
