// Package iostreams carries the standard streams into every command, so that
// tests run commands in process and terminal decisions are made in one place.
package iostreams
