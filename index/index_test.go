package index

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/codeset/officialtest"
)

// icdFixtures holds excerpts of the official ICD-10-CM files (see the
// codeset tests, which check them against the real files).
const icdFixtures = "../testdata/icd10cm"

var (
	fixtureOrder   = filepath.Join(icdFixtures, "icd10cm_order_2026.txt")
	fixtureCodes   = filepath.Join(icdFixtures, "icd10cm_codes_2026.txt")
	fixtureTabular = filepath.Join(icdFixtures, "icd10cm_tabular_2021.xml")
)

const rel26 = "icd10cm-2026"

// genNames lists the generation directories of a data directory (layout
// documented in generation.go: gens/g-NNNNNN, current -> gens/..., load.lock).
func genNames(tb testing.TB, dir string) []string {
	tb.Helper()
	ents, err := os.ReadDir(filepath.Join(dir, "gens"))
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

// bundlesOf runs the load pipeline of the command on paths: scan, identify,
// group (against the releases already loaded) and parse. Load drops the
// parsed content, so every Load needs fresh bundles.
func bundlesOf(tb testing.TB, existing []codeset.Release, paths ...string) []*codeset.Bundle {
	tb.Helper()
	srcs, _, err := codeset.Scan(paths)
	if err != nil {
		tb.Fatal(err)
	}
	var files []*codeset.File
	for _, s := range srcs {
		f, err := codeset.Identify(s, nil)
		if err != nil {
			tb.Fatal(err)
		}
		files = append(files, f)
	}
	bundles, err := codeset.Group(files, existing)
	if err != nil {
		tb.Fatal(err)
	}
	for _, b := range bundles {
		for _, f := range b.Files() {
			if err := f.Parse(); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return bundles
}

func mustLoad(tb testing.TB, dir string, opts LoadOptions, paths ...string) *LoadResult {
	tb.Helper()
	res, err := Load(dir, bundlesOf(tb, nil, paths...), opts)
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

func mustOpen(tb testing.TB, dir string) *Index {
	tb.Helper()
	ix, err := Open(dir)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	return ix
}

// order2025 writes the fixture order file under a FY2025 name, to have a
// second release.
func order2025(tb testing.TB) string {
	tb.Helper()
	b, err := os.ReadFile(fixtureOrder)
	if err != nil {
		tb.Fatal(err)
	}
	p := filepath.Join(tb.TempDir(), "icd10cm_order_2025.txt")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		tb.Fatal(err)
	}
	return p
}

func codesOf(es []*Entry) []string {
	out := []string{}
	for _, e := range es {
		out = append(out, e.Code)
	}
	return out
}

func releaseIDs(m *Manifest) []string {
	var out []string
	for _, r := range m.Releases {
		out = append(out, r.ID)
	}
	return out
}

// fixtureIndex loads the order file and Tabular fixtures into a new data
// directory.
func fixtureIndex(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	mustLoad(tb, dir, LoadOptions{}, fixtureOrder, fixtureTabular)
	return dir
}

func TestLoadFixtures(t *testing.T) {
	dir := t.TempDir()
	var (
		mu     sync.Mutex // Progress is called from the text build's workers
		stages []string
	)
	res, err := Load(dir, bundlesOf(t, nil, fixtureOrder, fixtureTabular), LoadOptions{Progress: func(p Progress) {
		mu.Lock()
		defer mu.Unlock()
		if len(stages) == 0 || stages[len(stages)-1] != p.Stage {
			stages = append(stages, p.Stage)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&LoadResult{Manifest: res.Manifest, Added: []string{rel26}}, res); diff != "" {
		t.Errorf("LoadResult (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"store " + rel26, "index " + rel26, "merge " + rel26, "write index"}, stages); diff != "" {
		t.Errorf("progress stages (-want +got):\n%s", diff)
	}
	info := res.Manifest.Release(rel26)
	if info == nil {
		t.Fatalf("manifest has %v", releaseIDs(res.Manifest))
	}
	if info.Codes != 42 || info.Billable != 25 || info.Headers != 17 {
		t.Errorf("codes %d billable %d headers %d, want 42 25 17", info.Codes, info.Billable, info.Headers)
	}
	// Codes of the excerpt with notes of their own: E10, E11, E11.69, S72,
	// S72.0, S72.00.
	if info.Notes != 6 {
		t.Errorf("%d codes with notes, want 6", info.Notes)
	}
	if info.Effective != "2025-10-01" || info.Through != "2026-09-30" || info.Release != codeset.NewRelease(codeset.ICD10CM, 2026, 0) {
		t.Errorf("release %+v %s..%s", info.Release, info.Effective, info.Through)
	}
	wantSources := []SourceInfo{
		{Kind: codeset.KindOrder, File: fixtureOrder, Year: 2026, Records: 42},
		{Kind: codeset.KindTabular, File: fixtureTabular, Year: 2021, Records: 129},
	}
	if diff := cmp.Diff(wantSources, info.Sources); diff != "" {
		t.Errorf("sources (-want +got):\n%s", diff)
	}
	warned := strings.Join(info.Warnings, "\n")
	for _, w := range []string{"is for 2021 but icd10cm-2026", fixtureTabular + ": notes of"} {
		if !strings.Contains(warned, w) {
			t.Errorf("warnings %q lack %q", info.Warnings, w)
		}
	}
	if diff := cmp.Diff([]string{"g-000001"}, genNames(t, dir)); diff != "" {
		t.Errorf("generations (-want +got):\n%s", diff)
	}
}

func TestGet(t *testing.T) {
	ix := mustOpen(t, fixtureIndex(t))
	e, err := ix.Get(rel26, "E119")
	if err != nil {
		t.Fatal(err)
	}
	want := &Entry{
		System: codeset.ICD10CM, Release: rel26, Code: "E119",
		Title:    "Type 2 diabetes mellitus without complications",
		Short:    "Type 2 diabetes mellitus without complications",
		Billable: true, Order: 4416,
		// Notes are a code's own; E11.9 has none, they sit on E11.
	}
	if diff := cmp.Diff(want, e); diff != "" {
		t.Errorf("Get(E119) (-want +got):\n%s", diff)
	}

	e11, err := ix.Get(rel26, "E11")
	if err != nil {
		t.Fatal(err)
	}
	if e11 == nil || e11.Billable || e11.Title != "Type 2 diabetes mellitus" || e11.Notes == nil {
		t.Fatalf("Get(E11) = %+v", e11)
	}
	wantNotes := codeset.Notes{
		Includes: []string{"diabetes (mellitus) due to insulin secretory defect", "diabetes NOS", "insulin resistant diabetes (mellitus)"},
		Excludes1: []string{
			"diabetes mellitus due to underlying condition (E08.-)",
			"drug or chemical induced diabetes mellitus (E09.-)",
			"gestational diabetes (O24.4-)",
			"neonatal diabetes mellitus (P70.2)",
			"postpancreatectomy diabetes mellitus (E13.-)",
			"postprocedural diabetes mellitus (E13.-)",
			"secondary diabetes mellitus NEC (E13.-)",
			"type 1 diabetes mellitus (E10.-)",
		},
		UseAdditional: []string{"code to identify control using:", "insulin (Z79.4)", "oral antidiabetic drugs (Z79.84)", "oral hypoglycemic drugs (Z79.84)"},
	}
	if diff := cmp.Diff(&wantNotes, e11.Notes); diff != "" {
		t.Errorf("E11 notes (-want +got):\n%s", diff)
	}

	s72, err := ix.Get(rel26, "S72")
	if err != nil {
		t.Fatal(err)
	}
	if s72 == nil || s72.Notes == nil || len(s72.Notes.SevenChr) != 16 || s72.Notes.SevenChr[0] != (codeset.SevenChr{Char: "A", Meaning: "initial encounter for closed fracture"}) {
		t.Errorf("Get(S72) = %+v", s72)
	}

	tests := []struct {
		code, title string
		billable    bool
	}{
		{"QA00101", "SCN2A-related neurodevelopmental disorder", true},
		{"QA0", "Neurodevelopmental disorders related to specific genetic pathogenic variants", false},
		{"S72001A", "Fracture of unspecified part of neck of right femur, initial encounter for closed fracture", true},
		{"W19XXXA", "Unspecified fall, initial encounter", true},
		{"E11A", "Type 2 diabetes mellitus without complications in remission", true},
		{"I10", "Essential (primary) hypertension", true},
	}
	for _, tt := range tests {
		e, err := ix.Get(rel26, tt.code)
		if err != nil || e == nil || e.Title != tt.title || e.Billable != tt.billable {
			t.Errorf("Get(%s) = %+v, %v", tt.code, e, err)
		}
	}

	for _, code := range []string{"E1199", "E12", "e119", "E11.9", ""} {
		if e, err := ix.Get(rel26, code); err != nil || e != nil {
			t.Errorf("Get(%q) = %+v, %v; want nil, nil", code, e, err)
		}
	}
	if _, err := ix.Get("icd10cm-2025", "E119"); err == nil || !strings.Contains(err.Error(), "not loaded") {
		t.Errorf("Get on a release not loaded: %v", err)
	}
}

func TestChildren(t *testing.T) {
	ix := mustOpen(t, fixtureIndex(t))
	tests := []struct {
		code string
		want []string
	}{
		{"E11", []string{"E110", "E116", "E118", "E119", "E11A"}},
		{"E116", []string{"E1164", "E1165", "E1169"}},
		{"E1164", []string{"E11641", "E11649"}},
		{"E1", []string{"E10", "E11"}},
		// 7th-character codes skip the placeholder levels.
		{"W19", []string{"W19XXXA", "W19XXXD", "W19XXXS"}},
		{"S72", []string{"S720"}},
		{"S72001", []string{"S72001A", "S72001B"}},
		{"QA0010", []string{"QA00101", "QA00102"}},
		{"J44", []string{"J440", "J441", "J448", "J449"}},
		{"E119", []string{}},
		{"Z00", []string{}},
	}
	for _, tt := range tests {
		got, err := ix.Children(rel26, tt.code)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, codesOf(got)); diff != "" {
			t.Errorf("Children(%s) (-want +got):\n%s", tt.code, diff)
		}
	}
	kids, _ := ix.Children(rel26, "E11")
	if len(kids) > 0 && (kids[0].Title != "Type 2 diabetes mellitus with hyperosmolarity" || kids[0].Release != rel26) {
		t.Errorf("first child of E11 = %+v", kids[0])
	}
}

func TestDescendants(t *testing.T) {
	ix := mustOpen(t, fixtureIndex(t))
	tests := []struct {
		code     string
		billable bool
		limit    int
		want     []string
		total    int
	}{
		{"S72001", true, 0, []string{"S72001A", "S72001B"}, 2},
		{"S72001", false, 0, []string{"S72001A", "S72001B"}, 2},
		{"S72", false, 0, []string{"S720", "S7200", "S72001", "S72001A", "S72001B"}, 5},
		{"S72", true, 0, []string{"S72001A", "S72001B"}, 2},
		{"S72", true, 1, []string{"S72001A"}, 2},
		{"E11", true, 0, []string{"E1100", "E1101", "E11641", "E11649", "E1165", "E1169", "E118", "E119", "E11A"}, 9},
		{"QA0", true, 0, []string{"QA00101", "QA00102"}, 2},
		{"E119", true, 0, []string{}, 0},
	}
	for _, tt := range tests {
		got, total, err := ix.Descendants(rel26, tt.code, tt.billable, tt.limit)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, codesOf(got)); diff != "" || total != tt.total {
			t.Errorf("Descendants(%s, billable=%v, limit=%d): total %d, want %d (-want +got):\n%s", tt.code, tt.billable, tt.limit, total, tt.total, diff)
		}
		for _, e := range got {
			if tt.billable && !e.Billable {
				t.Errorf("Descendants(%s, billable): %s is not billable", tt.code, e.Code)
			}
		}
	}
}

func TestTermsWithoutIndexFile(t *testing.T) {
	ix := mustOpen(t, fixtureIndex(t))
	for _, code := range []string{"E119", "E11", "ZZZ"} {
		terms, err := ix.Terms(rel26, code)
		if err != nil || len(terms) != 0 {
			t.Errorf("Terms(%s) = %v, %v; want none", code, terms, err)
		}
	}
	if info := ix.Manifest.Release(rel26); info.Terms != 0 || len(info.TermsByBook) != 0 {
		t.Errorf("manifest counts %d terms", info.Terms)
	}
}

func TestChaptersAndForEach(t *testing.T) {
	ix := mustOpen(t, fixtureIndex(t))
	chs, err := ix.Chapters(rel26)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range chs {
		for _, s := range c.Sections {
			got = append(got, c.Num+" "+s.ID+" "+s.First+".."+s.Last+" "+s.Title)
		}
	}
	want := []string{"4 E08-E13 E08..E13 Diabetes mellitus (E08-E13)", "19 S70-S79 S70..S79 Injuries to the hip and thigh (S70-S79)"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("chapters (-want +got):\n%s", diff)
	}
	for _, code := range []string{"S72001A", "S72"} {
		if pl, err := ix.Place(rel26, code); err != nil || pl == nil || pl.Chapter.Num != "19" || len(pl.Sections) != 1 || pl.Sections[0].ID != "S70-S79" {
			t.Errorf("Place(%s) = %+v, %v; want chapter 19 > S70-S79", code, pl, err)
		}
	}

	var codes []string
	billable := 0
	err = ix.ForEach(rel26, func(e *Entry) error {
		codes = append(codes, e.Code)
		if e.Billable {
			billable++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) != 42 || billable != 25 || !sort.StringsAreSorted(codes) {
		t.Errorf("ForEach visited %d codes (%d billable), sorted %v", len(codes), billable, sort.StringsAreSorted(codes))
	}
	stop := errors.New("stop")
	n := 0
	if err := ix.ForEach(rel26, func(*Entry) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
		t.Errorf("ForEach did not stop on error: %v after %d", err, n)
	}
}

// TestProgressIsSerial checks that the Progress callback is never run by
// two goroutines at once and that Done never goes back within a stage: the
// command's progress bar (cmd/medcode/cli/load/load.go, progress.update)
// keeps unsynchronised state and sets the bar to each Done it is given. The
// text build works in chunks of documents (12,000 at the time of writing),
// so the order file needs several chunks' worth of codes.
func TestProgressIsSerial(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 50000; i++ {
		code := fmt.Sprintf("X%02d%04d", i/10000, i%10000)
		title := fmt.Sprintf("Synthetic condition number %d", i)
		fmt.Fprintf(&b, "%05d %-7s 1 %-60s %s\r\n", i+1, code, title, title)
	}
	order := filepath.Join(t.TempDir(), "icd10cm_order_2026.txt")
	if err := os.WriteFile(order, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	var (
		inFlight   atomic.Int32
		overlapped atomic.Bool
		mu         sync.Mutex
		last       = map[string]int{}
		backwards  []string
	)
	opts := LoadOptions{Progress: func(p Progress) {
		if inFlight.Add(1) > 1 {
			overlapped.Store(true)
		}
		time.Sleep(250 * time.Millisecond)
		mu.Lock()
		if p.Done < last[p.Stage] {
			backwards = append(backwards, fmt.Sprintf("%s: %d after %d", p.Stage, p.Done, last[p.Stage]))
		}
		last[p.Stage] = p.Done
		mu.Unlock()
		inFlight.Add(-1)
	}}
	if _, err := Load(t.TempDir(), bundlesOf(t, nil, order), opts); err != nil {
		t.Fatal(err)
	}
	if overlapped.Load() {
		t.Error("Progress was called by two goroutines at once")
	}
	if len(backwards) > 0 {
		t.Errorf("Done went backwards: %q", backwards)
	}
}

func TestOpenNotLoaded(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(dir); !errors.Is(err, ErrNotLoaded) {
		t.Errorf("Open(empty dir) = %v, want ErrNotLoaded", err)
	}
	if _, err := Open(filepath.Join(dir, "missing")); !errors.Is(err, ErrNotLoaded) {
		t.Errorf("Open(missing dir) = %v, want ErrNotLoaded", err)
	}
}

func TestLoadAgain(t *testing.T) {
	dir := t.TempDir()
	o25 := order2025(t)

	res := mustLoad(t, dir, LoadOptions{}, fixtureOrder, fixtureTabular)
	if diff := cmp.Diff([]string{rel26}, res.Added); diff != "" {
		t.Errorf("first load added (-want +got):\n%s", diff)
	}

	res = mustLoad(t, dir, LoadOptions{}, o25)
	if !cmp.Equal(res.Added, []string{"icd10cm-2025"}) || !cmp.Equal(res.Kept, []string{rel26}) || res.Replaced != nil || res.Dropped != nil {
		t.Errorf("second load: added %v kept %v replaced %v dropped %v", res.Added, res.Kept, res.Replaced, res.Dropped)
	}

	res = mustLoad(t, dir, LoadOptions{}, fixtureOrder)
	if !cmp.Equal(res.Replaced, []string{rel26}) || !cmp.Equal(res.Kept, []string{"icd10cm-2025"}) || res.Added != nil || res.Dropped != nil {
		t.Errorf("third load: added %v kept %v replaced %v dropped %v", res.Added, res.Kept, res.Replaced, res.Dropped)
	}
	if diff := cmp.Diff([]string{"icd10cm-2025", rel26}, releaseIDs(res.Manifest)); diff != "" {
		t.Errorf("manifest releases (-want +got):\n%s", diff)
	}

	ix := mustOpen(t, dir)
	// The order file was replaced; the Tabular notes of the first load stay.
	e11, err := ix.Get(rel26, "E11")
	if err != nil || e11 == nil || e11.Notes == nil || len(e11.Notes.Includes) != 3 {
		t.Errorf("E11 after reloading the order file: %+v, %v", e11, err)
	}
	info := ix.Manifest.Release(rel26)
	var kinds []codeset.Kind
	for _, s := range info.Sources {
		kinds = append(kinds, s.Kind)
	}
	if diff := cmp.Diff([]codeset.Kind{codeset.KindOrder, codeset.KindTabular}, kinds); diff != "" {
		t.Errorf("sources after reload (-want +got):\n%s", diff)
	}
	// The kept release is still there and answers.
	if e, err := ix.Get("icd10cm-2025", "E119"); err != nil || e == nil {
		t.Errorf("Get(icd10cm-2025, E119) = %+v, %v", e, err)
	}
	if rs := ix.Releases(codeset.ICD10CM); len(rs) != 2 || rs[0].ID != rel26 {
		t.Errorf("Releases newest first: %v", releaseIDs(&Manifest{Releases: rs}))
	}
	// Only the live generation and the one before it are kept.
	if diff := cmp.Diff([]string{"g-000002", "g-000003"}, genNames(t, dir)); diff != "" {
		t.Errorf("generations (-want +got):\n%s", diff)
	}
}

func TestLoadSupplementOnly(t *testing.T) {
	dir := t.TempDir()
	mustLoad(t, dir, LoadOptions{}, fixtureOrder)
	ix := mustOpen(t, dir)
	if e, _ := ix.Get(rel26, "E11"); e == nil || e.Notes != nil {
		t.Fatalf("E11 before the Tabular load: %+v", e)
	}
	var existing []codeset.Release
	for _, r := range ix.Manifest.Releases {
		existing = append(existing, r.Release)
	}
	bundles := bundlesOf(t, existing, fixtureTabular)
	if len(bundles) != 1 || bundles[0].Table != nil || bundles[0].Release.ID() != rel26 {
		t.Fatalf("bundles for a Tabular alone: %+v", bundles)
	}
	res, err := Load(dir, bundles, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !cmp.Equal(res.Replaced, []string{rel26}) {
		t.Errorf("replaced %v", res.Replaced)
	}
	ix2 := mustOpen(t, dir)
	e, err := ix2.Get(rel26, "E11")
	if err != nil || e == nil || e.Notes == nil || e.Title != "Type 2 diabetes mellitus" {
		t.Errorf("E11 after the Tabular load: %+v, %v", e, err)
	}
	if info := ix2.Manifest.Release(rel26); info.Codes != 42 || info.Billable != 25 || info.Notes != 6 || len(info.Sources) != 2 {
		t.Errorf("manifest after the Tabular load: codes %d billable %d notes %d sources %+v", info.Codes, info.Billable, info.Notes, info.Sources)
	}
}

// TestLoadTwoReleasesShareTabular loads two order files with one Tabular
// List: Group gives both releases the same parsed file.
func TestLoadTwoReleasesShareTabular(t *testing.T) {
	bundles := bundlesOf(t, nil, fixtureOrder, order2025(t), fixtureTabular)
	if len(bundles) != 2 || bundles[0].Supplements[codeset.KindTabular] != bundles[1].Supplements[codeset.KindTabular] {
		t.Fatalf("expected two bundles sharing one Tabular file, got %d", len(bundles))
	}
	dir := t.TempDir()
	res, err := Load(dir, bundles, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"icd10cm-2025", rel26}, res.Added); diff != "" {
		t.Errorf("added (-want +got):\n%s", diff)
	}
	ix := mustOpen(t, dir)
	for _, id := range []string{"icd10cm-2025", rel26} {
		e, err := ix.Get(id, "E11")
		if err != nil || e == nil || e.Notes == nil || len(e.Notes.Excludes1) != 8 {
			t.Errorf("Get(%s, E11) = %+v, %v; want the Tabular notes", id, e, err)
		}
		if info := ix.Manifest.Release(id); info.Notes != 6 {
			t.Errorf("%s: %d codes with notes, want 6", id, info.Notes)
		}
	}
}

func TestLoadOrderWithCodesFile(t *testing.T) {
	dir := t.TempDir()
	res := mustLoad(t, dir, LoadOptions{}, fixtureOrder, fixtureCodes)
	info := res.Manifest.Release(rel26)
	if len(info.Sources) != 2 || info.Sources[0].Kind != codeset.KindCodes || info.Sources[0].Records != 25 {
		t.Errorf("sources %+v", info.Sources)
	}
	if len(info.Warnings) != 0 {
		t.Errorf("warnings %q", info.Warnings)
	}

	// A codes file that disagrees with the order file is reported.
	b, err := os.ReadFile(fixtureCodes)
	if err != nil {
		t.Fatal(err)
	}
	short := filepath.Join(t.TempDir(), "icd10cm_codes_2026.txt")
	lines := strings.SplitAfter(string(b), "\r\n")
	if err := os.WriteFile(short, []byte(strings.Join(lines[:len(lines)-2], "")), 0o600); err != nil {
		t.Fatal(err)
	}
	res = mustLoad(t, dir, LoadOptions{}, fixtureOrder, short)
	warned := strings.Join(res.Manifest.Release(rel26).Warnings, "\n")
	last := strings.TrimRight(lines[len(lines)-2], "\r\n")
	lastCode, _, _ := strings.Cut(last, " ")
	if !strings.Contains(warned, "disagree on 1 codes") || !strings.Contains(warned, codeset.DotICD(lastCode)+": missing from the codes file; ") ||
		!strings.Contains(warned, short+": no record") || !strings.Contains(warned, fixtureOrder+":") {
		t.Errorf("warnings %q", warned)
	}

	// A title that differs is named with both lines.
	changed := strings.Replace(string(b), last, last+" (changed)", 1)
	if err := os.WriteFile(short, []byte(changed), 0o600); err != nil {
		t.Fatal(err)
	}
	res = mustLoad(t, dir, LoadOptions{}, fixtureOrder, short)
	warned = strings.Join(res.Manifest.Release(rel26).Warnings, "\n")
	if want := fmt.Sprintf("%s: long title; %s:%d: ", codeset.DotICD(lastCode), short, len(lines)-1); !strings.Contains(warned, want) || !strings.Contains(warned, "(changed)") {
		t.Errorf("warnings %q, want %q", warned, want)
	}

	// A codes file alone gives billable codes only.
	res = mustLoad(t, t.TempDir(), LoadOptions{}, fixtureCodes)
	info = res.Manifest.Release(rel26)
	if info.Codes != 25 || info.Headers != 0 || !strings.Contains(strings.Join(info.Warnings, "\n"), "only the codes file was loaded") {
		t.Errorf("codes file alone: %+v", info)
	}
}

func TestFailedLoadKeepsPreviousGeneration(t *testing.T) {
	dir := fixtureIndex(t)
	before, err := os.Readlink(filepath.Join(dir, "current"))
	if err != nil {
		t.Fatal(err)
	}
	// A good bundle, then one for a release that is neither loaded nor given
	// a code table: the whole load must fail and change nothing.
	bundles := append(bundlesOf(t, nil, fixtureOrder), &codeset.Bundle{
		Release:     codeset.NewRelease(codeset.ICD10CM, 2025, 0),
		Supplements: map[codeset.Kind]*codeset.File{},
	})
	res, err := Load(dir, bundles, LoadOptions{})
	if err == nil {
		t.Fatalf("Load succeeded: %+v", res)
	}
	if !strings.Contains(err.Error(), "icd10cm-2025 is not loaded") {
		t.Errorf("error %q", err)
	}
	after, err := os.Readlink(filepath.Join(dir, "current"))
	if err != nil || after != before {
		t.Errorf("current link %q -> %q (%v)", before, after, err)
	}
	// No generation was added and no .build-* directory is left behind.
	if diff := cmp.Diff([]string{"g-000001"}, genNames(t, dir)); diff != "" {
		t.Errorf("gens after a failed load (-want +got):\n%s", diff)
	}
	ix := mustOpen(t, dir)
	if diff := cmp.Diff([]string{rel26}, releaseIDs(ix.Manifest)); diff != "" {
		t.Errorf("releases (-want +got):\n%s", diff)
	}
	if e, err := ix.Get(rel26, "E119"); err != nil || e == nil || e.Title != "Type 2 diabetes mellitus without complications" {
		t.Errorf("Get after a failed load = %+v, %v", e, err)
	}
	// The lock was released: the next load works.
	mustLoad(t, dir, LoadOptions{}, fixtureOrder)
}

func TestLoadLocked(t *testing.T) {
	dir := fixtureIndex(t)
	// A running load holds an exclusive flock on load.lock.
	f, err := os.OpenFile(filepath.Join(dir, "load.lock"), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	_, err = Load(dir, bundlesOf(t, nil, fixtureOrder), LoadOptions{})
	syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	if !errors.Is(err, ErrLoadRunning) {
		t.Errorf("Load while locked: %v, want ErrLoadRunning", err)
	}
	if ix := mustOpen(t, dir); ix.Manifest.Release(rel26) == nil {
		t.Error("index damaged by a refused load")
	}
}

func TestLoadReplace(t *testing.T) {
	dir := t.TempDir()
	mustLoad(t, dir, LoadOptions{}, fixtureOrder, fixtureTabular)
	mustLoad(t, dir, LoadOptions{}, order2025(t))
	res := mustLoad(t, dir, LoadOptions{Replace: true}, fixtureOrder)
	// icd10cm-2026 was loaded before: --replace replaces it, built afresh.
	if !cmp.Equal(res.Dropped, []string{"icd10cm-2025"}) || !cmp.Equal(res.Replaced, []string{rel26}) || res.Kept != nil || res.Added != nil {
		t.Errorf("replace: added %v kept %v replaced %v dropped %v", res.Added, res.Kept, res.Replaced, res.Dropped)
	}
	ix := mustOpen(t, dir)
	if diff := cmp.Diff([]string{rel26}, releaseIDs(ix.Manifest)); diff != "" {
		t.Errorf("releases (-want +got):\n%s", diff)
	}
	if _, err := ix.Get("icd10cm-2025", "E119"); err == nil {
		t.Error("dropped release still answers")
	}
	// Replace starts the release afresh: the Tabular notes are gone too.
	e, err := ix.Get(rel26, "E11")
	if err != nil || e == nil || e.Notes != nil {
		t.Errorf("E11 after Replace: %+v, %v", e, err)
	}
	if info := ix.Manifest.Release(rel26); len(info.Sources) != 1 || info.Notes != 0 {
		t.Errorf("manifest after Replace: %+v", info)
	}
}

func TestReaderSurvivesLoad(t *testing.T) {
	dir := fixtureIndex(t)
	// early has its store open; lazy has not touched it yet.
	early := mustOpen(t, dir)
	if e, err := early.Get(rel26, "E119"); err != nil || e == nil {
		t.Fatalf("Get = %+v, %v", e, err)
	}
	lazy := mustOpen(t, dir)

	mustLoad(t, dir, LoadOptions{Replace: true}, order2025(t))
	for name, ix := range map[string]*Index{"early": early, "lazy": lazy} {
		e, err := ix.Get(rel26, "E119")
		if err != nil || e == nil || e.Title != "Type 2 diabetes mellitus without complications" {
			t.Errorf("%s reader after a load: %+v, %v", name, e, err)
		}
		if kids, err := ix.Children(rel26, "E11"); err != nil || len(kids) != 5 {
			t.Errorf("%s reader Children after a load: %d, %v", name, len(kids), err)
		}
	}
	fresh := mustOpen(t, dir)
	if _, err := fresh.Get(rel26, "E119"); err == nil {
		t.Error("a reader opened after the Replace load still sees icd10cm-2026")
	}

	// Two loads later the first generation is pruned; a reader whose
	// bbolt file was already open keeps answering from it.
	mustLoad(t, dir, LoadOptions{}, fixtureOrder)
	if _, err := os.Stat(early.Dir()); !os.IsNotExist(err) {
		t.Fatalf("generation %s not pruned: %v", early.Dir(), err)
	}
	if e, err := early.Get(rel26, "E119"); err != nil || e == nil {
		t.Errorf("reader with an open store after its generation was pruned: %+v, %v", e, err)
	}
}

func TestOpenTemp(t *testing.T) {
	ix, err := OpenTemp(bundlesOf(t, nil, fixtureOrder, fixtureTabular))
	if err != nil {
		t.Fatal(err)
	}
	dir := ix.Dir()
	if e, err := ix.Get(rel26, "E119"); err != nil || e == nil {
		t.Errorf("Get = %+v, %v", e, err)
	}
	if ix.Size() <= 0 {
		t.Error("Size() = 0")
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("temporary index %s left behind: %v", dir, err)
	}
}

// TestLoadRealFY2026 loads the full FY2026 order file with the 2021
// Tabular List, as a user's first load does.
func TestLoadRealFY2026(t *testing.T) {
	if testing.Short() {
		t.Skip("full load skipped in -short mode")
	}
	data := officialtest.Dir(t)
	order := filepath.Join(data, "cms-icd10cm", "icd10cm_order_2026.txt")
	tabular := filepath.Join(data, "cdc-icd10cm-xml", "icd10cm_tabular_2021.xml")
	for _, p := range []string{order, tabular} {
		if _, err := os.Stat(p); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatal(err)
			}
			t.Skip(err)
		}
	}
	dir := t.TempDir()
	res := mustLoad(t, dir, LoadOptions{}, order, tabular)
	info := res.Manifest.Release(rel26)
	if info == nil {
		t.Fatalf("manifest has %v", releaseIDs(res.Manifest))
	}
	if info.Codes != 98186 || info.Billable != 74719 || info.Headers != 23467 {
		t.Errorf("codes %d billable %d headers %d, want 98186 74719 23467", info.Codes, info.Billable, info.Headers)
	}

	ix := mustOpen(t, dir)
	e, err := ix.Get(rel26, "E119")
	if err != nil || e == nil || e.Title != "Type 2 diabetes mellitus without complications" || !e.Billable {
		t.Errorf("Get(E119) = %+v, %v", e, err)
	}
	if e, _ := ix.Get(rel26, "E11"); e == nil || e.Notes == nil || len(e.Notes.Excludes1) == 0 {
		t.Errorf("Get(E11) = %+v", e)
	}
	if e, _ := ix.Get(rel26, "QA00101"); e == nil || !e.Billable {
		t.Errorf("Get(QA00101) = %+v", e)
	}
	billable := 0
	if err := ix.ForEach(rel26, func(e *Entry) error {
		if e.Billable {
			billable++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if billable != 74719 {
		t.Errorf("%d billable codes, want 74719", billable)
	}
	if _, total, err := ix.Descendants(rel26, "S72", true, 10); err != nil || total == 0 {
		t.Errorf("Descendants(S72) total %d, %v", total, err)
	}
	checkSearchTerms(t, ix, rel26)
	checkSearchAll(t, ix, rel26)
	checkSuggestRecords(t, ix, rel26)
	// Abbreviations the short titles use, learned at load.
	for w, want := range map[string]string{"unsp": "unspecified", "clsn": "collision", "init": "initial", "fngr": "finger", "diabetes": ""} {
		if got, err := ix.Abbrev(rel26, w); err != nil || got != want {
			t.Errorf("Abbrev(%q) = %q, %v; want %q", w, got, err, want)
		}
	}
}

func benchIndex(b *testing.B) string {
	b.Helper()
	dir := b.TempDir()
	if _, err := Load(dir, bundlesOf(b, nil, fixtureOrder, fixtureTabular), LoadOptions{}); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkGet is a lookup on an open index.
func BenchmarkGet(b *testing.B) {
	ix, err := Open(benchIndex(b))
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	b.ReportAllocs()
	for b.Loop() {
		e, err := ix.Get(rel26, "E119")
		if err != nil || e == nil {
			b.Fatal(e, err)
		}
	}
}

// BenchmarkOpenGet approximates a cold `medcode show`: open the data
// directory, look up one code, close.
func BenchmarkOpenGet(b *testing.B) {
	dir := benchIndex(b)
	b.ReportAllocs()
	for b.Loop() {
		ix, err := Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		e, err := ix.Get(rel26, "E119")
		if err != nil || e == nil {
			b.Fatal(e, err)
		}
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenGetRealFY2026 is BenchmarkOpenGet on the full FY2026 order
// file with the 2021 Tabular List (about 7 s of setup; skipped without the
// official files).
func BenchmarkOpenGetRealFY2026(b *testing.B) {
	data := officialtest.Dir(b)
	order := filepath.Join(data, "cms-icd10cm", "icd10cm_order_2026.txt")
	tabular := filepath.Join(data, "cdc-icd10cm-xml", "icd10cm_tabular_2021.xml")
	for _, p := range []string{order, tabular} {
		if _, err := os.Stat(p); err != nil {
			b.Skip(err)
		}
	}
	dir := b.TempDir()
	if _, err := Load(dir, bundlesOf(b, nil, order, tabular), LoadOptions{}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		ix, err := Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		e, err := ix.Get(rel26, "E119")
		if err != nil || e == nil {
			b.Fatal(e, err)
		}
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
