// Package codingtest loads the full official tables once per test binary
// for the domain packages' tests.
package codingtest
