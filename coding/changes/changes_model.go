package changes

// Kind is what happened to a code.
type Kind string

// ICD-10-CM changes, from comparing two releases.
const (
	Added          Kind = "added"
	Deleted        Kind = "deleted"
	Revised        Kind = "revised" // long or short title
	BecameHeader   Kind = "became_header"
	BecameBillable Kind = "became_billable"
)

// HCPCS changes, from the action codes of one file.
const (
	Discontinued Kind = "discontinued"
	Changed      Kind = "changed"
	Reactivated  Kind = "reactivated"
)

// KindsOf lists the kinds of change a system has, in the order reports
// group them.
func kindsOf(hcpcs bool) []Kind {
	if hcpcs {
		return []Kind{Added, Discontinued, Changed, Reactivated}
	}
	return []Kind{Added, Deleted, Revised, BecameHeader, BecameBillable}
}

// Change is one code that changed. Titles are the newer release's, the
// older one's for a deleted code; Old* are set where they differ.
type Change struct {
	Change   Kind   `json:"change"`
	Code     string `json:"code"` // dotted for ICD-10-CM
	Kind     string `json:"kind"` // billable, header; procedure, modifier
	Title    string `json:"title"`
	Short    string `json:"short_title,omitempty"`
	OldKind  string `json:"old_kind,omitempty"`
	OldTitle string `json:"old_title,omitempty"`
	OldShort string `json:"old_short_title,omitempty"`
	// HCPCS: the action code, what it means, and its dates.
	Action        string `json:"action,omitempty"`
	ActionMeaning string `json:"action_meaning,omitempty"`
	Effective     string `json:"effective,omitempty"`
	Terminated    string `json:"terminated,omitempty"`
}

// Report is the change list between two releases (or of one HCPCS file).
type Report struct {
	System string `json:"system"`
	From   string `json:"from,omitempty"` // release ID; "" for HCPCS
	To     string `json:"to"`
	// FromName and ToName are the releases as people say them.
	FromName string `json:"from_name,omitempty"`
	ToName   string `json:"to_name"`
	// Code is the subtree asked for, "" for all.
	Code string `json:"code,omitempty"`
	// Counts has every kind of the system, zero ones included.
	Counts  map[Kind]int `json:"counts"`
	Addenda *Addenda     `json:"addenda_counts,omitempty"`
	Changes []Change     `json:"changes"`
}

// Addenda counts the changes the way CMS's order-file addenda summarise
// them: billable codes and headers apart, a code that turned from billable
// to header counted as a code deleted and a header added.
type Addenda struct {
	Codes   Tally `json:"codes"`
	Headers Tally `json:"headers"`
}

// Tally is one block of the addenda summary.
type Tally struct {
	Additions  int `json:"additions"`
	Deletions  int `json:"deletions"`
	Revisions  int `json:"revisions"`
	BothTitles int `json:"revisions_both_titles"`
	LongOnly   int `json:"revisions_long_title_only"`
	ShortOnly  int `json:"revisions_short_title_only"`
}
