package validate

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/codeset/officialtest"
	"github.com/medcode/medcode/coding"
	"github.com/medcode/medcode/coding/claims"
	"github.com/medcode/medcode/coding/codingtest"
)

func mceBook(t *testing.T) *coding.Codebook {
	t.Helper()
	cb, err := coding.OpenCodebook(codingtest.MCEIndex(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cb.Close() })
	return cb
}

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

func ageOf(n int) *int { return &n }

// TestMCEAgreesWithTable validates every billable FY2026 code as the
// principal diagnosis of an inpatient claim on 2025-10-01, at two ages,
// and counts each MCE finding: the counts must be the flag counts
// PROVENANCE.md gives for the rows in force that day.
func TestMCEAgreesWithTable(t *testing.T) {
	cb := mceBook(t)
	packs, err := LoadRulePacks()
	if err != nil {
		t.Fatal(err)
	}
	v := New(cb, packs, Settings{Inpatient: true})
	order, err := codeset.ParseOrderFile(bytes.NewReader(officialtest.File(t, "cms-icd10cm/icd10cm_order_2026.txt")), "order")
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, c := range order.Codes {
		if !c.Billable {
			continue
		}
		for _, age := range []int{0, 40} {
			rep, err := v.Validate(&claims.Claim{Dx: []string{c.Code}, Date: day(2025, 10, 1), Age: ageOf(age), Sex: "F"})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range rep.Findings {
				if f.Rule == RuleMCEAge {
					counts[f.Rule+"@"+string(rune('0'+age/10))]++
				} else if age == 40 {
					counts[f.Rule]++
				}
				if strings.HasPrefix(f.Rule, "mce-") && !strings.HasPrefix(f.Source, "MCE v43.1: ") {
					t.Fatalf("%s: source %q does not cite MCE v43.1", f.Rule, f.Source)
				}
			}
		}
	}
	want := map[string]int{
		RuleMCEAge + "@0":    856 + 2543, // adult and maternity codes at age 0
		RuleMCEAge + "@4":    42 + 125,   // newborn and pediatric codes at age 40
		RuleMCEManifestation: 422,
		RuleMCEUnacceptable:  2657 - 1, // Z51.89 needs a secondary instead
		RuleMCERequiresSDx:   1,
		RuleMCEQuestionable:  30,
		RuleMCEExternalCause: 7461,
		RuleMCEUnspecified:   3465,
		RuleMCESex:           0,
		"sex-female-only":    0, // the approximation gives way to the tables
		"age-maternity":      0,
	}
	for r, n := range want {
		if counts[r] != n {
			t.Errorf("%s: %d findings, want %d", r, counts[r], n)
		}
	}
}

