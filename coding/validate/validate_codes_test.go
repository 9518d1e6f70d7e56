package validate

import (
	"slices"
	"testing"

	"github.com/medcode/medcode/coding"
	"github.com/medcode/medcode/coding/codingtest"

	"github.com/medcode/medcode/codeset"
)

// The initials a note's references can match: ranges span letters, and a
// reference that is no code matches anything.
func TestRefLetters(t *testing.T) {
	notes := func(refs ...CodeRef) []noteText { return []noteText{{refs: refs}} }
	for _, tc := range []struct {
		notes []noteText
		code  string
		want  bool
	}{
		{notes(CodeRef{From: "E10", To: "E10"}), "E119", true},
		{notes(CodeRef{From: "E10", To: "E10"}), "I10", false},
		{notes(CodeRef{From: "A00", To: "C99"}), "B20", true},
		{notes(CodeRef{From: "A00", To: "C99"}), "D50", false},
		{notes(CodeRef{From: "O10", To: "O16"}, CodeRef{From: "P29", To: "P29"}), "P292", true},
		{notes(CodeRef{From: "10", To: "10"}), "I10", true},
		{nil, "I10", false},
	} {
		if got := refLetters(0, tc.notes)&initial(tc.code) != 0; got != tc.want {
			t.Errorf("%v and %s: %v, want %v", tc.notes, tc.code, got, tc.want)
		}
	}
}

// A pair of codes is ruled out when neither falls in the other's spans:
// the spans must cover every code a reference matches, ranges and
// sub-categories included.
func TestCodeSpansCoverEveryMatch(t *testing.T) {
	refs := []CodeRef{
		{From: "E10", To: "E10"}, {From: "O10", To: "O11"}, {From: "K85", To: "K86"},
		{From: "E08", To: "E13", Sub: "42"}, {From: "P292", To: "P292"}, {From: "I10", To: "I1A"},
	}
	s := codeSpans(nil).with([]noteText{{refs: refs[:3]}}, []noteText{{refs: refs[3:]}})
	for i := 1; i < len(s); i++ {
		if s[i].lo <= s[i-1].hi {
			t.Fatalf("spans overlap or are out of order: %x", s)
		}
	}
	for _, code := range []string{"E10", "E109", "E1065", "O10", "O1102", "O119", "K859", "K861", "E0842", "E1342", "E119",
		"P292", "P2921", "I10", "I1A0", "O12", "O09", "K87", "P291", "P29", "A00", "Z99", "E14", "I1B"} {
		want := matchesAny(refs, code)
		if got := s.covers(codeOrder(code)); want && !got {
			t.Errorf("%s matches a reference, but no span covers it (%x)", code, s)
		}
	}
	for _, code := range []string{"O12", "O09", "K87", "P291", "A00", "Z99", "E14", "I1B"} {
		if s.covers(codeOrder(code)) {
			t.Errorf("%s is covered, but no reference matches it", code)
		}
	}
}

// PTPColumn2 lists the column 2 codes of a column 1 code, the pairs PTP
// answers for.
func TestPTPColumn2(t *testing.T) {
	cb, err := coding.OpenCodebook(codingtest.FullIndex(t))
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close()
	rel, _, err := cb.ReleaseFor(codeset.NCCI, coding.Pick{})
	if err != nil || rel == nil {
		t.Fatalf("no NCCI release: %v", err)
	}
	got, err := cb.Index().PTPColumn2(rel.ID, "10021")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"36000", "36410", "76942"}; !slices.Equal(got, want) {
		t.Fatalf("PTPColumn2(10021) = %v, want %v", got, want)
	}
	for _, c2 := range got {
		if rows, err := cb.Index().PTP(rel.ID, "10021", c2); err != nil || len(rows) == 0 {
			t.Errorf("PTP(10021, %s): %v %v", c2, rows, err)
		}
	}
	if got, err := cb.Index().PTPColumn2(rel.ID, "1002"); err != nil || len(got) != 0 {
		t.Errorf("PTPColumn2(1002) = %v, %v; want none: a code is not a prefix", got, err)
	}
}
