package cmdutil

import (
	"errors"
	"fmt"
)

// Exit codes, documented in `medcode --help`.
const (
	ExitOK       = 0 // clean
	ExitFindings = 1 // findings at error severity, or a code not found
	ExitUsage    = 2 // usage or input failure
)

// ExitError carries an exit code out of a command. Findings are data, not
// errors, so a command that found them returns SilentExit(ExitFindings).
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// SilentExit ends the command with a code and no message.
func SilentExit(code int) error { return &ExitError{Code: code} }

// FlagError marks a usage mistake; Run prints it with a pointer to --help.
type FlagError struct{ Err error }

func (e *FlagError) Error() string { return e.Err.Error() }
func (e *FlagError) Unwrap() error { return e.Err }

// FlagErrorf builds a FlagError.
func FlagErrorf(format string, args ...any) error {
	return &FlagError{Err: fmt.Errorf(format, args...)}
}

// IsFlagError reports whether err is a usage mistake.
func IsFlagError(err error) bool {
	var fe *FlagError
	return errors.As(err, &fe)
}
