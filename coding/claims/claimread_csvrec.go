package claims

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strconv"
	"unicode/utf8"
)

// csvRecords splits delimited text into records exactly as encoding/csv
// does with LazyQuotes (a quote inside a field is kept as is, and no record
// is malformed), and stands in for it because, at batch speed, its
// bookkeeping and a string per record were a sixth of reading a claim.
// Here a record's fields and its position ("line 12") share one string.
type csvRecords struct {
	br     *bufio.Reader
	delim  []byte // the delimiter, encoded
	line   int    // lines read
	raw    []byte // a line longer than the read buffer
	buf    []byte // the record being built: its fields, then its position
	ends   []int  // where each field ends in buf
	fields []string
}

var errCSVDelim = errors.New("csv: invalid field or comment delimiter")

func newCSVRecords(br *bufio.Reader, delim rune) (*csvRecords, error) {
	if delim == 0 || delim == '"' || delim == '\r' || delim == '\n' || !utf8.ValidRune(delim) || delim == utf8.RuneError {
		return nil, errCSVDelim
	}
	return &csvRecords{br: br, delim: utf8.AppendRune(nil, delim)}, nil
}

// readLine reads a line, its "\r\n" ending read as "\n" and a "\r" before
// the end of the input dropped.
func (r *csvRecords) readLine() ([]byte, error) {
	line, err := r.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		r.raw = append(r.raw[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = r.br.ReadSlice('\n')
			r.raw = append(r.raw, line...)
		}
		line = r.raw
	}
	if len(line) > 0 && err == io.EOF {
		err = nil
		if line[len(line)-1] == '\r' {
			line = line[:len(line)-1]
		}
	}
	r.line++
	if n := len(line); n >= 2 && line[n-2] == '\r' && line[n-1] == '\n' {
		line[n-2] = '\n' // in the reader's buffer, past what it will read
		line = line[:n-1]
	}
	return line, err
}

// read returns the next record's fields, valid until the next call, the
// line it starts on, and "line N" for it. Blank lines are skipped. At the
// end of the input it returns io.EOF; any other error is one of reading.
func (r *csvRecords) read() (fields []string, line int, pos string, err error) {
	var text []byte
	var errRead error
	for errRead == nil {
		text, errRead = r.readLine()
		if errRead == nil && len(text) == csvLenNL(text) {
			text = nil
			continue
		}
		break
	}
	if errRead == io.EOF {
		return nil, 0, "", errRead
	}
	line = r.line
	r.buf, r.ends = r.buf[:0], r.ends[:0]
	delim := r.delim
field:
	for {
		if len(text) == 0 || text[0] != '"' {
			i := csvIndex(text, delim)
			f := text
			if i >= 0 {
				f = f[:i]
			} else {
				f = f[:len(f)-csvLenNL(f)]
			}
			r.buf = append(r.buf, f...)
			r.ends = append(r.ends, len(r.buf))
			if i >= 0 {
				text = text[i+len(delim):]
				continue field
			}
			break field
		}
		// A quoted field, which may run over several lines.
		text = text[1:]
		for {
			i := bytes.IndexByte(text, '"')
			switch {
			case i >= 0:
				r.buf = append(r.buf, text[:i]...)
				text = text[i+1:]
				switch {
				case len(text) > 0 && text[0] == '"': // "" is a quote
					r.buf = append(r.buf, '"')
					text = text[1:]
				case bytes.HasPrefix(text, delim):
					text = text[len(delim):]
					r.ends = append(r.ends, len(r.buf))
					continue field
				case csvLenNL(text) == len(text):
					r.ends = append(r.ends, len(r.buf))
					break field
				default: // a bare quote, kept
					r.buf = append(r.buf, '"')
				}
			case len(text) > 0:
				r.buf = append(r.buf, text...)
				if errRead != nil {
					break field
				}
				text, errRead = r.readLine()
				if errRead == io.EOF {
					errRead = nil
				}
			default: // the input ends inside the quotes
				r.ends = append(r.ends, len(r.buf))
				break field
			}
		}
	}
	n := len(r.buf)
	r.buf = strconv.AppendInt(append(r.buf, "line "...), int64(line), 10)
	s := string(r.buf)
	r.fields = r.fields[:0]
	start := 0
	for _, end := range r.ends {
		r.fields = append(r.fields, s[start:end])
		start = end
	}
	return r.fields, line, s[n:], errRead
}

func csvLenNL(b []byte) int {
	if len(b) > 0 && b[len(b)-1] == '\n' {
		return 1
	}
	return 0
}

func csvIndex(b, delim []byte) int {
	if len(delim) == 1 {
		return bytes.IndexByte(b, delim[0])
	}
	return bytes.Index(b, delim)
}
