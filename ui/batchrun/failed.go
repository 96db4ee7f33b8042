package batchrun

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/apideck-samples/vault-session/model/batch"
	"github.com/apideck-samples/vault-session/model/keptfile"
)

// FailedPathFor is where the rows that failed go when --retry-file does not
// say: beside the input, named for it, in its format (customers.csv →
// customers.failed.csv). Stdin has no place beside it: "".
func FailedPathFor(input string, format batch.Format) string {
	if input == "" {
		return ""
	}
	ext := filepath.Ext(input)
	base := strings.TrimSuffix(input, ext)
	if ext == "" {
		ext = "." + string(format)
	}
	return base + ".failed" + ext
}

// FailedRows is the file of the rows that got no session (failed, or
// invalid and skipped), in the input's format, ready to run again. It is
// written beside its place and moved there when the batch ends
// (keptfile.Replacement), so a run cut short leaves the old file or the
// new one, never half of one, and a symlink stays a link to the file it
// names; rows of customers (names, emails) make it 0600.
type FailedRows struct {
	path   string
	file   *keptfile.Replacement
	writer *batch.RowWriter
	// Rows counts the rows written; Unwritable those that could not be
	// (a CSV record broken by a stray quote).
	Rows, Unwritable int
}

// CreateFailedRows prepares the failed rows file at path for rows read by r.
func CreateFailedRows(path string, r *batch.Reader) (*FailedRows, error) {
	file, err := keptfile.CreateReplacement(path)
	var kind *keptfile.KindError
	if errors.As(err, &kind) {
		return nil, fmt.Errorf("%s is not a regular file: the failed rows cannot go there (choose another with --retry-file)", path)
	}
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe // the system's words, without keptfile's "cannot write in"
		}
		return nil, fmt.Errorf("cannot write the failed rows beside %s: %w", path, err)
	}
	return &FailedRows{path: path, file: file, writer: batch.NewRowWriter(file, r)}, nil
}

// Path is where the file goes.
func (f *FailedRows) Path() string { return f.path }

// Add writes row.
func (f *FailedRows) Add(row batch.Row) error {
	ok, err := f.writer.Write(row)
	switch {
	case err != nil:
		return err
	case ok:
		f.Rows++
	default:
		f.Unwritable++
	}
	return nil
}

// Finish puts the file in its place when it has rows. With none, there
// is nothing to run again: a file left there by an earlier run of the same
// input is removed (removedOld), so it is not taken for this run's.
func (f *FailedRows) Finish() (removedOld bool, err error) {
	if err := f.writer.Flush(); err != nil {
		f.file.Abort()
		return false, err
	}
	if f.Rows == 0 {
		f.file.Abort()
		info, err := os.Lstat(f.path)
		if err == nil && info.Mode().IsRegular() {
			return os.Remove(f.path) == nil, nil
		}
		return false, nil
	}
	return false, f.file.Commit()
}

// Abort removes what was written.
func (f *FailedRows) Abort() {
	f.file.Abort()
}
