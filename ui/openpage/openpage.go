// Package openpage shows an HTML page in the user's browser: it writes the
// page to a private temporary file and opens that with a ui/browser
// Opener ($BROWSER, then the system's opener). It also writes a page to a
// file the user names, atomically, through model/keptfile, the program's
// one writer.
//
// It is shared by `vault-session preview --open` and the wizard's ctrl+b,
// so both open a theme the same way.
package openpage

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"github.com/apideck-samples/vault-session/model/keptfile"
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
// (0700, the file 0600, written atomically) and returns the file's path.
func WriteTemp(html []byte) (string, error) {
	dir, err := os.MkdirTemp("", "vault-session-page-")
	if err != nil {
		return "", fmt.Errorf("cannot write the page: %w", err)
	}
	path := filepath.Join(dir, FileName)
	if err := keptfile.WriteFile(path, html); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("cannot write the page: %w", err)
	}
	return path, nil
}

// WriteFile writes html to path atomically (0600), so a reader never sees
// half a page and a failed write leaves the old file as it was; a symlink
// stays a link and its target gets the page. A device or a FIFO is written
// into, as a shell's > would (--html /dev/null discards the page, and
// never replaces /dev/null), a FIFO that nobody reads is refused rather
// than waited on, and a folder is refused. A path in a folder that does
// not exist is refused rather than created, as a shell redirection would:
// it is more likely a typo than a wish.
func WriteFile(path string, html []byte) error {
	if _, err := os.Stat(filepath.Dir(path)); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return keptfile.WriteThrough(path, html)
}

// FileURL is the file:// URL of a path.
func FileURL(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
}
