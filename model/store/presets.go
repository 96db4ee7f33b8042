package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/keptfile"
)

// Preset is a session without a consumer: theme, settings, unified APIs,
// redirect URI and custom settings, shared by many consumers. On disk it is
// a session file in the --from format.
type Preset struct {
	Name string
	Path string
	// Shared is true for a preset from VAULT_SESSION_PRESETS.
	Shared  bool
	Session model.Session
}

// maxPresetFile bounds what is read: a preset is a few KiB.
const maxPresetFile = 4 << 20

// maxPresetName keeps names short enough to list and to use as file names.
const maxPresetName = 64

// CheckPresetName says why name cannot name a preset file, or nil. Names
// are file names without folders: letters, digits, '.', '-', '_'.
func CheckPresetName(name string) error {
	switch {
	case name == "":
		return errors.New("a preset needs a name")
	case len(name) > maxPresetName:
		return fmt.Errorf("preset name %q is longer than %d characters", name, maxPresetName)
	case strings.HasPrefix(name, "."):
		return fmt.Errorf("preset name %q cannot start with a dot", name)
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return fmt.Errorf("preset name %q: use letters, digits, '.', '-' and '_' only", name)
		}
	}
	return nil
}

// PresetOf is the part of a session a preset keeps: everything but the
// consumer card, which belongs to one consumer.
func PresetOf(s model.Session) model.Session {
	s.ConsumerMetadata = model.ConsumerMetadata{}
	return s
}

// UnknownPresetError is a preset name that no folder holds.
type UnknownPresetError struct {
	Name  string
	Known []string
}

func (e *UnknownPresetError) Error() string {
	if len(e.Known) == 0 {
		return fmt.Sprintf("no preset named %q: there are no presets yet (save one with 'vault-session presets save NAME')", e.Name)
	}
	return fmt.Sprintf("no preset named %q; known presets: %s", e.Name, strings.Join(e.Known, ", "))
}

// presetDir is a folder of presets.
type presetDir struct {
	dir    string
	shared bool
}

// presetDirs are the folders searched, first match wins: the shared one,
// then the user's own.
func (s *Store) presetDirs() []presetDir {
	var out []presetDir
	if s.sharedPresets != "" {
		out = append(out, presetDir{s.sharedPresets, true})
	}
	return append(out, presetDir{s.PresetDir(), false})
}

// Presets lists every preset by name; a name in the shared folder hides the
// user's preset of the same name. problems are files that were skipped
// (corrupt ones are set aside in the user's folder, only reported in the
// shared one, which is not ours to change).
func (s *Store) Presets() (presets []Preset, problems []error) {
	seen := map[string]bool{}
	for _, d := range s.presetDirs() {
		entries, err := keptfile.ReadDir(d.dir)
		switch {
		case errors.Is(err, fs.ErrNotExist) && d.shared:
			// The user's own folder comes with the first preset saved; the
			// team's was named on purpose (a mistyped path, a share not
			// mounted), and its presets are missing from every list.
			problems = append(problems, fmt.Errorf("%s names %s, which does not exist: no team presets read", EnvPresets, d.dir))
			continue
		case errors.Is(err, fs.ErrNotExist):
			continue
		case err != nil:
			problems = append(problems, listingProblem("presets", d.dir, err))
			continue
		}
		for _, e := range entries {
			name, ok := strings.CutSuffix(e.Name(), ".json")
			if !ok || e.IsDir() || CheckPresetName(name) != nil || seen[name] {
				continue
			}
			p, err := s.loadPreset(filepath.Join(d.dir, e.Name()), name, d.shared)
			if err != nil {
				problems = append(problems, skipped(err))
				continue
			}
			seen[name] = true
			presets = append(presets, p)
		}
	}
	sort.Slice(presets, func(i, j int) bool { return presets[i].Name < presets[j].Name })
	return presets, problems
}

// PresetNames lists the names Presets would, for messages.
func (s *Store) PresetNames() []string {
	presets, _ := s.Presets()
	names := make([]string, len(presets))
	for i, p := range presets {
		names[i] = p.Name
	}
	return names
}

