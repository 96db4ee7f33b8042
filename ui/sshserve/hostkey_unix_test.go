//go:build unix

package sshserve

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestHostKeyThatIsNotAFile: a named pipe (or a folder) where the host key
// should be is said to be one, whatever its mode, and nothing waits for
// a writer; it was told to chmod 600 the pipe, after which it said so.
func TestHostKeyThatIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "ssh_host_ed25519_key")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	os.Chmod(fifo, 0o644)
	folder := filepath.Join(dir, "folder")
	os.Mkdir(folder, 0o755)
	for path, kind := range map[string]string{fifo: "is a named pipe (FIFO), not a regular file", folder: "is a folder, not a regular file"} {
		_, _, err := LoadHostKey(path)
		if err == nil || !strings.Contains(err.Error(), kind) || strings.Contains(err.Error(), "chmod") {
			t.Errorf("%s: %v, want it to say it %s", filepath.Base(path), err, kind)
		}
	}
}
