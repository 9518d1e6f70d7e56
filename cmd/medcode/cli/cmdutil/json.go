package cmdutil

import (
	"encoding/json"
	"io"
)

// WriteJSON writes v as indented JSON with a final newline. Field order is
// the struct order, so output is stable across runs.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
