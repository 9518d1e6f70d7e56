package changes_test

import (
	"testing"

	"github.com/medcode/medcode/coding/changes"
)

// BenchmarkCompareFullReleases is `medcode changes` between the full
// FY2025 and FY2026 releases; the target is at most 1 s an operation.
func BenchmarkCompareFullReleases(b *testing.B) {
	cb := twoReleases(b)
	for b.Loop() {
		rep, err := changes.Compare(cb, changes.Request{})
		if err != nil {
			b.Fatal(err)
		}
		if len(rep.Changes) == 0 {
			b.Fatal("no changes")
		}
	}
}
