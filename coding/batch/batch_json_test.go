package batch

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/medcode/medcode/coding/validate"
)

// TestAppendJSONMatchesEncodingJSON: the hand-written encoder must write
// exactly what encoding/json writes, so scripts see one format.
func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	odd := "tab\tquote\" back\\ nl\n cr\r bell\x07 é ✓ <&> \u2028\u2029 bad\xff end"
	results := []*Result{
		{Seq: 1, Source: "a.csv", Position: "line 2", ClaimID: "C1", Status: StatusOK, Findings: []validate.Finding{}},
		{Seq: 2, Source: odd, Position: "segment 9", ClaimID: odd, Status: StatusUnreadable, Reason: odd, Findings: []validate.Finding{}},
		{Seq: 3, Source: "-", Status: StatusFindings, Errors: 1, Infos: 1, Findings: []validate.Finding{
			{Rule: "excludes1", Severity: validate.SeverityError, Codes: []string{"E11.9", "E10.9"}, Message: odd, Source: odd},
			{Rule: "dx-release", Severity: validate.SeverityWarning, Message: "m"},
		}},
		{Seq: 4},
	}
	for _, r := range results {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(r); err != nil {
			t.Fatal(err)
		}
		if got := r.AppendJSON(nil); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("seq %d:\n got %s\nwant %s", r.Seq, got, want.Bytes())
		}
	}
}
