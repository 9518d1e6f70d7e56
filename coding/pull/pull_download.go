package pull

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/medcode/medcode/coding"
)

// DownloadProgress reports a file's advance; Total is -1 when unknown.
type DownloadProgress struct {
	Release string
	File    string
	Done    int64
	Total   int64
}

// NewClient is the HTTP client pull uses by default: every stage of a
// request has a time limit, the proxy comes from the environment, and a
// redirect may not leave https.
func NewClient() *http.Client {
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
		return nil, coding.Errorf("run {pull} again; finished files stay in the cache", "fetching %s: cancelled", f.Source)
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

// copyLocal copies a file from a mirror folder.
func (p *puller) copyLocal(ctx context.Context, r *PlannedRelease, f *PlannedFile, part string) error {
	src, err := os.Open(f.Source)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return coding.Errorf(fmt.Sprintf("put the publisher's file at %s in the mirror folder, as the catalogue's mirror path says", r.entryMirror(f.Name)), "the mirror has no %s (%s)", f.Name, f.Source)
		}
		return fmt.Errorf("%s: %w", f.Source, unwrapPath(err))
	}
	defer src.Close()
	total := int64(-1)
	if st, err := src.Stat(); err == nil {
		if !st.Mode().IsRegular() {
			return coding.Errorf(fmt.Sprintf("the mirror path of %s must name the archive itself", f.Name), "%s is not a file", f.Source)
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
	return false, coding.Errorf("run {pull} again later, or pull from a mirror with {mirror-flag}", "%s: the server did not send the file after %d tries", f.Source, 3)
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
			return resumed, false, coding.Errorf(fmt.Sprintf("run {pull} again to resume from the %d bytes kept in the cache", got), "fetching %s: cancelled after %s", f.Source, coding.HumanBytes(got))
		}
		return resumed, false, coding.Errorf(fmt.Sprintf("run {pull} again to resume from the %d bytes kept in the cache", got), "fetching %s: interrupted after %s of %s: %v", f.Source, coding.HumanBytes(got), sizeOrUnknown(total), err)
	}
	if total > 0 && got != total {
		return resumed, false, coding.Errorf(fmt.Sprintf("run {pull} again to resume from the %d bytes kept in the cache", got), "fetching %s: ended after %s of %s", f.Source, coding.HumanBytes(got), coding.HumanBytes(total))
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
	return coding.Errorf("the publisher may want a licence accepted first, or the file moved; download it in a browser and use {load}, or give a corrected catalogue with {catalog}", "fetching %s: got a web page, not the archive %s", f.Source, f.Name)
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
		hint = fmt.Sprintf("the catalogue entry of %s may be out of date (see %s), or the mirror lacks the file; give a corrected catalogue with {catalog}", r.Name, where)
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		hint = "the server refused the download; the publisher may ask for a licence to be accepted first"
	case resp.StatusCode >= 500:
		hint = "the server failed; try again later, or pull from a mirror with {mirror}"
	default:
		hint = "try again later, or pull from a mirror with {mirror}"
	}
	return coding.Errorf(hint, "fetching %s: HTTP %s", f.Source, strings.TrimSpace(status))
}

func netErr(ctx context.Context, f *PlannedFile, err error) error {
	switch cause := context.Cause(ctx); {
	case cause == errStalled:
		err = cause
	case cause != nil:
		return coding.Errorf("run {pull} again; finished files stay in the cache", "fetching %s: cancelled", f.Source)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return coding.Errorf("check the network connection and proxy settings, or pull from a mirror with {mirror}", "fetching %s: %v", f.Source, err)
}

func sizeOrUnknown(n int64) string {
	if n < 0 {
		return "an unknown size"
	}
	return coding.HumanBytes(n)
}
