package pull

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/medcode/medcode/codeset"
	"github.com/medcode/medcode/coding"
	"github.com/medcode/medcode/index"
)

// Plan is what a pull will do.
type Plan struct {
	Catalog        string `json:"catalog"`
	CatalogUpdated string `json:"catalog_updated,omitempty"`
	// From is "publishers", or the mirror folder or URL.
	From string `json:"from"`
	// Cache is the folder the archives are kept in.
	Cache string `json:"cache"`
	// Date is the day the current releases were chosen for.
	Date     string            `json:"date"`
	Releases []*PlannedRelease `json:"releases"`
	Skipped  []Skip            `json:"skipped"`
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

// Skip is a release a pull leaves out, and why.
type Skip struct {
	Release string `json:"release"`
	Reason  string `json:"reason"`
	Hint    string `json:"hint,omitempty"`
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

// NewPlan works out what a pull would fetch, and from where, without
// fetching anything.
func NewPlan(dataDir string, req Request) (*Plan, error) {
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
	plan := &Plan{Catalog: cat.Source, CatalogUpdated: cat.Updated, From: m.String(), Cache: CacheDir(dataDir), Date: today.Format("2006-01-02"), Skipped: []Skip{}}

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
				plan.Skipped = append(plan.Skipped, Skip{Release: r.Name, Reason: "already loaded"})
			default:
				chosen = append(chosen, r)
			}
		}
		if len(stale) > 0 {
			plan.Notes = append(plan.Notes, fmt.Sprintf("the catalogue is out of date: the newest releases it knows (%s) ended before %s, so newer ones are probably out; %s was last updated %s, give a newer one with {catalog}",
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
				return nil, coding.Errorf(s.Hint, "%s is %s", r.Name, s.Reason)
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

func clickThroughSkip(r *codeset.CatalogRelease) Skip {
	where := "on the publisher's page"
	if r.Page != "" {
		where = "at " + r.Page
	}
	return Skip{
		Release: r.Name,
		Reason:  "published behind a licence click-through: the publisher serves the files only once its licence is accepted",
		Hint:    fmt.Sprintf("accept the licence %s and download the files yourself, or run {licensed} to try", where),
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
		return nil, coding.Errorf("{pull-list} shows the releases it knows", "%v, or a release name of the catalogue", err)
	}
	if r := cat.Find(rel.ID()); r != nil {
		return r, nil
	}
	return nil, coding.Errorf("{pull-list} shows the releases it knows; a newer catalogue can be given with {catalog}", "release %s is not in the catalogue (%s, updated %s)", rel.ID(), cat.Source, strings.TrimPrefix(orUnknown(cat.Updated), "on "))
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
