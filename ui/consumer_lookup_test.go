package ui

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/client/mock/mocktest"
	"github.com/apideck-samples/vault-session/client/triage"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/store"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// demoLookups are Run's look-ups against the demo API on the tests'
// clock: its application demo-app is the README's.
func demoLookups(t *testing.T) consumerLookups {
	t.Helper()
	_, base := mocktest.Start(t, mock.WithFixedTime(fixedNow))
	c := client.New(client.WithBaseURL(base), client.WithRetryPolicy(client.NoRetry()))
	creds := func(req model.Request) client.Credentials {
		return client.Credentials{APIKey: "sk_test_key", AppID: req.AppID}
	}
	return consumerLookups{
		search: func(ctx context.Context, _ string, req model.Request, _ bool, text string) ([]client.Consumer, error) {
			return triage.FindConsumers(ctx, c, creds(req), text, maxSuggestions)
		},
		card: func(ctx context.Context, _ string, req model.Request, _ bool, id string) (triage.Card, error) {
			return triage.ReadCard(ctx, c, creds(req), id, fixedNow)
		},
	}
}

// lookupDue is the timer of the consumer ID's pause, which the harness
// never fires by itself: the test says when the typing has paused.
func (h *harness) lookupDue() {
	h.t.Helper()
	c := h.w.steps[h.w.credentials()].(*credentialsStep)
	h.send(consumerLookupDueMsg{seq: c.suggest.seq})
}

// Typing "glob" suggests globex-17 from the API, with its account and
// email; taking it fills the consumer card from the API's metadata.
func TestConsumerIDSuggestsFromTheAPI(t *testing.T) {
	st := testState(model.Request{AppID: mock.DemoAppID}, "")
	st.lookups = demoLookups(t)
	h := newHarness(t, st, nil)
	h.press("tab", "tab")
	h.typeText("glob")
	mustNotContain(t, h.view(), "globex-17") // nothing asked yet: the typing has not paused
	h.lookupDue()
	mustContain(t, h.view(), "▸ globex-17  Globex · hank@globex.example", "→ completes from the built-in demo API: globex-17")
	h.golden("consumer_suggest_api")
	h.press("right")
	if h.w.st.req.ConsumerID != mock.GlobexID {
		t.Fatalf("consumer ID %q", h.w.st.req.ConsumerID)
	}
	want := model.ConsumerMetadata{AccountName: "Globex", UserName: "Hank Scorpio", Email: "hank@globex.example"}
	if h.w.st.req.Session.ConsumerMetadata != want {
		t.Errorf("card %+v", h.w.st.req.Session.ConsumerMetadata)
	}
	mustContain(t, h.view(), "Consumer card filled from the built-in demo API (Globex · Hank Scorpio)")
	mustNotContain(t, h.view(), "▸ globex-17")
	h.press("enter")
	mustContain(t, h.view(), "Hank Scorpio", "hank@globex.example")
}

// A search matches the email as well as the ID's start; the history's
// consumers come first.
func TestConsumerIDSuggestionsHistoryFirst(t *testing.T) {
	s := testStore(t)
	e, _ := store.NewEntry(model.Request{AppID: mock.DemoAppID, ConsumerID: "hank-personal",
		Session: model.Session{ConsumerMetadata: model.ConsumerMetadata{AccountName: "Hank's", Email: "hank@home.example"}}},
		fixedNow, time.Time{}, "", "", true)
	if err := s.AppendHistory(e); err != nil {
		t.Fatal(err)
	}
	st := withMemory(t, testState(model.Request{AppID: mock.DemoAppID}, ""), s)
	st.lookups = demoLookups(t)
	h := newHarness(t, st, nil)
	h.press("tab", "tab")
	h.typeText("hank")
	h.lookupDue()
	view := h.view()
	first, second := strings.Index(view, "hank-personal"), strings.Index(view, "globex-17")
	if first < 0 || second < 0 || first > second || !strings.Contains(view, "(recent)") {
		t.Fatalf("the history's first, then the API's:\n%s", view)
	}
	h.press("ctrl+n", "right")
	if h.w.st.req.ConsumerID != mock.GlobexID || h.w.st.req.Session.ConsumerMetadata.AccountName != "Globex" {
		t.Errorf("took %q %+v", h.w.st.req.ConsumerID, h.w.st.req.Session.ConsumerMetadata)
	}
}

// A key press never waits for the API: typing asks nothing, a lookup runs
// off the event loop once the typing pauses, and the next key cancels it;
// its late answer is dropped.
func TestConsumerIDLookupCancelledByTheNextKey(t *testing.T) {
	var calls atomic.Int32
	started := make(chan context.Context, 1)
	st := testState(model.Request{AppID: "app"}, "")
	st.lookups.search = func(ctx context.Context, _ string, _ model.Request, _ bool, text string) ([]client.Consumer, error) {
		calls.Add(1)
		started <- ctx
		<-ctx.Done() // an API that never answers
		return nil, ctx.Err()
	}
	h := newHarness(t, st, nil)
	h.press("tab", "tab")
	h.typeText("acme")
	if calls.Load() != 0 {
		t.Fatalf("typing asked the API %d times", calls.Load())
	}
	c := h.w.steps[h.w.credentials()].(*credentialsStep)
	due := consumerLookupDueMsg{seq: c.suggest.seq}
	_, cmd := h.w.Update(due)
	answered := make(chan tea.Msg, 1)
	go func() { answered <- cmd() }()
	ctx := <-started
	start := time.Now()
	h.typeText("-")
	if time.Since(start) > time.Second {
		t.Error("a key waited for the lookup")
	}
	select {
	case <-ctx.Done():
	case <-time.After(2 * time.Second):
		t.Fatal("the next key did not cancel the lookup")
	}
	h.send(<-answered)
	mustNotContain(t, h.view(), "No suggestions") // cancelled, not failed
	if c.suggest.text != "acme-" {
		t.Errorf("the list is for %q", c.suggest.text)
	}
}

// An API error is one quiet line; the session goes on without it.
func TestConsumerIDLookupErrorIsOneQuietLine(t *testing.T) {
	st := testState(model.Request{AppID: "app"}, "")
	st.lookups.search = func(context.Context, string, model.Request, bool, string) ([]client.Consumer, error) {
		return nil, &client.APIError{StatusCode: 401, Message: "Unauthorized Request\x1b[2J", TypeName: "UnauthorizedError"}
	}
	h := newHarness(t, st, nil)
	h.press("tab", "tab")
	h.typeText("acme-1")
	h.lookupDue()
	mustContain(t, h.view(), "No suggestions from the API: 401 Unauthorized: Unauthorized Request\\x1b[2J (UnauthorizedError)")
	h.press("enter")
	if h.w.current != h.w.consumer() {
		t.Errorf("enter after a failed lookup: step %d", h.w.current)
	}
}

