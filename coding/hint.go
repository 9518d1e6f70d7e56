package coding

import (
	"errors"
	"fmt"

	"github.com/medcode/medcode/index"
)

// Error is a failure the user can act on: Err says what went wrong, Hint
// what to do about it. A hint names the commands and flags it suggests as
// placeholders, such as {pull} or {catalog}, that the CLI words: the
// domain knows what can be done, not how the CLI spells it.
type Error struct {
	Err  error
	Hint string
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an Error with a hint.
func Errorf(hint, format string, args ...any) error {
	return &Error{Err: fmt.Errorf(format, args...), Hint: hint}
}

// WithHint gives err a hint; nil stays nil.
func WithHint(err error, hint string) error {
	if err == nil {
		return nil
	}
	return &Error{Err: err, Hint: hint}
}

// HintOf is the hint of the outermost Error in err's chain.
func HintOf(err error) (string, bool) {
	var he *Error
	if errors.As(err, &he) {
		return he.Hint, true
	}
	// A release found damaged while it is read has one remedy, whichever
	// part of the domain was reading.
	if errors.Is(err, index.ErrDamaged) {
		return DamagedHint, true
	}
	return "", false
}

// The placeholders a hint may hold, each one thing the user can do.
const (
	DoLoad          = "{load}"           // load official files
	DoReplace       = "{replace}"        // load again, replacing a release
	DoInfo          = "{info}"           // list what is loaded
	DoPull          = "{pull}"           // fetch and load releases
	DoPullList      = "{pull-list}"      // list the catalogue's releases
	DoCatalog       = "{catalog}"        // give pull another catalogue
	DoMirror        = "{mirror}"         // pull from a mirror
	DoLicensed      = "{licensed}"       // try releases behind a licence page
	DoColumnMap     = "{column-map}"     // map a claim file's columns
	DoMirrorFlag    = "{mirror-flag}"    // the mirror option itself
	DoCatalogOption = "{catalog-option}" // the catalogue option itself
)
