// Package batch streams a file of claims through validation on all cores
// and hands back one result per input record, in input order, with a
// summary of the run.
package batch
