package validate

import "testing"

// Codes of up to 8 bytes get keys of their own; others, and codes with
// a NUL byte, are keyed by their string.
func TestByCode(t *testing.T) {
	m := newByCode[int]()
	codes := []string{"E11.9", "E119", "e11.9", "S72.001A", "A", "AB\x00", "AB", "S72.001AX", "", "J1100"}
	for i, c := range codes {
		m.put(c, i)
	}
	for i, c := range codes {
		if got, ok := m.get(c); !ok || got != i {
			t.Errorf("get(%q) = %d, %v; want %d", c, got, ok, i)
		}
	}
	if _, ok := m.get("E11.90"); ok {
		t.Error("get(E11.90) found a record never put")
	}
	if len(m.short) != 7 || len(m.long) != 3 {
		t.Errorf("%d short keys and %d long; want 7 and 3", len(m.short), len(m.long))
	}
}
