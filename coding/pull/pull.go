package pull

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/medcode/medcode/coding"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/index"
)

// `medcode pull` is the only part of medcode that uses the network: it
// fetches the archives a catalogue lists (codeset.Catalog) into
// <data-dir>/cache/<release>/ and hands them to Load. Every file of every
// release asked for is complete and verified before the first load starts,
// so a failed download never touches the index.

// Request is what `medcode pull` asks for.
type Request struct {
	// Catalog lists the releases; nil means the built-in catalogue.
	Catalog *codeset.Catalog
	// Release names an ICD-10-CM release ("2026", "2026-04") or any
	// release of the catalogue by name ("ncci-mue-2026-q2"); HCPCS names an
	// HCPCS quarter ("2026-01", "2026-04"). With both empty, pull takes the
	// release of each system in effect today that is not loaded yet.
	Release string
	HCPCS   string
	// From is a mirror to fetch from instead of the publishers: a folder
	// (copied from) or an http(s) URL, each file at its catalogue mirror path.
	From string
	// IncludeLicensed tries the releases the publisher serves only after a
	// licence click-through; they are skipped otherwise.
	IncludeLicensed bool
	// Client fetches the files; nil means NewClient().
	Client *http.Client
	// Now is the clock that decides which releases are current; nil means
	// time.Now.
	Now func() time.Time
	// OnPlan, when set, is told what will be fetched, and from where, before
	// anything is.
	OnPlan func(*Plan)
	// Progress, when set, is told of each file's bytes as they arrive.
	Progress func(DownloadProgress)
	// LoadProgress, when set, is passed to Load.
	LoadProgress func(index.Progress)
}

// Report says what a pull fetched and loaded.
type Report struct {
	Plan     *Plan            `json:"plan"`
	Files    []*PulledFile    `json:"files"`
	Releases []*PulledRelease `json:"releases"`
}

// PulledFile is one archive as it ended up in the cache.
type PulledFile struct {
	Release string `json:"release"`
	Name    string `json:"name"`
	Source  string `json:"source"`
	Path    string `json:"path"`
	Size    int64  `json:"size"`
	SHA256  string `json:"sha256"`
	// Fetched is false when the cached copy was used.
	Fetched bool `json:"fetched"`
	Resumed bool `json:"resumed,omitempty"`
	// Verified is "sha256", "size" or "none": what the catalogue let pull
	// check.
	Verified string `json:"verified"`
	Note     string `json:"note,omitempty"`
}

// PulledRelease is a release of the plan after the pull.
type PulledRelease struct {
	Name   string             `json:"name"`
	Loaded bool               `json:"loaded"`
	Note   string             `json:"note,omitempty"`
	Load   *coding.LoadReport `json:"load,omitempty"`
}

// CacheDir is where pull keeps the archives of a data directory.
func CacheDir(dataDir string) string { return filepath.Join(dataDir, "cache") }

func (req *Request) catalog() (*codeset.Catalog, error) {
	if req.Catalog != nil {
		return req.Catalog, nil
	}
	return codeset.DefaultCatalog()
}

