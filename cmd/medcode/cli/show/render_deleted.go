package show

import (
	"fmt"
	"io"

	"github.com/medcode/medcode/cmd/medcode/cli/iostreams"
	"github.com/medcode/medcode/coding/lookup"
)

// renderDeleted says when a code was deleted and what replaces it.
func renderDeleted(w io.Writer, st iostreams.Styles, v *lookup.CodeView) {
	d := v.Deleted
	if d == nil {
		return
	}
	line(w, st, "deleted", st.Bad.Render(fmt.Sprintf("on %s: not valid for dates of service from then", d.Deleted)))
	if d.Unlisted > 0 {
		cont(w, fmt.Sprintf("%d codes that replace it are not in %s", d.Unlisted, d.Release))
	} else if len(d.Replacements) == 0 {
		cont(w, "no current code in "+d.Release+" replaces it")
	}
	for i, r := range d.Replacements {
		label := ""
		if i == 0 {
			label = "replaced by"
		}
		line(w, st, label, st.Code.Render(r.Code)+"  "+r.Title)
	}
	line(w, st, "source", st.Dim.Render(d.Source))
}
