package claims

import (
	"errors"
	"fmt"
	"io"
)

// Tally is how much of a claim file a reader has read, so that a run can
// show every line accounted for: each line read is in exactly one record
// or is Skipped.
type Tally struct {
	Lines    int `json:"lines"`              // lines read (CSV, JSON Lines)
	Segments int `json:"segments,omitempty"` // segments read (X12)
	// Skipped lines are in no record: a CSV header, blank lines.
	Skipped int `json:"skipped_lines"`
	Records int `json:"records"` // records handed out, unreadable ones included
}

// Add adds another file's tally.
func (t *Tally) Add(o Tally) {
	t.Lines += o.Lines
	t.Segments += o.Segments
	t.Skipped += o.Skipped
	t.Records += o.Records
}

// Tallier is a reader that says how much it has read.
type Tallier interface {
	Tally() Tally
}

// ErrNoClaims is the end of a claim file that holds no record at all:
// empty, blank, or a header alone.
var ErrNoClaims = errors.New("no claims")

// checkedReader is what NewReader returns: it holds every format to the
// rules no record may break. A file without any record is an error (a
// batch over it would pass in silence), and a claim id must be short text,
// so that no output field carries more than an excerpt of the input.
type checkedReader struct {
	r      Reader
	source string
	n      int
	count  func() Tally
}

func (c *checkedReader) Next() (*Record, error) {
	rec, err := c.r.Next()
	if err == io.EOF && c.n == 0 {
		return nil, fmt.Errorf("%w in %s", ErrNoClaims, c.source)
	}
	if err != nil {
		return nil, err
	}
	c.n++
	if p := claimIDProblem(rec.ID); p != "" {
		rec.ID = excerpt(rec.ID)
		if rec.Err == nil {
			rec.Err = errors.New(p)
		}
		rec.Claim = nil
	}
	return rec, nil
}

// Tally is the reader's count of lines and segments, with the records
// handed out.
func (c *checkedReader) Tally() Tally {
	t := Tally{}
	if c.count != nil {
		t = c.count()
	}
	t.Records = c.n
	return t
}

func (c *checkedReader) CutFrom(m *ClaimSlabs) {
	if sr, ok := c.r.(SlabReader); ok {
		sr.CutFrom(m)
	}
}
