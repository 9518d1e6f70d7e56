package codeset

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
)

// File is a parsed official file with the release it belongs to.
type File struct {
	Source *Source
	// Year is the year the file is for: the fiscal year of an ICD-10-CM code
	// table, the <version> of an XML file, the HCPCS year.
	Year int
	// Release is set for code tables (order, codes, HCPCS): it is the
	// release the file defines.
	Release Release
	// Month is the update month a supplement's name carries ("April-1-2026"
	// is 4), 0 for none: of two files of one year the later is newer.
	Month   int
	Records int

	Table     *CodeTable
	Tabular   *Tabular
	Index     *Index
	HCPCS     *HCPCSFile
	ProcNotes ProcNotes
	PTP       *PTPTable
	MUE       *MUETable
	// Conversion is CDC's conversion table, a supplement of the release
	// of its year.
	Conversion *ConversionTable
	MCE        *MCETables
}

// Identify works out which year and release a recognised file is for, from
// its name and first bytes, without parsing it: a load decides which files
// it needs before it spends time and memory on them. override, when not
// nil, is the release the user named for files whose name carries no year.
func Identify(src *Source, override *Release) (*File, error) {
	f := &File{Source: src}
	switch src.Kind {
	case KindOrder, KindCodes:
		rel, ok := ReleaseFromName(ICD10CM, src.Path)
		if override != nil && override.System == ICD10CM {
			rel, ok = *override, true
		}
		if !ok {
			return nil, fmt.Errorf("%s: cannot tell the fiscal year from the file name\nhint: name the release with --release, e.g. --release 2026", src.Path)
		}
		f.Release, f.Year = rel, rel.Year
	case KindTabular, KindIndex, KindEIndex, KindDrug, KindNeoplasm, KindConversion:
		f.Year = src.HeadYear
		r, ok := ReleaseFromName(ICD10CM, src.Path)
		if f.Year == 0 && ok {
			f.Year = r.Year
		}
		if ok && r.Year == f.Year {
			f.Month = r.Month
		}
	case KindHCPCS:
		year := src.HeadYear
		if year == 0 {
			year = HCPCSYearFromName(src.Path)
		}
		rel := NewRelease(HCPCS, year, 0)
		if r, ok := ReleaseFromName(HCPCS, src.Path); ok && r.Year == year {
			rel = r
		}
		if override != nil && override.System == HCPCS {
			rel, year = *override, override.Year
		}
		if year == 0 {
			return nil, fmt.Errorf("%s: cannot tell the HCPCS year\nhint: name the release with --release, e.g. --release hcpcs-2026", src.Path)
		}
		f.Release, f.Year = rel, year
	case KindProcNotes:
		f.Year = HCPCSYearFromName(src.Path)
	case KindAddenda:
		if r, ok := ReleaseFromName(ICD10CM, src.Path); ok {
			f.Year = r.Year
		}
	case KindPTP, KindMUE:
		rel, ok := NCCIReleaseFromName(src.Path)
		if !ok && src.HeadMonth != 0 {
			rel, ok = NewRelease(NCCI, src.HeadYear, src.HeadMonth), true
		}
		if override != nil && override.System == NCCI {
			rel, ok = *override, true
		}
		if !ok {
			return nil, fmt.Errorf("%s: cannot tell the NCCI quarter from the file name\nhint: name it with --release, e.g. --release ncci-2026-04", src.Path)
		}
		f.Release, f.Year = rel, rel.Year
	case KindMCE:
		// The version the release is named by comes last in the file:
		// the tables are read now, once.
		if err := f.Parse(); err != nil {
			return nil, err
		}
		f.Release = MCERelease(f.MCE)
	default:
		return nil, fmt.Errorf("%s: unsupported kind %q", src.Path, src.Kind)
	}
	return f, nil
}

// Parse reads the file's content.
func (f *File) Parse() error { return f.ParseCounting(nil) }

// ParseCounting is Parse telling read of the bytes it reads as it goes,
// Source.Size in all, so that a long parse can show its advance.
func (f *File) ParseCounting(read func(n int)) error {
	src := f.Source
	opened, err := src.Open()
	if err != nil {
		return fmt.Errorf("%s: %w", src.Path, err)
	}
	defer opened.Close()
	var rc io.Reader = opened
	if read != nil {
		rc = &countingReader{r: opened, read: read}
	}
	switch src.Kind {
	case KindOrder:
		f.Table, err = ParseOrderFile(rc, src.Path)
	case KindCodes:
		f.Table, err = ParseCodesFile(rc, src.Path)
	case KindTabular:
		f.Tabular, err = ParseTabular(rc, src.Path)
	case KindIndex, KindEIndex, KindDrug, KindNeoplasm:
		f.Index, err = ParseIndex(rc, src.Path)
	case KindHCPCS:
		f.HCPCS, err = ParseHCPCS(rc, src.Path)
	case KindProcNotes:
		f.ProcNotes, err = ParseProcNotes(rc, src.Path)
	case KindPTP, KindMUE:
		err = f.parseEdits(rc)
	case KindConversion:
		err = f.parseConversion(rc)
	case KindMCE:
		if f.MCE != nil {
			return nil // read by Identify
		}
		f.MCE, err = ParseMCE(rc, src.Path)
	case KindAddenda:
		return nil
	}
	if err != nil {
		return err
	}
	switch {
	case f.Table != nil:
		f.Records = len(f.Table.Codes)
	case f.Tabular != nil:
		f.Records = f.Tabular.Diags
	case f.Index != nil:
		f.Records = len(f.Index.Terms)
	case f.HCPCS != nil:
		f.Records = len(f.HCPCS.Records)
	case f.ProcNotes != nil:
		f.Records = len(f.ProcNotes)
	case f.PTP != nil:
		f.Records = len(f.PTP.Edits)
	case f.MUE != nil:
		f.Records = len(f.MUE.Edits)
	case f.Conversion != nil:
		f.Records = len(f.Conversion.Rows)
	case f.MCE != nil:
		f.Records = f.MCE.Rows
	}
	return nil
}

func (f *File) parseEdits(r io.Reader) error {
	src := f.Source
	var err error
	if !src.XLSX {
		if src.Kind == KindPTP {
			f.PTP, err = ParsePTP(r, src.Path)
		} else {
			f.MUE, err = ParseMUE(r, src.Path)
		}
		return err
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("%s: %w", src.Path, err)
	}
	if src.Kind == KindPTP {
		f.PTP, err = ParsePTPXLSX(bytes.NewReader(b), int64(len(b)), src.Path)
	} else {
		f.MUE, err = ParseMUEXLSX(bytes.NewReader(b), int64(len(b)), src.Path)
	}
	return err
}

// supplementKinds are files that add to a code table rather than define one.
var supplementKinds = []Kind{KindTabular, KindIndex, KindEIndex, KindDrug, KindNeoplasm, KindProcNotes, KindConversion}

// Bundle is what one load does to one release: a new code table, new
// supplements, or both.
type Bundle struct {
	Release Release
	// Table is the order, codes or HCPCS file; nil when the release is
	// already loaded and only supplements change.
	Table *File
	// Extra is a codes file loaded beside an order file of the same
	// release: it adds nothing, but it is checked and reported.
	Extra       *File
	Supplements map[Kind]*File
	// Edits are the NCCI tables of an NCCI release: CMS splits one quarter
	// over many files (practitioner and outpatient, f1 to f4, MUE); or
	// the MCE tables of an MCE release.
	Edits    []*File
	Warnings []string
}

// Group decides which release every parsed file goes to. Code tables define
// releases; each supplement (Tabular, indexes, tables, processing notes)
// goes to the releases of its system loaded in the same run, choosing for
// each release the file of the nearest year, or, when the run has no code
// table of that system, to the newest release already loaded (existing).
// Year mismatches become warnings, never silent mixes.
func Group(files []*File, existing []Release) ([]*Bundle, error) {
	byRelease := map[string]*Bundle{}
	var order []string
	supp := map[Kind][]*File{}
	for _, f := range files {
		k := f.Source.Kind
		switch k {
		case KindOrder, KindCodes, KindHCPCS:
			id := f.Release.ID()
			b := byRelease[id]
			if b == nil {
				b = &Bundle{Release: f.Release, Supplements: map[Kind]*File{}}
				byRelease[id] = b
				order = append(order, id)
			}
			if err := b.addTable(f); err != nil {
				return nil, err
			}
		case KindPTP, KindMUE, KindMCE:
			id := f.Release.ID()
			b := byRelease[id]
			if b == nil {
				b = &Bundle{Release: f.Release, Supplements: map[Kind]*File{}}
				byRelease[id] = b
				order = append(order, id)
			}
			if !b.hasEdit(f) {
				b.Edits = append(b.Edits, f)
			}
		case KindAddenda:
			// The order file of the same release already holds every change.
		default:
			supp[k] = append(supp[k], f)
		}
	}
	targets := map[System][]*Bundle{}
	for _, id := range order {
		b := byRelease[id]
		targets[b.Release.System] = append(targets[b.Release.System], b)
	}
	for _, k := range supplementKinds {
		fs := supp[k]
		if len(fs) == 0 {
			continue
		}
		sys := k.System()
		if len(targets[sys]) == 0 {
			rel, ok := newest(existing, sys)
			if !ok {
				return nil, fmt.Errorf("%s: no %s code table is loaded or being loaded to attach this to\nhint: load the %s with it", fs[0].Source.Path, sys, tableHint(sys))
			}
			b := &Bundle{Release: rel, Supplements: map[Kind]*File{}}
			byRelease[rel.ID()] = b
			order = append(order, rel.ID())
			targets[sys] = []*Bundle{b}
		}
		for _, b := range targets[sys] {
			if k == KindConversion && b != nearestBundle(targets[sys], fs[0].Year) {
				// One table spans every year: it belongs to one release.
				continue
			}
			f := nearest(fs, b.Release.Year)
			b.Supplements[k] = f
			if f.Year != 0 && f.Year != b.Release.Year {
				b.Warnings = append(b.Warnings, YearMismatch(k, f.Year, b.Release))
			}
		}
	}
	out := make([]*Bundle, 0, len(order))
	for _, id := range order {
		out = append(out, byRelease[id])
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Release.ID() < out[j].Release.ID() })
	return out, nil
}

