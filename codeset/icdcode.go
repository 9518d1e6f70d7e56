package codeset

import (
	"fmt"
	"strings"
)

// NormalizeICD turns what a coder types ("e11.9", "E119", " S72.001A ")
// into the undotted upper-case form the official files use ("E119").
// It rejects anything that cannot be an ICD-10-CM code, naming the first
// offending character, so a typo is never looked up as a different code.
func NormalizeICD(s string) (string, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return "", fmt.Errorf("empty code")
	}
	var b strings.Builder
	dots := 0
	for i, r := range in {
		switch {
		case r == '.':
			dots++
			if dots > 1 || b.Len() != 3 {
				return "", fmt.Errorf("invalid ICD-10-CM code %q: misplaced '.' at position %d", s, i+1)
			}
			continue
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		default:
			return "", fmt.Errorf("invalid ICD-10-CM code %q: unexpected character %q", s, r)
		}
		b.WriteRune(r)
	}
	code := b.String()
	if err := checkICDShape(code); err != nil {
		return "", fmt.Errorf("invalid ICD-10-CM code %q: %v", s, err)
	}
	return code, nil
}

func checkICDShape(code string) error {
	if len(code) < 3 {
		return fmt.Errorf("too short: a code has at least 3 characters")
	}
	if len(code) > 7 {
		return fmt.Errorf("too long: a code has at most 7 characters")
	}
	// The second character is a digit in every category but the QA0 block
	// added in FY2026, so only the first is checked.
	if code[0] < 'A' || code[0] > 'Z' {
		return fmt.Errorf("must start with a letter")
	}
	// The files' fixed-width code fields are space-padded; a space or
	// other byte inside one is a damaged record, not part of a code.
	for i := 1; i < len(code); i++ {
		if c := code[i]; (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return fmt.Errorf("unexpected character %q at position %d", c, i+1)
		}
	}
	return nil
}

// LooksLikeICD reports whether s has the shape of an ICD-10-CM code, dotted
// or not. It does not say the code exists.
func LooksLikeICD(s string) bool {
	_, err := NormalizeICD(s)
	return err == nil
}

// DotICD inserts the dot after the category ("E119" -> "E11.9").
func DotICD(code string) string {
	if len(code) <= 3 || strings.Contains(code, ".") {
		return code
	}
	return code[:3] + "." + code[3:]
}

// UndotICD removes the dot and upper-cases; it does no validation, for codes
// taken from the official files that are known to be well formed.
func UndotICD(code string) string {
	return strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(code), ".", ""))
}

// ICDParent is the code one character shorter, or "" for a category.
func ICDParent(code string) string {
	if len(code) <= 3 {
		return ""
	}
	return code[:len(code)-1]
}
