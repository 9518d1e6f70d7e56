package codeset

// System names a code system. The string values are part of the JSON output
// and must not change.
type System string

const (
	ICD10CM System = "icd10cm"
	HCPCS   System = "hcpcs"
	// NCCI holds the CMS edit tables (procedure-to-procedure pairs and
	// medically unlikely edits), published quarterly.
	NCCI System = "ncci"
	// MCE holds the Medicare Code Editor's diagnosis edit tables, one
	// version serving the dates its rows span.
	MCE System = "mce"
)
