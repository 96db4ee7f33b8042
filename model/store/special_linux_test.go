package store

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/keptfile/keptfiletest"
)

// TestSpecialFilesInEveryFolderAreSkipped puts a FIFO (which open(2)
// waits on forever), a symlink to a FIFO, a symlink to /dev/zero, a socket
// and a folder, all named like presets and drafts, in the user's presets,
// the shared presets (VAULT_SESSION_PRESETS) and the drafts: every read
// ends within a second, keeps the good files, and names each special one
// in a problem.
func TestSpecialFilesInEveryFolderAreSkipped(t *testing.T) {
	shared := t.TempDir()
	s, _ := testStore(t, EnvPresets, shared)
	if _, err := s.SavePreset("good", model.Session{}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(shared, "team.json"), []byte(`{}`), 0o644)
	if err := s.SaveDraft(Draft{ConsumerID: "acme"}); err != nil {
		t.Fatal(err)
	}
	var fifos []string
	special := map[string][]string{}
	for _, dir := range []string{s.PresetDir(), shared, s.DraftDir()} {
		paths, f := keptfiletest.Kinds(t, dir)
		fifos = append(fifos, f...)
		special[dir] = paths[:4] // the folder is passed over, as before
	}
	named := func(what string, problems []error, paths []string) {
		t.Helper()
		text := joinErrors(problems)
		for _, p := range paths {
			if !strings.Contains(text, p+" is a") {
				t.Errorf("%s: no problem names %s:\n%s", what, p, text)
			}
		}
	}
	keptfiletest.Within(t, time.Second, func() {
		presets, problems := s.Presets()
		if len(presets) != 2 || presets[0].Name != "good" || presets[1].Name != "team" {
			t.Errorf("presets %+v", presets)
		}
		named("Presets", problems, append(special[s.PresetDir()], special[shared]...))
	}, fifos...)
	keptfiletest.Within(t, time.Second, func() {
		for _, name := range []string{"fifo", "fifo-link", "zero", "sock"} {
			if _, err := s.FindPreset(name); err == nil || !strings.Contains(err.Error(), "not a regular file") {
				t.Errorf("FindPreset(%s): %v", name, err)
			}
		}
		if _, err := s.FindPreset(special[shared][0]); err == nil {
			t.Error("FindPreset of a FIFO's path read it")
		}
	}, fifos...)
	keptfiletest.Within(t, time.Second, func() {
		drafts, problems := s.Drafts()
		if len(drafts) != 1 || drafts[0].ConsumerID != "acme" {
			t.Errorf("drafts %+v", drafts)
		}
		named("Drafts", problems, special[s.DraftDir()])
	}, fifos...)
	for _, paths := range special {
		for _, p := range paths {
			if info, err := os.Lstat(p); err != nil || info.Mode().IsRegular() {
				t.Errorf("%s was changed: %v", p, err)
			}
		}
	}
}

// TestSharedPresetsFolderThatIsAFIFO: VAULT_SESSION_PRESETS naming a FIFO
// (or a link to one) is reported, not waited on.
func TestSharedPresetsFolderThatIsAFIFO(t *testing.T) {
	fifo := keptfiletest.FIFO(t, filepath.Join(t.TempDir(), "presets"))
	s, _ := testStore(t, EnvPresets, fifo)
	keptfiletest.Within(t, time.Second, func() {
		_, problems := s.Presets()
		if text := joinErrors(problems); !strings.Contains(text, fifo+" is a named pipe (FIFO), not a folder") {
			t.Errorf("problems: %s", text)
		}
	}, fifo)
}

// TestHistoryThatIsASpecialFile: a FIFO, a link to one or a device where
// the history should be is neither read nor written (a write into a FIFO
// is a line lost; one into a device, a line thrown away), and nothing waits.
func TestHistoryThatIsASpecialFile(t *testing.T) {
	for _, kind := range []string{"fifo", "fifo-link", "zero"} {
		t.Run(kind, func(t *testing.T) {
			s, _ := testStore(t)
			os.MkdirAll(filepath.Dir(s.HistoryPath()), 0o700)
			fifo := keptfiletest.FIFO(t, filepath.Join(t.TempDir(), "fifo"))
			switch kind {
			case "fifo":
				os.Remove(fifo)
				fifo = keptfiletest.FIFO(t, s.HistoryPath())
			case "fifo-link":
				keptfiletest.Symlink(t, fifo, s.HistoryPath())
			case "zero":
				keptfiletest.Symlink(t, "/dev/zero", s.HistoryPath())
			}
			keptfiletest.Within(t, time.Second, func() {
				e, _ := NewEntry(model.Request{ConsumerID: "acme"}, time.Now(), time.Time{}, "", "", true)
				if err := s.AppendHistory(e); err == nil || !strings.Contains(err.Error(), "not a regular file") {
					t.Errorf("AppendHistory: %v", err)
				}
				if text := joinErrors(historyProblems(s)); !strings.Contains(text, s.HistoryPath()+" is a") {
					t.Errorf("reading the history: %s", text)
				}
				if _, ok, problems := s.LastFor("acme"); ok || len(problems) == 0 {
					t.Errorf("LastFor: %v %v", ok, problems)
				}
			}, fifo)
			if info, err := os.Stat(s.HistoryPath()); err != nil || info.Mode().IsRegular() {
				t.Errorf("the history became a regular file")
			}
		})
	}
}

