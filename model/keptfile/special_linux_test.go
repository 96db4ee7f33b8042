package keptfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/model/keptfile/keptfiletest"
)

// TestReadsRefuseSpecialFilesWithoutWaiting: a FIFO (which open(2) waits
// on), a symlink to one, a device, a socket and a folder are each refused
// by every read, at once, naming the path and what it is.
func TestReadsRefuseSpecialFilesWithoutWaiting(t *testing.T) {
	dir := t.TempDir()
	paths, fifos := keptfiletest.Kinds(t, dir)
	paths = append(paths, "/dev/null", "/dev/zero")
	kinds := []string{"named pipe (FIFO)", "named pipe (FIFO)", "character device", "socket", "folder", "character device", "character device"}
	for i, path := range paths {
		keptfiletest.Within(t, time.Second, func() {
			_, err := ReadFile(path, 1<<20)
			var k *KindError
			if !errors.As(err, &k) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), kinds[i]) {
				t.Errorf("ReadFile(%s) = %v; want it refused as a %s", path, err, kinds[i])
			}
			if f, err := Open(path); err == nil {
				f.Close()
				t.Errorf("Open(%s) opened it", path)
			}
			if f, err := OpenAppend(path); err == nil {
				f.Close()
				t.Errorf("OpenAppend(%s) opened it", path)
			}
			if unlock, err := Lock(path); err == nil {
				unlock()
				t.Errorf("Lock(%s) took it", path)
			}
		}, fifos...)
	}
	// The folder is listed, FIFO and all, without opening any of them.
	keptfiletest.Within(t, time.Second, func() {
		entries, err := ReadDir(dir)
		if err != nil || len(entries) != 5 {
			t.Errorf("ReadDir: %d entries, %v", len(entries), err)
		}
		if _, err := ReadDir(paths[0]); err == nil || !strings.Contains(err.Error(), "not a folder") {
			t.Errorf("ReadDir of a FIFO: %v", err)
		}
	}, fifos...)
}

func TestReadFileIsBounded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big")
	os.WriteFile(path, make([]byte, 2048), 0o600)
	if data, err := ReadFile(path, 2048); err != nil || len(data) != 2048 {
		t.Errorf("at the limit: %d bytes, %v", len(data), err)
	}
	var tl *TooLargeError
	if _, err := ReadFile(path, 2047); !errors.As(err, &tl) || !strings.Contains(err.Error(), "2047 bytes") {
		t.Errorf("over the limit: %v", err)
	}
}

