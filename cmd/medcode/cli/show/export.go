package show

import (
	"io"

	"github.com/medcode/medcode/coding/lookup"

	"github.com/medcode/medcode/cmd/medcode/cli/iostreams"
)

// Render writes views as show prints them, unwrapped, so browse's detail
// pane says exactly what show says and wraps it to the pane itself.
func Render(w io.Writer, st iostreams.Styles, views []*lookup.CodeView) { render(w, st, 0, views) }
