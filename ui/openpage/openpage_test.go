package openpage

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/apideck-samples/vault-session/ui/browser"
)

func TestShowWritesAPrivateFileAndOpensIt(t *testing.T) {
	var launched [][]string
	o := browser.Opener{
		Getenv: func(k string) string { return map[string]string{"BROWSER": "firefox --new-tab %s"}[k] },
		Launch: func(name string, args []string) error {
			launched = append(launched, append([]string{name}, args...))
			return nil
		},
	}
	path, err := Show(o, []byte("<!doctype html><title>x</title>"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(filepath.Dir(path)) })
	if len(launched) != 1 || len(launched[0]) != 3 || launched[0][0] != "firefox" || launched[0][2] != FileURL(path) {
		t.Errorf("launched %q, want firefox --new-tab %s", launched, FileURL(path))
	}
	if b, _ := os.ReadFile(path); string(b) != "<!doctype html><title>x</title>" {
		t.Errorf("file holds %q", b)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
	di, err := os.Stat(filepath.Dir(path))
	if err != nil || di.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v (%v), want 0700", di.Mode().Perm(), err)
	}
}

// When no browser opens, the page is still written and its path returned.
func TestShowReturnsThePathWhenNoBrowserOpens(t *testing.T) {
	o := browser.Opener{System: func(string) error { return errors.New("no opener") }}
	path, err := Show(o, []byte("x"))
	if path == "" || err == nil {
		t.Fatalf("path %q, err %v: want both", path, err)
	}
	t.Cleanup(func() { os.RemoveAll(filepath.Dir(path)) })
	if _, serr := os.Stat(path); serr != nil {
		t.Error(serr)
	}
}

func TestWriteFileIsAtomicAndPrivate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "page.html")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Errorf("file holds %q", b)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files left in the directory, want 1", len(entries))
	}
	if err := WriteFile(filepath.Join(dir, "no-such-dir", "p.html"), []byte("x")); err == nil {
		t.Error("writing into a missing directory did not fail")
	}
}

func TestFileURL(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("unix paths")
	}
	if got := FileURL("/tmp/a b/page#1.html"); got != "file:///tmp/a%20b/page%231.html" {
		t.Errorf("FileURL = %q", got)
	}
}
