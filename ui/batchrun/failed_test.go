package batchrun

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apideck-samples/vault-session/model/batch"
)

// A failed rows file kept in another folder and linked to (a dotfiles or
// shared-drive habit) stays a link: the rows go to the file it names, as
// they do for every other file the program writes (keptfile).
func TestFailedRowsWriteThroughASymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "elsewhere", "retry.csv")
	if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(target, []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "customers.failed.csv")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	reader, err := batch.NewReader(strings.NewReader("consumer_id,email\nacme-1,a@acme.example\n"), batch.CSV)
	if err != nil {
		t.Fatal(err)
	}
	row, _, err := reader.Next()
	if err != nil {
		t.Fatal(err)
	}
	failed, err := CreateFailedRows(link, reader)
	if err != nil {
		t.Fatal(err)
	}
	if err := failed.Add(row); err != nil {
		t.Fatal(err)
	}
	if _, err := failed.Finish(); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link is now %v (%v): replaced by a regular file", info.Mode(), err)
	}
	data, err := os.ReadFile(target)
	if err != nil || string(data) != "consumer_id,email\nacme-1,a@acme.example\n" {
		t.Errorf("the linked file holds %q (%v), want the failed row", data, err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(target)); len(entries) != 1 {
		t.Errorf("%d files beside the target, want it alone (no temporary file left)", len(entries))
	}
}
