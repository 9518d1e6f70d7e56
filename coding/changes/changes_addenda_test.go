package changes_test

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/codeset/officialtest"
	"github.com/medcode/medcode/coding/changes"
)

const addendaFile = "cms-icd10cm/icd10cm_order_addenda_2026.txt"

// TestChangesMatchCMSAddenda compares the FY2025 -> FY2026 change list with
// CMS's own addenda, record by record, and the counts with its summary.
func TestChangesMatchCMSAddenda(t *testing.T) {
	cb := twoReleases(t)
	rep, err := changes.Compare(cb, changes.Request{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.From != "icd10cm-2025" || rep.To != "icd10cm-2026" {
		t.Fatalf("compared %s with %s", rep.From, rep.To)
	}
	raw := officialtest.File(t, addendaFile)
	recs, err := parseAddenda(bytes.NewReader(raw), addendaFile)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, r := range recs {
		want = append(want, addendaLine(r.Action, r.Billable, r.Code, r.Short, r.Long))
	}
	var got []string
	for _, c := range rep.Changes {
		got = append(got, asAddenda(c)...)
	}
	sort.Strings(want)
	sort.Strings(got)
	if len(want) != 748 {
		t.Errorf("%d addenda records, want 748 (the file's lines before its summary)", len(want))
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("change list differs from %s (-addenda +medcode):\n%s", addendaFile, d)
	}
	if d := cmp.Diff(addendaSummary(t, raw), *rep.Addenda); d != "" {
		t.Errorf("counts differ from the addenda summary (-addenda +medcode):\n%s", d)
	}
	t.Logf("counts %v", rep.Counts)
}

func addendaLine(action string, billable bool, code, short, long string) string {
	return fmt.Sprintf("%s|%v|%s|%s|%s", action, billable, code, short, long)
}

// asAddenda writes a change as the addenda records CMS would print for it.
func asAddenda(c changes.Change) []string {
	code := codeset.UndotICD(c.Code)
	or := func(a, b string) string {
		if a != "" {
			return a
		}
		return b
	}
	oldTitle, oldShort := or(c.OldTitle, c.Title), or(c.OldShort, c.Short)
	switch c.Change {
	case changes.Added:
		return []string{addendaLine("Add", c.Kind == "billable", code, c.Short, c.Title)}
	case changes.Deleted:
		return []string{addendaLine("Delete", c.Kind == "billable", code, c.Short, c.Title)}
	case changes.Revised:
		return []string{addendaLine("Revise from", c.Kind == "billable", code, oldShort, oldTitle),
			addendaLine("Revise to", c.Kind == "billable", code, c.Short, c.Title)}
	case changes.BecameHeader, changes.BecameBillable:
		return []string{addendaLine("Delete", c.OldKind == "billable", code, oldShort, oldTitle),
			addendaLine("Add", c.Kind == "billable", code, c.Short, c.Title)}
	}
	return []string{"unexpected change " + string(c.Change)}
}

var summaryRe = regexp.MustCompile(`^\s*([0-9]+) (additions|deletions|revisions|revisions to both long and short titles|revisions to long title only|revisions to short title only)$`)

// addendaSummary reads the Headers and Codes blocks that end the file.
func addendaSummary(t *testing.T, raw []byte) changes.Addenda {
	var a changes.Addenda
	var cur *changes.Tally
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		switch line {
		case "Headers":
			cur = &a.Headers
			continue
		case "Codes":
			cur = &a.Codes
			continue
		}
		m := summaryRe.FindStringSubmatch(line)
		if m == nil || cur == nil {
			continue
		}
		n, _ := strconv.Atoi(m[1])
		switch m[2] {
		case "additions":
			cur.Additions = n
		case "deletions":
			cur.Deletions = n
		case "revisions":
			cur.Revisions = n
		case "revisions to both long and short titles":
			cur.BothTitles = n
		case "revisions to long title only":
			cur.LongOnly = n
		case "revisions to short title only":
			cur.ShortOnly = n
		}
	}
	if a.Codes.Additions != 487 || a.Codes.Deletions != 28 {
		t.Fatalf("summary read wrong: %+v", a)
	}
	return a
}
