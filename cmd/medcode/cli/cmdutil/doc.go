// Package cmdutil holds what every command shares: the factory that opens
// the code book, exit codes and JSON output.
package cmdutil
