package validate

import (
	"regexp"
	"strings"

	"github.com/medcode/medcode/codeset"
)

// CodeRef is a code reference as the Tabular notes and rule packs write
// them: one code or category ("E10.-", "P70.2"), or a range ("O10-O11",
// "K85-K86.-"). A reference covers the codes that start with it or fall in
// its range, compared on the references' own length.
type CodeRef struct {
	From string // undotted, no trailing dash
	To   string // equal to From for a single reference
	// Sub restricts a range to one subcategory of each category: the
	// Tabular writes "diabetes mellitus (E08-E13 with .42)".
	Sub string
}

// Matches reports whether a code (undotted) is covered.
func (r CodeRef) Matches(code string) bool { return r.MatchesKeyed(code, code) }

// MatchesKeyed is Matches with a range compared on the code's key, which
// puts a category such as D3A where the Tabular List prints it
// (index.RangeKey); a single reference matches the code itself.
func (r CodeRef) MatchesKeyed(code, key string) bool {
	if r.Sub != "" && !(len(code) > 3 && strings.HasPrefix(code[3:], r.Sub)) {
		return false
	}
	if r.From == r.To {
		return strings.HasPrefix(code, r.From)
	}
	code = key
	lo := code
	if len(lo) > len(r.From) {
		lo = lo[:len(r.From)]
	}
	hi := code
	if len(hi) > len(r.To) {
		hi = hi[:len(r.To)]
	}
	return lo >= r.From && hi <= r.To
}

func (r CodeRef) String() string {
	if r.From == r.To {
		return codeset.DotICD(r.From)
	}
	return codeset.DotICD(r.From) + "-" + codeset.DotICD(r.To)
}

// refRe finds code references inside a note: a letter, two characters, an
// optional dotted part, an optional dash, optionally "-" another one.
var refRe = regexp.MustCompile(`\b([A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?)(?:\s*-\s*([A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?))?-?`)

var withSubRe = regexp.MustCompile(`(?i)\bwith\s+\.([0-9A-Z]{1,4})`)

// NoteRefs parses the code references of a note ("gestational diabetes
// (O24.4-)", "hypertension complicating pregnancy (O10-O11, O13-O16)").
// Only references inside parentheses count: a note's prose can contain
// words that look like codes.
func NoteRefs(note string) []CodeRef {
	var out []CodeRef
	for _, par := range parenthesised(note) {
		sub := ""
		if m := withSubRe.FindStringSubmatch(par); m != nil {
			sub = strings.ToUpper(m[1])
			par = par[:strings.Index(par, m[0])]
		}
		for _, m := range refRe.FindAllStringSubmatch(par, -1) {
			from := codeset.UndotICD(m[1])
			to := from
			if m[2] != "" {
				to = codeset.UndotICD(m[2])
			}
			out = append(out, CodeRef{From: from, To: to, Sub: sub})
		}
	}
	return out
}

func parenthesised(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '(':
			if depth == 0 {
				start = i + 1
			}
			depth++
		case ')':
			if depth > 0 {
				depth--
				if depth == 0 {
					out = append(out, s[start:i])
				}
			}
		}
	}
	return out
}
