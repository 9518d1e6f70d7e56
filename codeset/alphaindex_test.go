package codeset

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/medcode/medcode/codeset/officialtest"
)

const indexFixtures = "../testdata/index"

// xt builds an expected term from a compact spelling: path levels joined by
// " > " and nemods by "|", so that a table of expectations stays readable.
func xt(book IndexBook, path, nemod string, t IndexTerm) IndexTerm {
	t.Book = book
	t.Path = strings.Split(path, " > ")
	t.Nemod = strings.Split(nemod, "|")
	return t
}

func parseIndexFile(t testing.TB, path string) *Index {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	idx, err := ParseIndex(f, filepath.Base(path))
	if err != nil {
		t.Fatal(err)
	}
	return idx
}

func TestParseIndexDiseasesFixture(t *testing.T) {
	idx := parseIndexFile(t, filepath.Join(indexFixtures, "icd10cm_index_sample.xml"))
	const B = BookDiseases
	want := []IndexTerm{
		xt(B, "Aarskog's syndrome", "", IndexTerm{Code: "Q87.1"}),
		xt(B, "Abandonment", "", IndexTerm{See: "Maltreatment"}),
		xt(B, "Abdomen, abdominal", "", IndexTerm{SeeAlso: "condition"}),
		xt(B, "Abdomen, abdominal > acute", "|", IndexTerm{Code: "R10.0"}),
		xt(B, "Abdomen, abdominal > angina", "|", IndexTerm{Code: "K55.1"}),
		xt(B, "Abdomen, abdominal > muscle deficiency syndrome", "|", IndexTerm{Code: "Q79.4"}),
		xt(B, "Allergy, allergic", "(reaction) (to)", IndexTerm{Code: "T78.40"}),
		xt(B, "Allergy, allergic > drug, medicament & biological", "(reaction) (to)|(any) (external) (internal)",
			IndexTerm{Code: "T78.40"}),
		xt(B, "Allergy, allergic > drug, medicament & biological > correct substance properly administered",
			"(reaction) (to)|(any) (external) (internal)|",
			IndexTerm{See: "Table of Drugs and Chemicals, by drug, adverse effect"}),
		xt(B, "Amyloid heart", "(disease)", IndexTerm{Code: "E85.4", Manif: "I43"}),
		xt(B, "Amyloidosis", "(generalized) (primary)", IndexTerm{Code: "E85.9"}),
		xt(B, "Amyloidosis > with lung involvement", "(generalized) (primary)|", IndexTerm{Code: "E85.4", Manif: "J99"}),
		xt(B, "Amyloidosis > familial", "(generalized) (primary)|", IndexTerm{Code: "E85.2"}),
		xt(B, "Bonnevie-Ullrich syndrome", "", IndexTerm{SeeAlso: "Turner's syndrome", Code: "Q87.1"}),
		xt(B, "Bonnier's syndrome", "", IndexTerm{SubCat: "H81.8"}),
		// The main term carries nothing itself, so only its subterms appear.
		xt(B, "Calculus, calculi, calculous > ampulla of Vater", "|", IndexTerm{See: "Calculus, bile duct"}),
		xt(B, "Calculus, calculi, calculous > anuria", "|(impacted) (recurrent)",
			IndexTerm{SeeAlso: "Calculus, urinary", Code: "N20.9"}),
		xt(B, "Calculus, calculi, calculous > bile duct", "|(common) (hepatic)", IndexTerm{Code: "K80.50"}),
		xt(B, "Calculus, calculi, calculous > bile duct > with > calculus of gallbladder", "|(common) (hepatic)||",
			IndexTerm{See: "Calculus, gallbladder and bile duct"}),
		xt(B, "Calculus, calculi, calculous > pyelonephritis", "|(impacted) (recurrent)", IndexTerm{SeeCat: "N20"}),
		xt(B, "Calculus, calculi, calculous > pyelonephritis > with hydronephrosis", "|(impacted) (recurrent)|",
			IndexTerm{Code: "N13.2"}),
		xt(B, "Cancer phobia", "(o)", IndexTerm{Code: "F45.29"}),
		xt(B, "Diabetes, diabetic", "(mellitus) (sugar)", IndexTerm{Code: "E11.9"}),
		xt(B, "Diabetes, diabetic > with > amyotrophy", "(mellitus) (sugar)||", IndexTerm{Code: "E11.44"}),
		xt(B, "Diabetes, diabetic > with > autonomic neuropathy", "(mellitus) (sugar)||(poly)", IndexTerm{Code: "E11.43"}),
		xt(B, "Diabetes, diabetic > with > chronic kidney disease", "(mellitus) (sugar)||", IndexTerm{Code: "E11.22"}),
		xt(B, "Diabetes, diabetic > with > complication", "(mellitus) (sugar)||", IndexTerm{Code: "E11.8"}),
		xt(B, "Diabetes, diabetic > with > complication > specified NEC", "(mellitus) (sugar)|||", IndexTerm{Code: "E11.69"}),
		xt(B, "Diabetes, diabetic > with > loss of protective sensation", "(mellitus) (sugar)||(LOPS)",
			IndexTerm{See: "Diabetes, by type, with neuropathy"}),
		xt(B, "Diabetes, diabetic > bronzed", "(mellitus) (sugar)|", IndexTerm{Code: "E83.110"}),
		xt(B, "Diabetes, diabetic > gestational", "(mellitus) (sugar)|(in pregnancy)", IndexTerm{Code: "O24.419"}),
		// Text after the modifier joins without a blank before a hyphen.
		xt(B, "Klein-Levin syndrome", "(e)", IndexTerm{Code: "G47.13"}),
		xt(B, "Shock", "", IndexTerm{Code: "R57.9"}),
		xt(B, "Shock > electric", "|", IndexTerm{Code: "T75.4"}),
		// A title that is only a modifier is itself the entry.
		xt(B, "Shock > electric > (taser)", "||", IndexTerm{Code: "T75.4"}),
	}
	if diff := cmp.Diff(want, idx.Terms); diff != "" {
		t.Errorf("terms (-want +got):\n%s", diff)
	}
	if idx.Book != BookDiseases || idx.Version != "2017" || idx.MainTerms != 13 || idx.Headings != nil {
		t.Errorf("got book %q version %q main terms %d headings %v", idx.Book, idx.Version, idx.MainTerms, idx.Headings)
	}
}

