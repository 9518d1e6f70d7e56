// Package rules implements `medcode rules`.
package rules
