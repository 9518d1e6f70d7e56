package index

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	bolt "go.etcd.io/bbolt"

	"github.com/medcode/medcode/codeset"
)

const textDir = "text.bleve"

// textChunk is the documents per batch: each batch becomes one segment.
// Smaller batches cap the memory of a build; larger ones make fewer
// segments to search. 12,000 gives 8 segments for FY2026.
const textChunk = 12000

// textDoc is the searchable text of one code.
type textDoc struct {
	Title    string   `json:"title,omitempty"`
	Incl     []string `json:"incl,omitempty"`
	Idx      []string `json:"idx,omitempty"`
	Billable string   `json:"billable"`
}

// buildText indexes every code of a release's bbolt file, and writes the
// file's suggest bucket from the same reading of each code. Both are
// derived entirely from the bbolt file, so they never have to be merged
// with older ones: a load rebuilds them for each release it touches.
// progress is told of the stages: "index" with the codes done of all,
// then "merge" while the segments merge and the records are written.
func buildText(path string, dbPath string, progress func(stage string, done, total int)) error {
	im, err := newMapping()
	if err != nil {
		return err
	}
	// Not unsafe_batch: with it, Close can return before the last batch is
	// persisted, and that batch's documents are silently lost.
	idx, err := bleve.New(path, im)
	if err != nil {
		return err
	}
	// Read-write, for the suggest bucket; the generation is synced as a
	// whole before it is swapped in.
	db, err := bolt.Open(dbPath, 0o600, &bolt.Options{NoSync: true, NoFreelistSync: true})
	if err != nil {
		idx.Close()
		return err
	}
	defer db.Close()
	var rel codeset.Release
	err = db.View(func(tx *bolt.Tx) error {
		m := tx.Bucket(bucketMeta)
		if m == nil {
			return errMissingRelease
		}
		return json.Unmarshal(m.Get(keyRelease), &rel)
	})
	if err != nil {
		idx.Close()
		return err
	}
	recs, err := newSuggestRecords(dbPath + ".suggest")
	if err != nil {
		idx.Close()
		return err
	}

	// Batches are analysed and turned into segments one per core at once:
	// a segment build is single-threaded, and a few segments search as fast
	// as one for an index this size.
	type chunk struct {
		ids  []string
		docs []textDoc
		// codes counts the codes whose documents the chunk holds.
		codes int
	}
	chunks := make(chan chunk, 1)
	var done, total atomic.Int64
	var progMu sync.Mutex
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
				// Callers keep progress state unguarded: report one at a time,
				// and never backwards.
				progMu.Lock()
				n := done.Add(int64(c.codes))
				if progress != nil {
					progress("index", int(n), int(total.Load()))
				}
				progMu.Unlock()
			}
		}()
	}
	err = db.View(func(tx *bolt.Tx) error {
		defer close(chunks)
		codes := tx.Bucket(bucketCodes)
		total.Store(int64(codes.Stats().KeyN))
		per := textChunk
		cur := chunk{}
		id := rel.ID()
		err := codes.ForEach(func(k, _ []byte) error {
			src, err := suggestText(tx, rel.System, id, k)
			if err != nil || src == nil {
				return err
			}
			docs := src.textDocs()
			recs.add(append([]byte(nil), k...), src)
			cur.codes++
			for i, d := range docs {
				id := string(k)
				if i > 0 {
					id = fmt.Sprintf("%s%c%d", k, termDocSep, i)
				}
				cur.ids = append(cur.ids, id)
				cur.docs = append(cur.docs, d)
			}
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
	if err != nil {
		recs.stop()
	} else {
		// The merge is single-threaded: the records are written meanwhile.
		if progress != nil {
			progress("merge", 0, 0)
		}
		merged := make(chan error, 1)
		go func() { merged <- mergeSegments(idx, path) }()
		err = recs.write(db)
		if err == nil {
			err = db.Sync()
		}
		if merr := <-merged; err == nil {
			err = merr
		}
	}
	if cerr := idx.Close(); err == nil {
		err = cerr
	}
	return err
}

// mergeSegments merges the batches' segments into one. A query looks each
// term up in every segment's dictionary, and opening a segment is part of
// every cold start; one segment makes both cheapest.
func mergeSegments(idx bleve.Index, path string) error {
	adv, err := idx.Advanced()
	if err != nil {
		return err
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	if err := sc.ForceMerge(context.Background(), &mergeplan.SingleSegmentMergePlanOptions); err != nil {
		return err
	}
	// The merged-away segment files are removed by scorch's persister once
	// it has recorded the merge, shortly after; closing first would leave
	// them on disk for good. They are never read, so a slow clean-up only
	// costs disk.
	for wait := time.Duration(0); wait < 5*time.Second; wait += 5 * time.Millisecond {
		zaps, err := filepath.Glob(filepath.Join(path, "store", "*.zap"))
		if err != nil || len(zaps) <= 1 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	return nil
}

// termDocSep joins a code and an index entry's number in a document ID.
const termDocSep = '#'

// textDocs is the searchable text of one code: a document for the code
// (title, inclusion terms) and one for each index entry that leads to it.
// Separate entry documents keep a code with dozens of index entries from
// being outranked by short titles that merely mention a word.
func (st *sourceTexts) textDocs() []textDoc {
	e := st.Entry
	bill := "n"
	if e.Billable {
		bill = "y"
	}
	d := textDoc{Title: e.Title, Billable: bill}
	for _, t := range st.Texts {
		if t.Kind == "short description" || t.Kind == "inclusion term" {
			d.Incl = append(d.Incl, t.Text)
		}
	}
	d.Incl = append(d.Incl, st.includes...)
	docs := []textDoc{d}
	for _, t := range st.terms {
		text := strings.ReplaceAll(t.Text, " > ", " ")
		if t.Column != "" {
			text += " " + t.Column
		}
		docs = append(docs, textDoc{Idx: []string{text}, Billable: bill})
	}
	return docs
}
