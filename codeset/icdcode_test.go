package codeset

import (
	"strings"
	"testing"
)

func TestNormalizeICD(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"e11.9", "E119"},
		{"E11.9", "E119"},
		{"E119", "E119"},
		{"e119", "E119"},
		{" S72.001A ", "S72001A"},
		{"\tS72001A\n", "S72001A"},
		{"s72.001a", "S72001A"},
		{"W19.XXXA", "W19XXXA"},
		{"I10", "I10"},
		{"i10", "I10"},
		{"QA00", "QA00"},
		{"qa0.0101", "QA00101"},
		{"E11A", "E11A"},
		{"E11.A", "E11A"},
	}
	for _, tt := range tests {
		got, err := NormalizeICD(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("NormalizeICD(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
		if !LooksLikeICD(tt.in) {
			t.Errorf("LooksLikeICD(%q) = false", tt.in)
		}
	}
}

func TestNormalizeICDErrors(t *testing.T) {
	tests := []struct {
		in   string
		msgs []string // all must appear in the error
	}{
		{"E11.9!", []string{`"E11.9!"`, "unexpected character '!'"}},
		{"E1.19", []string{`"E1.19"`, "misplaced '.' at position 3"}},
		{"E11..9", []string{`"E11..9"`, "misplaced '.' at position 5"}},
		{".E119", []string{"misplaced '.' at position 1"}},
		{"E11.9.1", []string{"misplaced '.' at position 6"}},
		{"", []string{"empty code"}},
		{"   ", []string{"empty code"}},
		{"E123456789", []string{`"E123456789"`, "too long"}},
		{"E1", []string{"too short"}},
		{"E", []string{"too short"}},
		{"119", []string{"must start with a letter"}},
		{"E11 9", []string{"unexpected character ' '"}},
		{"E11-9", []string{"unexpected character '-'"}},
		{"E11.9é", []string{"unexpected character 'é'"}},
		{"Е11.9", []string{"unexpected character 'Е'"}}, // Cyrillic Ie
	}
	for _, tt := range tests {
		got, err := NormalizeICD(tt.in)
		if err == nil {
			t.Errorf("NormalizeICD(%q) = %q, want an error", tt.in, got)
			continue
		}
		if got != "" {
			t.Errorf("NormalizeICD(%q) returned %q with its error", tt.in, got)
		}
		for _, m := range tt.msgs {
			if !strings.Contains(err.Error(), m) {
				t.Errorf("NormalizeICD(%q): error %q does not contain %q", tt.in, err, m)
			}
		}
		if LooksLikeICD(tt.in) {
			t.Errorf("LooksLikeICD(%q) = true", tt.in)
		}
	}
}

func TestDotICD(t *testing.T) {
	tests := []struct{ in, want string }{
		{"E119", "E11.9"},
		{"S72001A", "S72.001A"},
		{"W19XXXA", "W19.XXXA"},
		{"QA00101", "QA0.0101"},
		{"E11", "E11"},
		{"I10", "I10"},
		{"E11.9", "E11.9"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := DotICD(tt.in); got != tt.want {
			t.Errorf("DotICD(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if tt.in != "" && !strings.Contains(tt.in, ".") {
			if back := UndotICD(DotICD(tt.in)); back != tt.in {
				t.Errorf("UndotICD(DotICD(%q)) = %q", tt.in, back)
			}
		}
	}
}

func TestUndotICD(t *testing.T) {
	tests := []struct{ in, want string }{
		{"E11.9", "E119"},
		{" s72.001a ", "S72001A"},
		{"E119", "E119"},
		{"E08.-", "E08-"},
	}
	for _, tt := range tests {
		if got := UndotICD(tt.in); got != tt.want {
			t.Errorf("UndotICD(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestICDParent(t *testing.T) {
	tests := []struct{ in, want string }{
		{"S72001A", "S72001"},
		{"S72001", "S7200"},
		{"S7200", "S720"},
		{"S720", "S72"},
		{"S72", ""},
		{"E119", "E11"},
		{"QA00", "QA0"},
		{"QA0", ""},
		// Placeholder levels are not codes of their own, but the parent is
		// purely textual.
		{"W19XXXA", "W19XXX"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := ICDParent(tt.in); got != tt.want {
			t.Errorf("ICDParent(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
