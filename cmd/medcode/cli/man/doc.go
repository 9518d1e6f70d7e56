// Package man implements `medcode man`, which writes the manual pages
// generated from the command tree.
package man