func TestParseIndexExternalCauseFixture(t *testing.T) {
	idx := parseIndexFile(t, filepath.Join(indexFixtures, "icd10cm_eindex_sample.xml"))
	const B = BookExternalCause
	want := []IndexTerm{
		xt(B, "Abandonment NEC", "(causing exposure to weather conditions) (with intent to injure or kill)",
			IndexTerm{Code: "X58"}),
		xt(B, "Abuse", "(adult) (child) (mental) (physical) (sexual)", IndexTerm{Code: "X58"}),
		xt(B, "Accident", "(to)", IndexTerm{Code: "X58"}),
		xt(B, "Accident > aircraft", "(to)|(in transit) (powered)", IndexTerm{SeeAlso: "Accident, transport, aircraft"}),
		xt(B, "Accident > aircraft > due to, caused by cataclysm", "(to)|(in transit) (powered)|",
			IndexTerm{See: "Forces of nature, by type"}),
		xt(B, "Accident > animal-rider", "(to)|", IndexTerm{See: "Accident, transport, animal-rider"}),
		xt(B, "Accident > bare foot water skiier", "(to)|", IndexTerm{Code: "V94.4"}),
		xt(B, "Accident > boat, boating", "(to)|", IndexTerm{SeeAlso: "Accident, watercraft"}),
		xt(B, "Accident > boat, boating > striking swimmer > powered", "(to)|||", IndexTerm{Code: "V94.11"}),
		xt(B, "Accident > boat, boating > striking swimmer > unpowered", "(to)|||", IndexTerm{Code: "V94.12"}),
		xt(B, "Accident > cable car, not on rails", "(to)|", IndexTerm{Code: "V98.0"}),
		xt(B, "Accident > cable car, not on rails > on rails", "(to)||",
			IndexTerm{See: "Accident, transport, streetcar occupant"}),
		xt(B, "Entanglement > in > bed linen, causing suffocation", "||", IndexTerm{SeeCat: "T71"}),
		xt(B, "Shock > electric", "|", IndexTerm{See: "Exposure, electric current"}),
		xt(B, "Shock > from electric appliance", "|(any) (faulty)", IndexTerm{Code: "W86.8"}),
		xt(B, "Shock > from electric appliance > domestic", "|(any) (faulty)|", IndexTerm{Code: "W86.0"}),
	}
	if diff := cmp.Diff(want, idx.Terms); diff != "" {
		t.Errorf("terms (-want +got):\n%s", diff)
	}
	if idx.Book != B || idx.Version != "2022" || idx.MainTerms != 5 {
		t.Errorf("got book %q version %q main terms %d", idx.Book, idx.Version, idx.MainTerms)
	}
}

