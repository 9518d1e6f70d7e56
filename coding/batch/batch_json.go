package batch

import (
	"strconv"

	"github.com/medcode/medcode/coding/validate"
)

// AppendJSON appends the result as one line of JSON, byte for byte what
// encoding/json writes with HTML escaping off, at a fraction of the cost:
// at batch speed, reflection-based encoding was a fifth of the run.
func (r *Result) AppendJSON(b []byte) []byte {
	b = append(b, `{"seq":`...)
	b = strconv.AppendInt(b, int64(r.Seq), 10)
	b = append(b, `,"source":`...)
	b = validate.AppendJSONString(b, r.Source)
	b = append(b, `,"position":`...)
	b = validate.AppendJSONString(b, r.Position)
	b = append(b, `,"claim_id":`...)
	b = validate.AppendJSONString(b, r.ClaimID)
	b = append(b, `,"status":`...)
	b = validate.AppendJSONString(b, r.Status)
	if r.Reason != "" {
		b = append(b, `,"reason":`...)
		b = validate.AppendJSONString(b, r.Reason)
	}
	b = append(b, `,"errors":`...)
	b = strconv.AppendInt(b, int64(r.Errors), 10)
	b = append(b, `,"warnings":`...)
	b = strconv.AppendInt(b, int64(r.Warnings), 10)
	b = append(b, `,"infos":`...)
	b = strconv.AppendInt(b, int64(r.Infos), 10)
	b = append(b, `,"findings":`...)
	if r.Findings == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range r.Findings {
			if i > 0 {
				b = append(b, ',')
			}
			b = r.Findings[i].AppendJSON(b)
		}
		b = append(b, ']')
	}
	if len(r.NotChecked) > 0 {
		b = append(b, `,"not_checked":[`...)
		for i, rule := range r.NotChecked {
			if i > 0 {
				b = append(b, ',')
			}
			b = validate.AppendJSONString(b, rule)
		}
		b = append(b, ']')
	}
	return append(b, "}\n"...)
}
