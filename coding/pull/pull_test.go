package pull

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/medcode/medcode/coding"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/index"
)

// The pull tests serve release archives built at test time from the
// repository's fixtures, from an in-process HTTP server, with a catalogue
// that points at it.

// archive is one file of a test release.
type archive struct {
	release string // catalogue release name
	name    string // file name, also the URL's last part
	body    []byte
}

func readFixture(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// zipOf builds a zip archive holding the members in the order given.
func zipOf(t *testing.T, members ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(members); i += 2 {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: members[i], Method: zip.Deflate, Modified: time.Date(2025, 6, 6, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(members[i+1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// testArchives are the release archives of the tests: ICD-10-CM FY2025
// and FY2026 (code descriptions and tables zips, as CMS publishes them)
// and the HCPCS 2020 file. The order and Tabular fixtures are small
// excerpts of the official files; the FY2025 order file is the FY2026
// excerpt under the FY2025 name, which is all a load looks at for the year.
func testArchives(t *testing.T) map[string]*archive {
	order := string(readFixture(t, "cli/icd10cm_order_2026.txt"))
	tabular := string(readFixture(t, "cli/icd10cm_tabular_2021.xml"))
	hcpcs := string(readFixture(t, "hcpcs/HCPC2020_sample_ANWEB.txt"))
	list := []*archive{
		{"icd10cm-2025", "2025-code-descriptions-tabular-order.zip", zipOf(t, "icd10cm_order_2025.txt", order, "README.txt", "not a code file")},
		{"icd10cm-2026", "2026-code-descriptions-tabular-order.zip", zipOf(t, "Code Descriptions/icd10cm_order_2026.txt", order, "Code Descriptions/icd10OrderFiles.pdf", "%PDF-1.4 stub")},
		{"icd10cm-2026", "2026-code-tables-tabular-and-index.zip", zipOf(t, "Table and Index/icd10cm_tabular_2021.xml", tabular)},
		{"hcpcs-2020", "2020-alpha-numeric-hcpcs-file.zip", zipOf(t, "HCPC2020_ANWEB.txt", hcpcs)},
		{"ncci-ptp-2026-q1", "ptp-f1.zip", zipOf(t, "ccipra-v321r0-f1.txt", "stub")},
	}
	out := map[string]*archive{}
	for _, a := range list {
		out[a.name] = a
	}
	return out
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// server serves the archives at /files/zip/NAME and at /mirror/PATH, and
// records every request. A handler in override replaces the normal one for
// a path.
type server struct {
	*httptest.Server
	archives map[string]*archive

	mu       sync.Mutex
	requests []*http.Request
	override map[string]http.HandlerFunc
}

func newServer(t *testing.T, archives map[string]*archive) *server {
	s := &server{archives: archives, override: map[string]http.HandlerFunc{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, r.Clone(context.Background()))
	h := s.override[r.URL.Path]
	s.mu.Unlock()
	if h != nil {
		h(w, r)
		return
	}
	name := filepath.Base(r.URL.Path)
	a := s.archives[name]
	if a == nil || !(strings.HasPrefix(r.URL.Path, "/files/zip/") || strings.HasPrefix(r.URL.Path, "/mirror/")) {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	// ServeContent answers Range and If-Range requests.
	http.ServeContent(w, r, name, time.Date(2025, 6, 6, 12, 0, 0, 0, time.UTC), bytes.NewReader(a.body))
}

func (s *server) set(path string, h http.HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.override[path] = h
}

func (s *server) reqs() []*http.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*http.Request(nil), s.requests...)
}

// catalogue writes a catalogue for the archives with the server's URLs,
// sizes and checksums; edit changes the YAML text before it is parsed.
func (s *server) catalogue(t *testing.T, edit func(string) string) *codeset.Catalog {
	t.Helper()
	file := func(name string) string {
		a := s.archives[name]
		return fmt.Sprintf("      - url: %s/files/zip/%s\n        size: %d\n        sha256: %s\n", s.URL, name, len(a.body), sum(a.body))
	}
	y := "version: 1\nupdated: 2026-01-15\nreleases:\n" +
		"  - name: icd10cm-2025\n    title: ICD-10-CM FY2025\n    system: icd10cm\n    fiscal_year: 2025\n    through: 2025-09-30\n    files:\n" +
		file("2025-code-descriptions-tabular-order.zip") +
		"  - name: icd10cm-2026\n    title: ICD-10-CM FY2026\n    system: icd10cm\n    fiscal_year: 2026\n    through: 2026-09-30\n    page: https://www.cms.gov/medicare/coding-billing/icd-10-codes\n    files:\n" +
		file("2026-code-descriptions-tabular-order.zip") + file("2026-code-tables-tabular-and-index.zip") +
		"  - name: hcpcs-2020\n    title: HCPCS 2020\n    system: hcpcs\n    quarter: 2020-01\n    through: 2020-03-31\n    files:\n" +
		file("2020-alpha-numeric-hcpcs-file.zip") +
		"  - name: ncci-ptp-2026-q1\n    system: ncci-ptp\n    quarter: 2026-01\n    licence: click-through\n    page: https://www.cms.gov/medicare/coding-billing/national-correct-coding-initiative-ncci-edits\n    files:\n" +
		file("ptp-f1.zip")
	if edit != nil {
		y = edit(y)
	}
	c, err := codeset.ParseCatalog([]byte(y), "test-catalog.yaml")
	if err != nil {
		t.Fatalf("test catalogue: %v\n%s", err, y)
	}
	return c
}

// on is a clock stopped on a day.
func on(y int, m time.Month, d int) func() time.Time {
	return func() time.Time { return time.Date(y, m, d, 9, 30, 0, 0, time.UTC) }
}

// loadedIDs returns the releases of the live index, nil when none.
func loadedIDs(t *testing.T, dir string) []string {
	t.Helper()
	ix, err := index.Open(dir)
	if errors.Is(err, index.ErrNotLoaded) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var ids []string
	for _, r := range ix.Manifest.Releases {
		ids = append(ids, r.ID)
	}
	return ids
}

// liveGeneration is the live generation folder, to tell that a failed pull
// did not swap in a new one.
func liveGeneration(t *testing.T, dir string) string {
	t.Helper()
	ix, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	return ix.Dir()
}

// withFY2025 loads FY2025 into a fresh data directory, the "previous index"
// the failure tests check is untouched.
func withFY2025(t *testing.T, s *server, cat *codeset.Catalog) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := Run(context.Background(), dir, Request{Catalog: cat, Release: "2025", Client: s.Client(), Now: on(2026, 2, 1)}); err != nil {
		t.Fatalf("pulling FY2025: %v", err)
	}
	if got := loadedIDs(t, dir); !slices.Equal(got, []string{"icd10cm-2025"}) {
		t.Fatalf("loaded %v, want icd10cm-2025", got)
	}
	return dir
}

// checkFailure checks a failed pull: a one-line message naming what failed,
// a hint, and the previous index still live.
func checkFailure(t *testing.T, err error, dir, gen string, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatal("pull succeeded, want an error")
	}
	msg := errText(err)
	first, rest, _ := strings.Cut(msg, "\n")
	if first == "" || strings.ToLower(first[:1]) != first[:1] {
		t.Errorf("message %q should start lowercase", first)
	}
	if !strings.HasPrefix(rest, "hint: ") && !strings.Contains(rest, "\nhint: ") {
		t.Errorf("message has no hint line:\n%s", msg)
	}
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("message does not mention %q:\n%s", w, msg)
		}
	}
	if got := loadedIDs(t, dir); !slices.Equal(got, []string{"icd10cm-2025"}) {
		t.Errorf("after the failure the index holds %v, want the previous icd10cm-2025 only", got)
	}
	if g := liveGeneration(t, dir); g != gen {
		t.Errorf("live generation changed from %s to %s", gen, g)
	}
}

func TestPullCurrentReleases(t *testing.T) {
	s := newServer(t, testArchives(t))
	cat := s.catalogue(t, nil)
	dir := t.TempDir()
	var planned *Plan
	requestsAtPlan := -1
	var progress []DownloadProgress
	var stages []string
	rep, err := Run(context.Background(), dir, Request{
		Catalog: cat, Client: s.Client(), Now: on(2026, 2, 1),
		OnPlan:       func(p *Plan) { planned, requestsAtPlan = p, len(s.reqs()) },
		Progress:     func(p DownloadProgress) { progress = append(progress, p) },
		LoadProgress: func(p index.Progress) { stages = append(stages, p.Stage) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if planned == nil || requestsAtPlan != 0 {
		t.Fatalf("the plan must be told before any request (plan %v, %d requests by then)", planned != nil, requestsAtPlan)
	}
	// On 2026-02-01 FY2026 is in effect; the only HCPCS release, 2020, is
	// the newest known but long over; the PTP edits are click-through.
	var names []string
	for _, r := range planned.Releases {
		names = append(names, r.Name)
	}
	if !slices.Equal(names, []string{"icd10cm-2026", "hcpcs-2020"}) {
		t.Errorf("planned %v, want icd10cm-2026 and hcpcs-2020", names)
	}
	if len(planned.Skipped) != 1 || planned.Skipped[0].Release != "ncci-ptp-2026-q1" || !strings.Contains(planned.Skipped[0].Reason, "click-through") || !strings.Contains(planned.Skipped[0].Hint, coding.DoLicensed) {
		t.Errorf("skipped %+v, want the click-through PTP edits with a hint", planned.Skipped)
	}
	if !slices.ContainsFunc(planned.Notes, func(n string) bool {
		return strings.Contains(n, "hcpcs-2020") && strings.Contains(n, "out of date") && strings.Contains(n, coding.DoCatalog)
	}) {
		t.Errorf("notes %q should say the HCPCS entry is out of date", planned.Notes)
	}
	for _, r := range planned.Releases {
		for _, f := range r.Files {
			if !strings.HasPrefix(f.Source, s.URL+"/files/zip/") || f.State != FileFetch || f.Path != filepath.Join(dir, "cache", r.Name, f.Name) {
				t.Errorf("planned file %+v", f)
			}
		}
	}
	if got := loadedIDs(t, dir); !slices.Equal(got, []string{"hcpcs-2020", "icd10cm-2026"}) {
		t.Fatalf("loaded %v, want hcpcs-2020 and icd10cm-2026", got)
	}
	ix, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if ix.Manifest.Release("icd10cm-2026") == nil {
		t.Error("icd10cm-2026 is not in the manifest")
	}
	e, err := ix.Get("icd10cm-2026", "E119")
	ix.Close()
	if err != nil || e == nil {
		t.Errorf("E119 in icd10cm-2026: %v, %v", e, err)
	}
	if len(rep.Files) != 3 || len(rep.Releases) != 2 {
		t.Fatalf("report: %d files, %d releases", len(rep.Files), len(rep.Releases))
	}
	for _, f := range rep.Files {
		if !f.Fetched || f.Verified != "sha256" || f.SHA256 != sum(s.archives[f.Name].body) {
			t.Errorf("pulled file %+v", f)
		}
		st, err := os.Stat(f.Path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", f.Path, st.Mode().Perm())
		}
		if _, err := os.Stat(f.Path + ".part"); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s.part left behind", f.Path)
		}
	}
	for _, r := range rep.Releases {
		if !r.Loaded || r.Load == nil {
			t.Errorf("release %s not loaded: %+v", r.Name, r)
		}
	}
	if len(progress) == 0 || progress[len(progress)-1].Done != int64(len(s.archives["2020-alpha-numeric-hcpcs-file.zip"].body)) {
		t.Errorf("download progress %v", progress)
	}
	if len(stages) == 0 {
		t.Error("no load progress")
	}

	// Pulled again: everything current is loaded, nothing is fetched.
	before := len(s.reqs())
	rep, err = Run(context.Background(), dir, Request{Catalog: cat, Client: s.Client(), Now: on(2026, 2, 1)})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Plan.Releases) != 0 || len(s.reqs()) != before {
		t.Errorf("second pull planned %d releases and made %d requests, want none", len(rep.Plan.Releases), len(s.reqs())-before)
	}
	var skipped []string
	for _, sk := range rep.Plan.Skipped {
		skipped = append(skipped, sk.Release+": "+sk.Reason)
	}
	if !slices.Contains(skipped, "icd10cm-2026: already loaded") || !slices.Contains(skipped, "hcpcs-2020: already loaded") {
		t.Errorf("second pull skipped %q", skipped)
	}

	// Named explicitly, a loaded release is loaded again, from the cache.
	rep, err = Run(context.Background(), dir, Request{Catalog: cat, Release: "icd10cm-2026", Client: s.Client(), Now: on(2026, 2, 1)})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.reqs()) != before {
		t.Errorf("a cached release was fetched again (%d requests)", len(s.reqs())-before)
	}
	if len(rep.Files) != 2 || rep.Files[0].Fetched || rep.Plan.Releases[0].Files[0].State != FileCached {
		t.Errorf("cached files: %+v", rep.Files)
	}
	if len(rep.Releases) != 1 || !slices.Contains(rep.Releases[0].Load.Replaced, "icd10cm-2026") {
		t.Errorf("explicit pull did not reload icd10cm-2026: %+v", rep.Releases)
	}
}

func TestPullUpdateLoadsAsTheCatalogueRelease(t *testing.T) {
	// The April update's zip holds icd10cm_order_2026.txt, as CMS ships
	// it: the catalogue, not the file name, names the release.
	arch := testArchives(t)
	order := string(readFixture(t, "cli/icd10cm_order_2026.txt"))
	arch["april-1-2026-code-descriptions-tabular-order.zip"] = &archive{"icd10cm-2026-04", "april-1-2026-code-descriptions-tabular-order.zip", zipOf(t, "Code Descriptions/icd10cm_order_2026.txt", order)}
	s := newServer(t, arch)
	a := arch["april-1-2026-code-descriptions-tabular-order.zip"]
	cat := s.catalogue(t, func(y string) string {
		return y + fmt.Sprintf("  - name: icd10cm-2026-04\n    system: icd10cm\n    fiscal_year: 2026\n    update: 2026-04\n    files:\n      - url: %s/files/zip/%s\n        sha256: %s\n", s.URL, a.name, sum(a.body))
	})
	dir := t.TempDir()
	if _, err := Run(context.Background(), dir, Request{Catalog: cat, Release: "2026-04", Client: s.Client()}); err != nil {
		t.Fatal(err)
	}
	if got := loadedIDs(t, dir); !slices.Equal(got, []string{"icd10cm-2026-04"}) {
		t.Errorf("loaded %v, want icd10cm-2026-04", got)
	}
}

func TestPullFromMirrorFolder(t *testing.T) {
	arch := testArchives(t)
	s := newServer(t, arch)
	cat := s.catalogue(t, nil)
	mirror := t.TempDir()
	for _, r := range cat.Releases {
		for _, f := range r.Files {
			p := filepath.Join(mirror, filepath.FromSlash(f.Mirror))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, arch[f.Name].body, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	// No network: any request is a failure.
	offline := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		t.Errorf("request to %s while pulling from a folder", r.URL)
		return nil, errors.New("offline")
	})}
	dir := t.TempDir()
	var planned *Plan
	rep, err := Run(context.Background(), dir, Request{Catalog: cat, Release: "2026", HCPCS: "2020-01", From: mirror, Client: offline, OnPlan: func(p *Plan) { planned = p }})
	if err != nil {
		t.Fatal(err)
	}
	if planned.From != mirror {
		t.Errorf("plan from %q, want %q", planned.From, mirror)
	}
	want := filepath.Join(mirror, "icd10cm", "2026", "2026-code-descriptions-tabular-order.zip")
	if got := planned.Releases[0].Files[0].Source; got != want {
		t.Errorf("source %s, want %s", got, want)
	}
	if got := loadedIDs(t, dir); !slices.Equal(got, []string{"hcpcs-2020", "icd10cm-2026"}) {
		t.Errorf("loaded %v", got)
	}
	if len(rep.Files) != 3 || rep.Files[0].Verified != "sha256" {
		t.Errorf("files %+v", rep.Files)
	}

	// A mirror that lacks a file says which and where it should be.
	os.Remove(filepath.Join(mirror, "icd10cm", "2025", "2025-code-descriptions-tabular-order.zip"))
	_, err = Run(context.Background(), dir, Request{Catalog: cat, Release: "2025", From: mirror, Client: offline})
	if err == nil || !strings.Contains(errText(err), "icd10cm/2025/2025-code-descriptions-tabular-order.zip") || !strings.Contains(errText(err), "hint:") {
		t.Errorf("missing mirror file: %v", err)
	}
	if got := loadedIDs(t, dir); !slices.Equal(got, []string{"hcpcs-2020", "icd10cm-2026"}) {
		t.Errorf("after the failure loaded %v", got)
	}

	// A --from that is not a folder is refused before anything happens.
	if _, err := NewPlan(dir, Request{Catalog: cat, From: filepath.Join(mirror, "nope")}); err == nil || !strings.Contains(err.Error(), "mirror folder") {
		t.Errorf("missing mirror folder: %v", err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestPullFromMirrorURL(t *testing.T) {
	s := newServer(t, testArchives(t))
	cat := s.catalogue(t, nil)
	dir := t.TempDir()
	if _, err := Run(context.Background(), dir, Request{Catalog: cat, Release: "2026", From: s.URL + "/mirror/", Client: s.Client()}); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, r := range s.reqs() {
		paths = append(paths, r.URL.Path)
	}
	want := []string{"/mirror/icd10cm/2026/2026-code-descriptions-tabular-order.zip", "/mirror/icd10cm/2026/2026-code-tables-tabular-and-index.zip"}
	if !slices.Equal(paths, want) {
		t.Errorf("requested %q, want %q", paths, want)
	}
	if got := loadedIDs(t, dir); !slices.Equal(got, []string{"icd10cm-2026"}) {
		t.Errorf("loaded %v", got)
	}
}

// cutShort answers with the whole Content-Length but only the first half of
// the body, then drops the connection.
func cutShort(t *testing.T, body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		conn, rw, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		fmt.Fprintf(rw, "HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nContent-Length: %d\r\nLast-Modified: %s\r\n\r\n", len(body), time.Date(2025, 6, 6, 12, 0, 0, 0, time.UTC).Format(http.TimeFormat))
		rw.Write(body[:len(body)/2])
		rw.Flush()
	}
}

func TestPullTruncatedDownloadResumes(t *testing.T) {
	const name = "2026-code-tables-tabular-and-index.zip"
	for _, rangeOK := range []bool{true, false} {
		t.Run(map[bool]string{true: "range", false: "server ignores range"}[rangeOK], func(t *testing.T) {
			arch := testArchives(t)
			s := newServer(t, arch)
			cat := s.catalogue(t, nil)
			dir := withFY2025(t, s, cat)
			gen := liveGeneration(t, dir)
			body := arch[name].body

			s.set("/files/zip/"+name, cutShort(t, body))
			_, err := Run(context.Background(), dir, Request{Catalog: cat, Release: "2026", Client: s.Client()})
			checkFailure(t, err, dir, gen, s.URL+"/files/zip/"+name, "interrupted", "resume from the")
			part := filepath.Join(dir, "cache", "icd10cm-2026", name+".part")
			st, err := os.Stat(part)
			if err != nil || st.Size() != int64(len(body)/2) {
				t.Fatalf("the .part file should hold the %d bytes received: %v, %v", len(body)/2, st, err)
			}
			if st.Mode().Perm() != 0o600 {
				t.Errorf(".part mode %v", st.Mode().Perm())
			}
			plan, err := NewPlan(dir, Request{Catalog: cat, Release: "2026"})
			if err != nil {
				t.Fatal(err)
			}
			if f := plan.Releases[0].Files[1]; f.State != FileResume || f.Have != int64(len(body)/2) {
				t.Errorf("plan after the cut: %+v", f)
			}

			if rangeOK {
				s.set("/files/zip/"+name, nil)
			} else {
				s.set("/files/zip/"+name, func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Length", fmt.Sprint(len(body)))
					w.Write(body)
				})
			}
			n := len(s.reqs())
			rep, err := Run(context.Background(), dir, Request{Catalog: cat, Release: "2026", Client: s.Client()})
			if err != nil {
				t.Fatal(err)
			}
			reqs := s.reqs()[n:]
			last := reqs[len(reqs)-1]
			if got, want := last.Header.Get("Range"), fmt.Sprintf("bytes=%d-", len(body)/2); got != want {
				t.Errorf("resume sent Range %q, want %q", got, want)
			}
			if got := last.Header.Get("If-Range"); got == "" {
				t.Error("resume sent no If-Range")
			}
			var f *PulledFile
			for _, x := range rep.Files {
				if x.Name == name {
					f = x
				}
			}
			if f == nil || f.Resumed != rangeOK || f.SHA256 != sum(body) {
				t.Errorf("pulled %+v, want resumed=%v", f, rangeOK)
			}
			if got := loadedIDs(t, dir); !slices.Equal(got, []string{"icd10cm-2025", "icd10cm-2026"}) {
				t.Errorf("loaded %v", got)
			}
			if _, err := os.Stat(part); !errors.Is(err, os.ErrNotExist) {
				t.Error(".part left behind")
			}
		})
	}
}

func TestPullChecksumMismatch(t *testing.T) {
	const name = "2026-code-descriptions-tabular-order.zip"
	arch := testArchives(t)
	s := newServer(t, arch)
	// The catalogue expects other bytes of the same size.
	good := arch[name].body
	bad := append([]byte(nil), good...)
	bad[len(bad)/2] ^= 0xff
	cat := s.catalogue(t, func(y string) string { return strings.Replace(y, sum(good), sum(bad), 1) })
	dir := withFY2025(t, s, cat)
	gen := liveGeneration(t, dir)

	_, err := Run(context.Background(), dir, Request{Catalog: cat, Release: "2026", Client: s.Client()})
	checkFailure(t, err, dir, gen, "checksum mismatch", name, s.URL+"/files/zip/"+name, sum(good), sum(bad), "removed from the cache")
	for _, p := range []string{name, name + ".part", name + ".part.json"} {
		if _, err := os.Stat(filepath.Join(dir, "cache", "icd10cm-2026", p)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s is still in the cache", p)
		}
	}
	// A wrong size is caught the same way.
	cat = s.catalogue(t, func(y string) string {
		return strings.Replace(y, fmt.Sprintf("size: %d\n        sha256: %s", len(good), sum(good)), fmt.Sprintf("size: %d", len(good)+1), 1)
	})
	_, err = Run(context.Background(), dir, Request{Catalog: cat, Release: "2026", Client: s.Client()})
	checkFailure(t, err, dir, gen, name, fmt.Sprintf("has %d bytes, the catalogue expects %d", len(good), len(good)+1))
	if _, err := os.Stat(filepath.Join(dir, "cache", "icd10cm-2026", name)); !errors.Is(err, os.ErrNotExist) {
		t.Error("the file of the wrong size is still in the cache")
	}
}

func TestPullServerErrorMidway(t *testing.T) {
	const second = "2026-code-tables-tabular-and-index.zip"
	s := newServer(t, testArchives(t))
	cat := s.catalogue(t, nil)
	dir := withFY2025(t, s, cat)
	gen := liveGeneration(t, dir)
	s.set("/files/zip/"+second, func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "internal error", http.StatusInternalServerError)
	})
	_, err := Run(context.Background(), dir, Request{Catalog: cat, Release: "2026", Client: s.Client()})
	checkFailure(t, err, dir, gen, "HTTP 500", s.URL+"/files/zip/"+second, "try again later")
	// The first file is complete and kept; the next pull fetches only the second.
	if _, err := os.Stat(filepath.Join(dir, "cache", "icd10cm-2026", "2026-code-descriptions-tabular-order.zip")); err != nil {
		t.Errorf("the first file should stay in the cache: %v", err)
	}
	s.set("/files/zip/"+second, nil)
	n := len(s.reqs())
	if _, err := Run(context.Background(), dir, Request{Catalog: cat, Release: "2026", Client: s.Client()}); err != nil {
		t.Fatal(err)
	}
	if reqs := s.reqs()[n:]; len(reqs) != 1 || !strings.HasSuffix(reqs[0].URL.Path, second) {
		t.Errorf("the retry requested %d files, want only %s", len(reqs), second)
	}
}

func TestPullMissingFile(t *testing.T) {
	s := newServer(t, testArchives(t))
	cat := s.catalogue(t, func(y string) string {
		return strings.Replace(y, "/files/zip/2026-code-tables-tabular-and-index.zip", "/files/zip/2026-code-tables-moved.zip", 1)
	})
	dir := withFY2025(t, s, cat)
	gen := liveGeneration(t, dir)
	_, err := Run(context.Background(), dir, Request{Catalog: cat, Release: "2026", Client: s.Client()})
	checkFailure(t, err, dir, gen, "HTTP 404", s.URL+"/files/zip/2026-code-tables-moved.zip", "icd10cm-2026", coding.DoCatalog, "https://www.cms.gov/medicare/coding-billing/icd-10-codes")
}

func TestPullWebPageInsteadOfArchive(t *testing.T) {
	const name = "2026-code-tables-tabular-and-index.zip"
	s := newServer(t, testArchives(t))
	cat := s.catalogue(t, nil)
	dir := withFY2025(t, s, cat)
	gen := liveGeneration(t, dir)
	s.set("/files/zip/"+name, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<html><body>Accept the licence</body></html>")
	})
	_, err := Run(context.Background(), dir, Request{Catalog: cat, Release: "2026", Client: s.Client()})
	checkFailure(t, err, dir, gen, "web page", name)
}

