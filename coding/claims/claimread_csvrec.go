package claims

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// csvRecords splits delimited text into records as encoding/csv does with
// LazyQuotes (a quote inside a field is kept as is), and stands in for it
// because, at batch speed, its bookkeeping and a string per record were a
// sixth of reading a claim. Here a record's fields and its position
// ("line 12") share one string.
//
// Unlike encoding/csv it resynchronises: a quoted field may run over line
// breaks, as RFC 4180 allows, but over at most maxSpanLines lines and never
// past the end of the input. A quote that does not close within that makes
// its first line an unreadable record, and reading goes on with the line
// after it, which is read again: one stray quote costs one record, not the
// rest of the file. A line longer than maxLineBytes is one unreadable
// record too, and is never held whole.
type csvRecords struct {
	br    *bufio.Reader
	delim []byte // the delimiter, encoded
	line  int    // lines read, less those pushed back
	raw   []byte // a line longer than the read buffer
	long  bool   // the last line read was longer than maxLineBytes
	// back are lines pushed back, to read again, in order.
	back []csvLine
	// span are the lines after the first of the last record, copied, for
	// retract to push back.
	span      []csvLine
	first     int    // the last record's first line
	firstEnds int    // how many of its fields ended on its first line
	buf       []byte // the record being built: its fields, then its position
	ends      []int  // where each field ends in buf
	fields    []string
	blank     int   // blank lines skipped
	spanBytes int   // the size of span
	err       error // a read error met inside a quoted field, for the next read
}

// csvLine is a line pushed back: its text, or that it was too long to keep.
type csvLine struct {
	text []byte
	long bool
}

const (
	// maxSpanLines is how many lines one record may run over, and
	// maxSpanBytes how much text.
	maxSpanLines = 64
	maxSpanBytes = 1 << 20
	// maxLineBytes bounds a line: longer, it is an unreadable record.
	maxLineBytes = 1 << 20
)

var errCSVDelim = errors.New("csv: invalid field or comment delimiter")

func newCSVRecords(br *bufio.Reader, delim rune) (*csvRecords, error) {
	if delim == 0 || delim == '"' || delim == '\r' || delim == '\n' || !utf8.ValidRune(delim) || delim == utf8.RuneError {
		return nil, errCSVDelim
	}
	return &csvRecords{br: br, delim: utf8.AppendRune(nil, delim)}, nil
}

// readLine reads a line, its "\r\n" ending read as "\n" and a "\r" before
// the end of the input dropped. A line longer than maxLineBytes is read to
// its end but comes back empty, with long set.
func (r *csvRecords) readLine() ([]byte, error) {
	r.long = false
	if len(r.back) > 0 {
		l := r.back[0]
		r.back[0] = csvLine{}
		r.back = r.back[1:]
		r.line++
		r.long = l.long
		return l.text, nil
	}
	line, err := r.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		r.raw = append(r.raw[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = r.br.ReadSlice('\n')
			if len(r.raw) < maxLineBytes {
				r.raw = append(r.raw, line...)
			} else {
				r.long = true
			}
		}
		line = r.raw
	}
	if r.long {
		r.line++
		if err == io.EOF {
			err = nil // the long line is the last
		}
		return nil, err
	}
	if err == io.EOF {
		if len(line) == 0 {
			return nil, io.EOF
		}
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

// read returns the next record's fields, valid until the next call, its
// first and last lines, and "line N" or "lines N-M" for it. Blank lines are
// skipped. A record that cannot be read comes back with bad set, as one
// line, with the fields that ended on it. At the end of the input it
// returns io.EOF; any other error is one of reading.
func (r *csvRecords) read() (fields []string, line, last int, pos string, bad, err error) {
	if r.err != nil {
		return nil, 0, 0, "", nil, r.err
	}
	r.span, r.spanBytes = r.span[:0], 0
	var text []byte
	var errRead error
	for {
		text, errRead = r.readLine()
		if errRead == nil && !r.long && len(text) == csvLenNL(text) {
			r.blank++
			continue
		}
		break
	}
	if errRead != nil {
		return nil, 0, 0, "", nil, errRead
	}
	line = r.line
	r.first, r.firstEnds = line, -1
	r.buf, r.ends = r.buf[:0], r.ends[:0]
	if r.long {
		return r.finish(line, line, fmt.Errorf("the line is longer than %d MiB", maxLineBytes>>20))
	}
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
			if i >= 0 {
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
				continue
			}
			// The line ends inside the quotes.
			r.buf = append(r.buf, text...)
			if r.firstEnds < 0 {
				r.firstEnds = len(r.ends)
			}
			if why := r.more(&text); why != nil {
				r.retract()
				r.ends = r.ends[:r.firstEnds]
				return r.finish(line, line, why)
			}
		}
	}
	return r.finish(line, line+len(r.span), nil)
}

// more reads the next line of a quoted field into text, or says why the
// field cannot go on: the input ends, a line is too long, or the record
// would run over too many lines.
func (r *csvRecords) more(text *[]byte) error {
	if len(r.span) == maxSpanLines-1 || r.spanBytes > maxSpanBytes {
		return fmt.Errorf("a quoted field opens on this line and does not close within %d lines", len(r.span)+1)
	}
	t, err := r.readLine()
	switch {
	case err == io.EOF:
		return errors.New("a quoted field opens on this line and the input ends before it closes")
	case err != nil:
		r.err = err // the next read reports it
		return errors.New("a quoted field opens on this line and reading failed before it closes")
	case r.long:
		r.span = append(r.span, csvLine{long: true})
		return fmt.Errorf("a quoted field opens on this line and runs into a line longer than %d MiB", maxLineBytes>>20)
	}
	r.span = append(r.span, csvLine{text: append([]byte(nil), t...)})
	r.spanBytes += len(t)
	*text = t
	return nil
}

func (r *csvRecords) finish(line, last int, bad error) ([]string, int, int, string, error, error) {
	n := len(r.buf)
	if last > line {
		r.buf = strconv.AppendInt(append(r.buf, "lines "...), int64(line), 10)
		r.buf = strconv.AppendInt(append(r.buf, '-'), int64(last), 10)
	} else {
		r.buf = strconv.AppendInt(append(r.buf, "line "...), int64(line), 10)
	}
	s := string(r.buf)
	r.fields = r.fields[:0]
	start := 0
	for _, end := range r.ends {
		r.fields = append(r.fields, s[start:end])
		start = end
	}
	return r.fields, line, last, s[n:], bad, nil
}

// retract takes back the lines of the last record after its first, to be
// read again, and returns how many of its fields ended on its first line;
// -1 when the record was one line.
func (r *csvRecords) retract() int {
	if len(r.span) == 0 {
		return -1
	}
	r.back = append(append([]csvLine(nil), r.span...), r.back...)
	r.line -= len(r.span)
	r.span = r.span[:0]
	return r.firstEnds
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
