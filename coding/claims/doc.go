// Package claims models a claim as validation reads it and reads claim
// files: CSV and other delimited exports (with column maps), JSON Lines and
// X12 837P/837I.
package claims
