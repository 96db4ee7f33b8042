//go:build linux

// Package keptfiletest makes the hostile files the tests of every folder
// the program reads or writes put there: FIFOs, devices, sockets, a full
// disk; and checks that nothing waits on them.
package keptfiletest

import (
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// FIFO makes a named pipe at path. Opening it to read waits for a writer:
// the trap the tests check nothing falls into.
func FIFO(t testing.TB, path string) string {
	t.Helper()
	if err := unix.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// NullDevice makes a character device at path that is /dev/null (1,3),
// so a test can see whether it is replaced without risking the real one.
// It skips the test when devices cannot be made (not root).
func NullDevice(t testing.TB, path string) string {
	t.Helper()
	if err := unix.Mknod(path, unix.S_IFCHR|0o666, int(unix.Mkdev(1, 3))); err != nil {
		t.Skipf("cannot make a device node here (%v): run the tests as root to cover devices", err)
	}
	return path
}

// Socket makes a listening Unix socket at path, closed at the test's end.
func Socket(t testing.TB, path string) string {
	t.Helper()
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return path
}

// Symlink makes a symbolic link at path pointing to target.
func Symlink(t testing.TB, target, path string) string {
	t.Helper()
	if err := os.Symlink(target, path); err != nil {
		t.Fatal(err)
	}
	return path
}

// Tmpfs mounts a tmpfs of size bytes on a new folder, unmounted at the
// test's end: a real full disk. It skips the test, saying so, where
// mounting is not permitted (not root, or a container without
// CAP_SYS_ADMIN).
func Tmpfs(t testing.TB, size string) string {
	t.Helper()
	dir := t.TempDir()
	if err := unix.Mount("tmpfs", dir, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, "size="+size+",mode=0700"); err != nil {
		t.Skipf("cannot mount a tmpfs to fill (%v): run the tests as root, with mount permitted, to cover a full disk", err)
	}
	t.Cleanup(func() {
		if err := unix.Unmount(dir, 0); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

// Within runs fn and fails the test if it has not returned after d. The
// FIFOs listed are then opened for writing, which ends an open(2) waiting
// on them, so the test ends instead of hanging too.
func Within(t testing.TB, d time.Duration, fn func(), fifos ...string) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	select {
	case <-done:
		return
	case <-time.After(d):
	}
	t.Errorf("still waiting after %v (on a FIFO or a device?)", d)
	// Opening a FIFO to write wakes an open(2) waiting to read it; closing
	// it again makes the read that follows see the end.
	for range 100 {
		for _, fifo := range fifos {
			if f, err := os.OpenFile(fifo, os.O_RDWR|unix.O_NONBLOCK, 0); err == nil {
				f.Close()
			}
		}
		select {
		case <-done:
			return
		case <-time.After(100 * time.Millisecond):
		}
	}
	t.Fatal("and it did not end when its FIFOs were opened")
}

// Kinds makes one of each hostile file in dir, named NAME.json so that
// listings take them for files of their own: a FIFO, a symlink to a FIFO,
// a symlink to /dev/zero (a device that never ends), a socket, and a
// folder. It returns their paths, FIFOs first.
func Kinds(t testing.TB, dir string) (paths []string, fifos []string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	fifo := FIFO(t, filepath.Join(dir, "fifo.json"))
	hidden := FIFO(t, filepath.Join(t.TempDir(), "elsewhere"))
	link := Symlink(t, hidden, filepath.Join(dir, "fifo-link.json"))
	zero := Symlink(t, "/dev/zero", filepath.Join(dir, "zero.json"))
	sock := Socket(t, filepath.Join(dir, "sock.json"))
	folder := filepath.Join(dir, "folder.json")
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	return []string{fifo, link, zero, sock, folder}, []string{fifo, hidden}
}
