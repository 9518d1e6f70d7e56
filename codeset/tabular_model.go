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

// TabularSection is a block of categories ("E08-E13"), or a heading that
// groups the blocks after it ("C00-C96" over "C00-C75" over "C43-C44").
type TabularSection struct {
	ID    string // as printed: "E08-E13"
	First string // first category of the range
	Last  string // last category of the range
	Desc  string
	Notes Notes
	Diags []*TabularDiag
	// Within is the ID of the heading the section is printed under, ""
	// for a section directly under its chapter.
	Within string
}

// Categories are the categories the Tabular List prints in the section,
// which is what places a category: C4A is in C43-C44 though it sorts after
// C44, and D3A is its own block though D37-D48 spans it alphabetically.
func (s *TabularSection) Categories() []string {
	out := make([]string, len(s.Diags))
	for i, d := range s.Diags {
		out[i] = d.Code
	}
	return out
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

// spans reports whether another section's range lies inside this one's.
// Only headings are asked, and their ranges end in digits, so the letters
// of categories such as C7A compare as the Tabular List orders them.
func (s *TabularSection) spans(o *TabularSection) bool {
	return o.First >= s.First && o.Last <= s.Last
}