// The panel shows the connections with their health and the 48-hour
// window, the requests and the last failing calls; f prepares the session
// that fixes it, and enter on the Review creates it: accounting only,
// re-authorize allowed, and a message naming what to reconnect.
func TestConsumerPanelPreparesTheFix(t *testing.T) {
	s := testStore(t)
	st := withMemory(t, testState(model.Request{AppID: mock.DemoAppID, ConsumerID: mock.GlobexID,
		Session: model.Session{Settings: model.Settings{UnifiedAPIs: []string{"crm", "hris"}}}}, "sk_test_key"), s)
	st.lookups = demoLookups(t)
	var sent []model.Request
	h := newHarness(t, st, func(_ context.Context, _ string, req model.Request, _ bool) (client.Result, error) {
		sent = append(sent, req)
		return client.Result{URL: "https://vault.apideck.com/session/tok", ExpiresAt: fixedNow.Add(time.Hour)}, nil
	})
	if h.w.current != h.w.consumer() {
		t.Fatalf("step %d, want the Consumer step", h.w.current)
	}
	mustContain(t, h.view(), "ctrl+l consumer panel")
	h.press("ctrl+l")
	mustContain(t, h.view(), "Globex · globex-17", "credentials deleted in 18 h", "18 h of 48 h left", "401  QuickBooks")
	h.golden("consumer_panel")
	// At 80 columns the window's line wraps under itself, not under the
	// connection's name.
	h.send(tea.WindowSizeMsg{Width: 80, Height: 30})
	lines := strings.Split(ansi.Strip(h.view()), "\n")
	for i, l := range lines {
		if strings.Contains(l, "░] 18 h of 48 h left") {
			if i+1 == len(lines) || !strings.HasPrefix(lines[i+1], "    credentials") {
				t.Errorf("the window's line wraps to %q, want it under itself (4 spaces)", lines[i+1])
			}
		}
	}
	for _, width := range []int{80, 120} {
		h.send(tea.WindowSizeMsg{Width: width, Height: 30})
		requireFailingCallsLineUp(t, h.view(), width)
	}
	h.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	h.press("f")
	if h.w.screen != nil || h.w.current != h.w.review() {
		t.Fatalf("after f: screen %T, step %d", h.w.screen, h.w.current)
	}
	settings := h.w.st.req.Session.Settings
	if !slices.Equal(settings.UnifiedAPIs, []string{"accounting"}) || !slices.Equal(settings.AllowActions, []string{"reauthorize"}) {
		t.Errorf("settings %+v", settings)
	}
	mustContain(t, unwrapped(h.view()), "your QuickBooks connection needs you to sign in again")
	h.press("enter")
	if len(sent) != 1 || sent[0].ConsumerID != mock.GlobexID || sent[0].Session.ConsumerMetadata.UserName != "Hank Scorpio" {
		t.Fatalf("sent %+v", sent)
	}
	h.press("m")
	if len(h.copied) != 1 || !strings.HasPrefix(h.copied[0], "Hi Hank, your QuickBooks connection needs you to sign in again:\nhttps://vault.apideck.com/session/tok\n") {
		t.Errorf("message %q", h.copied)
	}
	// Session ready opens the panel too; esc comes back to it.
	h.press("ctrl+l")
	mustContain(t, h.view(), "Globex · globex-17")
	h.press("esc")
	if _, ok := h.w.screen.(*resultView); !ok {
		t.Errorf("esc from the panel: %T", h.w.screen)
	}
	// Logs can hold the customer's data: nothing of them is kept.
	assertNoSecretUnder(t, s, "invalid_grant", "/accounting/customers", "Token refresh failed")
}

// On a screen too short for the panel, it scrolls by the Review's keys,
// which its help offers, so the failing calls and what f prepares can be
// read; where it fits, nothing scrolls and no scrolling key is offered.
func TestConsumerPanelScrollsOnAShortScreen(t *testing.T) {
	st := testState(model.Request{AppID: mock.DemoAppID, ConsumerID: mock.GlobexID}, "sk_test_key")
	st.lookups = demoLookups(t)
	h := newHarness(t, st, nil)
	h.press("ctrl+l")
	mustNotContain(t, h.view(), "scroll")
	h.send(tea.WindowSizeMsg{Width: 60, Height: 20})
	mustContain(t, h.view(), "↓", "more", "scroll")
	mustNotContain(t, unwrapped(h.view()), "prepares the session that fixes it")
	h.press("end")
	view := unwrapped(h.view())
	mustContain(t, view, "prepares the session that fixes it", "↑")
	if n := strings.Count(view, " more"); n != 1 {
		t.Errorf("at the end, %d \"more\" markers, want the one above:\n%s", n, h.view())
	}
	h.press("home")
	mustContain(t, h.view(), "Globex · globex-17")
	p := h.w.screen.(*consumerPanel)
	for _, step := range []struct {
		key  string
		want int
	}{{"down", 1}, {"j", 2}, {"up", 1}, {"pgdown", min(p.window(&h.w.st), p.lines-p.window(&h.w.st))}, {"home", 0}} {
		h.press(step.key)
		if p.offset != step.want {
			t.Fatalf("after %s: offset %d, want %d", step.key, p.offset, step.want)
		}
	}
}

