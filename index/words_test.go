package index

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestStemmerMatchesIndexAnalyzer: ranking compares its own analysis with
// the text index's, so the two must agree word for word.
func TestStemmerMatchesIndexAnalyzer(t *testing.T) {
	im, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	an := im.AnalyzerNamed(analyzerStem)
	st := NewStemmer()
	for _, text := range []string{
		"Type 2 diabetes mellitus with diabetic autonomic (poly)neuropathy",
		"Crohn's disease of small intestine without complications, NOS",
		"Fracture of T11-T12 vertebra, initial encounter for closed fracture",
		"Éclampsie: Größe naïve façade 42mg",
	} {
		var want []string
		for _, tk := range an.Analyze([]byte(text)) {
			want = append(want, string(tk.Term))
		}
		var got []string
		for _, w := range st.Words(text) {
			got = append(got, w.Term)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%q (-index +stemmer):\n%s", text, d)
		}
	}
}