// TestSavingNeverReplacesSpecialFiles: a FIFO standing where a preset or
// a draft would be saved stays a FIFO; the save says why it failed. A
// preset that is a symlink (into a dotfiles repository) stays a link, and
// the file it points to gets the new preset.
func TestSavingNeverReplacesSpecialFiles(t *testing.T) {
	s, _ := testStore(t)
	os.MkdirAll(s.PresetDir(), 0o700)
	os.MkdirAll(s.DraftDir(), 0o700)
	fifo := keptfiletest.FIFO(t, filepath.Join(s.PresetDir(), "trap.json"))
	draftFIFO := keptfiletest.FIFO(t, s.draftPath("acme"))
	keptfiletest.Within(t, time.Second, func() {
		if _, err := s.SavePreset("trap", model.Session{}); err == nil || !strings.Contains(err.Error(), "not replaced") {
			t.Errorf("SavePreset over a FIFO: %v", err)
		}
		if err := s.SaveDraft(Draft{ConsumerID: "acme"}); err == nil || !strings.Contains(err.Error(), "not replaced") {
			t.Errorf("SaveDraft over a FIFO: %v", err)
		}
	}, fifo, draftFIFO)
	for _, p := range []string{fifo, draftFIFO} {
		if info, err := os.Lstat(p); err != nil || info.Mode()&fs.ModeNamedPipe == 0 {
			t.Errorf("%s is no longer a FIFO", p)
		}
	}
	dotfiles := filepath.Join(t.TempDir(), "acme.json")
	os.WriteFile(dotfiles, []byte(`{"theme": {"vault_name": "Old"}}`), 0o644)
	link := keptfiletest.Symlink(t, dotfiles, filepath.Join(s.PresetDir(), "acme.json"))
	if _, err := s.SavePreset("acme", model.Session{Theme: model.Theme{VaultName: "New"}}); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the preset's link was cut: %v", err)
	}
	var got model.Session
	data, _ := os.ReadFile(dotfiles)
	if json.Unmarshal(data, &got); got.Theme.VaultName != "New" {
		t.Errorf("the linked file holds %s", data)
	}
}

// TestFullDiskLeavesTheHistoryByteIdentical: with the state folder on a
// 64 KiB tmpfs, the append that does not fit fails (the caller warns) and
// the history is exactly as it was, with no torn line; once space is
// freed, appends work again.
func TestFullDiskLeavesTheHistoryByteIdentical(t *testing.T) {
	disk := keptfiletest.Tmpfs(t, "64k")
	s, _ := testStore(t, "XDG_STATE_HOME", disk)
	var failed error
	var before []byte
	for i := range 20 {
		req := bigRequest("acme-" + string(rune('a'+i)))
		req.Session.CustomConsumerSettings = json.RawMessage(`{"blob":"` + strings.Repeat("x", 9000) + `"}`)
		e, _ := NewEntry(req, time.Now(), time.Time{}, "", "", true)
		before, _ = os.ReadFile(s.HistoryPath())
		if failed = s.AppendHistory(e); failed != nil {
			break
		}
	}
	if failed == nil || !strings.Contains(failed.Error(), "no space left") {
		t.Fatalf("the disk did not fill: %v", failed)
	}
	after, _ := os.ReadFile(s.HistoryPath())
	if string(after) != string(before) {
		t.Fatalf("after the failed append the history is %d bytes, was %d (torn tail %q)", len(after), len(before), tail(after))
	}
	if n := len(allHistory(t, s)); n == 0 {
		t.Error("no entry reads back")
	}
}

func tail(b []byte) []byte { return b[max(0, len(b)-40):] }

// Pruning the drafts removes what the program wrote, never a FIFO named
// like a draft, however old.
func TestDraftPruningLeavesSpecialFiles(t *testing.T) {
	s, _ := testStore(t)
	if err := os.MkdirAll(s.DraftDir(), 0o700); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(s.DraftDir(), "fifo.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := os.Chtimes(fifo, old, old); err != nil {
		t.Fatal(err)
	}
	for i := range MaxDrafts + 1 {
		if err := s.SaveDraft(Draft{ConsumerID: fmt.Sprintf("consumer-%02d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	if info, err := os.Lstat(fifo); err != nil || info.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("the FIFO after pruning: %v", err)
	}
}
