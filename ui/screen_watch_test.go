package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/client/mock/mocktest"
	"github.com/apideck-samples/vault-session/model"
	tea "github.com/charmbracelet/bubbletea"
)

// watchedAPI is a mock API on a test clock that serves the connections
// of acme, of the application "app": the watch screen's and the plain
// prompts' watch read them.
type watchedAPI struct {
	clock *mock.Clock
	api   *mock.Server
}

// newWatchedAPI starts the API and returns a state for a session for acme
// (CRM and HRIS, its account named accountName) whose listConnections
// reads the API.
func newWatchedAPI(t *testing.T, accountName string) (watchedAPI, state) {
	t.Helper()
	a := watchedAPI{clock: mock.NewClock(fixedNow)}
	var base string
	a.api, base = mocktest.Start(t, mock.WithClock(a.clock.Now))
	c := client.New(client.WithBaseURL(base), client.WithRetryPolicy(client.NoRetry()))
	req := model.Request{AppID: "app", ConsumerID: "acme"}
	req.Session.ConsumerMetadata.AccountName = accountName
	req.Session.Settings.UnifiedAPIs = []string{"crm", "hris"}
	st := testState(req, "sk_test_key")
	st.listConnections = func(ctx context.Context, apiKey string, req model.Request, _ bool) ([]client.Connection, error) {
		return c.Connections(ctx, client.Credentials{APIKey: apiKey, AppID: req.AppID, ConsumerID: req.ConsumerID}, "")
	}
	return a, st
}

// scriptJourney is a journey of acme's connections: BambooHR callable,
// Salesforce added, authorized at 6 s and callable at 12 s, and Xero, of
// an API the session does not have, invalid.
func (a watchedAPI) scriptJourney() {
	a.api.ScriptConnection("app", "acme", "hris", "bamboohr",
		mock.ConnectionStep{State: "callable", Health: "ok"})
	a.api.ScriptConnection("app", "acme", "crm", "salesforce",
		mock.ConnectionStep{State: "added", Health: "needs_auth"},
		mock.ConnectionStep{After: 6 * time.Second, State: "authorized", Health: "ok"},
		mock.ConnectionStep{After: 12 * time.Second, State: "callable", Health: "ok"})
	a.api.ScriptConnection("app", "acme", "accounting", "xero",
		mock.ConnectionStep{State: "invalid", Health: "missing_settings"})
}

// watchRig is a wizard on the result screen of a session for acme whose
// connections come from a watchedAPI; polls counts its reads.
type watchRig struct {
	*harness
	watchedAPI
	polls int
}

func newWatchRig(t *testing.T, st func(*state)) *watchRig {
	t.Helper()
	r := &watchRig{}
	var s state
	r.watchedAPI, s = newWatchedAPI(t, "Acme Inc")
	list := s.listConnections
	s.listConnections = func(ctx context.Context, apiKey string, req model.Request, demo bool) ([]client.Connection, error) {
		r.polls++
		return list(ctx, apiKey, req, demo)
	}
	if st != nil {
		st(&s)
	}
	r.harness = newHarness(t, s, func(context.Context, string, model.Request, bool) (client.Result, error) {
		return created(model.Request{})
	})
	r.w.now = r.clock.Now
	r.w.jumpTo(stepReview, "")
	r.press("enter")
	if r.w.phase() != phaseResult {
		t.Fatalf("not on the result screen: %d", r.w.phase())
	}
	return r
}

// tick lets d pass and delivers what the real timers would: the poll
// that falls due, and the redraw.
func (r *watchRig) tick(d time.Duration) {
	r.clock.Advance(d)
	r.send(countdownMsg{})
	if !screenOf[*watchView](r.w).nextAt.After(r.clock.Now()) {
		r.send(watchPollMsg{seq: screenOf[*watchView](r.w).seq})
	}
}

func TestWatchScreenFollowsAJourney(t *testing.T) {
	t.Parallel()
	r := newWatchRig(t, nil)
	r.scriptJourney()
	mustContain(t, r.view(), "w watch")
	r.press("w")
	if r.w.phase() != phaseWatching || r.polls != 1 {
		t.Fatalf("phase %d after %d polls", r.w.phase(), r.polls)
	}
	r.golden("watch_before")
	mustNotContain(t, r.view(), "Xero", "\a")

	// 5 s: nothing new. 10 s: authorized. The row and the log line are
	// marked, no bell yet.
	r.tick(5 * time.Second)
	r.tick(5 * time.Second)
	mustContain(t, r.view(), "10:00:10 Salesforce (CRM): added → authorized, health needs_auth → ok", "● Salesforce")
	mustNotContain(t, r.view(), "\a")
	if r.bells != 0 {
		t.Fatalf("%d bells before anything became callable", r.bells)
	}
	// 15 s: callable, the bell rings once (an effect, never in a frame).
	r.tick(5 * time.Second)
	if r.bells != 1 {
		t.Fatalf("%d bells when Salesforce became callable", r.bells)
	}
	requireGolden(t, "watch_during_change", r.view())
	r.send(countdownMsg{})
	mustNotContain(t, r.view(), "\a")

	// 20 s later the marks have faded; the log stays.
	r.tick(5 * time.Second)
	r.tick(5 * time.Second)
	r.golden("watch_after")
	if r.bells != 1 {
		t.Errorf("%d bells after the marks faded, want still 1", r.bells)
	}
	if r.polls != 6 {
		t.Errorf("%d polls in 25 s, want 6 (one every 5 s)", r.polls)
	}

	// a shows every unified API, Xero among them; a again, the session's.
	r.press("a")
	mustContain(t, r.view(), "Xero", "Every unified API.")
	r.press("a")
	mustNotContain(t, r.view(), "Xero")

	// esc: back to the result, polling stops; a late answer is ignored.
	r.press("esc")
	if r.w.phase() != phaseResult {
		t.Fatalf("esc: phase %d", r.w.phase())
	}
	before := r.polls
	r.send(watchPollMsg{seq: screenOf[*resultView](r.w).watch.seq - 1})
	if r.polls != before {
		t.Error("a poll of the closed screen ran")
	}
	// w again: the log is kept.
	r.press("w")
	mustContain(t, r.view(), "authorized → callable")
}

