package cli

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/client/mock/mocktest"
	"github.com/apideck-samples/vault-session/ui"
	"github.com/spf13/pflag"
)

// suggestedSelf names the program in the runs whose suggestions are
// collected: no prose says "./vs", so every occurrence starts a command.
const suggestedSelf = "./vs"

// suggestion is a command line found in a run's output, with the
// variables set before it (APIDECK_API_KEY=demo vault-session ...).
type suggestion struct {
	env  map[string]string
	line string
}

// suggestionsIn finds the command lines out suggests: from suggestedSelf
// to the end of the line, or to the quote that opened before it ('...',
// `...`), with the VAR=value words right before it.
func suggestionsIn(out string) []suggestion {
	assignment := regexp.MustCompile(`^[A-Z_]+=\S*$`)
	var found []suggestion
	for _, line := range strings.Split(out, "\n") {
		for rest, at := line, 0; ; {
			i := strings.Index(rest, suggestedSelf)
			if i < 0 {
				break
			}
			at += i
			cmd := line[at:]
			if at > 0 && strings.ContainsRune("'`", rune(line[at-1])) {
				if end := strings.IndexByte(cmd, line[at-1]); end > 0 {
					cmd = cmd[:end]
				}
			}
			s := suggestion{env: map[string]string{}, line: strings.TrimSpace(cmd)}
			words := strings.Fields(line[:at])
			for j := len(words) - 1; j >= 0 && assignment.MatchString(words[j]); j-- {
				k, v, _ := strings.Cut(words[j], "=")
				s.env[k] = v
			}
			found = append(found, s)
			at += len(cmd)
			rest = line[at:]
		}
	}
	return found
}

