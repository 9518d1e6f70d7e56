// Package load implements `medcode load`.
package load
