//go:build !unix

package keptfile

import "os"

// openNoWait is nothing where open(2) has no such flag (Windows has no
// FIFOs in the file system; its named pipes live apart, under \\.\pipe\).
// The kind is still checked before opening.
const openNoWait = 0

func blocking(*os.File) {}

func isNoReader(error) bool { return false }
