//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package keptfile

import (
	"os"
	"syscall"
)

// tryLock takes an exclusive advisory lock on f without waiting: ErrLocked
// when another open file holds it. The lock goes with the process, so one
// killed leaves none.
func tryLock(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		switch err {
		case syscall.EINTR:
			continue
		case syscall.EWOULDBLOCK:
			return ErrLocked
		}
		return err
	}
}

func unlock(f *os.File) error { return syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }
