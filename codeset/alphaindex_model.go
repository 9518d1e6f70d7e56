package codeset

// IndexBook tells which of the CDC index files a term came from.
type IndexBook string

const (
	BookDiseases      IndexBook = "index"    // Alphabetic Index to Diseases and Injuries
	BookExternalCause IndexBook = "eindex"   // External Cause of Injuries Index
	BookDrugs         IndexBook = "drug"     // Table of Drugs and Chemicals
	BookNeoplasms     IndexBook = "neoplasm" // Neoplasm Table
)

// IndexTerm is one entry of an alphabetic index or table, flattened: Path
// holds the main term and every subterm down to this one, so a reader can
// print "Diabetes, diabetic > with > chronic kidney disease" without the tree.
type IndexTerm struct {
	Book IndexBook
	// Path is the titles from the main term down to this term, without the
	// nonessential modifiers.
	Path []string
	// Nemod holds the nonessential modifiers of each level of Path, same
	// length as Path ("" where a level has none), without the parentheses.
	Nemod []string
	// Code is the code the term leads to, dotted as printed in the book
	// ("E11.9", "C79.8-"); empty for a term that only points elsewhere.
	Code string
	// Manif is the manifestation code printed in brackets after Code.
	Manif string
	// See and SeeAlso are cross references ("Maltreatment", "condition").
	See     string
	SeeAlso string
	// SeeCat and SubCat are "see category" and "see subcategory" references.
	SeeCat string
	SubCat string
	// Column is the table column heading a table cell came from ("Malignant
	// Primary", "Adverse effect"); empty outside the drug and neoplasm tables.
	Column string
}

// Index is a parsed index or table file.
type Index struct {
	Book    IndexBook
	Version string // the <version> element, e.g. "2017"
	// Headings are the table column headings by column number (2..7); nil
	// for the alphabetic indexes.
	Headings map[int]string
	Terms    []IndexTerm
	// MainTerms counts the mainTerm elements, for the load report.
	MainTerms int
}
