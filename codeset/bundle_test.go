package codeset

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/medcode/medcode/codeset/officialtest"
)

// identified builds a recognised file without reading anything: Identify
// and Group look only at the path, kind, size and head year.
func identified(t *testing.T, path string, kind Kind, size int64, headYear int) *File {
	t.Helper()
	f, err := Identify(&Source{Path: path, Kind: kind, Size: size, HeadYear: headYear}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestIdentify(t *testing.T) {
	override := NewRelease(ICD10CM, 2024, 4)
	hcpcsOverride := NewRelease(HCPCS, 2026, 0)
	tests := []struct {
		name     string
		src      Source
		override *Release
		release  string // ID, "" for supplements
		year     int
	}{
		{"order", Source{Path: "x/icd10cm_order_2026.txt", Kind: KindOrder}, nil, "icd10cm-2026", 2026},
		{"codes", Source{Path: "x/icd10cm_codes_2026.txt", Kind: KindCodes}, nil, "icd10cm-2026", 2026},
		{"april order", Source{Path: "icd10cm-order-April-1-2024.txt", Kind: KindOrder}, nil, "icd10cm-2024-04", 2024},
		{"order in zip", Source{Path: "d/2025-code-descriptions-tabular-order.zip!icd10cm_order_2025.txt", Kind: KindOrder}, nil, "icd10cm-2025", 2025},
		{"order without year, override", Source{Path: "order.txt", Kind: KindOrder}, &override, "icd10cm-2024-04", 2024},
		{"override beats the name", Source{Path: "icd10cm_order_2026.txt", Kind: KindOrder}, &override, "icd10cm-2024-04", 2024},
		{"tabular head year", Source{Path: "icd10cm_tabular_2026.xml", Kind: KindTabular, HeadYear: 2021}, nil, "", 2021},
		{"tabular name year", Source{Path: "icd10cm_tabular_2021.xml", Kind: KindTabular}, nil, "", 2021},
		{"tabular no year", Source{Path: "tabular.xml", Kind: KindTabular}, nil, "", 0},
		{"index", Source{Path: "icd10cm_index_2017.xml", Kind: KindIndex, HeadYear: 2017}, nil, "", 2017},
		{"addenda", Source{Path: "icd10cm_order_addenda_2026.txt", Kind: KindAddenda}, nil, "", 2026},
		{"hcpcs", Source{Path: "HCPC2020_ANWEB_w_disclaimer.txt", Kind: KindHCPCS, HeadYear: 2020}, nil, "hcpcs-2020", 2020},
		{"hcpcs april", Source{Path: "HCPC2026_APR_ANWEB.txt", Kind: KindHCPCS, HeadYear: 2026}, nil, "hcpcs-2026-04", 2026},
		{"hcpcs year from name", Source{Path: "HCPC2026_APR_ANWEB.txt", Kind: KindHCPCS}, nil, "hcpcs-2026-04", 2026},
		// The disclaimer's year wins over a misleading name, and the name's
		// month is then not trusted either.
		{"hcpcs head year beats name", Source{Path: "HCPC2026_APR_ANWEB.txt", Kind: KindHCPCS, HeadYear: 2025}, nil, "hcpcs-2025", 2025},
		{"hcpcs override", Source{Path: "anweb.txt", Kind: KindHCPCS}, &hcpcsOverride, "hcpcs-2026", 2026},
		{"proc notes", Source{Path: "proc_notes_2020.txt", Kind: KindProcNotes}, nil, "", 2020},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := tt.src
			f, err := Identify(&src, tt.override)
			if err != nil {
				t.Fatal(err)
			}
			if f.Source != &src {
				t.Error("Identify did not keep the source")
			}
			id := ""
			if f.Release != (Release{}) {
				id = f.Release.ID()
			}
			if id != tt.release || f.Year != tt.year {
				t.Errorf("release %q year %d, want %q %d", id, f.Year, tt.release, tt.year)
			}
		})
	}
}

