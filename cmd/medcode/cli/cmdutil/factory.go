package cmdutil

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/medcode/medcode/cmd/medcode/cli/iostreams"
	"github.com/medcode/medcode/coding"
)

// Factory gives commands their streams and opens the code book on demand.
type Factory struct {
	IO *iostreams.IOStreams
	// DataDir is set from --data-dir by the root command before any
	// subcommand runs.
	DataDir string
	// Getenv is os.Getenv outside tests.
	Getenv func(string) string

	// Previous, when set, is damage a read of the live index met: the
	// index from before the last load answers instead.
	Previous error
	// FellBack is set once the index from before the last load answered.
	FellBack bool

	sampleOnce  sync.Once
	damagedOnce sync.Once
}

// ResolveDataDir picks the data directory: --data-dir, else $MEDCODE_HOME,
// else $XDG_DATA_HOME/medcode, else ~/.local/share/medcode.
func (f *Factory) ResolveDataDir() (string, error) {
	if f.DataDir != "" {
		return f.DataDir, nil
	}
	if d := f.Getenv("MEDCODE_HOME"); d != "" {
		return d, nil
	}
	if d := f.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "medcode"), nil
	}
	home := f.Getenv("HOME")
	if home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("cannot find a data directory: %v\nhint: set --data-dir or MEDCODE_HOME", err)
		}
		home = h
	}
	return filepath.Join(home, ".local", "share", "medcode"), nil
}

// Codebook opens the loaded releases, or the built-in sample with a notice
// on stderr.
func (f *Factory) Codebook() (*coding.Codebook, error) {
	dir, err := f.ResolveDataDir()
	if err != nil {
		return nil, err
	}
	open := coding.OpenCodebook
	if f.Previous != nil {
		open = func(dir string) (*coding.Codebook, error) { return coding.OpenPreviousCodebook(dir, f.Previous) }
	}
	cb, err := open(dir)
	if err != nil {
		return nil, err
	}
	if cb.Damaged != nil {
		f.FellBack = true
		f.damagedOnce.Do(func() {
			fmt.Fprintf(f.IO.ErrOut, "medcode: %s\n", cb.Damaged)
			fmt.Fprintf(f.IO.ErrOut, "medcode: answering from the index as it was before the last load (%s)\n", cb.Generation())
			if h, ok := coding.HintOf(cb.Damaged); ok {
				fmt.Fprintf(f.IO.ErrOut, "hint: %s\n", WordHint(h))
			}
		})
	}
	if cb.Sample {
		f.sampleOnce.Do(func() {
			fmt.Fprintln(f.IO.ErrOut, "medcode: no code tables loaded; answering from the small sample built into medcode")
			fmt.Fprintln(f.IO.ErrOut, "hint: medcode load PATH loads the official ICD-10-CM and HCPCS files (see medcode load --help)")
		})
	}
	return cb, nil
}

// ParseDate reads a --date value.
func ParseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return time.Time{}, FlagErrorf("invalid --date %q: want YYYY-MM-DD", s)
	}
	return t, nil
}
