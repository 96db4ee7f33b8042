package store

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/apideck-samples/vault-session/model"
)

// Entry is one created session in the history. It says who got a link and
// when, never the link itself: no key, no token, no URL (the URL is the
// token, a bearer credential).
type Entry struct {
	Time          time.Time  `json:"time"`
	ConsumerID    string     `json:"consumer_id"`
	AppID         string     `json:"app_id,omitempty"`
	AccountName   string     `json:"account_name,omitempty"`
	UserName      string     `json:"user_name,omitempty"`
	Email         string     `json:"email,omitempty"`
	UnifiedAPIs   []string   `json:"unified_apis,omitempty"`
	SessionLength string     `json:"session_length"`
	ExpiresAt     *time.Time `json:"expires_at,omitempty"`
	Preset        string     `json:"preset,omitempty"`
	APIHost       string     `json:"api_host"`
	Demo          bool       `json:"demo"`
	// Session is the body that was sent, so `create --again` can send it
	// once more. Read it with model.DecodeSession. A body over
	// MaxHistoryBody is not kept (SessionBytes says how large it was).
	Session json.RawMessage `json:"session,omitempty"`
	// SessionBytes is the size of a body too large to keep.
	SessionBytes int `json:"session_bytes,omitempty"`
}

// MaxHistoryBody is the largest body a history line keeps. A session is a
// few hundred bytes; one with a huge custom-settings object (up to the
// 4 MiB --from allows) would grow the history by that much on every create
// and make every read of it slow, for an --again that can as well use the
// file it came from.
const MaxHistoryBody = 64 << 10

// NewEntry describes a session created for req. apiBase is the API's base
// URL: only its host is kept.
func NewEntry(req model.Request, at, expiresAt time.Time, preset, apiBase string, demo bool) (Entry, error) {
	s := req.Session.Normalized()
	var body []byte
	var bodyBytes int
	if n := len(s.CustomConsumerSettings); n > MaxHistoryBody {
		// Too large to keep whatever the rest holds: measure it without
		// encoding a megabyte only to drop it (that was half of a large
		// create's CPU).
		rest := s
		rest.CustomConsumerSettings = nil
		small, err := json.Marshal(rest)
		if err != nil {
			return Entry{}, err
		}
		bodyBytes = len(small) + len(`,"custom_consumer_settings":`) + n
	} else {
		var err error
		if body, err = json.Marshal(s); err != nil {
			return Entry{}, err
		}
		bodyBytes = len(body)
	}
	length, _ := s.Settings.EffectiveSessionLength()
	e := Entry{
		Time:          at.UTC(),
		ConsumerID:    req.ConsumerID,
		AppID:         req.AppID,
		AccountName:   s.ConsumerMetadata.AccountName,
		UserName:      s.ConsumerMetadata.UserName,
		Email:         s.ConsumerMetadata.Email,
		UnifiedAPIs:   s.Settings.UnifiedAPIs,
		SessionLength: length.String(),
		Preset:        preset,
		APIHost:       hostOf(apiBase),
		Demo:          demo,
	}
	if bodyBytes <= MaxHistoryBody {
		e.Session = body
	} else {
		e.SessionBytes = bodyBytes
	}
	if !expiresAt.IsZero() {
		exp := expiresAt.UTC()
		e.ExpiresAt = &exp
	}
	return e, nil
}

// hostOf keeps the host of a URL: no path, query or user info, which could
// carry a credential.
func hostOf(base string) string {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Host
}

// SessionBody decodes the body the entry recorded.
func (e Entry) SessionBody() (model.Session, error) {
	if e.SessionBytes > 0 {
		return model.Session{}, fmt.Errorf("its body (%d KiB) was too large to keep in the history (over %d KiB): send it again with --from", e.SessionBytes>>10, MaxHistoryBody>>10)
	}
	if len(e.Session) == 0 {
		return model.Session{}, errors.New("the history entry holds no session body")
	}
	return model.DecodeSession(e.Session)
}

// lockPath is the file appends and repairs lock, next to the history.
func (s *Store) lockPath() string { return filepath.Join(s.stateDir, "history.lock") }

// withHistoryLock runs fn while holding the history's lock, so that
// concurrent vault-session processes append whole lines and a repair never
// drops a line appended meanwhile.
func (s *Store) withHistoryLock(fn func() error) error {
	if err := ensureDir(s.stateDir); err != nil {
		return err
	}
	lock, err := os.OpenFile(s.lockPath(), os.O_CREATE|os.O_RDWR, fileMode)
	if err != nil {
		return fmt.Errorf("cannot lock the history: %w", err)
	}
	defer lock.Close()
	if err := lockFile(lock); err != nil {
		return fmt.Errorf("cannot lock the history: %w", err)
	}
	defer unlockFile(lock)
	return fn()
}

