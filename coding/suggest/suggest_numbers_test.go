package suggest

import (
	"math"
	"testing"
)

func TestIntervals(t *testing.T) {
	inf := math.Inf(1)
	for text, want := range map[string][]interval{
		"Body mass index [BMI] 40.0-44.9, adult":            {{40, 44.9}},
		"Burns involving 20-29% of body surface":            {{20, 29}},
		"Blood alcohol level of less than 20 mg/100 ml":     {{math.Inf(-1), 19.99}},
		"Body mass index [BMI] 70 or greater, adult":        {{70, inf}},
		"loss of consciousness of 30 minutes or less":       {{math.Inf(-1), 30}},
		"loss of consciousness of 31 minutes to 59 minutes": {{31, 59}},
		"39 weeks gestation of pregnancy":                   {{39, 39}},
		"Chronic kidney disease, stage 3a":                  nil,
		"5th percentile to less than 85th percentile":       nil,
		"Injection, haloperidol, up to 5 mg":                {{5, 5}},
	} {
		got := intervals(text)
		if len(got) != len(want) {
			t.Errorf("intervals(%q) = %v, want %v", text, got, want)
			continue
		}
		for i := range got {
			if math.Abs(got[i].lo-want[i].lo) > 1e-9 && !(math.IsInf(got[i].lo, -1) && math.IsInf(want[i].lo, -1)) || got[i].hi != want[i].hi && math.Abs(got[i].hi-want[i].hi) > 1e-9 {
				t.Errorf("intervals(%q) = %v, want %v", text, got, want)
			}
		}
	}
}
