package pull

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"

	"github.com/medcode/medcode/coding"
)

func verifiedBy(f *PlannedFile) string {
	switch {
	case f.SHA256 != "":
		return "sha256"
	case f.Size > 0:
		return "size"
	}
	return "none"
}

// verify checks a complete file against the catalogue.
func verify(f *PlannedFile, size int64, sum string) error {
	if f.Size > 0 && size != f.Size {
		return coding.Errorf("run {pull} again; if it persists the publisher changed the file and the catalogue needs updating ({catalog})", "%s from %s has %d bytes, the catalogue expects %d; it was removed from the cache", f.Name, f.Source, size, f.Size)
	}
	if f.SHA256 != "" && sum != f.SHA256 {
		return coding.Errorf("run {pull} again; if it persists the publisher changed the file and the catalogue needs updating ({catalog})", "checksum mismatch for %s from %s: sha256 %s, the catalogue expects %s; it was removed from the cache", f.Name, f.Source, sum, f.SHA256)
	}
	return nil
}

func hashFile(path string) (int64, string, error) {
	fh, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer fh.Close()
	h := sha256.New()
	n, err := io.Copy(h, fh)
	if err != nil {
		return 0, "", err
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}
