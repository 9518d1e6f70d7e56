package cmdutil

import (
	"fmt"

	"github.com/medcode/medcode/coding"
)

// ReleaseCounts says how big a loaded release is: head is the total
// ("98186 codes"), detail what it is made of ("74719 billable, 23467
// headers"), empty where the head says it all.
func ReleaseCounts(r *coding.ReleaseInfo) (head, detail string) {
	switch r.System {
	case "hcpcs":
		return fmt.Sprintf("%d codes", r.Codes), fmt.Sprintf("%d procedures, %d modifiers", r.Billable, r.Modifiers)
	case "ncci":
		return fmt.Sprintf("%d procedure-to-procedure edits, %d medically unlikely edits", r.PTPEdits, r.MUEEdits), ""
	case "mce":
		return fmt.Sprintf("%d ICD-10-CM diagnosis codes", r.Codes), fmt.Sprintf("%d dated rows of edit flags", r.MCERows)
	}
	return fmt.Sprintf("%d codes", r.Codes), fmt.Sprintf("%d billable, %d headers", r.Billable, r.Headers)
}

// HumanBytes is a size as people read it.
func HumanBytes(n int64) string { return coding.HumanBytes(n) }
