package show

import (
	"io"

	"github.com/medcode/medcode/coding/lookup"

	"github.com/medcode/medcode/cmd/medcode/cli/iostreams"
)

// Render writes views as show prints them, so browse's detail pane says
// exactly what show says.
func Render(w io.Writer, st iostreams.Styles, views []*lookup.CodeView) { render(w, st, views) }
