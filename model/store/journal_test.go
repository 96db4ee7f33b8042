package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
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

// A line no journal writes (16 MiB, a file damaged or written by hand) is
// skipped without being held: opening the journal costs what its lines
// are, not what the file holds, and the rows around it are read.
func TestJournalSkipsALongLineWithoutHoldingIt(t *testing.T) {
	s, _ := testStore(t)
	j, _, _ := s.OpenJournal(testKey, JournalAbout{Input: "in.csv"})
	j.Created(1, "a", time.Time{})
	j.Close()
	f, _ := os.OpenFile(s.JournalPath(testKey), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"row":2,"consumer_id":"b","failed":"` + strings.Repeat("x", 16<<20) + "\"}\n")
	f.WriteString(`{"row":3,"consumer_id":"c","created":"2026-11-26T10:00:00Z"}` + "\n")
	f.Close()

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	j, state, err := s.OpenJournal(testKey, JournalAbout{})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if len(state.Created) != 2 || state.Failed != 0 || state.Repaired {
		t.Errorf("state %+v: want a and c created, the long line skipped", state)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4<<20 {
		t.Errorf("opening the journal allocated %d MiB for a 16 MiB line", alloc>>20)
	}
}

// A journal removed (--restart, or pruned as another batch starts) between
// its open and its lock is not the batch's: the lock checks that the path
// still names the file it holds.
func TestJournalLockIsOnTheFileThePathNames(t *testing.T) {
	s, _ := testStore(t)
	j, _, err := s.OpenJournal(testKey, JournalAbout{Input: "in.csv"})
	if err != nil {
		t.Fatal(err)
	}
	j.Close()
	path := s.JournalPath(testKey)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if !namesFile(path, f) {
		t.Fatal("the journal just opened is not the one its path names")
	}
	os.Remove(path)
	if namesFile(path, f) {
		t.Error("a removed journal still counts as the batch's")
	}
	os.WriteFile(path, nil, 0o600)
	if namesFile(path, f) {
		t.Error("a journal removed and made again counts as the one held")
	}
	if err := s.RemoveJournal(testKey); err != nil {
		t.Fatal(err)
	}
	// Removing a journal that is not there creates none.
	if err := s.RemoveJournal(testKey); err != nil {
		t.Fatal(err)
	}
	if _, err := lockJournalFile(path, false); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("locking a journal that is not there: %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the journal is there after RemoveJournal: %v", err)
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

// A row's sent line comes before its request leaves, and its outcome
// after the answer. A sent line with no outcome after it is a request the
// run never heard back from: uncertain. An outcome, even one read back
// from the results (Recovered) or a 429 told as the batch stopped
// (NotCreated), settles it.
func TestJournalSentWithoutAnOutcomeIsUncertain(t *testing.T) {
	s, _ := testStore(t)
	dir := t.TempDir()
	links := filepath.Join(dir, "links.jsonl")
	j, _, err := s.OpenJournal(testKey, JournalAbout{Input: "in.csv", Rows: 7})
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(j.Run(links))
	for row := 1; row <= 6; row++ {
		must(j.Sending(row, fmt.Sprintf("c-%d", row), int64(100*row)))
	}
	must(j.Created(1, "c-1", time.Time{}))
	must(j.Failed(2, "c-2", "422 bad email"))
	must(j.NotCreated(3, "c-3", "429 Too Many Requests"))
	must(j.Recovered(4, "c-4", time.Time{}, ""))
	must(j.Recovered(5, "c-5", time.Time{}, "500 oops"))
	// c-6 never heard back; c-7 was never sent: neither has an outcome,
	// only c-6 is uncertain.
	j.Close()

	j, state, err := s.OpenJournal(testKey, JournalAbout{})
	if err != nil {
		t.Fatal(err)
	}
	want := []SentRow{{Row: 6, ConsumerID: "c-6", Sent: state.About.Started.Add(7 * time.Minute), Results: links, ResultsAt: 600}}
	if fmt.Sprint(state.Uncertain) != fmt.Sprint(want) {
		t.Errorf("uncertain: %+v\nwant %+v", state.Uncertain, want)
	}
	if len(state.Created) != 2 || state.Failed != 2 {
		t.Errorf("created %v, %d failed; want c-1 and c-4, 2 failed", state.Created, state.Failed)
	}
	if _, ok := state.Created["c-4"]; !ok {
		t.Errorf("a created outcome read back from the results does not count: %v", state.Created)
	}

	// A run to stdout: its sent rows have no results to read back. c-6 is
	// sent again (--resend-uncertain), and c-3 crashes in flight this time.
	must(j.Run(""))
	must(j.Sending(6, "c-6", 0))
	must(j.Created(6, "c-6", time.Time{}))
	must(j.Sending(3, "c-3", 0))
	j.Close()
	_, state, _ = s.OpenJournal(testKey, JournalAbout{})
	if len(state.Uncertain) != 1 || state.Uncertain[0].ConsumerID != "c-3" || state.Uncertain[0].Results != "" || len(state.Created) != 3 {
		t.Errorf("after a second run: uncertain %+v, created %v", state.Uncertain, state.Created)
	}

	// The lines say so to a person who opens the journal.
	data, _ := os.ReadFile(s.JournalPath(testKey))
	for _, want := range []string{
		`{"run":"2026-11-26T10:03:00Z","results":"` + links + `"}`,
		`{"row":1,"consumer_id":"c-1","sent":"2026-11-26T10:04:00Z","results_at":100}`,
		`{"row":3,"consumer_id":"c-3","not_created":"429 Too Many Requests"}`,
		`{"row":4,"consumer_id":"c-4","created":"2026-11-26T10:11:00Z","recovered":true}`,
		`{"row":5,"consumer_id":"c-5","failed":"500 oops","recovered":true}`,
		`{"row":6,"consumer_id":"c-6","sent":"2026-11-26T10:15:00Z"}`,
	} {
		if !strings.Contains(string(data), want+"\n") {
			t.Errorf("the journal has no line %s:\n%s", want, data)
		}
	}
}

// A journal written before rows were journaled as sent (outcomes only)
// reads as it did: nothing uncertain.
func TestJournalOfOutcomesOnlyHasNothingUncertain(t *testing.T) {
	s, _ := testStore(t)
	os.MkdirAll(s.JournalDir(), 0o700)
	os.WriteFile(s.JournalPath(testKey), []byte(`{"batch":1,"input":"in.csv","format":"csv","rows":2,"api_host":"h","started":"2026-11-26T10:02:00Z"}
{"row":1,"consumer_id":"a","created":"2026-11-26T10:03:00Z"}
{"row":2,"consumer_id":"b","failed":"timeout"}
`), 0o600)
	_, state, err := s.OpenJournal(testKey, JournalAbout{})
	if err != nil {
		t.Fatal(err)
	}
	if len(state.Uncertain) != 0 || len(state.Created) != 1 || state.Failed != 1 {
		t.Errorf("state %+v", state)
	}
}

// Lines that come while a write is under way wait for it and go out
// together, with one sync: ten rows sent at once cost two writes, not ten.
// Each caller returns once its own line is on disk.
func TestJournalGroupsTheLinesWrittenAtOnce(t *testing.T) {
	s, _ := testStore(t)
	s = s.WithClock(func() time.Time { return time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC) }) // read by every row at once
	j, _, err := s.OpenJournal(testKey, JournalAbout{})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	var groups [][]byte
	release := make(chan struct{})
	j.mu.Lock()
	j.write = func(f *os.File, data []byte, sync bool) error {
		groups = append(groups, data)
		if len(groups) == 1 {
			<-release // the first write takes its time
		}
		return writeGroup(f, data, sync)
	}
	j.mu.Unlock()

	first := make(chan error)
	go func() { first <- j.Sending(1, "c-1", 0) }()
	waitFor(t, func() bool { j.mu.Lock(); defer j.mu.Unlock(); return j.writing })
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for row := 2; row <= 11; row++ {
		wg.Add(1)
		go func() { defer wg.Done(); errs <- j.Sending(row, fmt.Sprintf("c-%d", row), 0) }()
	}
	waitFor(t, func() bool { j.mu.Lock(); defer j.mu.Unlock(); return bytes.Count(j.pending, []byte("\n")) == 10 })
	select {
	case <-errs:
		t.Fatal("a row went on before its line was written")
	default:
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(groups) != 2 || bytes.Count(groups[1], []byte("\n")) != 10 {
		t.Errorf("%d writes (%q); want the first line, then the other ten together", len(groups), groups)
	}
	state, _, _ := s.PeekJournal(testKey)
	if len(state.Uncertain) != 11 {
		t.Errorf("%d rows on record as sent, want 11", len(state.Uncertain))
	}
}

// A write that fails (a full disk) fails the rows of its group and every
// line after, and leaves the journal as it was before it: the batch stops.
func TestJournalWriteFailureFailsItsGroupAndAfter(t *testing.T) {
	s, _ := testStore(t)
	j, _, err := s.OpenJournal(testKey, JournalAbout{})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if err := j.Sending(1, "c-1", 0); err != nil {
		t.Fatal(err)
	}
	j.mu.Lock()
	j.write = func(*os.File, []byte, bool) error { return syscall.ENOSPC }
	j.mu.Unlock()
	if err := j.Created(1, "c-1", time.Time{}); !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("a failed write: %v", err)
	}
	j.mu.Lock()
	j.write = writeGroup
	j.mu.Unlock()
	if err := j.Sending(2, "c-2", 0); !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("a line after a failed write: %v, want the failure again", err)
	}
	state, _, _ := s.PeekJournal(testKey)
	if len(state.Uncertain) != 1 || len(state.Created) != 0 {
		t.Errorf("state %+v: want c-1 sent and nothing else", state)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(time.Millisecond)
	}
}

