package suggest

import (
	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/coding"
	"github.com/medcode/medcode/coding/lookup"
)

// Options are the knobs of Suggest.
type Options struct {
	// System limits suggestions to one code system; "" searches all.
	System codeset.System
	Limit  int
	// Billable keeps only codes that can go on a claim.
	Billable bool
	// Encounter picks the 7th character where the definitions use it:
	// "initial", "subsequent" or "sequela"; "" leaves the choice open.
	Encounter string
	coding.Pick
}

// Suggestion is one ranked code. Field names are part of the JSON output.
type Suggestion struct {
	Code     string         `json:"code"`
	System   codeset.System `json:"system"`
	Title    string         `json:"title"`
	Billable bool           `json:"billable"`
	Score    float64        `json:"score"`
	// Why names the text that matched: the index entry, title, inclusion
	// term or synonym.
	Why string `json:"why"`
	// Completions are the valid 7th-character codes of a code that needs
	// one, when the query did not say which encounter it is.
	Completions []lookup.Brief `json:"completions,omitempty"`
	// LowConfidence marks a code offered though it says little of the
	// query: no code said enough, and every word of it is one the books
	// use.
	LowConfidence bool `json:"low_confidence,omitempty"`
}

// Result is the answer to one query.
type Result struct {
	Query   string       `json:"query"`
	Results []Suggestion `json:"results"`
	// NotFound is true when nothing matched well enough to offer.
	NotFound bool     `json:"not_found,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
}
