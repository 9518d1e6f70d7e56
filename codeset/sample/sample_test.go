package sample_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/medcode/medcode/codeset/officialtest"
	"github.com/medcode/medcode/codeset/sample"
)

// Official files the sample is checked against, relative to the data dir.
const (
	officialOrder     = "cms-icd10cm/icd10cm_order_2026.txt"
	officialTabular   = "cdc-icd10cm-xml/icd10cm_tabular_2021.xml"
	officialHCPCS     = "cms-hcpcs/HCPC2020_ANWEB_w_disclaimer.txt"
	officialProcNotes = "cms-hcpcs/proc_notes_2020.txt"
)

func embedded(t *testing.T, name string) []byte {
	t.Helper()
	b, err := sample.FS.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// crlfLines splits a file whose every line, the last included, ends in
// CRLF.
func crlfLines(t *testing.T, name string, b []byte) [][]byte {
	t.Helper()
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Fatalf("%s: does not end in CRLF", name)
	}
	lines := bytes.Split(b[:len(b)-2], []byte("\r\n"))
	for i, l := range lines {
		if bytes.ContainsAny(l, "\r\n") {
			t.Fatalf("%s:%d: bare CR or LF", name, i+1)
		}
	}
	return lines
}

func TestFSHoldsTheFiles(t *testing.T) {
	entries, err := fs.ReadDir(sample.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	want := []string{sample.OrderFile, sample.TabularFile, sample.HCPCSFile, sample.ProcNotesFile}
	sort.Strings(want)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("FS holds %v, want %v", got, want)
	}
}

// ---- ICD-10-CM order file

type orderLine struct {
	order    int
	code     string
	billable bool
	line     []byte
}

var orderRe = regexp.MustCompile(`^([0-9]{5}) ([A-Z][0-9A-Z]{2}[0-9A-Z ]{4}) ([01]) .{60} \S`)

func parseOrder(t *testing.T, name string, b []byte) []orderLine {
	t.Helper()
	var out []orderLine
	for i, l := range crlfLines(t, name, b) {
		m := orderRe.FindSubmatch(l)
		if m == nil {
			t.Fatalf("%s:%d: not an order file record: %q", name, i+1, l)
		}
		n, _ := strconv.Atoi(string(m[1]))
		out = append(out, orderLine{
			order:    n,
			code:     strings.TrimRight(string(m[2]), " "),
			billable: m[3][0] == '1',
			line:     l,
		})
	}
	return out
}

func sampleOrder(t *testing.T) []orderLine {
	return parseOrder(t, sample.OrderFile, embedded(t, sample.OrderFile))
}

func TestOrderFileShape(t *testing.T) {
	lines := sampleOrder(t)
	seen := map[string]bool{}
	billable := 0
	for i, l := range lines {
		if seen[l.code] {
			t.Errorf("%s: %s listed twice", sample.OrderFile, l.code)
		}
		seen[l.code] = true
		if i > 0 && l.order <= lines[i-1].order {
			t.Errorf("%s:%d: order number %05d not after %05d", sample.OrderFile, i+1, l.order, lines[i-1].order)
		}
		if l.billable {
			billable++
		}
	}
	if billable < 60 || len(lines) > 250 {
		t.Errorf("%d codes, %d billable: not a small but useful sample", len(lines), billable)
	}
}

func TestOrderLinesMatchOfficial(t *testing.T) {
	off := map[string][]byte{}
	for _, l := range parseOrder(t, officialOrder, officialtest.File(t, officialOrder)) {
		off[l.code] = l.line
	}
	for _, l := range sampleOrder(t) {
		want, ok := off[l.code]
		switch {
		case !ok:
			t.Errorf("%s: not in the official FY2026 order file", l.code)
		case !bytes.Equal(l.line, want):
			t.Errorf("%s differs from the official line\n got: %q\nwant: %q", l.code, l.line, want)
		}
	}
}

// TestOrderHierarchyComplete needs no official file: every code's category
// is in the sample, every header has a code below it, and a code's parent
// is the longest of its prefixes in the sample.
func TestOrderHierarchyComplete(t *testing.T) {
	lines := sampleOrder(t)
	in := map[string]orderLine{}
	for _, l := range lines {
		in[l.code] = l
	}
	hasChild := map[string]bool{}
	for _, l := range lines {
		if _, ok := in[l.code[:3]]; !ok {
			t.Errorf("%s: category %s missing", l.code, l.code[:3])
		}
		for n := len(l.code) - 1; n >= 3; n-- {
			if p, ok := in[l.code[:n]]; ok {
				hasChild[p.code] = true
				if p.billable {
					t.Errorf("%s: parent %s is billable", l.code, p.code)
				}
				break
			}
		}
	}
	for _, l := range lines {
		if !l.billable && !hasChild[l.code] {
			t.Errorf("header %s has no code below it in the sample", l.code)
		}
		if l.billable && hasChild[l.code] {
			t.Errorf("billable %s has codes below it", l.code)
		}
	}
}

