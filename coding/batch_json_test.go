package coding

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestAppendJSONMatchesEncodingJSON: the hand-written encoder must write
// exactly what encoding/json writes, so scripts see one format.
func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	odd := "tab\tquote\" back\\ nl\n cr\r bell\x07 é ✓ <&> \u2028\u2029 bad\xff end"
	results := []*BatchResult{
		{Seq: 1, Source: "a.csv", Position: "line 2", ClaimID: "C1", Status: StatusOK, Findings: []Finding{}},
		{Seq: 2, Source: odd, Position: "segment 9", ClaimID: odd, Status: StatusUnreadable, Reason: odd, Findings: []Finding{}},
		{Seq: 3, Source: "-", Status: StatusFindings, Errors: 1, Infos: 1, Findings: []Finding{
			{Rule: "excludes1", Severity: SeverityError, Codes: []string{"E11.9", "E10.9"}, Message: odd, Source: odd},
			{Rule: "dx-release", Severity: SeverityWarning, Message: "m"},
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
