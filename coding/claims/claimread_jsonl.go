package claims

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// JSON Lines: one claim object per line, blank lines skipped:
//
//	{"id":"C1","date":"2026-03-02","age":67,"sex":"F","dx":["E11.9","I10"],"px":[{"code":"J1100","units":2,"modifiers":["LT"]}]}
//
// id may also be "claim_id" and a number; birth_date may stand for age;
// dx may be one string of codes ("E11.9;I10"); a px line may be a string
// "J1100x2:LT", and px one string of such lines. Other fields are ignored.

type jsonlClaimReader struct {
	br     *bufio.Reader
	source string
	line   int
	seq    int
	buf    []byte
	long   bool // the last line was longer than maxLineBytes
	blank  int
}

func (r *jsonlClaimReader) tally() Tally { return Tally{Lines: r.line, Skipped: r.blank} }

func newJSONLClaimReader(br *bufio.Reader, source string) *jsonlClaimReader {
	return &jsonlClaimReader{br: br, source: source}
}

// jsonlWire is the wire form of a claim line.
type jsonlWire struct {
	ID        jsonlText  `json:"id"`
	ClaimID   jsonlText  `json:"claim_id"`
	Date      string     `json:"date"`
	Age       *int       `json:"age"`
	BirthDate string     `json:"birth_date"`
	Sex       string     `json:"sex"`
	Dx        jsonlCodes `json:"dx"`
	Px        jsonlPxs   `json:"px"`
}

// jsonlText is a string, or a number taken as written.
type jsonlText string

func (t *jsonlText) UnmarshalJSON(b []byte) error {
	if err := t.unmarshal(b); err != nil {
		return fmt.Errorf("id: %w", err)
	}
	return nil
}

func (t *jsonlText) unmarshal(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = jsonlText(s)
		return nil
	}
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	if _, err := strconv.ParseFloat(string(b), 64); err != nil {
		return errors.New("want a string or a number")
	}
	*t = jsonlText(b)
	return nil
}

// jsonlCodes is a list of strings, or one string of codes.
type jsonlCodes []string

func (c *jsonlCodes) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("dx: %w", err)
		}
		*c = claimSplit(s, nil)
		return nil
	}
	var l []string
	if err := json.Unmarshal(b, &l); err != nil {
		return errors.New("dx: want a list of codes")
	}
	*c = l
	return nil
}

// jsonlPxs is a list of lines, each an object or a string, or one string of
// lines.
type jsonlPxs struct {
	lines  []Procedure
	noCode []LineWithoutCode
}

type jsonlPx struct {
	Code      string   `json:"code"`
	Units     *int     `json:"units"`
	Modifiers []string `json:"modifiers"`
}

func (ps *jsonlPxs) UnmarshalJSON(b []byte) error {
	if err := ps.unmarshal(b); err != nil {
		return fmt.Errorf("px: %w", err)
	}
	return nil
}

func (ps *jsonlPxs) unmarshal(b []byte) error {
	var items []json.RawMessage
	switch {
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		for _, l := range claimSplit(s, nil) {
			p, err := ParseProcedure(l)
			if err != nil {
				return err
			}
			ps.lines = append(ps.lines, p)
		}
		return nil
	case bytes.Equal(b, []byte("null")):
		return nil
	}
	if err := json.Unmarshal(b, &items); err != nil {
		return errors.New("want a list of service lines")
	}
	out := make([]Procedure, 0, len(items))
	for i, it := range items {
		if len(it) > 0 && it[0] == '"' {
			var s string
			if err := json.Unmarshal(it, &s); err != nil {
				return err
			}
			p, err := ParseProcedure(s)
			if err != nil {
				return fmt.Errorf("line %d: %w", i+1, err)
			}
			out = append(out, p)
			continue
		}
		var jp jsonlPx
		if err := json.Unmarshal(it, &jp); err != nil {
			return fmt.Errorf("line %d: want \"J1100x2:LT\" or {\"code\":\"J1100\",\"units\":2,\"modifiers\":[\"LT\"]}", i+1)
		}
		if strings.TrimSpace(jp.Code) == "" {
			l := LineWithoutCode{Where: "px line " + strconv.Itoa(i+1), Units: 1}
			if jp.Units != nil {
				if *jp.Units < 0 {
					return fmt.Errorf("line %d: invalid units %d: want 0 or more", i+1, *jp.Units)
				}
				l.Units = *jp.Units
			}
			ps.noCode = append(ps.noCode, l)
			continue
		}
		p, err := ParseProcedure(jp.Code)
		if err != nil {
			return fmt.Errorf("line %d: %w", i+1, err)
		}
		if jp.Units != nil {
			if *jp.Units < 1 {
				return fmt.Errorf("line %d: invalid units %d: want 1 or more", i+1, *jp.Units)
			}
			p.Units = *jp.Units
		}
		for _, s := range jp.Modifiers {
			m, err := claimModifier(s)
			if err != nil {
				return fmt.Errorf("line %d: %w", i+1, err)
			}
			p.Modifiers = append(p.Modifiers, m)
		}
		out = append(out, p)
	}
	ps.lines = out
	return nil
}

