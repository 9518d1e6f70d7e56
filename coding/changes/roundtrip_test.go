package changes_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/codeset/officialtest"
	"github.com/medcode/medcode/coding"
	"github.com/medcode/medcode/coding/changes"
	"github.com/medcode/medcode/coding/claims"
	"github.com/medcode/medcode/coding/lookup"
	"github.com/medcode/medcode/coding/validate"
)

// TestDeletedCodesRoundTrip: every code CMS's addenda delete in FY2026 that
// CDC's conversion table names has its replacements offered by show and by
// validate for a date of service after the deletion, and by neither before.
func TestDeletedCodesRoundTrip(t *testing.T) {
	cb := twoReleases(t)
	ix := cb.Index()
	conv, err := ix.Conversion("icd10cm-2026")
	if err != nil || conv == nil {
		t.Fatalf("no conversion table with icd10cm-2026: %v", err)
	}
	recs, err := parseAddenda(bytes.NewReader(officialtest.File(t, addendaFile)), addendaFile)
	if err != nil {
		t.Fatal(err)
	}
	v := validate.New(cb, nil, validate.Settings{})
	after := time.Date(2025, 11, 3, 0, 0, 0, 0, time.UTC)
	before := time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC)
	checked := 0
	for _, r := range recs {
		if r.Action != "Delete" || !r.Billable {
			continue
		}
		rows := conv.Replacing(r.Code)
		if len(rows) == 0 {
			continue
		}
		checked++
		var want []string
		for _, row := range rows {
			if e, _ := ix.Get("icd10cm-2026", row.Code); e != nil && e.Billable {
				want = append(want, codeset.DotICD(row.Code))
			}
		}
		if len(want) == 0 {
			t.Errorf("%s: the conversion table names no FY2026 billable code", r.Code)
			continue
		}
		views, err := lookup.Show(cb, []string{r.Code}, lookup.ShowOptions{System: codeset.ICD10CM, Pick: pickDate(after)})
		if err != nil {
			t.Fatal(err)
		}
		d := views[0].Deleted
		if d == nil || d.Deleted != "2025-10-01" {
			t.Errorf("show %s on %s: deletion %+v", r.Code, after.Format("2006-01-02"), d)
			continue
		}
		var got []string
		for _, rep := range d.Replacements {
			got = append(got, rep.Code)
			e, _ := ix.Get("icd10cm-2026", codeset.UndotICD(rep.Code))
			if e == nil || e.Title != rep.Title {
				t.Errorf("show %s: replacement %s titled %q, FY2026 says %+v", r.Code, rep.Code, rep.Title, e)
			}
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("show %s: replacements %v, want %v", r.Code, got, want)
		}
		rep, err := v.Validate(&claims.Claim{Dx: []string{r.Code}, Date: after})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, f := range rep.Findings {
			if f.Rule == "dx-deleted" {
				found = true
				for _, c := range want {
					if !strings.Contains(f.Message, c) {
						t.Errorf("validate %s: dx-deleted does not name %s: %s", r.Code, c, f.Message)
					}
				}
			}
		}
		if !found {
			t.Errorf("validate %s on %s: no dx-deleted in %+v", r.Code, after.Format("2006-01-02"), rep.Findings)
		}
		if rep, err = v.Validate(&claims.Claim{Dx: []string{r.Code}, Date: before}); err != nil {
			t.Fatal(err)
		}
		for _, f := range rep.Findings {
			if f.Rule == "dx-deleted" || f.Severity == validate.SeverityError {
				t.Errorf("validate %s on %s (FY2025, still valid): %s %s", r.Code, before.Format("2006-01-02"), f.Rule, f.Message)
			}
		}
	}
	// All 28 codes the FY2026 addenda delete are named by the table.
	if checked != 28 {
		t.Errorf("%d deleted codes checked, want 28", checked)
	}
}

func pickDate(d time.Time) coding.Pick { return coding.Pick{Date: d} }

// TestRangesDeleteNothingStillThere: a range or "code and below" span of
// the conversion table ("I63.-", "categories T15-T19") never makes a code
// of FY2026 read as deleted; only a row naming the code itself does.
func TestRangesDeleteNothingStillThere(t *testing.T) {
	cb := twoReleases(t)
	conv, err := cb.Index().Conversion("icd10cm-2026")
	if err != nil || conv == nil {
		t.Fatalf("no conversion table: %v", err)
	}
	rows, err := cb.Index().CodeRows("icd10cm-2026")
	if err != nil {
		t.Fatal(err)
	}
	deleted := 0
	for _, r := range rows {
		d, err := changes.Find(cb, r.Code)
		if err != nil {
			t.Fatal(err)
		}
		if d == nil {
			continue
		}
		deleted++
		if r.Billable {
			t.Errorf("%s is billable in FY2026 and reads as deleted on %s", d.Code, d.Deleted)
		}
		if len(conv.Naming(r.Code)) == 0 {
			t.Errorf("%s reads as deleted on %s though no row names it", d.Code, d.Deleted)
		}
		// FY2025 agrees with the date: billable there when the deletion
		// came with FY2026, not billable when it came before.
		e, err := cb.Index().Get("icd10cm-2025", r.Code)
		if err != nil {
			t.Fatal(err)
		}
		was := e != nil && e.Billable
		if fy26 := d.Deleted == "2025-10-01"; was != fy26 {
			t.Errorf("%s deleted on %s, but billable in FY2025: %v", d.Code, d.Deleted, was)
		}
	}
	for _, code := range []string{"I63", "T15", "H3520"} {
		if d, _ := changes.Find(cb, code); d != nil {
			t.Errorf("%s reads as deleted: %+v", code, d)
		}
	}
	t.Logf("%d FY2026 headers read as deleted billable codes", deleted)
}
