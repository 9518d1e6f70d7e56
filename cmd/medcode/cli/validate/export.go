package validate

import (
	"io"

	"github.com/medcode/medcode/coding/validate"

	"github.com/medcode/medcode/cmd/medcode/cli/iostreams"
)

// Render writes a report as validate prints it, so browse's tray shows
// findings exactly as validate reports them.
func Render(w io.Writer, st iostreams.Styles, rep *validate.Report) { render(w, st, rep) }
