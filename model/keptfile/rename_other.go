//go:build !linux

package keptfile

import "errors"

// renameNoReplace has no system call to stand on here; CreateFile falls
// back to an exclusive create.
func renameNoReplace(string, string) error { return errors.ErrUnsupported }
