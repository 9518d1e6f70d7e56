package codeset

import (
	"errors"
	"strings"
	"testing"
)

// One endless line is refused at the reader's buffer, not held whole.
func TestEachLineRefusesEndlessLine(t *testing.T) {
	in := strings.NewReader("first\r\n" + strings.Repeat("x", 10<<20))
	n := 0
	err := eachLine(in, "f.txt", func(int, string) error { n++; return nil })
	var le *LineError
	if !errors.As(err, &le) || le.Line != 2 || !errors.Is(err, errLongLine) || n != 1 {
		t.Errorf("eachLine over a 10 MB line: %v after %d lines", err, n)
	}
}
