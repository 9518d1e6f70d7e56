package codeset

import "time"

// HCPCSRecord is one procedure or modifier record of the CMS alpha-numeric
// HCPCS file, with its continuation lines already folded into LongDesc.
type HCPCSRecord struct {
	Code       string // 5 characters for a procedure ("J1100"), 2 for a modifier ("LT")
	IsModifier bool
	Line       int // line number of the first (record id 3 or 7) line, 1-based
	Seq        string
	LongDesc   string
	ShortDesc  string
	// Pricing holds the one to four pricing indicator codes ("51", "32").
	Pricing         []string
	MultiPricing    string
	CIM             []string // coverage issues manual references
	MCM             []string // Medicare carriers manual references
	Statute         string
	LabCert         []string
	XRef            []string // cross reference codes
	Coverage        string
	ASCGroup        string
	ASCEffective    time.Time
	MOGGroup        string
	MOGPolicy       string
	MOGEffective    time.Time
	ProcNote        string
	BETOS           string
	TypeOfService   []string
	AnesBaseUnits   string
	Added           time.Time
	ActionEffective time.Time
	Terminated      time.Time // zero when not terminated
	Action          string
}

// HCPCSFile is a parsed alpha-numeric file.
type HCPCSFile struct {
	Year       int // the HCPCS year named in the disclaimer or file name; 0 if unknown
	Records    []HCPCSRecord
	Procedures int
	Modifiers  int
	// Lines counts every record line read (3, 4, 7 and 8), for the load report.
	Lines int
}

// ProcNotes maps a processing note number ("0002") to its text.
type ProcNotes map[string]string