// readLine returns the next line without its line break, or io.EOF. The
// line is valid until the next call. A line longer than maxLineBytes is
// read to its end, but comes back empty with long set.
func (r *jsonlClaimReader) readLine() ([]byte, error) {
	r.buf, r.long = r.buf[:0], false
	for {
		b, err := r.br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			if len(r.buf) < maxLineBytes {
				r.buf = append(r.buf, b...)
			} else {
				r.long = true
			}
			continue
		}
		if r.long {
			if err != nil && err != io.EOF {
				return nil, err
			}
			r.line++
			return nil, nil
		}
		if len(r.buf) > 0 {
			r.buf = append(r.buf, b...)
			b = r.buf
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		if err == io.EOF && len(b) == 0 {
			return nil, io.EOF
		}
		r.line++
		return bytes.TrimRight(b, "\r\n"), nil
	}
}

func (r *jsonlClaimReader) Next() (*Record, error) {
	for {
		b, err := r.readLine()
		if err == io.EOF {
			return nil, io.EOF
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.source, err)
		}
		b = bytes.TrimSpace(b)
		if len(b) == 0 && !r.long {
			r.blank++
			continue
		}
		r.seq++
		rec := &Record{Seq: r.seq, Source: r.source, Pos: "line " + strconv.Itoa(r.line), First: r.line, Last: r.line}
		if r.long {
			rec.Err = fmt.Errorf("the line is longer than %d MiB", maxLineBytes>>20)
			return rec, nil
		}
		c, id, err := jsonlDecode(b)
		rec.ID = id
		if err != nil {
			rec.Err = err
		} else {
			rec.Claim = c
		}
		return rec, nil
	}
}

func jsonlDecode(b []byte) (*Claim, string, error) {
	var jc jsonlWire
	err := json.Unmarshal(b, &jc)
	id := string(jc.ID)
	if id == "" {
		id = string(jc.ClaimID)
	}
	id = strings.TrimSpace(id)
	if err != nil {
		return nil, id, jsonlErr(b, err)
	}
	c := &Claim{ID: id, Px: jc.Px.lines, NoCode: jc.Px.noCode}
	if jc.Date != "" {
		if c.Date, err = claimDate(jc.Date, claimDateLayouts); err != nil {
			return nil, id, fmt.Errorf("date: %w", err)
		}
	}
	switch {
	case jc.Age != nil:
		if *jc.Age < 0 || *jc.Age > claimMaxAge {
			return nil, id, fmt.Errorf("age: invalid age %d: want whole years from 0 to %d", *jc.Age, claimMaxAge)
		}
		c.Age = jc.Age
	case jc.BirthDate != "":
		birth, err := claimDate(jc.BirthDate, claimDateLayouts)
		if err != nil {
			return nil, id, fmt.Errorf("birth_date: %w", err)
		}
		a, err := claimAgeAt(birth, c.Date)
		if err != nil {
			return nil, id, fmt.Errorf("birth_date: %w", err)
		}
		c.Age = &a
	}
	if c.Sex, err = claimSex(jc.Sex); err != nil {
		return nil, id, fmt.Errorf("sex: %w", err)
	}
	if len(jc.Dx) > 0 {
		c.Dx = make([]string, len(jc.Dx))
		for i, s := range jc.Dx {
			if c.Dx[i], err = claimDx(s); err != nil {
				return nil, id, fmt.Errorf("dx: %w", err)
			}
		}
	}
	if err := claimNotEmpty(c); err != nil {
		return nil, id, err
	}
	return c, id, nil
}

// jsonlErr words a decoding error for a coder: which field, what it
// wanted.
func jsonlErr(b []byte, err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		if te.Field == "" {
			return fmt.Errorf("not a claim: want a JSON object, got %s", excerpt(te.Value))
		}
		return fmt.Errorf("%s: want %s, got %s", excerpt(te.Field), jsonlKind(te.Type.Kind().String()), excerpt(te.Value))
	case errors.As(err, &se):
		if b[0] != '{' {
			return fmt.Errorf("not JSON: %v", err)
		}
		if bytes.Count(b, []byte("{")) > bytes.Count(b, []byte("}")) {
			return fmt.Errorf("not JSON: %v (JSON Lines wants each claim whole on one line)", err)
		}
		return fmt.Errorf("not JSON: %v", err)
	case err.Error() == "unexpected end of JSON input":
		return fmt.Errorf("not JSON: %v (JSON Lines wants each claim whole on one line)", err)
	}
	// The custom decoders' errors name the field.
	return errors.New(strings.TrimPrefix(err.Error(), "json: "))
}

func jsonlKind(k string) string {
	switch k {
	case "int":
		return "a whole number"
	case "string":
		return "a string"
	case "slice":
		return "a list"
	case "struct":
		return "an object"
	}
	return k
}
