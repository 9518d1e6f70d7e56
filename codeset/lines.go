package codeset

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// errUnterminated marks a file whose last line has no line end. CMS and CDC
// end every record with CRLF, so a missing one means the file was cut off,
// usually by an interrupted download.
var errUnterminated = errors.New("file ends in the middle of a record (truncated download?)")

// maxLine is the longest line eachLine reads; official records are a few
// hundred bytes.
const maxLine = 256 * 1024

var errLongLine = errors.New("line longer than 256 KB: not a record of an official file")

// eachLine calls fn for every line without its CR/LF, numbering from 1. A
// last line without a line end is reported as errUnterminated after fn has
// seen it, so the caller's own, more specific complaint about it wins.
//
// A line longer than the reader's buffer is an error: no record of an
// official file comes near it, and holding it whole would let one damaged
// or hostile file take all memory.
func eachLine(r io.Reader, name string, fn func(line int, text string) error) error {
	br := bufio.NewReaderSize(r, maxLine)
	line := 0
	for {
		b, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			return &LineError{File: name, Line: line + 1, Err: errLongLine}
		}
		s := string(b)
		if s == "" && err == io.EOF {
			return nil
		}
		if err != nil && err != io.EOF {
			return &LineError{File: name, Line: line + 1, Err: err}
		}
		line++
		text := strings.TrimRight(s, "\r\n")
		if ferr := fn(line, text); ferr != nil {
			var le *LineError
			if errors.As(ferr, &le) {
				return ferr
			}
			return &LineError{File: name, Line: line, Err: ferr}
		}
		if err == io.EOF {
			return &LineError{File: name, Line: line, Err: errUnterminated}
		}
	}
}

func noRecords(name, what string) error {
	return fmt.Errorf("%s: no %s records found", name, what)
}
