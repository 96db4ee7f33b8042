package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apideck-samples/vault-session/model/store"
)

// complete asks the program what TAB offers after args, as the shell
// scripts do (cobra's __complete), and returns the values, without their
// descriptions, and the directive line.
func complete(t *testing.T, c *cli, args ...string) (values []string, directive string) {
	t.Helper()
	r := c.run(append([]string{"__complete"}, args...)...)
	if r.code != exitOK {
		t.Fatalf("__complete %q: %s", args, r)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	for _, l := range lines[:len(lines)-1] {
		value, _, _ := strings.Cut(l, "\t")
		values = append(values, value)
	}
	return values, lines[len(lines)-1]
}

func TestCompletionOffersWhatIsOnDisk(t *testing.T) {
	t.Parallel()
	c := newTestCLI(t)
	shared := t.TempDir()
	c.env[store.EnvPresets] = shared
	os.WriteFile(filepath.Join(shared, "team-green.json"), []byte(`{"theme": {"primary_color": "#15803d"}}`), 0o644)
	for _, name := range []string{"acme-blue", "acme-dark", "globex"} {
		if r := c.run("presets", "save", name, "--vault-name", name); r.code != exitOK {
			t.Fatal(r)
		}
	}
	for _, consumer := range []string{"acme-42", "globex-17", "acme-42"} {
		if r := c.run("create", "--demo", "--consumer-id", consumer, "--account-name", "Acct "+consumer); r.code != exitOK {
			t.Fatal(r)
		}
	}

	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{""}, []string{"audit", "batch", "completion", "connections", "consumers", "create", "demo-server", "health", "help", "history", "logs", "presets", "preview", "serve", "watch"}},
		{[]string{"presets", ""}, []string{"list", "rm", "save", "show"}},
		{[]string{"create", "--preset", ""}, []string{"acme-blue", "acme-dark", "globex", "team-green"}},
		{[]string{"presets", "show", ""}, []string{"acme-blue", "acme-dark", "globex", "team-green"}},
		{[]string{"presets", "rm", ""}, []string{"acme-blue", "acme-dark", "globex"}}, // a shared one is not yours to remove
		{[]string{"create", "--consumer-id", ""}, []string{"acme-42", "globex-17"}},   // newest first
		{[]string{"create", "--again", ""}, []string{"acme-42", "globex-17"}},
		{[]string{"history", "--consumer", ""}, []string{"acme-42", "globex-17"}},
		{[]string{"create", "--output", ""}, []string{"text", "json", "curl"}},
		{[]string{"watch", "--output", ""}, []string{"text", "jsonl"}},
		{[]string{"history", "--output", ""}, []string{"text", "json"}},
		{[]string{"--theme", ""}, []string{"auto", "light", "dark"}},
		{[]string{"preview", "--color", ""}, []string{"auto", "always", "never"}},
		{[]string{"completion", ""}, []string{"bash", "zsh", "fish", "powershell"}},
		{[]string{"help", ""}, []string{"audit", "batch", "completion", "connections", "consumers", "create", "demo-server", "health", "history", "logs", "presets", "preview", "serve", "watch"}},
		{[]string{"consumers", ""}, []string{"list", "show"}},
		{[]string{"consumers", "show", ""}, []string{"acme-42", "globex-17"}},
		{[]string{"consumers", "list", "--output", ""}, []string{"text", "json", "jsonl"}},
		{[]string{"logs", "--output", ""}, []string{"text", "json", "jsonl"}},
		{[]string{"health", "--within", ""}, []string{"6h", "24h", "48h"}},
		{[]string{"logs", "--method", ""}, []string{"GET", "POST", "PATCH", "PUT", "DELETE"}},
		{[]string{"connections", "validate", "--api", "accounting", "--service", ""}, []string{"quickbooks", "xero", "netsuite", "exact-online", "sage-intacct", "freshbooks", "myob", "zoho-books"}},
	} {
		got, _ := complete(t, c, tc.args...)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q: %q, want %q", tc.args, got, tc.want)
		}
	}

	// Unified API ids, also after a comma, without the ones given.
	apis, directive := complete(t, c, "create", "--unified-apis", "crm,h")
	if !slices.Contains(apis, "crm,hris") || slices.Contains(apis, "crm,crm") || directive != ":6" { // no space, no files
		t.Errorf("--unified-apis crm,h: %q %s", apis, directive)
	}
	if apis, _ := complete(t, c, "connections", "--api", ""); len(apis) != 28 || apis[0] != "accounting" {
		t.Errorf("--api: %q", apis)
	}
	// --until, a part at a time.
	if got, _ := complete(t, c, "watch", "--until", ""); !slices.Contains(got, "callable") || !slices.Contains(got, "callable:") {
		t.Errorf("--until: %q", got)
	}
	if got, _ := complete(t, c, "watch", "--until", "callable:"); !slices.Contains(got, "callable:crm") || !slices.Contains(got, "callable:crm/") {
		t.Errorf("--until callable: %q", got)
	}
	if got, _ := complete(t, c, "watch", "--until", "callable:crm/"); !slices.Contains(got, "callable:crm/salesforce") {
		t.Errorf("--until callable:crm/: %q", got)
	}
	// Colours: each ready palette's, then the CSS names.
	colours, _ := complete(t, c, "preview", "--primary-color", "")
	if !slices.Contains(colours, "#4f46e5") || !slices.Contains(colours, "rebeccapurple") {
		t.Errorf("--primary-color: %q", colours)
	}
	// Flags, and a session file.
	if flags, _ := complete(t, c, "create", "--consumer"); !slices.Contains(flags, "--consumer-id") {
		t.Errorf("create --consumer: %q", flags)
	}
	if exts, directive := complete(t, c, "create", "--from", ""); !slices.Equal(exts, []string{"json"}) || directive != ":8" {
		t.Errorf("--from: %q %s, want json files", exts, directive)
	}
	// Every FILE flag offers files.
	for _, args := range [][]string{{"preview", "--html", ""}, {"batch", "x.csv", "--results", ""}, {"batch", "x.csv", "--retry-file", ""},
		{"serve", "--authorized-keys", ""}, {"serve", "--host-key", ""}, {"serve", "--audit", ""}, {"audit", "--audit", ""}} {
		if _, directive := complete(t, c, args...); directive != ":0" {
			t.Errorf("%q: %s, want files (:0)", args, directive)
		}
	}
	if _, directive := complete(t, c, "create", "--preset", "./"); directive != ":0" {
		t.Errorf("--preset ./: %s, want the preset names or else files (:0): it takes a path too", directive)
	}
	// A command that takes no argument offers nothing, not the folder's
	// files; batch's argument is a file.
	for _, args := range [][]string{{"logs", ""}, {"create", ""}, {"connections", "validate", ""}, {"health", "--demo", ""}} {
		if got, directive := complete(t, c, args...); len(got) != 0 || directive != ":4" {
			t.Errorf("%q: %q %s, want nothing, not even files (:4)", args, got, directive)
		}
	}
	if _, directive := complete(t, c, "batch", ""); directive == ":4" {
		t.Errorf("batch's FILE: %s, want files", directive)
	}
}

func TestCompletionScripts(t *testing.T) {
	t.Parallel()
	for shell, want := range map[string]string{
		"bash":       "__start_vault-session",
		"zsh":        "#compdef vault-session",
		"fish":       "complete -c vault-session",
		"powershell": "Register-ArgumentCompleter",
	} {
		r := newCLI(t).run("completion", shell)
		if r.code != exitOK || !strings.Contains(r.stdout, want) || r.stderr != "" {
			t.Errorf("completion %s: want %q in the script:\n%.300s", shell, want, r)
		}
	}
}