// With DeferOutcomeSyncs, an outcome line is written without a sync of
// its own and does not wait for a write under way: that write's writer
// writes it next. Sent lines are synced as ever, and Close syncs what is
// left.
func TestJournalDefersOutcomeSyncs(t *testing.T) {
	s, _ := testStore(t)
	s = s.WithClock(func() time.Time { return time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC) })
	j, _, err := s.OpenJournal(testKey, JournalAbout{})
	if err != nil {
		t.Fatal(err)
	}
	j.DeferOutcomeSyncs()
	type group struct {
		lines int
		sync  bool
	}
	var groups []group
	release := make(chan struct{})
	j.mu.Lock()
	j.write = func(f *os.File, data []byte, sync bool) error {
		groups = append(groups, group{bytes.Count(data, []byte("\n")), sync})
		if len(groups) == 1 {
			<-release
		}
		return writeGroup(f, data, sync)
	}
	j.mu.Unlock()

	sent := make(chan error)
	go func() { sent <- j.Sending(1, "c-1", 0) }()
	waitFor(t, func() bool { j.mu.Lock(); defer j.mu.Unlock(); return j.writing })
	// Row 0's answer comes while row 1's sent line is written: it does not
	// wait.
	if err := j.Created(0, "c-0", time.Time{}); err != nil {
		t.Fatal(err)
	}
	close(release)
	if err := <-sent; err != nil {
		t.Fatal(err)
	}
	if err := j.Failed(1, "c-1", "422"); err != nil {
		t.Fatal(err)
	}
	want := []group{{1, true}, {1, false}, {1, false}}
	if fmt.Sprint(groups) != fmt.Sprint(want) {
		t.Errorf("groups %v, want %v: the sent line synced, the outcomes not", groups, want)
	}
	if !j.unsynced {
		t.Error("an unsynced outcome is not known to be")
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	state, _, _ := s.PeekJournal(testKey)
	if len(state.Created) != 1 || state.Failed != 1 || len(state.Uncertain) != 0 {
		t.Errorf("state %+v", state)
	}
}