func TestPullClickThrough(t *testing.T) {
	s := newServer(t, testArchives(t))
	cat := s.catalogue(t, nil)
	dir := t.TempDir()
	_, err := Run(context.Background(), dir, Request{Catalog: cat, Release: "ncci-ptp-2026-q1", Client: s.Client()})
	if err == nil || !strings.Contains(errText(err), "click-through") || !strings.Contains(errText(err), "hint: ") || !strings.Contains(errText(err), coding.DoLicensed) {
		t.Errorf("explicit click-through release: %v", err)
	}
	if len(s.reqs()) != 0 {
		t.Errorf("%d requests for a skipped release", len(s.reqs()))
	}
	// With --include-licensed it is fetched; a legacy ncci-ptp entry is not
	// a release medcode loads, so it stays in the cache.
	rep, err := Run(context.Background(), dir, Request{Catalog: cat, Release: "ncci-ptp-2026-q1", IncludeLicensed: true, Client: s.Client()})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Releases) != 1 || rep.Releases[0].Loaded || !strings.Contains(rep.Releases[0].Note, "only as the ncci system") {
		t.Errorf("releases %+v", rep.Releases)
	}
	if _, err := os.Stat(filepath.Join(dir, "cache", "ncci-ptp-2026-q1", "ptp-f1.zip")); err != nil {
		t.Error(err)
	}
	if got := loadedIDs(t, dir); got != nil {
		t.Errorf("loaded %v", got)
	}
}

