package index

import (
	"github.com/medcode/medcode/codeset"
)

// Entry is everything stored about one code of one release.
type Entry struct {
	System   codeset.System `json:"system"`
	Release  string         `json:"release"`
	Code     string         `json:"code"` // undotted for ICD-10-CM
	Title    string         `json:"title"`
	Short    string         `json:"short_title,omitempty"`
	Billable bool           `json:"billable"`
	// Order is the order-file sequence number, which sorts codes as the
	// Tabular List prints them.
	Order int `json:"order,omitempty"`
	// Notes are the code's own Tabular notes (not its ancestors').
	Notes *codeset.Notes `json:"notes,omitempty"`
	// HCPCS holds the full record for HCPCS codes and modifiers.
	HCPCS *codeset.HCPCSRecord `json:"hcpcs,omitempty"`
}

// storedCode is what the codes bucket holds for an ICD-10-CM code; the
// notes live in their own bucket so a later Tabular load can replace them.
type storedCode struct {
	Title    string `json:"t"`
	Short    string `json:"s,omitempty"`
	Billable bool   `json:"b,omitempty"`
	Order    int    `json:"o,omitempty"`
}

// Term is an index or table entry that leads to a code, kept for search and
// for telling the user why a code was suggested.
type Term struct {
	Book   codeset.IndexBook `json:"book"`
	Text   string            `json:"text"`
	Column string            `json:"column,omitempty"`
	Manif  string            `json:"manif,omitempty"`
	// See is the entry this one refers to, for an entry that is only a
	// cross-reference ("Grippe - see Influenza").
	See string `json:"see,omitempty"`
}

// Chapter and Section give a code its place in the Tabular List.
type Chapter struct {
	Num      string        `json:"num"`
	Title    string        `json:"title"`
	Notes    codeset.Notes `json:"notes"`
	Sections []Section     `json:"sections"`
}

// Section is a block of categories, or a heading over blocks.
type Section struct {
	ID    string        `json:"id"`
	First string        `json:"first"`
	Last  string        `json:"last"`
	Title string        `json:"title"`
	Notes codeset.Notes `json:"notes"`
	// Within is the heading the section is printed under, "" for none.
	Within string `json:"within,omitempty"`
	// Categories are those the Tabular List prints in the section; a
	// heading has none.
	Categories []string `json:"categories,omitempty"`
}
