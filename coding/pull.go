package coding

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/index"
)

// `medcode pull` is the only part of medcode that uses the network: it
// fetches the archives a catalogue lists (codeset.Catalog) into
// <data-dir>/cache/<release>/ and hands them to Load. Every file of every
// release asked for is complete and verified before the first load starts,
// so a failed download never touches the index.

// PullRequest is what `medcode pull` asks for.
type PullRequest struct {
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
	// Client fetches the files; nil means NewPullClient().
	Client *http.Client
	// Now is the clock that decides which releases are current; nil means
	// time.Now.
	Now func() time.Time
	// OnPlan, when set, is told what will be fetched, and from where, before
	// anything is.
	OnPlan func(*PullPlan)
	// Progress, when set, is told of each file's bytes as they arrive.
	Progress func(DownloadProgress)
	// LoadProgress, when set, is passed to Load.
	LoadProgress func(index.Progress)
}

// DownloadProgress reports a file's advance; Total is -1 when unknown.
type DownloadProgress struct {
	Release string
	File    string
	Done    int64
	Total   int64
}

// PullPlan is what a pull will do.
type PullPlan struct {
	Catalog        string `json:"catalog"`
	CatalogUpdated string `json:"catalog_updated,omitempty"`
	// From is "publishers", or the mirror folder or URL.
	From string `json:"from"`
	// Cache is the folder the archives are kept in.
	Cache string `json:"cache"`
	// Date is the day the current releases were chosen for.
	Date     string            `json:"date"`
	Releases []*PlannedRelease `json:"releases"`
	Skipped  []PullSkip        `json:"skipped"`
	// Notes are warnings about the choice, such as an out-of-date catalogue.
	Notes []string `json:"notes,omitempty"`
}

// PlannedRelease is a release a pull fetches.
type PlannedRelease struct {
	Name      string `json:"name"`
	Title     string `json:"title,omitempty"`
	System    string `json:"system"`
	Effective string `json:"effective"`
	Through   string `json:"through,omitempty"`
	Licence   string `json:"licence,omitempty"`
	// Load is false for catalogue entries of a system medcode cannot load
	// (the legacy ncci-ptp and ncci-mue entries): their
	// archives are only kept in the cache.
	Load  bool           `json:"load"`
	Files []*PlannedFile `json:"files"`

	entry *codeset.CatalogRelease
}

// File states in a plan.
const (
	FileFetch  = "fetch"  // nothing in the cache
	FileResume = "resume" // an unfinished download is resumed
	FileCached = "cached" // complete in the cache: verified, not fetched
)

// PlannedFile is one archive of a planned release.
type PlannedFile struct {
	Name string `json:"name"`
	// Source is the URL or the mirror file it comes from.
	Source string `json:"source"`
	// Path is where it is kept in the cache.
	Path   string `json:"path"`
	Size   int64  `json:"size,omitempty"`
	SHA256 string `json:"sha256,omitempty"`
	State  string `json:"state"`
	// Have is the bytes of an unfinished download, for State resume.
	Have int64 `json:"have,omitempty"`

	local bool // Source is a file in a mirror folder
}

// PullSkip is a release a pull leaves out, and why.
type PullSkip struct {
	Release string `json:"release"`
	Reason  string `json:"reason"`
	Hint    string `json:"hint,omitempty"`
}

// PullReport says what a pull fetched and loaded.
type PullReport struct {
	Plan     *PullPlan        `json:"plan"`
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
	Name   string      `json:"name"`
	Loaded bool        `json:"loaded"`
	Note   string      `json:"note,omitempty"`
	Load   *LoadReport `json:"load,omitempty"`
}

// CacheDir is where pull keeps the archives of a data directory.
func CacheDir(dataDir string) string { return filepath.Join(dataDir, "cache") }

