// Package suggest implements `medcode suggest`.
package suggest
