package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/apideck-samples/vault-session/model"
)

func TestPresetsSaveListFindRemove(t *testing.T) {
	s, _ := testStore(t)
	session := model.Session{
		ConsumerMetadata: model.ConsumerMetadata{AccountName: "One customer"},
		RedirectURI:      "https://app.example/back",
		Settings:         model.Settings{UnifiedAPIs: []string{"crm", "hris"}, SandboxMode: model.Bool(false)},
		Theme:            model.Theme{PrimaryColor: "#5d50ce", VaultName: "Acme"},
	}
	path, err := s.SavePreset("acme", session)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if strings.Contains(string(data), "consumer_metadata") || strings.Contains(string(data), "One customer") {
		t.Errorf("a preset kept the consumer card:\n%s", data)
	}
	// The file is a session file in the --from format.
	if _, err := model.DecodeSession(data); err != nil {
		t.Errorf("preset is not a session file: %v", err)
	}
	p, err := s.FindPreset("acme")
	if err != nil {
		t.Fatal(err)
	}
	if p.Session.Theme.VaultName != "Acme" || p.Session.Settings.SandboxMode == nil || *p.Session.Settings.SandboxMode ||
		p.Session.RedirectURI != "https://app.example/back" || p.Shared || p.Path != path {
		t.Errorf("found %+v", p)
	}
	// By path too, with the consumer card of a session file dropped.
	byPath, err := s.FindPreset(filepath.Join("..", "..", "testdata", "session.example.json"))
	if err != nil || byPath.Name != "session.example" || byPath.Session.ConsumerMetadata != (model.ConsumerMetadata{}) ||
		byPath.Session.Theme.VaultName != "Acme Integrations" {
		t.Errorf("by path: %+v, %v", byPath, err)
	}
	if _, err := s.SavePreset("beta", model.Session{}); err != nil {
		t.Fatal(err)
	}
	if names := s.PresetNames(); strings.Join(names, ",") != "acme,beta" {
		t.Errorf("names %v", names)
	}
	if _, err := s.RemovePreset("acme"); err != nil {
		t.Fatal(err)
	}
	var unknown *UnknownPresetError
	if _, err := s.FindPreset("acme"); !errors.As(err, &unknown) || strings.Join(unknown.Known, ",") != "beta" ||
		!strings.Contains(err.Error(), "known presets: beta") {
		t.Errorf("after rm: %v", err)
	}
}

