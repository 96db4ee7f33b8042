package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/apideck-samples/vault-session/model/keptfile"
)

// AuditEntry is one session created through the SSH team server: who
// created it, from where, for whom, and what it opens. Like the history,
// it has no field for the API key, the session token or the session URL.
type AuditEntry struct {
	Time time.Time `json:"time"`
	// Person is the authorized key's comment ("hank@support"), or its
	// fingerprint when the key has none.
	Person         string     `json:"person"`
	KeyFingerprint string     `json:"key_fingerprint"`
	RemoteAddr     string     `json:"remote_addr"`
	ConsumerID     string     `json:"consumer_id"`
	AppID          string     `json:"app_id,omitempty"`
	UnifiedAPIs    []string   `json:"unified_apis,omitempty"`
	SessionLength  string     `json:"session_length"`
	ExpiresAt      *time.Time `json:"expires_at,omitempty"`
	APIHost        string     `json:"api_host,omitempty"`
	Demo           bool       `json:"demo,omitempty"`
}

// AuditCap is the most an audit log holds, as for the history: 16 MiB,
// about fifty thousand sessions. The append that takes it past the cap
// rewrites it with its newest half, atomically and under the lock.
const AuditCap = 16 << 20

// maxAuditLine bounds one line read back: an entry is a few hundred bytes.
const maxAuditLine = 64 << 10

// AuditLog is an append-only JSONL file of AuditEntry, 0600 in a 0700
// folder, appended all or nothing under a lock and capped (AuditCap).
type AuditLog struct {
	path string
	cap  int64
}

// OpenAuditLog is the audit log at path. It creates nothing: the file and
// its folder appear on the first append.
func OpenAuditLog(path string) *AuditLog { return &AuditLog{path: path, cap: AuditCap} }

// WithCap returns the log capped at n bytes (for tests).
func (l *AuditLog) WithCap(n int64) *AuditLog { c := *l; c.cap = n; return &c }

// Path is the file.
func (l *AuditLog) Path() string { return l.path }

// Append adds e as one line. When the file passes its cap, its older half
// rotates out.
func (l *AuditLog) Append(e AuditEntry) error {
	line, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return appendCapped(l.path, l.path+".lock", "the audit log", line, l.cap)
}

// SkippedLinesError is Walk's note that the log was read but some of its
// lines were not entries: the entries read are good; the log is not lost.
type SkippedLinesError struct {
	Path  string
	Lines int
}

func (e *SkippedLinesError) Error() string {
	return fmt.Sprintf("%s: %d lines are not audit entries; skipped", e.Path, e.Lines)
}

// MakePrivate makes a log that is already there the server's alone
// (0600), as a log it creates is; it reports whether the log was readable
// by others. A missing log is made 0600 with its first entry.
func (l *AuditLog) MakePrivate() (tightened bool, err error) {
	info, err := os.Stat(l.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case err != nil:
		return false, err
	case !info.Mode().IsRegular():
		return false, &keptfile.KindError{Path: l.path, Mode: info.Mode()}
	case info.Mode().Perm()&0o077 == 0:
		return false, nil
	}
	if err := os.Chmod(l.path, keptfile.FileMode); err != nil {
		return false, fmt.Errorf("the audit log %s is readable by others and cannot be made private (0600): %w", l.path, err)
	}
	return true, nil
}

// Walk calls fn with the entries newest first until fn returns false. The
// file is read backwards a block at a time, so reading the last week costs
// the last week, whatever the file holds. Lines that are not entries are
// counted in the problem returned, and left where they are: the log is a
// record, and is not for the program to tidy. A missing log has no
// entries.
func (l *AuditLog) Walk(fn func(AuditEntry) bool) error {
	bad, err := eachLineBackward(l.path, maxAuditLine, func(line []byte) (bool, bool) {
		var e AuditEntry
		if json.Unmarshal(line, &e) != nil || e.Time.IsZero() {
			return false, true
		}
		return true, fn(e)
	})
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case bad > 0:
		return &SkippedLinesError{Path: l.path, Lines: bad}
	}
	return nil
}