func TestPullCancelled(t *testing.T) {
	s := newServer(t, testArchives(t))
	cat := s.catalogue(t, nil)
	dir := withFY2025(t, s, cat)
	gen := liveGeneration(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	s.set("/files/zip/2026-code-tables-tabular-and-index.zip", func(w http.ResponseWriter, r *http.Request) {
		cancel()
		<-r.Context().Done()
	})
	_, err := Run(ctx, dir, Request{Catalog: cat, Release: "2026", Client: s.Client()})
	checkFailure(t, err, dir, gen, "cancelled")
}

func TestPlanPull(t *testing.T) {
	s := newServer(t, testArchives(t))
	cat := s.catalogue(t, nil)
	dir := t.TempDir()

	// Before FY2026 took effect FY2025 is current.
	plan, err := NewPlan(dir, Request{Catalog: cat, Now: on(2025, 9, 30)})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Releases) == 0 || plan.Releases[0].Name != "icd10cm-2025" || plan.Date != "2025-09-30" {
		t.Errorf("plan on 2025-09-30: %+v", plan.Releases)
	}
	plan, err = NewPlan(dir, Request{Catalog: cat, Now: on(2025, 10, 1), IncludeLicensed: true})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range plan.Releases {
		names = append(names, r.Name)
	}
	// The PTP edits take effect in January 2026: not in effect yet.
	if !slices.Equal(names, []string{"icd10cm-2026", "hcpcs-2020"}) || !slices.ContainsFunc(plan.Notes, func(n string) bool { return strings.Contains(n, "ncci-ptp") }) {
		t.Errorf("plan on 2025-10-01: %v, notes %q", names, plan.Notes)
	}
	if plan.From != "publishers" || plan.Cache != filepath.Join(dir, "cache") {
		t.Errorf("plan from %q into %q", plan.From, plan.Cache)
	}
	if len(s.reqs()) != 0 {
		t.Errorf("planning made %d requests", len(s.reqs()))
	}

	for _, tt := range []struct {
		req  Request
		want string
	}{
		{Request{Release: "2024"}, "release icd10cm-2024 is not in the catalogue"},
		{Request{Release: "twenty"}, "invalid release"},
		{Request{HCPCS: "2026-04"}, "release hcpcs-2026-04 is not in the catalogue"},
		{Request{HCPCS: "spring"}, "invalid HCPCS quarter"},
		{Request{From: "ftp://mirror.example/medcode"}, "only folders and http(s) URLs"},
	} {
		tt.req.Catalog = cat
		_, err := NewPlan(dir, tt.req)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: %v, want %q", tt.req, err, tt.want)
		}
	}
	plan, err = NewPlan(dir, Request{Catalog: cat, Release: "fy2026", HCPCS: "2020-01"})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Releases) != 2 || plan.Releases[0].Name != "icd10cm-2026" || plan.Releases[1].Name != "hcpcs-2020" {
		t.Errorf("named releases planned %+v", plan.Releases)
	}

	// The built-in catalogue plans from the publishers' URLs.
	plan, err = NewPlan(dir, Request{Release: "2026", Now: on(2026, 1, 1)})
	if err != nil {
		t.Fatal(err)
	}
	if got := plan.Releases[0].Files[0].Source; got != "https://www.cms.gov/files/zip/2026-code-descriptions-tabular-order.zip" {
		t.Errorf("built-in FY2026 source %s", got)
	}
}