func TestMCEEdits(t *testing.T) {
	cb := mceBook(t)
	packs, err := LoadRulePacks()
	if err != nil {
		t.Fatal(err)
	}
	outpatient := New(cb, packs, Settings{})
	inpatient := New(cb, packs, Settings{Inpatient: true})
	tests := []struct {
		name   string
		v      *Validator
		claim  claims.Claim
		want   []string // rule:codes present
		absent []string // rules absent
		check  string   // a rule reported not checked
	}{
		{"maternity age range by date: 12-55 until 2019-09-30", outpatient, claims.Claim{Dx: []string{"O80"}, Date: day(2019, 6, 1), Age: ageOf(60), Sex: "F"}, []string{"mce-age:O80"}, nil, ""},
		{"maternity age range by date: 9-64 since 2019-10-01", outpatient, claims.Claim{Dx: []string{"O80"}, Date: day(2025, 11, 1), Age: ageOf(60), Sex: "F"}, nil, []string{"mce-age"}, ""},
		{"sex row in force until 2024-09-30", outpatient, claims.Claim{Dx: []string{"N40.0"}, Date: day(2024, 6, 1), Age: ageOf(70), Sex: "F"}, []string{"mce-sex:N40.0"}, nil, ""},
		{"no sex row after 2024-09-30", outpatient, claims.Claim{Dx: []string{"N40.0"}, Date: day(2025, 11, 1), Age: ageOf(70), Sex: "F"}, nil, []string{"mce-sex", "sex-male-only"}, ""},
		{"age unknown", outpatient, claims.Claim{Dx: []string{"Z00.00"}, Date: day(2025, 11, 1)}, nil, []string{"mce-age"}, "mce-age"},
		{"requires a secondary", inpatient, claims.Claim{Dx: []string{"Z51.89"}, Date: day(2025, 11, 1), Age: ageOf(50)}, []string{"mce-requires-sdx:Z51.89"}, []string{"mce-unacceptable"}, ""},
		{"has its secondary", inpatient, claims.Claim{Dx: []string{"Z51.89", "C50.911"}, Date: day(2025, 11, 1), Age: ageOf(50)}, nil, []string{"mce-requires-sdx", "mce-unacceptable"}, ""},
		{"inpatient edit on an outpatient claim", outpatient, claims.Claim{Dx: []string{"I10"}, Date: day(2025, 11, 1), Age: ageOf(50)}, nil, []string{"mce-questionable"}, "mce-unacceptable"},
		{"questionable admission", inpatient, claims.Claim{Dx: []string{"I10"}, Date: day(2025, 11, 1), Age: ageOf(50)}, []string{"mce-questionable:I10"}, nil, ""},
		{"questionable only as principal", inpatient, claims.Claim{Dx: []string{"I21.9", "I10"}, Date: day(2025, 11, 1), Age: ageOf(50)}, nil, []string{"mce-questionable"}, ""},
		{"manifestation from the table", outpatient, claims.Claim{Dx: []string{"F02.80", "G30.9"}, Date: day(2025, 11, 1), Age: ageOf(80)}, []string{"mce-manifestation:F02.80"}, []string{"manifestation-principal"}, ""},
		{"no date", outpatient, claims.Claim{Dx: []string{"O80"}, Age: ageOf(80)}, nil, []string{"mce-age"}, "mce"},
		{"after the tables' last day", outpatient, claims.Claim{Dx: []string{"O80"}, Date: day(2026, 10, 1), Age: ageOf(80)}, nil, []string{"mce-age"}, "mce"},
		{"no Tabular List loaded", outpatient, claims.Claim{Dx: []string{"E11.9", "E10.9"}, Date: day(2025, 11, 1), Age: ageOf(50)}, nil, []string{"excludes1"}, "notes"},
		{"before ICD-10-CM", outpatient, claims.Claim{Dx: []string{"O80"}, Date: day(2014, 1, 1), Age: ageOf(80)}, nil, []string{"mce-age"}, "mce"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := tc.v.Validate(&tc.claim)
			if err != nil {
				t.Fatal(err)
			}
			got := " " + rulesOf(rep) + " "
			for _, w := range tc.want {
				if !strings.Contains(got, " "+w+" ") {
					t.Errorf("want %s, got %s", w, got)
				}
			}
			for _, a := range tc.absent {
				if strings.Contains(got, " "+a+":") {
					t.Errorf("want no %s, got %s", a, got)
				}
			}
			if tc.check != "" {
				found := false
				for _, c := range rep.Checks {
					if c.Rule == tc.check && !c.Checked {
						found = true
					}
				}
				if !found {
					t.Errorf("want %s not checked, checks %+v", tc.check, rep.Checks)
				}
			}
		})
	}
}

// TestDuplicateOnce: a principal repeated as the first secondary, as
// Medicare's claim files do, is one finding, and nothing else doubles.
func TestDuplicateOnce(t *testing.T) {
	for _, mce := range []bool{false, true} {
		var cb *coding.Codebook
		if mce {
			cb = mceBook(t)
		} else {
			cb = sampleBook(t)
		}
		packs, err := LoadRulePacks()
		if err != nil {
			t.Fatal(err)
		}
		rep, err := New(cb, packs, Settings{}).Validate(&claims.Claim{Dx: []string{"E11.9", "E119", "E10.9"}, Date: day(2025, 11, 1), Age: ageOf(50), Sex: "F"})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, f := range rep.Findings {
			seen[f.Rule+":"+strings.Join(f.Codes, "+")]++
		}
		if seen["dx-duplicate:E11.9"] != 1 {
			t.Errorf("mce %v: want one dx-duplicate, got %s", mce, rulesOf(rep))
		}
		for k, n := range seen {
			if n > 1 {
				t.Errorf("mce %v: %s %d times", mce, k, n)
			}
		}
		for _, f := range rep.Findings {
			if f.Rule == "dx-duplicate" && mce != strings.HasPrefix(f.Source, "MCE v43.1") {
				t.Errorf("mce %v: duplicate source %q", mce, f.Source)
			}
		}
	}
}
