package codeset

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Kind is what an official file holds, recognised from its content.
type Kind string

const (
	KindOrder     Kind = "icd10cm-order"
	KindCodes     Kind = "icd10cm-codes"
	KindAddenda   Kind = "icd10cm-addenda"
	KindTabular   Kind = "icd10cm-tabular"
	KindIndex     Kind = "icd10cm-index"
	KindEIndex    Kind = "icd10cm-eindex"
	KindDrug      Kind = "icd10cm-drug"
	KindNeoplasm  Kind = "icd10cm-neoplasm"
	KindHCPCS     Kind = "hcpcs"
	KindProcNotes Kind = "hcpcs-proc-notes"
	KindPTP       Kind = "ncci-ptp"
	KindMUE       Kind = "ncci-mue"
	// KindConversion is CDC's ICD-10-CM conversion table (new code to
	// previous code since FY2016).
	KindConversion Kind = "icd10cm-conversion"
	KindMCE        Kind = "cms-mce"
)

// Describe is the human name of a kind, for load reports.
func (k Kind) Describe() string {
	switch k {
	case KindOrder:
		return "ICD-10-CM order file"
	case KindCodes:
		return "ICD-10-CM codes file"
	case KindAddenda:
		return "ICD-10-CM addenda"
	case KindTabular:
		return "ICD-10-CM Tabular List XML"
	case KindIndex:
		return "ICD-10-CM Alphabetic Index XML"
	case KindEIndex:
		return "ICD-10-CM External Cause Index XML"
	case KindDrug:
		return "ICD-10-CM Table of Drugs and Chemicals XML"
	case KindNeoplasm:
		return "ICD-10-CM Neoplasm Table XML"
	case KindHCPCS:
		return "HCPCS Level II alpha-numeric file"
	case KindProcNotes:
		return "HCPCS processing notes"
	case KindPTP:
		return "NCCI procedure-to-procedure edits"
	case KindMUE:
		return "NCCI medically unlikely edits"
	case KindConversion:
		return "ICD-10-CM conversion table"
	case KindMCE:
		return "Medicare Code Editor edit tables"
	}
	return string(k)
}

// System is the code system a kind of file belongs to.
func (k Kind) System() System {
	switch k {
	case KindHCPCS, KindProcNotes:
		return HCPCS
	case KindPTP, KindMUE:
		return NCCI
	case KindMCE:
		return MCE
	}
	return ICD10CM
}

// Source is one recognised file, on disk or inside a zip.
type Source struct {
	// Path names the file for the user: "dir/a.zip!member.txt" for a zip member.
	Path string
	Kind Kind
	Size int64
	// HeadYear is the year the file's first bytes state (an XML <version>,
	// the HCPCS disclaimer), 0 when they state none.
	HeadYear int
	// HeadMonth is the month an NCCI table's title says it takes effect.
	HeadMonth int
	// XLSX marks a table in a spreadsheet rather than in text.
	XLSX bool
	open func() (io.ReadCloser, error)
}

var versionRe = regexp.MustCompile(`<version>\s*((?:19|20)[0-9]{2})\s*</version>`)

var effectiveRe = regexp.MustCompile(`(?i)effective\s+(january|april|july|october)\s+1,\s*(20[0-9]{2})`)

// headMonth reads "Effective October 1, 2025" from an NCCI table's title.
func headMonth(k Kind, head []byte) (year, month int) {
	if k != KindPTP && k != KindMUE {
		return 0, 0
	}
	m := effectiveRe.FindSubmatch(head)
	if m == nil {
		return 0, 0
	}
	y, _ := strconv.Atoi(string(m[2]))
	mon := map[string]int{"january": 1, "april": 4, "july": 7, "october": 10}[strings.ToLower(string(m[1]))]
	return y, mon
}

// headYear reads the year a file states in its first bytes.
func headYear(k Kind, head []byte) int {
	switch k {
	case KindTabular, KindIndex, KindEIndex, KindDrug, KindNeoplasm:
		if m := versionRe.FindSubmatch(head); m != nil {
			y, _ := strconv.Atoi(string(m[1]))
			return y
		}
	case KindHCPCS:
		return hcpcsYearFromText(decodeWindows1252(string(head)))
	}
	return 0
}

