package browse

import (
	"io"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/medcode/medcode/cmd/medcode/cli/cmdutil"
	"github.com/medcode/medcode/cmd/medcode/cli/iostreams"
	"github.com/medcode/medcode/coding"
	"github.com/medcode/medcode/coding/codingtest"
)

// benchQuery is typed one key at a time: 20 characters.
const benchQuery = "type 2 diabetes with"

// BenchmarkKeystroke times each key of a 20-character query from the key
// message to the redrawn screen with its answer, on the full index. The
// driver runs the search and the detail of the first result before the
// frame, so this is the list and the detail pane both redrawn. Target:
// p99 at most 30 ms.
func BenchmarkKeystroke(b *testing.B) {
	dr := full(b, "")
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dr.m.input.SetValue("")
		dr.m.results = nil
		b.StartTimer()
		for _, r := range benchQuery {
			start := time.Now()
			dr.keys(string(r))
			_ = dr.m.View()
			lat = append(lat, time.Since(start))
		}
		if dr.m.shown != benchQuery || len(dr.m.results) == 0 {
			b.Fatalf("no answer for %q", benchQuery)
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
	b.ReportMetric(ms(lat[len(lat)*99/100]), "p99-ms")
	b.ReportMetric(ms(lat[len(lat)-1]), "max-ms")
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// BenchmarkFirstFrame times what browse does before its first frame: the
// model and its view, the code book still opening. Target: the first frame
// of a cold process at most 150 ms, which the start-up of the process
// dominates (see README, Measuring).
func BenchmarkFirstFrame(b *testing.B) {
	for i := 0; i < b.N; i++ {
		m := newModel(nil, iostreams.TerminalStyles(io.Discard), io.Discard, "", "")
		m.opened = func() opened { return opened{} }
		if m.View().Content == "" {
			b.Fatal("no frame")
		}
	}
}

// BenchmarkOpen times opening the code book, which runs beside the first
// frame: the sample is built in memory, the full index only opened.
func BenchmarkOpen(b *testing.B) {
	for _, c := range []struct{ name, dir string }{{"sample", b.TempDir()}, {"full", codingtest.FullIndex(b)}} {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				f := &cmdutil.Factory{IO: iostreams.New(nil, io.Discard, io.Discard), DataDir: c.dir, Getenv: os.Getenv}
				d, _, err := openDomain(f, coding.Pick{})
				if err != nil {
					b.Fatal(err)
				}
				d.cb.Close()
			}
		})
	}
}
