// Command medcode is the medical coding assistant's command line.
package main
