// Package info implements `medcode info`.
package info