func TestIdentifyErrors(t *testing.T) {
	icdOverride := NewRelease(ICD10CM, 2026, 0)
	hcpcsOverride := NewRelease(HCPCS, 2026, 0)
	tests := []struct {
		name     string
		src      Source
		override *Release
		msgs     []string
	}{
		{"order without year", Source{Path: "dl/order.txt", Kind: KindOrder}, nil, []string{"dl/order.txt", "fiscal year", "hint:", "--release"}},
		{"codes without year", Source{Path: "codes.txt", Kind: KindCodes}, nil, []string{"codes.txt", "--release"}},
		{"order with an HCPCS override", Source{Path: "order.txt", Kind: KindOrder}, &hcpcsOverride, []string{"--release"}},
		{"hcpcs without year", Source{Path: "anweb.txt", Kind: KindHCPCS}, nil, []string{"anweb.txt", "HCPCS year", "--release hcpcs-2026"}},
		{"hcpcs with an ICD override", Source{Path: "anweb.txt", Kind: KindHCPCS}, &icdOverride, []string{"HCPCS year"}},
		{"unknown kind", Source{Path: "x.bin", Kind: Kind("cpt")}, nil, []string{"x.bin", "unsupported kind"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := tt.src
			f, err := Identify(&src, tt.override)
			if err == nil {
				t.Fatalf("no error, got %+v", f)
			}
			for _, m := range tt.msgs {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("error %q does not contain %q", err, m)
				}
			}
		})
	}
}

// bundleSummary is what a test compares of a bundle.
type bundleSummary struct {
	Release     string
	Table       string
	Extra       string
	Supplements map[Kind]string
	Warnings    int
}

func summarize(bs []*Bundle) []bundleSummary {
	var out []bundleSummary
	for _, b := range bs {
		s := bundleSummary{Release: b.Release.ID(), Supplements: map[Kind]string{}, Warnings: len(b.Warnings)}
		if b.Table != nil {
			s.Table = b.Table.Source.Path
		}
		if b.Extra != nil {
			s.Extra = b.Extra.Source.Path
		}
		for k, f := range b.Supplements {
			s.Supplements[k] = f.Source.Path
		}
		out = append(out, s)
	}
	return out
}

