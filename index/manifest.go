package index

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/medcode/medcode/codeset"
)

const manifestName = "manifest.json"

// formatVersion changes when the on-disk layout changes incompatibly.
const formatVersion = 4

// Manifest says what a generation holds. Its JSON is shown by `info --json`,
// so field names are stable.
type Manifest struct {
	Format   int            `json:"format"`
	Releases []*ReleaseInfo `json:"releases"`
}

// ReleaseInfo describes one loaded release.
type ReleaseInfo struct {
	codeset.Release
	ID        string       `json:"id"`
	Effective string       `json:"effective"`
	Through   string       `json:"through"`
	Sources   []SourceInfo `json:"sources"`
	Codes     int          `json:"codes"`
	Billable  int          `json:"billable"`
	Headers   int          `json:"headers"`
	Modifiers int          `json:"modifiers,omitempty"`
	Notes     int          `json:"codes_with_notes,omitempty"`
	Terms     int          `json:"index_terms,omitempty"`
	// TermsByBook counts the index terms kept from each book.
	TermsByBook map[codeset.IndexBook]int `json:"index_terms_by_book,omitempty"`
	PTPEdits    int                       `json:"ptp_edits,omitempty"`
	MUEEdits    int                       `json:"mue_edits,omitempty"`
	// PTPBySetting and MUEBySetting count the edits of each setting
	// ("practitioner", "outpatient", "dme"; "" for an MUE table that
	// names none, which applies to all).
	PTPBySetting map[string]int `json:"ptp_edits_by_setting,omitempty"`
	MUEBySetting map[string]int `json:"mue_edits_by_setting,omitempty"`
	// MCERows counts the diagnosis rows of an MCE release (Codes its codes).
	MCERows  int      `json:"mce_rows,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
	// Files are the files the load wrote for the release, each with its
	// size and checksum, so a damaged copy is told from the one written.
	Files []StoredFile `json:"files,omitempty"`
}

// SourceInfo is one official file a release was built from.
type SourceInfo struct {
	Kind    codeset.Kind `json:"kind"`
	File    string       `json:"file"`
	Year    int          `json:"year,omitempty"`
	Records int          `json:"records"`
}

func readManifest(dir string) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, manifestName))
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, &DamagedError{Dir: dir, File: manifestName, Why: "is not valid JSON"}
	}
	// Release IDs and file paths become paths below the generation: a
	// manifest naming anything outside it is not one a load wrote.
	for _, r := range m.Releases {
		if r == nil || !localName(r.ID) || strings.ContainsAny(r.ID, `/\`) {
			return nil, &DamagedError{Dir: dir, File: manifestName, Why: "lists a release that is not in the index"}
		}
		for _, f := range r.Files {
			if !localName(filepath.FromSlash(f.Path)) {
				return nil, &DamagedError{Dir: dir, File: manifestName, Why: "lists a file that is not in the index"}
			}
		}
	}
	return &m, nil
}

func writeManifest(dir string, m *Manifest) error {
	sort.Slice(m.Releases, func(i, j int) bool { return m.Releases[i].ID < m.Releases[j].ID })
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return writeFileSync(filepath.Join(dir, manifestName), append(b, '\n'))
}

func writeFileSync(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// PTPRows counts the procedure-to-procedure edits of a setting. An index
// loaded before the counts were kept by setting answers with them all.
func (r *ReleaseInfo) PTPRows(setting string) int {
	if r.PTPBySetting == nil {
		return r.PTPEdits
	}
	return r.PTPBySetting[setting]
}

// MUERows counts the MUE edits that apply to a setting: its own and those
// of a table that names none.
func (r *ReleaseInfo) MUERows(setting string) int {
	if r.MUEBySetting == nil {
		return r.MUEEdits
	}
	return r.MUEBySetting[setting] + r.MUEBySetting[""]
}

// Release finds a loaded release by ID.
func (m *Manifest) Release(id string) *ReleaseInfo {
	for _, r := range m.Releases {
		if r.ID == id {
			return r
		}
	}
	return nil
}

func localName(p string) bool { return p != "" && filepath.IsLocal(p) }
