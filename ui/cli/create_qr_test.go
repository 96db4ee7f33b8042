package cli

import (
	"strings"
	"testing"

	"github.com/apideck-samples/vault-session/ui/qrtext/qrtexttest"
)

// create --qr draws the URL as a QR code on stderr (stdout keeps the URL
// alone): black on white on a terminal with colour, block characters alone
// for a dark terminal without colour, or for a light one when
// VAULT_SESSION_THEME or COLORFGBG says so. Each decodes, as the terminal
// shows it, back to the URL printed.
func TestCreateQRDecodesToTheURL(t *testing.T) {
	t.Parallel()
	qrtexttest.NeedZbar(t)
	for _, tc := range []struct {
		name   string
		stderr bool // stderr is a terminal
		env    map[string]string
		term   qrtexttest.Terminal
		color  bool
	}{
		{"terminal with colour", true, map[string]string{"TERM": "xterm-256color"}, qrtexttest.LightTerminal, true},
		{"NO_COLOR, dark terminal", true, map[string]string{"NO_COLOR": "1"}, qrtexttest.DarkTerminal, false},
		{"NO_COLOR, light by VAULT_SESSION_THEME", true, map[string]string{"NO_COLOR": "1", "VAULT_SESSION_THEME": "light"}, qrtexttest.LightTerminal, false},
		{"stderr a file, light by COLORFGBG", false, map[string]string{"COLORFGBG": "0;15"}, qrtexttest.LightTerminal, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCLI(t)
			c.stderrTerminal = tc.stderr
			c.env = tc.env
			r := c.run("create", "--demo", "--consumer-id", "acme-42", "--unified-apis", "crm,hris", "--qr")
			url := strings.TrimSpace(r.stdout)
			if r.code != exitOK || !strings.Contains(url, "/session/") || strings.Contains(url, "\n") {
				t.Fatalf("want the URL alone on stdout:\n%s", r)
			}
			if strings.Contains(r.stderr, "\x1b[30;107m") != tc.color {
				t.Errorf("black on white = %v, want %v", !tc.color, tc.color)
			}
			if got := qrtexttest.Decode(t, r.stderr, tc.term); got != url {
				t.Errorf("the QR code on stderr reads %q, want the URL %q:\n%s", got, url, r.stderr)
			}
			if !strings.Contains(r.stderr, "scan it with a phone's camera") {
				t.Errorf("no word on what the code is:\n%s", r.stderr)
			}
		})
	}
	r := newCLI(t).run("create", "--demo", "--consumer-id", "acme-42", "--dry-run", "--qr")
	if r.code != exitUsage || !strings.Contains(r.stderr, "--qr draws the created session's URL") {
		t.Errorf("--dry-run --qr: want a usage error:\n%s", r)
	}
}
