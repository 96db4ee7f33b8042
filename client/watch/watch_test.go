package watch_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/client/watch"
)

func conn(api, service, state, health string, enabled bool) client.Connection {
	return client.Connection{ID: api + "+" + service, UnifiedAPI: api, ServiceID: service, Name: strings.ToUpper(service[:1]) + service[1:],
		State: client.ConnectionState(state), Health: client.ConnectionHealth(health), Enabled: &enabled}
}

func TestDiff(t *testing.T) {
	prev := []client.Connection{
		conn("crm", "salesforce", "authorized", "ok", true),
		conn("crm", "hubspot", "available", "", false),
		conn("hris", "personio", "callable", "ok", true),
		conn("accounting", "xero", "callable", "ok", true),
		conn("crm", "pipedrive", "callable", "ok", true),
	}
	next := []client.Connection{
		conn("crm", "salesforce", "callable", "ok", true),     // state
		conn("crm", "hubspot", "added", "needs_auth", true),   // appeared from available
		conn("hris", "personio", "callable", "revoked", true), // health
		conn("accounting", "xero", "callable", "ok", false),   // enabled
		conn("crm", "pipedrive", "available", "", false),      // deleted: back to available
		conn("ats", "lever", "paused", "on_fire", true),       // appeared, unknown values
	}
	var got []string
	for _, ch := range watch.Diff(prev, next) {
		got = append(got, fmt.Sprintf("%s %s: %s", ch.Kind, ch.Connection.Key(), ch.Describe()))
	}
	want := []string{
		"changed accounting/xero: disabled",
		"added ats/lever: appeared as paused, health on_fire",
		"added crm/hubspot: appeared as added, health needs_auth",
		"changed crm/salesforce: authorized → callable",
		"changed hris/personio: health ok → revoked",
		"removed crm/pipedrive: removed (was callable, health ok)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if d := watch.Diff(next, next); len(d) != 0 {
		t.Errorf("no change gives %v", d)
	}
}

func TestVisible(t *testing.T) {
	list := []client.Connection{
		conn("hris", "personio", "callable", "ok", true),
		conn("crm", "salesforce", "added", "", true),
		conn("crm", "hubspot", "available", "", false),
		conn("crm", "close", "invalid", "missing_settings", true),
	}
	var keys []string
	for _, c := range watch.Visible(list, []string{"crm"}) {
		keys = append(keys, c.Key())
	}
	if strings.Join(keys, " ") != "crm/close crm/salesforce" {
		t.Errorf("crm only: %v", keys)
	}
	if n := len(watch.Visible(list, nil)); n != 3 {
		t.Errorf("all: %d", n)
	}
}

func TestNextPoll(t *testing.T) {
	rateLimited := &client.APIError{StatusCode: 429, RetryAfter: 30 * time.Second}
	huge := &client.APIError{StatusCode: 503, RetryAfter: 5 * time.Hour}
	server := &client.APIError{StatusCode: 500}
	for _, tc := range []struct {
		interval time.Duration
		failures int
		err      error
		want     time.Duration
	}{
		{5 * time.Second, 0, nil, 5 * time.Second},
		{0, 0, nil, watch.DefaultInterval},
		{5 * time.Second, 1, server, 10 * time.Second},
		{5 * time.Second, 2, server, 20 * time.Second},
		{5 * time.Second, 3, server, 40 * time.Second},
		{5 * time.Second, 4, server, time.Minute},
		{5 * time.Second, 40, server, time.Minute},
		{2 * time.Minute, 3, server, 2 * time.Minute}, // never faster than asked
		{5 * time.Second, 1, rateLimited, 30 * time.Second},
		{5 * time.Second, 4, rateLimited, 30 * time.Second},
		{time.Minute, 1, rateLimited, time.Minute},
		{5 * time.Second, 1, huge, watch.MaxRetryAfter},
	} {
		if got := watch.NextPoll(tc.interval, tc.failures, tc.err); got != tc.want {
			t.Errorf("NextPoll(%s, %d, %v) = %s, want %s", tc.interval, tc.failures, tc.err, got, tc.want)
		}
	}
}

