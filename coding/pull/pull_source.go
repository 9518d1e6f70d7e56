package pull

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/medcode/medcode/codeset"
)

// mirror is where files come from: the publishers (both empty), a folder or
// a base URL.
type mirror struct {
	dir  string
	base *url.URL
}

func parseFrom(from string) (mirror, error) {
	if from == "" {
		return mirror{}, nil
	}
	low := strings.ToLower(from)
	switch {
	case strings.HasPrefix(low, "http://") || strings.HasPrefix(low, "https://"):
		u, err := url.Parse(from)
		if err != nil || u.Host == "" {
			return mirror{}, fmt.Errorf("mirror URL %q is not a valid URL\nhint: --from takes a folder or an http(s) URL", from)
		}
		return mirror{base: u}, nil
	case strings.HasPrefix(low, "file://"):
		u, err := url.Parse(from)
		if err != nil {
			return mirror{}, fmt.Errorf("mirror %q is not a valid file URL\nhint: --from takes a folder or an http(s) URL", from)
		}
		from = u.Path
	case strings.Contains(from, "://"):
		return mirror{}, fmt.Errorf("mirror %q: only folders and http(s) URLs are supported\nhint: --from takes a folder or an http(s) URL", from)
	}
	st, err := os.Stat(from)
	if err != nil {
		return mirror{}, fmt.Errorf("mirror folder %s: %w\nhint: --from takes a folder laid out as the catalogue's mirror paths, or an http(s) URL", from, unwrapPath(err))
	}
	if !st.IsDir() {
		return mirror{}, fmt.Errorf("mirror %s is not a folder\nhint: --from takes a folder laid out as the catalogue's mirror paths, or an http(s) URL", from)
	}
	return mirror{dir: from}, nil
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func (m mirror) String() string {
	switch {
	case m.dir != "":
		return m.dir
	case m.base != nil:
		return m.base.String()
	}
	return "publishers"
}

// source says where a file comes from and whether that is a local file.
func (m mirror) source(f *codeset.CatalogFile) (string, bool) {
	switch {
	case m.dir != "":
		return filepath.Join(m.dir, filepath.FromSlash(f.Mirror)), true
	case m.base != nil:
		return m.base.JoinPath(f.Mirror).String(), false
	}
	return f.URL, false
}
