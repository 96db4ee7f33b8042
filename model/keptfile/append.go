package keptfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// OpenAppend opens path to append to it, creating it as 0600 when absent.
// Like Open, it takes a regular file only (following symlinks), checked
// without waiting; the file is also open for reading, so a caller can look
// at its last bytes. Append to it with Append, under a Lock.
func OpenAppend(path string) (*os.File, error) {
	if info, err := os.Stat(path); err == nil && !info.Mode().IsRegular() {
		return nil, &KindError{Path: path, Mode: info.Mode()}
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE|openNoWait, FileMode)
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err == nil && !info.Mode().IsRegular() {
		err = &KindError{Path: path, Mode: info.Mode()}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	blocking(f)
	return f, nil
}

// appendable is what Append needs of a file (a test stands in a file that
// fails halfway).
type appendable interface {
	io.Writer
	Stat() (fs.FileInfo, error)
	Truncate(size int64) error
	Sync() error
}

// Append writes data at the end of f (opened by OpenAppend) all or
// nothing: when the write fails or falls short (a full disk, a quota) or
// the data cannot be synced, f is cut back to the size it had, so it holds
// exactly what it held before. The caller holds f's Lock, so that no other
// writer's bytes follow ours and the size read first is the end.
func Append(f *os.File, data []byte) error {
	return appendAll(f, data, true)
}

// AppendUnsynced is Append without the sync: every reader of f sees the
// data at once, and it is on disk once f is synced (the next Append, or
// f.Sync); a power cut before then may take it. For lines that something
// else on disk already says, written often.
func AppendUnsynced(f *os.File, data []byte) error {
	return appendAll(f, data, false)
}

func appendAll(f appendable, data []byte, sync bool) error {
	info, err := f.Stat()
	if err != nil {
		return err
	}
	before := info.Size()
	n, err := f.Write(data)
	if err == nil && n < len(data) {
		err = io.ErrShortWrite
	}
	if err == nil && !sync {
		return nil
	}
	if err == nil {
		if err = f.Sync(); err == nil {
			return nil
		}
	}
	// Cutting back needs no free space, so it works on the disk that was
	// just found full.
	if terr := f.Truncate(before); terr != nil {
		return fmt.Errorf("%w (and the %d bytes written could not be taken back: %v)", err, n, terr)
	}
	if serr := f.Sync(); serr != nil && !errors.Is(serr, err) {
		return fmt.Errorf("%w (and syncing the file back to its old size failed: %v)", err, serr)
	}
	return err
}
