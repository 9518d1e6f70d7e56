package validate

import "unicode/utf8"

func (f *Finding) AppendJSON(b []byte) []byte {
	if f.enc != nil {
		return append(b, f.enc...)
	}
	b = append(b, `{"rule":`...)
	b = AppendJSONString(b, f.Rule)
	b = append(b, `,"severity":`...)
	b = AppendJSONString(b, string(f.Severity))
	b = append(b, `,"codes":`...)
	if f.Codes == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, c := range f.Codes {
			if i > 0 {
				b = append(b, ',')
			}
			b = AppendJSONString(b, c)
		}
		b = append(b, ']')
	}
	b = append(b, `,"message":`...)
	b = AppendJSONString(b, f.Message)
	if f.Source != "" {
		b = append(b, `,"source":`...)
		b = AppendJSONString(b, f.Source)
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

// AppendJSONString quotes s as encoding/json does with HTML escaping off:
// control characters, quotes and backslashes escaped, invalid UTF-8 as
// U+FFFD, and U+2028 and U+2029 escaped for JavaScript's sake.
func AppendJSONString(b []byte, s string) []byte {
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
