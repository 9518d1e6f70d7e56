package codeset

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// writeZip creates a zip archive; a name ending in "/" is a folder entry.
func writeZip(t *testing.T, path string, members []zipEntry) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, m := range members {
		w, err := zw.Create(m.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(m.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

type zipEntry struct {
	name string
	data []byte
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func readSource(t *testing.T, s *Source) []byte {
	t.Helper()
	rc, err := s.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type scanned struct {
	Path     string
	Kind     Kind
	Size     int64
	HeadYear int
}

func scannedOf(srcs []*Source) []scanned {
	var out []scanned
	for _, s := range srcs {
		out = append(out, scanned{s.Path, s.Kind, s.Size, s.HeadYear})
	}
	return out
}

func TestScanFixtureFolder(t *testing.T) {
	srcs, skipped, err := Scan([]string{icdFixtures})
	if err != nil {
		t.Fatal(err)
	}
	size := func(name string) int64 { return int64(len(icdFixture(t, name))) }
	p := func(name string) string { return filepath.Join(icdFixtures, name) }
	want := []scanned{
		{p(fixtureCodes), KindCodes, size(fixtureCodes), 0},
		{p(fixtureOrder), KindOrder, size(fixtureOrder), 0},
		{p(fixtureAddenda), KindAddenda, size(fixtureAddenda), 0},
		{p(fixtureTabular), KindTabular, size(fixtureTabular), 2021},
	}
	if diff := cmp.Diff(want, scannedOf(srcs)); diff != "" {
		t.Errorf("Scan (-want +got):\n%s", diff)
	}
	if len(skipped) != 0 {
		t.Errorf("skipped %+v", skipped)
	}
	for _, s := range srcs {
		if got := readSource(t, s); !bytes.Equal(got, icdFixture(t, filepath.Base(s.Path))) {
			t.Errorf("%s: Open returned other content", s.Path)
		}
	}

	// A single file named directly is scanned the same way.
	one, _, err := Scan([]string{p(fixtureOrder)})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want[1:2], scannedOf(one)); diff != "" {
		t.Errorf("Scan(order file) (-want +got):\n%s", diff)
	}
}

func TestScanZip(t *testing.T) {
	dir := t.TempDir()
	order := icdFixture(t, fixtureOrder)
	zpath := filepath.Join(dir, "2026-code-descriptions-tabular-order.zip")
	writeZip(t, zpath, []zipEntry{
		{"icd10cm_order_2026.txt", order},
		{"icd10OrderFiles.pdf", []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")},
		{"docs/", nil},
		{"docs/readme.txt", []byte("These files hold the FY2026 code descriptions.\r\n")},
	})
	srcs, skipped, err := Scan([]string{zpath})
	if err != nil {
		t.Fatal(err)
	}
	want := []scanned{{zpath + "!icd10cm_order_2026.txt", KindOrder, int64(len(order)), 0}}
	if diff := cmp.Diff(want, scannedOf(srcs)); diff != "" {
		t.Errorf("Scan(zip) (-want +got):\n%s", diff)
	}
	wantSkipped := []Skipped{
		{zpath + "!docs/readme.txt", "not a recognised code table"},
		{zpath + "!icd10OrderFiles.pdf", "PDF document, not a code table"},
	}
	if diff := cmp.Diff(wantSkipped, skipped); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
	// A zip member can be opened (and parsed) more than once.
	for i := 0; i < 2; i++ {
		if len(srcs) == 1 && !bytes.Equal(readSource(t, srcs[0]), order) {
			t.Fatal("zip member content differs")
		}
	}
	f, err := Identify(srcs[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Parse(); err != nil {
		t.Fatal(err)
	}
	if f.Release.ID() != "icd10cm-2026" || f.Records != 42 || f.Table == nil {
		t.Errorf("parsed zip member: release %s, %d records", f.Release.ID(), f.Records)
	}

	// A folder holding the zip is walked into it.
	srcs, _, err = Scan([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, scannedOf(srcs)); diff != "" {
		t.Errorf("Scan(folder with zip) (-want +got):\n%s", diff)
	}
}

func TestScanSkipsUnknownFiles(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{
		"a.pdf":      []byte("%PDF-1.7\n"),
		"b.xlsx":     []byte("PK-not-really"),
		"c.xsd":      []byte("<?xml version=\"1.0\"?>\r\n<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"/>\r\n"),
		"d.xml":      []byte("<?xml version=\"1.0\"?>\r\n<catalog><book/></catalog>\r\n"),
		"empty.txt":  nil,
		"notes.txt":  []byte("Call the billing office on Monday.\r\n"),
		"sub/x.xls":  []byte("\xd0\xcf\x11\xe0"),
		"sub/y.TXT":  []byte("random words\n"),
		"order.txt":  icdFixture(t, fixtureOrder),
		"sub/z.docx": []byte("hello"),
	}
	for name, data := range files {
		writeFile(t, filepath.Join(dir, filepath.FromSlash(name)), data)
	}
	srcs, skipped, err := Scan([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) != 1 || srcs[0].Kind != KindOrder || srcs[0].Path != filepath.Join(dir, "order.txt") {
		t.Errorf("recognised %+v, want only order.txt", scannedOf(srcs))
	}
	p := func(name string) string { return filepath.Join(dir, filepath.FromSlash(name)) }
	want := []Skipped{
		{p("a.pdf"), "PDF document, not a code table"},
		{p("b.xlsx"), "spreadsheet: medcode reads the text form of this table"},
		{p("c.xsd"), "XML schema"},
		{p("d.xml"), "XML file of an unknown kind"},
		{p("empty.txt"), "empty file"},
		{p("notes.txt"), "not a recognised code table"},
		{p("sub/x.xls"), "spreadsheet: medcode reads the text form of this table"},
		{p("sub/y.TXT"), "not a recognised code table"},
		{p("sub/z.docx"), "not a recognised code table"},
	}
	if diff := cmp.Diff(want, skipped); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
}

func TestScanErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "no-such-folder")
	_, _, err := Scan([]string{icdFixtures, missing})
	if err == nil || !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("Scan(missing path): error %v", err)
	}

	broken := filepath.Join(dir, "broken.zip")
	writeFile(t, broken, []byte("PK\x03\x04this is not really a zip archive"))
	_, _, err = Scan([]string{broken})
	if err == nil || !strings.Contains(err.Error(), "not a readable zip archive") || !strings.Contains(err.Error(), broken) {
		t.Errorf("Scan(broken zip): error %v", err)
	}
}

func TestSniff(t *testing.T) {
	read := func(rel string) []byte {
		b, err := os.ReadFile(filepath.FromSlash(rel))
		if err != nil {
			t.Fatal(err)
		}
		if len(b) > sniffSize {
			b = b[:sniffSize]
		}
		return b
	}
	tests := []struct {
		name string
		head []byte
		kind Kind
		ok   bool
	}{
		{"order file", icdFixture(t, fixtureOrder), KindOrder, true},
		{"codes file", icdFixture(t, fixtureCodes), KindCodes, true},
		{"order addenda", icdFixture(t, fixtureAddenda), KindAddenda, true},
		{"codes addenda", []byte("Delete:      B880    Other acariasis\r\nAdd:         B8801   Infestation by Demodex mites\r\n"), KindAddenda, true},
		{"tabular", icdFixture(t, fixtureTabular), KindTabular, true},
		{"tabular head", icdFixture(t, fixtureTabular)[:120], KindTabular, true},
		{"alphabetic index", read("../testdata/index/icd10cm_index_sample.xml"), KindIndex, true},
		{"external cause index", read("../testdata/index/icd10cm_eindex_sample.xml"), KindEIndex, true},
		{"drug table", read("../testdata/index/icd10cm_drug_sample.xml"), KindDrug, true},
		{"neoplasm table", read("../testdata/index/icd10cm_neoplasm_sample.xml"), KindNeoplasm, true},
		{"hcpcs", read("../testdata/hcpcs/HCPC2020_sample_ANWEB.txt"), KindHCPCS, true},
		{"proc notes", read("../testdata/hcpcs/proc_notes_sample.txt"), KindProcNotes, true},
		{"empty", nil, "", false},
		{"pdf", []byte("%PDF-1.4\n"), "", false},
		{"prose", []byte("Hello\r\nworld\r\n"), "", false},
		{"unknown xml", []byte("<?xml version=\"1.0\"?><catalog/>"), "", false},
	}
	for _, tt := range tests {
		kind, ok := Sniff(tt.head)
		if kind != tt.kind || ok != tt.ok {
			t.Errorf("Sniff(%s) = %q, %v; want %q, %v", tt.name, kind, ok, tt.kind, tt.ok)
		}
	}
}

func TestKindDescribeAndSystem(t *testing.T) {
	for _, k := range []Kind{KindOrder, KindCodes, KindAddenda, KindTabular, KindIndex, KindEIndex, KindDrug, KindNeoplasm, KindHCPCS, KindProcNotes} {
		if d := k.Describe(); d == "" || d == string(k) {
			t.Errorf("%s has no description", k)
		}
		want := ICD10CM
		if k == KindHCPCS || k == KindProcNotes {
			want = HCPCS
		}
		if k.System() != want {
			t.Errorf("%s.System() = %s, want %s", k, k.System(), want)
		}
	}
	if got := Kind("other").Describe(); got != "other" {
		t.Errorf("unknown kind described as %q", got)
	}
}

func TestScanOfficeFileIsOneSkippedSpreadsheet(t *testing.T) {
	dir := t.TempDir()
	xlsx := filepath.Join(dir, "ICD-10-CM-CONVERSION-TABLE-FY2026.xlsx")
	writeZip(t, xlsx, []zipEntry{
		{"[Content_Types].xml", []byte("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<Types/>")},
		{"xl/workbook.xml", []byte("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<workbook/>")},
	})
	srcs, skipped, err := Scan([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	want := []Skipped{{xlsx, "spreadsheet: medcode reads the text form of this table"}}
	if len(srcs) != 0 {
		t.Errorf("recognised %+v", scannedOf(srcs))
	}
	if diff := cmp.Diff(want, skipped); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
}
