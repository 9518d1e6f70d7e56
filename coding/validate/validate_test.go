package validate

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/medcode/medcode/coding"
	"github.com/medcode/medcode/coding/claims"
	"github.com/medcode/medcode/coding/codingtest"
)

func sampleBook(t *testing.T) *coding.Codebook {
	t.Helper()
	cb, err := coding.OpenCodebook(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if !cb.Sample {
		t.Fatal("an empty data dir should open the sample")
	}
	t.Cleanup(func() { cb.Close() })
	return cb
}

func rulesOf(rep *Report) string {
	var out []string
	for _, f := range rep.Findings {
		out = append(out, f.Rule+":"+strings.Join(f.Codes, "+"))
	}
	return strings.Join(out, " ")
}

func TestValidateSample(t *testing.T) {
	cb := sampleBook(t)
	packs, err := LoadRulePacks()
	if err != nil {
		t.Fatal(err)
	}
	v := New(cb, packs, Settings{})
	age := func(n int) *int { return &n }
	tests := []struct {
		name   string
		claim  claims.Claim
		want   []string // rule:codes that must be present
		absent []string
	}{
		{"type 1 with type 2", claims.Claim{Dx: []string{"E10.9", "E11.9"}}, []string{"excludes1:E10.9+E11.9"}, nil},
		{"F32.9 with F33.9", claims.Claim{Dx: []string{"F32.9", "F33.9"}}, []string{"excludes1:F32.9+F33.9"}, nil},
		{"J44.9 with J43.9", claims.Claim{Dx: []string{"J44.9", "J43.9"}}, []string{"excludes1:J44.9+J43.9"}, nil},
		{"clean", claims.Claim{Dx: []string{"I10", "E78.5"}}, nil, []string{"excludes1", "use-additional"}},
		{"use additional code", claims.Claim{Dx: []string{"E11.9"}}, []string{"use-additional-missing:E11.9"}, nil},
		{"use additional code present", claims.Claim{Dx: []string{"E11.9", "Z79.4"}}, nil, []string{"use-additional-missing"}},
		{"terminated HCPCS", claims.Claim{Dx: []string{"I10"}, Date: time.Date(2020, 6, 1, 0, 0, 0, 0, time.UTC), Px: []claims.Procedure{{Code: "G0202", Units: 1}}}, []string{"px-not-effective:G0202"}, nil},
		{"manifestation first", claims.Claim{Dx: []string{"G63", "E11.42"}}, []string{"manifestation-principal:G63"}, nil},
		{"missing 7th character", claims.Claim{Dx: []string{"S72.001"}}, []string{"dx-seventh-character:S72.001"}, nil},
		{"header", claims.Claim{Dx: []string{"E11"}}, []string{"dx-header:E11"}, nil},
		{"unknown", claims.Claim{Dx: []string{"E11.99"}}, []string{"dx-unknown:E11.99"}, nil},
		{"maternity on a man", claims.Claim{Dx: []string{"O80"}, Sex: "M", Age: age(30)}, []string{"sex-female-only:O80"}, []string{"age-maternity"}},
		{"unknown modifier", claims.Claim{Dx: []string{"I10"}, Px: []claims.Procedure{{Code: "J1100", Units: 1, Modifiers: []string{"ZZ"}}}}, []string{"px-modifier-unknown:J1100+ZZ"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := v.Validate(&tt.claim)
			if err != nil {
				t.Fatal(err)
			}
			got := rulesOf(rep)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("want %s in %q", w, got)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(got, a) {
					t.Errorf("did not want %s in %q", a, got)
				}
			}
			if len(rep.Checks) == 0 {
				t.Error("a report must say which edits were not checked")
			}
		})
	}
}

func TestNoteRefs(t *testing.T) {
	refs := NoteRefs("hypertension complicating pregnancy (O10-O11, O13-O16) and diabetes (E10.-) (K85-K86.-)")
	var got []string
	for _, r := range refs {
		got = append(got, r.String())
	}
	if want := "O10-O11 O13-O16 E10 K85-K86"; strings.Join(got, " ") != want {
		t.Fatalf("got %q, want %q", strings.Join(got, " "), want)
	}
	for code, want := range map[string]bool{"O111": true, "O12": false, "E109": true, "K8689": true, "K87": false} {
		if matchesAny(refs, code) != want {
			t.Errorf("%s: want %v", code, want)
		}
	}
}

func TestNoteRefsWithSubcategory(t *testing.T) {
	refs := NoteRefs("diabetes mellitus (E08-E13 with .42)")
	for code, want := range map[string]bool{"E1142": true, "E0842": true, "E119": false, "E1140": false} {
		if matchesAny(refs, code) != want {
			t.Errorf("%s: want %v", code, want)
		}
	}
}

func TestParseRulePackErrors(t *testing.T) {
	tests := map[string]string{
		"pack: x\nversion: 1\nrules:\n  - id: a\n    message: m\n    dx: [E11]\n":                                  "exactly one",
		"pack: x\nversion: 1\nrules:\n  - id: a\n    message: m\n    sex: F\n":                                     "names no codes",
		"pack: x\nversion: 1\nrules:\n  - id: a\n    message: m\n    dx: [E11]\n    sex: F\n    bogus: 1\n":        "x.yaml:8: unknown field",
		"pack: x\nversion: 2\nrules: []\n":                                                                         "version 2",
		"pack: x\nversion: 1\nrules:\n  - id: a\n    message: m\n    dx: [E11]\n    severity: fatal\n    sex: F\n": "x.yaml:4",
	}
	for in, want := range tests {
		_, err := ParseRulePack([]byte(in), "x.yaml")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want an error containing %q", in, err, want)
		}
	}
}

func TestParseProcedure(t *testing.T) {
	for in, want := range map[string]string{"J1100": "J1100 1 ", "j1100x2": "J1100 2 ", "J1100:LT": "J1100 1 LT", "J1100-59": "J1100 1 59", "J1100:LT:59x3": "J1100 3 LT,59", "J1100x2:LT": "J1100 2 LT"} {
		p, err := claims.ParseProcedure(in)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if got := p.Code + " " + strconv.Itoa(p.Units) + " " + strings.Join(p.Modifiers, ","); got != want {
			t.Errorf("%s: got %q, want %q", in, got, want)
		}
	}
	for _, bad := range []string{"", "J11", "J1100x0", "J1100:LEFT", "J1100x2:LTx3"} {
		if _, err := claims.ParseProcedure(bad); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}

// TestLetteredCategoryOutsideRange: D49's Excludes1 names D37-D44, and the
// Tabular prints D3A before D37, so D3A.010 with D49.0 is no conflict;
// D37.1 with D49.0 is one.
func TestLetteredCategoryOutsideRange(t *testing.T) {
	cb, err := coding.OpenCodebook(codingtest.FullIndex(t))
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close()
	v := New(cb, nil, Settings{})
	for dx, want := range map[string]bool{"D3A.010,D49.0": false, "D37.1,D49.0": true, "C4A.0,D49.0": false} {
		rep, err := v.Validate(&claims.Claim{Dx: strings.Split(dx, ",")})
		if err != nil {
			t.Fatal(err)
		}
		got := false
		for _, f := range rep.Findings {
			got = got || f.Rule == "excludes1"
		}
		if got != want {
			t.Errorf("%s: excludes1 %v, want %v (%+v)", dx, got, want, rep.Findings)
		}
	}
}
