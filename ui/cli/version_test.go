package cli

import (
	"errors"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/ui"
)

// TestVersionOf: what --version says for each way the binary is built.
func TestVersionOf(t *testing.T) {
	t.Parallel()
	vcs := func(revision, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: revision},
			{Key: "vcs.time", Value: "2026-12-06T12:55:19Z"}, {Key: "vcs.modified", Value: modified}}
	}
	const rev = "e5f1ae4c3b64e8da0c171b43b42a6cfe86afcffd"
	for _, tc := range []struct {
		name       string
		stamped    string
		info       *debug.BuildInfo
		short, out string
	}{
		{"release (goreleaser's -X main.version)", "v1.2.3",
			&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}},
			"v1.2.3", "v1.2.3"},
		{"go install …@v1.2.3", "",
			&debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}},
			"v1.2.3", "v1.2.3"},
		{"go build in a clean clone", "",
			&debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261206125519-e5f1ae4c3b64"}, Settings: vcs(rev, "false")},
			"v0.0.0-20261206125519-e5f1ae4c3b64", "v0.0.0-20261206125519-e5f1ae4c3b64 (development build of commit e5f1ae4c3b64)"},
		{"go build in a clone with changes", "",
			&debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261206125519-e5f1ae4c3b64+dirty"}, Settings: vcs(rev, "true")},
			"v0.0.0-20261206125519-e5f1ae4c3b64+dirty",
			"v0.0.0-20261206125519-e5f1ae4c3b64+dirty (development build of commit e5f1ae4c3b64, with uncommitted changes)"},
		{"go build on a tag", "",
			&debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}, Settings: vcs(rev, "false")},
			"v1.2.3", "v1.2.3 (development build of commit e5f1ae4c3b64)"},
		{"go run, a worktree or -buildvcs=false", "",
			&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}},
			"dev", "dev (development build: no version recorded)"},
		{"no build information", "", nil, "dev", "dev (no build information)"},
	} {
		got := versionOf(tc.stamped, tc.info)
		if got.short != tc.short || got.String() != tc.out {
			t.Errorf("%s: %q / %q, want %q / %q", tc.name, got.short, got.String(), tc.short, tc.out)
		}
	}
	// This test binary: go test records no version and no commit.
	if got := readBuildVersion(""); got.short != "dev" {
		t.Errorf("readBuildVersion in a test binary = %+v, want dev", got)
	}
}

// TestSelfName: text that says what to type next names a command that
// exists: not vault-session under go run, where nothing is installed.
func TestSelfName(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	onPath := filepath.Join(dir, "vault-session")
	os.WriteFile(onPath, []byte("#!/bin/sh\n"), 0o755)
	lookPath := func(name string) (string, error) {
		if name == "vault-session" {
			return onPath, nil
		}
		return "", errors.New("not found")
	}
	for argv0, want := range map[string]string{
		"":              "vault-session",
		"vault-session": "vault-session",
		"/root/.cache/go-build/44/448b24a6ac68-d/vault-session": "go run .",
		"/tmp/go-build2787041/b001/exe/vault-session":           "go run .",
		"./vault-session":          "./vault-session",
		onPath:                     "vault-session", // what PATH runs
		"/opt/other/vault-session": "/opt/other/vault-session",
	} {
		if got := selfName(argv0, lookPath); got != want {
			t.Errorf("selfName(%q) = %q, want %q", argv0, got, want)
		}
	}
}

// TestGoRunNamesNoMissingCommand: under go run, the wizard's exit text
// and the usage errors tell the person to type go run ., not a
// vault-session that is not installed.
func TestGoRunNamesNoMissingCommand(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.configured = func(a *app) { a.argv0 = "/tmp/go-build2787041/b001/exe/vault-session" }
	r := c.run("create", "--no-such-flag")
	if want := "Run 'go run . create --help' for usage."; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, r)
	}
	r = c.run()
	for _, want := range []string{"  go run . create --demo --from session.json", "See 'go run . create --help'."} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("no terminal: stderr lacks %q:\n%s", want, r)
		}
	}
	c.terminal = true
	c.wizard = (&fakeWizard{outcome: func(ui.Options) (ui.Outcome, error) {
		return ui.Outcome{DraftSaved: true, Sessions: []ui.CreatedSession{
			{ConsumerID: "a", Result: client.Result{URL: "http://127.0.0.1:1/session/x", Demo: true}, BuiltInDemo: true}}}, nil
	}}).run
	r = c.run("--demo")
	for _, want := range []string{"  go run . demo-server --listen 127.0.0.1:8080\n", "APIDECK_API_KEY=demo go run . --base-url",
		"draft kept (without the key); 'go run . --demo' offers to resume it"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the wizard's exit text lacks %q:\n%s", want, r)
		}
	}
	if strings.Contains(r.stderr, "  vault-session ") {
		t.Errorf("the exit text names vault-session, which go run did not install:\n%s", r)
	}
}
