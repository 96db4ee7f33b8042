//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package keptfile

import (
	"os"
	"syscall"
)

// lockFile holds an exclusive advisory lock on f until unlockFile; other
// vault-session processes wait for it.
func lockFile(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			return err
		}
	}
}

func unlockFile(f *os.File) error { return syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }
