package store

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/model"
)

// testStore opens a store on temporary XDG directories, the way the program
// does, with a fixed clock.
func testStore(t *testing.T, extra ...string) (*Store, map[string]string) {
	t.Helper()
	root := t.TempDir()
	env := map[string]string{
		"XDG_CONFIG_HOME": filepath.Join(root, "config"),
		"XDG_STATE_HOME":  filepath.Join(root, "state"),
		"HOME":            filepath.Join(root, "home"),
	}
	for i := 0; i+1 < len(extra); i += 2 {
		env[extra[i]] = extra[i+1]
	}
	s, err := Open(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	return s.WithClock(func() time.Time { clock = clock.Add(time.Minute); return clock }), env
}

func TestDirectoriesFollowXDGOnEveryOS(t *testing.T) {
	tests := []struct {
		goos          string
		env           map[string]string
		config, state string
	}{
		{"linux", map[string]string{"HOME": "/home/u"}, "/home/u/.config", "/home/u/.local/state"},
		{"linux", map[string]string{"HOME": "/home/u", "XDG_CONFIG_HOME": "/x/c", "XDG_STATE_HOME": "/x/s"}, "/x/c", "/x/s"},
		// A relative XDG path is ignored, as the XDG spec says.
		{"linux", map[string]string{"HOME": "/home/u", "XDG_CONFIG_HOME": "rel/c"}, "/home/u/.config", "/home/u/.local/state"},
		{"darwin", map[string]string{"HOME": "/Users/u"}, "/Users/u/Library/Application Support", "/Users/u/Library/Application Support"},
		{"darwin", map[string]string{"HOME": "/Users/u", "XDG_CONFIG_HOME": "/x/c", "XDG_STATE_HOME": "/x/s"}, "/x/c", "/x/s"},
		{"windows", map[string]string{"AppData": `C:\Users\u\AppData\Roaming`, "LocalAppData": `C:\Users\u\AppData\Local`},
			`C:\Users\u\AppData\Roaming`, `C:\Users\u\AppData\Local`},
		{"windows", map[string]string{"AppData": `C:\r`, "XDG_STATE_HOME": "/x/s"}, `C:\r`, "/x/s"},
	}
	for _, tt := range tests {
		config, state, err := resolveDirs(tt.goos, func(k string) string { return tt.env[k] })
		if err != nil || config != filepath.FromSlash(tt.config) && config != tt.config || state != filepath.FromSlash(tt.state) && state != tt.state {
			t.Errorf("%s %v: config %q state %q err %v; want %q %q", tt.goos, tt.env, config, state, err, tt.config, tt.state)
		}
	}
	// Without HOME (or AppData), the process's own home is never used
	// behind getenv's back: a test that forgets its temp dirs gets an
	// error, not the user's real history.
	for _, env := range []map[string]string{{}, {"XDG_CONFIG_HOME": "/x/c"}, {"XDG_STATE_HOME": "/x/s"}} {
		for _, goos := range []string{"linux", "darwin", "windows"} {
			if c, st, err := resolveDirs(goos, func(k string) string { return env[k] }); err == nil {
				t.Errorf("%s %v: got %q %q, want an error", goos, env, c, st)
			}
		}
	}
	s, _ := testStore(t)
	if !strings.HasSuffix(s.PresetDir(), filepath.Join("config", "vault-session", "presets")) ||
		!strings.HasSuffix(s.HistoryPath(), filepath.Join("state", "vault-session", "history.jsonl")) ||
		!strings.HasSuffix(s.DraftDir(), filepath.Join("state", "vault-session", "drafts")) {
		t.Errorf("paths: %s %s %s", s.PresetDir(), s.HistoryPath(), s.DraftDir())
	}
}

// TestFilesAre0600InDirectories0700 checks every file and directory the
// store creates, from the XDG homes down.
func TestFilesAre0600InDirectories0700(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix modes")
	}
	s, env := testStore(t)
	if _, err := s.SavePreset("acme", model.Session{Theme: model.Theme{VaultName: "Acme"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveDraft(Draft{ConsumerID: "c1", Step: "theme"}); err != nil {
		t.Fatal(err)
	}
	e, _ := NewEntry(model.Request{AppID: "a", ConsumerID: "c1"}, time.Now(), time.Time{}, "", "https://unify.apideck.com", false)
	if err := s.AppendHistory(e); err != nil {
		t.Fatal(err)
	}
	files := 0
	for _, root := range []string{env["XDG_CONFIG_HOME"], env["XDG_STATE_HOME"]} {
		err := filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
			if err != nil {
				return err
			}
			want := os.FileMode(0o600)
			if info.IsDir() {
				want = 0o700 | os.ModeDir
			} else {
				files++
			}
			if info.Mode() != want {
				t.Errorf("%s: mode %v, want %v", path, info.Mode(), want)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if files != 4 { // preset, draft, history, history.lock
		t.Errorf("%d files written, want 4", files)
	}
}

func joinErrors(errs []error) string {
	var b strings.Builder
	for _, e := range errs {
		b.WriteString(e.Error() + "\n")
	}
	return b.String()
}

// historyProblems reads the whole history and returns what was wrong.
func historyProblems(s *Store) []error {
	return s.WalkHistory(HistoryQuery{}, func(Entry) bool { return true })
}

// allHistory is every entry, newest first, with their bodies; a problem
// fails the test.
func allHistory(t *testing.T, s *Store) []Entry {
	t.Helper()
	var entries []Entry
	if problems := s.WalkHistory(HistoryQuery{Bodies: true}, func(e Entry) bool {
		entries = append(entries, e)
		return true
	}); problems != nil {
		t.Errorf("reading the history: %v", problems)
	}
	return entries
}