// TestOrderAncestorsOfficial checks against the official file that every
// header above a sample code (placeholder levels such as S06.0X included)
// is in the sample.
func TestOrderAncestorsOfficial(t *testing.T) {
	off := map[string]bool{}
	for _, l := range parseOrder(t, officialOrder, officialtest.File(t, officialOrder)) {
		off[l.code] = true
	}
	in := map[string]bool{}
	lines := sampleOrder(t)
	for _, l := range lines {
		in[l.code] = true
	}
	for _, l := range lines {
		for n := 3; n < len(l.code); n++ {
			if p := l.code[:n]; off[p] && !in[p] {
				t.Errorf("%s: ancestor %s missing", l.code, p)
			}
		}
	}
}

// ---- Tabular List XML

// xnode is any XML element, kept whole so that elements can be compared.
type xnode struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Text    string     `xml:",chardata"`
	Kids    []xnode    `xml:",any"`
}

func (n *xnode) kid(name string) *xnode {
	for i := range n.Kids {
		if n.Kids[i].XMLName.Local == name {
			return &n.Kids[i]
		}
	}
	return nil
}

func (n *xnode) kidText(name string) string {
	if k := n.kid(name); k != nil {
		return k.Text
	}
	return ""
}

func (n *xnode) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// canon renders an element for comparison: the text of a leaf exactly,
// the whitespace between child elements not at all.
func (n *xnode) canon() string {
	var b strings.Builder
	n.write(&b)
	return b.String()
}

func (n *xnode) write(b *strings.Builder) {
	b.WriteString("<" + n.XMLName.Local)
	for _, a := range n.Attrs {
		fmt.Fprintf(b, " %s=%q", a.Name.Local, a.Value)
	}
	b.WriteString(">")
	if len(n.Kids) == 0 {
		b.WriteString(n.Text)
	} else {
		b.WriteString(strings.TrimSpace(n.Text))
		for i := range n.Kids {
			n.Kids[i].write(b)
		}
	}
	b.WriteString("</" + n.XMLName.Local + ">")
}

// notes renders the children of a chapter, section or diag that are
// neither its name, its description nor structure (sections, section
// index, diags): its instructional notes, in file order.
func (n *xnode) notes() []string {
	var out []string
	for i := range n.Kids {
		switch n.Kids[i].XMLName.Local {
		case "name", "desc", "section", "sectionIndex", "diag":
		default:
			out = append(out, n.Kids[i].canon())
		}
	}
	return out
}

type tabDiag struct {
	node    *xnode
	parent  string // diag name, or "" under a section
	section string
	chapter string
}

type tabular struct {
	version  string
	chapters []*xnode
	sections map[string]*xnode // by id
	refs     map[string]string // sectionRef id -> canon
	diags    map[string]tabDiag
	order    []string // diag names in file order
}

func parseTabular(t *testing.T, name string, b []byte) *tabular {
	t.Helper()
	tab := &tabular{sections: map[string]*xnode{}, refs: map[string]string{}, diags: map[string]tabDiag{}}
	dec := xml.NewDecoder(bytes.NewReader(b))
	sawRoot := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "ICD10CM.tabular":
			sawRoot = true
		case "version":
			var v xnode
			if err := dec.DecodeElement(&v, &se); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			tab.version = v.Text
		case "introduction":
			if err := dec.Skip(); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		case "chapter":
			c := new(xnode)
			if err := dec.DecodeElement(c, &se); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			tab.addChapter(t, name, c)
		default:
			t.Fatalf("%s: unexpected element <%s>", name, se.Name.Local)
		}
	}
	if !sawRoot {
		t.Fatalf("%s: no <ICD10CM.tabular> root", name)
	}
	return tab
}

func (tab *tabular) addChapter(t *testing.T, file string, c *xnode) {
	tab.chapters = append(tab.chapters, c)
	chapter := c.kidText("name")
	for i := range c.Kids {
		k := &c.Kids[i]
		switch k.XMLName.Local {
		case "sectionIndex":
			for j := range k.Kids {
				ref := &k.Kids[j]
				tab.refs[ref.attr("id")] = ref.canon()
			}
		case "section":
			id := k.attr("id")
			tab.sections[id] = k
			for j := range k.Kids {
				if k.Kids[j].XMLName.Local == "diag" {
					tab.addDiag(t, file, &k.Kids[j], "", id, chapter)
				}
			}
		}
	}
}