func TestPermanent(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{&client.APIError{StatusCode: 401}, true},
		{&client.APIError{StatusCode: 404}, true},
		{&client.APIError{StatusCode: 429}, false},
		{&client.APIError{StatusCode: 408}, false},
		{&client.APIError{StatusCode: 503}, false},
		{fmt.Errorf("list: %w", &client.ConnectionError{URL: "http://x", Err: errors.New("refused")}), false},
		{&client.InvalidResponseError{StatusCode: 200}, true},
		{&client.RedirectError{}, true},
		{fmt.Errorf("list connections: %w", context.DeadlineExceeded), false},
	} {
		if got := watch.Permanent(tc.err); got != tc.want {
			t.Errorf("Permanent(%v) = %v", tc.err, got)
		}
	}
}

func TestCondition(t *testing.T) {
	list := []client.Connection{
		conn("hris", "personio", "callable", "ok", true),
		conn("crm", "salesforce", "authorized", "ok", true),
		conn("crm", "hubspot", "available", "", false),
	}
	for _, tc := range []struct {
		text  string
		match string // key, or "" for no match
	}{
		{"callable", "hris/personio"},
		{"callable:crm", ""},
		{"authorized:crm", "crm/salesforce"},
		{"callable:hris/personio", "hris/personio"},
		{"callable:hris/bamboohr", ""},
		{" invalid ", ""},
	} {
		c, err := watch.ParseCondition(tc.text)
		if err != nil {
			t.Errorf("%q: %v", tc.text, err)
			continue
		}
		got, ok := c.Match(list)
		if (tc.match == "") == ok || (ok && got.Key() != tc.match) {
			t.Errorf("%q matches %v %q, want %q", tc.text, ok, got.Key(), tc.match)
		}
		if c.String() != strings.TrimSpace(tc.text) {
			t.Errorf("%q prints as %q", tc.text, c.String())
		}
	}
	for _, bad := range []string{"", "ready", "available", "callable:", "callable:crm/", "callable:/x", "callable:crm/a/b", "Callable"} {
		if _, err := watch.ParseCondition(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func FuzzParseCondition(f *testing.F) {
	for _, s := range []string{"callable", "callable:crm", "callable:crm/salesforce", "added:", ":", "x:y/z", "callable:a:b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := watch.ParseCondition(s)
		if err != nil {
			return
		}
		again, err := watch.ParseCondition(c.String())
		if err != nil || again != c {
			t.Fatalf("%q parses to %+v, which prints as %q and reads back as %+v, %v", s, c, c.String(), again, err)
		}
	})
}

var creds = client.Credentials{APIKey: "sk_test_watch", AppID: "app", ConsumerID: "consumer"}

// rig is the mock on the same fake clock as the poller, behind a handler
// that counts requests and can answer 429 for a while.
type rig struct {
	clock        *mock.Clock
	mock         *mock.Server
	mu           sync.Mutex
	requests     int
	limitedUntil time.Time
	retryAfter   string
}

// newRig polls the consumer's connections of one unified API, or of every
// one when api is "".
func newRig(t *testing.T, api string) (*rig, watch.Poller) {
	r := &rig{clock: mock.NewClock(time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC))}
	r.mock = mock.New(mock.WithClock(r.clock.Now))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.requests++
		limited := r.clock.Now().Before(r.limitedUntil)
		retryAfter := r.retryAfter
		r.mu.Unlock()
		if limited {
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			w.Write(mock.ErrorBody(http.StatusTooManyRequests))
			return
		}
		r.mock.ServeHTTP(w, req)
	}))
	t.Cleanup(srv.Close)
	c := client.New(client.WithBaseURL(srv.URL), client.WithRetryPolicy(client.NoRetry()))
	return r, watch.Poller{
		Fetch:    func(ctx context.Context) ([]client.Connection, error) { return c.Connections(ctx, creds, api) },
		Interval: watch.DefaultInterval,
		Now:      r.clock.Now,
		Sleep:    r.clock.Sleep,
	}
}

func (r *rig) Requests() int { r.mu.Lock(); defer r.mu.Unlock(); return r.requests }