func TestParseIndexDrugFixture(t *testing.T) {
	idx := parseIndexFile(t, filepath.Join(indexFixtures, "icd10cm_drug_sample.xml"))
	const B = BookDrugs
	if idx.Book != B || idx.Version != "2022" || idx.MainTerms != 6 {
		t.Errorf("got book %q version %q main terms %d", idx.Book, idx.Version, idx.MainTerms)
	}
	wantHeads := map[int]string{
		1: "Substance",
		2: "Poisoning Accidental (unintentional)",
		3: "Poisoning Intentional self-harm",
		4: "Poisoning Assault",
		5: "Poisoning Undetermined",
		6: "Adverse effect",
		7: "Underdosing",
	}
	if diff := cmp.Diff(wantHeads, idx.Headings); diff != "" {
		t.Errorf("headings (-want +got):\n%s", diff)
	}
	// "--" cells (no such code) are left out: 4+6+4+1+6+6+4.
	if len(idx.Terms) != 31 {
		t.Errorf("got %d terms, want 31", len(idx.Terms))
	}
	want := []IndexTerm{
		xt(B, "2,4-D", "(dichlorophen-oxyacetic acid)", IndexTerm{Code: "T60.3X1", Column: wantHeads[2]}),
		xt(B, "2,4-D", "(dichlorophen-oxyacetic acid)", IndexTerm{Code: "T60.3X2", Column: wantHeads[3]}),
		xt(B, "2,4-D", "(dichlorophen-oxyacetic acid)", IndexTerm{Code: "T60.3X3", Column: wantHeads[4]}),
		xt(B, "2,4-D", "(dichlorophen-oxyacetic acid)", IndexTerm{Code: "T60.3X4", Column: wantHeads[5]}),
		xt(B, "14-hydroxydihydro-morphinone", "", IndexTerm{Code: "T40.2X1", Column: wantHeads[2]}),
	}
	if diff := cmp.Diff(want, idx.Terms[:len(want)]); diff != "" {
		t.Errorf("first terms (-want +got):\n%s", diff)
	}
	for _, w := range []IndexTerm{
		xt(B, "14-hydroxydihydro-morphinone", "", IndexTerm{Code: "T40.2X6", Column: "Underdosing"}),
		xt(B, "Acid NEC", "(corrosive)", IndexTerm{Code: "T54.2X4", Column: "Poisoning Undetermined"}),
		xt(B, "Adrenalin", "", IndexTerm{See: "Adrenaline"}),
		xt(B, "Adrenochrome > semicarbazone", "|(mono)", IndexTerm{Code: "T46.995", Column: "Adverse effect"}),
		xt(B, "Adrenochrome > derivative", "|", IndexTerm{Code: "T46.991", Column: wantHeads[2]}),
		xt(B, "Air contaminant, source/type NOS", "(s)", IndexTerm{Code: "T65.91", Column: wantHeads[2]}),
	} {
		if !hasIndexTerm(idx.Terms, w) {
			t.Errorf("missing %s", indexTermKey(w))
		}
	}
	for _, got := range idx.Terms {
		if got.Column == "" && got.See == "" {
			t.Errorf("term without column or reference: %s", indexTermKey(got))
		}
		if strings.HasPrefix(got.Code, "-") {
			t.Errorf("placeholder cell emitted: %s", indexTermKey(got))
		}
	}
}

