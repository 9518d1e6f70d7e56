package index

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"runtime"
	"sync"

	bolt "go.etcd.io/bbolt"

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
		for _, sub := range [][]string{v.Core, v.MainCore} {
			b = binary.AppendUvarint(b, uint64(len(sub)))
			for _, w := range sub {
				at := -1
				for j, x := range v.Words {
					if x == w {
						at = j
						break
					}
				}
				if at < 0 {
					return nil, fmt.Errorf("%s: core word %q not among the words", e.Code, w)
				}
				b = binary.AppendUvarint(b, uint64(at))
			}
		}
		strs(v.Negated)
	}
	return b, nil
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
	}
	n := r.uvarint()
	if r.err != nil || n > uint64(len(rec)) {
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
		v.Core = r.picks(v.Words)
		v.MainCore = r.picks(v.Words)
		v.Negated = r.strs()
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
	n := r.uvarint()
	if n > uint64(len(r.s)-r.at) {
		r.fail()
		return ""
	}
	s := r.s[r.at : r.at+int(n)]
	r.at += int(n)
	return s
}

func (r *recReader) strs() []string {
	n := r.uvarint()
	if n == 0 || n > uint64(len(r.s)-r.at) {
		if n != 0 {
			r.fail()
		}
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = r.str()
	}
	return out
}

// picks reads positions in words.
func (r *recReader) picks(words []string) []string {
	n := r.uvarint()
	if n == 0 || n > uint64(len(r.s)-r.at) {
		if n != 0 {
			r.fail()
		}
		return nil
	}
	out := make([]string, n)
	for i := range out {
		j := r.uvarint()
		if j >= uint64(len(words)) {
			r.fail()
			return nil
		}
		out[i] = words[j]
	}
	return out
}

// writeSuggest rebuilds the suggest bucket from the release's other
// buckets. Each chunk of codes is read, analysed on every core and written
// in a transaction of its own, so a load holds one chunk's pages at a time.
func writeSuggest(db *bolt.DB, sys codeset.System, id string) error {
	err := db.Update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketSuggest) != nil {
			if err := tx.DeleteBucket(bucketSuggest); err != nil {
				return err
			}
		}
		_, err := tx.CreateBucket(bucketSuggest)
		return err
	})
	if err != nil {
		return err
	}
	stem := NewStemmer()
	var after []byte // the last code written
	for {
		done := false
		err := db.Update(func(tx *bolt.Tx) error {
			codes := tx.Bucket(bucketCodes)
			if codes == nil {
				done = true
				return nil
			}
			// The transaction is read on this goroutine while the others
			// analyse what it has read.
			var keys [][]byte
			var recs [][]byte
			todo := make(chan int, 256)
			var texts []*sourceTexts
			var mu sync.Mutex
			var encErr error
			var wg sync.WaitGroup
			for w := 0; w < runtime.GOMAXPROCS(0); w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range todo {
						mu.Lock()
						st := texts[i]
						mu.Unlock()
						rec, err := encodeCodeText(analyseCode(stem, st))
						mu.Lock()
						recs[i] = rec
						if err != nil && encErr == nil {
							encErr = err
						}
						mu.Unlock()
					}
				}()
			}
			c := codes.Cursor()
			k, _ := c.First()
			if after != nil {
				if k, _ = c.Seek(after); bytes.Equal(k, after) {
					k, _ = c.Next()
				}
			}
			var readErr error
			for ; k != nil && len(keys) < suggestChunk; k, _ = c.Next() {
				st, err := suggestText(tx, sys, id, k)
				if err != nil {
					readErr = err
					break
				}
				if st == nil {
					continue
				}
				mu.Lock()
				keys = append(keys, k)
				texts = append(texts, st)
				recs = append(recs, nil)
				mu.Unlock()
				todo <- len(keys) - 1
			}
			close(todo)
			wg.Wait()
			if k == nil {
				done = true
			}
			if readErr != nil {
				return readErr
			}
			if encErr != nil {
				return encErr
			}
			out := tx.Bucket(bucketSuggest)
			// Keys arrive in order: full pages.
			out.FillPercent = 1
			for i, k := range keys {
				if err := out.Put(k, recs[i]); err != nil {
					return err
				}
			}
			if len(keys) > 0 {
				after = append(after[:0], keys[len(keys)-1]...)
			}
			return nil
		})
		if err != nil || done {
			return err
		}
	}
}

const suggestChunk = 8192
