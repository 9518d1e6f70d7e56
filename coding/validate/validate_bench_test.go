package validate

import (
	"strings"
	"testing"
	"time"

	"github.com/medcode/medcode/coding"
	"github.com/medcode/medcode/coding/claims"
	"github.com/medcode/medcode/coding/codingtest"
)

// benchClaim is a busy claim: 8 diagnoses with an Excludes1 pair, 6
// service lines with a PTP pair and a unit limit.
func benchClaim() *claims.Claim {
	age := 67
	return &claims.Claim{
		ID: "B1", Date: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), Age: &age, Sex: "F",
		Dx: []string{"E11.9", "E10.9", "I10", "J44.9", "J43.9", "N18.30", "Z79.4", "E78.5"},
		Px: []claims.Procedure{
			{Code: "G0439", Units: 1}, {Code: "J1100", Units: 2, Modifiers: []string{"LT"}},
			{Code: "20610", Units: 3}, {Code: "76942", Units: 1},
			{Code: "29881", Units: 1}, {Code: "29877", Units: 1, Modifiers: []string{"59"}},
		},
	}
}

// BenchmarkValidateClaim is one claim with every edit on, caches warm, as
// in a batch run.
func BenchmarkValidateClaim(b *testing.B) {
	cb, err := coding.OpenCodebook(codingtest.FullIndex(b))
	if err != nil {
		b.Fatal(err)
	}
	defer cb.Close()
	packs, err := LoadRulePacks()
	if err != nil {
		b.Fatal(err)
	}
	v := New(cb, packs, Settings{})
	c := benchClaim()
	rep, err := v.Validate(c)
	if err != nil {
		b.Fatal(err)
	}
	if rep.Errors == 0 {
		b.Fatalf("the bench claim should have errors: %+v", rep.Findings)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := v.Validate(c); err != nil {
			b.Fatal(err)
		}
	}
}

// TestManifestationFromIndexBrackets: G13.0 has no "in diseases classified
// elsewhere" title, but the Alphabetic Index prints it in brackets.
func TestManifestationFromIndexBrackets(t *testing.T) {
	cb, err := coding.OpenCodebook(codingtest.FullIndex(t))
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close()
	rep, err := New(cb, nil, Settings{}).Validate(&claims.Claim{Dx: []string{"G13.0", "C34.90"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := rulesOf(rep); !strings.Contains(got, "manifestation-principal:G13.0") {
		t.Errorf("want manifestation-principal:G13.0 in %s", got)
	}
}

func TestValidateOfficial(t *testing.T) {
	cb, err := coding.OpenCodebook(codingtest.FullIndex(t))
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close()
	packs, err := LoadRulePacks()
	if err != nil {
		t.Fatal(err)
	}
	// Every edit on: the MCE's inpatient edits too.
	rep, err := New(cb, packs, Settings{Inpatient: true}).Validate(benchClaim())
	if err != nil {
		t.Fatal(err)
	}
	got := rulesOf(rep)
	for _, want := range []string{"excludes1:E11.9+E10.9", "excludes1:J44.9+J43.9", "ncci-ptp:20610+76942", "ncci-ptp-bypassed:29881+29877", "mue:20610"} {
		if !strings.Contains(got, want) {
			t.Errorf("want %s in %s", want, got)
		}
	}
	for _, c := range rep.Checks {
		if !c.Checked {
			t.Errorf("%s not checked: %s", c.Rule, c.Note)
		}
	}
}
