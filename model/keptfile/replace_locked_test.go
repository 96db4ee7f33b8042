package keptfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// The new file takes the old one's place and its lock: another opener
// of the path finds it locked, and the old file's content is gone.
func TestReplaceLockedPassesTheLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.jsonl")
	f, err := OpenAppend(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := TryLockFile(f); err != nil {
		t.Fatal(err)
	}
	if err := Append(f, []byte("old line\nold line\n")); err != nil {
		t.Fatal(err)
	}
	next, err := ReplaceLocked(path, f, []byte("kept\n"))
	if err != nil {
		t.Fatal(err)
	}
	defer next.Close()
	if err := Append(next, []byte("after\n")); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); string(data) != "kept\nafter\n" {
		t.Errorf("the path holds %q, want the new content and the line appended after", data)
	}
	other, err := OpenAppend(path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := TryLockFile(other); !errors.Is(err, ErrLocked) {
		t.Errorf("another opener locked the replaced file: %v", err)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != FileMode {
		t.Errorf("the new file: %v, %v", info, err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("%d files left in the folder, want the one", len(entries))
	}
}
