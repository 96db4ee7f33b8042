package keptfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestErrorTextSaysFileErrorsInTheProgramsWords(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nope", "s.json")
	_, statErr := os.Stat(missing)
	_, openErr := Open(missing)
	notDir := filepath.Join(dir, "file", "x")
	if err := os.WriteFile(filepath.Join(dir, "file"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, notDirErr := os.Stat(notDir)
	for _, tc := range []struct {
		err  error
		want string
	}{
		{statErr, missing + " does not exist"},
		{fmt.Errorf("cannot read the session file: %w", openErr), "cannot read the session file: " + missing + " does not exist"},
		{&fs.PathError{Op: "open", Path: "/etc/shadow", Err: syscall.EACCES}, "/etc/shadow: permission denied"},
		{fmt.Errorf("--host-key: %w", &fs.PathError{Op: "mkdir", Path: "/x", Err: syscall.EEXIST}), "--host-key: /x already exists"},
		{notDirErr, notDir + ": part of it is not a folder"},
		{&fs.PathError{Op: "open", Path: filepath.Join(dir, "gone", TempPrefix+"r.csv-123"), Err: syscall.ENOENT}, filepath.Join(dir, "gone") + " does not exist"},
		{&fs.PathError{Op: "write", Path: "/full/disk", Err: syscall.ENOSPC}, "/full/disk: no space left on device"},
		{errors.New("no file here"), "no file here"},
		{nil, ""},
	} {
		if got := ErrorText(tc.err); got != tc.want {
			t.Errorf("ErrorText(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
	// The error itself is unchanged: callers still test it with errors.Is.
	if !errors.Is(statErr, fs.ErrNotExist) {
		t.Error("os.Stat's error lost its kind")
	}
}
