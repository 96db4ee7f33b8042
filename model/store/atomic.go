package store

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// File modes: the files are the user's alone.
const (
	dirMode  = 0o700
	fileMode = 0o600
)

// tempPrefix starts the name of a file being written; listings skip it, so
// a writer killed halfway leaves nothing that is read.
const tempPrefix = ".tmp-"

// ensureDir creates dir (and its parents) as 0700.
func ensureDir(dir string) error {
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return fmt.Errorf("cannot create %s: %w", dir, err)
	}
	return nil
}

// writeAtomic replaces path with what fill writes: into a temporary file in
// the same directory (so the rename cannot cross file systems), synced to
// disk, then renamed over path. Until the rename, path keeps its old
// content; if anything fails, the temporary file is removed.
func writeAtomic(path string, fill func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	if err := ensureDir(dir); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, tempPrefix+filepath.Base(path)+"-*")
	if err != nil {
		return fmt.Errorf("cannot write in %s: %w", dir, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	// CreateTemp makes 0600 files already; say so for umask-proof clarity.
	if err := tmp.Chmod(fileMode); err != nil && !isUnsupported(err) {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := fill(tmp); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	syncDir(dir)
	return nil
}

// WriteFile replaces path with data atomically (see writeAtomic), as a
// 0600 file, creating its directory as 0700 when missing. Every file the
// program writes goes through here or writeAtomic.
func WriteFile(path string, data []byte) error {
	return writeAtomic(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// syncDir makes the rename itself durable where the OS allows it (a
// directory cannot be opened for sync on Windows); failing is harmless.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

func isUnsupported(err error) bool {
	return strings.Contains(err.Error(), "not supported")
}

// setAside renames a file that does not parse to NAME.corrupt (NAME.2.corrupt
// and so on when one is already there), so it stops being read but nothing
// is lost. It returns the new path.
func setAside(path string) (string, error) {
	for i := 1; i < 100; i++ {
		to := path + ".corrupt"
		if i > 1 {
			to = fmt.Sprintf("%s.%d.corrupt", path, i)
		}
		if _, err := os.Lstat(to); err == nil {
			continue
		}
		if err := os.Rename(path, to); err != nil {
			return "", err
		}
		return to, nil
	}
	return "", fmt.Errorf("too many .corrupt files next to %s", path)
}

// corrupt sets path aside and describes it.
func corrupt(path string, parseErr error) *CorruptFileError {
	e := &CorruptFileError{Path: path, Err: parseErr}
	if to, err := setAside(path); err == nil {
		e.MovedTo = to
	}
	return e
}
