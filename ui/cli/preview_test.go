package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

func TestPreviewDrawsTheSessionInTheGivenBox(t *testing.T) {
	t.Parallel()
	r := newCLI(t).run("preview", "--from", exampleSession,
		"--width", "72", "--height", "24", "--vault-name", "Flag Override")
	if r.code != exitOK || r.stderr != "" {
		t.Fatalf("want exit 0:\n%s", r)
	}
	if strings.Contains(r.stdout, "\x1b[") {
		t.Errorf("stdout is not a terminal: the preview must be plain")
	}
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != 24 {
		t.Errorf("%d lines, want 24", len(lines))
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w != 72 {
			t.Errorf("line %d is %d cells wide, want 72: %q", i+1, w, l)
		}
	}
	for _, want := range []string{"CRM INTEGRATIONS", "ACME CORPORATION", "Sandbox mode"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("preview lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestPreviewColour(t *testing.T) {
	t.Parallel()
	file := exampleSession
	for _, tc := range []struct {
		name     string
		terminal bool
		env      map[string]string
		args     []string
		want     string // a sequence that must appear; "" = none at all
	}{
		{"pipe", false, nil, nil, ""},
		{"pipe, always", false, nil, []string{"--color", "always"}, "\x1b["},
		{"terminal, true colour", true, map[string]string{"TERM": "xterm-256color", "COLORTERM": "truecolor"}, nil, "\x1b[38;2;"},
		{"terminal, 256 colours", true, map[string]string{"TERM": "xterm-256color"}, nil, "\x1b[38;5;"},
		{"terminal, NO_COLOR", true, map[string]string{"TERM": "xterm-256color", "NO_COLOR": "1"}, nil, ""},
		{"terminal, never", true, map[string]string{"TERM": "xterm-256color"}, []string{"--color=never"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCLI(t)
			c.env = tc.env
			c.configured = func(a *app) {
				a.streams.stdoutTTY = tc.terminal
				a.streams.colorEnabled = colorAllowed(tc.terminal, a.getenv)
			}
			r := c.run(append([]string{"preview", "--from", file, "--width", "80"}, tc.args...)...)
			if r.code != exitOK {
				t.Fatalf("want exit 0:\n%s", r)
			}
			switch {
			case tc.want == "" && strings.Contains(r.stdout, "\x1b"):
				t.Errorf("escape codes in a colourless preview")
			case tc.want != "" && !strings.Contains(r.stdout, tc.want):
				t.Errorf("no %q in the preview", tc.want)
			}
		})
	}
}

func TestPreviewUsesTheTerminalWidth(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.configured = func(a *app) {
		a.streams.stdoutTTY = true
		a.streams.terminalSize = func() (int, int, error) { return 64, 20, nil }
	}
	r := c.run("preview")
	if r.code != exitOK {
		t.Fatalf("want exit 0:\n%s", r)
	}
	first := strings.SplitN(r.stdout, "\n", 2)[0]
	if w := ansi.StringWidth(first); w != 64 {
		t.Errorf("first line is %d cells, want the terminal's 64", w)
	}
}

func TestPreviewRefusesAnInvalidTheme(t *testing.T) {
	t.Parallel()
	r := newCLI(t).run("preview", "--primary-color", "not-a-colour")
	if r.code != exitUsage || !strings.Contains(r.stderr, "  theme.primary_color: ") {
		t.Fatalf("want exit 2 listing the colour:\n%s", r)
	}
}

func TestPreviewHTMLWritesThePage(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "page.html")
	r := newCLI(t).run("preview", "--from", exampleSession,
		"--html", out, "--vault-name", "Flag <Override>")
	if r.code != exitOK || r.stdout != "" || !strings.Contains(r.stderr, "wrote ") {
		t.Fatalf("want exit 0, nothing on stdout and a note on stderr:\n%s", r)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, want := range []string{"<title>Flag &lt;Override&gt; Vault</title>", "--primary: #5d50ce", "--side: #1f2937",
		"Acme Corporation", "You are currently in Sandbox mode.", "What this session carries",
		`href="https://app.acme.example/integrations"`, `href="https://acme.example/terms"`, "DEMO: not Apideck"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}

	r = newCLI(t).run("preview", "--html", "-", "--sandbox=false")
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "<!doctype html>") || strings.Contains(r.stdout, "Sandbox mode") {
		t.Errorf("--html - should print the page without the banner:\n%.300s", r.stdout)
	}
}

func TestPreviewOpenUsesTheBrowser(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	got := filepath.Join(dir, "args")
	script := filepath.Join(dir, "browser.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\necho \"$1\" > "+got+".tmp && mv "+got+".tmp "+got+"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	c := newCLI(t)
	c.env = map[string]string{"BROWSER": script}
	r := c.run("preview", "--open", "--vault-name", "Acme")
	if r.code != exitOK {
		t.Fatalf("want exit 0:\n%s", r)
	}
	path := strings.TrimSpace(r.stdout)
	t.Cleanup(func() { os.RemoveAll(filepath.Dir(path)) })
	page, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(page), "<title>Acme Vault</title>") {
		t.Fatalf("the printed path %q does not hold the page (%v)", path, err)
	}
	var opened []byte
	for i := 0; i < 500 && len(opened) == 0; i++ {
		opened, _ = os.ReadFile(got)
		time.Sleep(10 * time.Millisecond)
	}
	if strings.TrimSpace(string(opened)) != "file://"+path {
		t.Errorf("browser opened %q, want file://%s", opened, path)
	}

	// No browser at all: the path is still printed, with the reason.
	c.env = map[string]string{"BROWSER": filepath.Join(dir, "no-such-browser")}
	c.configured = func(a *app) { a.systemBrowser = func(string) error { return errors.New("no opener here") } }
	out := filepath.Join(dir, "p.html")
	r = c.run("preview", "--open", "--html", out)
	if r.code != exitError || !strings.Contains(r.stderr, "could not open a browser") || !strings.Contains(r.stderr, "no opener here") ||
		strings.TrimSpace(r.stdout) != out {
		t.Errorf("a missing browser: want the path on stdout and the reason on stderr:\n%s", r)
	}
	if _, err := os.Stat(out); err != nil {
		t.Errorf("the page was not written: %v", err)
	}
}

// A theme whose side panel text is lost on its background and whose
// buttons are too light for white text: preview says so on stderr in the
// Theme step's words (theme.ContrastCheck: Pair, ratio, Advice; the
// Theme step's test reads the same strings on its screen), with the texts
// each makes hard to read, for the terminal and for --html alike, and
// still exits 0; --strict exits 1 once the page is drawn. A theme that
// passes says nothing.
func TestPreviewWarnsAboutContrastAndStrictFails(t *testing.T) {
	t.Parallel()
	file := writeFile(t, "brand.json", `{"theme":{"vault_name":"Acme","primary_color":"#ff5a1f","sidepanel_background_color":"#1f2430"}}`)
	warnings := []string{
		"warning: Side panel text / background 1.05:1, below 4.50:1: try #ffffff (15.51:1) or #7f8c9d, the nearest shade, for sidepanel_text_color." +
			" Hard to read: the title, the navigation, the menu and close buttons (small screens), Powered by apideck and the Terms and Privacy links.\n",
		"warning: Button text / primary 3.11:1, below 4.50:1: try #d64200 (4.52:1), for primary_color.",
	}
	for _, args := range [][]string{{"--width", "80"}, {"--html", "-"}} {
		r := newCLI(t).run(append([]string{"preview", "--from", file}, args...)...)
		if r.code != exitOK || !strings.Contains(r.stdout, "Acme") {
			t.Fatalf("%v: want the page and exit 0:\n%s", args, r)
		}
		for _, w := range warnings {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("%v: stderr lacks %q:\n%s", args, w, r.stderr)
			}
		}
		r = newCLI(t).run(append([]string{"preview", "--from", file, "--strict"}, args...)...)
		if r.code != exitError || !strings.Contains(r.stdout, "Acme") || !strings.Contains(r.stderr, warnings[0]) ||
			!strings.HasSuffix(r.stderr, "vault-session: --strict: 2 of the page's colour pairs are below 4.50:1 contrast\n") {
			t.Errorf("%v --strict: want the page, the warnings and exit 1:\n%s", args, r)
		}
	}
	r := newCLI(t).run("preview", "--from", file, "--sidepanel-text", "#ffffff", "--primary-color", "#d64200", "--strict", "--width", "80")
	if r.code != exitOK || r.stderr != "" {
		t.Errorf("a theme that passes: want exit 0 and nothing on stderr:\n%s", r)
	}
}
