package coding

import (
	"strconv"
	"unicode/utf8"
)

// AppendJSON appends the result as one line of JSON, byte for byte what
// encoding/json writes with HTML escaping off, at a fraction of the cost:
// at batch speed, reflection-based encoding was a fifth of the run.
func (r *BatchResult) AppendJSON(b []byte) []byte {
	b = append(b, `{"seq":`...)
	b = strconv.AppendInt(b, int64(r.Seq), 10)
	b = append(b, `,"source":`...)
	b = appendJSONString(b, r.Source)
	b = append(b, `,"position":`...)
	b = appendJSONString(b, r.Position)
	b = append(b, `,"claim_id":`...)
	b = appendJSONString(b, r.ClaimID)
	b = append(b, `,"status":`...)
	b = appendJSONString(b, r.Status)
	if r.Reason != "" {
		b = append(b, `,"reason":`...)
		b = appendJSONString(b, r.Reason)
	}
	b = append(b, `,"errors":`...)
	b = strconv.AppendInt(b, int64(r.Errors), 10)
	b = append(b, `,"warnings":`...)
	b = strconv.AppendInt(b, int64(r.Warnings), 10)
	b = append(b, `,"infos":`...)
	b = strconv.AppendInt(b, int64(r.Infos), 10)
	b = append(b, `,"findings":`...)
	if r.Findings == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range r.Findings {
			if i > 0 {
				b = append(b, ',')
			}
			b = r.Findings[i].appendJSON(b)
		}
		b = append(b, ']')
	}
	return append(b, "}\n"...)
}

func (f *Finding) appendJSON(b []byte) []byte {
	if f.enc != nil {
		return append(b, f.enc...)
	}
	b = append(b, `{"rule":`...)
	b = appendJSONString(b, f.Rule)
	b = append(b, `,"severity":`...)
	b = appendJSONString(b, string(f.Severity))
	b = append(b, `,"codes":`...)
	if f.Codes == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, c := range f.Codes {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, c)
		}
		b = append(b, ']')
	}
	b = append(b, `,"message":`...)
	b = appendJSONString(b, f.Message)
	if f.Source != "" {
		b = append(b, `,"source":`...)
		b = appendJSONString(b, f.Source)
	}
	return append(b, '}')
}

const hexDigits = "0123456789abcdef"

// jsonSafeRun is how many bytes s starts with that are written as they
// are: the tight loop most strings are.
func jsonSafeRun(s string) int {
	i := 0
	for i < len(s) && jsonSafe[s[i]] {
		i++
	}
	return i
}

// jsonSafe marks the bytes written as they are: printable ASCII but the
// quote and backslash. A table read per byte is the whole cost of most
// strings.
var jsonSafe = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// appendJSONString quotes s as encoding/json does with HTML escaping off:
// control characters, quotes and backslashes escaped, invalid UTF-8 as
// U+FFFD, and U+2028 and U+2029 escaped for JavaScript's sake.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if i += jsonSafeRun(s[i:]); i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
