// Package memo remembers values worked out once and read many times by
// goroutines that share them.
package memo