func TestGroup(t *testing.T) {
	order26 := func() *File { return identified(t, "dl/icd10cm_order_2026.txt", KindOrder, 14694719, 0) }
	order25 := func() *File { return identified(t, "dl/icd10cm_order_2025.txt", KindOrder, 14604119, 0) }
	codes26 := func() *File { return identified(t, "dl/icd10cm_codes_2026.txt", KindCodes, 6413824, 0) }
	tab21 := func() *File { return identified(t, "xml/icd10cm_tabular_2021.xml", KindTabular, 9253467, 2021) }
	tab17 := func() *File { return identified(t, "xml/icd10cm_tabular_2017.xml", KindTabular, 9000000, 2017) }
	tab26 := func() *File { return identified(t, "xml/icd10cm_tabular_2026.xml", KindTabular, 9300000, 2026) }
	drug22 := func() *File { return identified(t, "xml/icd10cm_drug_2022.xml", KindDrug, 2120272, 2022) }
	drug26 := func() *File { return identified(t, "xml/icd10cm_drug_2026.xml", KindDrug, 2100000, 2026) }
	drug26apr := func() *File {
		return identified(t, "xml/icd10cm-drug-April-1-2026-XML.xml", KindDrug, 2056568, 2026)
	}
	addenda := func() *File { return identified(t, "dl/icd10cm_order_addenda_2026.txt", KindAddenda, 116438, 0) }
	hcpcs20 := func() *File { return identified(t, "h/HCPC2020_ANWEB_w_disclaimer.txt", KindHCPCS, 2771202, 2020) }
	notes20 := func() *File { return identified(t, "h/proc_notes_2020.txt", KindProcNotes, 43083, 0) }
	none := map[Kind]string{}

	tests := []struct {
		name     string
		files    []*File
		existing []Release
		want     []bundleSummary
	}{
		{
			name:  "order 2026 + tabular 2021",
			files: []*File{order26(), tab21()},
			want:  []bundleSummary{{"icd10cm-2026", "dl/icd10cm_order_2026.txt", "", map[Kind]string{KindTabular: "xml/icd10cm_tabular_2021.xml"}, 1}},
		},
		{
			name:  "tabular first",
			files: []*File{tab21(), order26()},
			want:  []bundleSummary{{"icd10cm-2026", "dl/icd10cm_order_2026.txt", "", map[Kind]string{KindTabular: "xml/icd10cm_tabular_2021.xml"}, 1}},
		},
		{
			name:  "same year: no warning",
			files: []*File{order26(), tab26()},
			want:  []bundleSummary{{"icd10cm-2026", "dl/icd10cm_order_2026.txt", "", map[Kind]string{KindTabular: "xml/icd10cm_tabular_2026.xml"}, 0}},
		},
		{
			// The April-1-2026 file is smaller than the October one, and newer.
			name:  "newest supplement of a year",
			files: []*File{order26(), drug22(), drug26(), drug26apr()},
			want:  []bundleSummary{{"icd10cm-2026", "dl/icd10cm_order_2026.txt", "", map[Kind]string{KindDrug: "xml/icd10cm-drug-April-1-2026-XML.xml"}, 0}},
		},
		{
			name:  "newest supplement of a year, listed first",
			files: []*File{drug26apr(), drug26(), order26()},
			want:  []bundleSummary{{"icd10cm-2026", "dl/icd10cm_order_2026.txt", "", map[Kind]string{KindDrug: "xml/icd10cm-drug-April-1-2026-XML.xml"}, 0}},
		},
		{
			name:  "two releases share one tabular",
			files: []*File{order26(), tab21(), order25()},
			want: []bundleSummary{
				{"icd10cm-2025", "dl/icd10cm_order_2025.txt", "", map[Kind]string{KindTabular: "xml/icd10cm_tabular_2021.xml"}, 1},
				{"icd10cm-2026", "dl/icd10cm_order_2026.txt", "", map[Kind]string{KindTabular: "xml/icd10cm_tabular_2021.xml"}, 1},
			},
		},
		{
			name:  "each release gets the nearest tabular",
			files: []*File{tab17(), order26(), identified(t, "icd10cm_order_2018.txt", KindOrder, 1, 0), tab21()},
			want: []bundleSummary{
				{"icd10cm-2018", "icd10cm_order_2018.txt", "", map[Kind]string{KindTabular: "xml/icd10cm_tabular_2017.xml"}, 1},
				{"icd10cm-2026", "dl/icd10cm_order_2026.txt", "", map[Kind]string{KindTabular: "xml/icd10cm_tabular_2021.xml"}, 1},
			},
		},
		{
			name:     "supplement alone goes to the newest loaded release",
			files:    []*File{tab21()},
			existing: []Release{NewRelease(ICD10CM, 2025, 0), NewRelease(HCPCS, 2027, 0), NewRelease(ICD10CM, 2026, 0), NewRelease(ICD10CM, 2024, 4)},
			want:     []bundleSummary{{"icd10cm-2026", "", "", map[Kind]string{KindTabular: "xml/icd10cm_tabular_2021.xml"}, 1}},
		},
		{
			name:     "an April update is newer than its base release",
			files:    []*File{tab21()},
			existing: []Release{NewRelease(ICD10CM, 2026, 0), NewRelease(ICD10CM, 2026, 4)},
			want:     []bundleSummary{{"icd10cm-2026-04", "", "", map[Kind]string{KindTabular: "xml/icd10cm_tabular_2021.xml"}, 1}},
		},
		{
			name:     "a table in the run wins over existing releases",
			files:    []*File{tab21(), order25()},
			existing: []Release{NewRelease(ICD10CM, 2026, 0)},
			want:     []bundleSummary{{"icd10cm-2025", "dl/icd10cm_order_2025.txt", "", map[Kind]string{KindTabular: "xml/icd10cm_tabular_2021.xml"}, 1}},
		},
		{
			name:  "order + codes of one release",
			files: []*File{order26(), codes26()},
			want:  []bundleSummary{{"icd10cm-2026", "dl/icd10cm_order_2026.txt", "dl/icd10cm_codes_2026.txt", none, 0}},
		},
		{
			name:  "codes + order: the order file is the table",
			files: []*File{codes26(), order26()},
			want:  []bundleSummary{{"icd10cm-2026", "dl/icd10cm_order_2026.txt", "dl/icd10cm_codes_2026.txt", none, 0}},
		},
		{
			name:  "codes file alone",
			files: []*File{codes26()},
			want:  []bundleSummary{{"icd10cm-2026", "dl/icd10cm_codes_2026.txt", "", none, 0}},
		},
		{
			name:  "same order file twice (zip and extracted)",
			files: []*File{identified(t, "dl/2026.zip!icd10cm_order_2026.txt", KindOrder, 14694719, 0), order26()},
			want:  []bundleSummary{{"icd10cm-2026", "dl/2026.zip!icd10cm_order_2026.txt", "", none, 0}},
		},
		{
			name:  "addenda add nothing",
			files: []*File{addenda(), order26()},
			want:  []bundleSummary{{"icd10cm-2026", "dl/icd10cm_order_2026.txt", "", none, 0}},
		},
		{
			name:  "addenda alone",
			files: []*File{addenda()},
			want:  nil,
		},
		{
			name:  "hcpcs and icd side by side",
			files: []*File{notes20(), tab21(), hcpcs20(), order26()},
			want: []bundleSummary{
				{"hcpcs-2020", "h/HCPC2020_ANWEB_w_disclaimer.txt", "", map[Kind]string{KindProcNotes: "h/proc_notes_2020.txt"}, 0},
				{"icd10cm-2026", "dl/icd10cm_order_2026.txt", "", map[Kind]string{KindTabular: "xml/icd10cm_tabular_2021.xml"}, 1},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bs, err := Group(tt.files, tt.existing)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, summarize(bs)); diff != "" {
				t.Errorf("Group (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGroupWarningsAndFiles(t *testing.T) {
	order := identified(t, "dl/icd10cm_order_2026.txt", KindOrder, 100, 0)
	codes := identified(t, "dl/icd10cm_codes_2026.txt", KindCodes, 50, 0)
	tab := identified(t, "xml/icd10cm_tabular_2021.xml", KindTabular, 200, 2021)
	eindex := identified(t, "xml/icd10cm_eindex_2022.xml", KindEIndex, 300, 2022)
	bs, err := Group([]*File{eindex, tab, codes, order}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 1 {
		t.Fatalf("%d bundles", len(bs))
	}
	b := bs[0]
	want := []string{
		"ICD-10-CM Tabular List XML is for 2021 but icd10cm-2026 is ICD-10-CM FY2026: its entries are attached only where the codes still exist",
		"ICD-10-CM External Cause Index XML is for 2022 but icd10cm-2026 is ICD-10-CM FY2026: its entries are attached only where the codes still exist",
	}
	if diff := cmp.Diff(want, b.Warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	// Files lists the table, the extra, then supplements in a fixed order.
	files := b.Files()
	wantFiles := []*File{order, codes, tab, eindex}
	if len(files) != len(wantFiles) {
		t.Fatalf("Files() has %d files, want %d", len(files), len(wantFiles))
	}
	for i := range files {
		if files[i] != wantFiles[i] {
			t.Errorf("Files()[%d] = %s, want %s", i, files[i].Source.Path, wantFiles[i].Source.Path)
		}
	}
}

func TestGroupErrors(t *testing.T) {
	tests := []struct {
		name     string
		files    []*File
		existing []Release
		msgs     []string
	}{
		{
			name:  "supplement with nothing to attach to",
			files: []*File{identified(t, "xml/icd10cm_tabular_2021.xml", KindTabular, 1, 2021)},
			msgs:  []string{"xml/icd10cm_tabular_2021.xml", "no icd10cm code table", "hint:", "order file"},
		},
		{
			name:     "only releases of the other system exist",
			files:    []*File{identified(t, "xml/icd10cm_tabular_2021.xml", KindTabular, 1, 2021)},
			existing: []Release{NewRelease(HCPCS, 2026, 0)},
			msgs:     []string{"no icd10cm code table", "hint:"},
		},
		{
			name:     "proc notes without HCPCS",
			files:    []*File{identified(t, "proc_notes_2020.txt", KindProcNotes, 1, 0)},
			existing: []Release{NewRelease(ICD10CM, 2026, 0)},
			msgs:     []string{"no hcpcs code table", "hint:", "HCPCS alpha-numeric file"},
		},
		{
			name: "two different order files for one release",
			files: []*File{
				identified(t, "a/icd10cm_order_2026.txt", KindOrder, 14694719, 0),
				identified(t, "b/icd10cm-order-2026.txt", KindOrder, 14694000, 0),
			},
			msgs: []string{"two different ICD-10-CM order files for ICD-10-CM FY2026", "a/icd10cm_order_2026.txt", "b/icd10cm-order-2026.txt", "hint:"},
		},
		{
			name: "same name, different size",
			files: []*File{
				identified(t, "a/icd10cm_order_2026.txt", KindOrder, 100, 0),
				identified(t, "b/icd10cm_order_2026.txt", KindOrder, 101, 0),
			},
			msgs: []string{"two different"},
		},
		{
			name: "two HCPCS files for one year",
			files: []*File{
				identified(t, "HCPC2020_ANWEB.txt", KindHCPCS, 100, 2020),
				identified(t, "HCPC2020_ANWEB_w_disclaimer.txt", KindHCPCS, 100, 2020),
			},
			msgs: []string{"two different HCPCS Level II alpha-numeric files"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bs, err := Group(tt.files, tt.existing)
			if err == nil {
				t.Fatalf("no error, got %+v", summarize(bs))
			}
			for _, m := range tt.msgs {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("error %q does not contain %q", err, m)
				}
			}
		})
	}
}

// scanGroup runs the load's first steps on real paths.
func scanGroup(t *testing.T, paths ...string) ([]*Bundle, error) {
	t.Helper()
	srcs, _, err := Scan(paths)
	if err != nil {
		t.Fatal(err)
	}
	var files []*File
	for _, s := range srcs {
		f, err := Identify(s, nil)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return Group(files, nil)
}

func TestGroupZipAndExtractedCopy(t *testing.T) {
	dir := t.TempDir()
	order := icdFixture(t, fixtureOrder)
	writeZip(t, filepath.Join(dir, "2026-code-descriptions-tabular-order.zip"), []zipEntry{{fixtureOrder, order}})
	writeFile(t, filepath.Join(dir, "extracted", fixtureOrder), order)
	bs, err := scanGroup(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 1 || bs[0].Release.ID() != "icd10cm-2026" || bs[0].Table == nil || bs[0].Extra != nil {
		t.Fatalf("got %+v", summarize(bs))
	}
	if err := bs[0].Table.Parse(); err != nil {
		t.Fatal(err)
	}
	if bs[0].Table.Records != 42 {
		t.Errorf("%d records", bs[0].Table.Records)
	}

	// The whole fixture folder: order + codes + addenda + tabular.
	bs, err = scanGroup(t, icdFixtures)
	if err != nil {
		t.Fatal(err)
	}
	want := []bundleSummary{{
		Release:     "icd10cm-2026",
		Table:       filepath.Join(icdFixtures, fixtureOrder),
		Extra:       filepath.Join(icdFixtures, fixtureCodes),
		Supplements: map[Kind]string{KindTabular: filepath.Join(icdFixtures, fixtureTabular)},
		Warnings:    1,
	}}
	if diff := cmp.Diff(want, summarize(bs)); diff != "" {
		t.Errorf("Group(fixture folder) (-want +got):\n%s", diff)
	}
	for _, f := range bs[0].Files() {
		if err := f.Parse(); err != nil {
			t.Fatal(err)
		}
	}
	b := bs[0]
	if b.Table.Records != 42 || b.Extra.Records != 25 || b.Supplements[KindTabular].Records != 129 {
		t.Errorf("records: order %d, codes %d, tabular %d", b.Table.Records, b.Extra.Records, b.Supplements[KindTabular].Records)
	}
	b.DropParsed()
	for _, f := range b.Files() {
		if f.Table != nil || f.Tabular != nil || f.Records == 0 {
			t.Errorf("%s: DropParsed kept content or lost the count", f.Source.Path)
		}
	}
}

func TestGroupZipAndExtractedOrderAndCodes(t *testing.T) {
	// CMS's zip next to its extracted files, loaded as one folder.
	dir := t.TempDir()
	order, codes := icdFixture(t, fixtureOrder), icdFixture(t, fixtureCodes)
	writeZip(t, filepath.Join(dir, "2026-code-descriptions-tabular-order.zip"), []zipEntry{{fixtureCodes, codes}, {fixtureOrder, order}})
	writeFile(t, filepath.Join(dir, "icd10cm_codes_2026.txt"), codes)
	writeFile(t, filepath.Join(dir, "icd10cm_order_2026.txt"), order)
	bs, err := scanGroup(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 1 || bs[0].Table == nil || bs[0].Table.Source.Kind != KindOrder || bs[0].Extra == nil || bs[0].Extra.Source.Kind != KindCodes {
		t.Errorf("got %+v", summarize(bs))
	}
}

func TestGroupRealFolder(t *testing.T) {
	dir := filepath.Join(officialtest.Dir(t), "cms-icd10cm")
	if _, err := os.Stat(dir); err != nil {
		t.Skip(err)
	}
	// The folder holds the FY2026 files and the unopened FY2025 zip.
	bs, err := scanGroup(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range bs {
		got = append(got, b.Release.ID()+" "+filepath.Base(b.Table.Source.Path)+" + "+filepath.Base(b.Extra.Source.Path))
	}
	want := []string{
		"icd10cm-2025 2025-code-descriptions-tabular-order.zip!icd10cm_order_2025.txt + 2025-code-descriptions-tabular-order.zip!icd10cm_codes_2025.txt",
		"icd10cm-2026 icd10cm_order_2026.txt + icd10cm_codes_2026.txt",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("bundles (-want +got):\n%s", diff)
	}
}
