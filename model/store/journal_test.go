package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const testKey = "0123456789abcdef"

func TestJournalRecordsAndResumes(t *testing.T) {
	s, _ := testStore(t)
	about := JournalAbout{Input: "customers.csv", Format: "csv", Rows: 3, AppID: "app", APIHost: "unify.apideck.com"}
	j, state, err := s.OpenJournal(testKey, about)
	if err != nil {
		t.Fatal(err)
	}
	if state.Resumed || len(state.Created) != 0 {
		t.Fatalf("a new journal says %+v", state)
	}
	expires := time.Date(2026, 11, 26, 11, 0, 0, 0, time.UTC)
	if err := j.Created(1, "acme-1", expires); err != nil {
		t.Fatal(err)
	}
	if err := j.Failed(2, "acme-2", "the API said:\n  422 bad"); err != nil {
		t.Fatal(err)
	}
	if err := j.Failed(3, "acme-3", "timeout"); err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}

	j, state, err = s.OpenJournal(testKey, JournalAbout{Input: "other"})
	if err != nil {
		t.Fatal(err)
	}
	if !state.Resumed || state.About.Input != "customers.csv" || state.About.Rows != 3 || len(state.Created) != 1 || state.Failed != 2 {
		t.Fatalf("reopened: %+v", state)
	}
	if _, ok := state.Created["acme-1"]; !ok {
		t.Errorf("created: %v", state.Created)
	}
	// acme-2 is tried again and created: no longer a failure.
	j.Created(2, "acme-2", time.Time{})
	j.Close()
	_, state, err = s.OpenJournal(testKey, about)
	if err != nil {
		t.Fatal(err)
	}
	if len(state.Created) != 2 || state.Failed != 1 {
		t.Errorf("after the retry: %d created, %d failed; want 2, 1", len(state.Created), state.Failed)
	}

	data, _ := os.ReadFile(s.JournalPath(testKey))
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	want := []string{
		`{"batch":1,"input":"customers.csv","format":"csv","rows":3,"app_id":"app","api_host":"unify.apideck.com","started":"2026-11-26T10:02:00Z"}`,
		`{"row":1,"consumer_id":"acme-1","created":"2026-11-26T10:03:00Z","expires_at":"2026-11-26T11:00:00Z"}`,
		`{"row":2,"consumer_id":"acme-2","failed":"the API said: 422 bad"}`,
		`{"row":3,"consumer_id":"acme-3","failed":"timeout"}`,
		`{"row":2,"consumer_id":"acme-2","created":"2026-11-26T10:05:00Z"}`,
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("journal:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	checkPrivate(t, s.JournalPath(testKey))
}

func checkPrivate(t *testing.T, path string) {
	t.Helper()
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("%s: %v, %v; want 0600", path, info.Mode(), err)
	}
	if info, err := os.Stat(filepath.Dir(path)); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("%s: %v, %v; want 0700", filepath.Dir(path), info.Mode(), err)
	}
}

func TestJournalIsHeldByOneBatch(t *testing.T) {
	s, _ := testStore(t)
	j, _, err := s.OpenJournal(testKey, JournalAbout{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.OpenJournal(testKey, JournalAbout{}); !errors.Is(err, ErrJournalBusy) {
		t.Errorf("second open: %v, want ErrJournalBusy", err)
	}
	if err := s.RemoveJournal(testKey); !errors.Is(err, ErrJournalBusy) {
		t.Errorf("remove while held: %v, want ErrJournalBusy", err)
	}
	j.Close()
	if err := s.RemoveJournal(testKey); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.JournalPath(testKey)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("after RemoveJournal: %v", err)
	}
	if err := s.RemoveJournal(testKey); err != nil {
		t.Errorf("removing none: %v", err)
	}
}

// A power cut during a line's write leaves part of it: the row has no
// session on record (it runs again), and the next line starts clean.
func TestJournalDropsALineCutShort(t *testing.T) {
	s, _ := testStore(t)
	j, _, _ := s.OpenJournal(testKey, JournalAbout{Input: "in.csv"})
	j.Created(1, "a", time.Time{})
	j.Close()
	f, _ := os.OpenFile(s.JournalPath(testKey), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"row":2,"consumer_id":"b","crea`)
	f.Close()

	j, state, err := s.OpenJournal(testKey, JournalAbout{})
	if err != nil {
		t.Fatal(err)
	}
	if !state.Repaired || len(state.Created) != 1 {
		t.Errorf("state %+v: want repaired, a only", state)
	}
	j.Created(2, "b", time.Time{})
	j.Close()
	_, state, _ = s.OpenJournal(testKey, JournalAbout{})
	if state.Repaired || len(state.Created) != 2 {
		t.Errorf("after repair: %+v", state)
	}
}

func TestJournalsAreBounded(t *testing.T) {
	s, _ := testStore(t)
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	s = s.WithClock(func() time.Time { return now })
	if err := os.MkdirAll(s.JournalDir(), 0o700); err != nil {
		t.Fatal(err)
	}
	journal := func(key string, age time.Duration) {
		path := s.JournalPath(key)
		os.WriteFile(path, []byte("{}\n"), 0o600)
		os.Chtimes(path, now.Add(-age), now.Add(-age))
	}
	journal("aaaa", 8*24*time.Hour) // past a week: every session expired
	journal("bbbb", 6*24*time.Hour) // kept
	journal(testKey, 30*24*time.Hour)
	for i := range MaxJournals + 5 {
		journal(fmt.Sprintf("c%03x", i), time.Duration(i)*time.Minute)
	}
	j, _, err := s.OpenJournal(testKey, JournalAbout{})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	entries, _ := os.ReadDir(s.JournalDir())
	names := map[string]bool{}
	for _, e := range entries {
		names[strings.TrimSuffix(e.Name(), journalExt)] = true
	}
	if len(names) != MaxJournals {
		t.Errorf("%d journals kept, want %d", len(names), MaxJournals)
	}
	if names["aaaa"] || names["bbbb"] || !names[testKey] || !names["c000"] || names[fmt.Sprintf("c%03x", MaxJournals+4)] {
		t.Errorf("kept %v: the one opened and the newest, not the expired nor the oldest", names)
	}
}

func TestJournalRefusesSpecialFilesAndBadKeys(t *testing.T) {
	s, _ := testStore(t)
	if _, _, err := s.OpenJournal("../../etc", JournalAbout{}); err == nil {
		t.Error("a key with a path in it was taken")
	}
	os.MkdirAll(s.JournalDir(), 0o700)
	if err := os.Mkdir(s.JournalPath(testKey), 0o700); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.OpenJournal(testKey, JournalAbout{}); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("a folder at the journal's path: %v", err)
	}
}
