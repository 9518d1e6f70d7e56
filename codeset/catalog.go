package codeset

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// defaultCatalog is the catalogue built into medcode.
//
//go:embed catalog.yaml
var defaultCatalog []byte

// DefaultCatalogName names the built-in catalogue in messages.
const DefaultCatalogName = "built-in catalog.yaml"

// Catalog lists the official releases `medcode pull` can fetch: for each,
// the publisher's files with their size and checksum where known. It is
// data: the built-in copy is embedded, a newer one is read with ReadCatalog.
type Catalog struct {
	// Source names the file the catalogue was read from.
	Source   string            `json:"source"`
	Version  int               `json:"version"`
	Updated  string            `json:"updated,omitempty"`
	Releases []*CatalogRelease `json:"releases"`
}

// Catalogue systems beyond the two code sets medcode loads.
const (
	SystemNCCIPTP = "ncci-ptp"
	SystemNCCIMUE = "ncci-mue"
)

var catalogSystems = map[string]bool{string(ICD10CM): true, string(HCPCS): true, string(NCCI): true, SystemNCCIPTP: true, SystemNCCIMUE: true}

// Licence values a catalogue release may carry.
const (
	LicencePublicDomain = "public-domain"
	LicenceClickThrough = "click-through"
)

// CatalogRelease is one published release and its files.
type CatalogRelease struct {
	// Name is the release id: "icd10cm-2026", "hcpcs-2026-04", and for
	// the systems medcode does not load a free lowercase name.
	Name   string `yaml:"name" json:"name"`
	Title  string `yaml:"title" json:"title,omitempty"`
	System string `yaml:"system" json:"system"`
	// FiscalYear and Update place an ICD-10-CM release; Quarter ("2026-04",
	// the month the quarter's file takes effect) places the others.
	FiscalYear int    `yaml:"fiscal_year" json:"fiscal_year,omitempty"`
	Update     string `yaml:"update" json:"update,omitempty"`
	Quarter    string `yaml:"quarter" json:"quarter,omitempty"`
	// Effective and Through are the dates of service (YYYY-MM-DD); Through
	// is empty when the catalogue does not know when the release ends.
	Effective string         `yaml:"effective" json:"effective"`
	Through   string         `yaml:"through" json:"through,omitempty"`
	Licence   string         `yaml:"licence" json:"licence,omitempty"`
	Page      string         `yaml:"page" json:"page,omitempty"`
	Note      string         `yaml:"note" json:"note,omitempty"`
	Files     []*CatalogFile `yaml:"-" json:"files"`

	// Line is where the release starts in the catalogue file.
	Line int `yaml:"-" json:"-"`

	release   *Release
	effective time.Time
	through   time.Time
}

// CatalogFile is one archive of a release as the publisher serves it.
type CatalogFile struct {
	// Name is the file name in the cache, by default the URL's last part.
	Name string `yaml:"name" json:"name"`
	URL  string `yaml:"url" json:"url"`
	// Mirror is the path of the file under a mirror folder or URL, by
	// default SYSTEM/RELEASE/NAME.
	Mirror string `yaml:"mirror" json:"mirror"`
	// Size and SHA256 are zero and empty when not known.
	Size   int64  `yaml:"size" json:"size,omitempty"`
	SHA256 string `yaml:"sha256" json:"sha256,omitempty"`

	Line int `yaml:"-" json:"-"`
}

// Release is the code-set release the entry defines, for the systems
// medcode loads (ICD-10-CM and HCPCS); ok is false for the others.
func (r *CatalogRelease) Release() (Release, bool) {
	if r.release == nil {
		return Release{}, false
	}
	return *r.release, true
}

// Loadable reports whether medcode can load the release's files.
func (r *CatalogRelease) Loadable() bool { return r.release != nil }

// ClickThrough reports whether the publisher serves the files only after a
// licence is accepted on its page.
func (r *CatalogRelease) ClickThrough() bool { return r.Licence == LicenceClickThrough }

// EffectiveDate is the first date of service the release applies to.
func (r *CatalogRelease) EffectiveDate() time.Time { return r.effective }

// ThroughDate is the last date of service, zero when not known.
func (r *CatalogRelease) ThroughDate() time.Time { return r.through }