// NewPullClient is the HTTP client pull uses by default: every stage of a
// request has a time limit, the proxy comes from the environment, and a
// redirect may not leave https.
func NewPullClient() *http.Client {
	return &http.Client{
		Timeout: 60 * time.Minute,
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   30 * time.Second,
			ResponseHeaderTimeout: 60 * time.Second,
			ExpectContinueTimeout: time.Second,
			IdleConnTimeout:       90 * time.Second,
			ForceAttemptHTTP2:     true,
			DisableCompression:    true,
		},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 10 {
				return errors.New("too many redirects")
			}
			if via[0].URL.Scheme == "https" && req.URL.Scheme != "https" {
				return fmt.Errorf("refusing the redirect from https to %s", req.URL)
			}
			return nil
		},
	}
}

// stallTimeout ends a download that receives nothing for this long.
var stallTimeout = 2 * time.Minute

func (req *PullRequest) catalog() (*codeset.Catalog, error) {
	if req.Catalog != nil {
		return req.Catalog, nil
	}
	return codeset.DefaultCatalog()
}

func (req *PullRequest) today() time.Time {
	now := time.Now
	if req.Now != nil {
		now = req.Now
	}
	t := now()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// loadedReleases returns the IDs of the releases loaded in a data directory.
func loadedReleases(dataDir string) (map[string]bool, error) {
	ix, err := index.Open(dataDir)
	if errors.Is(err, index.ErrNotLoaded) {
		return map[string]bool{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer ix.Close()
	out := map[string]bool{}
	for _, r := range ix.Manifest.Releases {
		out[r.ID] = true
	}
	return out, nil
}

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

// PlanPull works out what a pull would fetch, and from where, without
// fetching anything.
func PlanPull(dataDir string, req PullRequest) (*PullPlan, error) {
	cat, err := req.catalog()
	if err != nil {
		return nil, err
	}
	m, err := parseFrom(req.From)
	if err != nil {
		return nil, err
	}
	loaded, err := loadedReleases(dataDir)
	if err != nil {
		return nil, err
	}
	today := req.today()
	plan := &PullPlan{Catalog: cat.Source, CatalogUpdated: cat.Updated, From: m.String(), Cache: CacheDir(dataDir), Date: today.Format("2006-01-02"), Skipped: []PullSkip{}}

	var chosen []*codeset.CatalogRelease
	if req.Release == "" && req.HCPCS == "" {
		var stale []string
		for _, sys := range cat.Systems() {
			r, old := cat.Current(sys, today)
			if r == nil {
				plan.Notes = append(plan.Notes, fmt.Sprintf("no %s release of the catalogue is in effect on %s yet", sys, plan.Date))
				continue
			}
			if old {
				stale = append(stale, r.Name)
			}
			switch {
			case r.ClickThrough() && !req.IncludeLicensed:
				plan.Skipped = append(plan.Skipped, clickThroughSkip(r))
			case loaded[r.Name]:
				plan.Skipped = append(plan.Skipped, PullSkip{Release: r.Name, Reason: "already loaded"})
			default:
				chosen = append(chosen, r)
			}
		}
		if len(stale) > 0 {
			plan.Notes = append(plan.Notes, fmt.Sprintf("the catalogue is out of date: the newest releases it knows (%s) ended before %s, so newer ones are probably out; %s was last updated %s, give a newer one with --catalog FILE",
				strings.Join(stale, ", "), plan.Date, cat.Source, strings.TrimPrefix(orUnknown(cat.Updated), "on ")))
		}
	} else {
		for _, want := range []struct {
			sys  codeset.System
			name string
		}{{codeset.ICD10CM, req.Release}, {codeset.HCPCS, req.HCPCS}} {
			if want.name == "" {
				continue
			}
			r, err := findRelease(cat, want.sys, want.name)
			if err != nil {
				return nil, err
			}
			if r.ClickThrough() && !req.IncludeLicensed {
				s := clickThroughSkip(r)
				return nil, fmt.Errorf("%s is %s\nhint: %s", r.Name, s.Reason, s.Hint)
			}
			if !slices.Contains(chosen, r) {
				chosen = append(chosen, r)
			}
		}
	}

	for _, r := range chosen {
		pr := &PlannedRelease{Name: r.Name, Title: r.Title, System: r.System, Effective: r.Effective, Through: r.Through, Licence: r.Licence, Load: r.Loadable(), entry: r}
		for _, f := range r.Files {
			src, local := m.source(f)
			pf := &PlannedFile{Name: f.Name, Source: src, Path: filepath.Join(plan.Cache, r.Name, f.Name), Size: f.Size, SHA256: f.SHA256, State: FileFetch, local: local}
			if st, err := os.Stat(pf.Path); err == nil && st.Mode().IsRegular() {
				pf.State = FileCached
			} else if st, err := os.Stat(pf.Path + partSuffix); err == nil && st.Size() > 0 && !local {
				pf.State, pf.Have = FileResume, st.Size()
			}
			pr.Files = append(pr.Files, pf)
		}
		plan.Releases = append(plan.Releases, pr)
	}
	return plan, nil
}

func orUnknown(s string) string {
	if s == "" {
		return "at an unknown date"
	}
	return "on " + s
}

func clickThroughSkip(r *codeset.CatalogRelease) PullSkip {
	where := "on the publisher's page"
	if r.Page != "" {
		where = "at " + r.Page
	}
	return PullSkip{
		Release: r.Name,
		Reason:  "published behind a licence click-through: the publisher serves the files only once its licence is accepted",
		Hint:    fmt.Sprintf("accept the licence %s and download the files yourself, or run medcode pull --include-licensed to try", where),
	}
}

// findRelease finds the release a --release or --hcpcs value names.
func findRelease(cat *codeset.Catalog, sys codeset.System, name string) (*codeset.CatalogRelease, error) {
	if r := cat.Find(name); r != nil {
		return r, nil
	}
	rel, err := codeset.ParseRelease(sys, name)
	if err != nil {
		if sys == codeset.HCPCS {
			return nil, fmt.Errorf("invalid HCPCS quarter %q: want a month such as 2026-01 or 2026-04", name)
		}
		return nil, fmt.Errorf("%v, or a release name of the catalogue\nhint: medcode pull --list shows the releases it knows", err)
	}
	if r := cat.Find(rel.ID()); r != nil {
		return r, nil
	}
	return nil, fmt.Errorf("release %s is not in the catalogue (%s, updated %s)\nhint: medcode pull --list shows the releases it knows; a newer catalogue can be given with --catalog FILE", rel.ID(), cat.Source, strings.TrimPrefix(orUnknown(cat.Updated), "on "))
}

// Pull fetches the releases of the plan into the cache, verifies them and
// loads them, one release at a time. Nothing is loaded unless every file of
// every release fetched and verified.
func Pull(ctx context.Context, dataDir string, req PullRequest) (*PullReport, error) {
	plan, err := PlanPull(dataDir, req)
	if err != nil {
		return nil, err
	}
	if req.OnPlan != nil {
		req.OnPlan(plan)
	}
	rep := &PullReport{Plan: plan, Files: []*PulledFile{}, Releases: []*PulledRelease{}}
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
		client = NewPullClient()
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
		lr, err := Load(dataDir, LoadRequest{Paths: paths, Release: r.Name, Progress: req.LoadProgress})
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
	return fmt.Errorf("%s: no %s in %s; nothing was loaded\nhint: the catalogue entry may name the wrong files: check %s and give a corrected catalogue with --catalog FILE", r.Name, want, strings.Join(names, ", "), where)
}

func loadErr(cache, name string, err error, done []string) error {
	msg, hint, ok := strings.Cut(fmt.Sprintf("loading %s: %v", name, err), "\nhint: ")
	if !ok {
		hint = fmt.Sprintf("the file named above is damaged or in a layout medcode does not read; the archives stay in %s", filepath.Join(cache, name))
	}
	if len(done) > 0 {
		msg += fmt.Sprintf("\n%s loaded before the failure and stays loaded", strings.Join(done, ", "))
	}
	return errors.New(msg + "\nhint: " + hint)
}

// lockCache keeps two pulls from writing the same files.
func lockCache(dir string) (func(), error) {
	f, err := os.OpenFile(filepath.Join(dir, "pull.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cache folder %s: %w", dir, unwrapPath(err))
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("another medcode pull is running on %s\nhint: wait for it to finish", dir)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

const (
	partSuffix = ".part"
	metaSuffix = ".part.json"
)

// partMeta identifies what a .part file is the beginning of, so a resumed
// download asks for the rest of the same file (If-Range).
type partMeta struct {
	URL       string `json:"url"`
	Validator string `json:"validator,omitempty"`
}

type puller struct {
	client   *http.Client
	progress func(DownloadProgress)
}

// get brings one file into the cache, complete and verified.
func (p *puller) get(ctx context.Context, r *PlannedRelease, f *PlannedFile) (*PulledFile, error) {
	out := &PulledFile{Release: r.Name, Name: f.Name, Source: f.Source, Path: f.Path}
	if _, err := os.Stat(f.Path); err == nil {
		size, sum, err := hashFile(f.Path)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", f.Path, unwrapPath(err))
		}
		if verr := verify(f, size, sum); verr == nil {
			out.Size, out.SHA256, out.Verified = size, sum, verifiedBy(f)
			return out, nil
		}
		// The catalogue no longer agrees with the cached copy: fetch anew.
		os.Remove(f.Path)
		out.Note = "the cached copy did not match the catalogue and was fetched again"
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("fetching %s: cancelled\nhint: run medcode pull again; finished files stay in the cache", f.Source)
	}
	part := f.Path + partSuffix
	var err error
	if f.local {
		err = p.copyLocal(ctx, r, f, part)
	} else {
		out.Resumed, err = p.download(ctx, r, f, part)
	}
	if err != nil {
		return nil, err
	}
	size, sum, err := hashFile(part)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", part, unwrapPath(err))
	}
	if err := verify(f, size, sum); err != nil {
		os.Remove(part)
		os.Remove(f.Path + metaSuffix)
		return nil, err
	}
	if err := os.Chmod(part, 0o600); err != nil {
		return nil, err
	}
	if err := os.Rename(part, f.Path); err != nil {
		return nil, fmt.Errorf("keeping %s in the cache: %w", f.Name, err)
	}
	os.Remove(f.Path + metaSuffix)
	out.Fetched, out.Size, out.SHA256, out.Verified = true, size, sum, verifiedBy(f)
	return out, nil
}

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
		return fmt.Errorf("%s from %s has %d bytes, the catalogue expects %d; it was removed from the cache\nhint: run medcode pull again; if it persists the publisher changed the file and the catalogue needs updating (--catalog FILE)", f.Name, f.Source, size, f.Size)
	}
	if f.SHA256 != "" && sum != f.SHA256 {
		return fmt.Errorf("checksum mismatch for %s from %s: sha256 %s, the catalogue expects %s; it was removed from the cache\nhint: run medcode pull again; if it persists the publisher changed the file and the catalogue needs updating (--catalog FILE)", f.Name, f.Source, sum, f.SHA256)
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

// copyLocal copies a file from a mirror folder.
func (p *puller) copyLocal(ctx context.Context, r *PlannedRelease, f *PlannedFile, part string) error {
	src, err := os.Open(f.Source)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("the mirror has no %s (%s)\nhint: put the publisher's file at %s in the mirror folder, as the catalogue's mirror path says", f.Name, f.Source, r.entryMirror(f.Name))
		}
		return fmt.Errorf("%s: %w", f.Source, unwrapPath(err))
	}
	defer src.Close()
	total := int64(-1)
	if st, err := src.Stat(); err == nil {
		if !st.Mode().IsRegular() {
			return fmt.Errorf("%s is not a file\nhint: the mirror path of %s must name the archive itself", f.Source, f.Name)
		}
		total = st.Size()
	}
	dst, err := os.OpenFile(part, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	_, err = p.copy(ctx, dst, src, r.Name, f.Name, 0, total, nil)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(part)
		return fmt.Errorf("copying %s: %w", f.Source, err)
	}
	return nil
}

func (r *PlannedRelease) entryMirror(name string) string {
	if r.entry != nil {
		for _, f := range r.entry.Files {
			if f.Name == name {
				return f.Mirror
			}
		}
	}
	return name
}

var contentRangeRe = regexp.MustCompile(`^bytes ([0-9]+)-([0-9]+)/([0-9]+|\*)$`)

// download fetches a URL into part, resuming what part already holds with
// an HTTP Range request. It reports whether it resumed.
func (p *puller) download(ctx context.Context, r *PlannedRelease, f *PlannedFile, part string) (bool, error) {
	metaPath := f.Path + metaSuffix
	for attempt := 0; attempt < 3; attempt++ {
		var have int64
		if st, err := os.Stat(part); err == nil {
			have = st.Size()
		}
		meta := readPartMeta(metaPath)
		if have > 0 && (meta == nil || meta.URL != f.Source) {
			// Begun from another source, or of unknown origin: start afresh.
			have = 0
		}
		if have > 0 && f.Size > 0 && have >= f.Size {
			if have == f.Size {
				return true, nil // complete; the caller verifies it
			}
			have = 0
		}
		resumed, retry, err := p.fetchOnce(ctx, r, f, part, metaPath, have, meta)
		if err != nil {
			return resumed, err
		}
		if !retry {
			return resumed, nil
		}
		// The server could not continue the .part: start again cleanly.
		os.Remove(part)
		os.Remove(metaPath)
	}
	return false, fmt.Errorf("%s: the server did not send the file after %d tries\nhint: run medcode pull again later, or pull from a mirror with --from", f.Source, 3)
}

// fetchOnce makes one request; retry asks the caller to start from zero.
func (p *puller) fetchOnce(ctx context.Context, r *PlannedRelease, f *PlannedFile, part, metaPath string, have int64, meta *partMeta) (resumed, retry bool, err error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.Source, nil)
	if err != nil {
		return false, false, fmt.Errorf("%s: %v", f.Source, err)
	}
	req.Header.Set("User-Agent", "medcode (https://github.com/medcode/medcode)")
	// Ranges count stored bytes: no transparent compression.
	req.Header.Set("Accept-Encoding", "identity")
	if have > 0 {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", have))
		if meta != nil && meta.Validator != "" {
			req.Header.Set("If-Range", meta.Validator)
		}
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return false, false, netErr(ctx, f, err)
	}
	defer resp.Body.Close()

	var dst *os.File
	var start, total int64
	switch {
	case resp.StatusCode == http.StatusPartialContent && have > 0:
		m := contentRangeRe.FindStringSubmatch(resp.Header.Get("Content-Range"))
		if m == nil {
			return false, true, nil
		}
		start, _ = strconv.ParseInt(m[1], 10, 64)
		if start != have {
			return false, true, nil
		}
		total = -1
		if m[3] != "*" {
			total, _ = strconv.ParseInt(m[3], 10, 64)
		}
		if dst, err = os.OpenFile(part, os.O_WRONLY|os.O_APPEND, 0o600); err != nil {
			return false, false, fmt.Errorf("cache: %w", err)
		}
		resumed = true
	case resp.StatusCode == http.StatusOK:
		// A fresh download, or a server that ignored the Range (or whose
		// file changed, with If-Range): start again from zero.
		if err := checkContentType(resp, f); err != nil {
			return false, false, err
		}
		if err := writePartMeta(metaPath, partMeta{URL: f.Source, Validator: validator(resp)}); err != nil {
			return false, false, fmt.Errorf("cache: %w", err)
		}
		if dst, err = os.OpenFile(part, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600); err != nil {
			return false, false, fmt.Errorf("cache: %w", err)
		}
		start, total = 0, resp.ContentLength
	case resp.StatusCode == http.StatusRequestedRangeNotSatisfiable && have > 0:
		return false, true, nil
	default:
		return false, false, statusErr(r, f, resp)
	}
	if total < 0 && f.Size > 0 {
		total = f.Size
	}
	n, err := p.copy(ctx, dst, resp.Body, r.Name, f.Name, start, total, cancel)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	got := start + n
	if err != nil {
		if context.Cause(ctx) == errStalled {
			err = errStalled
		} else if ctx.Err() != nil {
			return resumed, false, fmt.Errorf("fetching %s: cancelled after %s\nhint: run medcode pull again to resume from the %d bytes kept in the cache", f.Source, humanSize(got), got)
		}
		return resumed, false, fmt.Errorf("fetching %s: interrupted after %s of %s: %v\nhint: run medcode pull again to resume from the %d bytes kept in the cache", f.Source, humanSize(got), sizeOrUnknown(total), err, got)
	}
	if total > 0 && got != total {
		return resumed, false, fmt.Errorf("fetching %s: ended after %s of %s\nhint: run medcode pull again to resume from the %d bytes kept in the cache", f.Source, humanSize(got), humanSize(total), got)
	}
	return resumed, false, nil
}

