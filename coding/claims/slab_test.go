package claims

import "testing"

// A slab's cuts do not overlap: appending to one leaves the next alone.
func TestSlabCutsAreCapped(t *testing.T) {
	var sl Slab[string]
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
	var sl Slab[int]
	r := append(sl.Room(4), 1, 2)
	kept := sl.Keep(r)
	if len(kept) != 2 || cap(kept) != 2 || len(sl.cur) != 2 {
		t.Fatalf("kept %v (cap %d), slab length %d", kept, cap(kept), len(sl.cur))
	}
	next := append(sl.Room(4), 3)
	if kept[0] != 1 || kept[1] != 2 || &next[0] != &sl.cur[:3][2] {
		t.Fatalf("the next room overlaps the kept: %v", kept)
	}
	sl.cur = sl.cur[:cap(sl.cur)-1] // one element of room left
	big := append(sl.Room(1), 7, 8, 9)
	n := len(sl.cur)
	if got := sl.Keep(big); len(got) != 3 || len(sl.cur) != n {
		t.Fatalf("an outgrown room: kept %v, slab length %d, want %d", got, len(sl.cur), n)
	}
}

// A reset reusable slab cuts the same blocks again, zeroed, including
// what was appended past a cut and never kept.
func TestSlabReset(t *testing.T) {
	sl := Slab[int]{Reusable: true}
	var blocks []*int
	for i := 0; i < 3; i++ {
		c := sl.cut(slabLen / 2)
		c[0] = 1
		blocks = append(blocks, &c[0])
		_ = append(sl.Room(8), 5, 5) // appended, not kept
	}
	sl.Reset()
	seen := map[*int]bool{}
	for i := 0; i < 3; i++ {
		c := sl.cut(slabLen / 2)
		for _, x := range c {
			if x != 0 {
				t.Fatalf("a reused block holds %d", x)
			}
		}
		if r := sl.Room(2); r[:2][0] != 0 || r[:2][1] != 0 {
			t.Fatalf("a reused block's room holds %v", r[:2])
		}
		seen[&c[0]] = true
	}
	n := 0
	for _, b := range blocks {
		if seen[b] {
			n++
		}
	}
	if n < 2 {
		t.Errorf("%d of the first cuts' blocks were cut again, want at least 2", n)
	}
	var plain Slab[int]
	plain.cut(slabLen)
	plain.cut(1)
	if len(plain.used) != 0 {
		t.Errorf("a slab that is not reusable keeps %d blocks", len(plain.used))
	}
}
