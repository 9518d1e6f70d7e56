package index

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"
)

// checkSuggestRecords compares every code's stored suggest record with
// the analysis of its texts done afresh.
func checkSuggestRecords(t *testing.T, ix *Index, release string) {
	t.Helper()
	s, err := ix.store(release)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	err = s.db.View(func(tx *bolt.Tx) error {
		sb := tx.Bucket(bucketSuggest)
		if sb == nil {
			t.Fatalf("%s has no suggest bucket", release)
		}
		stem := NewStemmer()
		return tx.Bucket(bucketCodes).ForEach(func(k, _ []byte) error {
			src, err := suggestText(tx, s.sys, s.id, k)
			if err != nil {
				return err
			}
			want := analyseCode(stem, src)
			got, err := decodeCodeText(sb.Get(k), &Entry{System: s.sys, Release: s.id, Code: string(k)})
			if err != nil {
				return err
			}
			if diff := cmp.Diff(want, got); diff != "" && n < 5 {
				n++
				t.Errorf("%s: stored record differs (-fresh +stored):\n%s", k, diff)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSuggestRecords(t *testing.T) {
	checkSuggestRecords(t, mustOpen(t, fixtureIndex(t)), rel26)
}

func TestDecodeCodeTextTruncated(t *testing.T) {
	ix := mustOpen(t, fixtureIndex(t))
	s, err := ix.store(rel26)
	if err != nil {
		t.Fatal(err)
	}
	err = s.db.View(func(tx *bolt.Tx) error {
		// The longest record has every part.
		var rec []byte
		_ = tx.Bucket(bucketSuggest).ForEach(func(_, v []byte) error {
			if len(v) > len(rec) {
				rec = v
			}
			return nil
		})
		for cut := 0; cut < len(rec); cut++ {
			if _, err := decodeCodeText(rec[:cut], &Entry{Code: "X"}); err == nil {
				t.Errorf("record cut to %d of %d bytes decoded without error", cut, len(rec))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// An index loaded before the suggest bucket existed is analysed as it is
// read, to the same result.
func TestSuggestTextsWithoutBucket(t *testing.T) {
	dir := fixtureIndex(t)
	ix := mustOpen(t, dir)
	var codes []string
	if err := ix.ForEach(rel26, func(e *Entry) error {
		codes = append(codes, e.Code)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	stored, err := ix.SuggestTexts(rel26, codes)
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()

	paths, _ := filepath.Glob(filepath.Join(dir, "gens", "*", rel26, "codes.db"))
	if len(paths) != 1 {
		t.Fatalf("codes.db files: %v", paths)
	}
	// As an older medcode wrote it: no suggest bucket, no file sizes.
	if err := os.Chmod(paths[0], 0o600); err != nil {
		t.Fatal(err)
	}
	forgetFiles(t, filepath.Dir(filepath.Dir(paths[0])))
	db, err := bolt.Open(paths[0], 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket(bucketSuggest) }); err != nil {
		t.Fatal(err)
	}
	db.Close()

	fresh, err := mustOpen(t, dir).SuggestTexts(rel26, codes)
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) < 20 {
		t.Fatalf("only %d codes in the fixture", len(codes))
	}
	if diff := cmp.Diff(stored, fresh); diff != "" {
		t.Errorf("(-stored +analysed now):\n%s", diff)
	}
}
