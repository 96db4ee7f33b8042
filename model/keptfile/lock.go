package keptfile

import "fmt"

// Lock takes an exclusive lock on the file at path, created (0600) when
// absent, and returns what releases it. Processes that Lock the same path
// meanwhile wait their turn. The lock file is checked like any other: a
// FIFO or a device there is refused, not waited on.
func Lock(path string) (unlock func(), err error) {
	f, err := OpenAppend(path)
	if err != nil {
		return nil, fmt.Errorf("cannot lock %s: %w", path, err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cannot lock %s: %w", path, err)
	}
	return func() {
		_ = unlockFile(f)
		f.Close()
	}, nil
}
