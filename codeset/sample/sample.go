package sample

import "embed"

// Names of the files in FS.
const (
	OrderFile     = "icd10cm_order_2026.txt"
	TabularFile   = "icd10cm_tabular_2021.xml"
	HCPCSFile     = "HCPC2020_ANWEB_sample.txt"
	ProcNotesFile = "proc_notes_2020.txt"
)

// FS holds the sample files, at the top level.
//
//go:embed icd10cm_order_2026.txt icd10cm_tabular_2021.xml HCPC2020_ANWEB_sample.txt proc_notes_2020.txt
var FS embed.FS
