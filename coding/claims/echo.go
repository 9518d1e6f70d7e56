package claims

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Claim files hold patient data, and a damaged one can hold anything: a
// message or output field quotes at most maxEcho bytes of it, and only of
// the record it is about.

// maxEcho is the most of the input a message or field repeats.
const maxEcho = 40

// excerpt is s as a message may quote it: at most maxEcho bytes, cut at a
// character boundary with "..." to mark the cut, and anything that is not
// printable text (control characters, broken UTF-8) shown as '?'.
func excerpt(s string) string {
	cut := false
	if len(s) > maxEcho {
		n := maxEcho
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		s, cut = s[:n], true
	}
	if !printable(s) {
		s = strings.Map(func(r rune) rune {
			if r == utf8.RuneError || !unicode.IsPrint(r) {
				return '?'
			}
			return r
		}, s)
	}
	if cut {
		s += "..."
	}
	return s
}

// printable: valid UTF-8 of printable characters only.
func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < ' ' || c == 0x7f {
			return false
		}
		if c >= utf8.RuneSelf {
			for _, r := range s[i:] {
				if r == utf8.RuneError || !unicode.IsPrint(r) {
					return false
				}
			}
			return true
		}
	}
	return true
}

// maxID bounds a claim id: X12 allows 38 characters (CLM01).
const maxID = maxEcho

// claimIDProblem says why a claim id cannot be one, or "".
func claimIDProblem(id string) string {
	switch {
	case len(id) > maxID:
		return "the claim id is longer than 40 characters"
	case !printable(id):
		return "the claim id holds characters that are not text"
	}
	return ""
}
