package store

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/keptfile"
)

// A batch journal records, as it happens, each row of a batch of sessions
// that got one (and each that failed), so a batch run again after Ctrl+C,
// a crash or a power cut creates sessions only for the rows without one.
//
// One journal per batch, named by its key (batch.JournalKey: the input's
// bytes, the app, the API and the shared session): the same command on the
// same file finds it; another file, another app or other settings start
// their own. A journal holds row numbers, consumer IDs and times, never a
// session's URL or token.
//
// Every line is appended whole and synced before the row counts as done
// (Append), so a line in the journal is on disk. A journal is kept after
// its batch completes, so running it again says so rather than creating
// every session twice; it is removed once a week has passed since its last
// line (model.MaxSessionLength: every session it lists has expired, and
// creating them again is then what anyone would want), and no more than
// MaxJournals are kept.

// MaxJournals bounds how many journals are kept; the oldest go first.
const MaxJournals = 50

// journalExt ends a journal's file name.
const journalExt = ".jsonl"

// JournalDir is the folder of the batch journals.
func (s *Store) JournalDir() string { return filepath.Join(s.stateDir, "batches") }

// JournalPath is where the journal of the batch with key lives.
func (s *Store) JournalPath(key string) string {
	return filepath.Join(s.JournalDir(), key+journalExt)
}

// JournalAbout is the journal's first line: what the batch was, for a
// person who opens the file.
type JournalAbout struct {
	Batch   int       `json:"batch"` // the journal's version: 1
	Input   string    `json:"input"`
	Format  string    `json:"format"`
	Rows    int       `json:"rows"`
	AppID   string    `json:"app_id,omitempty"`
	APIHost string    `json:"api_host"`
	Started time.Time `json:"started"`
}

