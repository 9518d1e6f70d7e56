// Package cli wires medcode's commands. Run is the whole program; main only
// calls it, so tests drive the real command tree in process.
package cli
