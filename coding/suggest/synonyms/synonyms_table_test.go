package synonyms

import (
	"os"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSynonymsTable keeps the compiled built-in list in step with
// synonyms.yaml, its source: after editing the YAML, run
// go generate ./coding/suggest/synonyms.
func TestSynonymsTable(t *testing.T) {
	src, err := os.ReadFile("synonyms.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f, err := parseSynonyms(src, "synonyms.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(f, builtinSynonymTable); diff != "" {
		t.Errorf("synonyms_table.go is out of date with synonyms.yaml; run go generate ./coding/suggest/synonyms\n(-yaml +table):\n%s", diff)
	}
}

// TestNoDuplicateSynonyms rejects a synonym group that says nothing the
// groups before it do not (a repeat, or a subset of one), and a group
// that names one phrase twice.
func TestNoDuplicateSynonyms(t *testing.T) {
	held := map[[2]string]bool{}
	for i, g := range builtinSynonymTable.Synonyms {
		var norm []string
		for _, x := range g {
			n := normPhrase(x)
			if slices.Contains(norm, n) {
				t.Errorf("synonym group %d %q names %q twice", i+1, g, n)
			}
			norm = append(norm, n)
		}
		fresh := false
		for _, a := range norm {
			for _, b := range norm {
				if a != b && !held[[2]string{a, b}] {
					fresh = true
					held[[2]string{a, b}] = true
				}
			}
		}
		if !fresh {
			t.Errorf("synonym group %d %q repeats what earlier groups say", i+1, g)
		}
	}
}
