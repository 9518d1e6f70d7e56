package index

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// suggestRecords analyses codes into suggest records on every core, as
// the text build reads them. Finished records go, in key order, to a
// scratch file beside the bbolt file until the reading is done: held in
// memory they were a fifth of a load's peak.
type suggestRecords struct {
	stem *Stemmer
	todo chan recordJob
	wg   sync.WaitGroup
	keys [][]byte // in the order read; only the reader touches them

	mu      sync.Mutex
	vocab   map[string]int // word -> codes whose texts hold it
	done    map[int][]byte // finished records not yet written
	next    int            // the next record to write
	scratch *os.File
	w       *bufio.Writer
	err     error
}

// recordJob is the i-th code read, to analyse.
type recordJob struct {
	i  int
	st *sourceTexts
}

func newSuggestRecords(scratch string) (*suggestRecords, error) {
	f, err := os.OpenFile(scratch, os.O_CREATE|os.O_EXCL|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	r := &suggestRecords{stem: NewStemmer(), todo: make(chan recordJob, 1024), done: map[int][]byte{}, vocab: map[string]int{}, scratch: f, w: bufio.NewWriterSize(f, 1<<20)}
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			for j := range r.todo {
				rec, err := encodeCodeText(analyseCode(r.stem, j.st))
				words := vocabWords(j.st)
				r.mu.Lock()
				for _, w := range words {
					r.vocab[w]++
				}
				r.finish(j.i, rec, err)
				r.mu.Unlock()
			}
		}()
	}
	return r, nil
}

// finish takes a record and writes out those now in order. r.mu is held.
func (r *suggestRecords) finish(i int, rec []byte, err error) {
	if err != nil && r.err == nil {
		r.err = err
	}
	r.done[i] = rec
	for {
		rec, ok := r.done[r.next]
		if !ok {
			return
		}
		delete(r.done, r.next)
		r.next++
		if r.err == nil {
			var n [binary.MaxVarintLen64]byte
			if _, err := r.w.Write(n[:binary.PutUvarint(n[:], uint64(len(rec)))]); err != nil {
				r.err = err
			} else if _, err := r.w.Write(rec); err != nil {
				r.err = err
			}
		}
	}
}

// add queues a code; key must stay valid (a copy).
func (r *suggestRecords) add(key []byte, st *sourceTexts) {
	r.keys = append(r.keys, key)
	r.todo <- recordJob{len(r.keys) - 1, st}
}

// stop ends the analysis and removes the scratch file.
func (r *suggestRecords) stop() {
	close(r.todo)
	r.wg.Wait()
	r.scratch.Close()
	os.Remove(r.scratch.Name())
}

// write waits for the analysis and writes the suggest bucket afresh, in
// transactions of a few thousand codes, keys in order.
func (r *suggestRecords) write(db *bolt.DB) error {
	close(r.todo)
	r.wg.Wait()
	defer func() {
		r.scratch.Close()
		os.Remove(r.scratch.Name())
	}()
	// The workers are done: r.err and the writer are the reader's now.
	if r.err == nil {
		r.err = r.w.Flush()
	}
	if r.err != nil {
		return r.err
	}
	if _, err := r.scratch.Seek(0, io.SeekStart); err != nil {
		return err
	}
	in := bufio.NewReaderSize(r.scratch, 1<<20)
	err := db.Update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketSuggest) != nil {
			if err := tx.DeleteBucket(bucketSuggest); err != nil {
				return err
			}
		}
		if _, err := tx.CreateBucket(bucketSuggest); err != nil {
			return err
		}
		return writeVocab(tx, r.vocab)
	})
	if err != nil {
		return err
	}
	const perTx = 16384
	for lo := 0; lo < len(r.keys); lo += perTx {
		hi := min(lo+perTx, len(r.keys))
		err := db.Update(func(tx *bolt.Tx) error {
			b := tx.Bucket(bucketSuggest)
			// Keys arrive in order: full pages.
			b.FillPercent = 1
			for i := lo; i < hi; i++ {
				n, err := binary.ReadUvarint(in)
				if err != nil {
					return fmt.Errorf("suggest scratch file: %w", err)
				}
				rec := make([]byte, n)
				if _, err := io.ReadFull(in, rec); err != nil {
					return fmt.Errorf("suggest scratch file: %w", err)
				}
				if err := b.Put(r.keys[i], rec); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
