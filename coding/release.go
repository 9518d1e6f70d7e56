package coding

import "github.com/medcode/medcode/index"

// The index's descriptions of what is loaded are the domain's own: the CLI
// prints them and scripts read them as JSON.
type (
	// ReleaseInfo describes one loaded release.
	ReleaseInfo = index.ReleaseInfo
	// Manifest lists the loaded releases.
	Manifest = index.Manifest
	// Progress is one step of a load.
	Progress = index.Progress
)

// IndexBytes is the size of the index on disk.
func (cb *Codebook) IndexBytes() int64 { return cb.ix.Size() }