var errStalled = errors.New("no data received for " + stallTimeout.String())

// copy writes src to dst, telling progress, and cancels (through stall)
// when nothing arrives for stallTimeout.
func (p *puller) copy(ctx context.Context, dst io.Writer, src io.Reader, release, name string, start, total int64, stall context.CancelCauseFunc) (int64, error) {
	var timer *time.Timer
	if stall != nil {
		timer = time.AfterFunc(stallTimeout, func() { stall(errStalled) })
		defer timer.Stop()
	}
	buf := make([]byte, 256<<10)
	var n int64
	report := func() {
		if p.progress != nil {
			p.progress(DownloadProgress{Release: release, File: name, Done: start + n, Total: total})
		}
	}
	report()
	for {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		k, rerr := src.Read(buf)
		if k > 0 {
			if timer != nil {
				timer.Reset(stallTimeout)
			}
			if _, werr := dst.Write(buf[:k]); werr != nil {
				return n, werr
			}
			n += int64(k)
			report()
		}
		if rerr == io.EOF {
			return n, nil
		}
		if rerr != nil {
			return n, rerr
		}
	}
}

func readPartMeta(path string) *partMeta {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var m partMeta
	if json.Unmarshal(b, &m) != nil {
		return nil
	}
	return &m
}

func writePartMeta(path string, m partMeta) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o600)
}

