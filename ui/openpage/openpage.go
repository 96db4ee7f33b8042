// Package openpage shows an HTML page in the user's browser: it writes the
// page to a private temporary file and opens that with a ui/browser
// Opener ($BROWSER, then the system's opener). It also writes a page to a
// file the user names, atomically.
//
// It is shared by `vault-session preview --open` and the wizard's ctrl+b,
// so both open a theme the same way.
package openpage

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"github.com/apideck-samples/vault-session/ui/browser"
)

// FileName is the name of the page inside its temporary directory.
const FileName = "vault-page.html"

// Show writes html to a new private temporary file (0600 in a 0700
// directory) and opens it with o. It returns the file's path, which is
// kept so the browser can read it after the program ends; the path is
// returned even when opening fails, so the caller can show it.
func Show(o browser.Opener, html []byte) (string, error) {
	path, err := WriteTemp(html)
	if err != nil {
		return "", err
	}
	_, err = o.Open(FileURL(path))
	return path, err
}

// WriteTemp writes html to FileName in a new private temporary directory
// (0700, the file 0600, synced before it is closed) and returns the file's
// path.
func WriteTemp(html []byte) (string, error) {
	dir, err := os.MkdirTemp("", "vault-session-page-")
	if err != nil {
		return "", fmt.Errorf("cannot write the page: %w", err)
	}
	path := filepath.Join(dir, FileName)
	if err := writeNew(path, html); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("cannot write the page: %w", err)
	}
	return path, nil
}

// WriteFile writes html to path atomically: a temporary file in the same
// directory (0600), synced, then renamed over path, so a reader never sees
// half a page and a failed write leaves the old file as it was.
func WriteFile(path string, html []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	tmp := f.Name()
	_, werr := f.Write(html)
	serr := f.Sync()
	if err := errors.Join(werr, serr, f.Close()); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}

// writeNew creates path (which must not exist) as 0600 and writes html to
// it, synced to disk.
func writeNew(path string, html []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, werr := f.Write(html)
	serr := f.Sync()
	return errors.Join(werr, serr, f.Close())
}

// FileURL is the file:// URL of a path.
func FileURL(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
}
