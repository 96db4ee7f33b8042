//go:build unix

package keptfile

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// openNoWait keeps open(2) from waiting: on a FIFO for the other end, on a
// terminal device for a carrier (and from making it the controlling
// terminal).
const openNoWait = unix.O_NONBLOCK | unix.O_NOCTTY

// blocking undoes O_NONBLOCK once the file is open and its kind known, so
// reads and writes behave as on any file.
func blocking(f *os.File) {
	if raw, err := f.SyscallConn(); err == nil {
		_ = raw.Control(func(fd uintptr) { _ = unix.SetNonblock(int(fd), false) })
	}
}

// isNoReader is open(2)'s answer for a FIFO opened to write, without
// waiting, that no program has open to read.
func isNoReader(err error) bool { return errors.Is(err, unix.ENXIO) }
