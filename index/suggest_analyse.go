package index

import (
	"strings"

	"github.com/medcode/medcode/codeset"
)

// Variant is one way the code books write a code (its title, an inclusion
// term, an index entry), analysed for suggestion.
type Variant struct {
	Kind string // "title", "inclusion term", "index", "short description"
	Text string
	// Words are the analysed words the text has (not those it negates),
	// each once; WordBits are their WordSig bits, so a scorer looks up
	// only the words whose bit a query has.
	Words    []string
	WordBits []uint8
	// CoreAt are the places in Words of the core words, one per
	// occurrence: not parenthesised (nonessential, which a code is not
	// faulted for lacking) and not of an index entry's main term.
	CoreAt []uint16
	// MainAt are those of an index entry's main term's core words
	// ("Syphilis" in "Syphilis > Parkinson's disease"): the entry is about
	// its main term, and a query that does not say it fits it less.
	MainAt []uint16
	// Negated are the words of the clauses the text negates ("without
	// bleeding").
	Negated []string
	// WithoutCore: the text says "without" outside parentheses.
	WithoutCore bool
	Sig         uint64 // WordSig of every word
	// Free is for the caller: a bit for each of the first 64 words it
	// does not hold against a code.
	Free uint64
}

// CodeText is what suggestion reads of a code: enough of the entry to rank
// and show it (Code, Title, Billable; for HCPCS, IsModifier and BETOS), and
// every text the code books give it, analysed.
type CodeText struct {
	Entry    *Entry
	Variants []Variant
}

// WordSig is a word's bit in a 64-bit signature: a text whose signature
// shares no bit with a query's holds none of its words, and is passed over
// without a look at its words.
func WordSig(w string) uint64 { return 1 << WordBit(w) }

// WordBit is the number of a word's WordSig bit.
func WordBit(w string) uint8 {
	h := uint32(2166136261)
	for i := 0; i < len(w); i++ {
		h = (h ^ uint32(w[i])) * 16777619
	}
	return uint8(h % 64)
}

// wordBits fills in WordBits.
func (v *Variant) wordBits() {
	v.WordBits = make([]uint8, len(v.Words))
	for i, w := range v.Words {
		v.WordBits[i] = WordBit(w)
	}
}

// analyseCode analyses every text of a code.
func analyseCode(stem *Stemmer, st *sourceTexts) *CodeText {
	ct := &CodeText{Entry: st.Entry, Variants: make([]Variant, 0, len(st.Texts))}
	seventh := st.Entry.System == codeset.ICD10CM && len(st.Entry.Code) == 7
	for i, t := range st.Texts {
		var ext []span
		if i == 0 && seventh {
			ext = extensionSpans(t.Text)
		}
		ct.Variants = append(ct.Variants, analyseText(stem, t.Kind, t.Text, ext))
	}
	return ct
}

// analyseText analyses one text: words inside parentheses or brackets
// count for matching but are not held against the code, and words of a
// clause the text negates ("without bleeding") go to Negated.
func analyseText(stem *Stemmer, kind, text string, extra []span) Variant {
	v := Variant{Kind: kind, Text: text}
	opt := append(optionalSpans(text), extra...)
	neg := withoutSpans(text)
	mainEnd := -1
	if kind == "index" {
		mainEnd = strings.Index(text, " > ")
	}
	// Slices, not sets: a text has a handful of words.
	for _, w := range stem.Words(text) {
		if inSpans(neg, w.Start) && !inSpans(opt, w.Start) {
			// Said absent ("without heart failure"): not a word the
			// code has.
			v.Negated = append(v.Negated, w.Term)
			v.Sig |= WordSig(w.Term)
			continue
		}
		at := indexOf(v.Words, w.Term)
		if at < 0 {
			at = len(v.Words)
			v.Words = append(v.Words, w.Term)
		}
		switch {
		case inSpans(opt, w.Start):
		case w.Start < mainEnd:
			v.MainAt = append(v.MainAt, uint16(at))
		default:
			v.CoreAt = append(v.CoreAt, uint16(at))
			v.WithoutCore = v.WithoutCore || w.Term == "without"
		}
		v.Sig |= WordSig(w.Term)
	}
	v.wordBits()
	return v
}

func indexOf(ss []string, s string) int {
	for i, x := range ss {
		if x == s {
			return i
		}
	}
	return -1
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

type span struct{ start, end int }

// extensionSpans is the part of a 7-character code's title that its 7th
// character adds (", initial encounter for closed fracture"): the encounter
// is chosen apart from the condition, so a query that does not say it is
// not held to it.
func extensionSpans(title string) []span {
	lower := strings.ToLower(title)
	for _, m := range []string{", initial encounter", ", subsequent encounter", ", sequela"} {
		if i := strings.LastIndex(lower, m); i >= 0 {
			return []span{{i, len(title)}}
		}
	}
	return nil
}

func inSpans(ss []span, i int) bool {
	for _, s := range ss {
		if i >= s.start && i < s.end {
			return true
		}
	}
	return false
}

// optionalSpans are the parenthesised or bracketed parts of a text:
// nonessential modifiers and code references ("(mellitus)", "[I43]").
func optionalSpans(s string) []span {
	var out []span
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(', '[':
			if depth == 0 {
				start = i
			}
			depth++
		case ')', ']':
			if depth > 0 {
				depth--
				if depth == 0 {
					out = append(out, span{start, i + 1})
				}
			}
		}
	}
	if depth > 0 {
		out = append(out, span{start, len(s)})
	}
	return out
}

// withoutSpans are the clauses a title negates: from "without" or "not" to the next
// comma. When a chart does not mention bleeding, the code "without
// bleeding" is the one to pick, so those words are not held against it;
// when the chart says "no bleeding", they are what it matches.
// clauseEnd is where a negated clause that starts at i ends: at a comma,
// at the next level of an index entry (" > "), or at the parenthesis that
// closes the one it sits in ("acute (without necrosis or infection) >
// with necrosis": the necrosis of the last level is not negated).
func clauseEnd(s string, i int) int {
	depth := 0
	for j := i; j < len(s); j++ {
		switch s[j] {
		case ',':
			return j
		case '(', '[':
			depth++
		case ')', ']':
			if depth == 0 {
				return j
			}
			depth--
		case '>':
			if j > i && s[j-1] == ' ' {
				return j - 1
			}
		}
	}
	return len(s)
}

func withoutSpans(s string) []span {
	var out []span
	lower := strings.ToLower(s)
	for _, neg := range []string{"without ", "not "} {
		for from := 0; ; {
			i := strings.Index(lower[from:], neg)
			if i < 0 {
				break
			}
			start := from + i + len(neg)
			end := clauseEnd(lower, start)
			from = end
			// "not elsewhere classified" and "not otherwise specified"
			// say where a code sits, not what the patient lacks; a "not"
			// inside a word ("knot") is no negation.
			rest := lower[start:end]
			if neg == "not " && (start > len(neg) && isASCIILetter(lower[start-len(neg)-1]) ||
				strings.HasPrefix(rest, "elsewhere") || strings.HasPrefix(rest, "otherwise")) {
				continue
			}
			out = append(out, span{start, end})
		}
	}
	return out
}