func TestParseIndexNeoplasmFixture(t *testing.T) {
	idx := parseIndexFile(t, filepath.Join(indexFixtures, "icd10cm_neoplasm_sample.xml"))
	const B = BookNeoplasms
	if idx.Book != B || idx.MainTerms != 1 || len(idx.Headings) != 7 || idx.Headings[1] != "Neoplasm" {
		t.Errorf("got book %q main terms %d headings %v", idx.Book, idx.MainTerms, idx.Headings)
	}
	// Eight rows of six codes, less the "-" of connective tissue, plus
	// the accessory sinus cross reference.
	if len(idx.Terms) != 48 {
		t.Errorf("got %d terms, want 48", len(idx.Terms))
	}
	const (
		N    = "Neoplasm, neoplastic"
		wall = "Neoplasm, abdomen, wall, skin"
	)
	for _, w := range []IndexTerm{
		xt(B, N, "", IndexTerm{Code: "C80.1", Column: "Malignant Primary"}),
		xt(B, N+" > abdomen, abdominal", "|", IndexTerm{Code: "C79.8-", Column: "Malignant Secondary"}),
		xt(B, N+" > abdomen, abdominal > wall", "||", IndexTerm{Code: "C44.509", Column: "Malignant Primary", SeeAlso: wall}),
		xt(B, N+" > abdomen, abdominal > wall", "||", IndexTerm{Code: "D49.2", Column: "Unspecified Behavior", SeeAlso: wall}),
		xt(B, N+" > abdomen, abdominal > wall > connective tissue", "|||", IndexTerm{Code: "D21.4", Column: "Benign"}),
		xt(B, N+" > accessory sinus", "|", IndexTerm{See: "Neoplasm, sinus"}),
		xt(B, N+" > book-leaf", "|(mouth)", IndexTerm{
			Code: "D00.00", Column: "Ca in situ", Manif: "ventral surface of tongue and floor of mouth"}),
		// The file prints "C44.40 " with a trailing blank.
		xt(B, N+" > skin NOS > scalp", "||", IndexTerm{Code: "C44.40", Column: "Malignant Primary"}),
	} {
		if !hasIndexTerm(idx.Terms, w) {
			t.Errorf("missing %s", indexTermKey(w))
		}
	}
	for _, got := range idx.Terms {
		if strings.Join(got.Path, ">") == N+">abdomen, abdominal>wall>connective tissue" && got.Column == "Ca in situ" {
			t.Errorf("\"-\" cell emitted: %s", indexTermKey(got))
		}
	}
}

func TestParseIndexAddenda(t *testing.T) {
	// No full-release file uses the addenda markup, so this one is written
	// by hand after the two schemas: <diff> with <unc>/<old>/<new> in the
	// index, bare <new>/<old> in the tables.
	const index = `<?xml version="1.0" encoding="utf-8"?>
<ICD10CM.index isAddenda="true">
  <version>2023</version>
  <title>ICD-10-CM INDEX TO DISEASES and INJURIES</title>
  <letter>
    <title>A</title>
    <mainTerm>
      <diff><unc>Abscess</unc><old> (acute)</old><new>, abscessed</new></diff>
      <code>L02.91</code>
      <term level="1">
        <title><old>old</old><new>new</new> site<nemod><new>(any)</new></nemod></title>
        <code><old>L02.90</old><new>L02.92</new></code>
      </term>
    </mainTerm>
  </letter>
</ICD10CM.index>`
	idx, err := ParseIndex(strings.NewReader(index), "addenda.xml")
	if err != nil {
		t.Fatal(err)
	}
	want := []IndexTerm{
		xt(BookDiseases, "Abscess, abscessed", "", IndexTerm{Code: "L02.91"}),
		xt(BookDiseases, "Abscess, abscessed > new site", "|(any)", IndexTerm{Code: "L02.92"}),
	}
	if diff := cmp.Diff(want, idx.Terms); diff != "" {
		t.Errorf("index terms (-want +got):\n%s", diff)
	}

	const table = `<ICD10CM.index>
  <version>2023</version>
  <indexHeading><head col="1">Substance</head><head col="2">Poisoning <new>Accidental</new></head></indexHeading>
  <letter><title>A</title>
    <mainTerm><title>Abacavir</title><cell col="2"><old>T37.5X1</old><new>T37.5X5</new></cell></mainTerm>
    <mainTerm><title>Acid</title><nemod>(corrosive)</nemod><cell col="2">T54.2X1</cell></mainTerm>
  </letter>
</ICD10CM.index>`
	idx, err = ParseIndex(strings.NewReader(table), "drug-addenda.xml")
	if err != nil {
		t.Fatal(err)
	}
	want = []IndexTerm{
		xt(BookDrugs, "Abacavir", "", IndexTerm{Code: "T37.5X5", Column: "Poisoning Accidental"}),
		xt(BookDrugs, "Acid", "(corrosive)", IndexTerm{Code: "T54.2X1", Column: "Poisoning Accidental"}),
	}
	if diff := cmp.Diff(want, idx.Terms); diff != "" {
		t.Errorf("table terms (-want +got):\n%s", diff)
	}
}

