// Package mcepb is the Protocol Buffers schema of the Medicare Code Editor's edit tables (mce.bin).
package mcepb

//go:generate protoc --go_out=. --go_opt=paths=source_relative mce.proto