// hasEdit spots the text and xlsx forms, or a zip and its member, of one
// NCCI table: loading both would double every edit.
func (b *Bundle) hasEdit(f *File) bool {
	stem := func(p string) string {
		p = baseName(p)
		return strings.TrimSuffix(p, filepath.Ext(p))
	}
	for _, e := range b.Edits {
		if e.Source.Kind == f.Source.Kind && stem(e.Source.Path) == stem(f.Source.Path) {
			return true
		}
	}
	return false
}

// Files lists every file the bundle uses.
func (b *Bundle) Files() []*File {
	var out []*File
	out = append(out, b.Edits...)
	for _, f := range []*File{b.Table, b.Extra} {
		if f != nil {
			out = append(out, f)
		}
	}
	for _, k := range supplementKinds {
		if f := b.Supplements[k]; f != nil {
			out = append(out, f)
		}
	}
	return out
}

// DropParsed drops the parsed content of the bundle's files, keeping what
// reports need (paths, kinds, years, record counts).
func (b *Bundle) DropParsed() {
	for _, f := range b.Files() {
		f.Drop()
	}
}

// Drop lets go of the parsed content, keeping the file's description.
func (f *File) Drop() {
	f.Table, f.Tabular, f.Index, f.HCPCS, f.ProcNotes, f.PTP, f.MUE, f.Conversion, f.MCE = nil, nil, nil, nil, nil, nil, nil, nil, nil
}

// YearMismatch is the warning for a supplement of another year than the
// release it is attached to.
func YearMismatch(k Kind, year int, rel Release) string {
	if k == KindConversion {
		return fmt.Sprintf("%s is for FY%d but %s is %s: the codes it names that %s lacks are not offered as replacements", k.Describe(), year, rel.ID(), rel, rel.ID())
	}
	return fmt.Sprintf("%s is for %d but %s is %s: its entries are attached only where the codes still exist", k.Describe(), year, rel.ID(), rel)
}

func (b *Bundle) addTable(f *File) error {
	switch {
	case b.Table == nil:
		b.Table = f
	case b.Table.Source.Kind == KindCodes && f.Source.Kind == KindOrder:
		b.Table, b.Extra = f, b.Table
	case b.Table.Source.Kind == KindOrder && f.Source.Kind == KindCodes && b.Extra == nil:
		b.Extra = f
	case sameTable(b.Table, f), b.Extra != nil && sameTable(b.Extra, f):
		// The same file twice (a zip and its extracted member): one is enough.
	default:
		return fmt.Errorf("two different %ss for %s: %s and %s\nhint: load one of them", f.Source.Kind.Describe(), b.Release, b.Table.Source.Path, f.Source.Path)
	}
	return nil
}

// sameTable spots one file met twice, as a zip and as its extracted member.
func sameTable(a, b *File) bool {
	return a.Source.Kind == b.Source.Kind && a.Source.Size == b.Source.Size && baseName(a.Source.Path) == baseName(b.Source.Path)
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, "/\\!"); i >= 0 {
		return p[i+1:]
	}
	return p
}

func tableHint(sys System) string {
	if sys == HCPCS {
		return "HCPCS alpha-numeric file"
	}
	return "ICD-10-CM order file (icd10cm_order_YYYY.txt)"
}

// nearest picks the file whose year is closest to year, preferring the same
// year, then an older one (its codes are more likely to still exist); of
// files of one year, the newest (an April update over the October file),
// then the larger.
func nearest(fs []*File, year int) *File {
	best := fs[0]
	score := func(f *File) int {
		d := year - f.Year
		if d < 0 {
			d = -d*2 + 1
		} else {
			d *= 2
		}
		return d
	}
	for _, f := range fs[1:] {
		s, bs := score(f), score(best)
		if s < bs || s == bs && (f.Month > best.Month || f.Month == best.Month && f.Source.Size > best.Source.Size) {
			best = f
		}
	}
	return best
}

// nearestBundle is the bundle whose release year is closest to year,
// the newer one on a tie; the newest when year is unknown.
func nearestBundle(bs []*Bundle, year int) *Bundle {
	best := bs[0]
	for _, b := range bs[1:] {
		d, bd := abs(b.Release.Year-year), abs(best.Release.Year-year)
		if year == 0 {
			d, bd = -b.Release.Year, -best.Release.Year
		}
		if d < bd || d == bd && b.Release.Effective().After(best.Release.Effective()) {
			best = b
		}
	}
	return best
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func newest(rs []Release, sys System) (Release, bool) {
	var best Release
	ok := false
	for _, r := range rs {
		if r.System != sys {
			continue
		}
		if !ok || r.Effective().After(best.Effective()) {
			best, ok = r, true
		}
	}
	return best, ok
}

// countingReader tells of every read.
type countingReader struct {
	r    io.Reader
	read func(n int)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		c.read(n)
	}
	return n, err
}
