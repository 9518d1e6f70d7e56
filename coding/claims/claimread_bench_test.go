package claims

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
)

var (
	crDx = []string{"E11.9", "I10", "E78.5", "Z79.4", "J06.9", "M54.50", "I48.91", "N18.30", "F32.A", "S72.001A", "K21.9"}
	crPx = []string{"99213", "99214", "J1100x2:LT", "36415", "G0439", "93000", "97110x3:GP", "20610:RT"}
)

// crGenCSV writes n claims in the default layout, 4 diagnoses and 3
// service lines each.
func crGenCSV(w io.Writer, n int) {
	bw := &bytes.Buffer{}
	bw.WriteString("claim_id,date,age,sex,dx,px\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(bw, "C%07d,2026-%02d-%02d,%d,%s,%s;%s;%s;%s,%s;%s;%s\n", i, 1+i%12, 1+i%28, i%100, "FM"[i%2:i%2+1],
			crDx[i%11], crDx[(i+3)%11], crDx[(i+5)%11], crDx[(i+7)%11], crPx[i%8], crPx[(i+2)%8], crPx[(i+5)%8])
		if bw.Len() > 1<<20 {
			w.Write(bw.Bytes())
			bw.Reset()
		}
	}
	w.Write(bw.Bytes())
}

// crGenX12 writes n 837P claims, two per subscriber, in one transaction
// per 1,000 claims.
func crGenX12(w io.Writer, n int) {
	var b strings.Builder
	b.WriteString(crISA('*', '^', ':', '~'))
	b.WriteString("GS*HC*SENDER*RECEIVER*20260302*1200*1*X*005010X222A1~")
	segs := 0
	st := 0
	for i := 0; i < n; i++ {
		if i%1000 == 0 {
			if st > 0 {
				fmt.Fprintf(&b, "SE*%d*%04d~", segs+1, st)
			}
			st++
			fmt.Fprintf(&b, "ST*837*%04d*005010X222A1~BHT*0019*00*B%d*20260302*1200*CH~NM1*41*2*CLINIC*****46*X1~HL*1**20*1~NM1*85*2*CLINIC*****XX*1234567893~", st, st)
			segs = 5
		}
		if i%2 == 0 {
			fmt.Fprintf(&b, "HL*%d*1*22*0~SBR*P*18*******CI~NM1*IL*1*DOE*JANE****MI*X%d~DMG*D8*19%02d0615*%s~NM1*PR*2*PLAN*****PI*1~", i+2, i, 30+i%70, "FM"[i%2:i%2+1])
			segs += 5
		}
		fmt.Fprintf(&b, "CLM*P%07d*300***11:B:1*Y*A*Y*Y~HI*ABK:%s*ABF:%s*ABF:%s*ABF:%s~", i,
			strings.ReplaceAll(crDx[i%11], ".", ""), strings.ReplaceAll(crDx[(i+3)%11], ".", ""),
			strings.ReplaceAll(crDx[(i+5)%11], ".", ""), strings.ReplaceAll(crDx[(i+7)%11], ".", ""))
		segs += 2
		for k, px := range []string{"HC:99214:25", "HC:J1100:LT", "HC:36415"} {
			fmt.Fprintf(&b, "LX*%d~SV1*%s*100*UN*%d***1~DTP*472*D8*20260302~", k+1, px, 1+k%2)
			segs += 3
		}
		if b.Len() > 1<<20 {
			io.WriteString(w, b.String())
			b.Reset()
		}
	}
	fmt.Fprintf(&b, "SE*%d*%04d~GE*%d*1~IEA*1*000000001~", segs+1, st, st)
	io.WriteString(w, b.String())
}

var (
	crBenchOnce sync.Once
	crBenchCSV  []byte
)

const crBenchClaims = 1_000_000

func crBenchRead(b *testing.B, data []byte, format string, claims int) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := NewReader(bytes.NewReader(data), "bench", format, nil)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			rec, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if rec.Err != nil {
				b.Fatalf("%s: %v", rec.Pos, rec.Err)
			}
			n++
		}
		if n != claims {
			b.Fatalf("%d claims, want %d", n, claims)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(claims)*float64(b.N)/b.Elapsed().Seconds(), "claims/s")
}

// BenchmarkReadCSV reads a generated file of 1,000,000 claims (4 dx and 3
// px each); allocs/op is per million claims.
func BenchmarkReadCSV(b *testing.B) {
	crBenchOnce.Do(func() {
		var buf bytes.Buffer
		crGenCSV(&buf, crBenchClaims)
		crBenchCSV = buf.Bytes()
	})
	crBenchRead(b, crBenchCSV, "csv", crBenchClaims)
}

// BenchmarkReadX12 reads 20,000 generated 837P claims (4 dx and 3 service
// lines each).
func BenchmarkReadX12(b *testing.B) {
	var buf bytes.Buffer
	crGenX12(&buf, 20_000)
	crBenchRead(b, buf.Bytes(), "x12", 20_000)
}

// The generators write what the readers read back.
func TestClaimGenerators(t *testing.T) {
	var buf bytes.Buffer
	crGenCSV(&buf, 50)
	r, err := NewReader(&buf, "gen", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	recs := crReadAll(t, r)
	if len(recs) != 50 || recs[49].Claim == nil || len(recs[49].Claim.Dx) != 4 || len(recs[49].Claim.Px) != 3 {
		t.Fatalf("csv: %d records, last %s", len(recs), crLine(recs[len(recs)-1]))
	}
	buf.Reset()
	crGenX12(&buf, 2500)
	if r, err = NewReader(&buf, "gen", "", nil); err != nil {
		t.Fatal(err)
	}
	recs = crReadAll(t, r)
	if len(recs) != 2500 {
		t.Fatalf("x12: %d records", len(recs))
	}
	for _, rec := range recs {
		if rec.Claim == nil || len(rec.Claim.Dx) != 4 || len(rec.Claim.Px) != 3 || rec.Claim.Age == nil {
			t.Fatalf("x12: %s", crLine(rec))
		}
	}
}
