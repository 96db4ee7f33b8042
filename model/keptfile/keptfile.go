// Package keptfile holds the file primitives for what the program keeps on
// disk (presets, drafts, history, journals) and for the pages it writes
// where the user says:
//
//   - Open, ReadFile and ReadDir read only a regular file (or a real
//     folder), checked without blocking: a FIFO, a device or a socket,
//     directly or through a symlink, is refused with a *KindError before
//     anything waits on it, and a read is bounded.
//   - WriteFile replaces a file atomically (a temporary file beside it,
//     fsync, rename, the folder synced), as 0600. A symlink is followed and
//     its target replaced, so the link stays. A FIFO, device or socket at
//     the target is never replaced: WriteFile refuses it, WriteThrough
//     writes into it as a shell's > would.
//   - CreateFile writes a new file that cannot overwrite one created
//     meanwhile (a fully written temporary file linked into place).
//   - Append adds bytes to a file all or nothing: after a failed write the
//     file is as it was. Lock serialises writers across processes.
//
// It imports nothing of the project, so the store and the user interface
// (the pages written by preview --html) share one writer.
package keptfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// File modes: what the program keeps is the user's alone.
const (
	FileMode fs.FileMode = 0o600
	DirMode  fs.FileMode = 0o700
)

// TempPrefix starts the name of a file being written. Listings skip it, so
// a writer killed halfway leaves nothing that is read.
const TempPrefix = ".tmp-"

// KindError is a path that is not the kind of file asked for: a FIFO, a
// device, a socket or a folder where a regular file was expected, or
// anything but a folder where a folder was.
type KindError struct {
	Path string
	Mode fs.FileMode
	// WantDir is true when a folder was expected.
	WantDir bool
}

func (e *KindError) Error() string {
	want := "a regular file"
	if e.WantDir {
		want = "a folder"
	}
	return fmt.Sprintf("%s is %s, not %s", e.Path, KindOf(e.Mode), want)
}

// KindOf names the kind of file a mode describes: "a named pipe (FIFO)",
// "a character device" and so on.
func KindOf(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return "a regular file"
	case m.IsDir():
		return "a folder"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	}
	return "a special file"
}

// TooLargeError is a file over the size a read allows.
type TooLargeError struct {
	Path  string
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is over %s, the most that is read", e.Path, sizeText(e.Limit))
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// syncDir makes a rename or link in dir durable where the OS allows it (a
// folder cannot be opened for sync on Windows); failing is harmless.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// errTooManyLinks is a chain of symlinks too long to follow, a loop most
// likely (ELOOP, which not every OS names).
var errTooManyLinks = errors.New("too many levels of symbolic links")

// resolveLinks follows symlinks at the last element of path until it names
// something that is not a link, or nothing: the file to replace, or to
// create (a dangling link creates its target). Folders on the way are left
// to the kernel.
func resolveLinks(path string) (string, error) {
	for range 40 {
		info, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return path, nil
		}
		if err != nil {
			return "", err
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		to, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(to) {
			// Not filepath.Join: it would resolve ".." by the text of the
			// path, and the folder may itself be a link.
			to = filepath.Dir(path) + string(filepath.Separator) + to
		}
		path = to
	}
	return "", &fs.PathError{Op: "resolve", Path: path, Err: errTooManyLinks}
}
