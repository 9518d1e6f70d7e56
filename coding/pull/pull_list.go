package pull

import (
	"os"
	"path/filepath"
	"sort"

	"github.com/medcode/medcode/codeset"
)

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

// List tells what the catalogue knows and what is loaded.
func List(dataDir string, req Request) (*CatalogStatus, error) {
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