// Open returns the file's content.
func (s *Source) Open() (io.ReadCloser, error) { return s.open() }

// Skipped is a file that was looked at and not recognised.
type Skipped struct {
	Path   string
	Reason string
}

const sniffSize = 8 << 10

// Scan walks files, folders (recursively) and zip archives and returns every
// official file it recognises by content, in a stable order. Unrecognised
// files are returned as skipped, not as errors, since CMS zips also carry
// PDFs and spreadsheets; a path that does not exist is an error.
func Scan(paths []string) ([]*Source, []Skipped, error) {
	var out []*Source
	var skipped []Skipped
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", p, unwrapPathErr(err))
		}
		if !st.IsDir() {
			s, sk, err := scanFile(p, st.Size())
			if err != nil {
				return nil, nil, err
			}
			out, skipped = append(out, s...), append(skipped, sk...)
			continue
		}
		var files []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
		sort.Strings(files)
		for _, f := range files {
			st, err := os.Stat(f)
			if err != nil {
				return nil, nil, err
			}
			s, sk, err := scanFile(f, st.Size())
			if err != nil {
				return nil, nil, err
			}
			out, skipped = append(out, s...), append(skipped, sk...)
		}
	}
	return out, skipped, nil
}

func unwrapPathErr(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

func scanFile(path string, size int64) ([]*Source, []Skipped, error) {
	head, err := readHead(path)
	if err != nil {
		return nil, nil, err
	}
	open := func() (io.ReadCloser, error) { return os.Open(path) }
	if isZip(head) && isOfficeFile(path) {
		f, err := os.Open(path)
		if err != nil {
			return nil, nil, err
		}
		defer f.Close()
		if k, ok := sniffXLSX(f, size); ok {
			return []*Source{{Path: path, Kind: k, Size: size, XLSX: true, open: open}}, nil, nil
		}
		return nil, []Skipped{{Path: path, Reason: skipReason(path, head)}}, nil
	}
	if isZip(head) {
		return scanZip(path)
	}
	if k, ok := Sniff(head); ok {
		src := &Source{Path: path, Kind: k, Size: size, HeadYear: headYear(k, head), open: open}
		if y, m := headMonth(k, head); m != 0 {
			src.HeadYear, src.HeadMonth = y, m
		}
		return []*Source{src}, nil, nil
	}
	return nil, []Skipped{{Path: path, Reason: skipReason(path, head)}}, nil
}

func readHead(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, sniffSize)
	n, err := io.ReadFull(f, buf)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return buf[:n], nil
}

func isZip(head []byte) bool { return bytes.HasPrefix(head, []byte("PK\x03\x04")) }

// isOfficeFile: an .xlsx or .docx is a zip too, but one document, not an
// archive of official files.
func isOfficeFile(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".xlsm", ".docx":
		return true
	}
	return false
}

