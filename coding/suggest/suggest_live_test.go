package suggest

import (
	"testing"
	"time"

	"github.com/medcode/medcode/coding/suggest/synonyms"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/index"
)

func TestLiveIn(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	from := day("2020-01-01")
	retired := &index.Entry{HCPCS: &codeset.HCPCSRecord{Added: day("2013-01-01"), Terminated: day("2016-12-31")}}
	retiring := &index.Entry{HCPCS: &codeset.HCPCSRecord{Added: day("2013-01-01"), Terminated: day("2020-06-30")}}
	late := &index.Entry{HCPCS: &codeset.HCPCSRecord{Added: day("2020-07-01")}}
	icd := &index.Entry{}
	for _, c := range []struct {
		name string
		e    *index.Entry
		date time.Time
		want bool
	}{
		{"terminated before the release", retired, time.Time{}, false},
		{"terminated during the release", retiring, time.Time{}, true},
		{"added during the release", late, time.Time{}, true},
		{"ICD-10-CM", icd, time.Time{}, true},
		{"terminated before the date", retiring, day("2020-07-01"), false},
		{"in effect on the date", retiring, day("2020-06-30"), true},
		{"added after the date", late, day("2020-03-01"), false},
	} {
		if got := liveIn(from, c.date)(c.e); got != c.want {
			t.Errorf("%s: live = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestInflectedFrom(t *testing.T) {
	syn, err := synonyms.Load()
	if err != nil {
		t.Fatal(err)
	}
	for w, want := range map[string]string{
		"bruised": "bruise", "bruises": "bruise", "bruising": "bruise", "scraped": "scrape",
		"bruise": "", "fracture": "", "used": "", "xyzzyed": "",
	} {
		if got := syn.InflectedFrom(w); got != want {
			t.Errorf("inflectedFrom(%q) = %q, want %q", w, got, want)
		}
	}
}
