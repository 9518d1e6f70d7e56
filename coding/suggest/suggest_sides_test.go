package suggest

import "testing"

func TestClash(t *testing.T) {
	rd := func(neg bool, toks ...string) reading {
		return reading{concepts: []concept{{alts: [][]string{toks}, negated: neg}}}
	}
	for _, c := range []struct {
		name  string
		rd    reading
		title string
		words []string
		want  string
	}{
		{"other type", rd(false, "type", "2", "diabet"), "Type 1 diabetes mellitus", []string{"type", "1", "diabet", "mellitu"}, "type 1"},
		{"same type", rd(false, "type", "2", "diabet"), "Type 2 diabetes mellitus", []string{"type", "2", "diabet", "mellitu"}, ""},
		{"roman type", rd(false, "type", "ii"), "Type 2 diabetes mellitus", []string{"type", "2"}, ""},
		{"other side", rd(false, "right", "hip"), "Fracture of left femur", []string{"fractur", "left", "femur"}, "left"},
		{"unspecified side", rd(false, "right", "hip"), "Fracture of unspecified femur", []string{"fractur", "unspecifi", "femur"}, ""},
		{"both stated", reading{concepts: []concept{{alts: [][]string{{"acut"}}}, {alts: [][]string{{"chronic"}}}}}, "Chronic bronchitis", []string{"chronic", "bronchiti"}, ""},
		{"chronic for acute", rd(false, "acut", "bronchiti"), "Chronic bronchitis", []string{"chronic", "bronchiti"}, "chronic"},
		{"without for with", rd(false, "with", "kidnei"), "Type 2 diabetes mellitus without complications", []string{"type", "2", "without", "complic"}, "without"},
		{"with and without", rd(false, "with", "kidnei"), "X with Y without Z", []string{"x", "with", "y", "without"}, ""},
		{"closed for open", rd(false, "open", "fractur"), "initial encounter for closed fracture", []string{"initi", "encount", "close", "fractur"}, "close"},
		{"negated word says nothing", rd(true, "left"), "Fracture of right femur", []string{"fractur", "right", "femur"}, ""},
	} {
		if got := stanceOf(c.rd).clash(c.title, c.words); got != c.want {
			t.Errorf("%s: clash = %q, want %q", c.name, got, c.want)
		}
	}
	w := reading{without: true, concepts: []concept{{alts: [][]string{{"coma"}}}}}
	if got := stanceOf(w).clash("with coma", []string{"with", "coma"}); got != "with" {
		t.Errorf("without: clash = %q, want with", got)
	}
}
