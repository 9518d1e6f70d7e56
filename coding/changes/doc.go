// Package changes tells what changed between two releases of a code set,
// and which current codes replace a deleted one.
package changes
