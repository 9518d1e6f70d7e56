package codeset

import (
	"sort"
	"strings"
)

// AbbrevLearner reads the short titles CMS publishes beside the long ones
// and learns the abbreviations they use ("clsn" for collision, "fx" for
// fracture, "mv" for motor vehicle). Coders write the same shorthand, and
// a new release brings its own with no change to code.
type AbbrevLearner struct {
	long   map[string]bool           // every word of a long title
	seen   map[string]int            // short-title word -> pairs it appears in unmatched
	counts map[string]map[string]int // short-title word -> expansion -> pairs
}

// NewAbbrevLearner starts an empty learner.
func NewAbbrevLearner() *AbbrevLearner {
	return &AbbrevLearner{long: map[string]bool{}, seen: map[string]int{}, counts: map[string]map[string]int{}}
}

// abbrevWindow is how far ahead in the long title a short word's
// expansion is looked for: short titles keep the long title's order but
// drop words.
const abbrevWindow = 5

// Add aligns one title with its short form.
func (l *AbbrevLearner) Add(long, short string) {
	if short == "" || strings.EqualFold(long, short) {
		for _, w := range abbrevWords(long) {
			l.long[w] = true
		}
		return
	}
	lw, sw := abbrevWords(long), abbrevWords(short)
	for _, w := range lw {
		l.long[w] = true
	}
	j := 0
	for _, s := range sw {
		if k := indexFrom(lw, j, s); k >= 0 {
			j = k + 1
			continue
		}
		l.seen[s]++
		for k := j; k < len(lw) && k < j+abbrevWindow; k++ {
			if exp, n := expansionAt(s, lw[k:]); n > 0 {
				m := l.counts[s]
				if m == nil {
					m = map[string]int{}
					l.counts[s] = m
				}
				m[exp]++
				j = k + n
				break
			}
		}
	}
}

func indexFrom(ws []string, from int, w string) int {
	for k := from; k < len(ws) && k < from+abbrevWindow; k++ {
		if ws[k] == w {
			return k
		}
	}
	return -1
}

// expansionAt tells whether s abbreviates the words at the start of ws:
// a contraction of the first word that keeps its first letter and the
// order of its letters ("clsn", "fx" is not one), or the initials of the
// next few words ("mv", "loc" with "of" skipped). It returns the expansion
// and the words it spans.
func expansionAt(s string, ws []string) (string, int) {
	w := ws[0]
	if len(s) >= 2 && len(s) < len(w) && s[0] == w[0] && isSubsequence(s, w) && !isDigitWord(s) {
		return w, 1
	}
	if len(s) >= 2 && len(s) <= 4 && !isDigitWord(s) {
		i, used := 0, 0
		for k := 0; k < len(ws) && i < len(s); k++ {
			if ws[k] == "of" || ws[k] == "and" || ws[k] == "or" {
				if i == 0 {
					break
				}
				continue
			}
			if ws[k][0] != s[i] {
				break
			}
			i++
			used = k + 1
		}
		if i == len(s) && used > 1 {
			return strings.Join(ws[:used], " "), used
		}
	}
	if len(s) == 1 && s[0] == w[0] && len(w) > 1 && !isDigitWord(w) {
		return w, 1
	}
	return "", 0
}

func isSubsequence(s, w string) bool {
	i := 0
	for k := 0; k < len(w) && i < len(s); k++ {
		if w[k] == s[i] {
			i++
		}
	}
	return i == len(s)
}

func isDigitWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// abbrevMinPairs and abbrevMinShare keep one-off contractions and words
// that stand for different things in different titles.
const (
	abbrevMinPairs = 2
	abbrevMinShare = 0.6
)

// Result is the learned dictionary: a short-title word that never appears
// in a long title, mapped to the words it stands for.
func (l *AbbrevLearner) Result() map[string]string {
	out := map[string]string{}
	for s, m := range l.counts {
		if l.long[s] {
			continue
		}
		best, bn := "", 0
		for e, n := range m {
			if n > bn || n == bn && e < best {
				best, bn = e, n
			}
		}
		if bn >= abbrevMinPairs && float64(bn) >= abbrevMinShare*float64(l.seen[s]) {
			out[s] = best
		}
	}
	return out
}

var slashForms = strings.NewReplacer("w/o ", "without ", "w/ ", "with ")

// abbrevWords splits a title into lower-case words, reading "w/o" and "w/"
// as the words they are and splitting "musc/fasc/tend" and "anml-drn".
func abbrevWords(s string) []string {
	s = strings.ToLower(s)
	if strings.Contains(s, "w/") {
		s = slashForms.Replace(s + " ")
	}
	return strings.FieldsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '\'')
	})
}

// SortedAbbrevs lists a dictionary's keys in order, for stable output.
func SortedAbbrevs(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
