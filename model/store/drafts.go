package store

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/keptfile"
)

// Draft is a wizard session left before it was created: everything typed
// except the API key, and the step the user was on.
type Draft struct {
	ConsumerID string
	AppID      string
	// Step names the wizard step to reopen ("theme"); the store does not
	// interpret it.
	Step string
	// Preset is the preset the session started from, if any.
	Preset  string
	Session model.Session
	// CustomSettingsText is the custom settings as typed, kept when it is
	// not valid JSON yet (Session then holds the last valid object).
	CustomSettingsText string
	SavedAt            time.Time
	// Path is the file the draft was read from.
	Path string
}

// draftFile is a draft on disk. The session is kept as raw JSON and read
// with model.DecodeSession, so numbers in custom settings keep their text.
type draftFile struct {
	ConsumerID         string          `json:"consumer_id"`
	AppID              string          `json:"app_id,omitempty"`
	Step               string          `json:"step,omitempty"`
	Preset             string          `json:"preset,omitempty"`
	Session            json.RawMessage `json:"session"`
	CustomSettingsText string          `json:"custom_settings_text,omitempty"`
	SavedAt            time.Time       `json:"saved_at"`
}

// maxDraftFile bounds what is read: a draft is a few KiB.
const maxDraftFile = 4 << 20

// MaxDrafts is how many drafts are kept, the newest: the wizard reads
// every draft kept when it starts, and one left behind for fifty other
// consumers since is not coming back. Saving a draft removes the oldest
// beyond it.
const MaxDrafts = 50

// draftPath is the draft file of a consumer ID: one per consumer, so a new
// draft for the same consumer replaces the old. The name is readable and a
// hash keeps distinct IDs apart whatever characters they hold.
func (s *Store) draftPath(consumerID string) string {
	return filepath.Join(s.DraftDir(), fileSlug(consumerID)+".json")
}

// fileSlug is a file name for text: its first 40 letters, digits, - and _
// (any other character as _), then a hash of the whole text, so distinct
// texts never share a name whatever characters they hold.
func fileSlug(text string) string {
	var slug strings.Builder
	for _, r := range text {
		if slug.Len() >= 40 {
			break
		}
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			slug.WriteRune(r)
		} else {
			slug.WriteByte('_')
		}
	}
	sum := sha256.Sum256([]byte(text))
	return slug.String() + "-" + hex.EncodeToString(sum[:4])
}

// SaveDraft writes d, replacing the consumer's previous draft. SavedAt is
// set to now.
func (s *Store) SaveDraft(d Draft) error {
	body, err := json.Marshal(d.Session)
	if err != nil {
		return err
	}
	f := draftFile{
		ConsumerID:         d.ConsumerID,
		AppID:              d.AppID,
		Step:               d.Step,
		Preset:             d.Preset,
		Session:            body,
		CustomSettingsText: d.CustomSettingsText,
		SavedAt:            s.now().UTC(),
	}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	path := s.draftPath(d.ConsumerID)
	if err := writeFile(path, append(data, '\n')); err != nil {
		return err
	}
	s.pruneDrafts(path)
	return nil
}

// pruneDrafts removes the oldest drafts beyond MaxDrafts; keep, the one
// just saved, stays. Only regular files go: a FIFO, a link or a folder
// named like a draft was not made by the program. What cannot be removed
// is left for the next save.
func (s *Store) pruneDrafts(keep string) {
	paths, err := s.draftFiles()
	if err != nil || len(paths) <= MaxDrafts {
		return
	}
	kept := 1 // keep
	for _, path := range paths {
		switch {
		case path == keep:
		case kept < MaxDrafts:
			kept++
		default:
			if info, err := os.Lstat(path); err == nil && info.Mode().IsRegular() {
				os.Remove(path)
			}
		}
	}
}

// draftFiles are the draft files, newest first by when they were written
// (a draft's file is replaced each time it is saved), found without
// reading them.
func (s *Store) draftFiles() ([]string, error) {
	entries, err := keptfile.ReadDir(s.DraftDir())
	if err != nil {
		return nil, err
	}
	type file struct {
		path string
		mod  time.Time
	}
	var files []file
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		f := file{path: filepath.Join(s.DraftDir(), e.Name())}
		if info, err := e.Info(); err == nil {
			f.mod = info.ModTime()
		}
		files = append(files, f)
	}
	sort.SliceStable(files, func(i, j int) bool { return files[i].mod.After(files[j].mod) })
	paths := make([]string, len(files))
	for i, f := range files {
		paths[i] = f.path
	}
	return paths, nil
}

// DeleteDraft removes the consumer's draft; none is not an error.
func (s *Store) DeleteDraft(consumerID string) error {
	err := os.Remove(s.draftPath(consumerID))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// Drafts lists the drafts, the latest first: the newest MaxDrafts files,
// so what it reads is bounded however many were left by versions that
// kept them all. Files that do not parse are set aside and reported in
// problems.
func (s *Store) Drafts() (drafts []Draft, problems []error) {
	paths, err := s.draftFiles()
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			problems = append(problems, listingProblem("drafts", s.DraftDir(), err))
		}
		return nil, problems
	}
	for _, path := range paths[:min(len(paths), MaxDrafts)] {
		d, err := readDraft(path)
		if err != nil {
			var parseErr *draftParseError
			if errors.As(err, &parseErr) {
				problems = append(problems, corrupt(path, parseErr.err))
			} else {
				problems = append(problems, skipped(err))
			}
			continue
		}
		drafts = append(drafts, d)
	}
	sort.SliceStable(drafts, func(i, j int) bool { return drafts[i].SavedAt.After(drafts[j].SavedAt) })
	return drafts, problems
}

type draftParseError struct{ err error }

func (e *draftParseError) Error() string { return e.err.Error() }

func readDraft(path string) (Draft, error) {
	data, err := keptfile.ReadFile(path, maxDraftFile)
	if err != nil {
		return Draft{}, err
	}
	var f draftFile
	if err := json.Unmarshal(data, &f); err != nil {
		return Draft{}, &draftParseError{err}
	}
	if len(f.Session) == 0 {
		return Draft{}, &draftParseError{errors.New("no session in the draft")}
	}
	session, err := model.DecodeSession(f.Session)
	if err != nil {
		return Draft{}, &draftParseError{fmt.Errorf("session: %w", err)}
	}
	return Draft{
		ConsumerID:         f.ConsumerID,
		AppID:              f.AppID,
		Step:               f.Step,
		Preset:             f.Preset,
		Session:            session,
		CustomSettingsText: f.CustomSettingsText,
		SavedAt:            f.SavedAt,
		Path:               path,
	}, nil
}
