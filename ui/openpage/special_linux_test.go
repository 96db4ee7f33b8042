package openpage

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/model/keptfile/keptfiletest"
)

// TestWriteFileNeverReplacesWhatIsNotAFile is `preview --html` naming a
// device, a FIFO or a symlink: run as root, the writer used to rename its
// temporary file over /dev/null. A device is written into and stays a
// device; a FIFO that nobody reads is refused at once; a link stays a
// link and its target gets the page.
func TestWriteFileNeverReplacesWhatIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	fifo := keptfiletest.FIFO(t, filepath.Join(dir, "fifo.html"))
	keptfiletest.Within(t, time.Second, func() {
		if err := WriteFile(fifo, []byte("<p>page")); err == nil || !strings.Contains(err.Error(), "no program is reading") {
			t.Errorf("a FIFO nobody reads: %v", err)
		}
	}, fifo)
	if info, err := os.Lstat(fifo); err != nil || info.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced")
	}

	target := filepath.Join(dir, "real.html")
	os.WriteFile(target, []byte("old"), 0o644)
	link := keptfiletest.Symlink(t, "real.html", filepath.Join(dir, "link.html"))
	if err := WriteFile(link, []byte("<p>page")); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&fs.ModeSymlink == 0 {
		t.Error("the link was cut")
	}
	if got, _ := os.ReadFile(target); string(got) != "<p>page" {
		t.Errorf("the link's target holds %q", got)
	}

	null := keptfiletest.NullDevice(t, filepath.Join(dir, "null"))
	WriteFile(null, []byte("<p>page")) // EACCES on a nodev mount; either way:
	if info, err := os.Lstat(null); err != nil || info.Mode()&fs.ModeCharDevice == 0 {
		t.Errorf("the device became %v", info.Mode())
	}
}
