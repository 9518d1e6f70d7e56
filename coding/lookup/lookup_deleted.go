package lookup

import (
	"time"

	"github.com/medcode/medcode/coding"
	"github.com/medcode/medcode/coding/changes"
)

// addDeletion tells, for a code that is not valid, when the conversion
// table says it was deleted and which current codes replace it. Before
// the deletion date it says nothing: the code was valid then.
func addDeletion(cb *coding.Codebook, v *CodeView, code string, date time.Time) error {
	d, err := changes.Find(cb, code)
	if err != nil || !d.In(date) {
		return err
	}
	v.Deleted = d
	return nil
}