func TestParseIndexTruncated(t *testing.T) {
	f, err := os.Open(filepath.Join(indexFixtures, "index_truncated.xml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = ParseIndex(f, "index_truncated.xml")
	var le *LineError
	if !errors.As(err, &le) {
		t.Fatalf("got %v, want a *LineError", err)
	}
	// The cut falls inside a tag on the file's last line, line 88.
	if le.File != "index_truncated.xml" || le.Line != 88 {
		t.Errorf("got %s:%d, want index_truncated.xml:88", le.File, le.Line)
	}
	if !strings.HasPrefix(err.Error(), "index_truncated.xml:88: ") {
		t.Errorf("message %q does not start with file:line", err)
	}
}

func TestParseIndexErrors(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		line      int
		msg       string
		notIndex  bool
	}{
		{"tabular", "<?xml version=\"1.0\"?>\n<ICD10CM.tabular>\n<version>2021</version>\n</ICD10CM.tabular>\n",
			2, "not an ICD-10-CM index file", true},
		{"empty", "", 0, "not an ICD-10-CM index file", true},
		{"text", "Aarskog's syndrome Q87.1\n", 0, "not an ICD-10-CM index file", true},
		{"mismatched", "<ICD10CM.index>\n<letter><title>A</title>\n<mainTerm><title>X</title>\n<code>A00</mainTerm>\n</letter></ICD10CM.index>",
			4, "closed by", false},
		{"bad col", "<ICD10CM.index><indexHeading><head col=\"1\">Substance</head></indexHeading>\n<letter><title>A</title><mainTerm><title>X</title>\n<cell col=\"x\">T1</cell></mainTerm></letter></ICD10CM.index>",
			3, "bad col", false},
		{"unknown table", "<ICD10CM.index><indexHeading><head col=\"1\">Procedure</head></indexHeading>\n<letter><title>A</title></letter></ICD10CM.index>",
			2, "unknown index table", false},
		{"term outside mainTerm", "<ICD10CM.index><letter><title>A</title>\n<term level=\"1\"><title>X</title></term></letter></ICD10CM.index>",
			2, "outside", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseIndex(strings.NewReader(tc.doc), "f.xml")
			var le *LineError
			if !errors.As(err, &le) {
				t.Fatalf("got %v, want a *LineError", err)
			}
			if le.File != "f.xml" || le.Line != tc.line || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("got %q (line %d), want line %d and %q", err, le.Line, tc.line, tc.msg)
			}
			if errors.Is(err, ErrNotIndex) != tc.notIndex {
				t.Errorf("errors.Is(err, ErrNotIndex) = %v", !tc.notIndex)
			}
		})
	}
}