func (req *Request) today() time.Time {
	now := time.Now
	if req.Now != nil {
		now = req.Now
	}
	t := now()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// Pull fetches the releases of the plan into the cache, verifies them and
// loads them, one release at a time. Nothing is loaded unless every file of
// every release fetched and verified.
func Run(ctx context.Context, dataDir string, req Request) (*Report, error) {
	plan, err := NewPlan(dataDir, req)
	if err != nil {
		return nil, err
	}
	if req.OnPlan != nil {
		req.OnPlan(plan)
	}
	rep := &Report{Plan: plan, Files: []*PulledFile{}, Releases: []*PulledRelease{}}
	if len(plan.Releases) == 0 {
		return rep, nil
	}
	if err := os.MkdirAll(plan.Cache, 0o700); err != nil {
		return nil, fmt.Errorf("cache folder %s: %w", plan.Cache, unwrapPath(err))
	}
	unlock, err := lockCache(plan.Cache)
	if err != nil {
		return nil, err
	}
	defer unlock()

	client := req.Client
	if client == nil {
		client = NewClient()
	}
	p := &puller{client: client, progress: req.Progress}
	for _, r := range plan.Releases {
		if err := os.MkdirAll(filepath.Join(plan.Cache, r.Name), 0o700); err != nil {
			return nil, fmt.Errorf("cache folder %s: %w", filepath.Join(plan.Cache, r.Name), unwrapPath(err))
		}
		for _, f := range r.Files {
			pf, err := p.get(ctx, r, f)
			if err != nil {
				return nil, err
			}
			rep.Files = append(rep.Files, pf)
		}
	}

	// Every release must bring its own code table before any is loaded:
	// a Tabular zip without its order file would otherwise attach to
	// another loaded release.
	for _, r := range plan.Releases {
		if err := checkTables(r); err != nil {
			return nil, err
		}
	}
	var loadedNow []string
	for _, r := range plan.Releases {
		pr := &PulledRelease{Name: r.Name}
		rep.Releases = append(rep.Releases, pr)
		if !r.Load {
			pr.Note = fmt.Sprintf("kept in %s: medcode loads %s tables only as the ncci system", filepath.Join(plan.Cache, r.Name), r.System)
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, loadErr(plan.Cache, r.Name, err, loadedNow)
		}
		paths := make([]string, len(r.Files))
		for i, f := range r.Files {
			paths[i] = f.Path
		}
		// The catalogue names the release: an update's files often carry the
		// base year's names (icd10cm_order_2026.txt in the April update).
		lr, err := coding.Load(dataDir, coding.LoadRequest{Paths: paths, Release: r.Name, Progress: req.LoadProgress})
		if err != nil {
			return nil, loadErr(plan.Cache, r.Name, err, loadedNow)
		}
		pr.Loaded, pr.Load = true, lr
		loadedNow = append(loadedNow, r.Name)
		if !slices.Contains(lr.Added, r.Name) && !slices.Contains(lr.Replaced, r.Name) {
			pr.Note = fmt.Sprintf("the files did not add to %s; see the load report", r.Name)
		}
	}
	return rep, nil
}

// checkTables makes sure a release's archives hold a code table of its
// system, by content as Load recognises files.
func checkTables(r *PlannedRelease) error {
	if !r.Load {
		return nil
	}
	paths := make([]string, len(r.Files))
	for i, f := range r.Files {
		paths[i] = f.Path
	}
	srcs, _, err := codeset.Scan(paths)
	if err != nil {
		return fmt.Errorf("reading %s: %w", r.Name, err)
	}
	for _, s := range srcs {
		switch s.Kind {
		case codeset.KindOrder, codeset.KindCodes, codeset.KindHCPCS:
			if string(s.Kind.System()) == r.System {
				return nil
			}
		}
	}
	want := "ICD-10-CM order or codes file"
	if r.System == string(codeset.HCPCS) {
		want = "HCPCS alpha-numeric file"
	}
	var names []string
	for _, f := range r.Files {
		names = append(names, f.Name)
	}
	where := "the publisher's page"
	if r.entry != nil && r.entry.Page != "" {
		where = r.entry.Page
	}
	return coding.Errorf(fmt.Sprintf("the catalogue entry may name the wrong files: check %s and give a corrected catalogue with {catalog}", where), "%s: no %s in %s; nothing was loaded", r.Name, want, strings.Join(names, ", "))
}

func loadErr(cache, name string, err error, done []string) error {
	// A load error carries its hint typed, or (from the file parsers) as
	// a last line of its text.
	msg, hint, ok := strings.Cut(fmt.Sprintf("loading %s: %v", name, err), "\nhint: ")
	if h, typed := coding.HintOf(err); typed {
		hint, ok = h, true
	}
	if !ok {
		hint = fmt.Sprintf("the file named above is damaged or in a layout medcode does not read; the archives stay in %s", filepath.Join(cache, name))
	}
	if len(done) > 0 {
		msg += fmt.Sprintf("\n%s loaded before the failure and stays loaded", strings.Join(done, ", "))
	}
	return coding.WithHint(errors.New(msg), hint)
}

// lockCache keeps two pulls from writing the same files.
func lockCache(dir string) (func(), error) {
	unlock, err := index.LockFile(filepath.Join(dir, "pull.lock"))
	switch {
	case errors.Is(err, index.ErrLocked):
		return nil, coding.Errorf("wait for it to finish", "another pull is running on %s", dir)
	case err != nil:
		return nil, fmt.Errorf("cache folder %s: %w", dir, unwrapPath(err))
	}
	return unlock, nil
}