// runFor polls for d of the fake clock and returns every poll.
func runFor(t *testing.T, r *rig, p watch.Poller, d time.Duration) []watch.Poll {
	t.Helper()
	end := r.clock.Now().Add(d)
	var polls []watch.Poll
	err := p.Run(context.Background(), func(poll watch.Poll) bool {
		polls = append(polls, poll)
		return poll.At.Add(poll.Next).Before(end)
	})
	if err != nil {
		t.Fatal(err)
	}
	return polls
}

func TestPollerSeesTheJourney(t *testing.T) {
	r, p := newRig(t, "")
	r.mock.ScriptConnection("app", "consumer", "crm", "salesforce",
		mock.ConnectionStep{After: 7 * time.Second, State: "added", Health: "needs_auth"},
		mock.ConnectionStep{After: 13 * time.Second, State: "authorized", Health: "ok"},
		mock.ConnectionStep{After: 21 * time.Second, State: "callable", Health: "ok"})
	var log []string
	for _, poll := range runFor(t, r, p, 30*time.Second) {
		if poll.Err != nil {
			t.Fatal(poll.Err)
		}
		for _, ch := range poll.Changes {
			log = append(log, fmt.Sprintf("%s %s", poll.At.Format("05"), ch.Describe()))
		}
	}
	want := "10 appeared as added, health needs_auth\n15 added → authorized, health needs_auth → ok\n25 authorized → callable"
	if strings.Join(log, "\n") != want {
		t.Errorf("log\n%s\nwant\n%s", strings.Join(log, "\n"), want)
	}
}

// The figures of the closing note: requests a 10-minute watch sends, and
// what a minute of 429s does to it. The watch is of one unified API with
// one connector: what is counted is requests and when they go, the same
// for a list of any length, and the 85 connections of every API made
// each of the 340 polls cost 10 ms under -race.
func TestPollerRequestCounts(t *testing.T) {
	const api = "vault"
	r, p := newRig(t, api)
	runFor(t, r, p, 10*time.Minute)
	t.Logf("10-minute watch at %s: %d requests", watch.DefaultInterval, r.Requests())
	if r.Requests() != 120 {
		t.Errorf("a 10-minute watch sent %d requests, want 120 (one every 5 s)", r.Requests())
	}

	for _, tc := range []struct {
		retryAfter     string
		wantLimited    int
		wantFirstOK    time.Duration
		wantTotal10min int
	}{
		// Without Retry-After: 0, 10, 30 s are refused (waits 10, 20, 40 s); 70 s gets through.
		{"", 3, 70 * time.Second, 3 + 106},
		// Retry-After: 20 is honoured: 0, 20, 40 s refused; 60 s gets through.
		{"20", 3, 60 * time.Second, 3 + 108},
	} {
		r, p := newRig(t, api)
		start := r.clock.Now()
		r.limitedUntil, r.retryAfter = start.Add(time.Minute), tc.retryAfter
		polls := runFor(t, r, p, 10*time.Minute)
		limited, firstOK := 0, time.Duration(-1)
		for _, poll := range polls {
			if poll.Err != nil {
				limited++
				if watch.Permanent(poll.Err) {
					t.Errorf("a 429 is not permanent: %v", poll.Err)
				}
			} else if firstOK < 0 {
				firstOK = poll.At.Sub(start)
			}
		}
		t.Logf("429 for a minute (Retry-After %q): %d refused polls, first answer at %s, %d requests in 10 minutes",
			tc.retryAfter, limited, firstOK, r.Requests())
		if limited != tc.wantLimited || firstOK != tc.wantFirstOK || r.Requests() != tc.wantTotal10min {
			t.Errorf("Retry-After %q: %d refused, first answer at %s, %d requests; want %d, %s, %d",
				tc.retryAfter, limited, firstOK, r.Requests(), tc.wantLimited, tc.wantFirstOK, tc.wantTotal10min)
		}
	}
}

func TestPollerStopsWithContext(t *testing.T) {
	_, p := newRig(t, "")
	ctx, cancel := context.WithCancel(context.Background())
	polls := 0
	err := p.Run(ctx, func(watch.Poll) bool {
		polls++
		if polls == 3 {
			cancel()
		}
		return true
	})
	if !errors.Is(err, context.Canceled) || polls != 3 {
		t.Errorf("err %v after %d polls", err, polls)
	}
}
