package show

import (
	"fmt"

	"github.com/medcode/medcode/coding/lookup"
)

// deleted says when a code was deleted and what replaces it.
func (p *printer) deleted(v *lookup.CodeView) {
	d := v.Deleted
	if d == nil {
		return
	}
	st := p.st
	if d.Confirmed {
		p.line("deleted", st.Bad.Render(fmt.Sprintf("on %s: not valid for dates of service from then", d.Deleted)))
	} else {
		p.line("not valid", st.Bad.Render(fmt.Sprintf("from %s: CDC's conversion table moves it to new codes then", d.Deleted)))
		p.cont("no release before then is loaded to show it was billable", 0)
	}
	if d.Unlisted > 0 {
		p.cont(fmt.Sprintf("%d codes that replace it are not in %s", d.Unlisted, d.Release), 0)
	} else if len(d.Replacements) == 0 {
		p.cont("no current code in "+d.Release+" replaces it", 0)
	}
	for i, r := range d.Replacements {
		label := ""
		if i == 0 {
			label = "replaced by"
		}
		p.hang("  "+st.Label.Render(pad(label))+" "+st.Code.Render(r.Code)+"  ", r.Title, 0)
	}
	p.line("source", st.Dim.Render(d.Source))
}
