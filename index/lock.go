package index

import (
	"errors"
	"os"
	"syscall"
)

// ErrLocked says another process holds a lock file.
var ErrLocked = errors.New("locked by another process")

// LockFile takes an exclusive lock on the file at path, creating it, or
// fails at once with ErrLocked when another process holds it. The kernel
// drops the lock when the process dies, so a killed load or pull never
// leaves a stale one behind.
func LockFile(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, ErrLocked
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
