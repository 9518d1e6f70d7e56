package claims

import (
	"math/rand"
	"slices"
	"strings"
	"testing"
)

// claimSplitAppend splits as claimSplit does, multi-byte characters and
// all.
func TestClaimSplitAppend(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	alphabet := []string{"E", "1", ".", " ", ";", "|", ",", "\t", "\n", "\r", "é", "\u00a0", "\u2028", ":"}
	for i := 0; i < 5000; i++ {
		var b strings.Builder
		for n := r.Intn(20); n > 0; n-- {
			b.WriteString(alphabet[r.Intn(len(alphabet))])
		}
		s := b.String()
		if got, want := claimSplitAppend(nil, s), claimSplit(s, nil); !slices.Equal(got, want) {
			t.Fatalf("%q: got %q, want %q", s, got, want)
		}
	}
}