// Every command the program suggests, pasted in the same shell, runs: as
// TestEveryExampleRuns runs the help's examples, each scenario runs a
// command in a setting (--demo; --base-url and --app-id as flags, the key
// from the environment; all of it from the environment), and each command
// its output suggests is run as written, in the same environment. Before
// the suggestions carried the setting, `connections validate --demo`'s
// Fix: was a create without --demo (exit 2: no API key).
func TestEverySuggestedCommandRuns(t *testing.T) {
	rig := newExampleRig(t)
	dir, _ := os.Getwd()
	// The session file the no-terminal and the presets hints name.
	example, _ := os.ReadFile("testdata/session.example.json")
	os.WriteFile("session.json", example, 0o600)
	// A batch whose first two rows the API refuses: the retry line.
	failing, failingURL := mocktest.Start(t)
	// Enough consumers in need for health to cut its groups.
	_, crowdedURL := mocktest.Start(t, mock.WithSeededConsumers(1000))
	emptyConfig := t.TempDir()

	var wizardOpts ui.Options
	builtInDemo := func(_ context.Context, opts ui.Options) (ui.Outcome, error) {
		wizardOpts = opts
		return ui.Outcome{DraftSaved: true, Sessions: []ui.CreatedSession{
			{ConsumerID: "a", Result: client.Result{URL: "http://127.0.0.1:1/session/x", Demo: true}, BuiltInDemo: true}}}, nil
	}
	key := map[string]string{envAPIKey: "demo"}
	viaEnv := map[string]string{envAPIKey: "demo", envBaseURL: rig.demoServer, envAppID: mock.DemoAppID}
	asFlags := []string{"--base-url", rig.demoServer, "--app-id", mock.DemoAppID}

	for _, sc := range []struct {
		name     string
		args     []string
		env      map[string]string
		terminal bool
		wizard   func(context.Context, ui.Options) (ui.Outcome, error)
		before   func()
		// want is how many commands the output suggests at least, and
		// what one of them says.
		want     int
		wantText string
	}{
		{name: "consumers show --demo", args: []string{"consumers", "show", "--demo", mock.GlobexID},
			want: 1, wantText: "./vs create --demo --consumer-id globex-17"},
		{name: "consumers show, flags", args: append([]string{"consumers", "show", mock.GlobexID}, asFlags...), env: key,
			want: 1, wantText: "./vs create --base-url " + rig.demoServer + " --app-id demo-app --consumer-id globex-17"},
		{name: "consumers show, environment", args: []string{"consumers", "show", mock.GlobexID}, env: viaEnv,
			want: 1, wantText: "./vs create --consumer-id globex-17"},
		{name: "consumers show without an ID", args: []string{"consumers", "show", "--demo"},
			want: 1, wantText: "./vs consumers show --help"},
		{name: "connections validate --demo", args: []string{"connections", "validate", "--demo", "--consumer-id", mock.GlobexID, "--api", "accounting", "--service", "quickbooks"},
			want: 1, wantText: "Fix: ./vs create --demo --consumer-id globex-17"},
		{name: "connections validate, flags", args: append([]string{"connections", "validate", "--consumer-id", mock.GlobexID, "--api", "accounting", "--service", "quickbooks"}, asFlags...), env: key,
			want: 1, wantText: "Fix: ./vs create --base-url " + rig.demoServer + " --app-id demo-app --consumer-id globex-17"},
		{name: "health --demo", args: []string{"health", "--demo"},
			want: 1, wantText: "./vs consumers show --demo globex-17"},
		{name: "health, cut groups", args: []string{"health", "--base-url", crowdedURL, "--app-id", mock.DemoAppID, "--within", "24h"}, env: key,
			want: 2, wantText: "'./vs health --base-url " + crowdedURL + " --app-id demo-app --within 24h --output jsonl' lists every one"},
		{name: "the wizard without a terminal, --demo", args: []string{"--demo"},
			want: 3, wantText: "./vs create --demo --consumer-id CONSUMER --email name@example.com --unified-apis crm"},
		{name: "the wizard without a terminal or a key", args: []string{"--primary-color", "#123456"},
			want: 3, wantText: "./vs create --demo --from session.json"},
		{name: "the wizard without a terminal, flags", args: asFlags, env: key,
			want: 3, wantText: "./vs create --base-url " + rig.demoServer + " --app-id demo-app --from session.json --consumer-id CONSUMER"},
		{name: "the wizard without a terminal, a consumer", args: append([]string{"--consumer-id", "acme-42"}, asFlags...), env: key,
			want: 3, wantText: "./vs create --base-url " + rig.demoServer + " --app-id demo-app --from session.json --consumer-id acme-42"},
		{name: "the wizard's exit text", args: []string{"--demo"}, terminal: true, wizard: builtInDemo,
			want: 3, wantText: "draft kept (without the key); './vs --demo' offers to resume it"},
		{name: "demo-server", args: []string{"demo-server", "--listen", "127.0.0.1:0"},
			want: 2, wantText: "./vs consumers list --base-url"},
		{name: "create --again, no such consumer", args: []string{"create", "--demo", "--again", "nobody"},
			want: 1, wantText: "see './vs history'"},
		{name: "presets, none saved", args: []string{"presets"}, env: map[string]string{"XDG_CONFIG_HOME": emptyConfig},
			want: 1, wantText: "Save one with: ./vs presets save NAME --from session.json"},
		{name: "batch, rows refused", env: key,
			args: []string{"batch", "testdata/customers.example.csv", "--base-url", failingURL, "--app-id", mock.DemoAppID,
				"--rate", "0", "--concurrency", "1", "--unified-apis", "crm,hris", "--primary-color", "#123456", "--sandbox"},
			before: func() { failing.FailNext(400, 2) },
			want:   1, wantText: "./vs batch --base-url " + failingURL + " --app-id demo-app testdata/customers.example.failed.csv --rate 0 --concurrency 1 --unified-apis crm,hris --primary-color '#123456' --sandbox"},
	} {
		t.Run(sc.name, func(t *testing.T) {
			rig.t = t
			if sc.before != nil {
				sc.before()
			}
			rig.cli.env = sc.env
			if rig.cli.env == nil {
				rig.cli.env = map[string]string{}
			}
			configured := rig.cli.configured
			defer func() { rig.cli.configured, rig.cli.env, rig.cli.ctx = configured, map[string]string{}, nil }()
			rig.cli.configured = func(a *app) {
				configured(a)
				a.selfName = suggestedSelf
				if sc.wizard != nil {
					a.wizard = sc.wizard
				}
			}
			rig.cli.terminal = sc.terminal
			ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond) // demo-server's Ctrl+C
			defer cancel()
			if sc.args[0] == "demo-server" {
				rig.cli.ctx = ctx
			}
			r := rig.cli.run(sc.args...)
			rig.cli.ctx = nil
			rig.cli.configured = configured
			out := r.stdout + r.stderr
			if sc.wizard != nil {
				// The wizard's own suggestion (the quit warning's demo-server).
				out += "\n" + wizardOpts.CommandLine("demo-server") + "\n"
			}
			if sc.args[0] == "demo-server" {
				// The server it names has stopped: the rig's stands in.
				out = regexp.MustCompile(`http://127\.0\.0\.1:\d+`).ReplaceAllString(out, rig.demoServer)
			}
			found := suggestionsIn(out)
			if !strings.Contains(out, sc.wantText) {
				t.Errorf("the output lacks %q:\n%s", sc.wantText, r)
			}
			if len(found) < sc.want+boolInt(sc.wizard != nil) {
				t.Errorf("%d commands suggested, want %d:\n%s", len(found), sc.want, r)
			}
			for _, s := range found {
				for k, v := range s.env {
					rig.cli.env[k] = v
				}
				_, got := rig.run("vault-session" + strings.TrimPrefix(s.line, suggestedSelf))
				if got.code != exitOK && got.code != exitAttention {
					t.Errorf("suggested by %q: %s\npasted, exits %d:\n%s", sc.args, s.line, got.code, got)
				}
				if d, _ := os.Getwd(); d != dir {
					t.Fatalf("the working directory moved to %s", d)
				}
			}
		})
	}
	rig.t = t
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// commandLine repeats the setting's flags that the command takes and
// the arguments do not say, quotes for a shell, and never writes the key.
func TestCommandLineCarriesTheSetting(t *testing.T) {
	t.Parallel()
	a := newApp(&IOStreams{}, func(string) string { return "" })
	a.selfName = "go run ."
	a.tree = newRootCmd(a)
	flags := func(args ...string) *pflag.FlagSet {
		cmd, _, err := newRootCmd(a).Find([]string{"create"}) // a run's own flags
		if err != nil {
			t.Fatal(err)
		}
		fs := cmd.Flags()
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		return fs
	}
	for _, tc := range []struct {
		run     []string
		command string
		args    []string
		want    string
	}{
		{[]string{"--demo"}, "create", []string{"--consumer-id", "acme 1"}, "go run . create --demo --consumer-id 'acme 1'"},
		{[]string{"--demo=false"}, "create", nil, "go run . create"},
		{[]string{"--base-url", "http://127.0.0.1:8080", "--app-id", "my app", "--api-key", "sk_live_secret"}, "consumers show", []string{"acme"},
			"go run . consumers show --base-url http://127.0.0.1:8080 --app-id 'my app' acme"},
		{[]string{"--base-url", "https://unify.apideck.com/", "--app-id", "x"}, "create", nil, "go run . create --app-id x"},
		{[]string{"--demo", "--app-id", "x"}, "history", nil, "go run . history"},
		{[]string{"--demo", "--app-id", "x"}, "", nil, "go run . --demo --app-id x"},
		{[]string{"--demo"}, "create", []string{"--base-url", "http://h"}, "go run . create --base-url http://h"},
		{[]string{"--app-id", "x"}, "create", []string{"--app-id", "y"}, "go run . create --app-id y"},
		{[]string{"--demo"}, "demo-server", []string{"--listen", "127.0.0.1:8080"}, "go run . demo-server --listen 127.0.0.1:8080"},
		{[]string{"--consumer-id", "acme"}, "consumers show", []string{"acme"}, "go run . consumers show acme"},
		// A value from outside is shown, not obeyed, by the terminal.
		{[]string{"--app-id", "x\x1b]0;t\a"}, "", []string{"--consumer-id", "\u202eacme"}, `go run . --app-id 'x\x1b]0;t\x07' --consumer-id '\u202eacme'`},
	} {
		if got := a.commandLine(runSettingOf(flags(tc.run...)), tc.command, tc.args...); got != tc.want {
			t.Errorf("%q, then %q %q:\n got %s\nwant %s", tc.run, tc.command, tc.args, got, tc.want)
		}
	}
	// So is the path the program was started by.
	started := newApp(&IOStreams{}, func(string) string { return "" })
	started.argv0 = "/opt/\x1b[2J/vault-session"
	if got, want := started.self(), `/opt/\x1b[2J/vault-session`; got != want {
		t.Errorf("self() = %q, want %q", got, want)
	}
	fs := flags("--demo", "--api-key", "sk_live_secret", "--unified-apis", "crm,hris", "--sandbox", "--primary-color", "#ff5a1f", "--timeout", "90s")
	if got, want := strings.Join(givenFlags(fs, "timeout"), " "), "--unified-apis crm,hris --sandbox --primary-color #ff5a1f"; got != want {
		t.Errorf("givenFlags:\n got %s\nwant %s", got, want)
	}
}
