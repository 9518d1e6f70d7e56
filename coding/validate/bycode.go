package validate

import "strings"

// byCode is a validator's own map of records by a code as claims write
// it. A code of up to 8 bytes is keyed by its bytes packed into an
// integer: with tens of thousands of codes, following each key string to
// compare it was most of a lookup. Other spellings are keyed by a copy of
// the string, since a claim's may hold on to its whole input line.
type byCode[V any] struct {
	short map[uint64]V
	long  map[string]V
}

func newByCode[V any]() byCode[V] {
	return byCode[V]{short: map[uint64]V{}, long: map[string]V{}}
}

// packCode packs a code of 1 to 8 bytes, none NUL, into an integer; no
// two such codes give the same one.
func packCode(s string) (uint64, bool) {
	if len(s) == 0 || len(s) > 8 {
		return 0, false
	}
	var k uint64
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return 0, false
		}
		k |= uint64(s[i]) << (8 * i)
	}
	return k, true
}

func (m *byCode[V]) get(s string) (V, bool) {
	if k, ok := packCode(s); ok {
		v, ok := m.short[k]
		return v, ok
	}
	v, ok := m.long[s]
	return v, ok
}

// put adds a record, unless the map holds maxCached already.
func (m *byCode[V]) put(s string, v V) {
	if len(m.short)+len(m.long) >= maxCached {
		return
	}
	if k, ok := packCode(s); ok {
		m.short[k] = v
		return
	}
	m.long[strings.Clone(s)] = v
}
