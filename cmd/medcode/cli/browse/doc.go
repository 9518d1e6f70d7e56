// Package browse implements `medcode browse`, an interactive code browser drawn on the terminal.
package browse