// JournalLine is one row's outcome.
type JournalLine struct {
	Row        int        `json:"row"`
	ConsumerID string     `json:"consumer_id"`
	Created    *time.Time `json:"created,omitempty"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	// Failed is the error, in one line, when the row got no session.
	Failed string `json:"failed,omitempty"`
}

// JournalState is what a journal says of the batch so far.
type JournalState struct {
	About JournalAbout
	// Created maps each consumer ID that got a session to when.
	Created map[string]time.Time
	// Failed counts the consumers whose last outcome was a failure.
	Failed int
	// Resumed is true when the journal was there before: its batch ran
	// before.
	Resumed bool
	// Repaired is true when a last line cut short (a crash or power cut
	// during its write) was dropped: its row had no session recorded.
	Repaired bool
}

// Journal is an open batch journal, locked for this process.
type Journal struct {
	path   string
	f      *os.File
	now    func() time.Time
	closed bool
	// readOnly journals (PeekJournal) are read, never repaired.
	readOnly bool
}

// ErrJournalBusy is OpenJournal's answer when another process holds the
// journal: the same batch is running elsewhere.
var ErrJournalBusy = errors.New("another vault-session batch of the same input is running")

// OpenJournal opens the journal of the batch with key, creating it (with
// about as its first line) when there is none, and reads what it holds.
// It takes the journal's lock, failing with ErrJournalBusy when another
// process has it, so one batch never runs twice at once. Journals past
// their time are removed first.
func (s *Store) OpenJournal(key string, about JournalAbout) (*Journal, JournalState, error) {
	if !validKey(key) {
		return nil, JournalState{}, fmt.Errorf("journal key %q: expected hex digits", key)
	}
	dir := s.JournalDir()
	if err := ensureDir(dir); err != nil {
		return nil, JournalState{}, err
	}
	s.pruneJournals(key)
	path := s.JournalPath(key)
	f, err := keptfile.OpenAppend(path)
	if err != nil {
		return nil, JournalState{}, fmt.Errorf("cannot open the batch journal: %w", err)
	}
	if err := keptfile.TryLockFile(f); err != nil {
		f.Close()
		if errors.Is(err, keptfile.ErrLocked) {
			return nil, JournalState{}, ErrJournalBusy
		}
		return nil, JournalState{}, fmt.Errorf("cannot lock %s: %w", path, err)
	}
	j := &Journal{path: path, f: f, now: s.now}
	state, err := j.read()
	if err == nil && !state.Resumed {
		about.Batch = 1
		if about.Started.IsZero() {
			about.Started = s.now().UTC()
		}
		state.About = about
		err = j.append(about)
	}
	if err != nil {
		j.Close()
		return nil, JournalState{}, err
	}
	return j, state, nil
}

// read reads the journal from the start and cuts off a last line left
// half written.
func (j *Journal) read() (JournalState, error) {
	state := JournalState{Created: map[string]time.Time{}}
	failed := map[string]bool{}
	if _, err := j.f.Seek(0, io.SeekStart); err != nil {
		return state, err
	}
	r := bufio.NewReaderSize(j.f, 64<<10)
	var good int64
	for first := true; ; first = false {
		line, err := r.ReadBytes('\n')
		if err == io.EOF {
			if len(line) > 0 && !j.readOnly {
				// Written in part when the power went: that row has no
				// session on record, and the next line must start clean.
				if terr := j.f.Truncate(good); terr != nil {
					return state, fmt.Errorf("cannot repair %s: %w", j.path, terr)
				}
				state.Repaired = true
			}
			break
		}
		if err != nil {
			return state, fmt.Errorf("cannot read %s: %w", j.path, err)
		}
		good += int64(len(line))
		if first {
			state.Resumed = true
			_ = json.Unmarshal(line, &state.About)
			continue
		}
		var l JournalLine
		if json.Unmarshal(line, &l) != nil || l.ConsumerID == "" {
			continue // not ours to judge; the rows it would name run again
		}
		switch {
		case l.Created != nil:
			state.Created[l.ConsumerID] = *l.Created
			delete(failed, l.ConsumerID)
		case l.Failed != "":
			if _, ok := state.Created[l.ConsumerID]; !ok {
				failed[l.ConsumerID] = true
			}
		}
	}
	state.Failed = len(failed)
	return state, nil
}

// PeekJournal reads the journal of the batch with key without taking it
// or creating it (--dry-run says what a run would skip); ok is false when
// there is none.
func (s *Store) PeekJournal(key string) (state JournalState, ok bool, err error) {
	if !validKey(key) {
		return JournalState{}, false, fmt.Errorf("journal key %q: expected hex digits", key)
	}
	f, err := keptfile.Open(s.JournalPath(key))
	if errors.Is(err, fs.ErrNotExist) {
		return JournalState{}, false, nil
	}
	if err != nil {
		return JournalState{}, false, err
	}
	defer f.Close()
	state, err = (&Journal{path: s.JournalPath(key), f: f, readOnly: true}).read()
	return state, err == nil, err
}

// Created records that row's consumer got a session, and returns once the
// line is on disk.
func (j *Journal) Created(row int, consumerID string, expiresAt time.Time) error {
	now := j.now().UTC()
	l := JournalLine{Row: row, ConsumerID: consumerID, Created: &now}
	if !expiresAt.IsZero() {
		at := expiresAt.UTC()
		l.ExpiresAt = &at
	}
	return j.append(l)
}

// Failed records that row's consumer got no session, and why (one line).
func (j *Journal) Failed(row int, consumerID, why string) error {
	why = strings.Join(strings.Fields(why), " ")
	if len(why) > 300 {
		why = why[:300] + "…"
	}
	if why == "" {
		why = "failed"
	}
	return j.append(JournalLine{Row: row, ConsumerID: consumerID, Failed: why})
}

func (j *Journal) append(v any) error {
	line, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if err := keptfile.Append(j.f, append(line, '\n')); err != nil {
		return fmt.Errorf("cannot write the batch journal %s: %w", j.path, err)
	}
	return nil
}

// Path is the journal's file.
func (j *Journal) Path() string { return j.path }

// Close releases the journal's lock.
func (j *Journal) Close() error {
	if j.closed {
		return nil
	}
	j.closed = true
	_ = keptfile.UnlockFile(j.f)
	return j.f.Close()
}

// RemoveJournal deletes the journal of the batch with key (--restart), if
// no process holds it.
func (s *Store) RemoveJournal(key string) error {
	if !validKey(key) {
		return fmt.Errorf("journal key %q: expected hex digits", key)
	}
	path := s.JournalPath(key)
	f, err := keptfile.OpenAppend(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	if err := keptfile.TryLockFile(f); err != nil {
		if errors.Is(err, keptfile.ErrLocked) {
			return ErrJournalBusy
		}
		return err
	}
	defer keptfile.UnlockFile(f)
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// pruneJournals removes journals whose last line is older than a week, and
// the oldest beyond MaxJournals; keep is spared. A journal in use is
// written at least as often as its rows finish, so it is never the oldest
// by a week; one another process holds is skipped all the same.
func (s *Store) pruneJournals(keep string) {
	entries, err := os.ReadDir(s.JournalDir())
	if err != nil {
		return
	}
	type journal struct {
		path string
		mod  time.Time
	}
	var journals []journal
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, journalExt) || !e.Type().IsRegular() || name == keep+journalExt {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		journals = append(journals, journal{filepath.Join(s.JournalDir(), name), info.ModTime()})
	}
	sort.Slice(journals, func(a, b int) bool { return journals[a].mod.After(journals[b].mod) })
	expired := s.now().Add(-model.MaxSessionLength.Duration())
	for i, jn := range journals {
		if i+1 < MaxJournals && jn.mod.After(expired) {
			continue
		}
		f, err := keptfile.OpenAppend(jn.path)
		if err != nil {
			continue
		}
		if keptfile.TryLockFile(f) == nil {
			os.Remove(jn.path)
			keptfile.UnlockFile(f)
		}
		f.Close()
	}
}

func validKey(key string) bool {
	if key == "" || len(key) > 128 {
		return false
	}
	for _, c := range key {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
