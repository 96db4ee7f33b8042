//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package store

import (
	"errors"
	"os"
	"syscall"
)

// errLocked is tryLockFile's answer when another process holds the lock.
var errLocked = errors.New("locked by another process")

// tryLockFile takes an exclusive advisory lock on f without waiting for
// it; the lock goes with the process, so a batch killed leaves none.
func tryLockFile(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		switch {
		case err == syscall.EINTR:
			continue
		case err == syscall.EWOULDBLOCK:
			return errLocked
		}
		return err
	}
}

func unlockJournal(f *os.File) error { return syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }
