package store

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/apideck-samples/vault-session/model/keptfile"
)

// The history and the audit log are capped JSON Lines files: lines are
// appended under a lock, all or nothing, and the append that takes one
// past its cap rewrites it with its newest half; they are read newest
// first, a block at a time.

// appendCapped adds line to the file at path (what names it in errors),
// under the lock at lockPath, beside it. When the file passes limit, it
// keeps its newest limit/2 bytes (whole lines), rewritten atomically under
// the same lock.
func appendCapped(path, lockPath, what string, line []byte, limit int64) error {
	return withLock(lockPath, what, func() error {
		size, err := appendLine(path, what, line)
		if err != nil || size <= limit {
			return err
		}
		if err := keepFrom(path, size-limit/2); err != nil {
			return fmt.Errorf("the session was added to %s, but its older entries could not be rotated out (it is over %d MiB): %w", what, limit>>20, err)
		}
		return nil
	})
}

// withLock runs fn while holding the lock at lockPath (what names the
// file it guards), creating its folder as 0700: concurrent vault-session
// processes append whole lines, and a rewrite never drops a line appended
// meanwhile.
func withLock(lockPath, what string, fn func() error) error {
	if err := ensureDir(filepath.Dir(lockPath)); err != nil {
		return err
	}
	unlock, err := keptfile.Lock(lockPath)
	if err != nil {
		return fmt.Errorf("cannot lock %s: %w", what, err)
	}
	defer unlock()
	return fn()
}

// appendLine adds line and a newline to the file at path (what names it in
// errors), all or nothing: a full disk fails the append and leaves the file
// as it was. The caller holds the file's lock. It returns the file's size
// after, 0 when it cannot tell.
func appendLine(path, what string, line []byte) (size int64, err error) {
	f, err := keptfile.OpenAppend(path)
	if err != nil {
		return 0, fmt.Errorf("cannot write %s: %w", what, err)
	}
	defer f.Close()
	line = append(line, '\n')
	// A writer that died mid-line left no newline: start on a line of our
	// own, so only its line is lost (and set aside on reading).
	if endsMidLine(f) {
		line = append([]byte{'\n'}, line...)
	}
	if err := keptfile.Append(f, line); err != nil {
		return 0, fmt.Errorf("cannot write %s: %w", path, err)
	}
	info, err := f.Stat()
	if err != nil {
		return 0, nil
	}
	return info.Size(), nil
}

// endsMidLine reports whether f's last byte is not a newline.
func endsMidLine(f *os.File) bool {
	info, err := f.Stat()
	if err != nil || info.Size() == 0 {
		return false
	}
	last := make([]byte, 1)
	if _, err := f.ReadAt(last, info.Size()-1); err != nil {
		return false
	}
	return last[0] != '\n'
}

// keepFrom replaces the file at path with its whole lines from offset from
// on, atomically and streamed; the caller holds its lock.
func keepFrom(path string, from int64) error {
	f, src, err := openFromLine(path, from)
	if err != nil {
		return err
	}
	defer f.Close()
	return writeFileFunc(path, func(w io.Writer) error {
		_, err := io.Copy(w, src)
		return err
	})
}

// eachLineBackward calls fn with each whole, non-blank line of the file at
// path, newest first, until fn says to stop; fn also says whether the line
// was good. It returns how many were not (lines over maxLine among them).
// The file is read backwards a block at a time, so what a read costs
// depends on how many lines fn takes, never on the file's size; a last
// line without its newline is a write in progress and is passed over.
func eachLineBackward(path string, maxLine int, fn func(line []byte) (good, more bool)) (bad int, err error) {
	f, err := keptfile.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return 0, err
	}
	lines := newBackwardLines(f, info.Size(), maxLine)
	for {
		line, kind, err := lines.next()
		switch {
		case errors.Is(err, io.EOF):
			return bad, nil
		case err != nil:
			return bad, fmt.Errorf("cannot read %s: %w", path, err)
		case kind == longLine:
			bad++
			continue
		case kind == tornLine || len(bytes.TrimSpace(line)) == 0:
			continue
		}
		good, more := fn(line)
		if !good {
			bad++
		}
		if !more {
			return bad, nil
		}
	}
}