func TestPresetNamesAreFileNames(t *testing.T) {
	for _, bad := range []string{"", ".hidden", "a/b", `a\b`, "a b", "é", strings.Repeat("x", 65), ".."} {
		if CheckPresetName(bad) == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	for _, good := range []string{"acme", "Partner_2.v1", "a-b"} {
		if err := CheckPresetName(good); err != nil {
			t.Errorf("%q: %v", good, err)
		}
	}
}

// TestSharedPresetsComeFirst: VAULT_SESSION_PRESETS is searched before the
// user's own folder, and a shared preset cannot be removed from here.
func TestSharedPresetsComeFirst(t *testing.T) {
	shared := t.TempDir()
	s, _ := testStore(t, EnvPresets, shared)
	if _, err := s.SavePreset("acme", model.Session{Theme: model.Theme{VaultName: "Mine"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SavePreset("own", model.Session{}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(shared, "acme.json"), []byte(`{"theme": {"vault_name": "Team"}}`), 0o644)
	os.WriteFile(filepath.Join(shared, "team.json"), []byte(`{}`), 0o644)
	p, err := s.FindPreset("acme")
	if err != nil || p.Session.Theme.VaultName != "Team" || !p.Shared {
		t.Errorf("acme: %+v %v; want the shared one", p, err)
	}
	presets, problems := s.Presets()
	var names []string
	for _, p := range presets {
		names = append(names, p.Name)
	}
	if strings.Join(names, ",") != "acme,own,team" || problems != nil || !presets[0].Shared {
		t.Errorf("listed %v, problems %v", names, problems)
	}
	if _, err := s.RemovePreset("team"); err == nil || !strings.Contains(err.Error(), "shared") {
		t.Errorf("rm of a shared preset: %v", err)
	}
}

// TestCorruptPresetIsSetAsideAndReported: the user's broken file is renamed
// TestMissingSharedFolderIsSaid: a VAULT_SESSION_PRESETS that names no
// folder (a mistyped path, a share not mounted) is said, not taken for a
// team with no presets; the user's own folder, made by the first save, is
// not missed.
func TestMissingSharedFolderIsSaid(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "team-presets")
	s, _ := testStore(t, EnvPresets, missing)
	presets, problems := s.Presets()
	if len(presets) != 0 || len(problems) != 1 ||
		!strings.Contains(problems[0].Error(), EnvPresets+" names "+missing+", which does not exist") {
		t.Errorf("presets %v, problems %v", presets, problems)
	}
	s, _ = testStore(t)
	if _, problems := s.Presets(); problems != nil {
		t.Errorf("no preset saved yet: problems %v", problems)
	}
}

// .corrupt, the others still list; a broken shared one is only reported.
func TestCorruptPresetIsSetAsideAndReported(t *testing.T) {
	shared := t.TempDir()
	s, _ := testStore(t, EnvPresets, shared)
	if _, err := s.SavePreset("good", model.Session{}); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(s.PresetDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"theme": {"vault_name": `), 0o600)
	sharedBad := filepath.Join(shared, "teambad.json")
	os.WriteFile(sharedBad, []byte(`{"colour": 1}`), 0o644)

	presets, problems := s.Presets()
	if len(presets) != 1 || presets[0].Name != "good" {
		t.Errorf("presets %+v", presets)
	}
	if len(problems) != 2 {
		t.Fatalf("problems %v", problems)
	}
	var moved, reported bool
	for _, p := range problems {
		var c *CorruptFileError
		if !errors.As(p, &c) {
			t.Errorf("problem %v is not a CorruptFileError", p)
			continue
		}
		switch c.Path {
		case bad:
			moved = c.MovedTo == bad+".corrupt" && strings.Contains(p.Error(), bad)
		case sharedBad:
			reported = c.MovedTo == "" && strings.Contains(p.Error(), sharedBad)
		}
	}
	if !moved || !reported {
		t.Errorf("problems %v", problems)
	}
	if _, err := os.Stat(bad + ".corrupt"); err != nil {
		t.Errorf("not set aside: %v", err)
	}
	if _, err := os.Stat(sharedBad); err != nil {
		t.Errorf("the shared file was moved: %v", err)
	}
	// A second corrupt file of the same name does not overwrite the first.
	os.WriteFile(bad, []byte(`[`), 0o600)
	s.Presets()
	if _, err := os.Stat(bad + ".2.corrupt"); err != nil {
		t.Errorf("second corrupt copy: %v", err)
	}
}

// TestSaveNewPresetNeverReplaces: ten saves of one new name at once give
// exactly one preset; the nine others are told it exists, and the preset
// is the winner's whole.
func TestSaveNewPresetNeverReplaces(t *testing.T) {
	s, _ := testStore(t)
	var wg sync.WaitGroup
	errs := make([]error, 10)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.SaveNewPreset("shared", model.Session{Theme: model.Theme{VaultName: fmt.Sprint("writer ", i)}})
		}()
	}
	wg.Wait()
	won := -1
	for i, err := range errs {
		var exists *PresetExistsError
		switch {
		case err == nil && won < 0:
			won = i
		case err == nil:
			t.Errorf("writers %d and %d both saved", won, i)
		case !errors.As(err, &exists) || !errors.Is(err, fs.ErrExist) || !strings.Contains(err.Error(), `preset "shared" exists`):
			t.Errorf("writer %d: %v", i, err)
		}
	}
	p, err := s.FindPreset("shared")
	if err != nil || p.Session.Theme.VaultName != fmt.Sprint("writer ", won) {
		t.Errorf("the preset is %+v (%v); writer %d won", p.Session.Theme, err, won)
	}
}