func TestWatchScreenNoBell(t *testing.T) {
	t.Parallel()
	r := newWatchRig(t, func(s *state) { s.noBell = true })
	r.scriptJourney()
	r.press("w")
	for range 4 {
		r.tick(5 * time.Second)
		mustNotContain(t, r.view(), "\a")
	}
	mustContain(t, r.view(), "authorized → callable")
	if r.bells != 0 {
		t.Errorf("--no-bell rang %d bells", r.bells)
	}
}

func TestWatchScreenBacksOffAndStops(t *testing.T) {
	t.Parallel()
	r := newWatchRig(t, nil)
	r.api.FailNextConnections(429, 1, "Retry-After", "30")
	r.press("w")
	mustContain(t, r.view(), "⚠ Poll failed (1 in a row): 429 Too Many Requests", "no answer yet")
	if wait := screenOf[*watchView](r.w).nextAt.Sub(r.clock.Now()); wait != 30*time.Second {
		t.Errorf("next poll in %s, want the Retry-After's 30s", wait)
	}
	// Nothing is asked before the 30 s are up.
	r.tick(25 * time.Second)
	if r.polls != 1 {
		t.Errorf("%d polls within the Retry-After", r.polls)
	}
	r.tick(5 * time.Second)
	mustContain(t, r.view(), "No connections yet: waiting for acme to add one on the Vault page.", "last answer 10:00:30")

	r.api.FailNextConnections(503, 1)
	r.tick(5 * time.Second)
	mustContain(t, r.view(), "503 Service Unavailable", "next poll in 10s", "last answer 10:00:30")

	r.api.FailNextConnections(401, 1)
	r.tick(10 * time.Second)
	r.golden("watch_stopped")
	polls := r.polls
	r.tick(time.Minute)
	if r.polls != polls {
		t.Error("polled again after an error polling cannot fix")
	}
	r.press("r")
	mustNotContain(t, r.view(), "Polling stopped")
}

// The API's text reaches the screen only through termtext.
func TestWatchScreenHostileText(t *testing.T) {
	t.Parallel()
	r := newWatchRig(t, func(s *state) {
		s.listConnections = func(context.Context, string, model.Request, bool) ([]client.Connection, error) {
			on := true
			return []client.Connection{{UnifiedAPI: "crm", ServiceID: "x", Name: "Evil\x1b]52;c;aGk=\x07\u202eCorp",
				State: "call\x1b[2Jable", Health: "ok\r", Enabled: &on}}, nil
		}
	})
	r.press("w")
	screen := r.view()
	if strings.ContainsAny(screen, "\x1b\x07\u202e\r") {
		t.Errorf("a control character reached the screen:\n%q", screen)
	}
	mustContain(t, screen, "Evil")
}

// A table taller than the screen scrolls by the Review's keys, which the
// help then offers; the last connection can be reached.
func TestWatchScreenScrollsALongTable(t *testing.T) {
	t.Parallel()
	r := newWatchRig(t, func(s *state) {
		s.listConnections = func(context.Context, string, model.Request, bool) ([]client.Connection, error) {
			on := true
			var list []client.Connection
			for i := range 30 {
				list = append(list, client.Connection{UnifiedAPI: "crm", ServiceID: fmt.Sprintf("service-%02d", i),
					State: client.StateCallable, Enabled: &on})
			}
			return list, nil
		}
	})
	r.press("w", "a")
	r.send(tea.WindowSizeMsg{Width: 80, Height: 20})
	mustContain(t, r.view(), "service-00", "↓", "pgup/dn")
	mustNotContain(t, r.view(), "service-29")
	r.press("end")
	mustContain(t, r.view(), "service-29", "Polling every")
	r.press("home")
	mustContain(t, r.view(), "Connections of")
	// Where the table fits, nothing scrolls and no scrolling key is offered.
	r.send(tea.WindowSizeMsg{Width: 80, Height: 60})
	mustNotContain(t, r.view(), "pgup/dn", "more")
}
