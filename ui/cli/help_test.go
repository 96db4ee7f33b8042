package cli

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/client/mock/mocktest"
	"github.com/apideck-samples/vault-session/ui"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// commandTree is every command of a fresh tree, the root first, hidden
// ones included, with the words that run each ("presets save").
func commandTree(t *testing.T) []*cobra.Command {
	t.Helper()
	root := newRootCmd(newApp(&IOStreams{}, func(string) string { return "" }))
	var out []*cobra.Command
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		out = append(out, c)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	return out
}

// words is the command line after the program's name: "presets save".
func words(c *cobra.Command) []string {
	return strings.Fields(strings.TrimPrefix(c.CommandPath(), c.Root().Name()))
}

func TestHelpGoesToStdoutWithExitZero(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--help"}, {"-h"}, {"-help"}, {"help"}, {"create", "--help"}, {"help", "create"},
		{"preview", "-h"}, {"demo-server", "--help"}, {"help", "presets", "save"}, {"presets", "save", "--help"}} {
		r := newCLI(t).run(args...)
		if r.code != exitOK || !strings.Contains(r.stdout, "\nUsage:\n  vault-session") || r.stderr != "" {
			t.Errorf("%q:\n%s", args, r)
		}
	}
	if a, b := newCLI(t).run("help", "create"), newCLI(t).run("create", "--help"); a.stdout != b.stdout {
		t.Errorf("help create and create --help differ:\n%s\n%s", a.stdout, b.stdout)
	}
	if r := newCLI(t).run("help", "frobnicate"); r.code != exitUsage || !strings.Contains(r.stderr, `unknown command "frobnicate"`) {
		t.Errorf("help of an unknown command: want exit 2:\n%s", r)
	}
}

// TestHelpDescribesEveryFlag: every command's help says what it is for,
// gives examples, lists each of its flags and fits 80 columns.
func TestHelpDescribesEveryFlag(t *testing.T) {
	t.Parallel()
	for _, cmd := range commandTree(t) {
		name := strings.Join(append([]string{"vault-session"}, words(cmd)...), " ")
		r := newCLI(t).run(append(words(cmd), "--help")...)
		if r.code != exitOK {
			t.Errorf("%s --help:\n%s", name, r)
			continue
		}
		help := r.stdout
		if cmd.Short == "" || cmd.Long == "" {
			t.Errorf("%s: a short line and a long description are both needed", name)
		}
		if !strings.Contains(help, "\nExamples:\n  ") {
			t.Errorf("%s --help has no examples:\n%s", name, help)
		}
		n := 0
		cmd.Flags().VisitAll(func(f *pflag.Flag) {
			if f.Name == "help" {
				return
			}
			n++
			if !strings.Contains(help, "  --"+f.Name+" ") && !strings.Contains(help, "  --"+f.Name+"[") && !strings.Contains(help, "  --"+f.Name+"\n") {
				t.Errorf("%s --help does not describe --%s", name, f.Name)
			}
			if f.Usage == "" {
				t.Errorf("%s: --%s has no usage", name, f.Name)
			}
		})
		for _, line := range strings.Split(help, "\n") {
			if len([]rune(line)) > 80 {
				t.Errorf("%s --help: a line over 80 columns: %q", name, line)
			}
		}
	}
}

// TestSessionFieldsComeAfterTheCommandsOwnFlags: create --help lists
// --output, then the credentials, then the 30 session fields.
func TestSessionFieldsComeAfterTheCommandsOwnFlags(t *testing.T) {
	t.Parallel()
	help := newCLI(t).run("create", "--help").stdout
	order := []string{"\nOutput:\n  --output FORMAT", "\nHistory:\n  --again CONSUMER_ID",
		"\nCredentials (flags win over the environment):\n  --api-key KEY",
		"\nSession fields (--preset, then --from over it", "  --primary-color COLOR", "\nExamples:\n", "\nExit codes: 0 created"}
	at := -1
	for _, s := range order {
		i := strings.Index(help, s)
		if i < at {
			t.Errorf("%q is not after %q (at %d, want after %d)", s, order, i, at)
		}
		at = i
	}
}

