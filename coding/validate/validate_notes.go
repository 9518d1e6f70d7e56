package validate

import (
	"strings"
	"sync"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/coding/internal/memo"
	"github.com/medcode/medcode/index"
)

// The notes the edits read (Excludes1 and 2, "code first", "use
// additional code") are printed at a chapter, a block, a category or a
// code, and govern every code below. A table reads each place once into a
// chain that holds the notes of every place above it, so that the
// thousands of codes of a category share one chain of notes, and a pair
// of codes is told apart by two binary searches rather than by scanning
// their notes.

// noteLevel is the notes of one place the edits read, those with code
// references, with where they are printed.
type noteLevel struct {
	from                            string
	excl1, excl2, first, additional []noteText
}

// noteText is one note with its code references, and the source a
// finding from it gives: the same for every code below it.
type noteText struct {
	text   string
	refs   []CodeRef
	source string
}

// newNoteLevel keeps the notes printed at from that name codes; nil when
// there are none. section is true for a chapter's block or heading, whose
// ID can look like a category's ("C50", "D3A").
func newNoteLevel(from string, section bool, n *codeset.Notes) *noteLevel {
	l := &noteLevel{from: from}
	keep := func(to *[]noteText, kind string, texts []string) {
		for _, t := range texts {
			if refs := NoteRefs(t); len(refs) > 0 {
				*to = append(*to, noteText{text: t, refs: refs, source: kind + " at " + from + ": " + t})
			}
		}
	}
	chapter := strings.HasPrefix(from, "chapter ")
	keep(&l.excl1, "excludes1", n.Excludes1)
	// A chapter's Excludes2 lists whole other chapters ("endocrine
	// diseases (E00-E88)"): true, and noise on every claim.
	if !chapter {
		keep(&l.excl2, "excludes2", n.Excludes2)
	}
	keep(&l.first, "code first", n.CodeFirst)
	// A chapter's or block's "use additional code" names what may apply to
	// any of hundreds of codes; only the code's own and its category's are
	// a partner the claim should carry.
	if !chapter && !section {
		keep(&l.additional, "use additional code", n.UseAdditional)
	}
	if l.excl1 == nil && l.excl2 == nil && l.first == nil && l.additional == nil {
		return nil
	}
	return l
}

// noteChain is the notes over a code, from its chapter down. A code with
// no notes of its own shares the chain of the code above it.
type noteChain struct {
	levels []*noteLevel
	// excl covers every code the Excludes notes name, partner every code
	// the "code first" and "use additional code" notes name.
	excl, partner codeSpans
	// exclInitials and partnerInitials are the initials of those codes:
	// most pairs of codes are told apart by them alone.
	exclInitials, partnerInitials letters
}

// with is the chain below c that adds the notes of l.
func (c *noteChain) with(l *noteLevel) *noteChain {
	if l == nil {
		return c
	}
	return &noteChain{
		levels:          append(c.levels[:len(c.levels):len(c.levels)], l),
		excl:            c.excl.with(l.excl1, l.excl2),
		partner:         c.partner.with(l.additional, l.first),
		exclInitials:    refLetters(refLetters(c.exclInitials, l.excl1), l.excl2),
		partnerInitials: refLetters(refLetters(c.partnerInitials, l.additional), l.first),
	}
}

// tabular is a release's chapters and blocks as note levels, read once.
type tabular struct {
	once sync.Once
	err  error
	// levels are the note levels of each chapter and section by their
	// label ("chapter 2", "C43-C44"), nil for those without notes.
	levels map[string]*noteLevel
	// chains are the notes over each category, by the sections
	// holding it: the categories of a block share one chain.
	chains memo.Map[*noteChain]
}

// chain returns the notes over an ICD-10-CM code, its entry e given (nil
// when the release lacks the code): those above it are read the first
// time they are needed, and shared.
func (v *Validator) chain(t *codeTable, code string, e *index.Entry) (*noteChain, error) {
	return t.chains.Get(code, func() (*noteChain, error) {
		var l *noteLevel
		if e != nil && e.Notes != nil {
			l = newNoteLevel(codeset.DotICD(code), false, e.Notes)
		}
		parent, err := v.parentChain(t, code)
		if err != nil {
			return nil, err
		}
		return parent.with(l), nil
	})
}

