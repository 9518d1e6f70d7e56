// Package coding is medcode's domain: loading official releases, looking
// codes up as a coder reads them, suggesting codes from text and validating
// code combinations. It returns data; the cmd package renders it.
package coding
