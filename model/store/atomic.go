package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/apideck-samples/vault-session/model/keptfile"
)

// ensureDir creates dir (and its parents) as 0700.
func ensureDir(dir string) error {
	if err := os.MkdirAll(dir, keptfile.DirMode); err != nil {
		return fmt.Errorf("cannot create %s: %w", dir, err)
	}
	return nil
}

// writeFile replaces path with data atomically, as a 0600 file, creating
// its folder as 0700 when missing (see keptfile.WriteFile: a symlink's
// target is replaced, a FIFO or a device is not).
func writeFile(path string, data []byte) error {
	return writeFileFunc(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// writeFileFunc is writeFile with the content streamed by fill.
func writeFileFunc(path string, fill func(io.Writer) error) error {
	if err := ensureDir(filepath.Dir(path)); err != nil {
		return err
	}
	return keptfile.WriteFileFunc(path, fill)
}

// skipped says that a file found in a folder was passed over because it
// is not a regular file (a FIFO, a device) or cannot be read.
func skipped(err error) error {
	var kind *keptfile.KindError
	if errors.As(err, &kind) {
		return fmt.Errorf("%w; skipped", err)
	}
	return err
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
