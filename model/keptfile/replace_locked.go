package keptfile

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// ReplaceLocked replaces the file at path, which the caller holds open
// (OpenAppend) and locked (TryLockFile) as f, with data, and returns the
// new file, open for Append and locked: the lock passes from the old file
// to the new with no moment in which another process could take the path's
// lock. The new file is written, synced and locked under a temporary name,
// then renamed over path. A process that opened the old file meanwhile
// and locks it after holds a file the path no longer names, which it must
// check (os.SameFile) before trusting its lock.
//
// On failure f is kept, still locked, holding what it held, and the
// temporary file is gone; on success f is unlocked and closed.
func ReplaceLocked(path string, f *os.File, data []byte) (*os.File, error) {
	target, err := replaceable(path)
	if err != nil {
		return nil, err
	}
	tmp, err := writeTemp(target, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
	if err != nil {
		return nil, err
	}
	next, err := OpenAppend(tmp)
	if err == nil {
		if err = TryLockFile(next); err != nil {
			next.Close()
		}
	}
	if err == nil {
		if err = os.Rename(tmp, target); err != nil {
			UnlockFile(next)
			next.Close()
		}
	}
	if err != nil {
		os.Remove(tmp)
		return nil, fmt.Errorf("cannot write %s: %w", target, err)
	}
	syncDir(filepath.Dir(target))
	UnlockFile(f)
	f.Close()
	return next, nil
}