// validator is what If-Range sends back: a strong ETag, else Last-Modified.
func validator(resp *http.Response) string {
	if et := resp.Header.Get("ETag"); et != "" && !strings.HasPrefix(et, "W/") {
		return et
	}
	return resp.Header.Get("Last-Modified")
}

// checkContentType catches a web page served in place of an archive, as a
// licence click-through or a moved file's landing page are.
func checkContentType(resp *http.Response, f *PlannedFile) error {
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if mt != "text/html" || strings.HasSuffix(strings.ToLower(f.Name), ".html") {
		return nil
	}
	return fmt.Errorf("fetching %s: got a web page, not the archive %s\nhint: the publisher may want a licence accepted first, or the file moved; download it in a browser and use medcode load, or give a corrected catalogue with --catalog FILE", f.Source, f.Name)
}

func statusErr(r *PlannedRelease, f *PlannedFile, resp *http.Response) error {
	status := resp.Status
	if status == "" {
		status = strconv.Itoa(resp.StatusCode)
	}
	var hint string
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		where := "the publisher's page"
		if r.entry != nil && r.entry.Page != "" {
			where = r.entry.Page
		}
		hint = fmt.Sprintf("the catalogue entry of %s may be out of date (see %s), or the mirror lacks the file; give a corrected catalogue with --catalog FILE", r.Name, where)
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		hint = "the server refused the download; the publisher may ask for a licence to be accepted first"
	case resp.StatusCode >= 500:
		hint = "the server failed; try again later, or pull from a mirror with --from DIR|URL"
	default:
		hint = "try again later, or pull from a mirror with --from DIR|URL"
	}
	return fmt.Errorf("fetching %s: HTTP %s\nhint: %s", f.Source, strings.TrimSpace(status), hint)
}

