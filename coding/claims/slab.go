package claims

// Slab cuts small slices out of larger blocks, so that a claim's parts (the
// record, the claim, its diagnoses and lines, its findings) cost an
// allocation per few hundred claims instead of one each: at batch speed,
// allocating was a fifth of reading a claim. Each cut is capped: appending
// to it copies instead of writing into the next cut.
//
// A cut stays valid however long it is kept, unless the slab is reusable
// and its owner resets it, to cut the same blocks again: a batch does so
// with a chunk's slabs once the chunk's results are written, so that a run
// of millions of claims allocates its claims' parts once and the collector
// has next to nothing to do.
type Slab[T any] struct {
	cur []T // the block being cut
	// Reusable slabs keep the blocks they cut, for reset to hand back.
	Reusable bool
	used     [][]T // blocks cut since the last reset, before cur
	free     [][]T // blocks to cut again
}

// slabLen is how many elements a block holds, unless a cut needs more.
const slabLen = 512

// block moves to a block with room for n elements.
func (s *Slab[T]) block(n int) {
	if s.Reusable && s.cur != nil {
		s.used = append(s.used, s.cur)
	}
	s.cur = nil
	for len(s.free) > 0 && s.cur == nil {
		b := s.free[len(s.free)-1]
		s.free = s.free[:len(s.free)-1]
		if cap(b) >= n {
			// What was appended past a cut may be left anywhere in it.
			clear(b[:cap(b)])
			s.cur = b[:0]
		}
	}
	if s.cur == nil {
		s.cur = make([]T, 0, max(slabLen, n))
	}
}

// cut returns n zero elements.
func (s *Slab[T]) cut(n int) []T {
	if cap(s.cur)-len(s.cur) < n {
		s.block(n)
	}
	i := len(s.cur)
	s.cur = s.cur[:i+n]
	return s.cur[i : i+n : i+n]
}

// one returns a new zero T.
func (s *Slab[T]) one() *T { return &s.cut(1)[0] }

// Room is an empty slice with room for at least n elements, to append to
// and then keep.
func (s *Slab[T]) Room(n int) []T {
	if cap(s.cur)-len(s.cur) < n {
		s.block(n)
	}
	return s.cur[len(s.cur):]
}

// Keep takes what was appended to room: in place, it becomes a cut of the
// slab; if it outgrew the room, append has moved it to an array of its own.
func (s *Slab[T]) Keep(used []T) []T {
	if cap(used) != cap(s.cur)-len(s.cur) {
		return used // moved
	}
	s.cur = s.cur[:len(s.cur)+len(used)]
	return used[:len(used):len(used)]
}

// Reset makes a reusable slab cut its blocks again, zeroed: no cut it made
// may be used after.
func (s *Slab[T]) Reset() {
	if s.cur != nil {
		s.used = append(s.used, s.cur)
	}
	s.free = append(s.free, s.used...)
	clear(s.used)
	s.used, s.cur = s.used[:0], nil
}
