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
