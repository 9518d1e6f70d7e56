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
	// Words are the analysed words the text has (not those it negates);
	// Core excludes parenthesised (nonessential) ones, which a code is not
	// faulted for lacking, and those of an index entry's main term.
	Words []string
	Core  []string
	// Negated are the words of the clauses the text negates ("without
	// bleeding").
	Negated []string
	// WithoutCore: the text says "without" outside parentheses.
	WithoutCore bool
	// MainCore are the core words of an index entry's main term
	// ("Syphilis" in "Syphilis > Parkinson's disease"): the entry is about
	// its main term, and a query that does not say it fits it less.
	MainCore []string
	Sig      uint64 // WordSig of every word

	// For scoring without a map lookup per word: each word's WordSig bit
	// (WordBits), and where each core and main-term word is in Words.
	WordBits []uint8
	CoreAt   []uint16
	MainAt   []uint16
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

// index fills in the lookup fields from Words, Core and MainCore.
func (v *Variant) index() {
	v.WordBits = make([]uint8, len(v.Words))
	for i, w := range v.Words {
		v.WordBits[i] = WordBit(w)
	}
	at := func(sub []string) []uint16 {
		if len(sub) == 0 {
			return nil
		}
		out := make([]uint16, len(sub))
		for i, w := range sub {
			for j, x := range v.Words {
				if x == w {
					out[i] = uint16(j)
					break
				}
			}
		}
		return out
	}
	v.CoreAt, v.MainAt = at(v.Core), at(v.MainCore)
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
		if !containsString(v.Words, w.Term) {
			v.Words = append(v.Words, w.Term)
		}
		switch {
		case inSpans(opt, w.Start):
		case w.Start < mainEnd:
			v.MainCore = append(v.MainCore, w.Term)
		default:
			v.Core = append(v.Core, w.Term)
			v.WithoutCore = v.WithoutCore || w.Term == "without"
		}
		v.Sig |= WordSig(w.Term)
	}
	v.index()
	return v
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
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
			end := strings.IndexByte(lower[start:], ',')
			if end < 0 {
				end = len(s)
			} else {
				end += start
			}
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
