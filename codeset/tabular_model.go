package codeset

// Notes are the instructional notes the Tabular List prints under a
// chapter, block or code. Field names are part of the JSON output.
type Notes struct {
	InclusionTerms []string   `json:"inclusion_terms,omitempty"`
	Includes       []string   `json:"includes,omitempty"`
	Excludes1      []string   `json:"excludes1,omitempty"`
	Excludes2      []string   `json:"excludes2,omitempty"`
	CodeFirst      []string   `json:"code_first,omitempty"`
	UseAdditional  []string   `json:"use_additional_code,omitempty"`
	CodeAlso       []string   `json:"code_also,omitempty"`
	Notes          []string   `json:"notes,omitempty"`
	SevenChrNote   []string   `json:"seventh_character_note,omitempty"`
	SevenChr       []SevenChr `json:"seventh_characters,omitempty"`
}

// SevenChr is one 7th-character definition ("A": "initial encounter").
type SevenChr struct {
	Char    string `json:"char"`
	Meaning string `json:"meaning"`
}

// Empty reports whether no note of any kind is present.
func (n *Notes) Empty() bool {
	return len(n.InclusionTerms)+len(n.Includes)+len(n.Excludes1)+len(n.Excludes2)+
		len(n.CodeFirst)+len(n.UseAdditional)+len(n.CodeAlso)+len(n.Notes)+
		len(n.SevenChrNote)+len(n.SevenChr) == 0
}

// TabularDiag is a category, subcategory or code of the Tabular List.
type TabularDiag struct {
	Code     string // undotted
	Desc     string
	Notes    Notes
	Children []*TabularDiag
}

// TabularSection is a block of categories ("E08-E13").
type TabularSection struct {
	ID    string // as printed: "E08-E13"
	First string // first category of the range
	Last  string // last category of the range
	Desc  string
	Notes Notes
	Diags []*TabularDiag
}

// TabularChapter is one of the 22 chapters.
type TabularChapter struct {
	Num      string
	Desc     string
	Notes    Notes
	Sections []*TabularSection
}

// Tabular is a parsed Tabular List XML file.
type Tabular struct {
	Version  string
	Chapters []*TabularChapter
	// Diags counts every diag element, for the load report.
	Diags int
}

// Contains reports whether a category ("E11") falls in the section's range.
func (s *TabularSection) Contains(category string) bool {
	if len(category) > 3 {
		category = category[:3]
	}
	return category >= s.First && category <= s.Last
}