func TestSniffIndex(t *testing.T) {
	for file, want := range map[string]IndexBook{
		"icd10cm_index_sample.xml":    BookDiseases,
		"icd10cm_eindex_sample.xml":   BookExternalCause,
		"icd10cm_drug_sample.xml":     BookDrugs,
		"icd10cm_neoplasm_sample.xml": BookNeoplasms,
		"index_truncated.xml":         BookDiseases,
	} {
		head := readIndexHead(t, filepath.Join(indexFixtures, file))
		if got, ok := SniffIndex(head); !ok || got != want {
			t.Errorf("%s: got %q, %v; want %q", file, got, ok, want)
		}
	}
	for _, head := range []string{
		"",
		"<?xml version=\"1.0\"?>\n<ICD10CM.tabular>\n<version>2021</version>",
		"0001 A00    0 Cholera",
		"<ICD10CM.index",
	} {
		if got, ok := SniffIndex([]byte(head)); ok {
			t.Errorf("%q: got %q, want not an index", head, got)
		}
	}
	// A head cut before the first letter with no contrary hint: the main index.
	if got, ok := SniffIndex([]byte("<?xml version=\"1.0\"?>\n<ICD10CM.index>\n  <version>20")); !ok || got != BookDiseases {
		t.Errorf("short head: got %q, %v", got, ok)
	}
}

func readIndexHead(t testing.TB, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	head := make([]byte, 8<<10)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF {
		t.Fatal(err)
	}
	return head[:n]
}

func indexTermKey(t IndexTerm) string {
	return strings.Join([]string{string(t.Book), strings.Join(t.Path, " > "), strings.Join(t.Nemod, "|"),
		t.Code, t.Manif, t.See, t.SeeAlso, t.SeeCat, t.SubCat, t.Column}, "\t")
}

func hasIndexTerm(terms []IndexTerm, w IndexTerm) bool {
	k := indexTermKey(w)
	for _, t := range terms {
		if indexTermKey(t) == k {
			return true
		}
	}
	return false
}

// cdcXMLDir is the folder of the real CDC index files.
func cdcXMLDir(t testing.TB) string {
	return filepath.Join(officialtest.Dir(t), "cdc-icd10cm-xml")
}

// readIndexZipMember returns one member of the FY2017 CDC zip, the only
// published copy of the main Alphabetic Index we have.
func readIndexZipMember(t testing.TB, name string) []byte {
	t.Helper()
	zr, err := zip.OpenReader(filepath.Join(cdcXMLDir(t), "ICD10CM_FY2017_Full_XML.zip"))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name != name {
			continue
		}
		rc, err := f.Open()
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
	t.Fatalf("%s not in the FY2017 zip", name)
	return nil
}

func TestParseIndexRealFiles(t *testing.T) {
	dir := cdcXMLDir(t)
	for _, tc := range []struct {
		file      string
		book      IndexBook
		mainTerms int
		heads     int
	}{
		{"icd10cm_drug_2022.xml", BookDrugs, 5175, 7},
		{"icd10cm_eindex_2022.xml", BookExternalCause, 314, 0},
		{"icd10cm_neoplasm_2022.xml", BookNeoplasms, 1, 7},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join(dir, tc.file)
			idx := parseIndexFile(t, path)
			if idx.Book != tc.book || idx.Version != "2022" || idx.MainTerms != tc.mainTerms || len(idx.Headings) != tc.heads {
				t.Errorf("got book %q version %q main terms %d headings %d; want %q 2022 %d %d",
					idx.Book, idx.Version, idx.MainTerms, len(idx.Headings), tc.book, tc.mainTerms, tc.heads)
			}
			if book, ok := SniffIndex(readIndexHead(t, path)); !ok || book != tc.book {
				t.Errorf("SniffIndex: got %q, %v", book, ok)
			}
			checkIndexTerms(t, idx)
			t.Logf("%s: %d main terms, %d terms", tc.file, idx.MainTerms, len(idx.Terms))
		})
	}
}

