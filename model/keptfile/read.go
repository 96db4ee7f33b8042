package keptfile

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
)

// Open opens a regular file for reading. Anything else (a FIFO, a device, a
// socket, a folder, or a symlink to one) is a *KindError, found without
// waiting: the kind is checked before opening, and the open itself cannot
// block (open(2) of a FIFO waits for a writer; a terminal device may wait
// for a carrier), so a hostile file in a folder the program reads cannot
// hang it beyond the reach of signals.
func Open(path string) (*os.File, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, &KindError{Path: path, Mode: info.Mode()}
	}
	// Checked again on the open file: the path may have changed since.
	f, err := os.OpenFile(path, os.O_RDONLY|openNoWait, 0)
	if err != nil {
		return nil, err
	}
	if info, err = f.Stat(); err != nil || !info.Mode().IsRegular() {
		f.Close()
		if err != nil {
			return nil, err
		}
		return nil, &KindError{Path: path, Mode: info.Mode()}
	}
	blocking(f)
	return f, nil
}

// ReadFile reads a whole regular file (see Open) of at most limit bytes; a
// larger one is a *TooLargeError.
func ReadFile(path string, limit int64) ([]byte, error) {
	f, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var b bytes.Buffer
	if info, err := f.Stat(); err == nil {
		if info.Size() > limit {
			return nil, &TooLargeError{Path: path, Limit: limit}
		}
		b.Grow(int(info.Size()) + 1)
	}
	if _, err := b.ReadFrom(io.LimitReader(f, limit+1)); err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, err)
	}
	if int64(b.Len()) > limit {
		return nil, &TooLargeError{Path: path, Limit: limit}
	}
	return b.Bytes(), nil
}

// ReadDir lists a folder. A path that is not one (a FIFO named like the
// folder, say) is a *KindError, found without waiting.
func ReadDir(dir string) ([]fs.DirEntry, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return nil, &KindError{Path: dir, Mode: info.Mode(), WantDir: true}
	}
	f, err := os.OpenFile(dir, os.O_RDONLY|openNoWait, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return nil, &KindError{Path: dir, Mode: info.Mode(), WantDir: true}
	}
	entries, err := f.ReadDir(-1)
	if err != nil {
		return nil, err
	}
	// In name order, as os.ReadDir lists.
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, nil
}