func (tab *tabular) addDiag(t *testing.T, file string, d *xnode, parent, section, chapter string) {
	name := d.kidText("name")
	if _, dup := tab.diags[name]; dup {
		t.Fatalf("%s: diag %s twice", file, name)
	}
	tab.diags[name] = tabDiag{node: d, parent: parent, section: section, chapter: chapter}
	tab.order = append(tab.order, name)
	for i := range d.Kids {
		if d.Kids[i].XMLName.Local == "diag" {
			tab.addDiag(t, file, &d.Kids[i], name, section, chapter)
		}
	}
}

func sampleTabular(t *testing.T) *tabular {
	return parseTabular(t, sample.TabularFile, embedded(t, sample.TabularFile))
}

func undot(code string) string { return strings.ReplaceAll(code, ".", "") }

func TestTabularMatchesOfficial(t *testing.T) {
	off := parseTabular(t, officialTabular, officialtest.File(t, officialTabular))
	s := sampleTabular(t)
	if s.version != off.version {
		t.Errorf("version %q, official %q", s.version, off.version)
	}
	offCh := map[string]*xnode{}
	for _, c := range off.chapters {
		offCh[c.kidText("name")] = c
	}
	for _, c := range s.chapters {
		num := c.kidText("name")
		rc := offCh[num]
		if rc == nil {
			t.Errorf("chapter %s: not in the official file", num)
			continue
		}
		if c.kidText("desc") != rc.kidText("desc") {
			t.Errorf("chapter %s: desc %q, official %q", num, c.kidText("desc"), rc.kidText("desc"))
		}
		if got, want := c.notes(), rc.notes(); !equal(got, want) {
			t.Errorf("chapter %s: notes differ\n got: %q\nwant: %q", num, got, want)
		}
	}
	for id, sec := range s.sections {
		rs := off.sections[id]
		if rs == nil {
			t.Errorf("section %s: not in the official file", id)
			continue
		}
		if sec.kidText("desc") != rs.kidText("desc") {
			t.Errorf("section %s: desc %q, official %q", id, sec.kidText("desc"), rs.kidText("desc"))
		}
		if got, want := sec.notes(), rs.notes(); !equal(got, want) {
			t.Errorf("section %s: notes differ\n got: %q\nwant: %q", id, got, want)
		}
		if _, ok := s.refs[id]; !ok {
			if _, inOff := off.refs[id]; inOff {
				t.Errorf("section %s: no sectionRef in its chapter's sectionIndex", id)
			}
		}
	}
	for id, ref := range s.refs {
		if off.refs[id] != ref {
			t.Errorf("sectionRef %s: %q, official %q", id, ref, off.refs[id])
		}
		if s.sections[id] == nil {
			t.Errorf("sectionRef %s: the section is not in the sample", id)
		}
	}
	for _, name := range s.order {
		d, rd := s.diags[name], off.diags[name]
		if rd.node == nil {
			t.Errorf("diag %s: not in the official file", name)
			continue
		}
		if got, want := d.node.kidText("desc"), rd.node.kidText("desc"); got != want {
			t.Errorf("diag %s: desc %q, official %q", name, got, want)
		}
		if d.parent != rd.parent || d.section != rd.section || d.chapter != rd.chapter {
			t.Errorf("diag %s: under %q in section %s of chapter %s, official under %q in %s of %s",
				name, d.parent, d.section, d.chapter, rd.parent, rd.section, rd.chapter)
		}
		if got, want := d.node.notes(), rd.node.notes(); !equal(got, want) {
			t.Errorf("diag %s: notes differ\n got: %q\nwant: %q", name, got, want)
		}
		if got, want := d.node.attr("placeholder"), rd.node.attr("placeholder"); got != want {
			t.Errorf("diag %s: placeholder %q, official %q", name, got, want)
		}
	}
	// Every sample code, and every header above it, that the official
	// Tabular List has is in the sample Tabular List.
	offByCode := map[string]string{}
	for name := range off.diags {
		offByCode[undot(name)] = name
	}
	for _, l := range sampleOrder(t) {
		if name, ok := offByCode[l.code]; ok {
			if _, in := s.diags[name]; !in {
				t.Errorf("%s: in the official Tabular List but not in the sample", name)
			}
		}
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestTabularDiagsInOrderFile needs no official file: the Tabular List
// sample holds no code the order file sample lacks, and each of its codes
// or the header it belongs to (7th-character codes) is a Tabular entry.
func TestTabularDiagsInOrderFile(t *testing.T) {
	in := map[string]bool{}
	for _, l := range sampleOrder(t) {
		in[l.code] = true
	}
	s := sampleTabular(t)
	for _, name := range s.order {
		if !in[undot(name)] {
			t.Errorf("diag %s: not in %s", name, sample.OrderFile)
		}
	}
	if len(s.order) < 100 {
		t.Errorf("only %d diags in %s", len(s.order), sample.TabularFile)
	}
}

// ---- chapters

var chapterRange = regexp.MustCompile(`\(([A-Z][0-9][0-9A-Z])-([A-Z][0-9][0-9A-Z])\)$`)

// TestSpansAllChapters needs no official file: the sample Tabular List has
// the 22 chapters, and each chapter's range, as its title gives it, holds
// billable codes of the sample order file.
func TestSpansAllChapters(t *testing.T) {
	s := sampleTabular(t)
	if len(s.chapters) != 22 {
		t.Errorf("%d chapters in %s, want 22", len(s.chapters), sample.TabularFile)
	}
	lines := sampleOrder(t)
	for i, c := range s.chapters {
		num, desc := c.kidText("name"), c.kidText("desc")
		if num != strconv.Itoa(i+1) {
			t.Errorf("chapter %d is named %q", i+1, num)
		}
		m := chapterRange.FindStringSubmatch(desc)
		if m == nil {
			t.Errorf("chapter %s: no code range in %q", num, desc)
			continue
		}
		n := 0
		for _, l := range lines {
			if cat := l.code[:3]; l.billable && cat >= m[1] && cat <= m[2] {
				n++
			}
		}
		if n == 0 {
			t.Errorf("chapter %s (%s-%s): no billable code in the sample", num, m[1], m[2])
		}
	}
	for _, l := range lines {
		found := false
		for _, c := range s.chapters {
			if m := chapterRange.FindStringSubmatch(c.kidText("desc")); m != nil && l.code[:3] >= m[1] && l.code[:3] <= m[2] {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("%s: in no chapter", l.code)
		}
	}
}

// ---- HCPCS

type hcpcsRecord struct {
	lines [][]byte // the first line, then its continuation lines
}

func (r hcpcsRecord) code() string   { return strings.TrimSpace(string(r.lines[0][:5])) }
func (r hcpcsRecord) modifier() bool { return r.lines[0][10] == '7' }
func (r hcpcsRecord) field(from, to int) string {
	return strings.TrimSpace(string(r.lines[0][from-1 : to]))
}

var hcpcsStart = regexp.MustCompile(`^(   [A-Z0-9]{2}|[A-Z0-9]{5})[0-9]{5}[3478]`)

// splitHCPCS cuts a file into the disclaimer above the first record and
// the records with their continuation lines.
func splitHCPCS(t *testing.T, name string, b []byte) (disclaimer [][]byte, recs []hcpcsRecord) {
	t.Helper()
	lines := crlfLines(t, name, b)
	i := 0
	for i < len(lines) && !hcpcsStart.Match(lines[i]) {
		i++
	}
	disclaimer = lines[:i]
	for ; i < len(lines); i++ {
		l := lines[i]
		if !hcpcsStart.Match(l) {
			t.Fatalf("%s:%d: not an HCPCS record: %q", name, i+1, l)
		}
		switch l[10] {
		case '3', '7':
			if len(l) != 320 {
				t.Fatalf("%s:%d: record of %d columns, want 320", name, i+1, len(l))
			}
			recs = append(recs, hcpcsRecord{lines: [][]byte{l}})
		default:
			if len(recs) == 0 {
				t.Fatalf("%s:%d: continuation line before any record", name, i+1)
			}
			r := &recs[len(recs)-1]
			if !bytes.Equal(l[:5], r.lines[0][:5]) || l[10] != r.lines[0][10]+1 {
				t.Fatalf("%s:%d: continuation line %q follows record %q", name, i+1, l[:11], r.lines[0][:11])
			}
			r.lines = append(r.lines, l)
		}
	}
	return disclaimer, recs
}

func TestHCPCSMatchesOfficial(t *testing.T) {
	offDisc, offRecs := splitHCPCS(t, officialHCPCS, officialtest.File(t, officialHCPCS))
	disc, recs := splitHCPCS(t, sample.HCPCSFile, embedded(t, sample.HCPCSFile))
	if len(disc) == 0 || len(disc) > len(offDisc) {
		t.Errorf("disclaimer of %d lines, official %d", len(disc), len(offDisc))
	}
	for i := 0; i < len(disc) && i < len(offDisc); i++ {
		if !bytes.Equal(disc[i], offDisc[i]) {
			t.Errorf("disclaimer line %d differs\n got: %q\nwant: %q", i+1, disc[i], offDisc[i])
		}
	}
	off := map[string]hcpcsRecord{}
	for _, r := range offRecs {
		off[string(r.lines[0][:11])] = r
	}
	seen := map[string]bool{}
	for _, r := range recs {
		key := string(r.lines[0][:11])
		if seen[key] {
			t.Errorf("%q: twice", key)
		}
		seen[key] = true
		want, ok := off[key]
		if !ok {
			t.Errorf("%s: not in the official file", r.code())
			continue
		}
		if len(r.lines) != len(want.lines) {
			t.Errorf("%s: %d lines, official %d", r.code(), len(r.lines), len(want.lines))
			continue
		}
		for i := range r.lines {
			if !bytes.Equal(r.lines[i], want.lines[i]) {
				t.Errorf("%s line %d differs\n got: %q\nwant: %q", r.code(), i+1, r.lines[i], want.lines[i])
			}
		}
	}
}

// TestHCPCSContent needs no official file: the sample has the common
// Level II codes and modifiers, a terminated code, and the processing
// notes its records refer to.
func TestHCPCSContent(t *testing.T) {
	_, recs := splitHCPCS(t, sample.HCPCSFile, embedded(t, sample.HCPCSFile))
	codes := map[string]bool{}
	procs, mods, terminated := 0, 0, 0
	refs := map[string]bool{}
	for _, r := range recs {
		codes[r.code()] = true
		if r.modifier() {
			mods++
		} else {
			procs++
		}
		if r.field(285, 292) != "" {
			terminated++
		}
		if n := r.field(253, 256); n != "" {
			refs[n] = true
		}
	}
	for _, c := range []string{"A4253", "E0601", "G0439", "J1100", "K0001", "LT", "RT", "XS", "GA", "KX"} {
		if !codes[c] {
			t.Errorf("%s missing", c)
		}
	}
	if procs < 20 || mods < 8 || terminated == 0 {
		t.Errorf("%d procedure codes, %d modifiers, %d terminated", procs, mods, terminated)
	}
	notes := sampleNotes(t)
	for n := range refs {
		if _, ok := notes[n]; !ok {
			t.Errorf("processing note %s referred to but missing from %s", n, sample.ProcNotesFile)
		}
	}
}

// ---- processing notes

var noteStart = regexp.MustCompile(`^\s*([0-9]{4})--`)

// splitNotes cuts the processing notes into the title above the first note
// and the notes, each from its "NNNN--" line to the next one.
func splitNotes(t *testing.T, name string, b []byte) (title [][]byte, notes map[string][][]byte, order []string) {
	t.Helper()
	notes = map[string][][]byte{}
	cur := ""
	for _, l := range crlfLines(t, name, b) {
		if m := noteStart.FindSubmatch(l); m != nil {
			cur = string(m[1])
			if _, dup := notes[cur]; dup {
				t.Fatalf("%s: note %s twice", name, cur)
			}
			order = append(order, cur)
		}
		if cur == "" {
			title = append(title, l)
		} else {
			notes[cur] = append(notes[cur], l)
		}
	}
	return title, notes, order
}

func sampleNotes(t *testing.T) map[string][][]byte {
	_, notes, _ := splitNotes(t, sample.ProcNotesFile, embedded(t, sample.ProcNotesFile))
	if len(notes) == 0 {
		t.Fatalf("%s: no notes", sample.ProcNotesFile)
	}
	return notes
}

func TestProcNotesMatchOfficial(t *testing.T) {
	offTitle, off, _ := splitNotes(t, officialProcNotes, officialtest.File(t, officialProcNotes))
	title, notes, order := splitNotes(t, sample.ProcNotesFile, embedded(t, sample.ProcNotesFile))
	if len(title) != len(offTitle) {
		t.Errorf("title of %d lines, official %d", len(title), len(offTitle))
	}
	for i := 0; i < len(title) && i < len(offTitle); i++ {
		if !bytes.Equal(title[i], offTitle[i]) {
			t.Errorf("title line %d differs\n got: %q\nwant: %q", i+1, title[i], offTitle[i])
		}
	}
	for _, n := range order {
		want, ok := off[n]
		if !ok {
			t.Errorf("note %s: not in the official file", n)
			continue
		}
		if got := notes[n]; !bytes.Equal(bytes.Join(got, []byte("\n")), bytes.Join(want, []byte("\n"))) {
			t.Errorf("note %s differs\n got: %q\nwant: %q", n, got, want)
		}
	}
	if !sort.StringsAreSorted(order) {
		t.Errorf("notes not in the official order: %v", order)
	}
}
