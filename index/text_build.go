package index

import (
	"encoding/json"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"
	bolt "go.etcd.io/bbolt"
)

const textDir = "text.bleve"

// textDoc is the searchable text of one code.
type textDoc struct {
	Title    string   `json:"title"`
	Incl     []string `json:"incl,omitempty"`
	Idx      []string `json:"idx,omitempty"`
	Billable string   `json:"billable"`
}

// buildText indexes every code of a release's bbolt file. The text index is
// derived entirely from the bbolt file, so it never has to be merged with
// an older one: a load rebuilds it for each release it touches.
func buildText(path string, dbPath string, progress func(done, total int)) error {
	im, err := newMapping()
	if err != nil {
		return err
	}
	// unsafe_batch skips per-batch fsyncs: the generation is synced and
	// swapped in only after the whole build succeeded.
	idx, err := bleve.NewUsing(path, im, "scorch", "scorch", map[string]any{"unsafe_batch": true})
	if err != nil {
		return err
	}
	st, err := openStore(dbPath, "")
	if err != nil {
		idx.Close()
		return err
	}
	defer st.close()

	// Batches are analysed and turned into segments one per core at once:
	// a segment build is single-threaded, and a few segments search as fast
	// as one for an index this size.
	type chunk struct {
		ids  []string
		docs []textDoc
	}
	chunks := make(chan chunk, 1)
	var done, total atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, runtime.GOMAXPROCS(0)+1)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range chunks {
				b := idx.NewBatch()
				for i := range c.ids {
					if err := b.Index(c.ids[i], c.docs[i]); err != nil {
						errs <- err
						return
					}
				}
				if err := idx.Batch(b); err != nil {
					errs <- err
					return
				}
				n := done.Add(int64(len(c.ids)))
				if progress != nil {
					progress(int(n), int(total.Load()))
				}
			}
		}()
	}
	err = st.db.View(func(tx *bolt.Tx) error {
		defer close(chunks)
		codes := tx.Bucket(bucketCodes)
		total.Store(int64(codes.Stats().KeyN))
		terms := make([]*bolt.Bucket, 0, len(allBooks))
		for _, book := range allBooks {
			if b := tx.Bucket(termBucket(book)); b != nil {
				terms = append(terms, b)
			}
		}
		per := int(total.Load())/(2*runtime.GOMAXPROCS(0)) + 1
		cur := chunk{}
		err := codes.ForEach(func(k, _ []byte) error {
			d, err := st.textDoc(tx, k, terms)
			if err != nil {
				return err
			}
			cur.ids = append(cur.ids, string(k))
			cur.docs = append(cur.docs, d)
			if len(cur.ids) >= per {
				select {
				case chunks <- cur:
				case err := <-errs:
					return err
				}
				cur = chunk{}
			}
			return nil
		})
		if err == nil && len(cur.ids) > 0 {
			chunks <- cur
		}
		return err
	})
	wg.Wait()
	close(errs)
	if err == nil {
		err = <-errs
	}
	if cerr := idx.Close(); err == nil {
		err = cerr
	}
	return err
}

func (st *store) textDoc(tx *bolt.Tx, k []byte, terms []*bolt.Bucket) (textDoc, error) {
	e, err := st.entry(tx, k)
	if err != nil {
		return textDoc{}, err
	}
	d := textDoc{Title: e.Title, Billable: "n"}
	if e.Billable {
		d.Billable = "y"
	}
	if e.Notes != nil {
		d.Incl = append(d.Incl, e.Notes.InclusionTerms...)
		d.Incl = append(d.Incl, e.Notes.Includes...)
	}
	for _, tb := range terms {
		v := tb.Get(k)
		if v == nil {
			continue
		}
		var ts []Term
		if err := json.Unmarshal(v, &ts); err != nil {
			return textDoc{}, err
		}
		for _, t := range ts {
			text := strings.ReplaceAll(t.Text, " > ", " ")
			if t.Column != "" {
				text += " " + t.Column
			}
			d.Idx = append(d.Idx, text)
		}
	}
	return d, nil
}
