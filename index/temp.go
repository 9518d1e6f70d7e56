package index

import (
	"os"

	"github.com/medcode/medcode/codeset"
)

// OpenTemp builds an index of the bundles in a temporary directory and opens
// it; Close removes the directory. It serves the built-in sample, which must
// work without writing to the user's data directory.
func OpenTemp(bundles []*codeset.Bundle) (*Index, error) {
	dir, err := os.MkdirTemp("", "medcode-sample-")
	if err != nil {
		return nil, err
	}
	if _, err := Load(dir, bundles, LoadOptions{}); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	ix, err := Open(dir)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	ix.cleanup = func() { os.RemoveAll(dir) }
	return ix, nil
}
