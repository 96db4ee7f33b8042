package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/ui/lockedwriter"
)

// TestBuiltBinaryWatchesTheDemo is the whole story with the real binary:
// `create` makes a session on the demo API, `watch --until callable:crm`
// starts, and only then the customer adds Salesforce through the demo's
// endpoint with the session token, as the Vault page does, and signs in
// (Allow on its authorize_url). The watch
// prints the change and exits 0 once Salesforce is callable; another watch
// for an API nobody connects exits 3 at its --timeout.
//
// The demo API runs in this process on a clock the test moves: the
// connection's journey (12 s on the demo's schedule) is over at once, so
// the story takes one poll of the watch instead of the journey's real
// time. Each step of the journey on its own is ui/cli's watch tests'
// business, in virtual time.
func TestBuiltBinaryWatchesTheDemo(t *testing.T) {
	t.Parallel()
	bin := builtBinary(t)
	env := []string{"HOME=" + t.TempDir(), "NO_COLOR=1"}
	clock := mock.NewClock(time.Now())
	api, base, stop, err := mock.Start(mock.WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)

	args := []string{"--base-url", base, "--api-key", "demo", "--app-id", "demo-app", "--consumer-id", "acme-42"}
	run := func(cmd ...string) *exec.Cmd {
		c := exec.Command(bin, append(cmd, args...)...)
		c.Env = env
		return c
	}

	var created struct{ Token string }
	out, err := run("create", "--unified-apis", "crm", "--output", "json").Output()
	if err != nil || json.Unmarshal(out, &created) != nil || created.Token == "" {
		t.Fatalf("create: %v\n%s", err, out)
	}

	watchCmd := run("watch", "--until", "callable:crm", "--interval", "1s", "--timeout", "1m")
	var watchOut, watchErr lockedwriter.Buffer
	watchCmd.Stdout, watchCmd.Stderr = &watchOut, &watchErr
	if err := watchCmd.Start(); err != nil {
		t.Fatal(err)
	}
	// A second watch waits for an API this session does not even offer.
	lonely := run("watch", "--until", "callable:hris", "--interval", "1s", "--timeout", "1s")
	var lonelyErr bytes.Buffer
	lonely.Stderr = &lonelyErr
	if err := lonely.Start(); err != nil {
		t.Fatal(err)
	}

	// Once both watches' first polls have seen no connection, the
	// customer adds one and the demo's clock moves past its journey.
	waitFor(t, "the first polls", func() bool {
		polls := 0
		for _, r := range api.Requests() {
			if r.Method == http.MethodGet && strings.HasPrefix(r.Path, "/vault/connections") {
				polls++
			}
		}
		return polls >= 2
	})
	// The customer adds it on the session's page and signs in.
	session := http.Header{}
	session.Set("Authorization", "Bearer "+created.Token)
	session.Set("x-apideck-auth-type", "JWT")
	if err := mock.Connect(t.Context(), base, session, "crm", "salesforce"); err != nil {
		t.Fatalf("adding the connection: %v", err)
	}
	last := mock.DefaultConnectionSteps()
	clock.Advance(last[len(last)-1].After)

	code := exitCodeOf(t, watchCmd.Wait())
	if code != exitOK {
		t.Fatalf("watch: exit %d\n%s%s", code, watchOut.String(), watchErr.String())
	}
	lines := strings.Split(strings.TrimSpace(watchOut.String()), "\n")
	want := "Salesforce (CRM): appeared as callable, health ok"
	// "15:04:05 " then the change.
	if len(lines) != 1 || len(lines[0]) < 9 || lines[0][8:] != " "+want {
		t.Errorf("watch printed:\n%s\nwant the time and %q", watchOut.String(), want)
	}
	if !strings.Contains(watchErr.String(), "vault-session: Salesforce (CRM) is callable") {
		t.Errorf("stderr:\n%s", watchErr.String())
	}

	if code := exitCodeOf(t, lonely.Wait()); code != exitTimeout ||
		!strings.Contains(lonelyErr.String(), "callable:hris did not happen within 1s") {
		t.Errorf("the watch for hris: exit %d\n%s", code, lonelyErr.String())
	}

	table, err := run("connections").Output()
	if err != nil || !strings.Contains(string(table), "Salesforce") || !strings.Contains(string(table), "callable") {
		t.Errorf("connections: %v\n%s", err, table)
	}
	if n := len(api.Requests()); n < 4 {
		t.Errorf("the demo API saw %d requests, want create, the polls and connections", n)
	}
}

// waitFor polls cond for up to 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func exitCodeOf(t *testing.T, err error) int {
	t.Helper()
	if err == nil {
		return 0
	}
	if exit, ok := err.(*exec.ExitError); ok {
		return exit.ExitCode()
	}
	t.Fatal(err)
	return -1
}
