package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/store"
)

// TestMain points the process's own XDG homes at a temporary folder, so a
// test that runs the program with os.Getenv, or a fallback that reads the
// real environment, never writes the user's files. HOME stays: go build in
// the built-binary tests finds its module cache there.
func TestMain(m *testing.M) {
	home, err := os.MkdirTemp("", "vault-session-test-home-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	os.Setenv("XDG_STATE_HOME", filepath.Join(home, ".local", "state"))
	code := m.Run()
	os.RemoveAll(home)
	os.Exit(code)
}

// dryRunBody runs create --dry-run --output json and returns the body.
func dryRunBody(t *testing.T, c *cli, args ...string) map[string]any {
	t.Helper()
	r := c.run(append([]string{"create", "--dry-run", "--output", "json", "--app-id", "a", "--consumer-id", "c"}, args...)...)
	if r.code != exitOK {
		t.Fatalf("dry run: %s", r)
	}
	var out struct {
		Body map[string]any `json:"body"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	return out.Body
}

func path(m map[string]any, keys ...string) any {
	var v any = m
	for _, k := range keys {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = obj[k]
	}
	return v
}

// TestPresetThenFromThenFlags: each layer wins over the one before, field
// by field; what a layer does not name stays.
func TestPresetThenFromThenFlags(t *testing.T) {
	t.Parallel()
	c := newTestCLI(t)
	r := c.run("presets", "save", "acme", "--primary-color", "#111111", "--vault-name", "Preset",
		"--sidepanel-bg", "navy", "--unified-apis", "crm,hris", "--sandbox=false", "--redirect-uri", "https://preset.example/back",
		"--account-name", "Not kept")
	if r.code != exitOK || !strings.Contains(r.stdout, "saved preset acme: ") || !strings.Contains(r.stderr, "consumer_metadata is left out") {
		t.Fatalf("save: %s", r)
	}
	from := filepath.Join(t.TempDir(), "s.json")
	os.WriteFile(from, []byte(`{"theme": {"vault_name": "From"}, "settings": {"unified_apis": ["ats"]}}`), 0o600)

	body := dryRunBody(t, c, "--preset", "acme", "--from", from, "--primary-color", "#222222")
	for _, tc := range []struct {
		keys []string
		want any
	}{
		{[]string{"theme", "primary_color"}, "#222222"},              // flag
		{[]string{"theme", "vault_name"}, "From"},                    // --from
		{[]string{"theme", "sidepanel_background_color"}, "#000080"}, // preset
		{[]string{"settings", "sandbox_mode"}, false},                // preset
		{[]string{"redirect_uri"}, "https://preset.example/back"},    // preset
		{[]string{"consumer_metadata"}, nil},                         // never in a preset
	} {
		if got := path(body, tc.keys...); got != tc.want {
			t.Errorf("%v = %v, want %v", tc.keys, got, tc.want)
		}
	}
	if apis, _ := json.Marshal(path(body, "settings", "unified_apis")); string(apis) != `["ats"]` {
		t.Errorf("unified_apis = %s, want the file's", apis)
	}
	// Flags alone over the preset; preview takes it too.
	if body := dryRunBody(t, c, "--preset", "acme", "--vault-name", "Flag"); path(body, "theme", "vault_name") != "Flag" ||
		path(body, "theme", "primary_color") != "#111111" {
		t.Errorf("preset + flag: %v", body)
	}
	if r := c.run("preview", "--preset", "acme", "--width", "60"); r.code != exitOK || !strings.Contains(r.stdout, "Preset") {
		t.Errorf("preview --preset: %s", r)
	}
	// A path works as well as a name.
	presetPath := filepath.Join(c.xdgConfig, "vault-session", "presets", "acme.json")
	if body := dryRunBody(t, c, "--preset", presetPath); path(body, "theme", "vault_name") != "Preset" {
		t.Errorf("preset by path: %v", body)
	}
}

func TestUnknownPresetIsExit2WithTheKnownOnes(t *testing.T) {
	t.Parallel()
	c := newTestCLI(t)
	for _, name := range []string{"beta", "alpha"} {
		if r := c.run("presets", "save", name, "--vault-name", name); r.code != exitOK {
			t.Fatal(r)
		}
	}
	for _, args := range [][]string{
		{"create", "--dry-run", "--app-id", "a", "--consumer-id", "c", "--preset", "gamma"},
		{"preview", "--preset", "gamma"},
		{"presets", "show", "gamma"},
		{"presets", "rm", "gamma"},
	} {
		r := c.run(args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, `no preset named "gamma"; known presets: alpha, beta`) {
			t.Errorf("%v: %s", args, r)
		}
	}
	c.terminal = true
	if r := c.run("--preset", "gamma"); r.code != exitUsage || !strings.Contains(r.stderr, "known presets: alpha, beta") {
		t.Errorf("wizard: %s", r)
	}
}

func TestPresetsListShowRemove(t *testing.T) {
	t.Parallel()
	c := newTestCLI(t)
	shared := t.TempDir()
	c.env[store.EnvPresets] = shared
	os.WriteFile(filepath.Join(shared, "team.json"), []byte(`{"theme": {"primary_color": "#5d50ce"}}`), 0o644)
	if r := c.run("presets"); r.code != exitOK || !strings.Contains(r.stdout, "team") || !strings.Contains(r.stdout, "(shared)") {
		t.Fatalf("list: %s", r)
	}
	if r := c.run("presets", "save", "acme", "--unified-apis", "crm,hris", "--primary-color", "#5D50CE", "--sidepanel-text", "white"); r.code != exitOK {
		t.Fatal(r)
	}
	if r := c.run("presets", "save", "acme", "--vault-name", "x"); r.code != exitUsage || !strings.Contains(r.stderr, "--force") {
		t.Errorf("save over an existing preset without --force: %s", r)
	}
	r := c.run("presets", "list")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != exitOK || len(lines) != 3 || !strings.HasPrefix(lines[0], "NAME") {
		t.Fatalf("list: %s", r)
	}
	acme := strings.Fields(lines[1])
	if acme[0] != "acme" || acme[1] != "crm,hris" || acme[2] != "#5d50ce" || acme[3] != "-" || acme[4] != "#ffffff" ||
		!strings.HasSuffix(lines[1], filepath.Join("presets", "acme.json")) {
		t.Errorf("acme row %q", lines[1])
	}
	// On a colour terminal each colour gets a swatch.
	c.env["TERM"], c.env["COLORTERM"] = "xterm-256color", "truecolor"
	c.configured = func(a *app) {
		a.streams.stdoutTTY = true
		a.streams.colorEnabled = colorAllowed(true, a.getenv)
	}
	if r := c.run("presets"); !strings.Contains(r.stdout, "\x1b[38;2;93;80;206m█\x1b[0m#5d50ce") {
		t.Errorf("no swatch on a colour terminal: %q", r.stdout)
	}
	c.configured = nil

	r = c.run("presets", "show", "acme")
	if r.code != exitOK || !strings.Contains(r.stdout, `"primary_color": "#5d50ce"`) || !strings.Contains(r.stderr, "acme.json") {
		t.Errorf("show: %s", r)
	}
	// Printed whole, ready for --from, however long a line of it is.
	long := `{"note":"` + strings.Repeat("x", 3000) + `"}`
	if r := c.run("presets", "save", "long", "--custom-consumer-settings", long); r.code != exitOK {
		t.Fatal(r)
	}
	r = c.run("presets", "show", "long")
	var shown model.Session
	var settings bytes.Buffer
	if err := json.Unmarshal([]byte(r.stdout), &shown); err != nil || json.Compact(&settings, shown.CustomConsumerSettings) != nil || settings.String() != long {
		t.Errorf("show long: %v\n%s", err, r)
	}
	if r := c.run("presets", "rm", "acme"); r.code != exitOK || !strings.Contains(r.stdout, "removed preset acme") {
		t.Errorf("rm: %s", r)
	}
	if r := c.run("presets", "rm", "team"); r.code != exitUsage || !strings.Contains(r.stderr, "shared") {
		t.Errorf("rm shared: %s", r)
	}
	if r := c.run("presets", "save", "../evil", "--vault-name", "x"); r.code != exitUsage {
		t.Errorf("a name with a folder: %s", r)
	}
	if r := c.run("presets", "frobnicate"); r.code != exitUsage {
		t.Errorf("unknown subcommand: %s", r)
	}
}

// TestCorruptPresetIsAWarningNotAFailure: listing goes on, the file is set
// aside and named on stderr.
func TestCorruptPresetIsAWarningNotAFailure(t *testing.T) {
	t.Parallel()
	c := newTestCLI(t)
	if r := c.run("presets", "save", "good", "--vault-name", "Good"); r.code != exitOK {
		t.Fatal(r)
	}
	bad := filepath.Join(c.xdgConfig, "vault-session", "presets", "bad.json")
	os.WriteFile(bad, []byte("{\"theme\": \x1b[2J"), 0o600)
	r := c.run("presets")
	if r.code != exitOK || !strings.Contains(r.stdout, "good") || !strings.Contains(r.stderr, "warning: "+bad+" does not parse") ||
		!strings.Contains(r.stderr, "moved to "+bad+".corrupt") {
		t.Errorf("%s", r)
	}
	if _, err := os.Stat(bad + ".corrupt"); err != nil {
		t.Error(err)
	}
}

// createOn creates a session on the test API and returns the result.
func createOn(t *testing.T, c *cli, base string, args ...string) cliResult {
	t.Helper()
	r := c.run(append([]string{"create", "--base-url", base, "--api-key", testAPIKey, "--app-id", "app-1"}, args...)...)
	if r.code != exitOK {
		t.Fatalf("create: %s", r)
	}
	return r
}

func TestHistoryRecordsEachCreateAndAgainResendsTheBody(t *testing.T) {
	t.Parallel()
	srv, base := startAPI(t)
	c := newTestCLI(t)
	createOn(t, c, base, "--consumer-id", "acme-42", "--account-name", "Acme", "--unified-apis", "crm,hris",
		"--custom-consumer-settings", `{"rate": 0.10000000000000000555}`)
	createOn(t, c, base, "--consumer-id", "globex-17", "--account-name", "Globex", "--session-length", "30m")

	r := c.run("history")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != exitOK || len(lines) != 3 || !strings.Contains(lines[1], "globex-17") || !strings.Contains(lines[2], "acme-42") {
		t.Fatalf("history, newest first: %s", r)
	}
	for _, want := range []string{"Acme", "crm,hris", "1h", "127.0.0.1"} {
		if !strings.Contains(lines[2], want) {
			t.Errorf("acme row lacks %q: %q", want, lines[2])
		}
	}
	r = c.run("history", "--consumer", "acme-42", "--output", "json")
	var entries []store.Entry
	if err := json.Unmarshal([]byte(r.stdout), &entries); err != nil || len(entries) != 1 || entries[0].AccountName != "Acme" {
		t.Fatalf("--consumer --output json: %v %s", err, r)
	}

	before := len(srv.Requests())
	r = createOn(t, c, base, "--again", "acme-42")
	reqs := srv.Requests()
	if len(reqs) != before+1 {
		t.Fatalf("--again sent %d requests", len(reqs)-before)
	}
	again, first := reqs[len(reqs)-1], reqs[0]
	if string(again.Body) != string(first.Body) || again.Header.Get("x-apideck-consumer-id") != "acme-42" {
		t.Errorf("--again sent %s for %q, want %s", again.Body, again.Header.Get("x-apideck-consumer-id"), first.Body)
	}
	if !strings.Contains(string(again.Body), "0.10000000000000000555") {
		t.Errorf("a number lost its text: %s", again.Body)
	}
	if r := c.run("create", "--again", "nobody", "--demo"); r.code != exitUsage || !strings.Contains(r.stderr, `no session for consumer "nobody"`) {
		t.Errorf("--again unknown: %s", r)
	}
	if r := c.run("create", "--again", "acme-42", "--from", "x.json", "--demo"); r.code != exitUsage {
		t.Errorf("--again with --from: %s", r)
	}
	if r := c.run("history", "--limit", "1"); strings.Count(r.stdout, "\n") != 2 || !strings.Contains(r.stdout, "acme-42") {
		t.Errorf("--limit 1 after --again: %s", r)
	}
}

func TestNoHistoryFlagAndVariable(t *testing.T) {
	t.Parallel()
	_, base := startAPI(t)
	c := newTestCLI(t)
	createOn(t, c, base, "--consumer-id", "a", "--no-history")
	c.env[store.EnvNoHistory] = "1"
	createOn(t, c, base, "--consumer-id", "b")
	if _, err := os.Stat(filepath.Join(c.xdgState, "vault-session", "history.jsonl")); !os.IsNotExist(err) {
		t.Errorf("a history was written: %v", err)
	}
	if r := c.run("history"); !strings.Contains(r.stdout, "No sessions") || !strings.Contains(r.stderr, store.EnvNoHistory) {
		t.Errorf("%s", r)
	}
}

// TestNoSecretInAnyFileWritten creates sessions, saves a preset and lists
// everything, then reads every file under the XDG homes: none holds the
// key, a token or a session URL.
func TestNoSecretInAnyFileWritten(t *testing.T) {
	t.Parallel()
	srv, base := startAPI(t)
	c := newTestCLI(t)
	r := createOn(t, c, base, "--consumer-id", "acme-42", "--output", "json", "--email", "jane@acme.example")
	var created struct{ URL, Token string }
	json.Unmarshal([]byte(r.stdout), &created)
	createOn(t, c, base, "--again", "acme-42")
	c.run("presets", "save", "p", "--vault-name", "P")
	c.run("history")
	if created.Token == "" || len(srv.Requests()) != 2 {
		t.Fatalf("setup: %s", r)
	}
	secrets := []string{testAPIKey, created.Token, created.URL, "/session/"}
	files := 0
	for _, root := range []string{c.xdgConfig, c.xdgState} {
		filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() {
				return err
			}
			files++
			data, _ := os.ReadFile(p)
			for _, s := range secrets {
				if strings.Contains(string(data), s) {
					t.Errorf("%s holds a secret (%.12s...)", p, s)
				}
			}
			return nil
		})
	}
	if files < 3 {
		t.Errorf("only %d files written", files)
	}
}