// DefaultCatalog parses the built-in catalogue.
func DefaultCatalog() (*Catalog, error) {
	return ParseCatalog(defaultCatalog, DefaultCatalogName)
}

// ReadCatalog reads a catalogue file.
func ReadCatalog(file string) (*Catalog, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w\nhint: --catalog names a catalogue file written like medcode's built-in one", file, unwrapPathErr(err))
	}
	return ParseCatalog(b, file)
}

type catalogDoc struct {
	Version  int         `yaml:"version"`
	Updated  string      `yaml:"updated"`
	Releases []yaml.Node `yaml:"releases"`
}

type catalogReleaseDoc struct {
	CatalogRelease `yaml:",inline"`
	Files          []yaml.Node `yaml:"files"`
}

var (
	yamlLineRe     = regexp.MustCompile(`^(?:yaml: )?(?:unmarshal errors:\n\s*)?line (\d+): (.*)$`)
	unknownFieldRe = regexp.MustCompile(`^field (\S+) not found in type`)
	releaseNameRe  = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*$`)
	sha256Re       = regexp.MustCompile(`^[0-9a-f]{64}$`)
	monthOfYearRe  = regexp.MustCompile(`^([0-9]{4})-([0-9]{2})$`)
	catalogDateFmt = "2006-01-02"
)

// catalogErr turns a yaml.v3 error ("yaml: line 7: ...") into "name:7: ...".
func catalogErr(name string, err error) error {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		text := m[2]
		if f := unknownFieldRe.FindStringSubmatch(text); f != nil {
			text = fmt.Sprintf("unknown field %q", f[1])
		}
		return &LineError{File: name, Line: n, Err: errors.New(text)}
	}
	return &LineError{File: name, Err: errors.New(strings.TrimPrefix(msg, "yaml: "))}
}

// ParseCatalog reads a catalogue, naming the file and line of any mistake.
func ParseCatalog(b []byte, name string) (*Catalog, error) {
	var doc catalogDoc
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &LineError{File: name, Err: errors.New("empty catalogue")}
		}
		return nil, catalogErr(name, err)
	}
	if doc.Version != 1 {
		return nil, &LineError{File: name, Line: 1, Err: fmt.Errorf("version %d, want 1", doc.Version)}
	}
	if doc.Updated != "" {
		if _, err := time.Parse(catalogDateFmt, doc.Updated); err != nil {
			return nil, &LineError{File: name, Err: fmt.Errorf("updated %q: want YYYY-MM-DD", doc.Updated)}
		}
	}
	c := &Catalog{Source: name, Version: doc.Version, Updated: doc.Updated}
	seen := map[string]int{}
	for i := range doc.Releases {
		node := &doc.Releases[i]
		if node.Kind != yaml.MappingNode {
			return nil, &LineError{File: name, Line: node.Line, Err: errors.New("a release must be a mapping (name:, system:, files:)")}
		}
		var rd catalogReleaseDoc
		if err := decodeKnown(node, &rd); err != nil {
			return nil, catalogErr(name, err)
		}
		r := &rd.CatalogRelease
		r.Line = node.Line
		for j := range rd.Files {
			fn := &rd.Files[j]
			if fn.Kind != yaml.MappingNode {
				return nil, &LineError{File: name, Line: fn.Line, Err: errors.New("a file must be a mapping (url:, size:, sha256:)")}
			}
			f := &CatalogFile{Line: fn.Line}
			if err := decodeKnown(fn, f); err != nil {
				return nil, catalogErr(name, err)
			}
			r.Files = append(r.Files, f)
		}
		if err := r.check(); err != nil {
			var le *LineError
			if errors.As(err, &le) {
				return nil, &LineError{File: name, Line: le.Line, Err: fmt.Errorf("release %s: %w", r.Name, le.Err)}
			}
			label := r.Name
			if label == "" {
				label = "#" + strconv.Itoa(i+1)
			}
			return nil, &LineError{File: name, Line: r.Line, Err: fmt.Errorf("release %s: %w", label, err)}
		}
		if prev, ok := seen[r.Name]; ok {
			return nil, &LineError{File: name, Line: r.Line, Err: fmt.Errorf("release %s is already listed at line %d", r.Name, prev)}
		}
		seen[r.Name] = r.Line
		c.Releases = append(c.Releases, r)
	}
	if len(c.Releases) == 0 {
		return nil, &LineError{File: name, Err: errors.New("no releases (releases: ...)")}
	}
	return c, nil
}

// decodeKnown decodes a node refusing unknown fields, which Node.Decode
// otherwise ignores: a misspelt sha256 must not silently verify nothing.
func decodeKnown(n *yaml.Node, out any) error {
	allowed := yamlKeys(out)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !allowed[k.Value] {
			return fmt.Errorf("line %d: unknown field %q", k.Line, k.Value)
		}
	}
	return n.Decode(out)
}

// yamlKeys lists the keys a catalogue mapping may use.
func yamlKeys(out any) map[string]bool {
	switch out.(type) {
	case *catalogReleaseDoc:
		return map[string]bool{"name": true, "title": true, "system": true, "fiscal_year": true, "update": true, "quarter": true,
			"effective": true, "through": true, "licence": true, "page": true, "note": true, "files": true}
	case *CatalogFile:
		return map[string]bool{"name": true, "url": true, "mirror": true, "size": true, "sha256": true}
	}
	return nil
}

// check validates a release and fills in its defaults.
func (r *CatalogRelease) check() error {
	if r.Name == "" {
		return errors.New("no name (name: icd10cm-2026)")
	}
	if !releaseNameRe.MatchString(r.Name) {
		return fmt.Errorf("name %q: use lowercase letters, digits, '.' and '-'", r.Name)
	}
	if !catalogSystems[r.System] {
		return fmt.Errorf("system %q: want icd10cm, hcpcs, ncci, ncci-ptp or ncci-mue", r.System)
	}
	switch r.Licence {
	case "", LicencePublicDomain, LicenceClickThrough:
	default:
		return fmt.Errorf("licence %q: want public-domain or click-through", r.Licence)
	}
	var effective time.Time
	switch System(r.System) {
	case ICD10CM:
		if r.Quarter != "" {
			return errors.New("quarter is for HCPCS and NCCI; an ICD-10-CM release has fiscal_year (and update for a mid-year update)")
		}
		if r.FiscalYear < 1990 || r.FiscalYear > 2999 {
			return fmt.Errorf("fiscal_year %d: want a year such as 2026", r.FiscalYear)
		}
		month := 0
		if r.Update != "" {
			y, m, err := yearMonth(r.Update)
			if err != nil {
				return fmt.Errorf("update %q: want the month it takes effect, e.g. %d-04", r.Update, r.FiscalYear)
			}
			if FiscalYear(time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)) != r.FiscalYear {
				return fmt.Errorf("update %s is not in fiscal year %d", r.Update, r.FiscalYear)
			}
			month = m
		}
		rel := NewRelease(ICD10CM, r.FiscalYear, month)
		r.release = &rel
		effective = rel.Effective()
	default:
		if r.FiscalYear != 0 || r.Update != "" {
			return errors.New("fiscal_year and update are for ICD-10-CM; use quarter: YYYY-MM")
		}
		y, m, err := yearMonth(r.Quarter)
		if err != nil || (m-1)%3 != 0 {
			return fmt.Errorf("quarter %q: want the month the quarter starts, e.g. 2026-01, 2026-04, 2026-07 or 2026-10", r.Quarter)
		}
		effective = time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
		if sys := System(r.System); sys == HCPCS || sys == NCCI {
			rel := NewRelease(sys, y, m)
			r.release = &rel
		}
	}
	if r.release != nil && r.Name != r.release.ID() {
		by := "quarter"
		if r.System == string(ICD10CM) {
			by = "fiscal year"
		}
		return fmt.Errorf("name %q does not match the %s of the entry: want %s", r.Name, by, r.release.ID())
	}
	if r.Effective == "" {
		r.Effective = effective.Format(catalogDateFmt)
	}
	var err error
	if r.effective, err = time.Parse(catalogDateFmt, r.Effective); err != nil {
		return fmt.Errorf("effective %q: want YYYY-MM-DD", r.Effective)
	}
	if r.Through != "" {
		if r.through, err = time.Parse(catalogDateFmt, r.Through); err != nil {
			return fmt.Errorf("through %q: want YYYY-MM-DD", r.Through)
		}
		if r.through.Before(r.effective) {
			return fmt.Errorf("through %s is before effective %s", r.Through, r.Effective)
		}
	}
	if r.Page != "" && !isHTTPURL(r.Page) {
		return fmt.Errorf("page %q: want an http or https URL", r.Page)
	}
	if len(r.Files) == 0 {
		return errors.New("no files (files: - url: ...)")
	}
	names := map[string]bool{}
	for _, f := range r.Files {
		if err := f.check(r); err != nil {
			return &LineError{Line: f.Line, Err: err}
		}
		if names[f.Name] {
			return &LineError{Line: f.Line, Err: fmt.Errorf("file %s is listed twice", f.Name)}
		}
		names[f.Name] = true
	}
	return nil
}

func (f *CatalogFile) check(r *CatalogRelease) error {
	if f.URL == "" {
		return errors.New("a file has no url")
	}
	if !isHTTPURL(f.URL) {
		return fmt.Errorf("url %q: want an http or https URL", f.URL)
	}
	if f.Name == "" {
		u, _ := url.Parse(f.URL)
		f.Name = path.Base(u.Path)
	}
	if f.Name == "" || f.Name == "." || f.Name == "/" || f.Name == ".." || strings.ContainsAny(f.Name, `/\`) || strings.HasPrefix(f.Name, ".") {
		return fmt.Errorf("file name %q: want a plain file name (name: ...)", f.Name)
	}
	if strings.HasSuffix(f.Name, ".part") {
		return fmt.Errorf("file name %q: .part is kept for unfinished downloads", f.Name)
	}
	if f.Mirror == "" {
		f.Mirror = r.System + "/" + strings.TrimPrefix(r.Name, r.System+"-") + "/" + f.Name
	}
	if strings.Contains(f.Mirror, `\`) || path.IsAbs(f.Mirror) || path.Clean(f.Mirror) != f.Mirror || f.Mirror == ".." || strings.HasPrefix(f.Mirror, "../") {
		return fmt.Errorf("mirror %q: want a relative path such as icd10cm/2026/%s", f.Mirror, f.Name)
	}
	if f.Size < 0 {
		return fmt.Errorf("size %d: want the file's bytes, or leave it out", f.Size)
	}
	f.SHA256 = strings.ToLower(strings.TrimSpace(f.SHA256))
	if f.SHA256 != "" && !sha256Re.MatchString(f.SHA256) {
		return fmt.Errorf("sha256 %q: want 64 hex digits, or leave it out", f.SHA256)
	}
	return nil
}

func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func yearMonth(s string) (int, int, error) {
	m := monthOfYearRe.FindStringSubmatch(s)
	if m == nil {
		return 0, 0, errors.New("want YYYY-MM")
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	if y < 1990 || y > 2999 || mo < 1 || mo > 12 {
		return 0, 0, errors.New("want YYYY-MM")
	}
	return y, mo, nil
}

// Find returns the release of that name (case-insensitive), or nil.
func (c *Catalog) Find(name string) *CatalogRelease {
	name = strings.ToLower(strings.TrimSpace(name))
	for _, r := range c.Releases {
		if r.Name == name {
			return r
		}
	}
	return nil
}

// Systems lists the systems of the catalogue in the order they first
// appear.
func (c *Catalog) Systems() []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range c.Releases {
		if !seen[r.System] {
			seen[r.System] = true
			out = append(out, r.System)
		}
	}
	return out
}

// Current returns the release of a system in effect on a date of service:
// the latest whose effective date is not after it. stale is true when that
// release's through date has passed, which means the catalogue is older than
// the publisher's newest release. r is nil when no release is in effect yet.
func (c *Catalog) Current(system string, d time.Time) (r *CatalogRelease, stale bool) {
	var cands []*CatalogRelease
	for _, x := range c.Releases {
		if x.System == system && !x.effective.After(d) {
			cands = append(cands, x)
		}
	}
	if len(cands) == 0 {
		return nil, false
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].effective.After(cands[j].effective) })
	r = cands[0]
	return r, !r.through.IsZero() && d.After(r.through)
}
