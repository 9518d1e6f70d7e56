package suggest

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/medcode/medcode/coding"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/index"
)

// TestSuggestTitles asks for every 60th billable code by its own long title
// (which should come first), by its plain wording and by its official
// short title, the coder's abbreviated form (which should be in the top
// ten). The floors sit a little under the measured figures, so a change
// that makes suggestion worse fails here. -short skips it.
func TestSuggestTitles(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the title evaluation asks about 2,600 queries")
	}
	sg, cb := fullSuggester(t)
	es := titleSample(t, cb)
	var long1, short10, shortN, plain1, plainN int
	var lm, sm, pm []string
	for _, e := range es {
		want := []string{displayCode(e.System, e.Code)}
		res, err := sg.Suggest(e.Title, Options{Limit: 10, System: codeset.ICD10CM})
		if err != nil {
			t.Fatal(err)
		}
		if r := rankOf(res, want); r == 1 {
			long1++
		} else {
			got := ""
			if len(res.Results) > 0 {
				got = res.Results[0].Code + " " + res.Results[0].Title
			}
			lm = append(lm, fmt.Sprintf("%s %q rank %d got %s", want[0], e.Title, r, got))
		}
		// The title as a chart would say it: no parentheses, no
		// "unspecified", no "not elsewhere classified".
		if p := plainWording(e.Title); p != e.Title {
			plainN++
			res, err := sg.Suggest(p, Options{Limit: 10, System: codeset.ICD10CM})
			if err != nil {
				t.Fatal(err)
			}
			if r := rankOf(res, want); r == 1 {
				plain1++
			} else {
				got := ""
				if len(res.Results) > 0 {
					got = res.Results[0].Code + " " + res.Results[0].Title
				}
				pm = append(pm, fmt.Sprintf("%s %q rank %d got %s", want[0], p, r, got))
			}
		}
		if e.Short == "" || e.Short == e.Title {
			continue
		}
		shortN++
		res, err = sg.Suggest(e.Short, Options{Limit: 10, System: codeset.ICD10CM})
		if err != nil {
			t.Fatal(err)
		}
		if r := rankOf(res, want); r >= 1 {
			short10++
		} else {
			got := ""
			if len(res.Results) > 0 {
				got = res.Results[0].Code + " " + res.Results[0].Title
			}
			sm = append(sm, fmt.Sprintf("%s %q got %s", want[0], e.Short, got))
		}
	}
	t.Logf("long titles: %d/%d top1 (%.1f%%)", long1, len(es), 100*float64(long1)/float64(len(es)))
	t.Logf("short titles: %d/%d top10 (%.1f%%)", short10, shortN, 100*float64(short10)/float64(shortN))
	t.Logf("plain wording: %d/%d top1 (%.1f%%)", plain1, plainN, 100*float64(plain1)/float64(plainN))
	for _, f := range []struct {
		name   string
		got, n int
		floor  float64
	}{
		{"long titles top1", long1, len(es), 97.5},
		{"short titles top10", short10, shortN, 97.5},
		{"plain wording top1", plain1, plainN, 97},
	} {
		if pct := 100 * float64(f.got) / float64(f.n); pct < f.floor {
			t.Errorf("%s: %.1f%% fell below the floor %.1f%%", f.name, pct, f.floor)
		}
	}
	if testing.Verbose() {
		t.Log("long misses:\n" + strings.Join(lm, "\n"))
		t.Log("short misses:\n" + strings.Join(sm, "\n"))
		t.Log("plain misses:\n" + strings.Join(pm, "\n"))
	}
}

var (
	parenthetical = regexp.MustCompile(`\s*[(\[][^)\]]*[)\]]`)
	unspecWords   = regexp.MustCompile(`(?i),?\s*\b(unspecified|not elsewhere classified)\b`)
)

func plainWording(title string) string {
	p := parenthetical.ReplaceAllString(title, "")
	p = unspecWords.ReplaceAllString(p, "")
	return strings.Join(strings.Fields(p), " ")
}

// titleSample is every 60th billable ICD-10-CM code of the newest release.
func titleSample(t testing.TB, cb *coding.Codebook) []*index.Entry {
	rel, _, err := cb.ReleaseFor(codeset.ICD10CM, coding.Pick{})
	if err != nil || rel == nil {
		t.Fatalf("no ICD-10-CM release: %v", err)
	}
	var es []*index.Entry
	i := 0
	err = cb.Index().ForEach(rel.ID, func(e *index.Entry) error {
		if e.Billable {
			if i%60 == 0 {
				es = append(es, e)
			}
			i++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return es
}
