package sshserve

import (
	"strings"
	"testing"

	"github.com/apideck-samples/vault-session/theme/sgrtest"
)

// TestServedTextCursorShows: the served wizard draws its text cursor
// (reverse video) with its own renderer, so it shows whatever the
// server's own stdout is (here not a terminal, as under a service
// manager, where it used to vanish).
func TestServedTextCursorShows(t *testing.T) {
	t.Parallel()
	hank := newPerson(t, "hank@support")
	ts := startServer(t, []person{hank})
	tm := openTerminal(t, ts.login(hank), "xterm-256color", nil)
	tm.waitFor("Consumer ID")
	tm.send("acme" + "\x1b[D") // left: the cursor on the e
	tm.waitFor("acm\x1b[7me\x1b[0m")
	tm.send(ctrlC)
	tm.exit()
}

// TestNoColorFromTheClientKeepsAttributes: NO_COLOR sent by the client
// (SendEnv) leaves the served wizard's colours out, not its attributes:
// the text cursor shows and no colour is ever written. On a TERM=dumb
// terminal, NO_COLOR or not, the plain prompts write no escape code at all.
func TestNoColorFromTheClientKeepsAttributes(t *testing.T) {
	t.Parallel()
	hank, ida := newPerson(t, "hank@support"), newPerson(t, "ida@support")
	ts := startServer(t, []person{hank, ida})

	tm := openTerminal(t, ts.login(hank), "xterm-256color", map[string]string{"NO_COLOR": "1"})
	tm.waitFor("Consumer ID")
	tm.send("acme" + "\x1b[D")
	tm.waitFor("acm\x1b[7me\x1b[0m")
	tm.waitFor("\x1b[1mvault-session\x1b[0m")
	tm.send(ctrlC)
	tm.exit()
	if bad := sgrtest.Colours(tm.out.String()); len(bad) > 0 {
		t.Errorf("colour under NO_COLOR: %s", strings.Join(bad, " "))
	}

	plain := openTerminal(t, ts.login(ida), "dumb", map[string]string{"NO_COLOR": "1"})
	plain.waitFor("Consumer ID")
	plain.send("acme" + enter)
	plain.waitFor("Account name")
	plain.send(ctrlC)
	plain.exit()
	if out := plain.out.String(); strings.Contains(out, "\x1b") {
		t.Errorf("the plain prompts wrote an escape code:\n%q", out)
	}
}
