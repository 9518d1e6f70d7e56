// Package pull implements `medcode pull`, the one command that uses the
// network.
package pull
