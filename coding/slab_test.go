package coding

import "testing"

// A slab's cuts do not overlap: appending to one leaves the next alone.
func TestSlabCutsAreCapped(t *testing.T) {
	var sl slab[string]
	a := sl.cut(2)
	b := sl.cut(2)
	copy(b, []string{"x", "y"})
	a = append(a, "z")
	if b[0] != "x" || len(a) != 3 {
		t.Fatalf("a cut wrote into the next: a=%q b=%q", a, b)
	}
	if big := sl.cut(slabLen + 1); len(big) != slabLen+1 {
		t.Fatalf("a cut longer than a slab has %d elements", len(big))
	}
}

// What is appended to a slab's room is kept in place, or where append
// moved it when it outgrew the room.
func TestSlabRoomKeep(t *testing.T) {
	var sl slab[int]
	r := append(sl.room(4), 1, 2)
	kept := sl.keep(r)
	if len(kept) != 2 || cap(kept) != 2 || len(sl) != 2 {
		t.Fatalf("kept %v (cap %d), slab length %d", kept, cap(kept), len(sl))
	}
	next := append(sl.room(4), 3)
	if kept[0] != 1 || kept[1] != 2 || &next[0] != &sl[:3][2] {
		t.Fatalf("the next room overlaps the kept: %v", kept)
	}
	sl = sl[:cap(sl)-1] // one element of room left
	big := append(sl.room(1), 7, 8, 9)
	n := len(sl)
	if got := sl.keep(big); len(got) != 3 || len(sl) != n {
		t.Fatalf("an outgrown room: kept %v, slab length %d, want %d", got, len(sl), n)
	}
}