// parentChain is the notes above a code: those of the code one character
// shorter, or for a category those of its chapter and block.
func (v *Validator) parentChain(t *codeTable, code string) (*noteChain, error) {
	if p := codeset.ICDParent(code); p != "" {
		if c, ok := t.chains.Load(p); ok {
			return c, nil
		}
		e, err := v.cb.Index().Get(t.icd.ID, p)
		if err != nil {
			return nil, err
		}
		return v.chain(t, p, e)
	}
	tab := &t.tabular
	tab.once.Do(func() { tab.err = v.readTabular(t) })
	if tab.err != nil {
		return nil, tab.err
	}
	// As lookup's path: the chapter, then the sections that really hold
	// the category, outermost first. Excludes1 printed at a block governs
	// that block's categories only.
	pl, err := v.cb.Index().Place(t.icd.ID, code)
	if err != nil || pl == nil {
		return &noteChain{}, err
	}
	key := "chapter " + pl.Chapter.Num
	for _, s := range pl.Sections {
		key += "\x00" + s.ID
	}
	return tab.chains.Get(key, func() (*noteChain, error) {
		c := (&noteChain{}).with(tab.levels["chapter "+pl.Chapter.Num])
		for _, s := range pl.Sections {
			c = c.with(tab.levels[s.ID])
		}
		return c, nil
	})
}

func (v *Validator) readTabular(t *codeTable) error {
	chapters, err := v.cb.Index().Chapters(t.icd.ID)
	if err != nil {
		return err
	}
	t.tabular.levels = map[string]*noteLevel{}
	for i := range chapters {
		ch := &chapters[i]
		t.tabular.levels["chapter "+ch.Num] = newNoteLevel("chapter "+ch.Num, true, &ch.Notes)
		for j := range ch.Sections {
			s := &ch.Sections[j]
			t.tabular.levels[s.ID] = newNoteLevel(s.ID, true, &s.Notes)
		}
	}
	return nil
}

// letters is a set of code initials, A to Z.
type letters uint32

// initial is the set of a code's initial; any letter when it is none.
func initial(code string) letters {
	if code == "" || code[0] < 'A' || code[0] > 'Z' {
		return ^letters(0)
	}
	return 1 << (code[0] - 'A')
}

// refLetters adds the initials the notes' references can match.
func refLetters(l letters, notes []noteText) letters {
	for _, n := range notes {
		for _, r := range n.refs {
			from, to := initial(r.From), initial(r.To)
			if from == ^letters(0) || to == ^letters(0) || to < from {
				return ^letters(0)
			}
			l |= to<<1 - from // every initial from From's to To's
		}
	}
	return l
}

// codeSpan is the codes from lo to hi, in the order of codeOrder. A
// reference covers the codes from its From to its To followed by anything:
// "E10" to "E11\xff" for E10-E11 (Sub only narrows it).
type codeSpan struct{ lo, hi uint64 }

// codeOrder packs the first 8 bytes of a code into an integer, the first
// byte highest: codes, which hold no NUL byte, compare as their strings
// do, and a pair of codes is told apart without reading either string.
func codeOrder(s string) uint64 {
	var k uint64
	for i := 0; i < 8; i++ {
		k <<= 8
		if i < len(s) {
			k |= uint64(s[i])
		}
	}
	return k
}

// refSpan is the span a reference covers, or one wider.
func refSpan(r CodeRef) codeSpan {
	to := r.To
	if len(to) > 7 {
		to = to[:7]
	}
	return codeSpan{codeOrder(r.From), codeOrder(to + "\xff")}
}

// codeSpans are sorted, disjoint spans.
type codeSpans []codeSpan

// covers reports whether a code, as codeOrder packs it, falls in one of
// the spans.
func (s codeSpans) covers(code uint64) bool {
	lo, hi := 0, len(s)
	for lo < hi { // the first span that ends at or after code
		m := int(uint(lo+hi) >> 1)
		if s[m].hi < code {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(s) && s[lo].lo <= code
}

// with is s and the spans of the notes' references, merged.
func (s codeSpans) with(lists ...[]noteText) codeSpans {
	out := append(codeSpans(nil), s...)
	for _, notes := range lists {
		for _, n := range notes {
			for _, r := range n.refs {
				out = append(out, refSpan(r))
			}
		}
	}
	if len(out) == len(s) {
		return s
	}
	sortSpans(out)
	merged := out[:1]
	for _, x := range out[1:] {
		last := &merged[len(merged)-1]
		if x.lo <= last.hi {
			last.hi = max(last.hi, x.hi)
			continue
		}
		merged = append(merged, x)
	}
	return merged[:len(merged):len(merged)]
}

func sortSpans(s codeSpans) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j].lo < s[j-1].lo; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
