package claims

import "time"

// ClaimSlabs are the slabs a reader cuts its records from.
type ClaimSlabs struct {
	records Slab[Record]
	claims  Slab[Claim]
	ages    Slab[int]
	codes   Slab[string]
	lines   Slab[Procedure]
	tmp     []string // scratch
}

// NewReusableSlabs are slabs to reset once their records are done with.
func NewReusableSlabs() *ClaimSlabs {
	m := &ClaimSlabs{}
	m.records.Reusable, m.claims.Reusable, m.ages.Reusable, m.codes.Reusable, m.lines.Reusable = true, true, true, true, true
	return m
}

// Reset reuses the slabs: no record cut from them may be used after.
func (m *ClaimSlabs) Reset() {
	m.records.Reset()
	m.claims.Reset()
	m.ages.Reset()
	m.codes.Reset()
	m.lines.Reset()
}

// SlabReader is a reader that can cut its records from slabs it is
// handed, from the next record on: a batch hands it a chunk's, and reuses
// them once the chunk's results are written.
type SlabReader interface {
	CutFrom(m *ClaimSlabs)
}

// split splits a list of codes with f, or as claimSplit does when f is
// nil, into a slice of the codes slab.
func (m *ClaimSlabs) split(s string, f func(string) []string) []string {
	if f != nil {
		return f(s)
	}
	m.tmp = claimSplitAppend(m.tmp[:0], s)
	if len(m.tmp) == 0 {
		return []string{} // as claimSplit: empty, not nil
	}
	out := m.codes.cut(len(m.tmp))
	copy(out, m.tmp)
	return out
}

// claimSplitAppend appends the codes of a list separated by claimListSep's
// separators, as claimSplit splits it, without allocating. The separators
// are ASCII, so no byte of a multi-byte character is taken for one.
func claimSplitAppend(dst []string, s string) []string {
	for i := 0; i < len(s); {
		for i < len(s) && claimListSepByte(s[i]) {
			i++
		}
		start := i
		for i < len(s) && !claimListSepByte(s[i]) {
			i++
		}
		if i > start {
			dst = append(dst, s[start:i])
		}
	}
	return dst
}

func claimListSepByte(c byte) bool { return claimListSeps[c] }

// claimListSeps are claimListSep's separators, by byte: a table read is
// cheaper than seven comparisons for every byte of a list.
var claimListSeps = [256]bool{' ': true, ';': true, '|': true, ',': true, '\t': true, '\n': true, '\r': true}

// maxDates bounds a reader's cache of parsed dates.
const maxDates = 4096

// dateCache remembers parsed dates: a claim file has few distinct dates of
// service, and time.Parse was a tenth of reading a claim.
type dateCache map[string]time.Time

func (dc dateCache) parse(s string, layouts []string) (time.Time, error) {
	if t, ok := dc[s]; ok {
		return t, nil
	}
	t, err := claimDate(s, layouts)
	if err == nil && len(dc) < maxDates {
		dc[s] = t
	}
	return t, err
}
