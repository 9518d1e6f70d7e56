package suggest

import (
	"time"

	"github.com/medcode/medcode/coding/changes"
	"github.com/medcode/medcode/index"
)

// notDeleted wraps a liveness test so that a billable ICD-10-CM code the
// conversion table says was deleted by the date of service is not offered,
// which matters when the release answering is older than the date.
func (s *Suggester) notDeleted(live func(*index.Entry) bool, date time.Time) func(*index.Entry) bool {
	if date.IsZero() {
		return live
	}
	return func(e *index.Entry) bool {
		if !live(e) {
			return false
		}
		if e.HCPCS != nil || !e.Billable {
			return true
		}
		// A failed read offers the code: the release answering has it.
		d, err := changes.Find(s.cb, e.Code)
		return err != nil || !d.In(date)
	}
}
