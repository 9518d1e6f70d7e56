package index

import (
	"testing"

	"github.com/medcode/medcode/codeset"
)

func TestSeeTarget(t *testing.T) {
	term := func(code, see string, path ...string) codeset.IndexTerm {
		return codeset.IndexTerm{Path: path, Code: code, See: see}
	}
	x := newSeeIndex([]codeset.IndexTerm{
		term("J11.1", "", "Influenza"),
		term("R10.9", "", "Pain", "abdominal"),
		term("E11.9", "", "Diabetes, diabetic"),
		term("M84.459", "", "Fracture, pathological", "femur", "neck"),
		term("S72.00", "", "Fracture, traumatic", "femur, femoral", "upper end", "neck"),
		term("", "Fracture, femur, upper end, neck", "Fracture, traumatic", "femur, femoral", "neck"),
		term("", "Fracture, femur, neck", "Fracture, traumatic", "hip"),
		term("F19.20", "", "Dependence", "drug NEC"),
		term("F11.20", "", "Dependence", "drug NEC", "opioid"),
	})
	for _, c := range []struct{ see, from, want string }{
		{"Influenza", "grippe", "J11.1"},
		{"Pain, abdominal", "colic", "R10.9"},
		{"Pain, abdominal, lower", "colic", "R10.9"},
		{"Diabetes, diabetic", "niddm", "E11.9"},
		{"Nowhere, at all", "x", ""},
		// by first words, within the referring main term, through a
		// second reference
		{"Fracture, femur, neck", "fracture, traumatic", "S72.00"},
		{"Fracture, femur, neck", "fracture, pathological", "M84.459"},
		// references leave out "NEC"
		{"Dependence, drug, opioid", "dependence", "F11.20"},
	} {
		if got := x.target(c.see, c.from); got != c.want {
			t.Errorf("target(%q from %q) = %q, want %q", c.see, c.from, got, c.want)
		}
	}
}