func TestParseIndex2017Zip(t *testing.T) {
	for _, tc := range []struct {
		member string
		book   IndexBook
	}{
		{"icd10cm_index_2017.xml", BookDiseases},
		{"icd10cm_eindex_2017.xml", BookExternalCause},
		{"icd10cm_drug_2017.xml", BookDrugs},
		{"icd10cm_neoplasm_2017.xml", BookNeoplasms},
	} {
		t.Run(tc.member, func(t *testing.T) {
			data := readIndexZipMember(t, tc.member)
			idx, err := ParseIndex(bytes.NewReader(data), tc.member)
			if err != nil {
				t.Fatal(err)
			}
			if idx.Book != tc.book || idx.Version != "2017" {
				t.Errorf("got book %q version %q", idx.Book, idx.Version)
			}
			if book, ok := SniffIndex(data[:8<<10]); !ok || book != tc.book {
				t.Errorf("SniffIndex: got %q, %v", book, ok)
			}
			checkIndexTerms(t, idx)
			t.Logf("%s: %d main terms, %d terms", tc.member, idx.MainTerms, len(idx.Terms))
			if tc.book != BookDiseases {
				return
			}
			if idx.MainTerms < 7000 || len(idx.Terms) < 70000 {
				t.Errorf("only %d main terms, %d terms", idx.MainTerms, len(idx.Terms))
			}
			for _, w := range []IndexTerm{
				xt(BookDiseases, "Diabetes, diabetic > with > chronic kidney disease", "(mellitus) (sugar)||",
					IndexTerm{Code: "E11.22"}),
				xt(BookDiseases, "Amyloid heart", "(disease)", IndexTerm{Code: "E85.4", Manif: "I43"}),
			} {
				if !hasIndexTerm(idx.Terms, w) {
					t.Errorf("missing %s", indexTermKey(w))
				}
			}
		})
	}
	t.Run("tabular", func(t *testing.T) {
		_, err := ParseIndex(bytes.NewReader(readIndexZipMember(t, "icd10cm_tabular_2017.xml")), "icd10cm_tabular_2017.xml")
		if !errors.Is(err, ErrNotIndex) {
			t.Errorf("got %v, want ErrNotIndex", err)
		}
	})
}

// checkIndexTerms checks the invariants every parsed term must keep.
func checkIndexTerms(t *testing.T, idx *Index) {
	t.Helper()
	bad := 0
	for _, term := range idx.Terms {
		ok := term.Book == idx.Book && len(term.Path) > 0 && len(term.Path) == len(term.Nemod) &&
			term.Code+term.See+term.SeeAlso+term.SeeCat+term.SubCat+term.Manif != "" &&
			(term.Column == "") == (idx.Headings == nil || term.Code == "")
		for _, p := range term.Path {
			ok = ok && p != "" && p == strings.Join(strings.Fields(p), " ")
		}
		if !ok && bad < 10 {
			t.Errorf("bad term: %s", indexTermKey(term))
		}
		if !ok {
			bad++
		}
	}
}

// TestIndexFixturesMatchRealFiles guards the hand-cut fixtures: each of
// their terms must come out of the real file it was copied from exactly.
func TestIndexFixturesMatchRealFiles(t *testing.T) {
	dir := cdcXMLDir(t)
	for fixture, real := range map[string]string{
		"icd10cm_index_sample.xml":    "", // from the FY2017 zip
		"icd10cm_eindex_sample.xml":   "icd10cm_eindex_2022.xml",
		"icd10cm_drug_sample.xml":     "icd10cm_drug_2022.xml",
		"icd10cm_neoplasm_sample.xml": "icd10cm_neoplasm_2022.xml",
	} {
		t.Run(fixture, func(t *testing.T) {
			var full *Index
			if real == "" {
				var err error
				data := readIndexZipMember(t, "icd10cm_index_2017.xml")
				if full, err = ParseIndex(bytes.NewReader(data), "icd10cm_index_2017.xml"); err != nil {
					t.Fatal(err)
				}
			} else {
				full = parseIndexFile(t, filepath.Join(dir, real))
			}
			have := make(map[string]bool, len(full.Terms))
			for _, term := range full.Terms {
				have[indexTermKey(term)] = true
			}
			sample := parseIndexFile(t, filepath.Join(indexFixtures, fixture))
			if sample.Version != full.Version || sample.Book != full.Book {
				t.Errorf("fixture %s/%s, real file %s/%s", sample.Book, sample.Version, full.Book, full.Version)
			}
			for _, term := range sample.Terms {
				if !have[indexTermKey(term)] {
					t.Errorf("not in the real file: %s", indexTermKey(term))
				}
			}
		})
	}
}

func BenchmarkParseIndex2017(b *testing.B) {
	data := readIndexZipMember(b, "icd10cm_index_2017.xml")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseIndex(bytes.NewReader(data), "icd10cm_index_2017.xml"); err != nil {
			b.Fatal(err)
		}
	}
}
