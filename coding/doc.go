// Package coding is medcode's code book: it opens the loaded releases (or
// the sample built into the binary), picks the release in effect on a date
// of service, and loads official files. Each job built on the code book is
// a package below it: lookup, suggest, validate, claims, batch and pull.
package coding
