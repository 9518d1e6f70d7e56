package memo

import "sync"

// Map is a map safe for concurrent use. Get builds a missing value outside
// the lock, so that two goroutines meeting different new keys do not wait
// for each other; two building the same one at once both do, and the
// first stored is the one every caller gets. The zero Map is ready to use.
type Map[V any] struct {
	mu sync.Mutex
	m  map[string]V
}

// Get returns the value of k, built by build if none is stored. A build
// that fails stores nothing.
func (s *Map[V]) Get(k string, build func() (V, error)) (V, error) {
	if v, ok := s.Load(k); ok {
		return v, nil
	}
	v, err := build()
	if err != nil {
		return v, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if w, ok := s.m[k]; ok {
		return w, nil
	}
	if s.m == nil {
		s.m = map[string]V{}
	}
	s.m[k] = v
	return v, nil
}

// Load returns the value of k, if stored.
func (s *Map[V]) Load(k string) (V, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[k]
	return v, ok
}

// Store sets the value of k.
func (s *Map[V]) Store(k string, v V) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]V{}
	}
	s.m[k] = v
}
