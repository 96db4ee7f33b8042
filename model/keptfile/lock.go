package keptfile

import (
	"errors"
	"fmt"
	"os"
	"time"
)

// ErrLocked is a lock another process (or another open file) holds.
var ErrLocked = errors.New("locked by another process")

// LockWait is how long Lock waits for a lock held elsewhere. The program
// holds its locks for an append or a rewrite, milliseconds; a holder that
// keeps one longer (a process stopped with Ctrl+Z, say) makes the write
// fail, saying so, rather than hang the program.
const LockWait = 5 * time.Second

// Lock takes an exclusive lock on the file at path, created (0600) when
// absent, and returns what releases it; it waits up to LockWait for
// another holder, then fails with an error matching ErrLocked. The lock
// file is checked like any other: a FIFO or a device there is refused,
// not waited on.
func Lock(path string) (unlock func(), err error) {
	return LockWithin(path, LockWait)
}

// LockWithin is Lock waiting at most wait.
func LockWithin(path string, wait time.Duration) (release func(), err error) {
	f, err := OpenAppend(path)
	if err != nil {
		return nil, fmt.Errorf("cannot lock %s: %w", path, err)
	}
	deadline := time.Now().Add(wait)
	// Polled rather than a blocking flock(2): a wait in a system call is
	// beyond the reach of the program's signal handling.
	for delay := time.Millisecond; ; delay = min(2*delay, 50*time.Millisecond) {
		err := tryLock(f)
		if err == nil {
			return func() {
				_ = unlock(f)
				f.Close()
			}, nil
		}
		if !errors.Is(err, ErrLocked) || time.Now().After(deadline) {
			f.Close()
			if errors.Is(err, ErrLocked) {
				return nil, fmt.Errorf("cannot lock %s: %w for over %v", path, err, wait)
			}
			return nil, fmt.Errorf("cannot lock %s: %w", path, err)
		}
		time.Sleep(delay)
	}
}

// TryLockFile takes an exclusive lock on the open file f without waiting:
// ErrLocked when it is held elsewhere. UnlockFile (or closing f) releases
// it.
func TryLockFile(f *os.File) error { return tryLock(f) }

// UnlockFile releases TryLockFile's lock.
func UnlockFile(f *os.File) error { return unlock(f) }
