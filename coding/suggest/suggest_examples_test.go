package suggest

import (
	"strings"
	"testing"
)

// The behaviours the shorthand, number and contradiction readings are
// for, on the full tables.
func TestSuggestReadings(t *testing.T) {
	sg, _ := fullSuggester(t)
	first := func(q string) *Result {
		t.Helper()
		res, err := sg.Suggest(q, Options{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	for q, want := range map[string]string{
		"BMI 42":          "Z68.41", // 40.0-44.9
		"CKD stage 3a":    "N18.31",
		"39 weeks":        "Z3A.39",
		"abdmnl pain":     "R10.9", // vowels dropped
		"hmrhg of rectum": "K62.5", // consonant skeleton
		"cnstpn":          "K59.00",
		"burns of 25 percent of body surface, 0 to 9 percent third degree": "T31.20",
	} {
		if res := first(q); len(res.Results) == 0 || res.Results[0].Code != want {
			t.Errorf("%q: want %s first, got %+v", q, want, res.Results[:min(3, len(res.Results))])
		}
	}
	// A code that says type 1 ranks below every code that does not
	// contradict "type 2".
	res := first("T2DM w/ CKD 3a")
	seen := false
	for _, r := range res.Results {
		says1 := strings.Contains(r.Title, "Type 1")
		if seen && !says1 {
			t.Errorf("T2DM w/ CKD 3a: %s ranks above %s %q", "a type 1 code", r.Code, r.Title)
		}
		seen = seen || says1
	}
	// The home supply before the dialysis one.
	res = first("blood glucose test strips")
	at := map[string]int{}
	for i, r := range res.Results {
		at[r.Code] = i + 1
	}
	if at["A4253"] == 0 || at["A4772"] != 0 && at["A4772"] < at["A4253"] {
		t.Errorf("blood glucose test strips: A4253 at %d, A4772 at %d", at["A4253"], at["A4772"])
	}
	// Words the books use, that no code says well enough: the nearest
	// codes, marked. Words they do not use: not found.
	res = first("healthy single baby born by vaginal delivery in the hospital")
	if len(res.Results) == 0 || res.NotFound {
		t.Errorf("known words: want low-confidence results, got none")
	}
	for _, r := range res.Results {
		if !r.LowConfidence {
			t.Errorf("known words, weak fit: %s not marked low confidence", r.Code)
		}
	}
	if res = first("xyzzy plugh"); !res.NotFound || len(res.Results) > 0 {
		t.Errorf("xyzzy plugh: want not found, got %+v", res.Results)
	}
	if res = first("chest pain"); len(res.Results) == 0 || res.Results[0].LowConfidence {
		t.Errorf("chest pain: want a confident answer, got %+v", res.Results)
	}
}
