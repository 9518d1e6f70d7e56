// Package index owns medcode's on-disk index: per release, a bbolt file for
// exact look-ups in microseconds and a bleve index for text search, plus a
// manifest of what was loaded from where. A load builds a complete new
// generation beside the live one and swaps a symlink, so readers never see
// a half-built index and never wait on a writer's lock.
package index