// AppendHistory adds e as one line. The line goes out in a single write to
// a file opened with O_APPEND, under the lock.
func (s *Store) AppendHistory(e Entry) error {
	line, err := json.Marshal(e)
	if err != nil {
		return err
	}
	line = append(line, '\n')
	return s.withHistoryLock(func() error {
		f, err := os.OpenFile(s.HistoryPath(), os.O_CREATE|os.O_RDWR|os.O_APPEND, fileMode)
		if err != nil {
			return fmt.Errorf("cannot write the history: %w", err)
		}
		// A writer that died mid-line left no newline: start on a line of
		// our own, so only its line is lost (and set aside on reading).
		line := line
		if endsMidLine(f) {
			line = append([]byte{'\n'}, line...)
		}
		if _, err := f.Write(line); err != nil {
			f.Close()
			return fmt.Errorf("cannot write %s: %w", s.HistoryPath(), err)
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return fmt.Errorf("cannot write %s: %w", s.HistoryPath(), err)
		}
		return f.Close()
	})
}

// endsMidLine reports whether f's last byte is not a newline.
func endsMidLine(f *os.File) bool {
	info, err := f.Stat()
	if err != nil || info.Size() == 0 {
		return false
	}
	last := make([]byte, 1)
	if _, err := f.ReadAt(last, info.Size()-1); err != nil {
		return false
	}
	return last[0] != '\n'
}

// maxHistoryLine bounds one line; a session body is a few KiB.
const maxHistoryLine = 4 << 20

// History returns the entries, newest first. Lines that do not parse are
// moved to history.jsonl.corrupt (the good lines stay) and reported in
// problems. A last line without its newline is a write in progress and is
// left alone.
func (s *Store) History() (entries []Entry, problems []error) {
	entries, bad, err := readHistory(s.HistoryPath())
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, []error{err}
	}
	if bad > 0 {
		if err := s.repairHistory(); err != nil {
			problems = append(problems, err)
		}
		entries, _, _ = readHistory(s.HistoryPath())
	}
	reverse(entries)
	return entries, problems
}

// LastFor is the newest entry for a consumer ID.
func (s *Store) LastFor(consumerID string) (Entry, bool, []error) {
	entries, problems := s.History()
	for _, e := range entries {
		if e.ConsumerID == consumerID {
			return e, true, problems
		}
	}
	return Entry{}, false, problems
}

func reverse(entries []Entry) {
	for i, j := 0, len(entries)-1; i < j; i, j = i+1, j-1 {
		entries[i], entries[j] = entries[j], entries[i]
	}
}

// readHistory parses the file's complete lines, oldest first, counting the
// ones that do not parse.
func readHistory(path string) (entries []Entry, bad int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	err = eachLine(f, func(line []byte, complete bool) {
		if !complete || len(bytes.TrimSpace(line)) == 0 {
			return
		}
		var e Entry
		if json.Unmarshal(line, &e) != nil {
			bad++
			return
		}
		entries = append(entries, e)
	})
	return entries, bad, err
}

// eachLine calls fn for each line of r (without its newline); complete is
// false for a last line that has none.
func eachLine(r io.Reader, fn func(line []byte, complete bool)) error {
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		line, err := br.ReadBytes('\n')
		if len(line) > maxHistoryLine {
			line = line[:maxHistoryLine] // parses as nothing: counted as bad
		}
		if err == io.EOF {
			if len(line) > 0 {
				fn(line, false)
			}
			return nil
		}
		if err != nil {
			return err
		}
		fn(line[:len(line)-1], true)
	}
}

// repairHistory moves the lines that do not parse to history.jsonl.corrupt
// and rewrites the history with the others, atomically, under the lock.
func (s *Store) repairHistory() error {
	path := s.HistoryPath()
	corruptPath := path + ".corrupt"
	var moved int
	err := s.withHistoryLock(func() error {
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var good, bad bytes.Buffer
		_ = eachLine(bytes.NewReader(data), func(line []byte, complete bool) {
			var e Entry
			switch {
			case len(bytes.TrimSpace(line)) == 0:
			case !complete || json.Unmarshal(line, &e) != nil:
				// Under the lock no append is in progress: a line without
				// its newline is what a writer that died left.
				bad.Write(line)
				bad.WriteByte('\n')
				moved++
			default:
				good.Write(line)
				good.WriteByte('\n')
			}
		})
		if moved == 0 {
			return nil
		}
		cf, err := os.OpenFile(corruptPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, fileMode)
		if err != nil {
			return err
		}
		if _, err := cf.Write(bad.Bytes()); err != nil {
			cf.Close()
			return err
		}
		if err := cf.Close(); err != nil {
			return err
		}
		return WriteFile(path, good.Bytes())
	})
	if err != nil {
		return fmt.Errorf("%s has lines that do not parse, and they could not be set aside: %w", path, err)
	}
	if moved == 0 {
		return nil
	}
	return &CorruptFileError{Path: path, MovedTo: corruptPath,
		Err: fmt.Errorf("%d line(s) are not history entries", moved)}
}

// RecentConsumers is the latest entry of each consumer, newest first, at
// most limit of them.
func RecentConsumers(entries []Entry, limit int) []Entry {
	seen := map[string]bool{}
	var out []Entry
	for _, e := range entries {
		if e.ConsumerID == "" || seen[e.ConsumerID] {
			continue
		}
		seen[e.ConsumerID] = true
		out = append(out, e)
		if len(out) == limit {
			break
		}
	}
	return out
}
