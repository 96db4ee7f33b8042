package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/client/triage"
	"github.com/apideck-samples/vault-session/model"
	"github.com/charmbracelet/x/ansi"
)

// supportRig is the demo API on a stepped clock, and a command line whose
// clock is the same: the seeded times are what the README says.
type supportRig struct {
	t *testing.T
	clockedAPI
}

func newSupportRig(t *testing.T, opts ...mock.Option) *supportRig {
	return &supportRig{t: t, clockedAPI: newClockedAPI(t, func(a *app) {
		a.clientOptions = []client.Option{client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 8, InitialWait: time.Millisecond, MaxWait: 10 * time.Millisecond})}
	}, opts...)}
}

// run runs a support command against the rig's API with the demo app.
func (r *supportRig) run(args ...string) cliResult {
	r.t.Helper()
	return r.cli.run(append(args, "--base-url", r.base, "--api-key", testAPIKey, "--app-id", mock.DemoAppID)...)
}

// golden compares a support command's output with its golden file, the
// rig's API as http://127.0.0.1:PORT: suggested commands name it.
func (r *supportRig) golden(t *testing.T, got string) {
	t.Helper()
	requireGolden(t, strings.ReplaceAll(got, r.base, "http://127.0.0.1:PORT"))
}

// reauthorize does what the Vault page's Re-authorize does on the demo
// API, for consumer.
func (r *supportRig) reauthorize(consumer, api, service string) {
	r.t.Helper()
	header := http.Header{}
	header.Set("Authorization", "Bearer k")
	header.Set("x-apideck-app-id", mock.DemoAppID)
	header.Set("x-apideck-consumer-id", consumer)
	if err := mock.Reauthorize(r.t.Context(), r.base, header, api, service); err != nil {
		r.t.Fatal(err)
	}
}

func TestConsumersList(t *testing.T) {
	t.Parallel()
	r := newSupportRig(t)
	got := r.run("consumers", "list")
	if got.code != exitOK {
		t.Fatal(got)
	}
	r.golden(t, got.stdout)

	got = r.run("consumers", "list", "--search", "globex", "--output", "json")
	var list []consumerJSON
	if err := json.Unmarshal([]byte(got.stdout), &list); err != nil || got.code != exitOK {
		t.Fatalf("%v\n%s", err, got)
	}
	if len(list) != 1 || list[0].ConsumerID != mock.GlobexID || list[0].Metadata.AccountName != "Globex" ||
		list[0].Connections != 2 || list[0].Requests30d == nil || list[0].Requests30d.Total == 0 {
		t.Errorf("globex %+v", list)
	}

	got = r.run("consumers", "list", "--limit", "2", "--counts=false")
	if lines := strings.Split(strings.TrimSpace(got.stdout), "\n"); len(lines) != 3 || strings.Contains(lines[0], "REQUESTS") ||
		!strings.Contains(got.stderr, "2 of 3 consumers; --all lists every one") {
		t.Errorf("--limit 2:\n%s", got)
	}
	if got = r.run("consumers", "list", "--search", "nobody-at-all"); got.code != exitOK || got.stdout != "" || !strings.Contains(got.stderr, "no consumers match") {
		t.Errorf("no match:\n%s", got)
	}
	if got = r.run("consumers", "list", "--search", "zzz", "--output", "json"); strings.TrimSpace(got.stdout) != "[]" {
		t.Errorf("no match as JSON:\n%s", got)
	}
	for _, bad := range [][]string{{"--limit", "0"}, {"--limit", "3", "--all"}, {"--output", "yaml"}, {"--concurrency", "99"}} {
		if got := r.run(append([]string{"consumers", "list"}, bad...)...); got.code != exitUsage {
			t.Errorf("%q: %s", bad, got)
		}
	}
}

// Every consumer of a large application, one line each, while the API
// answers some requests 429.
func TestConsumersListAllThroughRateLimits(t *testing.T) {
	t.Parallel()
	r := newSupportRig(t, mock.WithSeededConsumers(450))
	for range 4 {
		r.api.ScriptConnections(mock.Answer{}, mock.Answer{}, mock.Answer{Status: 429, Header: http.Header{"Retry-After": {"1"}}})
	}
	got := r.run("consumers", "list", "--all", "--output", "jsonl")
	lines := strings.Split(strings.TrimSpace(got.stdout), "\n")
	if got.code != exitOK || len(lines) != 453 {
		t.Fatalf("%d lines\n%s", len(lines), got.stderr)
	}
	seen := map[string]bool{}
	for _, l := range lines {
		var c consumerJSON
		if err := json.Unmarshal([]byte(l), &c); err != nil || seen[c.ConsumerID] || c.Requests30d == nil {
			t.Fatalf("line %q: %v", l, err)
		}
		seen[c.ConsumerID] = true
	}
}

func TestConsumersShow(t *testing.T) {
	t.Parallel()
	r := newSupportRig(t)
	got := r.run("consumers", "show", mock.GlobexID)
	if got.code != exitOK || !strings.Contains(got.stdout, "credentials deleted in 18 h") {
		t.Fatal(got)
	}
	r.golden(t, got.stdout)

	got = r.run("consumers", "show", mock.GlobexID, "--output", "json")
	var card consumerCardJSON
	if err := json.Unmarshal([]byte(got.stdout), &card); err != nil {
		t.Fatalf("%v\n%s", err, got)
	}
	if card.Fix == nil || !slices.Equal(card.Fix.UnifiedAPIs, []string{"accounting"}) || !slices.Equal(card.Fix.AllowActions, []string{"reauthorize"}) ||
		card.Fix.Purpose != "your QuickBooks connection needs you to sign in again" {
		t.Errorf("fix %+v", card.Fix)
	}
	if len(card.Attention) != 1 || card.Attention[0].Need != "credentials_expiring" || card.Attention[0].CredentialsExpireAt == nil ||
		!card.Attention[0].CredentialsExpireAt.Equal(fixedNow.Add(18*time.Hour)) {
		t.Errorf("attention %+v", card.Attention)
	}
	if len(card.LastFailingCalls) != triage.FailingCallsShown || card.LastFailingCalls[0].StatusCode != 401 || card.Requests30d.Total == 0 {
		t.Errorf("failing calls %+v requests %+v", card.LastFailingCalls, card.Requests30d)
	}
	// Logs can hold the customer's data: nothing beyond the fields shown.
	for _, kept := range []string{"source_ip", "203.0.113", "latency", "operation"} {
		if strings.Contains(got.stdout, kept) {
			t.Errorf("the card's JSON holds %q", kept)
		}
	}

	got = r.run("consumers", "show", mock.UmbrellaID)
	if got.code != exitOK || !strings.Contains(got.stdout, "No connections.") || strings.Contains(got.stdout, "Needs attention") {
		t.Errorf("umbrella:\n%s", got)
	}
	// The card stands when the logs cannot be read.
	r.api.ScriptConnections(mock.Answer{}, mock.Answer{}, mock.Answer{Status: 403})
	got = r.run("consumers", "show", mock.GlobexID)
	if got.code != exitOK || !strings.Contains(got.stdout, "The logs could not be read: 403 Forbidden") || !strings.Contains(got.stdout, "credentials deleted in 18 h") {
		t.Errorf("logs refused:\n%s", got)
	}
	got = r.run("consumers", "show", "nobody")
	if got.code != exitError || !strings.Contains(got.stderr, "hint: The API has no such consumer.") {
		t.Errorf("nobody:\n%s", got)
	}
	if got = r.run("consumers", "show"); got.code != exitUsage {
		t.Errorf("no ID:\n%s", got)
	}
}

func TestLogs(t *testing.T) {
	t.Parallel()
	r := newSupportRig(t)
	got := r.run("logs", "--consumer-id", mock.GlobexID, "--status", "401")
	if got.code != exitOK {
		t.Fatal(got)
	}
	r.golden(t, got.stdout)
	lines := strings.Split(strings.TrimSpace(got.stdout), "\n")
	if len(lines) < 7 {
		t.Errorf("%d QuickBooks 401s", len(lines))
	}
	for _, l := range lines {
		if !strings.Contains(l, " 401  QuickBooks  Token refresh failed") {
			t.Errorf("line %q", l)
		}
	}

	got = r.run("logs", "--consumer-id", mock.GlobexID, "--status", "4xx,5xx", "--since", "7d", "--limit", "0", "--output", "json")
	var logs []client.Log
	if err := json.Unmarshal([]byte(got.stdout), &logs); err != nil || len(logs) != len(lines) {
		t.Fatalf("%d logs, %v\n%s", len(logs), err, got.stderr)
	}
	got = r.run("logs", "--consumer-id", mock.GlobexID, "--method", "post", "--path", "/crm", "--limit", "3", "--output", "jsonl")
	for _, l := range strings.Split(strings.TrimSpace(got.stdout), "\n") {
		var entry map[string]any
		json.Unmarshal([]byte(l), &entry)
		if entry["http_method"] != "POST" || !strings.HasPrefix(entry["path"].(string), "/crm") {
			t.Errorf("line %s", l)
		}
		for key := range entry {
			if !slices.Contains([]string{"consumer_id", "timestamp", "http_method", "path", "status_code", "success", "unified_api", "service", "error_message"}, key) {
				t.Errorf("a log line holds %q", key)
			}
		}
	}
	for _, bad := range [][]string{{"--status", "600"}, {"--status", "4xy"}, {"--since", "yesterday"}, {"--follow", "--output", "json"}, {"--limit", "-1"}} {
		if got := r.run(append([]string{"logs", "--consumer-id", mock.GlobexID}, bad...)...); got.code != exitUsage {
			t.Errorf("%q: %s", bad, got)
		}
	}
	if got := r.run("logs"); got.code != exitUsage || !strings.Contains(got.stderr, "--consumer-id") {
		t.Errorf("no consumer: %s", got)
	}
}

// --follow prints the newest requests, then each new one once, oldest
// first, until Ctrl+C.
func TestLogsFollow(t *testing.T) {
	t.Parallel()
	r := newSupportRig(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	polls := 0
	r.cli.ctx = ctx
	r.cli.configured = func(a *app) {
		a.now = r.clock.Now
		a.sleep = func(ctx context.Context, d time.Duration) error {
			if polls++; polls == 6 {
				cancel()
			}
			return r.clock.Sleep(ctx, d)
		}
	}
	got := r.run("logs", "--consumer-id", mock.GlobexID, "--follow", "--interval", "1h", "--limit", "3", "--output", "jsonl")
	if got.code != exitInterrupted || !strings.HasSuffix(got.stderr, "vault-session: interrupted; stopped following the logs\n") {
		t.Fatal(got)
	}
	var times []string
	for _, l := range strings.Split(strings.TrimSpace(got.stdout), "\n") {
		var entry client.Log
		if err := json.Unmarshal([]byte(l), &entry); err != nil {
			t.Fatal(err)
		}
		times = append(times, entry.Time.Format(time.RFC3339))
	}
	// 3 to start with, then 5 hours of Salesforce (every 2 h) and
	// QuickBooks (every 4 h) calls: 3 or 4 more.
	if len(times) < 5 || len(times) > 8 || !slices.IsSorted(times) || len(slices.Compact(slices.Clone(times))) != len(times) {
		t.Errorf("followed %v", times)
	}
}

// TestLogsFollowBacksOffAsWatchDoes: --follow "keeps polling, as watch
// does": a failed poll is not retried inside, and the wait before the next
// is watch.NextPoll's (doubling from --interval, or the API's Retry-After),
// said on stderr.
func TestLogsFollowBacksOffAsWatchDoes(t *testing.T) {
	t.Parallel()
	r := newSupportRig(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var waits []time.Duration
	r.cli.ctx = ctx
	r.cli.configured = func(a *app) {
		a.now = r.clock.Now
		a.sleep = func(ctx context.Context, d time.Duration) error {
			if waits = append(waits, d); len(waits) == 7 {
				cancel()
			}
			return r.clock.Sleep(ctx, d)
		}
	}
	r.api.FailNextConnections(http.StatusServiceUnavailable, 5)
	r.api.FailNextConnections(http.StatusTooManyRequests, 1, "Retry-After", "3")
	got := r.run("logs", "--consumer-id", mock.GlobexID, "--follow", "--interval", "1s", "--limit", "1")
	if got.code != exitInterrupted {
		t.Fatal(got)
	}
	want := []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 32 * time.Second, 3 * time.Second, time.Second}
	if !slices.Equal(waits, want) {
		t.Errorf("waits %v, want %v", waits, want)
	}
	for i, w := range want[:6] {
		line := fmt.Sprintf("vault-session: poll failed (%d in a row): ", i+1)
		if !strings.Contains(got.stderr, line) || !strings.Contains(got.stderr, "; next poll in "+model.DurationText(w)+"\n") {
			t.Errorf("stderr lacks %q … next poll in %s:\n%s", line, model.DurationText(w), got.stderr)
		}
	}
	if calls := len(r.api.Requests()); calls != 7 {
		t.Errorf("%d requests for 6 failed polls and one that worked: a poll was retried inside", calls)
	}
}

func TestHealth(t *testing.T) {
	t.Parallel()
	r := newSupportRig(t, mock.WithConnectionSteps(mock.ConnectionStep{State: "callable", Health: "ok"}))
	got := r.run("health")
	if got.code != exitAttention || !strings.Contains(got.stderr, "2 of 3 consumers need attention (exit code 4)") {
		t.Fatal(got)
	}
	r.golden(t, got.stdout)

	got = r.run("health", "--output", "jsonl")
	lines := strings.Split(strings.TrimSpace(got.stdout), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], `"consumer_id":"globex-17"`) || !strings.Contains(lines[1], `"need":"reconnect"`) ||
		!strings.HasPrefix(lines[2], `{"summary":{"consumers":3,`) {
		t.Errorf("jsonl:\n%s", got.stdout)
	}
	got = r.run("health", "--api", "crm", "--output", "json")
	var doc struct {
		Attention []healthLineJSON  `json:"attention"`
		Summary   healthSummaryJSON `json:"summary"`
	}
	if err := json.Unmarshal([]byte(got.stdout), &doc); err != nil || len(doc.Attention) != 1 || doc.Attention[0].ServiceID != "hubspot" || doc.Summary.Connections != 2 {
		t.Errorf("%v %+v\n%s", err, doc, got)
	}
	if got = r.run("health", "--within", "72h"); got.code != exitUsage {
		t.Errorf("--within 72h: %s", got)
	}

	// Fixed in the demo: both customers sign in again through a session.
	r.reauthorize(mock.GlobexID, "accounting", "quickbooks")
	r.reauthorize(mock.InitechID, "crm", "hubspot")
	got = r.run("health")
	if got.code != exitOK || got.stdout != "" || !strings.Contains(got.stderr, "3 consumers, 3 connections: nothing needs attention") {
		t.Errorf("after the fix:\n%s", got)
	}
}