func TestFlagErrorsNameTheFlagAsTyped(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"create", "--consumr-id", "x"}, []string{"unknown flag --consumr-id; did you mean --consumer-id?\nRun 'vault-session create --help' for usage.\n"}},
		{[]string{"preview", "--widht", "80"}, []string{"did you mean --width?"}},
		{[]string{"--no-such-flag"}, []string{"vault-session: unknown flag --no-such-flag\nRun 'vault-session --help' for usage.\n"}},
		// The shell ate "#ff5a1f" as a comment: the flag came last, empty.
		{[]string{"create", "--demo", "--primary-color"}, []string{"--primary-color needs a value (COLOR)", "an unquoted # starts a shell comment", "--primary-color '#ff5a1f'"}},
		{[]string{"preview", "--sidepanel-bg"}, []string{"--sidepanel-bg '#ff5a1f'"}},
		{[]string{"create", "--show-logs=maybe"}, []string{`invalid value "maybe" for --show-logs: use true or false`}},
		{[]string{"create", "--timeout", "soon"}, []string{`invalid value "soon" for --timeout`}},
		{[]string{"creat"}, []string{`unknown command "creat"; did you mean create?`}},
		// A typo of two letters swapped is two edits: still suggested.
		{[]string{"histroy"}, []string{`unknown command "histroy"; did you mean history?`, "\nCommands: audit, batch,", "see 'vault-session --help'"}},
		{[]string{"help", "craete"}, []string{`unknown command "craete"; did you mean create?`}},
		{[]string{"create", "stray"}, []string{`unexpected argument "stray"`}},
		{[]string{"presets", "frobnicate"}, []string{`unknown presets command "frobnicate"`, "Commands: list, rm, save, show"}},
		{[]string{"presets", "sve"}, []string{`unknown presets command "sve"; did you mean save?`, "see 'vault-session presets --help'"}},
		{[]string{"help", "presets", "sve"}, []string{`did you mean save?`}},
		{[]string{"consumers", "sohw"}, []string{`unknown consumers command "sohw"; did you mean show?`}},
		{[]string{"connections", "valdate", "--demo", "--consumer-id", "a"}, []string{`unknown connections command "valdate"; did you mean validate?`}},
		{[]string{"create", "--dry-run=maybe"}, []string{`invalid value "maybe" for --dry-run: use true or false`}},
		{[]string{"history", "--limit", "ten"}, []string{`invalid value "ten" for --limit: use a whole number`}},
		// A unified API the catalogue does not know is refused before
		// anything is asked: the API would list nothing, a watch would wait
		// for nothing until its --timeout.
		{[]string{"connections", "--demo", "--consumer-id", "a", "--api", "crn"}, []string{`--api: "crn" is not a unified API id; did you mean crm?`}},
		{[]string{"health", "--demo", "--api", "zzz"}, []string{`--api: "zzz" is not a unified API id (e.g. crm, hris, accounting`}},
		{[]string{"connections", "validate", "--demo", "--consumer-id", "a", "--api", "acounting", "--service", "quickbooks"}, []string{`did you mean accounting?`}},
		{[]string{"watch", "--demo", "--consumer-id", "a", "--until", "callable:crn/salesforce"}, []string{`--until callable:crn/salesforce: "crn" is not a unified API id; did you mean crm?`}},
		{[]string{"completion"}, []string{"completion needs a shell: vault-session completion bash|zsh|fish|powershell"}},
		{[]string{"completion", "tcsh"}, []string{`completion has no script for the shell "tcsh": vault-session completion bash|zsh|fish|powershell`}},
	} {
		r := newCLI(t).run(tc.args...)
		if r.code != exitUsage || r.stdout != "" {
			t.Errorf("%q: want exit 2 and nothing on stdout:\n%s", tc.args, r)
		}
		for _, want := range tc.want {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("%q: stderr lacks %q:\n%s", tc.args, want, r.stderr)
			}
		}
		if strings.Contains(r.stderr, " -"+strings.TrimLeft(tc.args[len(tc.args)-1], "-")+":") {
			t.Errorf("%q: a flag named with one dash:\n%s", tc.args, r.stderr)
		}
	}
	// A colour that is not missing gets no hint about the shell.
	if r := newCLI(t).run("create", "--demo", "--email"); strings.Contains(r.stderr, "#") {
		t.Errorf("--email without a value speaks of colours:\n%s", r.stderr)
	}
}

// TestOneDashFlagsStillWork: Go's flag package, which read the flags
// before cobra, took -flag as well as --flag; scripts may use it.
func TestOneDashFlagsStillWork(t *testing.T) {
	t.Parallel()
	r := newTestCLI(t).run("create", "-dry-run", "-output", "json", "-app-id", "a", "-consumer-id=c", "-vault-name", "-demo")
	if r.code != exitOK || !strings.Contains(r.stdout, `"vault_name": "-demo"`) || !strings.Contains(r.stdout, `"x-apideck-consumer-id": "c"`) {
		t.Fatalf("want the dry run, with -demo read as the vault name:\n%s", r)
	}
}

