package validate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseRulePack reads rule packs, seeded from the built-in packs (and
// the crashes kept in testdata/fuzz): no panic, a mistake names the file,
// and a pack that reads has a name and rules with ids. Run it for longer
// with
//
//	go test ./coding/validate -run '^$' -fuzz '^FuzzParseRulePack$' -fuzztime 10m
func FuzzParseRulePack(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("rules", "*.yaml"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("pack: payer\nversion: 1\nrules:\n  - id: payer-j1100-units\n    severity: error\n    message: \"{codes} at most 10 units a claim\"\n    px: [J1100]\n    units: {max: 10}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParseRulePack(b, "pack.yaml")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "pack.yaml:") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if p.Name == "" || p.Source != "pack.yaml" {
			t.Fatalf("pack %q from %q", p.Name, p.Source)
		}
		for _, r := range p.Rules {
			if r.ID == "" {
				t.Fatal("a rule without an id")
			}
		}
	})
}
