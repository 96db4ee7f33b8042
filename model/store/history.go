package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
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

// HistoryCap is the most the history file holds: 16 MiB, tens of
// thousands of sessions. The append that takes the file past it rewrites
// the file with its newest half (HistoryCap/2, whole lines),
// atomically and under the lock: older entries rotate out, and nothing
// the program keeps grows without bound.
const HistoryCap = 16 << 20

// maxHistoryLine bounds one line, so one hostile line cannot make a read
// hold more than this. A line is a few hundred bytes (a body over
// MaxHistoryBody is not kept); versions before that kept bodies of up to
// the 4 MiB --from reads.
const maxHistoryLine = 8 << 20

// recentScanBytes bounds how far back the wizard's recent consumers are
// looked for: the newest 2 MiB (thousands of sessions), so its start costs
// the same with any history.
const recentScanBytes = 2 << 20

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

// lockPath is the file appends and rewrites of the history lock, beside
// it.
func (s *Store) lockPath() string { return filepath.Join(s.stateDir, "history.lock") }

// AppendHistory adds e as one line, under the lock, all or nothing: a full
// disk fails the append and leaves the file as it was. When the file
// passes HistoryCap, its older half rotates out.
func (s *Store) AppendHistory(e Entry) error {
	line, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return appendCapped(s.HistoryPath(), s.lockPath(), "the history", line, s.historyCap)
}

// HistoryQuery says which entries WalkHistory passes on.
type HistoryQuery struct {
	// ConsumerID keeps one consumer's entries ("" keeps all); the others
	// are passed over without being decoded.
	ConsumerID string
	// Bodies keeps each entry's Session; without it the body is skipped,
	// which is cheaper when only the listing's columns are shown.
	Bodies bool
}

// WalkHistory calls fn with the entries newest first until fn returns
// false. The file is read backwards a block at a time: what it costs
// depends on how many entries fn takes, and its memory on the longest
// line, never on the file's size. Lines that do not parse are moved to
// history.jsonl.corrupt afterwards (the good lines stay) and reported in
// problems, as is a history that is not a regular file (never waited on).
// A last line without its newline is a write in progress and is left
// alone.
func (s *Store) WalkHistory(q HistoryQuery, fn func(Entry) bool) (problems []error) {
	bad, err := s.eachHistoryLine(func(line []byte) (bool, bool) {
		if q.ConsumerID != "" {
			id, ok := consumerOf(line)
			if !ok {
				return false, true
			}
			if id != q.ConsumerID {
				return true, true
			}
		}
		e, ok := decodeEntry(line, q.Bodies)
		if !ok {
			return false, true
		}
		return true, fn(e)
	})
	return s.historyProblems(bad, err)
}

// LastFor is the newest entry for a consumer ID, body and all; only that
// consumer's lines are decoded, and the read stops at the first.
func (s *Store) LastFor(consumerID string) (Entry, bool, []error) {
	var last Entry
	found := false
	problems := s.WalkHistory(HistoryQuery{ConsumerID: consumerID, Bodies: true}, func(e Entry) bool {
		last, found = e, true
		return false
	})
	return last, found, problems
}

// RecentConsumers is the newest entry of each consumer, newest first, at
// most limit of them, for the wizard to complete the consumer ID from. It
// reads the history backwards until it has limit consumers or has looked
// through the newest recentScanBytes, and decodes only the entries it
// keeps, so the wizard starts as fast with a full history as with none.
func (s *Store) RecentConsumers(limit int) (recent []Entry, problems []error) {
	seen := map[string]bool{}
	scanned := 0
	bad, err := s.eachHistoryLine(func(line []byte) (bool, bool) {
		scanned += len(line) + 1
		more := scanned < recentScanBytes
		id, ok := consumerOf(line)
		switch {
		case !ok:
			return false, more
		case id == "" || seen[id]:
			return true, more
		}
		e, ok := decodeEntry(line, true)
		if !ok {
			return false, more
		}
		seen[id] = true
		recent = append(recent, e)
		return true, more && len(recent) < limit
	})
	return recent, s.historyProblems(bad, err)
}

// eachHistoryLine is eachLineBackward over the history.
func (s *Store) eachHistoryLine(fn func(line []byte) (good, more bool)) (bad int, err error) {
	return eachLineBackward(s.HistoryPath(), maxHistoryLine, fn)
}

// historyProblems turns what a read found into problems: an unreadable
// history, and the bad lines, which are set aside.
func (s *Store) historyProblems(bad int, err error) []error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return []error{err}
	case bad > 0:
		if err := s.repairHistory(); err != nil {
			return []error{err}
		}
	}
	return nil
}

// consumerOf reads a line's consumer_id without decoding the line. Lines
// this program writes begin {"time":"…","consumer_id":"…" (Entry's field
// order), and the ID is read from there; any other line (written by hand,
// escaped) is decoded as far as that one field. ok is false for a line
// that is not a JSON object.
func consumerOf(line []byte) (id string, ok bool) {
	const timeKey, idKey = `{"time":"`, `","consumer_id":"`
	if rest, found := bytes.CutPrefix(line, []byte(timeKey)); found {
		if i := bytes.IndexByte(rest, '"'); i >= 0 {
			if rest, found := bytes.CutPrefix(rest[i:], []byte(idKey)); found {
				end := bytes.IndexByte(rest, '"')
				if end >= 0 && bytes.IndexByte(rest[:end], '\\') < 0 {
					return string(rest[:end]), true
				}
			}
		}
	}
	var head struct {
		ConsumerID string `json:"consumer_id"`
	}
	if json.Unmarshal(line, &head) != nil {
		return "", false
	}
	return head.ConsumerID, true
}

// decodeEntry decodes a line, with its body or without.
func decodeEntry(line []byte, body bool) (Entry, bool) {
	var e Entry
	var err error
	if body {
		err = json.Unmarshal(line, &e)
	} else {
		head := struct {
			*Entry
			Session skippedJSON `json:"session"`
		}{Entry: &e}
		err = json.Unmarshal(line, &head)
	}
	return e, err == nil
}

// skippedJSON is a value decoded to nothing: the parser checks it and
// moves on, and nothing is copied.
type skippedJSON struct{}

func (*skippedJSON) UnmarshalJSON([]byte) error { return nil }