func TestPullList(t *testing.T) {
	s := newServer(t, testArchives(t))
	cat := s.catalogue(t, nil)
	dir := withFY2025(t, s, cat)
	// A release loaded by hand, which the catalogue does not list.
	order := filepath.Join(t.TempDir(), "icd10cm_order_2024.txt")
	if err := os.WriteFile(order, readFixture(t, "cli/icd10cm_order_2026.txt"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := coding.Load(dir, coding.LoadRequest{Paths: []string{order}}); err != nil {
		t.Fatal(err)
	}
	st, err := List(dir, Request{Catalog: cat, Now: on(2026, 2, 1)})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range st.Releases {
		got[r.Name] = fmt.Sprintf("current=%v loaded=%v cached=%d/%d", r.Current, r.Loaded, r.Cached, len(r.Files))
	}
	want := map[string]string{
		"icd10cm-2025":     "current=false loaded=true cached=1/1",
		"icd10cm-2026":     "current=true loaded=false cached=0/2",
		"hcpcs-2020":       "current=true loaded=false cached=0/1",
		"ncci-ptp-2026-q1": "current=true loaded=false cached=0/1",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %s, want %s", k, got[k], v)
		}
	}
	if !slices.Equal(st.Unlisted, []string{"icd10cm-2024"}) {
		t.Errorf("loaded but not listed: %v", st.Unlisted)
	}
}

func TestPullClientHasTimeouts(t *testing.T) {
	c := NewClient()
	tr, ok := c.Transport.(*http.Transport)
	if !ok || c.Timeout == 0 || tr.ResponseHeaderTimeout == 0 || tr.TLSHandshakeTimeout == 0 || tr.DialContext == nil {
		t.Errorf("pull client without timeouts: %+v", c)
	}
	// A redirect from https to http is refused.
	req, _ := http.NewRequest(http.MethodGet, "http://example.invalid/x.zip", nil)
	via, _ := http.NewRequest(http.MethodGet, "https://www.cms.gov/files/zip/x.zip", nil)
	if err := c.CheckRedirect(req, []*http.Request{via}); err == nil {
		t.Error("https to http redirect allowed")
	}
}

func TestPullArchiveWithoutCodeTable(t *testing.T) {
	// The archive arrives intact but holds no order file: the Tabular zip
	// of the release must not attach to FY2025. Nothing is loaded.
	arch := testArchives(t)
	arch["2026-code-descriptions-tabular-order.zip"].body = zipOf(t, "README.txt", "nothing here")
	s := newServer(t, arch)
	cat := s.catalogue(t, nil)
	dir := withFY2025(t, s, cat)
	gen := liveGeneration(t, dir)
	_, err := Run(context.Background(), dir, Request{Catalog: cat, HCPCS: "2020-01", Release: "2026", Client: s.Client()})
	checkFailure(t, err, dir, gen, "icd10cm-2026: no ICD-10-CM order or codes file in 2026-code-descriptions-tabular-order.zip, 2026-code-tables-tabular-and-index.zip", "nothing was loaded")
	// The archives are complete and verified, so they stay in the cache.
	if _, err := os.Stat(filepath.Join(dir, "cache", "icd10cm-2026", "2026-code-descriptions-tabular-order.zip")); err != nil {
		t.Error(err)
	}
}

func TestPullLoadFailure(t *testing.T) {
	// A damaged order file inside an intact archive fails the load of its
	// release; the release loaded before it stays, the index stays whole.
	arch := testArchives(t)
	arch["2026-code-descriptions-tabular-order.zip"].body = zipOf(t, "icd10cm_order_2026.txt", string(readFixture(t, "cli/bad/truncated/icd10cm_order_2026.txt")))
	s := newServer(t, arch)
	cat := s.catalogue(t, nil)
	dir := withFY2025(t, s, cat)
	_, err := Run(context.Background(), dir, Request{Catalog: cat, HCPCS: "2020-01", Client: s.Client()})
	if err != nil {
		t.Fatal(err)
	}
	gen := liveGeneration(t, dir)
	_, err = Run(context.Background(), dir, Request{Catalog: cat, Release: "2026", Client: s.Client()})
	if err == nil {
		t.Fatal("pull succeeded")
	}
	msg := errText(err)
	if !strings.HasPrefix(msg, "loading icd10cm-2026: ") || strings.Count(msg, "\nhint: ") != 1 {
		t.Errorf("message:\n%s", msg)
	}
	if got := loadedIDs(t, dir); !slices.Equal(got, []string{"hcpcs-2020", "icd10cm-2025"}) {
		t.Errorf("loaded %v", got)
	}
	if g := liveGeneration(t, dir); g != gen {
		t.Errorf("live generation changed")
	}
}

// errText is an error as a user reads it: the message, then its hint.
func errText(err error) string {
	s := err.Error()
	if h, ok := coding.HintOf(err); ok {
		s += "\nhint: " + h
	}
	return s
}