func TestConsumerPanelErrorAndBack(t *testing.T) {
	st := testState(model.Request{AppID: "app", ConsumerID: "nobody"}, "sk_test_key")
	st.lookups.card = func(context.Context, string, model.Request, bool, string) (triage.Card, error) {
		return triage.Card{}, errors.New("404 Not Found: Consumer not found")
	}
	h := newHarness(t, st, nil)
	h.press("ctrl+l")
	mustContain(t, unwrapped(h.view()), "Could not read it: 404 Not Found: Consumer not found", "Creating a session does not need it")
	mustNotContain(t, h.view(), "f prepare")
	h.press("f", "esc")
	if h.w.screen != nil || h.w.current != h.w.consumer() {
		t.Errorf("after esc: %T on step %d", h.w.screen, h.w.current)
	}
	// Without a consumer ID, or without an API to ask, there is no panel.
	st = testState(model.Request{AppID: "app", ConsumerID: "acme"}, "sk_test_key")
	h = newHarness(t, st, nil)
	mustNotContain(t, h.view(), "consumer panel")
	h.press("ctrl+l")
	if h.w.screen != nil {
		t.Errorf("a panel with nothing to read it from: %T", h.w.screen)
	}
}

// The plain prompts offer the same: the suggestions as a numbered list,
// the panel as lines, the fix as a numbered choice.
func TestAccessibleSuggestionsPanelAndFix(t *testing.T) {
	st := testState(model.Request{AppID: mock.DemoAppID}, "")
	st.lookups = demoLookups(t)
	// Credentials: key (demo), app ID kept, consumer ID "glob", take 1;
	// Consumer: show the panel (enter: yes, something needs attention),
	// 1 prepares the fix; then enter through the card and every step,
	// create, and no to every question after.
	input := "\n\nglob\n1\n\n1\n" + strings.Repeat("\n", 40)
	r := runLines(t, st, input, nil)
	if r.err != nil {
		t.Fatal(r.err)
	}
	for _, want := range []string{
		"Consumers matching \"glob\":", "1. globex-17: Globex · hank@globex.example",
		"Consumer ID \"globex-17\"; consumer card filled from the built-in demo API (Globex · Hank Scorpio).",
		"\"globex-17\" has connections needing attention: QuickBooks (credentials about to be deleted).",
		"Show the consumer panel (connections, requests, failing calls)? (y or n, enter for yes)",
		"QuickBooks", "credentials deleted in 18 h", "401  QuickBooks",
		"1. Prepare the session that fixes it: Accounting only, re-authorize allowed",
		"Prepared: unified APIs accounting, actions reauthorize",
		"\n  18 h of 48 h left before Vault deletes the credentials\n",
	} {
		if !strings.Contains(r.out, want) {
			t.Errorf("the prompts lack %q:\n%s", want, r.out)
		}
	}
	// A screen reader reads words, not a row of block glyphs.
	if strings.ContainsAny(r.out, "█░") {
		t.Errorf("the prompts draw the window's bar:\n%s", r.out)
	}
	if len(r.sent) != 1 || !slices.Equal(r.sent[0].Session.Settings.UnifiedAPIs, []string{"accounting"}) ||
		!slices.Equal(r.sent[0].Session.Settings.AllowActions, []string{"reauthorize"}) || r.sent[0].Session.ConsumerMetadata.UserName != "Hank Scorpio" {
		t.Errorf("sent %+v", r.sent)
	}
}

