package index

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"
)

// The fuzz targets of the index's own record decoders: what a load wrote
// is read back by every command, and a damaged file must be an error.

// FuzzDecodeCodeText feeds suggest records, seeded with those a load of
// the fixtures writes. A record that decodes encodes back to one that
// decodes the same: nothing read is made up.
func FuzzDecodeCodeText(f *testing.F) {
	ix := mustOpen(f, fixtureIndex(f))
	s, err := ix.store(rel26)
	if err != nil {
		f.Fatal(err)
	}
	n := 0
	err = s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSuggest).ForEach(func(_, v []byte) error {
			if n++; n%4 == 0 {
				f.Add(append([]byte(nil), v...))
			}
			return nil
		})
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, rec []byte) {
		ct, err := decodeCodeText(rec, &Entry{Code: "X"})
		if err != nil {
			return
		}
		for _, v := range ct.Variants {
			for _, sub := range [][]uint16{v.CoreAt, v.MainAt} {
				for _, at := range sub {
					if int(at) >= len(v.Words) {
						t.Fatalf("place %d in %d words", at, len(v.Words))
					}
				}
			}
			if len(v.Text) > len(rec) {
				t.Fatalf("text of %d bytes from a record of %d", len(v.Text), len(rec))
			}
		}
		again, err := encodeCodeText(ct)
		if err != nil {
			t.Fatalf("a decoded record does not encode: %v", err)
		}
		back, err := decodeCodeText(again, &Entry{Code: "X"})
		if err != nil {
			t.Fatalf("a re-encoded record does not decode: %v", err)
		}
		if diff := cmp.Diff(ct, back); diff != "" {
			t.Fatalf("decode(encode(decode(rec))) differs:\n%s", diff)
		}
	})
}

// FuzzReadManifest feeds manifest.json: a manifest that reads names only
// releases and files inside its generation, and one that does not read is
// a DamagedError naming the file.
func FuzzReadManifest(f *testing.F) {
	ix := mustOpen(f, fixtureIndex(f))
	b, err := os.ReadFile(filepath.Join(ix.Dir(), manifestName))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(`{"format":1,"releases":[{"id":"../x","files":[{"path":"../../etc/passwd","bytes":1}]}]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, manifestName), in, 0o600); err != nil {
			t.Fatal(err)
		}
		m, err := readManifest(dir)
		if err != nil {
			var de *DamagedError
			if !errors.As(err, &de) || de.File != manifestName {
				t.Fatalf("error %v is not a DamagedError naming %s", err, manifestName)
			}
			if len(err.Error()) > len(dir)+200 {
				t.Fatalf("error echoes too much: %.200q", err)
			}
			return
		}
		for _, r := range m.Releases {
			if !filepath.IsLocal(r.ID) || bytes.ContainsAny([]byte(r.ID), "/\\") {
				t.Fatalf("release id %q leaves the generation", r.ID)
			}
			for _, sf := range r.Files {
				if !filepath.IsLocal(filepath.FromSlash(sf.Path)) {
					t.Fatalf("file %q leaves the release", sf.Path)
				}
			}
		}
		// Its sizes are checked without a fault, whatever they say.
		for _, r := range m.Releases {
			_ = checkSizes(dir, r)
		}
	})
}

// FuzzStoredRecords puts arbitrary bytes where a load writes a code's
// JSON records (its entry, notes, index terms, NCCI rows) and reads them as
// show and validate do: an error or an entry of that code, never a panic.
func FuzzStoredRecords(f *testing.F) {
	ix := mustOpen(f, fixtureIndex(f))
	s, err := ix.store(rel26)
	if err != nil {
		f.Fatal(err)
	}
	err = s.view(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketCodes, bucketNotes, termBucket(allBooks[0])} {
			if bk := tx.Bucket(b); bk != nil {
				if v := bk.Get([]byte("E11")); v != nil {
					f.Add(append([]byte(nil), v...))
				}
			}
		}
		return nil
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(`[{"setting":"practitioner","column1":"A","column2":"B","effective":"2020-01-01T00:00:00Z","modifier":1}]`))
	f.Fuzz(func(t *testing.T, rec []byte) {
		path := filepath.Join(t.TempDir(), "codes.db")
		db, err := bolt.Open(path, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		err = db.Update(func(tx *bolt.Tx) error {
			meta, err := tx.CreateBucket(bucketMeta)
			if err != nil {
				return err
			}
			if err := putJSON(meta, keyRelease, s.rel); err != nil {
				return err
			}
			if err := meta.Put(keyStructure, rec); err != nil {
				return err
			}
			for _, name := range [][]byte{bucketCodes, bucketNotes, termBucket(allBooks[0]), bucketPTP, bucketMUE} {
				b, err := tx.CreateBucket(name)
				if err != nil {
					return err
				}
				if err := b.Put([]byte("A000"), rec); err != nil {
					return err
				}
			}
			return nil
		})
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		st, err := openStore(path, rel26)
		if err != nil {
			t.Fatal(err)
		}
		defer st.close()
		if e, err := st.get("A000"); err == nil && (e == nil || e.Code != "A000") {
			t.Fatalf("get A000 = %+v", e)
		}
		st.terms("A000")
		st.structure()
		getRows[PTPRow](st, bucketPTP, "A000")
		getRows[MUERow](st, bucketMUE, "A000")
	})
}
