// Package changes implements `medcode changes`.
package changes