func TestHealthAtScaleThroughRateLimits(t *testing.T) {
	t.Parallel()
	r := newSupportRig(t, mock.WithSeededConsumers(1000))
	for range 6 {
		r.api.ScriptConnections(mock.Answer{}, mock.Answer{}, mock.Answer{}, mock.Answer{Status: 429, Header: http.Header{"Retry-After-Ms": {"5"}}})
	}
	got := r.run("health", "--output", "jsonl")
	lines := strings.Split(strings.TrimSpace(got.stdout), "\n")
	var last struct {
		Summary healthSummaryJSON `json:"summary"`
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &last); err != nil || got.code != exitAttention ||
		last.Summary.Consumers != 1003 || last.Summary.ConsumersNeeding < 100 || len(lines) < last.Summary.ConsumersNeeding+1 {
		t.Fatalf("%v %+v\n%s", err, last, got.stderr)
	}
	// As text, each group shows at most healthShownPerGroup lines.
	got = r.run("health")
	if !strings.Contains(got.stdout, "--output jsonl' lists every one)") {
		t.Errorf("no group was cut:\n%s", got.stdout)
	}
}

func TestConnectionsValidate(t *testing.T) {
	t.Parallel()
	r := newSupportRig(t)
	got := r.run("connections", "validate", "--consumer-id", mock.GlobexID, "--api", "accounting", "--service", "quickbooks")
	if got.code != exitAttention {
		t.Fatal(got)
	}
	r.golden(t, got.stdout)
	got = r.run("connections", "validate", "--consumer-id", mock.GlobexID, "--api", "crm", "--service", "salesforce", "--output", "json")
	var v validationJSON
	if err := json.Unmarshal([]byte(got.stdout), &v); err != nil || got.code != exitOK || !v.OK || v.State != "callable" || v.RefreshFailure != nil {
		t.Errorf("salesforce %+v %v\n%s", v, err, got)
	}
	got = r.run("connections", "validate", "--consumer-id", mock.InitechID, "--api", "crm", "--service", "hubspot", "--output", "json")
	if err := json.Unmarshal([]byte(got.stdout), &v); err != nil || got.code != exitAttention || v.OK || v.Health != "needs_auth" {
		t.Errorf("hubspot %+v %v\n%s", v, err, got)
	}
	got = r.run("connections", "validate", "--consumer-id", mock.GlobexID, "--api", "crm", "--service", "pipedrive")
	if got.code != exitError || !strings.Contains(got.stderr, "no such connection") {
		t.Errorf("pipedrive:\n%s", got)
	}
	if got = r.run("connections", "validate", "--consumer-id", mock.GlobexID, "--api", "crm"); got.code != exitUsage {
		t.Errorf("no --service:\n%s", got)
	}
	// After the customer signs in again, the check finds it works.
	r.reauthorize(mock.GlobexID, "accounting", "quickbooks")
	r.clock.Sleep(t.Context(), time.Minute)
	got = r.run("connections", "validate", "--consumer-id", mock.GlobexID, "--api", "accounting", "--service", "quickbooks")
	if got.code != exitOK || !strings.Contains(got.stdout, "checked: it works (callable)") {
		t.Errorf("after the fix:\n%s", got)
	}
}