func netErr(ctx context.Context, f *PlannedFile, err error) error {
	switch cause := context.Cause(ctx); {
	case cause == errStalled:
		err = cause
	case cause != nil:
		return fmt.Errorf("fetching %s: cancelled\nhint: run medcode pull again; finished files stay in the cache", f.Source)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return fmt.Errorf("fetching %s: %v\nhint: check the network connection and proxy settings, or pull from a mirror with --from DIR|URL", f.Source, err)
}

func humanSize(n int64) string {
	const mb = 1 << 20
	switch {
	case n >= mb:
		return fmt.Sprintf("%.1f MB", float64(n)/mb)
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

func sizeOrUnknown(n int64) string {
	if n < 0 {
		return "an unknown size"
	}
	return humanSize(n)
}

// CatalogStatus is what `medcode pull --list` shows: every release of the
// catalogue, whether it is current, loaded and cached, and the loaded
// releases the catalogue does not list.
type CatalogStatus struct {
	Catalog        string           `json:"catalog"`
	CatalogUpdated string           `json:"catalog_updated,omitempty"`
	Date           string           `json:"date"`
	Releases       []*ReleaseStatus `json:"releases"`
	// Unlisted are loaded releases the catalogue does not know.
	Unlisted []string `json:"loaded_not_in_catalog"`
}

// ReleaseStatus is one catalogue release in CatalogStatus.
type ReleaseStatus struct {
	*codeset.CatalogRelease
	Current bool `json:"current"`
	Loaded  bool `json:"loaded"`
	// Cached counts the release's files complete in the cache.
	Cached int `json:"cached_files"`
}

// PullList tells what the catalogue knows and what is loaded.
func PullList(dataDir string, req PullRequest) (*CatalogStatus, error) {
	cat, err := req.catalog()
	if err != nil {
		return nil, err
	}
	loaded, err := loadedReleases(dataDir)
	if err != nil {
		return nil, err
	}
	today := req.today()
	st := &CatalogStatus{Catalog: cat.Source, CatalogUpdated: cat.Updated, Date: today.Format("2006-01-02"), Releases: []*ReleaseStatus{}, Unlisted: []string{}}
	current := map[*codeset.CatalogRelease]bool{}
	for _, sys := range cat.Systems() {
		if r, _ := cat.Current(sys, today); r != nil {
			current[r] = true
		}
	}
	for _, r := range cat.Releases {
		rs := &ReleaseStatus{CatalogRelease: r, Current: current[r], Loaded: loaded[r.Name]}
		for _, f := range r.Files {
			if fi, err := os.Stat(filepath.Join(CacheDir(dataDir), r.Name, f.Name)); err == nil && fi.Mode().IsRegular() {
				rs.Cached++
			}
		}
		st.Releases = append(st.Releases, rs)
	}
	for id := range loaded {
		if cat.Find(id) == nil {
			st.Unlisted = append(st.Unlisted, id)
		}
	}
	sort.Strings(st.Unlisted)
	return st, nil
}