// TestEveryExampleRuns runs each line of every command's Examples as it
// is written (a trailing pipe or redirection is left to the shell), in a
// folder holding the README's session file: it must not be a usage error,
// and it must do what it says. A demo API stands in for the demo-server
// the examples say runs on port 8080; presets and a consumer the examples
// name are there first.
func TestEveryExampleRuns(t *testing.T) {
	rig := newExampleRig(t)

	// The presets' examples first: they save what the others use.
	tree := commandTree(t)
	slices.SortStableFunc(tree, func(a, b *cobra.Command) int {
		isPresets := func(c *cobra.Command) bool { w := words(c); return len(w) > 0 && w[0] == "presets" }
		switch {
		case isPresets(a) && !isPresets(b):
			return -1
		case isPresets(b) && !isPresets(a):
			return 1
		}
		return 0
	})
	ran := 0
	exitNote := regexp.MustCompile(`\(exit (\d+)\b`)
	for _, cmd := range tree {
		// A comment saying "(exit N" gives the exit code of the example
		// that follows it.
		noted := -1
		// A line ending in a backslash goes on on the next, as in sh.
		for _, line := range strings.Split(strings.ReplaceAll(cmd.Example, "\\\n", ""), "\n") {
			line = strings.TrimSpace(line)
			if m := exitNote.FindStringSubmatch(line); m != nil && strings.HasPrefix(line, "#") {
				noted, _ = strconv.Atoi(m[1])
			}
			if !strings.HasPrefix(line, "vault-session") {
				continue // a comment, or the shell's own plumbing
			}
			if i := strings.IndexAny(line, "|>"); i > 0 {
				line = strings.TrimSpace(line[:i])
			}
			args, r := rig.run(line)
			ran++
			want := exitOK
			if args[0] == "watch" {
				want = exitTimeout // the demo's consumer never connects
			}
			if noted >= 0 {
				want, noted = noted, -1
			}
			if r.code != want {
				t.Errorf("%s\n(from %s's examples): exit %d, want %d\n%s", line, cmd.CommandPath(), r.code, want, r)
			}
		}
	}
	if ran < 25 {
		t.Errorf("only %d examples ran", ran)
	}
}

// TestEveryREADMEExampleRuns runs the command lines of the README's sh
// blocks from its Install section on, which the README says run as
// written (with --demo, or a demo-server where they need an API), as
// TestEveryExampleRuns runs the help's: a vault-session line, or the one
// inside $(...), up to the shell's plumbing (|, >, &&, a comment). An
// export sets the environment of the lines after it; a block with a
// placeholder to fill in ("=...": your own key) is left out. It may end
// in an API's verdict (exit 3 from a watch, 4 from health) but not in a
// usage error or a failed request.
func TestEveryREADMEExampleRuns(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, fromInstall, ok := strings.Cut(string(readme), "\n## Install\n")
	if !ok {
		t.Fatal("the README has no Install section")
	}
	rig := newExampleRig(t)
	ran := 0
	for _, block := range shBlocks(fromInstall) {
		if strings.Contains(block, "=...") {
			continue
		}
		for _, line := range strings.Split(strings.ReplaceAll(block, "\\\n", ""), "\n") {
			line = strings.TrimSpace(cutUnquoted(line, " #"))
			if rest, ok := strings.CutPrefix(line, "export "); ok {
				for _, kv := range shellWords(t, rest) {
					k, v, _ := strings.Cut(kv, "=")
					rig.cli.env[k] = strings.ReplaceAll(v, "http://127.0.0.1:8080", rig.demoServer)
				}
				continue
			}
			if i := strings.Index(line, "$(vault-session "); i >= 0 {
				line = cutUnquoted(line[i+2:], ")")
			}
			if !strings.HasPrefix(line, "vault-session ") {
				continue // the shell's own plumbing, curl, another program
			}
			for _, plumbing := range []string{"|", ">", "&&", ";"} {
				line = cutUnquoted(line, plumbing)
			}
			line = strings.TrimSpace(line)
			_, r := rig.run(line)
			ran++
			if r.code == exitUsage || r.code == exitError {
				t.Errorf("README: %s\nexit %d\n%s", line, r.code, r)
			}
		}
	}
	if ran < 15 {
		t.Errorf("only %d README examples ran", ran)
	}
}

// exampleRig runs example lines as a person would paste them: in a folder
// holding the README's session and customer files and ./authorized_keys,
// a demo API standing in for the demo-server on port 8080, on a clock
// where every wait is ten minutes (a watch reaches its --timeout in a few
// polls), the wizard and the browser stubbed.
type exampleRig struct {
	t          *testing.T
	cli        *cli
	demoServer string
	wizardRan  bool
}

