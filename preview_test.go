package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestPreviewDrawsTheSessionInTheGivenBox(t *testing.T) {
	r := newCLI(t).run("preview", "--from", filepath.Join("testdata", "session.example.json"),
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
	file := filepath.Join("testdata", "session.example.json")
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
	r := newCLI(t).run("preview", "--primary-color", "not-a-colour")
	if r.code != exitUsage || !strings.Contains(r.stderr, "  theme.primary_color: ") {
		t.Fatalf("want exit 2 listing the colour:\n%s", r)
	}
}
