package keptfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// WriteFile replaces path with data atomically, as a 0600 file: data goes
// to a temporary file beside it, is synced to disk and renamed over it, and
// the folder is synced, so a crash or a full disk leaves the old file or
// the new one, never half of one. The folder must exist.
//
// A symlink is followed (through any number of links) and the file it
// points to is replaced, beside itself: the link stays a link, as a
// dotfiles repository expects. A FIFO, device or socket at path is never
// replaced (renaming over /dev/null would break every program that uses
// it): WriteFile refuses it with a *KindError. So it does a folder.
func WriteFile(path string, data []byte) error {
	return WriteFileFunc(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteFileFunc is WriteFile with the content written by fill, so a large
// file can be streamed into place; when fill fails, nothing is replaced.
func WriteFileFunc(path string, fill func(io.Writer) error) error {
	target, err := replaceable(path)
	if err != nil {
		return err
	}
	return replace(target, fill)
}

// WriteThrough is WriteFile, except that a FIFO or a device at path is
// written into, as a shell's > would: `--html /dev/null` discards the
// page, a FIFO hands it to the program reading it. A FIFO that nobody
// reads is refused at once rather than waited on.
func WriteThrough(path string, data []byte) error {
	err := WriteFile(path, data)
	var kind *KindError
	if errors.As(err, &kind) && !kind.Mode.IsDir() {
		return writeInto(path, data)
	}
	return err
}

// replaceable is the file that writing path replaces: path, or the file
// its symlinks lead to, or where a dangling link points. Anything but a
// regular file there is a *KindError, wrapped.
func replaceable(path string) (string, error) {
	// The kernel's view first: it follows links the way any program's
	// open would (/dev/stdout to /proc/self/fd/1 to a pipe, say).
	info, err := os.Stat(path)
	switch {
	case err == nil && !info.Mode().IsRegular():
		return "", fmt.Errorf("%w: not replaced", &KindError{Path: path, Mode: info.Mode()})
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return "", fmt.Errorf("cannot write %s: %w", path, err)
	}
	target, err := resolveLinks(path)
	if err != nil {
		return "", fmt.Errorf("cannot write %s: %w", path, err)
	}
	return target, nil
}

// replace writes data to a temporary file beside target and renames it
// over target. Until the rename, target keeps its old content; if anything
// fails, the temporary file is removed.
func replace(target string, fill func(io.Writer) error) (err error) {
	tmp, err := writeTemp(target, fill)
	if err != nil {
		return err
	}
	return moveInto(tmp, target)
}

// moveInto renames the written temporary file tmp over target and syncs
// the folder; failing, it removes tmp.
func moveInto(tmp, target string) error {
	if err := os.Rename(tmp, target); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("cannot write %s: %w", target, err)
	}
	syncDir(filepath.Dir(target))
	return nil
}

// writeTemp writes what fill writes, synced, to a new 0600 file in
// target's folder and returns its name.
func writeTemp(target string, fill func(io.Writer) error) (name string, err error) {
	tmp, err := createTemp(target)
	if err != nil {
		return "", err
	}
	if err := fill(tmp); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return "", fmt.Errorf("cannot write %s: %w", target, err)
	}
	return tmp.Name(), finishTemp(tmp, target)
}

// createTemp makes a new 0600 temporary file in target's folder.
func createTemp(target string) (*os.File, error) {
	dir := filepath.Dir(target)
	tmp, err := os.CreateTemp(dir, TempPrefix+filepath.Base(target)+"-*")
	if err != nil {
		return nil, fmt.Errorf("cannot write in %s: %w", dir, err)
	}
	// CreateTemp makes 0600 files already; said again against any umask
	// or platform quirk (Windows knows only the read-only bit).
	if err := tmp.Chmod(FileMode); err != nil && !chmodUnsupported(err) {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, fmt.Errorf("cannot write %s: %w", target, err)
	}
	return tmp, nil
}

// finishTemp syncs and closes the temporary file tmp written for target;
// failing, it removes it.
func finishTemp(tmp *os.File, target string) error {
	err := tmp.Sync()
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("cannot write %s: %w", target, err)
	}
	return nil
}

// Replacement is a file written, as a stream, to take path's place, as
// WriteFile does at once: into a temporary 0600 file beside what path
// names (a symlink's target), which Commit syncs and renames there and
// Abort removes. Until Commit, path keeps what it held, so a run cut
// short leaves the old file or the new one, never half of one.
type Replacement struct {
	target string
	tmp    *os.File
}

// CreateReplacement starts a replacement of path. Like WriteFile, it
// refuses a FIFO, device, socket or folder at path (*KindError).
func CreateReplacement(path string) (*Replacement, error) {
	target, err := replaceable(path)
	if err != nil {
		return nil, err
	}
	tmp, err := createTemp(target)
	if err != nil {
		return nil, err
	}
	return &Replacement{target: target, tmp: tmp}, nil
}

// Write writes to the replacement.
func (r *Replacement) Write(p []byte) (int, error) { return r.tmp.Write(p) }

// Commit puts the replacement in place.
func (r *Replacement) Commit() error {
	if err := finishTemp(r.tmp, r.target); err != nil {
		return err
	}
	return moveInto(r.tmp.Name(), r.target)
}

// Abort removes the replacement; path is left as it was.
func (r *Replacement) Abort() {
	r.tmp.Close()
	os.Remove(r.tmp.Name())
}

// chmodUnsupported is a file system that has no modes to set (some FUSE
// and network ones): the file is then as private as the folder.
func chmodUnsupported(err error) bool {
	return errors.Is(err, errors.ErrUnsupported) || strings.Contains(err.Error(), "not supported")
}

// writeInto writes data into a FIFO or a device, without waiting for a
// reader that is not there.
func writeInto(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|openNoWait, 0)
	if err != nil {
		if isNoReader(err) {
			return fmt.Errorf("cannot write %s: it is a named pipe (FIFO) that no program is reading", path)
		}
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	info, err := f.Stat()
	if err == nil && (info.Mode().IsRegular() || info.IsDir()) {
		// It changed since it was looked at; written into, a regular file
		// would not be whole.
		err = fmt.Errorf("%s changed while it was opened", path)
	}
	if err == nil {
		blocking(f)
		_, err = f.Write(data)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}

// CreateFile writes data as a new 0600 file at path, and fails with an
// error that matches fs.ErrExist when something is there already, however
// close two writers come: the data is written and synced to a temporary
// file first, then linked into place, which fails rather than replaces.
// Readers never see the file half written. The folder must exist.
func CreateFile(path string, data []byte) error {
	tmp, err := writeTemp(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := linkNew(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return &fs.PathError{Op: "create", Path: path, Err: fs.ErrExist}
		}
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

// linkNew puts the file tmp at path unless path exists: link(2), or where
// the file system has no hard links, a rename that does not replace, or
// last an exclusive create and a copy.
func linkNew(tmp, path string) error {
	err := os.Link(tmp, path)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	if err := renameNoReplace(tmp, path); err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	data, rerr := os.ReadFile(tmp)
	if rerr != nil {
		return err
	}
	f, cerr := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, FileMode)
	if cerr != nil {
		return cerr
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}