// requireFailingCallsLineUp fails unless the panel's failing calls are a
// table: the method, path, status, connector and message of every row
// start in the same column, and a row wider than the screen is cut in its
// message, the one column that is cut.
func requireFailingCallsLineUp(t *testing.T, screen string, width int, messages ...string) {
	t.Helper()
	lines := strings.Split(ansi.Strip(screen), "\n")
	var rows []string
	for i, l := range lines {
		if strings.TrimSpace(l) == "Last failing calls" {
			for _, r := range lines[i+1:] {
				if strings.TrimSpace(r) == "" {
					break
				}
				rows = append(rows, strings.TrimRight(r, " "))
			}
		}
	}
	if len(rows) < 2 {
		t.Fatalf("at %d columns, %d failing calls:\n%s", width, len(rows), screen)
	}
	// Where each cell starts: after the time ("Nov 26 06:37"), each cell
	// follows a run of two spaces or more.
	starts := func(row string) []int {
		var at []int
		runes := []rune(row)
		for i := 2; i < len(runes); i++ {
			if runes[i] != ' ' && runes[i-1] == ' ' && runes[i-2] == ' ' && i > 2+len("Nov 26 06:37") {
				at = append(at, i)
			}
		}
		return at
	}
	for i, m := range messages {
		if i >= len(rows) || !strings.Contains(rows[i], m[:min(len(m), 8)]) {
			t.Errorf("row %d lacks the start of its message %q:\n%s", i, m, strings.Join(rows, "\n"))
		}
	}
	want := starts(rows[0])
	if len(want) < 5 {
		t.Fatalf("at %d columns the first failing call has %d cells after the time, want 5: %q", width, len(want), rows[0])
	}
	for _, r := range rows {
		if got := starts(r); len(got) < 5 || !slices.Equal(got[:5], want[:5]) {
			t.Errorf("at %d columns the cells do not line up:\n%s", width, strings.Join(rows, "\n"))
			return
		}
		if w := ansi.StringWidth(r); w > width {
			t.Errorf("at %d columns a row is %d wide: %q", width, w, r)
		}
		if len(messages) == 0 && (!strings.HasSuffix(r, "…") || !strings.Contains(r, "Token refresh")) {
			t.Errorf("at %d columns the message is not the cut column: %q", width, r)
		}
	}
}

// TestFailingCallsLeaveTheMessageRoom: on a screen too narrow for a long
// path and connector, those two are cut in their columns, so every row
// still shows its message, starting in the same column; where they fit
// they are whole.
func TestFailingCallsLeaveTheMessageRoom(t *testing.T) {
	t.Parallel()
	longPath := "/crm/contacts/" + strings.Repeat("0123456789", 4)
	card := triage.Card{Consumer: client.Consumer{ConsumerID: "c-1"}, Failing: []client.Log{
		{Time: fixedNow, Method: "GET", Path: longPath, StatusCode: 500,
			Service: client.LogService{ID: "microsoft-dynamics-365-business-central"}, ErrorMessage: "Upstream timed out after 30 s waiting for the connector"},
		{Time: fixedNow.Add(-time.Hour), Method: "DELETE", Path: "/crm/leads/1", StatusCode: 404,
			Service: client.LogService{ID: "hubspot", Name: "HubSpot"}, ErrorMessage: "Not found"},
	}}
	st := testState(model.Request{ConsumerID: "c-1"}, "sk_test")
	p := newConsumerPanel("c-1", &st, nil, false, func() time.Time { return fixedNow })
	p.card = &card
	for _, width := range []int{80, 120, 160} {
		screen, _ := p.view(&st, width)
		requireFailingCallsLineUp(t, screen, width, "Upstream timed out", "Not found")
		if whole := strings.Contains(screen, longPath); whole != (width == 160) {
			t.Errorf("at %d columns the long path is whole: %t\n%s", width, whole, screen)
		}
	}
}