func newExampleRig(t *testing.T) *exampleRig {
	t.Helper()
	dir := t.TempDir()
	data, err := os.ReadFile(exampleSession)
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dir, "testdata"), 0o755)
	os.WriteFile(filepath.Join(dir, "testdata", "session.example.json"), data, 0o600)
	// serve's examples let in the people of ./authorized_keys.
	os.WriteFile(filepath.Join(dir, "authorized_keys"),
		[]byte("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJY8kDKoh9ZHoPqi2VaFPtS91c1mXdGFIAnmLdJWi/6p hank@support\n"), 0o600)
	// batch's examples read the example customers.
	customers, err := os.ReadFile(exampleCustomers)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "testdata", "customers.example.csv"), customers, 0o600)
	t.Chdir(dir)

	_, demoServer := mocktest.Start(t)
	rig := &exampleRig{t: t, demoServer: demoServer}
	clock := mock.NewClock(fixedNow)
	c := newCLI(t)
	c.configured = func(a *app) {
		a.now = clock.Now
		a.sleep = func(ctx context.Context, d time.Duration) error { return clock.Sleep(ctx, max(d, 10*time.Minute)) }
		a.wizard = func(context.Context, ui.Options) (ui.Outcome, error) {
			rig.wizardRan = true
			return ui.Outcome{}, nil
		}
		a.systemBrowser = func(string) error { return nil }
	}
	rig.cli = c
	for _, setup := range [][]string{
		{"presets", "save", "acme-sandbox", "--sandbox"}, // for presets rm
		{"create", "--demo", "--consumer-id", "acme-42"}, // for create --again
	} {
		if r := c.run(setup...); r.code != exitOK {
			t.Fatalf("setup %q: %s", setup, r)
		}
	}
	return rig
}

// run runs one command line (without the shell's plumbing), the wizard
// with terminals; demo-server and serve are stopped after 300 ms, as a
// Ctrl+C would.
func (rig *exampleRig) run(line string) ([]string, cliResult) {
	t := rig.t
	t.Helper()
	line = strings.ReplaceAll(line, "http://127.0.0.1:8080", rig.demoServer)
	args := shellWords(t, line)[1:]
	wizard := len(args) == 0 || strings.HasPrefix(args[0], "-")
	rig.cli.terminal = wizard
	rig.wizardRan = false
	ctx, cancel := context.WithCancel(t.Context())
	if len(args) > 0 && (args[0] == "demo-server" || args[0] == "serve") {
		// It serves until Ctrl+C: this is its Ctrl+C.
		ctx, cancel = context.WithTimeout(t.Context(), 300*time.Millisecond)
		args = replaceListen(args)
	}
	defer cancel()
	rig.cli.ctx = ctx
	r := rig.cli.run(args...)
	if wizard && !rig.wizardRan {
		t.Errorf("%s: the wizard did not start", line)
	}
	if len(args) == 0 {
		args = []string{""}
	}
	return args, r
}

// shBlocks are the bodies of a Markdown text's ```sh blocks.
func shBlocks(markdown string) []string {
	var blocks []string
	for _, part := range strings.Split(markdown, "```sh\n")[1:] {
		body, _, _ := strings.Cut(part, "```")
		blocks = append(blocks, body)
	}
	return blocks
}

// cutUnquoted is line up to the first sep outside '...' and "...".
func cutUnquoted(line, sep string) string {
	var quote byte
	for i := 0; i < len(line); i++ {
		switch {
		case quote != 0:
			if line[i] == quote {
				quote = 0
			}
		case line[i] == '\'' || line[i] == '"':
			quote = line[i]
		case strings.HasPrefix(line[i:], sep):
			return line[:i]
		}
	}
	return line
}

// replaceListen moves demo-server to a free port: 8080 may be taken.
func replaceListen(args []string) []string {
	out := []string{}
	for i := 0; i < len(args); i++ {
		if args[i] == "--listen" {
			i++
			continue
		}
		out = append(out, args[i])
	}
	return append(out, "--listen", "127.0.0.1:0")
}

// shellWords splits a command line as sh does, for the quotes the
// examples use: 'single', "double" and bare words.
func shellWords(t *testing.T, line string) []string {
	t.Helper()
	var out []string
	var word strings.Builder
	inWord := false
	var quote rune
	for _, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			word.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ':
			if inWord {
				out = append(out, word.String())
				word.Reset()
				inWord = false
			}
		case r == '$' || r == '`' || r == '\\':
			t.Fatalf("%s: the test cannot run shell expansions", line)
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		t.Fatalf("%s: unclosed quote", line)
	}
	if inWord {
		out = append(out, word.String())
	}
	return out
}
