package index

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/medcode/medcode/codeset"
)

// bucketSuggest holds each code's texts as suggestion reads them, already
// analysed. A query reads hundreds of codes it has not seen; decoding the
// code's JSON, its notes and its index entries and then stemming every
// word was most of a first query's time, and the same for every query of
// a new process. The bucket is derived from the others and rebuilt with
// every load of the release.
var bucketSuggest = []byte("suggest")

// The kinds of text, by their number in a record.
var variantKinds = []string{"title", "short description", "inclusion term", "index"}

const (
	recBillable = 1 << iota
	recHCPCS
	recModifier
)

// encodeCodeText writes a record: flags, title, [BETOS], then per text
// its kind, text, signature, words, the positions in words of its core
// and main-term words, and its negated words.
func encodeCodeText(ct *CodeText) ([]byte, error) {
	var b []byte
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	strs := func(ss []string) {
		b = binary.AppendUvarint(b, uint64(len(ss)))
		for _, s := range ss {
			str(s)
		}
	}
	e := ct.Entry
	var flags byte
	if e.Billable {
		flags |= recBillable
	}
	if e.HCPCS != nil {
		flags |= recHCPCS
		if e.HCPCS.IsModifier {
			flags |= recModifier
		}
	}
	b = append(b, flags)
	str(e.Title)
	if e.HCPCS != nil {
		str(e.HCPCS.BETOS)
		b = binary.AppendUvarint(b, dayNumber(e.HCPCS.Added))
		b = binary.AppendUvarint(b, dayNumber(e.HCPCS.Terminated))
	}
	b = binary.AppendUvarint(b, uint64(len(ct.Variants)))
	for i := range ct.Variants {
		v := &ct.Variants[i]
		kind := -1
		for k, name := range variantKinds {
			if name == v.Kind {
				kind = k
			}
		}
		if kind < 0 {
			return nil, fmt.Errorf("%s: text of unknown kind %q", e.Code, v.Kind)
		}
		without := byte(0)
		if v.WithoutCore {
			without = 1
		}
		b = append(b, byte(kind), without)
		b = binary.LittleEndian.AppendUint64(b, v.Sig)
		str(v.Text)
		strs(v.Words)
		for _, sub := range [][]uint16{v.CoreAt, v.MainAt} {
			b = binary.AppendUvarint(b, uint64(len(sub)))
			for _, at := range sub {
				b = binary.AppendUvarint(b, uint64(at))
			}
		}
		strs(v.Negated)
	}
	return b, nil
}

// dayNumber stores a date as days since 1970 plus one; 0 is none.
func dayNumber(t time.Time) uint64 {
	if t.IsZero() {
		return 0
	}
	return uint64(t.Unix()/86400) + 1
}

func dayOf(n uint64) time.Time {
	if n == 0 || n > 1<<32 {
		return time.Time{}
	}
	return time.Unix(int64(n-1)*86400, 0).UTC()
}

// decodeCodeText reads a record into a CodeText for the entry's code. The
// strings are slices of one copy of the record.
func decodeCodeText(rec []byte, e *Entry) (*CodeText, error) {
	r := recReader{s: string(rec)}
	flags := r.byte()
	e.Title = r.str()
	e.Billable = flags&recBillable != 0
	if flags&recHCPCS != 0 {
		e.HCPCS = &codeset.HCPCSRecord{IsModifier: flags&recModifier != 0, BETOS: r.str()}
		e.HCPCS.Added = dayOf(r.uvarint())
		e.HCPCS.Terminated = dayOf(r.uvarint())
	}
	n := r.count()
	if r.err != nil {
		return nil, fmt.Errorf("%s: bad suggest record", e.Code)
	}
	ct := &CodeText{Entry: e, Variants: make([]Variant, n)}
	for i := range ct.Variants {
		v := &ct.Variants[i]
		kind := int(r.byte())
		if kind >= len(variantKinds) {
			return nil, fmt.Errorf("%s: bad suggest record", e.Code)
		}
		v.Kind = variantKinds[kind]
		v.WithoutCore = r.byte() == 1
		v.Sig = r.uint64()
		v.Text = r.str()
		v.Words = r.strs()
		v.CoreAt = r.places(len(v.Words))
		v.MainAt = r.places(len(v.Words))
		v.Negated = r.strs()
		v.wordBits()
		if r.err != nil {
			return nil, fmt.Errorf("%s: bad suggest record", e.Code)
		}
	}
	return ct, nil
}

// recReader reads a record; the first fault sticks in err.
type recReader struct {
	s   string
	at  int
	err error
}

func (r *recReader) fail() {
	if r.err == nil {
		r.err = fmt.Errorf("truncated record")
	}
	r.at = len(r.s)
}

func (r *recReader) byte() byte {
	if r.at >= len(r.s) {
		r.fail()
		return 0
	}
	c := r.s[r.at]
	r.at++
	return c
}

func (r *recReader) uvarint() uint64 {
	var x uint64
	for shift := 0; shift < 64; shift += 7 {
		c := r.byte()
		if r.err != nil {
			return 0
		}
		x |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return x
		}
	}
	r.fail()
	return 0
}

func (r *recReader) uint64() uint64 {
	if r.at+8 > len(r.s) {
		r.fail()
		return 0
	}
	var x uint64
	for i := 7; i >= 0; i-- {
		x = x<<8 | uint64(r.s[r.at+i])
	}
	r.at += 8
	return x
}

func (r *recReader) str() string {
	n := r.count()
	s := r.s[r.at : r.at+n]
	r.at += n
	return s
}

// count reads a length, which cannot exceed the bytes left.
func (r *recReader) count() int {
	n := r.uvarint()
	if n > uint64(len(r.s)-r.at) {
		r.fail()
		return 0
	}
	return int(n)
}

func (r *recReader) strs() []string {
	n := r.count()
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = r.str()
	}
	return out
}

// places reads places in a list of n words.
func (r *recReader) places(n int) []uint16 {
	k := r.count()
	if k == 0 {
		return nil
	}
	out := make([]uint16, k)
	for i := range out {
		j := r.uvarint()
		if j >= uint64(n) {
			r.fail()
			return nil
		}
		out[i] = uint16(j)
	}
	return out
}
