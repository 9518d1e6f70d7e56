package suggest

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// interval is a span of values a code's text states, both ends included.
type interval struct{ lo, hi float64 }

func (iv interval) holds(x float64) bool { return x >= iv.lo && x <= iv.hi }

// The ways the code books state values: a range ("40.0-44.9", "20-29%",
// "31 minutes to 59 minutes", "weeks 30-39"), a bound ("less than 20
// mg/100 ml", "19.9 or less", "70 or greater", "30 minutes or less"), or
// one value ("39 weeks", "stage 4"). HCPCS's "up to 250 mg" is the unit a
// drug is billed in, not a bound on what the chart gives.
var (
	num          = `(\d+(?:\.\d+)?)`
	unit         = `(?:\s*(?:%|[a-z]+(?:/\d*\s*[a-z]+)?))?`
	rangeRe      = regexp.MustCompile(num + unit + `\s*(?:-|–|to|through)\s*` + num)
	belowRe      = regexp.MustCompile(`(?:less than|fewer than|under|below)\s+` + num)
	aboveRe      = regexp.MustCompile(`(?:greater than|more than|over|above|at least)\s+` + num)
	orBoundRe    = regexp.MustCompile(num + unit + `\s+(?:or|and)\s+(less|fewer|under|below|more|greater|over|above|longer)\b`)
	plainValueRe = regexp.MustCompile(num)
)

// intervals reads the values a text states; a number inside a range or a
// bound is not read again on its own.
func intervals(text string) []interval {
	if !strings.ContainsAny(text, "0123456789") {
		return nil
	}
	t := strings.ToLower(text)
	var out []interval
	used := make([]bool, len(t))
	mark := func(loc []int) {
		for i := loc[0]; i < loc[1]; i++ {
			used[i] = true
		}
	}
	val := func(s string) float64 { f, _ := strconv.ParseFloat(s, 64); return f }
	// An ordinal ("85th percentile", "2nd degree") or a stage's letter
	// ("3a") is a name, not a value.
	named := func(end int) bool { return end < len(t) && isLetterByte(t[end]) }
	for _, m := range rangeRe.FindAllStringSubmatchIndex(t, -1) {
		lo, hi := val(t[m[2]:m[3]]), val(t[m[4]:m[5]])
		if lo <= hi && !named(m[5]) && !named(m[3]) {
			out = append(out, interval{lo, hi})
			mark(m)
		}
	}
	for _, m := range belowRe.FindAllStringSubmatchIndex(t, -1) {
		if !used[m[2]] && !named(m[3]) {
			// "less than 20": strictly, but values are whole or tenths.
			out = append(out, interval{math.Inf(-1), val(t[m[2]:m[3]]) - 0.01})
			mark(m)
		}
	}
	for _, m := range aboveRe.FindAllStringSubmatchIndex(t, -1) {
		if !used[m[2]] && !named(m[3]) {
			out = append(out, interval{val(t[m[2]:m[3]]) + 0.01, math.Inf(1)})
			mark(m)
		}
	}
	for _, m := range orBoundRe.FindAllStringSubmatchIndex(t, -1) {
		if used[m[2]] || named(m[3]) {
			continue
		}
		x := val(t[m[2]:m[3]])
		switch t[m[4]:m[5]] {
		case "less", "fewer", "under", "below":
			out = append(out, interval{math.Inf(-1), x})
		default:
			out = append(out, interval{x, math.Inf(1)})
		}
		mark(m)
	}
	for _, m := range plainValueRe.FindAllStringIndex(t, -1) {
		// A number after a slash is a unit's ("mg/100 ml").
		if !used[m[0]] && (m[0] == 0 || !isLetterByte(t[m[0]-1]) && t[m[0]-1] != '/') && !named(m[1]) {
			x := val(t[m[0]:m[1]])
			out = append(out, interval{x, x})
		}
	}
	return out
}

func isLetterByte(c byte) bool { return c >= 'a' && c <= 'z' }

// numberOf is the value of a query word that is a whole number.
func numberOf(w string) (float64, bool) {
	if w == "" || strings.Trim(w, "0123456789") != "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(w, 64)
	return f, err == nil
}

func isNumberWord(w string) bool { _, ok := numberOf(w); return ok }
