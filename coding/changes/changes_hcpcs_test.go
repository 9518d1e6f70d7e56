package changes_test

import (
	"bufio"
	"bytes"
	"strings"
	"testing"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/codeset/officialtest"
	"github.com/medcode/medcode/coding/changes"
)

// TestHCPCSChangesFromActionCodes checks the HCPCS change list against the
// action code (column 293) of every procedure and modifier record of the
// 2020 file, read here straight from the fixed-width text.
func TestHCPCSChangesFromActionCodes(t *testing.T) {
	cb := twoReleases(t)
	rep, err := changes.Compare(cb, changes.Request{System: codeset.HCPCS})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{} // code -> action
	sc := bufio.NewScanner(bytes.NewReader(officialtest.File(t, "cms-hcpcs/HCPC2020_ANWEB_w_disclaimer.txt")))
	for sc.Scan() {
		l := strings.TrimRight(sc.Text(), "\r")
		if len(l) < 293 || (l[10] != '3' && l[10] != '7') {
			continue
		}
		if a := l[292:293]; a != "N" && a != " " {
			want[strings.TrimSpace(l[:5])] = a
		}
	}
	if len(want) != 431 {
		t.Fatalf("%d records with an action code other than N, want 431 (250 A, 99 D, 70 C, 10 P, 2 S)", len(want))
	}
	got := map[string]string{}
	for _, c := range rep.Changes {
		got[c.Code] = c.Action
		if want[c.Code] != c.Action {
			t.Errorf("%s: action %q, the file says %q", c.Code, c.Action, want[c.Code])
		}
		if c.Change == changes.Discontinued && c.Terminated == "" {
			t.Errorf("%s: discontinued without a termination date", c.Code)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d changes, the file has %d", len(got), len(want))
	}
	if rep.Counts[changes.Added] != 250 || rep.Counts[changes.Discontinued] != 99 {
		t.Errorf("counts %v, want 250 added and 99 discontinued", rep.Counts)
	}
}
