// Package codeset models the official ICD-10-CM and HCPCS Level II files and
// parses them exactly as CMS and CDC publish them. It knows nothing about
// search or storage: the index package builds on what this package returns.
package codeset
