package keptfile

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"syscall"
)

// ErrorText is err's message with the file error in it (an *fs.PathError,
// which Go words as "stat PATH: no such file or directory") said in the
// program's words, the path kept: "PATH does not exist", "PATH: permission
// denied", "PATH already exists", "PATH: part of it is not a folder",
// else "PATH: " and the system's reason. Every front end says a file error
// through it, so a user never reads the name of the system call that
// failed.
func ErrorText(err error) string {
	if err == nil {
		return ""
	}
	msg := err.Error()
	var pe *fs.PathError
	if !errors.As(err, &pe) || pe.Err == nil {
		return msg
	}
	return strings.Replace(msg, pe.Error(), pathErrorWords(pe), 1)
}

// pathErrorWords says one *fs.PathError. A temporary file of ours (a write
// in progress) is never named: its folder is what the user can fix.
func pathErrorWords(pe *fs.PathError) string {
	path := pe.Path
	if strings.HasPrefix(filepath.Base(path), TempPrefix) {
		path = filepath.Dir(path)
	}
	switch {
	case errors.Is(pe.Err, fs.ErrNotExist):
		return path + " does not exist"
	case errors.Is(pe.Err, fs.ErrPermission):
		return path + ": permission denied"
	case errors.Is(pe.Err, fs.ErrExist):
		return path + " already exists"
	case errors.Is(pe.Err, syscall.ENOTDIR):
		return path + ": part of it is not a folder"
	case errors.Is(pe.Err, syscall.EISDIR):
		return path + " is a folder"
	}
	return path + ": " + pe.Err.Error()
}
