package index

import "testing"

func TestSkeleton(t *testing.T) {
	for w, want := range map[string]string{
		"hemorrhage": "hmrhg", "abdominal": "abdmnl", "atrial": "atrl",
		"induced": "indcd", "child": "chld", "a": "a", "": "",
	} {
		if got := Skeleton(w); got != want {
			t.Errorf("Skeleton(%q) = %q, want %q", w, got, want)
		}
	}
}

// The vocabulary holds the words of the titles, by first letter, with
// their skeletons and counts, most used first.
func TestVocabulary(t *testing.T) {
	ix := mustOpen(t, fixtureIndex(t))
	ws, err := ix.Vocabulary(rel26, 'd')
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]VocabWord{}
	for i, w := range ws {
		if w.Word[0] != 'd' || w.Skeleton != Skeleton(w.Word) {
			t.Errorf("bad vocabulary word %+v", w)
		}
		if i > 0 && ws[i-1].Codes < w.Codes {
			t.Errorf("%q before %q: not most used first", ws[i-1].Word, w.Word)
		}
		got[w.Word] = w
	}
	if d := got["diabetes"]; d.Codes < 2 {
		t.Errorf("diabetes: %+v, want it in several codes' texts", d)
	}
	none, err := ix.Vocabulary(rel26, '#')
	if err != nil || len(none) != 0 {
		t.Errorf("Vocabulary('#') = %v, %v", none, err)
	}
}
