package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/ui"
)

// watchRig is a mock API and a command sharing one stepped clock, for
// one consumer of app-1.
type watchRig struct{ clockedAPI }

func newWatchRig(t *testing.T) *watchRig {
	return &watchRig{newClockedAPI(t, func(a *app) { a.version = buildVersion{short: "v0.0.0-test"} }, mock.WithoutDemoHeader())}
}

func (r *watchRig) run(args ...string) cliResult {
	r.cli.t.Helper()
	return r.cli.run(append(args, "--base-url", r.base, "--api-key", testAPIKey, "--app-id", "app-1", "--consumer-id", "consumer-1")...)
}

// The README's table: a consumer with a few connections at different stages.
func (r *watchRig) scriptAFewConnections() {
	r.api.ScriptConnection("app-1", "consumer-1", "crm", "salesforce",
		mock.ConnectionStep{State: "added", Health: "needs_auth"},
		mock.ConnectionStep{After: 40 * time.Second, State: "authorized", Health: "ok"},
		mock.ConnectionStep{After: 95 * time.Second, State: "callable", Health: "ok"})
	r.api.ScriptConnection("app-1", "consumer-1", "hris", "bamboohr",
		mock.ConnectionStep{State: "added", Health: "needs_auth"},
		mock.ConnectionStep{After: 20 * time.Second, State: "invalid", Health: "missing_settings"})
	r.api.ScriptConnection("app-1", "consumer-1", "accounting", "exact-online",
		mock.ConnectionStep{State: "callable", Health: "ok", Disabled: true})
}

func TestConnectionsTable(t *testing.T) {
	t.Parallel()
	r := newWatchRig(t)
	r.scriptAFewConnections()
	r.clock.Sleep(context.Background(), 3*time.Minute)
	res := r.run("connections")
	if res.code != exitOK || res.stderr != "" {
		t.Fatalf("want exit 0:\n%s", res)
	}
	t.Run("text", func(t *testing.T) { requireGolden(t, res.stdout) })

	res = r.run("connections", "--api", "crm", "--output", "json")
	if res.code != exitOK {
		t.Fatalf("json:\n%s", res)
	}
	t.Run("crm-json", func(t *testing.T) { requireGolden(t, res.stdout) })
	var out connectionsJSON
	if err := json.Unmarshal([]byte(res.stdout), &out); err != nil || out.ConsumerID != "consumer-1" || len(out.Connections) != 1 {
		t.Errorf("json output %v: %+v", err, out)
	}
	if q := r.api.Requests()[1].Path; q != "/vault/connections" {
		t.Errorf("path %q", q)
	}

	none := newWatchRig(t).run("connections")
	if none.code != exitOK || none.stdout != "" || none.stderr != "consumer-1 has no connections yet\n" {
		t.Errorf("no connections:\n%s", none)
	}
}

func TestConnectionsUsageAndAPIErrors(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"connections", "--api-key", testAPIKey, "--app-id", "a"},
		{"connections", "--consumer-id", "c", "--app-id", "a"},
		{"connections", "--api-key", testAPIKey, "--consumer-id", "c"},
		{"connections", "--demo", "--output", "yaml"},
		{"watch", "--demo", "--until", "ready"},
		{"watch", "--demo", "--interval", "100ms"},
		{"watch", "--demo", "--timeout", "0s"},
		{"watch", "--demo", "--output", "json"},
	} {
		res := newCLI(t).run(args...)
		if res.code != exitUsage || res.stdout != "" || !strings.HasPrefix(res.stderr, "vault-session: ") {
			t.Errorf("%q: want exit 2:\n%s", args, res)
		}
	}
	_, base := startAPI(t, mock.WithAPIKey("another key"))
	res := newCLI(t).run("connections", "--base-url", base, "--api-key", testAPIKey, "--app-id", "a", "--consumer-id", "c")
	if res.code != exitError || !strings.Contains(res.stderr, "401 Unauthorized") {
		t.Errorf("401: want exit 1:\n%s", res)
	}
}

// Text from the API reaches the terminal only made safe.
func TestConnectionsHostileText(t *testing.T) {
	t.Parallel()
	hs := answering(t, http.StatusOK, "application/json", `{"status_code":200,"status":"OK","data":[{"id":"crm+x","service_id":"x","unified_api":"crm",`+
		`"name":"Evil\u001b[2J\u001b]0;pwned\u0007\nCorp\u202e","state":"call\u001b[31mable","health":"ok","enabled":true}]}`)
	for _, args := range [][]string{
		{"connections"},
		{"connections", "--output", "json"},
		{"watch", "--until", "callable", "--timeout", "1m"},
		{"watch", "--until", "added", "--output", "jsonl"},
	} {
		clock := mock.NewClock(fixedNow)
		c := newCLI(t)
		c.configured = func(a *app) { a.now, a.sleep = clock.Now, clock.Sleep }
		res := c.run(append(args, "--base-url", hs.URL, "--api-key", testAPIKey, "--app-id", "a", "--consumer-id", "c")...)
		if strings.ContainsAny(res.stdout+res.stderr, "\x1b\x07\u202e") {
			t.Errorf("%q printed a control character:\n%q", args, res.stdout+res.stderr)
		}
		if !strings.Contains(res.stdout, "Evil") {
			t.Errorf("%q lost the name:\n%s", args, res)
		}
	}
}

