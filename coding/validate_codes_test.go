package coding

import "testing"

// The initials a note's references can match: ranges span letters, and a
// reference that is no code matches anything.
func TestRefLetters(t *testing.T) {
	notes := func(refs ...CodeRef) []noteRefs { return []noteRefs{{refs: refs}} }
	for _, tc := range []struct {
		notes []noteRefs
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
