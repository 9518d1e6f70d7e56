package memo

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

func TestGetBuildsOnceAndKeepsTheFirst(t *testing.T) {
	var m Map[int]
	var builds atomic.Int32
	var wg sync.WaitGroup
	got := make([]int, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := m.Get("k", func() (int, error) { return int(builds.Add(1)), nil })
			if err != nil {
				t.Error(err)
			}
			got[i] = v
		}()
	}
	wg.Wait()
	for _, v := range got {
		if v != got[0] {
			t.Fatalf("callers got different values: %v", got)
		}
	}
	if v, err := m.Get("k", func() (int, error) { t.Fatal("built again"); return 0, nil }); err != nil || v != got[0] {
		t.Fatalf("second Get = %d, %v", v, err)
	}
}

func TestFailedBuildStoresNothing(t *testing.T) {
	var m Map[string]
	if _, err := m.Get("k", func() (string, error) { return "", errors.New("no") }); err == nil {
		t.Fatal("want the build's error")
	}
	if _, ok := m.Load("k"); ok {
		t.Fatal("a failed build was stored")
	}
	m.Store("k", "v")
	if v, ok := m.Load("k"); !ok || v != "v" {
		t.Fatalf("Load after Store = %q, %v", v, ok)
	}
}
