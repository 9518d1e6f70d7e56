package pull

import (
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/coding"
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
			return mirror{}, coding.Errorf("{mirror-flag} takes a folder or an http(s) URL", "mirror URL %q is not a valid URL", from)
		}
		return mirror{base: u}, nil
	case strings.HasPrefix(low, "file://"):
		u, err := url.Parse(from)
		if err != nil {
			return mirror{}, coding.Errorf("{mirror-flag} takes a folder or an http(s) URL", "mirror %q is not a valid file URL", from)
		}
		from = u.Path
	case strings.Contains(from, "://"):
		return mirror{}, coding.Errorf("{mirror-flag} takes a folder or an http(s) URL", "mirror %q: only folders and http(s) URLs are supported", from)
	}
	st, err := os.Stat(from)
	if err != nil {
		return mirror{}, coding.Errorf("{mirror-flag} takes a folder laid out as the catalogue's mirror paths, or an http(s) URL", "mirror folder %s: %w", from, unwrapPath(err))
	}
	if !st.IsDir() {
		return mirror{}, coding.Errorf("{mirror-flag} takes a folder laid out as the catalogue's mirror paths, or an http(s) URL", "mirror %s is not a folder", from)
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
