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
	"sync"
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
// A row's request is journaled before it leaves, and its outcome after
// the answer: a "sent" line, on disk before the request is sent, then a
// "created" or "failed" line. A row with a sent line and no outcome after
// it is uncertain: the run that sent it ended (a crash, kill -9, a power
// cut, a second Ctrl+C) before it heard back, so a session may exist for
// it whose link no one received; the API cannot be asked. Such a row is
// not sent again unless the user says so (batch --resend-uncertain).
//
// Every line is appended whole and synced before its caller goes on
// (keptfile.Append), so a line in the journal is on disk. Lines written at
// once by several rows go out with one sync (append): a sync costs about
// what a request to a fast API does, and every row writes two lines. A
// journal is kept after
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

// JournalLine is what became of one row: its request sent, or its outcome.
type JournalLine struct {
	Row        int    `json:"row"`
	ConsumerID string `json:"consumer_id"`
	// Sent is when the row's request was about to leave: the line is on
	// disk before it does.
	Sent *time.Time `json:"sent,omitempty"`
	// ResultsAt, on a sent line, is the size the results file had then:
	// the row's results line, if it was written, starts there or after.
	ResultsAt int64 `json:"results_at,omitempty"`

	Created   *time.Time `json:"created,omitempty"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	// Failed is the error, in one line, when the row got no session.
	Failed string `json:"failed,omitempty"`
	// Recovered is set on an outcome read back from the results file: the
	// run before wrote the row's results line, then ended before its
	// journal line.
	Recovered bool `json:"recovered,omitempty"`
	// NotCreated is why a sent row certainly got no session and is no
	// failure either (told 429 as the batch stopped): it is as if never
	// sent, and the next run sends it.
	NotCreated string `json:"not_created,omitempty"`
}

// JournalRun starts the lines of one run of the batch: where its results
// went, so a run after it can read them back (SentRow.Results).
type JournalRun struct {
	Run time.Time `json:"run"`
	// Results is the results file's absolute path; "" when they went to
	// stdout.
	Results string `json:"results,omitempty"`
}

// SentRow is an uncertain row: its request was sent, and no outcome was
// journaled after.
type SentRow struct {
	Row        int
	ConsumerID string
	Sent       time.Time
	// Results is the file the run that sent it wrote its results to ("" for
	// stdout), and ResultsAt the size it had when the row was sent.
	Results   string
	ResultsAt int64
}

// JournalState is what a journal says of the batch so far.
type JournalState struct {
	About JournalAbout
	// Created maps each consumer ID that got a session to when.
	Created map[string]time.Time
	// Failed counts the consumers whose last outcome was a failure.
	Failed int
	// Uncertain lists the rows sent without an outcome after, by row
	// number: the run that sent them ended before it heard back.
	Uncertain []SentRow
	// Resumed is true when the journal was there before: its batch ran
	// before.
	Resumed bool
	// Repaired is true when a last line cut short (a crash or power cut
	// during its write) was dropped: its row had no session recorded.
	Repaired bool
}

// Journal is an open batch journal, locked for this process. Its methods
// may be called from several goroutines at once.
type Journal struct {
	path   string
	f      *os.File
	now    func() time.Time
	closed bool
	// readOnly journals (PeekJournal) are read, never repaired.
	readOnly bool

	// deferOutcomeSyncs: outcome lines are not synced on their own
	// (DeferOutcomeSyncs).
	deferOutcomeSyncs bool

	// The group commit (append): lines wait in pending while a write is
	// under way, and the next writer takes them all.
	mu          sync.Mutex
	written     *sync.Cond // a write ended
	pending     []byte
	pendingSync bool // a line pending must be synced
	// gathering is the number of the group pending lines go out with;
	// done the last group written, writing whether one is under way.
	gathering, done uint64
	writing         bool
	// unsynced is set while the last group written was not synced.
	unsynced bool
	// failedFrom is the first group whose write failed (err): the lines
	// of that group and after are not in the journal.
	failedFrom uint64
	err        error
	// write appends a group: writeGroup (a test counts the groups).
	write func(f *os.File, data []byte, sync bool) error

	// lines is what read found, per consumer: what a compacted journal
	// keeps (compact).
	lines journalLines
}

// journalLines is what a journal's lines come to, per consumer: the lines
// a compacted journal keeps.
type journalLines struct {
	about   []byte                 // the first line, as written
	created map[string]JournalLine // each consumer's session
	failed  map[string]JournalLine // the last failure of those without one
	size    int64                  // the bytes read
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
	f, err := lockJournalFile(path, true)
	if err != nil {
		return nil, JournalState{}, err
	}
	j := newJournal(path, f, s.now)
	state, err := j.read()
	if err == nil && state.Resumed && j.lines.size > s.journalCompactAbove {
		j.compact(state)
	}
	if err == nil && !state.Resumed {
		about.Batch = 1
		if about.Started.IsZero() {
			about.Started = s.now().UTC()
		}
		state.About = about
		err = j.append(about, true)
	}
	if err != nil {
		j.Close()
		return nil, JournalState{}, err
	}
	return j, state, nil
}

// lockJournalFile opens the journal at path (created when absent, with
// create) and takes its lock without waiting: ErrJournalBusy when another
// process holds it. A journal removed between the open and the lock
// (--restart, or pruned as another batch starts) is no batch's any more:
// holding it, a run would write where no one reads, and a second run of
// the same batch would lock a new file beside it. So the path is checked
// to name the file locked, and opened again when it does not.
func lockJournalFile(path string, create bool) (*os.File, error) {
	for range 10 {
		open := keptfile.Open
		if create {
			open = keptfile.OpenAppend
		}
		f, err := open(path)
		if err != nil {
			return nil, fmt.Errorf("cannot open the batch journal: %w", err)
		}
		if err := keptfile.TryLockFile(f); err != nil {
			f.Close()
			if errors.Is(err, keptfile.ErrLocked) {
				return nil, ErrJournalBusy
			}
			return nil, fmt.Errorf("cannot lock %s: %w", path, err)
		}
		if namesFile(path, f) {
			return f, nil
		}
		f.Close()
	}
	return nil, fmt.Errorf("cannot lock %s: it is removed as fast as it is opened", path)
}

// namesFile reports whether path names the open file f.
func namesFile(path string, f *os.File) bool {
	at, err := os.Stat(path)
	if err != nil {
		return false
	}
	open, err := f.Stat()
	return err == nil && os.SameFile(at, open)
}

// read reads the journal from the start and cuts off a last line left
// half written.
func (j *Journal) read() (JournalState, error) {
	state := JournalState{Created: map[string]time.Time{}}
	j.lines = journalLines{created: map[string]JournalLine{}, failed: map[string]JournalLine{}}
	failed := j.lines.failed
	// sent holds the rows sent and not answered yet, as the lines go: a
	// row's outcome follows its sent line within a few lines, so it holds
	// about as many rows as were in flight, whatever the journal's size.
	sent := map[string]SentRow{}
	results := "" // the results file of the run the lines are of
	if _, err := j.f.Seek(0, io.SeekStart); err != nil {
		return state, err
	}
	r := bufio.NewReaderSize(j.f, 64<<10)
	var good int64
	for first := true; ; first = false {
		line, n, err := readJournalLine(r)
		if err == io.EOF {
			if n > 0 && !j.readOnly {
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
		good += n
		if first {
			state.Resumed = true
			_ = json.Unmarshal(line, &state.About)
			j.lines.about = append([]byte(nil), line...)
			continue
		}
		var l struct {
			JournalLine
			Run     *time.Time `json:"run"`
			Results string     `json:"results"`
		}
		if json.Unmarshal(line, &l) != nil {
			continue // not ours to judge; the rows it would name run again
		}
		if l.Run != nil {
			results = l.Results
			continue
		}
		id := l.ConsumerID
		if id == "" {
			continue
		}
		switch {
		case l.Created != nil:
			state.Created[id] = *l.Created
			j.lines.created[id] = l.JournalLine
			delete(failed, id)
			delete(sent, id)
		case l.Failed != "":
			if _, ok := state.Created[id]; !ok {
				failed[id] = l.JournalLine
			}
			delete(sent, id)
		case l.NotCreated != "":
			delete(sent, id)
		case l.Sent != nil:
			if _, ok := state.Created[id]; !ok {
				sent[id] = SentRow{Row: l.Row, ConsumerID: id, Sent: *l.Sent, Results: results, ResultsAt: l.ResultsAt}
			}
		}
	}
	j.lines.size = good
	state.Failed = len(failed)
	for _, row := range sent {
		state.Uncertain = append(state.Uncertain, row)
	}
	sort.Slice(state.Uncertain, func(a, b int) bool { return state.Uncertain[a].Row < state.Uncertain[b].Row })
	return state, nil
}

// JournalCompactAbove is the size over which a journal is compacted as it
// is opened (Store.journalCompactAbove; smaller in tests).
const JournalCompactAbove = 1 << 20

// compact rewrites the journal as the lines its state comes to, when they
// take under half of it: the first line, each consumer's session, the
// last failure of each without one, and the uncertain rows' sent lines
// after a run line naming their results file. A batch run again and again
// (a row that keeps failing is sent, and fails, at every run) would
// otherwise grow its journal for as long as it is run within a week of
// the run before, and read it whole at each start. The journal read back
// comes to the same state (TestCompactedJournalSaysTheSame). Failing,
// the journal stays as it was: compacting is a saving, not a need.
func (j *Journal) compact(state JournalState) {
	if len(j.lines.about) == 0 {
		return // a first line not read back is not ours to rewrite
	}
	var b strings.Builder
	b.Write(j.lines.about)
	byRow := func(lines map[string]JournalLine) {
		rows := make([]JournalLine, 0, len(lines))
		for _, l := range lines {
			rows = append(rows, l)
		}
		sort.Slice(rows, func(a, c int) bool { return rows[a].Row < rows[c].Row })
		for _, l := range rows {
			writeJSONLine(&b, l)
		}
	}
	byRow(j.lines.created)
	byRow(j.lines.failed)
	results := ""
	for i, row := range state.Uncertain {
		if i == 0 || row.Results != results {
			results = row.Results
			writeJSONLine(&b, JournalRun{Run: row.Sent, Results: results})
		}
		sent := row.Sent
		writeJSONLine(&b, JournalLine{Row: row.Row, ConsumerID: row.ConsumerID, Sent: &sent, ResultsAt: row.ResultsAt})
	}
	if int64(b.Len()) > j.lines.size/2 {
		return
	}
	if f, err := keptfile.ReplaceLocked(j.path, j.f, []byte(b.String())); err == nil {
		j.f = f
		j.lines.size = int64(b.Len())
	}
}

// writeJSONLine writes v as a line of JSON.
func writeJSONLine(b *strings.Builder, v any) {
	line, _ := json.Marshal(v) // journal lines always encode
	b.Write(line)
	b.WriteByte('\n')
}

// maxJournalLine bounds a journal line read back: one this program writes
// is a few hundred bytes (a failure's reason is cut at 300).
const maxJournalLine = 64 << 10

// readJournalLine reads r's next line, newline included, and how many
// bytes it took. A line over maxJournalLine is skipped, not held: its line
// is nil, which no row reads as its own.
func readJournalLine(r *bufio.Reader) (line []byte, n int64, err error) {
	long := false
	for {
		chunk, err := r.ReadSlice('\n')
		n += int64(len(chunk))
		if !long {
			line = append(line, chunk...)
			if long = len(line) > maxJournalLine; long {
				line = nil
			}
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return line, n, err
		}
	}
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
	j := newJournal(s.JournalPath(key), f, s.now)
	j.readOnly = true
	state, err = j.read()
	return state, err == nil, err
}

// Run starts the lines of a run of the batch, whose results go to the
// file at results ("" for stdout; made absolute here, so a run from
// another folder finds it).
func (j *Journal) Run(results string) error {
	if results != "" {
		if abs, err := filepath.Abs(results); err == nil {
			results = abs
		}
	}
	return j.append(JournalRun{Run: j.now().UTC(), Results: results}, true)
}

// Sending records that row's request is about to be sent, and returns
// once the line is on disk: only then may it leave. resultsAt is the size
// of the results file now (0 when they go to stdout).
func (j *Journal) Sending(row int, consumerID string, resultsAt int64) error {
	now := j.now().UTC()
	return j.append(JournalLine{Row: row, ConsumerID: consumerID, Sent: &now, ResultsAt: max(resultsAt, 0)}, true)
}

// DeferOutcomeSyncs lets the outcome lines (Created, Failed) go without a sync of their own: each is written at once and is on disk
// with the next line synced (a row's sent line, the next run's) or Close.
// A batch whose results go to a file does so: a row's outcome is in its
// results line, synced before the journal's, and read back (Settle) by
// the next run when a power cut took the journal's line; the sync saved
// is one of the three on the way of every answer.
func (j *Journal) DeferOutcomeSyncs() {
	j.mu.Lock()
	j.deferOutcomeSyncs = true
	j.mu.Unlock()
}

// outcome writes an outcome line: synced unless DeferOutcomeSyncs.
func (j *Journal) outcome(l JournalLine) error {
	j.mu.Lock()
	sync := !j.deferOutcomeSyncs
	j.mu.Unlock()
	return j.append(l, sync)
}

// Created records that row's consumer got a session, and returns once the
// line is on disk (or written, DeferOutcomeSyncs).
func (j *Journal) Created(row int, consumerID string, expiresAt time.Time) error {
	return j.outcome(createdLine(row, consumerID, expiresAt, j.now()))
}

func createdLine(row int, consumerID string, expiresAt, now time.Time) JournalLine {
	now = now.UTC()
	l := JournalLine{Row: row, ConsumerID: consumerID, Created: &now}
	if !expiresAt.IsZero() {
		at := expiresAt.UTC()
		l.ExpiresAt = &at
	}
	return l
}

// Failed records that row's consumer got no session, and why (one line).
func (j *Journal) Failed(row int, consumerID, why string) error {
	return j.outcome(JournalLine{Row: row, ConsumerID: consumerID, Failed: journalReason(why, "failed")})
}

// Recovered records the outcome of an uncertain row read back from the
// results file: created (expiresAt, when known) or failed (why, not "").
func (j *Journal) Recovered(row int, consumerID string, expiresAt time.Time, why string) error {
	l := createdLine(row, consumerID, expiresAt, j.now())
	if why != "" {
		l = JournalLine{Row: row, ConsumerID: consumerID, Failed: journalReason(why, "failed")}
	}
	l.Recovered = true
	return j.append(l, true)
}

// NotCreated records that row's request, sent, certainly made no session
// and is no failure (told 429 as the batch stopped): the next run sends it.
func (j *Journal) NotCreated(row int, consumerID, why string) error {
	// Synced even with DeferOutcomeSyncs: no results line says it.
	return j.append(JournalLine{Row: row, ConsumerID: consumerID, NotCreated: journalReason(why, "not created")}, true)
}

// journalReason puts why on one line of at most 300 bytes; empty, it is
// otherwise.
func journalReason(why, otherwise string) string {
	why = strings.Join(strings.Fields(why), " ")
	if len(why) > 300 {
		why = why[:300] + "…"
	}
	if why == "" {
		why = otherwise
	}
	return why
}

func newJournal(path string, f *os.File, now func() time.Time) *Journal {
	j := &Journal{path: path, f: f, now: now, gathering: 1, write: writeGroup}
	j.written = sync.NewCond(&j.mu)
	return j
}

// append writes v as a line. With sync it returns once the line is on
// disk; without, once it is written, or at once when a write is under way
// (whose writer writes it next), and the next sync puts it on disk.
//
// Lines that come while a write is under way wait in pending, and go out
// together as the next group, with one sync when any of them needs one (a
// group commit): a row's sent line is written while the other workers'
// answers are, instead of after them. Each group is all or nothing
// (keptfile.Append); once one fails, the journal takes no more lines, and
// the batch stops.
func (j *Journal) append(v any, sync bool) error {
	line, err := json.Marshal(v)
	if err != nil {
		return err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.err != nil {
		return j.err
	}
	j.pending = append(append(j.pending, line...), '\n')
	j.pendingSync = j.pendingSync || sync
	group := j.gathering
	if j.writing && !sync {
		return nil
	}
	for j.done < group && j.err == nil {
		if j.writing {
			j.written.Wait()
			continue
		}
		j.writeGroups(group)
	}
	if j.err != nil && group >= j.failedFrom {
		return j.err
	}
	return nil
}

// writeGroups writes what is pending, a group at a time, until group is
// written and no line is left that no one waits for (an unsynced line
// whose caller went on); a line someone waits for is left to them. j.mu is
// held, and let go while a group is written.
func (j *Journal) writeGroups(group uint64) {
	j.writing = true
	for len(j.pending) > 0 && j.err == nil && (j.done < group || !j.pendingSync) {
		data, writing, sync := j.pending, j.gathering, j.pendingSync
		j.pending, j.pendingSync = nil, false
		j.gathering++
		j.mu.Unlock()
		err := j.write(j.f, data, sync)
		j.mu.Lock()
		j.done = writing
		j.unsynced = !sync
		if err != nil && j.err == nil {
			j.err = fmt.Errorf("cannot write the batch journal %s: %w", j.path, err)
			j.failedFrom = writing
		}
		j.written.Broadcast()
	}
	j.writing = false
	j.written.Broadcast()
}

// writeGroup appends a group: synced, or not (DeferOutcomeSyncs).
func writeGroup(f *os.File, data []byte, sync bool) error {
	if sync {
		return keptfile.Append(f, data)
	}
	return keptfile.AppendUnsynced(f, data)
}

// Path is the journal's file.
func (j *Journal) Path() string { return j.path }

// Close releases the journal's lock.
func (j *Journal) Close() error {
	if j.closed {
		return nil
	}
	j.closed = true
	j.mu.Lock()
	var err error
	if j.unsynced && j.err == nil {
		// The last outcome lines (DeferOutcomeSyncs) go on disk now.
		if err = j.f.Sync(); err != nil {
			err = fmt.Errorf("cannot write the batch journal %s: %w", j.path, err)
		}
		j.unsynced = false
	}
	j.mu.Unlock()
	_ = keptfile.UnlockFile(j.f)
	if cerr := j.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// RemoveJournal deletes the journal of the batch with key (--restart), if
// no process holds it.
func (s *Store) RemoveJournal(key string) error {
	if !validKey(key) {
		return fmt.Errorf("journal key %q: expected hex digits", key)
	}
	path := s.JournalPath(key)
	f, err := lockJournalFile(path, false)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
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
	entries, err := keptfile.ReadDir(s.JournalDir())
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
		if f, err := lockJournalFile(jn.path, false); err == nil {
			os.Remove(jn.path)
			keptfile.UnlockFile(f)
			f.Close()
		}
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
