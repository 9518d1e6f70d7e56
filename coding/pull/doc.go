// Package pull fetches the official releases a catalogue lists, verifies
// them and loads them: the one part of medcode that uses the network.
package pull
