package synonyms

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// FuzzSynonymsFile reads synonyms files, seeded from the built-in list
// (and the crashes kept in testdata/fuzz): no panic, a mistake names the
// file, and a file that reads leaves every key a normalised phrase no
// longer than MaxWords, with equivalences that go both ways. Run it for
// longer with
//
//	go test ./coding/suggest/synonyms -run '^$' -fuzz '^FuzzSynonymsFile$' -fuzztime 10m
func FuzzSynonymsFile(f *testing.F) {
	src, err := os.ReadFile("synonyms.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(src)
	f.Add([]byte("version: 1\nabbreviations:\n  htn: [hypertension]\n  r/o: []\nsynonyms:\n  - [heart attack, myocardial infarction]\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s := &Synonyms{Abbrev: map[string][]string{}, Equiv: map[string][]string{}}
		if err := s.add(b, "syn.yaml"); err != nil {
			if !strings.HasPrefix(err.Error(), "syn.yaml:") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for k := range s.Abbrev {
			fuzzKey(t, s, k)
		}
		for k, vs := range s.Equiv {
			fuzzKey(t, s, k)
			for _, v := range vs {
				if !slices.Contains(s.Equiv[v], k) {
					t.Fatalf("%q stands for %q, not the other way", k, v)
				}
			}
		}
	})
}

func fuzzKey(t *testing.T, s *Synonyms, k string) {
	if k == "" || normPhrase(k) != k {
		t.Fatalf("key %q is not a normalised phrase (%q)", k, normPhrase(k))
	}
	if n := len(strings.Fields(k)); n > s.MaxWords {
		t.Fatalf("key %q has %d words, MaxWords %d", k, n, s.MaxWords)
	}
}