// FindPreset returns the preset named nameOrPath, or read from that path
// when it names a file (it holds a path separator or ends in .json).
func (s *Store) FindPreset(nameOrPath string) (Preset, error) {
	if strings.ContainsAny(nameOrPath, `/\`) || strings.HasSuffix(nameOrPath, ".json") {
		name := strings.TrimSuffix(filepath.Base(nameOrPath), ".json")
		return readPresetFile(nameOrPath, name, false)
	}
	if err := CheckPresetName(nameOrPath); err != nil {
		return Preset{}, err
	}
	for _, d := range s.presetDirs() {
		path := filepath.Join(d.dir, nameOrPath+".json")
		if _, err := os.Stat(path); err != nil {
			continue
		}
		return s.loadPreset(path, nameOrPath, d.shared)
	}
	return Preset{}, &UnknownPresetError{Name: nameOrPath, Known: s.PresetNames()}
}

// loadPreset reads a preset found in a folder; one that does not parse is
// set aside when it is the user's own.
func (s *Store) loadPreset(path, name string, shared bool) (Preset, error) {
	p, err := readPresetFile(path, name, shared)
	var parseErr *presetParseError
	if errors.As(err, &parseErr) {
		if shared {
			return Preset{}, &CorruptFileError{Path: path, Err: parseErr.err}
		}
		return Preset{}, corrupt(path, parseErr.err)
	}
	return p, err
}

// presetParseError is a preset file that was read but is not a session.
type presetParseError struct{ err error }

func (e *presetParseError) Error() string { return e.err.Error() }

func readPresetFile(path, name string, shared bool) (Preset, error) {
	data, err := keptfile.ReadFile(path, maxPresetFile)
	if err != nil {
		return Preset{}, err
	}
	session, err := model.DecodeSession(data)
	if err != nil {
		return Preset{}, &presetParseError{err}
	}
	return Preset{Name: name, Path: path, Shared: shared, Session: PresetOf(session)}, nil
}

// SavePreset writes session (without its consumer card) as the user's
// preset name, replacing one of that name, and returns its path.
func (s *Store) SavePreset(name string, session model.Session) (string, error) {
	return s.savePreset(name, session, writeFile)
}

// SaveNewPreset is SavePreset that never replaces: when the user has a
// preset of that name, even one saved a moment ago by another process, it
// fails with a *PresetExistsError and leaves that preset as it is.
func (s *Store) SaveNewPreset(name string, session model.Session) (string, error) {
	path, err := s.savePreset(name, session, func(path string, data []byte) error {
		if err := ensureDir(filepath.Dir(path)); err != nil {
			return err
		}
		return keptfile.CreateFile(path, data)
	})
	if errors.Is(err, fs.ErrExist) {
		return path, &PresetExistsError{Name: name, Path: path}
	}
	return path, err
}

// savePreset encodes the preset and writes it with write.
func (s *Store) savePreset(name string, session model.Session, write func(path string, data []byte) error) (string, error) {
	if err := CheckPresetName(name); err != nil {
		return "", err
	}
	data, err := encodeSession(PresetOf(session))
	if err != nil {
		return "", err
	}
	path := filepath.Join(s.PresetDir(), name+".json")
	return path, write(path, data)
}

// PresetExistsError is a preset that SaveNewPreset did not replace. It
// matches fs.ErrExist.
type PresetExistsError struct{ Name, Path string }

func (e *PresetExistsError) Error() string {
	return fmt.Sprintf("preset %q exists (%s)", e.Name, e.Path)
}

func (e *PresetExistsError) Is(target error) bool { return target == fs.ErrExist }

// UserPresetPath is where the user's preset name is (or would be) saved,
// and whether it exists.
func (s *Store) UserPresetPath(name string) (string, bool) {
	path := filepath.Join(s.PresetDir(), name+".json")
	_, err := os.Stat(path)
	return path, err == nil
}

// RemovePreset deletes the user's preset name. A shared preset is not the
// user's to delete: the error says where it lives.
func (s *Store) RemovePreset(name string) (string, error) {
	if err := CheckPresetName(name); err != nil {
		return "", err
	}
	path, ok := s.UserPresetPath(name)
	if !ok {
		if s.sharedPresets != "" {
			shared := filepath.Join(s.sharedPresets, name+".json")
			if _, err := os.Stat(shared); err == nil {
				return "", fmt.Errorf("preset %q is shared (%s, from %s): remove it there", name, shared, EnvPresets)
			}
		}
		return "", &UnknownPresetError{Name: name, Known: s.PresetNames()}
	}
	if err := os.Remove(path); err != nil {
		return "", err
	}
	return path, nil
}

// listingProblem says why a folder of presets or drafts could not be
// listed: one that is a FIFO or a file is named for what it is.
func listingProblem(what, dir string, err error) error {
	if errors.As(err, new(*keptfile.KindError)) {
		return fmt.Errorf("%w; no %s read from it", err, what)
	}
	return fmt.Errorf("cannot list %s in %s: %w", what, dir, err)
}

// encodeSession writes a session as a readable session file.
func encodeSession(session model.Session) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(session); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
