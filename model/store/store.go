// Package store is what vault-session keeps on disk between runs: presets
// (themes and settings shared by many consumers), drafts (a wizard left
// unfinished), the history of created sessions and the journals of batches
// (which rows of a batch got a session, so a batch run again goes on). It
// knows paths, file modes and atomic writes, and nothing of terminals.
//
// Nothing it writes holds a secret: no type here has a field for the API
// key, a session token or a session URL (the URL carries the token).
//
// Every file is 0600 in a 0700 directory, through model/keptfile. Whole
// files (presets, drafts) are written to a temporary file in the same
// directory, synced and renamed, so a crash or a full disk leaves the old
// file or the new one, never half of one; a FIFO or a device where a file
// should be is never replaced, and never waited on when reading. History
// lines are appended under a lock, all or nothing, and the history is
// capped (HistoryCap), as are the drafts (MaxDrafts) and the batch
// journals (MaxJournals). A file that does not parse is set aside as
// NAME.corrupt and reported, never fatal.
package store

import (
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"time"
)

// Environment variables the store reads.
const (
	// EnvPresets names a folder of presets shared by a team (a checked-out
	// repository, say); it is searched before the user's own presets.
	EnvPresets = "VAULT_SESSION_PRESETS"
	// EnvNoHistory set to 1 (or true) stops history from being read or
	// written.
	EnvNoHistory = "VAULT_SESSION_NO_HISTORY"
)

// appDir is the folder of the program inside the config and state homes.
const appDir = "vault-session"

// Store is the program's files under a config and a state directory.
type Store struct {
	// configDir holds presets/; stateDir holds drafts/ and history.jsonl.
	configDir, stateDir string
	// sharedPresets is VAULT_SESSION_PRESETS, or "".
	sharedPresets string
	// historyCap is HistoryCap (smaller in tests).
	historyCap int64
	// journalCompactAbove is JournalCompactAbove (smaller in tests).
	journalCompactAbove int64
	now                 func() time.Time
}

// Open finds the directories from the environment (read through getenv, so
// tests choose them). It creates nothing: directories appear on the first
// write.
func Open(getenv func(string) string) (*Store, error) {
	config, state, err := resolveDirs(runtime.GOOS, getenv)
	if err != nil {
		return nil, err
	}
	return &Store{
		configDir:     filepath.Join(config, appDir),
		stateDir:      filepath.Join(state, appDir),
		sharedPresets: getenv(EnvPresets),
		historyCap:    HistoryCap,
		now:           time.Now,

		journalCompactAbove: JournalCompactAbove,
	}, nil
}

// WithClock returns the store reading time from now (for tests).
func (s *Store) WithClock(now func() time.Time) *Store {
	c := *s
	c.now = now
	return &c
}

// PresetDir is where the user's own presets are saved.
func (s *Store) PresetDir() string { return filepath.Join(s.configDir, "presets") }

// SharedPresetDir is VAULT_SESSION_PRESETS, or "" when it is not set.
func (s *Store) SharedPresetDir() string { return s.sharedPresets }

// DraftDir is where unfinished wizard sessions are kept.
func (s *Store) DraftDir() string { return filepath.Join(s.stateDir, "drafts") }

// HistoryPath is the history of created sessions, one JSON object a line.
func (s *Store) HistoryPath() string { return filepath.Join(s.stateDir, "history.jsonl") }

// HistoryDisabled reports whether VAULT_SESSION_NO_HISTORY asks for no
// history.
func HistoryDisabled(getenv func(string) string) bool {
	switch getenv(EnvNoHistory) {
	case "1", "true", "TRUE", "True", "yes":
		return true
	}
	return false
}

// CorruptFileError is a file that did not parse. MovedTo is where it was
// set aside ("" when it could not be moved, for instance in a shared,
// read-only folder).
type CorruptFileError struct {
	Path    string
	MovedTo string
	Err     error
}

func (e *CorruptFileError) Error() string {
	if e.MovedTo == "" {
		return fmt.Sprintf("%s does not parse (%v); skipped", e.Path, e.Err)
	}
	return fmt.Sprintf("%s does not parse (%v); moved to %s", e.Path, e.Err, e.MovedTo)
}

func (e *CorruptFileError) Unwrap() error { return e.Err }

// errNoHome is returned when no directory can be found for the files.
var errNoHome = errors.New("cannot find a home directory: set XDG_CONFIG_HOME and XDG_STATE_HOME")
