package codeset

import "fmt"

// LineError locates a parse error in a source file so that a user can open
// the file at the offending line. Parsers wrap it with their own prefix;
// callers find it with errors.As.
type LineError struct {
	File string
	Line int // 1-based; 0 when the error concerns the file as a whole
	Err  error
}

func (e *LineError) Error() string {
	if e.Line <= 0 {
		return fmt.Sprintf("%s: %v", e.File, e.Err)
	}
	return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
}

func (e *LineError) Unwrap() error { return e.Err }