// TestWriteFileNeverReplacesSpecialFiles: renaming over a device, a FIFO
// or a socket would turn it into a regular file (as root, /dev/null for
// every program on the machine). WriteFile refuses; the file stays what
// it was.
func TestWriteFileNeverReplacesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	paths, fifos := keptfiletest.Kinds(t, dir)
	for _, path := range paths {
		before, _ := os.Stat(path)
		keptfiletest.Within(t, time.Second, func() {
			err := WriteFile(path, []byte("page"))
			if err == nil || !strings.Contains(err.Error(), "not replaced") {
				t.Errorf("WriteFile(%s) = %v", path, err)
			}
			if err := CreateFile(path, []byte("page")); !errors.Is(err, fs.ErrExist) {
				t.Errorf("CreateFile(%s) = %v", path, err)
			}
		}, fifos...)
		if after, err := os.Stat(path); err != nil || after.Mode() != before.Mode() {
			t.Errorf("%s was %v, is %v (%v)", path, before.Mode(), after.Mode(), err)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != len(paths) {
		t.Errorf("%d files left in the folder, want %d (a temporary file stayed?)", len(entries), len(paths))
	}
}

// TestWriteThroughWritesIntoDevicesAndFIFOs: --html /dev/null discards
// the page and leaves the device a device; a FIFO with a reader gets the
// page; a FIFO without one is refused at once.
func TestWriteThroughWritesIntoDevicesAndFIFOs(t *testing.T) {
	dir := t.TempDir()
	fifo := keptfiletest.FIFO(t, filepath.Join(dir, "fifo"))
	keptfiletest.Within(t, time.Second, func() {
		err := WriteThrough(fifo, []byte("page"))
		if err == nil || !strings.Contains(err.Error(), "no program is reading") {
			t.Errorf("WriteThrough to a FIFO nobody reads: %v", err)
		}
	}, fifo)
	r, err := os.OpenFile(fifo, os.O_RDONLY|openNoWait, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := WriteThrough(keptfiletest.Symlink(t, fifo, filepath.Join(dir, "link")), []byte("page")); err != nil {
		t.Fatalf("WriteThrough to a read FIFO, through a link: %v", err)
	}
	buf := make([]byte, 16)
	if n, _ := r.Read(buf); string(buf[:n]) != "page" {
		t.Errorf("the reader got %q", buf[:n])
	}
	if err := WriteThrough(dir, []byte("page")); err == nil {
		t.Error("WriteThrough wrote over a folder")
	}
	null := keptfiletest.NullDevice(t, filepath.Join(dir, "null"))
	err = WriteThrough(null, []byte("page"))
	if info, serr := os.Stat(null); serr != nil || info.Mode()&fs.ModeCharDevice == 0 {
		t.Fatalf("the device was replaced: %v %v", info.Mode(), serr)
	}
	// t.TempDir may sit on a nodev mount, where opening a device fails
	// (EACCES); what matters is that it is not replaced.
	if err != nil && !errors.Is(err, fs.ErrPermission) {
		t.Errorf("WriteThrough to a null device: %v", err)
	}
}

// TestWriteFileReplacesASymlinksTarget: a preset kept in a dotfiles
// repository and linked into place stays linked: the file it points to is
// replaced, beside itself, through a chain of links, relative or not; a
// dangling link creates its target.
func TestWriteFileReplacesASymlinksTarget(t *testing.T) {
	dir := t.TempDir()
	repo := filepath.Join(dir, "dotfiles")
	os.Mkdir(repo, 0o700)
	target := filepath.Join(repo, "acme.json")
	os.WriteFile(target, []byte("old"), 0o644)
	conf := filepath.Join(dir, "config")
	os.Mkdir(conf, 0o700)
	keptfiletest.Symlink(t, "../dotfiles/acme.json", filepath.Join(conf, "mid.json"))
	link := keptfiletest.Symlink(t, "mid.json", filepath.Join(conf, "acme.json"))
	if err := WriteFile(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{link, filepath.Join(conf, "mid.json")} {
		if info, err := os.Lstat(l); err != nil || info.Mode()&fs.ModeSymlink == 0 {
			t.Errorf("%s is no longer a link: %v", l, err)
		}
	}
	info, _ := os.Stat(target)
	if got, _ := os.ReadFile(target); string(got) != "new" || info.Mode().Perm() != FileMode {
		t.Errorf("target holds %q, mode %v", got, info.Mode())
	}
	if entries, _ := os.ReadDir(repo); len(entries) != 1 {
		t.Errorf("%d files beside the target, want it alone", len(entries))
	}
	dangling := keptfiletest.Symlink(t, filepath.Join(repo, "new.json"), filepath.Join(conf, "new.json"))
	if err := WriteFile(dangling, []byte("made")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(repo, "new.json")); string(got) != "made" {
		t.Errorf("the dangling link's target holds %q", got)
	}
	loop := keptfiletest.Symlink(t, "loop.json", filepath.Join(conf, "loop.json"))
	if err := WriteFile(loop, []byte("x")); err == nil {
		t.Error("a link to itself was written")
	}
}

// TestFailedWritesOnAFullDiskLeaveTheOldFile fills a real tmpfs: the
// replace fails, the old file is whole, no temporary file is left; an
// append fails and the file is byte-identical.
func TestFailedWritesOnAFullDiskLeaveTheOldFile(t *testing.T) {
	dir := keptfiletest.Tmpfs(t, "64k")
	path := filepath.Join(dir, "history.jsonl")
	old := []byte(strings.Repeat("an old line\n", 3000)) // 36,000 bytes
	if err := WriteFile(path, old); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, make([]byte, 40000)); err == nil {
		t.Fatal("a 40 KB replace fit beside 36 KB on a 64 KiB disk")
	}
	if got, _ := os.ReadFile(path); string(got) != string(old) {
		t.Fatalf("after a failed replace the file is %d bytes", len(got))
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files left, want the old one alone", len(entries))
	}
	f, err := OpenAppend(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	line := []byte(strings.Repeat("x", 9000) + "\n")
	var failed error
	for range 10 {
		if failed = Append(f, line); failed != nil {
			break
		}
		old = append(old, line...)
	}
	if failed == nil {
		t.Fatal("the disk never filled")
	}
	if got, _ := os.ReadFile(path); string(got) != string(old) {
		t.Errorf("after the failed append (%v) the file is %d bytes, was %d", failed, len(got), len(old))
	}
	if err := Append(f, []byte("small\n")); err != nil {
		t.Errorf("a small append after the failed one: %v", err)
	}
}
