package coding

// slab cuts small slices out of a larger one, so that a claim's parts (the
// record, the claim, its diagnoses and lines, its findings) cost an
// allocation per few hundred claims instead of one each: at batch speed,
// allocating was a fifth of reading a claim. Nothing is ever reused, so a
// record or result stays valid however long its caller keeps it. Each cut
// is capped: appending to it copies instead of writing into the next cut.
type slab[T any] []T

// slabLen is how many elements a slab holds, unless a cut needs more.
const slabLen = 512

// cut returns n zero elements.
func (s *slab[T]) cut(n int) []T {
	if cap(*s)-len(*s) < n {
		*s = make([]T, 0, max(slabLen, n))
	}
	i := len(*s)
	*s = (*s)[:i+n]
	return (*s)[i : i+n : i+n]
}

// one returns a new zero T.
func (s *slab[T]) one() *T { return &s.cut(1)[0] }

// room is an empty slice with room for at least n elements, to append to
// and then keep.
func (s *slab[T]) room(n int) []T {
	if cap(*s)-len(*s) < n {
		*s = make([]T, 0, max(slabLen, n))
	}
	return (*s)[len(*s):]
}

// keep takes what was appended to room: in place, it becomes a cut of the
// slab; if it outgrew the room, append has moved it to an array of its own.
func (s *slab[T]) keep(used []T) []T {
	if cap(used) != cap(*s)-len(*s) {
		return used // moved
	}
	*s = (*s)[:len(*s)+len(used)]
	return used[:len(used):len(used)]
}
