package index

import (
	"slices"
	"testing"
)

func TestAnalyseTextNegation(t *testing.T) {
	stem := NewStemmer()
	for _, c := range []struct {
		text, kind    string
		negated, core []string
	}{
		{"Acute pancreatitis without necrosis or infection, unspecified", "title",
			[]string{"necrosi", "or", "infect"}, []string{"acut", "pancreat", "without", "unspecifi"}},
		// A negation inside parentheses ends with them, and at the next
		// level of an index entry.
		{"Pancreatitis > acute (without necrosis or infection) > with necrosis (uninfected)", "index",
			nil, []string{"acut", "with", "necrosi"}},
		{"Hernia > inguinal > not specified as recurrent > with gangrene", "index",
			[]string{"specifi", "as", "recurr"}, []string{"inguin", "not", "with", "gangren"}},
		{"Diabetes, not elsewhere classified", "title", nil, []string{"diabet", "not", "elsewher", "classifi"}},
	} {
		v := analyseText(stem, c.kind, c.text, nil)
		var core []string
		for _, at := range v.CoreAt {
			core = append(core, v.Words[at])
		}
		if !slices.Equal(v.Negated, c.negated) || !slices.Equal(core, c.core) {
			t.Errorf("%q: negated %q core %q, want %q %q", c.text, v.Negated, core, c.negated, c.core)
		}
	}
}

// Odd texts must not upset the clause finder.
func TestWithoutSpansBounds(t *testing.T) {
	for _, s := range []string{"not", "not ", "x not >", "without )", "(without", "a not > b", "without ,", "not (x", "without > > not"} {
		for _, sp := range withoutSpans(s) {
			if sp.start > sp.end || sp.end > len(s) {
				t.Errorf("%q: span %v", s, sp)
			}
		}
	}
}
