package validate

// Severity grades a finding. The string values are part of the JSON output.
type Severity string

const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	SeverityInfo    Severity = "info"
)

func (s Severity) rank() int {
	switch s {
	case SeverityError:
		return 3
	case SeverityWarning:
		return 2
	case SeverityInfo:
		return 1
	}
	return 0
}

// AtLeast reports whether s is as severe as t.
func (s Severity) AtLeast(t Severity) bool { return s.rank() >= t.rank() }

// Finding is one problem an edit found on a claim. It is shared by every
// validator: single claims now, batch files later.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Codes    []string `json:"codes"`
	Message  string   `json:"message"`
	// Source is where the edit comes from: the note text, the rule pack and
	// its reference.
	Source string `json:"source,omitempty"`

	// enc is the finding's JSON, written once for findings that are cached
	// and reported again and again; copies share it, and a sealed finding
	// is never changed.
	enc []byte
}

// Sealed is the JSON of a cached finding, shared by all its copies, so
// that its first byte's address tells the copies of one finding apart
// from others; nil for a finding made for one claim.
func (f *Finding) Sealed() []byte { return f.enc }

// sealed returns the finding with its JSON written, for caching.
func sealed(f Finding) *Finding {
	f.enc = f.AppendJSON(nil)
	return &f
}

// Check is one edit that ran or could not run, so a report says what was
// checked instead of implying a silent pass.
type Check struct {
	Rule    string `json:"rule"`
	Checked bool   `json:"checked"`
	Note    string `json:"note,omitempty"`
}

// Report is the result of validating one claim.
type Report struct {
	Findings []Finding `json:"findings"`
	Checks   []Check   `json:"checks"`
	Errors   int       `json:"errors"`
	Warnings int       `json:"warnings"`
	Infos    int       `json:"infos"`
}

func (r *Report) add(f Finding) {
	r.Findings = append(r.Findings, f)
	switch f.Severity {
	case SeverityError:
		r.Errors++
	case SeverityWarning:
		r.Warnings++
	default:
		r.Infos++
	}
}