func scanZip(path string) ([]*Source, []Skipped, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: not a readable zip archive: %v", path, err)
	}
	defer zr.Close()
	var out []*Source
	var skipped []Skipped
	err = eachMember(zr.File, path, func(m *zip.File, display string, head []byte) error {
		name := m.Name
		open := func() (io.ReadCloser, error) { return openZipMember(path, name) }
		if isZip(head) && !isOfficeFile(name) {
			// CMS publishes the MCE as a zip holding the jar (itself a
			// zip) whose member is the edit tables: one level down is
			// looked into.
			in, sk, err := scanNested(path, name)
			if err != nil {
				return err
			}
			out, skipped = append(out, in...), append(skipped, sk...)
			return nil
		}
		if isZip(head) && isOfficeFile(name) {
			// CMS ships each NCCI table as text and xlsx in one zip; the
			// spreadsheet is read whole, as a zip of its own.
			b, err := zipMemberBytes(path, name)
			if err != nil {
				return fmt.Errorf("%s: %v", display, err)
			}
			if k, ok := sniffXLSX(bytes.NewReader(b), int64(len(b))); ok {
				out = append(out, &Source{Path: display, Kind: k, Size: int64(len(b)), XLSX: true, open: open})
			} else {
				skipped = append(skipped, Skipped{Path: display, Reason: skipReason(m.Name, head)})
			}
			return nil
		}
		if k, ok := Sniff(head); ok {
			out = append(out, memberSource(m, display, k, head, open))
			return nil
		}
		skipped = append(skipped, Skipped{Path: display, Reason: skipReason(m.Name, head)})
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return out, skipped, nil
}

// The biggest official file is tens of megabytes and compresses about
// tenfold. A member declared bigger than maxZipMember, or compressed far
// more than text does, is a zip bomb: refused before a byte is inflated.
// (archive/zip fails a member that inflates past its declared size, so
// the declaration can be trusted.)
const (
	maxZipMember = 1 << 30
	maxZipRatio  = 200
)

func checkZipMember(m *zip.File) error {
	size, packed := m.UncompressedSize64, m.CompressedSize64
	if size > maxZipMember {
		return fmt.Errorf("refused: the member inflates to %d bytes (more than 1 GB), larger than any official file", size)
	}
	if size > 16<<20 && size/max(packed, 1) > maxZipRatio {
		return fmt.Errorf("refused: the member inflates %d-fold to %d bytes, which no official file does (a zip bomb?)", size/max(packed, 1), size)
	}
	return nil
}

// scanNested recognises the members of an archive inside an archive
// (outer!inner!member). It does not look further down.
func scanNested(path, name string) ([]*Source, []Skipped, error) {
	display := path + "!" + name
	b, err := zipMemberBytes(path, name)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", display, err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, []Skipped{{Path: display, Reason: "not a readable zip archive"}}, nil
	}
	var out []*Source
	var skipped []Skipped
	err = eachMember(zr.File, display, func(m *zip.File, inner string, head []byte) error {
		k, ok := Sniff(head)
		if !ok {
			// A jar holds class files by the hundred: only what could be
			// a table is worth a line of the report.
			if !strings.HasSuffix(m.Name, ".class") && !strings.HasPrefix(m.Name, "META-INF/") {
				skipped = append(skipped, Skipped{Path: inner, Reason: skipReason(m.Name, head)})
			}
			return nil
		}
		memberName := m.Name
		open := func() (io.ReadCloser, error) {
			b, err := zipMemberBytes(path, name)
			if err != nil {
				return nil, err
			}
			zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
			if err != nil {
				return nil, err
			}
			return zr.Open(memberName)
		}
		out = append(out, memberSource(m, inner, k, head, open))
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return out, skipped, nil
}

// eachMember hands fn each file member of an archive, in name order, with
// its display path and first bytes, once it has passed the zip-bomb
// limits.
func eachMember(files []*zip.File, display string, fn func(m *zip.File, path string, head []byte) error) error {
	members := append([]*zip.File(nil), files...)
	sort.Slice(members, func(i, j int) bool { return members[i].Name < members[j].Name })
	for _, m := range members {
		if m.FileInfo().IsDir() {
			continue
		}
		path := display + "!" + m.Name
		if err := checkZipMember(m); err != nil {
			return fmt.Errorf("%s: %v", path, err)
		}
		head, err := zipHead(m)
		if err != nil {
			return fmt.Errorf("%s: %v", path, err)
		}
		if err := fn(m, path, head); err != nil {
			return err
		}
	}
	return nil
}

// memberSource is a recognised archive member as a source to parse.
func memberSource(m *zip.File, path string, k Kind, head []byte, open func() (io.ReadCloser, error)) *Source {
	src := &Source{Path: path, Kind: k, Size: int64(m.UncompressedSize64), HeadYear: headYear(k, head), open: open}
	if y, mon := headMonth(k, head); mon != 0 {
		src.HeadYear, src.HeadMonth = y, mon
	}
	return src
}

func zipHead(m *zip.File) ([]byte, error) {
	rc, err := m.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	buf := make([]byte, sniffSize)
	n, err := io.ReadFull(rc, buf)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, err
	}
	return buf[:n], nil
}

// zipMember closes the archive together with the member.
type zipMember struct {
	io.ReadCloser
	zr *zip.ReadCloser
}

func (z zipMember) Close() error {
	err := z.ReadCloser.Close()
	if cerr := z.zr.Close(); err == nil {
		err = cerr
	}
	return err
}

func openZipMember(path, name string) (io.ReadCloser, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	for _, m := range zr.File {
		if m.Name == name {
			rc, err := m.Open()
			if err != nil {
				zr.Close()
				return nil, err
			}
			return zipMember{rc, zr}, nil
		}
	}
	zr.Close()
	return nil, fmt.Errorf("%s!%s: member vanished", path, name)
}

func sniffXLSX(r io.ReaderAt, size int64) (Kind, bool) {
	switch k, ok := SniffXLSXKind(r, size); {
	case ok && k == "ptp":
		return KindPTP, true
	case ok && k == "mue":
		return KindMUE, true
	case SniffConversionXLSX(r, size):
		return KindConversion, true
	}
	return "", false
}

func zipMemberBytes(path, name string) ([]byte, error) {
	rc, err := openZipMember(path, name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// Sniff recognises an official file from its first bytes.
func Sniff(head []byte) (Kind, bool) {
	switch {
	case SniffMCE(head):
		return KindMCE, true
	case SniffTabular(head):
		return KindTabular, true
	case bytes.Contains(head, []byte("<ICD10CM.index")):
		book, ok := SniffIndex(head)
		if !ok {
			return "", false
		}
		return map[IndexBook]Kind{BookDiseases: KindIndex, BookExternalCause: KindEIndex, BookDrugs: KindDrug, BookNeoplasms: KindNeoplasm}[book], true
	case SniffPTP(head):
		return KindPTP, true
	case SniffMUE(head):
		return KindMUE, true
	case LooksLikeOrderFile(head):
		return KindOrder, true
	case LooksLikeAddenda(head):
		return KindAddenda, true
	case LooksLikeHCPCS(head):
		return KindHCPCS, true
	case LooksLikeProcNotes(head):
		return KindProcNotes, true
	case LooksLikeCodesFile(head):
		return KindCodes, true
	}
	return "", false
}

// LooksLikeAddenda recognises the order and codes addenda, which list
// changes ("Add:", "Delete:", "Revise from:") rather than a code table.
func LooksLikeAddenda(head []byte) bool {
	for _, p := range []string{"Add:", "Delete:", "Revise from:", "Revise to:"} {
		if bytes.HasPrefix(head, []byte(p)) {
			return true
		}
	}
	return false
}

func skipReason(name string, head []byte) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".pdf":
		return "PDF document, not a code table"
	case ".xlsx", ".xls":
		return "spreadsheet: medcode reads the text form of this table"
	case ".xsd":
		return "XML schema"
	}
	if bytes.HasPrefix(bytes.TrimSpace(head), []byte("<?xml")) {
		return "XML file of an unknown kind"
	}
	if len(head) == 0 {
		return "empty file"
	}
	return "not a recognised code table"
}

// ScanFS recognises the files of an fs.FS (the sample built into the
// binary); name prefixes the paths shown to the user.
func ScanFS(fsys fs.FS, name string) ([]*Source, error) {
	ents, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var out []*Source
	for _, e := range ents {
		if e.IsDir() {
			continue
		}
		p := e.Name()
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, err
		}
		head := b
		if len(head) > sniffSize {
			head = head[:sniffSize]
		}
		k, ok := Sniff(head)
		if !ok {
			continue
		}
		out = append(out, &Source{Path: name + "/" + p, Kind: k, Size: int64(len(b)), HeadYear: headYear(k, head), open: func() (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(b)), nil
		}})
	}
	return out, nil
}
