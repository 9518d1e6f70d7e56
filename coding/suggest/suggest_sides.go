package suggest

import (
	"regexp"
	"slices"
	"strings"
)

// sides are distinctions the code books make, each the analysed words of
// its sides: a code that states one side where the query states another
// is the wrong code, however well its other words fit. A code that says
// neither ("unspecified") never contradicts.
var sides = [][]string{
	{"left", "right"},
	{"acut", "chronic"},
	{"initi", "subsequ", "sequela"},
	{"open", "close"},
	{"with", "without"},
}

// contradiction is taken off a contradicting code's score: more than any
// fit can give, so it ranks below every code that does not contradict.
const contradiction = 2.0

// typeRe finds a numbered type ("type 2", "Type II") in a title.
var typeRe = regexp.MustCompile(`(?i)\btype\s+(\d+|iv|i{1,3})\b`)

// stance is what a reading of the query states of each distinction.
type stance struct {
	said  [][]bool // per side group, per side
	types []string // the numbered types it names
}

func stanceOf(rd reading) stance {
	st := stance{said: make([][]bool, len(sides))}
	for g := range sides {
		st.said[g] = make([]bool, len(sides[g]))
	}
	for _, c := range rd.concepts {
		if c.negated || len(c.alts) == 0 {
			continue
		}
		a := c.alts[0]
		for i, t := range a {
			for g, grp := range sides {
				if k := slices.Index(grp, t); k >= 0 {
					st.said[g][k] = true
				}
			}
			if t == "type" && i+1 < len(a) {
				st.types = append(st.types, typeNumber(a[i+1]))
			}
		}
	}
	if rd.without {
		st.said[len(sides)-1][1] = true
	}
	return st
}

// typeNumber writes a type's number in digits.
func typeNumber(s string) string {
	switch strings.ToLower(s) {
	case "i":
		return "1"
	case "ii":
		return "2"
	case "iii":
		return "3"
	case "iv":
		return "4"
	}
	return s
}

// clash tells which word of a code's title contradicts the query, or "".
// words are the title's analysed words.
func (st stance) clash(title string, words []string) string {
	for g, grp := range sides {
		q := st.said[g]
		n := 0
		for _, s := range q {
			if s {
				n++
			}
		}
		if n != 1 {
			continue // silent on it, or says both ("acute on chronic")
		}
		saysOurs, other := false, ""
		for k, w := range grp {
			if slices.Contains(words, w) {
				if q[k] {
					saysOurs = true
				} else {
					other = w
				}
			}
		}
		if other != "" && !saysOurs {
			return other
		}
	}
	if len(st.types) > 0 {
		var ts []string
		for _, m := range typeRe.FindAllStringSubmatch(title, -1) {
			ts = append(ts, typeNumber(m[1]))
		}
		if len(ts) > 0 && !slices.ContainsFunc(ts, func(t string) bool { return slices.Contains(st.types, t) }) {
			return "type " + ts[0]
		}
	}
	return ""
}
