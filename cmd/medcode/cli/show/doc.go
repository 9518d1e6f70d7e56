// Package show implements `medcode show`.
package show
