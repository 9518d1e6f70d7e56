package codeset

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAbbrevLearner(t *testing.T) {
	l := NewAbbrevLearner()
	pairs := [][2]string{
		{"Pedestrian injured in collision with car in traffic accident", "Ped injured in clsn w car in traf"},
		{"Cyclist injured in collision with motor vehicle, initial encounter", "Cyclst inj in clsn w mv, init"},
		{"Driver injured in collision with motor vehicle, initial encounter", "Drvr inj in clsn w mv, init"},
		{"Pedestrian injured in traffic accident", "Ped injured in traf"},
		{"Loss of consciousness, subsequent encounter", "LOC, subs"},
		// "traf" once stands for something else: still the majority.
		{"Traffic cone", "Traf cone"},
		{"Pain in left leg", "Pain in l leg"},
	}
	for _, p := range pairs {
		l.Add(p[0], p[1])
	}
	got := l.Result()
	want := map[string]string{
		"ped":  "pedestrian",
		"clsn": "collision",
		"inj":  "injured",
		"mv":   "motor vehicle",
		"init": "initial",
		"traf": "traffic",
		"w":    "with",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("learned abbreviations (-want +got):\n%s", diff)
	}
}

func TestAbbrevWords(t *testing.T) {
	got := abbrevWords("Lac w/o fb of abd wall, l idx fngr at MCP/IP jt, Crohn's")
	want := []string{"lac", "without", "fb", "of", "abd", "wall", "l", "idx", "fngr", "at", "mcp", "ip", "jt", "crohn's"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
