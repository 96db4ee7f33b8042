package keptfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// halfWriter is a file whose disk fills halfway through a write, as a full
// disk does: part of the bytes land, then ENOSPC.
type halfWriter struct {
	*os.File
	syncFails bool
}

func (h halfWriter) Write(p []byte) (int, error) {
	n, _ := h.File.Write(p[:len(p)/2])
	return n, syscall.ENOSPC
}

func (h halfWriter) Sync() error {
	if h.syncFails {
		return syscall.EIO
	}
	return h.File.Sync()
}

// syncFailer writes everything but cannot sync it (a network file
// system, say): the bytes are not known to be on disk, so they are taken
// back.
type syncFailer struct{ *os.File }

func (s syncFailer) Sync() error { return syscall.EIO }

func TestAppendIsAllOrNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal")
	f, err := OpenAppend(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := Append(f, []byte("one\n")); err != nil {
		t.Fatal(err)
	}
	err = appendAll(halfWriter{File: f}, []byte("two, torn by a full disk\n"), true)
	if !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("err = %v", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "one\n" {
		t.Errorf("after a write that failed halfway the file is %q", got)
	}
	if err := appendAll(syncFailer{f}, []byte("three, never synced\n"), true); !errors.Is(err, syscall.EIO) {
		t.Errorf("err = %v", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "one\n" {
		t.Errorf("after a failed sync the file is %q", got)
	}
	// Unsynced, a torn write is taken back all the same, and nothing
	// waits for a sync.
	if err := appendAll(halfWriter{File: f}, []byte("torn, unsynced\n"), false); !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("err = %v", err)
	}
	if err := appendAll(syncFailer{f}, []byte("four\n"), false); err != nil {
		t.Errorf("an unsynced append synced: %v", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "one\nfour\n" {
		t.Errorf("file is %q", got)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != FileMode {
		t.Errorf("mode %v", info.Mode())
	}
}

// TestCreateFileNeverOverwrites: ten writers create one name at once;
// exactly one succeeds, the others are told it exists, and the file holds
// the winner's bytes whole.
func TestCreateFileNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "shared.json")
	var wg sync.WaitGroup
	results := make([]error, 10)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = CreateFile(path, []byte{byte('0' + i)})
		}()
	}
	wg.Wait()
	won := -1
	for i, err := range results {
		switch {
		case err == nil && won >= 0:
			t.Errorf("writers %d and %d both created the file", won, i)
		case err == nil:
			won = i
		case !errors.Is(err, fs.ErrExist):
			t.Errorf("writer %d: %v", i, err)
		}
	}
	if got, _ := os.ReadFile(path); won < 0 || string(got) != string(rune('0'+won)) {
		t.Errorf("file holds %q, winner %d", got, won)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files left, want 1", len(entries))
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != FileMode {
		t.Errorf("mode %v", info.Mode())
	}
}

// TestLockSerialisesAppends: appends under the lock from many goroutines,
// each with its own handle, all land whole.
func TestLockSerialisesAppends(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "journal")
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			unlock, err := Lock(filepath.Join(dir, "journal.lock"))
			if err != nil {
				t.Error(err)
				return
			}
			defer unlock()
			f, err := OpenAppend(path)
			if err != nil {
				t.Error(err)
				return
			}
			defer f.Close()
			if err := Append(f, []byte("0123456789\n")); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got, _ := os.ReadFile(path); len(got) != 8*11 {
		t.Errorf("%d bytes", len(got))
	}
}

// TestLockGivesUpOnAHolderThatStays: a lock held elsewhere (here another
// open file of the same path, as another process would) makes Lock fail
// with ErrLocked once its wait is over, instead of hanging in flock(2);
// released, it is taken at once.
func TestLockGivesUpOnAHolderThatStays(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.lock")
	holder, err := OpenAppend(path)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	if err := TryLockFile(holder); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := LockWithin(path, 100*time.Millisecond); !errors.Is(err, ErrLocked) || time.Since(start) > time.Second {
		t.Errorf("LockWithin a held lock: %v after %v", err, time.Since(start))
	}
	f, _ := OpenAppend(path)
	if err := TryLockFile(f); !errors.Is(err, ErrLocked) {
		t.Errorf("TryLockFile of a held lock: %v", err)
	}
	f.Close()
	let := make(chan struct{})
	go func() {
		defer close(let)
		time.Sleep(50 * time.Millisecond)
		UnlockFile(holder)
	}()
	release, err := LockWithin(path, 5*time.Second)
	<-let
	if err != nil {
		t.Fatalf("after the holder let go: %v", err)
	}
	release()
}
