package lookup

import (
	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/coding/changes"
)

// CodeView is everything `show` tells about one code. Field names are part of
// the JSON output and stay stable.
type CodeView struct {
	Input    string         `json:"input"`
	Found    bool           `json:"found"`
	System   codeset.System `json:"system,omitempty"`
	Release  string         `json:"release,omitempty"`
	Code     string         `json:"code,omitempty"`
	Title    string         `json:"title,omitempty"`
	Short    string         `json:"short_title,omitempty"`
	Billable bool           `json:"billable"`
	// Kind is "billable", "header", "modifier", "terminated" (an HCPCS
	// code past its last day) or "pattern" (a code with a trailing dash
	// that is no code itself: T75.3XX-).
	Kind string `json:"kind,omitempty"`
	// Pattern explains a pattern: the codes that complete it.
	Pattern string     `json:"pattern,omitempty"`
	Path    []PathStep `json:"path,omitempty"`
	Notes   []NoteView `json:"notes,omitempty"`
	// NotesMissing says why a code has no Tabular notes of its own.
	NotesMissing string   `json:"notes_missing,omitempty"`
	Seventh      *Seventh `json:"seventh_character,omitempty"`
	Children     []Brief  `json:"children,omitempty"`
	// Terms are Alphabetic Index and table entries that lead to the code.
	Terms []TermView `json:"index_terms,omitempty"`
	HCPCS *HCPCSView `json:"hcpcs,omitempty"`
	// Validity answers "could this code go on a claim for that date".
	Validity *Validity `json:"validity,omitempty"`
	// Deleted says when a code no longer valid was deleted and what
	// replaces it, from CDC's conversion table.
	Deleted *changes.Deletion `json:"deleted,omitempty"`
	// Problem says what is wrong with an input that is not a valid code.
	Problem string `json:"problem,omitempty"`
	// Nearest are the valid codes closest to an input that is not one, or
	// the billable codes under a header.
	Nearest      []Brief  `json:"nearest,omitempty"`
	NearestTotal int      `json:"nearest_total,omitempty"`
	Warnings     []string `json:"warnings,omitempty"`
}

// PathStep is one level of a code's place in the Tabular List.
type PathStep struct {
	// Level is chapter, heading (a section grouping blocks), block (the
	// section holding the category), category, subcategory or code.
	Level string `json:"level"`
	Code  string `json:"code"`
	Title string `json:"title"`
}

// From names the step as a note's level and origin do: "chapter 2",
// "block C43-C44", "category C4A".
func (p PathStep) From() string {
	if p.Level == "chapter" {
		return "chapter " + p.Code
	}
	return p.Level + " " + p.Code
}

// NoteView is one kind of instructional note, with the level it comes from.
type NoteView struct {
	Kind string `json:"kind"` // inclusion_terms, includes, excludes1, ...
	// Level is the path level the note is printed at (chapter, heading,
	// block, category, subcategory, code).
	Level string   `json:"level"`
	From  string   `json:"from"` // "E11", "E08-E13", "chapter 4"
	Text  []string `json:"text"`
}

// Seventh is the 7th-character rule that applies to a code.
type Seventh struct {
	From        string             `json:"from"`
	Chars       []codeset.SevenChr `json:"chars"`
	Placeholder bool               `json:"placeholder_x"`
	// Char and Meaning are set when the code already carries its 7th character.
	Char    string `json:"char,omitempty"`
	Meaning string `json:"meaning,omitempty"`
}

// Brief names a code in a list.
type Brief struct {
	System   codeset.System `json:"system"`
	Code     string         `json:"code"`
	Title    string         `json:"title"`
	Billable bool           `json:"billable"`
}

// TermView is an index entry leading to the code.
type TermView struct {
	Book   codeset.IndexBook `json:"book"`
	Text   string            `json:"text"`
	Column string            `json:"column,omitempty"`
	Manif  string            `json:"manifestation,omitempty"`
	See    string            `json:"see,omitempty"`
}

// HCPCSView spells out an HCPCS record for a coder.
type HCPCSView struct {
	Modifier        bool     `json:"modifier"`
	Pricing         []Coded  `json:"pricing,omitempty"`
	MultiPricing    *Coded   `json:"multiple_pricing,omitempty"`
	Coverage        *Coded   `json:"coverage,omitempty"`
	BETOS           *Coded   `json:"betos,omitempty"`
	TypeOfService   []Coded  `json:"type_of_service,omitempty"`
	ASCGroup        string   `json:"asc_group,omitempty"`
	ASCEffective    string   `json:"asc_effective,omitempty"`
	LabCert         []Coded  `json:"lab_certification,omitempty"`
	CrossReference  []string `json:"cross_reference,omitempty"`
	Statute         string   `json:"statute,omitempty"`
	CIM             []string `json:"coverage_issues_manual,omitempty"`
	MCM             []string `json:"carriers_manual,omitempty"`
	AnesBaseUnits   string   `json:"anesthesia_base_units,omitempty"`
	Added           string   `json:"added,omitempty"`
	ActionEffective string   `json:"action_effective,omitempty"`
	Terminated      string   `json:"terminated,omitempty"`
	Action          *Coded   `json:"action,omitempty"`
	ProcNote        *Coded   `json:"processing_note,omitempty"`
}

// Coded is a code of an administrative field with its meaning.
type Coded struct {
	Code    string `json:"code"`
	Meaning string `json:"meaning,omitempty"`
}

// Validity says whether a code could be reported on a date of service.
type Validity struct {
	Date  string `json:"date"`
	Valid bool   `json:"valid"`
	// Status is StatusValid, StatusNotValid, StatusDeleted or
	// StatusUnknown, worded alike for ICD-10-CM and HCPCS.
	Status string `json:"status"`
	Reason string `json:"reason"`
}

// The statuses of a Validity.
const (
	StatusValid    = "valid"
	StatusNotValid = "not valid"
	StatusDeleted  = "deleted"
	// StatusUnknown: no loaded release covers the date, so nothing is
	// known either way.
	StatusUnknown = "unknown"
)

// Refused reports whether the date's answer is a definite no.
func (v *Validity) Refused() bool {
	return v != nil && (v.Status == StatusNotValid || v.Status == StatusDeleted)
}
