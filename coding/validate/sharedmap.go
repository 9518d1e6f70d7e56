package validate

import "sync"

// sharedMap is a map the workers of a batch share: the records of the
// codes they meet, each worked out once for all of them. A value is built
// outside the lock, so that two workers meeting different new codes do
// not wait for each other; two building the same one at once both do,
// and the first stored is the one every worker uses.
type sharedMap[V any] struct {
	mu sync.Mutex
	m  map[string]V
}

// get returns the value of k, built by build if no one has stored one.
func (s *sharedMap[V]) get(k string, build func() (V, error)) (V, error) {
	s.mu.Lock()
	v, ok := s.m[k]
	s.mu.Unlock()
	if ok {
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

// load returns the value of k, if stored.
func (s *sharedMap[V]) load(k string) (V, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[k]
	return v, ok
}