// A consumer's metadata is the API's text: a hostile name reaches the
// terminal as visible escapes in every support command.
func TestSupportCommandsShowHostileTextSafely(t *testing.T) {
	t.Parallel()
	r := newSupportRig(t)
	hostile := "Evil\x1b]52;c;cHduZWQ=\x07\x1b[2J\u202eCorp"
	body, _ := json.Marshal(map[string]any{"consumer_metadata": map[string]string{"account_name": hostile, "user_name": hostile}})
	req, _ := http.NewRequest(http.MethodPost, r.base+"/vault/sessions", strings.NewReader(string(body)))
	req.Header.Set("Authorization", "Bearer k")
	req.Header.Set("x-apideck-app-id", mock.DemoAppID)
	req.Header.Set("x-apideck-consumer-id", "evil-1")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
	for _, args := range [][]string{
		{"consumers", "list", "--search", "evil"},
		{"consumers", "list", "--search", "evil", "--output", "json"},
		{"consumers", "list", "--search", "evil", "--output", "jsonl"},
		{"consumers", "show", "evil-1"},
		{"consumers", "show", "evil-1", "--output", "json"},
	} {
		got := r.run(args...)
		if got.code != exitOK || strings.ContainsAny(got.stdout+got.stderr, "\x1b\x07\x7f\u202e") || !strings.Contains(got.stdout, "Evil") {
			t.Errorf("%q:\n%q", args, got.stdout+got.stderr)
		}
	}
}

// A command that only reads the API, stopped by Ctrl+C, says so: exit
// 130 and "stopped reading the API", never that no session was created
// (it creates none).
func TestReadingCommandsInterruptedSaySo(t *testing.T) {
	t.Parallel()
	r := newSupportRig(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	r.cli.ctx = ctx
	for _, args := range [][]string{
		{"consumers", "list"},
		{"consumers", "show", mock.GlobexID},
		{"logs", "--consumer-id", mock.GlobexID},
		{"health"},
		{"connections", "--consumer-id", mock.GlobexID},
		{"connections", "validate", "--consumer-id", mock.GlobexID, "--api", "crm", "--service", "salesforce"},
	} {
		got := r.run(args...)
		if got.code != exitInterrupted || strings.Contains(got.stderr, "no session") ||
			!strings.HasSuffix(got.stderr, "vault-session: interrupted; stopped reading the API\n") {
			t.Errorf("%q: %s", args, got)
		}
	}
}

// On an 80-column terminal a log line is cut with "…", not wrapped under
// the next line's columns; a pipe gets it whole.
func TestLogLinesFitTheTerminal(t *testing.T) {
	t.Parallel()
	r := newSupportRig(t)
	base := r.cli.configured
	for _, args := range [][]string{{"logs", "--consumer-id", mock.GlobexID, "--status", "401"}, {"consumers", "show", mock.GlobexID}} {
		r.cli.terminal = true
		r.cli.configured = func(a *app) {
			if base != nil {
				base(a)
			}
			a.streams.terminalSize = func() (int, int, error) { return 80, 24, nil }
		}
		got := r.run(args...)
		cut := 0
		for _, l := range strings.Split(got.stdout, "\n") {
			if strings.Contains(l, "401  QuickBooks") {
				if w := ansi.StringWidth(l); w > 80 || !strings.HasSuffix(l, "…") {
					t.Errorf("%q: a %d-cell line on 80 columns: %q", args, w, l)
				}
				cut++
			}
		}
		if got.code != exitOK || cut == 0 || strings.Count(got.stderr, "note: messages cut at 80 columns; --output jsonl has them whole") != 1 {
			t.Errorf("%q: %d cut lines\n%s", args, cut, got)
		}
		r.cli.terminal = false
		r.cli.configured = base
		if whole := r.run(args...); strings.Contains(whole.stdout, "…") || !strings.Contains(whole.stdout, "(the refresh token was revoked or has expired)") {
			t.Errorf("%q to a pipe:\n%s", args, whole)
		}
	}
}
