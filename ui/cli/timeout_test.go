package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/client/mock/mocktest"
)

// silentAPI is a server that takes every request and never answers.
func silentAPI(t *testing.T) string {
	t.Helper()
	api, base := mocktest.Start(t)
	api.Script(mock.Answer{Delay: time.Hour})
	return base
}

// TestTimeoutEndsASilentCreate: --timeout bounds the whole create; a
// server that never answers is given up on then, with exit 1 and a hint.
func TestTimeoutEndsASilentCreate(t *testing.T) {
	t.Parallel()
	base := silentAPI(t)
	start := time.Now()
	r := newTestCLI(t).run("create", "--base-url", base, "--api-key", testAPIKey, "--app-id", "a", "--consumer-id", "c",
		"--timeout", "300ms")
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("took %s with --timeout 300ms", took)
	}
	if r.code != exitError || r.stdout != "" {
		t.Fatalf("want exit 1:\n%s", r)
	}
	for _, want := range []string{"gave up waiting for " + base + "/vault/sessions after", "--timeout 300ms bounds the request, retries included"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, r)
		}
	}
}

func TestTimeoutMustBePositive(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"create", "--demo", "--timeout", "0s"},
		{"create", "--demo", "--timeout", "-1m"},
		{"--timeout", "0"},
	} {
		r := newTestCLI(t).run(args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "--timeout") {
			t.Errorf("%q: want a usage error naming --timeout:\n%s", args, r)
		}
	}
	r := newTestCLI(t).run("create", "--demo", "--timeout", "soon")
	if r.code != exitUsage {
		t.Errorf("--timeout soon: want a usage error:\n%s", r)
	}
}

// TestWaitingIsSaidOnATerminal: after a few seconds of silence a person at
// a terminal is told what the create waits for (the host only: a base URL
// may carry a password); a script's stderr is not.
func TestWaitingIsSaidOnATerminal(t *testing.T) {
	t.Parallel()
	base := silentAPI(t)
	for _, terminal := range []bool{true, false} {
		c := newCLI(t)
		c.configured = func(a *app) {
			a.streams.stderrTTY = terminal
			a.waitingNoticeAfter = 20 * time.Millisecond
		}
		withPassword := strings.Replace(base, "http://", "http://user:hunter2@", 1)
		r := c.run("create", "--base-url", withPassword, "--api-key", testAPIKey, "--app-id", "a", "--consumer-id", "c",
			"--timeout", "250ms")
		host := strings.TrimPrefix(base, "http://")
		said := strings.Contains(r.stderr, "vault-session: waiting for "+host+" to answer (")
		if said != terminal {
			t.Errorf("stderr a terminal: %v; the wait was said: %v\n%s", terminal, said, r)
		}
		if terminal && !strings.Contains(r.stderr, "gives up after 250ms; Ctrl+C cancels)") {
			t.Errorf("the notice does not name the bound:\n%s", r)
		}
		if strings.Contains(r.stderr, "vault-session: waiting for") && strings.Contains(r.stderr, "hunter2") {
			t.Errorf("the password was printed:\n%s", r)
		}
	}
}