func TestWatchUntilCallable(t *testing.T) {
	t.Parallel()
	r := newWatchRig(t)
	r.api.ScriptConnection("app-1", "consumer-1", "hris", "personio",
		mock.ConnectionStep{State: "callable", Health: "ok"})
	r.api.ScriptConnection("app-1", "consumer-1", "crm", "salesforce",
		mock.ConnectionStep{After: 12 * time.Second, State: "added", Health: "needs_auth"},
		mock.ConnectionStep{After: 30 * time.Second, State: "invalid", Health: "missing_settings"},
		mock.ConnectionStep{After: 50 * time.Second, State: "authorized", Health: "ok"},
		mock.ConnectionStep{After: 64 * time.Second, State: "callable", Health: "ok"})
	res := r.run("watch", "--until", "callable:crm")
	if res.code != exitOK {
		t.Fatalf("want exit 0:\n%s", res)
	}
	requireGolden(t, res.String())
	if got := len(r.api.Requests()); got != 14 { // 0, 5, ..., 65 s
		t.Errorf("%d requests, want 14", got)
	}
}

func TestWatchJSONLines(t *testing.T) {
	t.Parallel()
	r := newWatchRig(t)
	r.api.ScriptConnection("app-1", "consumer-1", "crm", "hubspot",
		mock.ConnectionStep{After: 5 * time.Second, State: "added", Health: "needs_auth"},
		mock.ConnectionStep{After: 10 * time.Second, State: "callable", Health: "ok"})
	res := r.run("watch", "--until", "callable:crm/hubspot", "--output", "jsonl", "--interval", "5s")
	if res.code != exitOK {
		t.Fatalf("want exit 0:\n%s", res)
	}
	requireGolden(t, res.stdout)
	for _, line := range strings.Split(strings.TrimSpace(res.stdout), "\n") {
		var e watchEvent
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Errorf("%q: %v", line, err)
		}
	}
}

func TestWatchTimesOutWithExitCode3(t *testing.T) {
	t.Parallel()
	r := newWatchRig(t)
	res := r.run("watch", "--until", "callable", "--timeout", "2m")
	if res.code != exitTimeout || res.stdout != "" ||
		!strings.Contains(res.stderr, "vault-session: callable did not happen within 2m (--timeout)") {
		t.Fatalf("want exit 3:\n%s", res)
	}
}

func TestWatchStopsOnAPIErrorsPollingCannotFix(t *testing.T) {
	t.Parallel()
	r := newWatchRig(t)
	r.api.FailNextConnections(http.StatusNotFound, 1)
	res := r.run("watch", "--until", "callable")
	if res.code != exitError || !strings.Contains(res.stderr, "404 Not Found") || len(r.api.Requests()) != 1 {
		t.Fatalf("want exit 1 after one request:\n%s", res)
	}
}

// 429s and server errors are waited out, backing off, and said on stderr.
func TestWatchBacksOff(t *testing.T) {
	t.Parallel()
	r := newWatchRig(t)
	r.api.ScriptConnection("app-1", "consumer-1", "crm", "pipedrive", mock.ConnectionStep{State: "callable", Health: "ok"})
	r.api.FailNextConnections(http.StatusTooManyRequests, 2, "Retry-After", "30")
	r.api.FailNextConnections(http.StatusServiceUnavailable, 2)
	start := r.clock.Now()
	res := r.run("watch", "--until", "callable")
	if res.code != exitOK {
		t.Fatalf("want exit 0:\n%s", res)
	}
	// 0 and 30 s: 429 (Retry-After 30); 60 s: 503, the third failure in a
	// row (wait 5 s doubled three times: 40 s); 100 s: 503 (capped at 1m);
	// 160 s: the answer.
	if waited := r.clock.Now().Sub(start); waited != 160*time.Second {
		t.Errorf("the answer came after %s, want 2m40s:\n%s", waited, res)
	}
	requireGolden(t, res.String())
}

func TestWatchInterrupted(t *testing.T) {
	t.Parallel()
	r := newWatchRig(t)
	ctx, cancel := context.WithCancel(context.Background())
	r.cli.ctx = ctx
	polls := 0
	r.cli.configured = func(a *app) {
		a.now = r.clock.Now
		a.sleep = func(ctx context.Context, d time.Duration) error {
			if polls++; polls == 3 {
				cancel() // Ctrl+C during the third wait
			}
			return r.clock.Sleep(ctx, d)
		}
	}
	res := r.run("watch")
	if res.code != exitInterrupted || !strings.Contains(res.stderr, "vault-session: interrupted; stopped watching") {
		t.Fatalf("want exit 130:\n%s", res)
	}
}

// --no-bell reaches the wizard, whose watch screen would ring otherwise.
func TestNoBellReachesTheWizard(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		args []string
		want bool
	}{{nil, false}, {[]string{"--no-bell"}, true}} {
		fw := &fakeWizard{outcome: func(ui.Options) (ui.Outcome, error) { return ui.Outcome{}, nil }}
		c := newTestCLI(t)
		c.terminal = true
		c.wizard = fw.run
		if r := c.run(append([]string{"--demo"}, tt.args...)...); r.code != exitOK || fw.opts.NoBell != tt.want {
			t.Errorf("%v: exit %d, NoBell %t", tt.args, r.code, fw.opts.NoBell)
		}
	}
}
