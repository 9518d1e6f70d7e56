package iostreams

import "io"

// counted tells whether a stream has carried any bytes, so that a command
// that failed before writing or reading anything can be run again.
type countedWriter struct {
	w io.Writer
	n int64
}

func (c *countedWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

type countedReader struct {
	r io.Reader
	n int64
}

func (c *countedReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// Untouched reports whether nothing was written to stdout and nothing
// read from stdin yet.
func (s *IOStreams) Untouched() bool {
	return s.out.n == 0 && (s.in == nil || s.in.n == 0)
}
