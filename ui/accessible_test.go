package ui

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/store"
	"github.com/apideck-samples/vault-session/ui/clipboard"
	"github.com/apideck-samples/vault-session/ui/qrtext/qrtexttest"
	tea "github.com/charmbracelet/bubbletea"
)

// lineRun runs the plain-prompt wizard on typed lines and returns what it
// wrote, the request it sent and what it opened and copied.
type lineRun struct {
	out            string
	sent           []model.Request
	opened, copied []string
	outcome        Outcome
	err            error
	bells          int
}

func runLines(t *testing.T, st state, input string, create createFunc) lineRun {
	t.Helper()
	return runLinesWith(t, st, strings.NewReader(input), create, lineOptions{})
}

// lineOptions change a plain-prompt run: its context (Ctrl+C cancels it),
// its clock and the wait between watch polls.
type lineOptions struct {
	ctx   context.Context
	now   func() time.Time
	sleep func(context.Context, time.Duration) error
	// written sees each write to the terminal, as it happens.
	written func(p []byte)
}

// writerFunc is a function as an io.Writer.
type writerFunc func(p []byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func runLinesWith(t *testing.T, st state, in io.Reader, create createFunc, o lineOptions) lineRun {
	t.Helper()
	var r lineRun
	if create == nil {
		create = func(_ context.Context, _ string, req model.Request, _ bool) (client.Result, error) {
			r.sent = append(r.sent, req)
			return client.Result{URL: "https://vault.apideck.com/session/tok", ExpiresAt: fixedNow.Add(2 * time.Hour)}, nil
		}
	}
	fx := effects{
		openURL: func(u string) (string, error) { r.opened = append(r.opened, u); return "xdg-open", nil },
		copy: func(s string) clipboard.Report {
			r.copied = append(r.copied, s)
			return clipboard.Report{Terminal: true}
		},
		every: func(time.Duration, tea.Msg) tea.Cmd { return nil },
		ring:  func() { r.bells++ },
		sleep: o.sleep,
	}
	if o.ctx == nil {
		o.ctx = t.Context()
	}
	if o.now == nil {
		o.now = func() time.Time { return fixedNow }
	}
	w := newWizard(st, create, o.now, fx)
	var out bytes.Buffer
	var term io.Writer = &out
	if o.written != nil {
		term = writerFunc(func(p []byte) (int, error) { o.written(p); return out.Write(p) })
	}
	r.outcome, r.err = runAccessible(o.ctx, w, in, term, "test")
	r.out = out.String()
	if strings.Contains(r.out, "\x1b") {
		t.Errorf("the plain prompts wrote an escape sequence:\n%q", r.out)
	}
	return r
}

// TestAccessibleRunAsksEveryStepAndRefusesBadAnswers goes through every
// step as plain lines: each wrong answer is said and asked again, the
// contrast fixes are offered, and the session is created once.
func TestAccessibleRunAsksEveryStepAndRefusesBadAnswers(t *testing.T) {
	t.Parallel()
	input := strings.Join([]string{
		"", "", "app-1", "acme", // credentials: no key (demo); App ID required
		"Acme", "", "jane@", "jane@acme.example", "", "", // consumer
		"2, crm, telepathy", "2,crm", // unified APIs
		"9w", "2h", "", "y", "", "", "", "", "", "", // session: length, 8 booleans
		"1,9", "none", // actions
		"", "Acme", "#aaaaff", "#1f2937", "#1f2937", "", "", "", "", // theme: palette, 8 fields
		"", "n", // contrast: white text yes, button no
		"{bad", `{"plan":"pro"}`, // custom settings
		"y",                     // review
		"1", "2", "3", "q", "q", // what next: open, copy, copy a message, quit; quit again (a demo link is out)
	}, "\n") + "\n"
	r := runLines(t, testState(model.Request{}, ""), input, nil)
	if r.err != nil {
		t.Fatal(r.err)
	}
	mustContain(t, r.out,
		"Step 1 of 7: Credentials",
		"API key (hidden as you type; enter keeps none given, so the built-in demo API is used): ",
		"Error: App ID: ",
		`Error: Email: "jane@" is not an email address`,
		`"telepathy" is not a unified API id`,
		"Session length (use a number with m, h, d or w (e.g. 30m, 1h, 12h, 1d, 7d, 1w), at most 1 week; enter keeps Vault's default, 1h, - for Vault's default): ",
		"Sandbox mode: shows a banner saying the user is in a test environment. On or off?",
		`"9" is not`,
		"Primary colour (optional, #rrggbb, #rgb or a CSS name; enter leaves it empty): ",
		"Contrast, side panel text / background: 1.00:1, below the 4.5:1 needed.",
		"Use #ffffff instead (14.67:1)?",
		"Error: line 1",
		"It goes to the built-in demo API, not Apideck.",
		`"plan": "pro"`,
		"Vault session created for acme (Acme).\n",
		"Session URL: https://vault.apideck.com/session/tok",
		"Expires 2026-11-26 12:00 UTC (in 2h 00m).",
		"What next?\n1 open the link in the browser\n2 copy the link\n3 copy a message for the customer, with the link and when it expires\n"+
			"4 show the link as a QR code, for a phone to open\n5 show the session token on its own\n6 create a session for the next consumer, with the same theme and settings\nq quit\n",
		"What next? (1 to 6, q or enter to quit): Opened with xdg-open.",
		"The demo link stops working when vault-session ends: q again to quit, or run `vault-session demo-server`",
	)
	if len(r.sent) != 1 {
		t.Fatalf("%d requests sent, want 1", len(r.sent))
	}
	req := r.sent[0]
	s := req.Session
	if req.AppID != "app-1" || req.ConsumerID != "acme" || s.ConsumerMetadata.Email != "jane@acme.example" ||
		!reflect.DeepEqual(s.Settings.UnifiedAPIs, []string{"ats", "crm"}) || s.Settings.SessionLength != "2h" ||
		s.Settings.SandboxMode == nil || !*s.Settings.SandboxMode || s.Settings.ShowLogs != nil ||
		s.Settings.AllowActions == nil || len(s.Settings.AllowActions) != 0 ||
		s.Theme.SidepanelTextColor != "#ffffff" || s.Theme.PrimaryColor != "#aaaaff" ||
		!strings.Contains(string(s.CustomConsumerSettings), `"plan":"pro"`) {
		t.Errorf("request sent: %+v", req)
	}
	if !reflect.DeepEqual(r.opened, []string{"https://vault.apideck.com/session/tok"}) || len(r.copied) != 2 ||
		!strings.Contains(r.copied[1], "https://vault.apideck.com/session/tok") {
		t.Errorf("opened %q, copied %q", r.opened, r.copied)
	}
	if len(r.outcome.Sessions) != 1 || !r.outcome.Sessions[0].BuiltInDemo || r.outcome.Interrupted {
		t.Errorf("outcome %+v", r.outcome)
	}
}

// TestAccessibleGivenCredentialsAreNotAskedAgain: what flags and the
// environment gave is not asked twice; q leaves, keeping what was typed.
func TestAccessibleGivenCredentialsAreNotAskedAgain(t *testing.T) {
	t.Parallel()
	st := testState(model.Request{AppID: "app-1", ConsumerID: "acme"}, "sk_test_secret")
	r := runLines(t, st, "Acme\nq\n", nil)
	mustNotContain(t, r.out, "Step 1 of 7", "API key", "sk_test_secret")
	mustContain(t, r.out, "Step 2 of 7: Consumer")
	if len(r.sent) != 0 || r.outcome.Request.Session.ConsumerMetadata.AccountName != "Acme" {
		t.Errorf("after q: sent %d, request %+v", len(r.sent), r.outcome.Request)
	}
}

// TestAccessibleFailureIsReadOutAndFixed: a refused key is said in the
// API's words; enter goes to the step that fixes it, and the retry works.
func TestAccessibleFailureIsReadOutAndFixed(t *testing.T) {
	t.Parallel()
	calls := 0
	create := func(_ context.Context, apiKey string, _ model.Request, _ bool) (client.Result, error) {
		calls++
		if apiKey == "bad" {
			return client.Result{}, &client.APIError{StatusCode: 401, Message: "Unauthorized Request", TypeName: "UnauthorizedError"}
		}
		return client.Result{URL: "https://vault.apideck.com/session/ok"}, nil
	}
	st := testState(model.Request{AppID: "app-1", ConsumerID: "acme"}, "bad")
	answers := strings.Repeat("\n", 5+1+1+8+1+1+8+1) // consumer … custom settings
	answers += "y\n" + "\n" + "good\n\n\n" + "y\n" + "n\nn\nn\nn\nn\n"
	r := runLines(t, st, answers, create)
	mustContain(t, r.out, "The API refused the request: 401", "Nothing you typed is lost.",
		"change step 1 (enter)", "Session URL: https://vault.apideck.com/session/ok")
	if calls != 2 {
		t.Errorf("create called %d times, want 2\n%s", calls, r.out)
	}
}

// saveDraftAt keeps a draft in s as if it had been saved at t.
func saveDraftAt(t *testing.T, s *store.Store, at time.Time, d store.Draft) {
	t.Helper()
	if err := s.WithClock(func() time.Time { return at }).SaveDraft(d); err != nil {
		t.Fatal(err)
	}
}

// TestAccessibleResumesADraftWhereItWasLeft: a draft left on the Theme
// step is offered at the start; enter resumes it, the questions start at
// the Theme step, every earlier value is kept and sent, and the draft goes
// once the session exists.
func TestAccessibleResumesADraftWhereItWasLeft(t *testing.T) {
	t.Parallel()
	s := testStore(t)
	var d store.Draft
	d.ConsumerID, d.AppID, d.Step = "globex-17", "app-1", "Theme"
	d.Session.ConsumerMetadata.AccountName = "Globex"
	d.Session.Settings.UnifiedAPIs = []string{"crm", "ats", "hris"}
	d.Session.Settings.SessionLength = "2h"
	saveDraftAt(t, s, fixedNow.Add(-12*time.Minute), d)

	answers := "\n" + // resume
		strings.Repeat("\n", 1+8) + "\n" + // theme: palette, 8 fields; custom settings
		"\n" + "y\n" + // review: no preset, create
		"n\nn\nn\nn\nn\n"
	r := runLines(t, withMemory(t, testState(model.Request{}, ""), s), answers, nil)
	if r.err != nil {
		t.Fatal(r.err)
	}
	mustContain(t, r.out,
		"It opens on the Theme step, with every value as it was left.",
		"Resume the unfinished session for globex-17 (Globex, 3 APIs, 12 min ago)? [enter] resume, n start fresh, d discard: ",
		"Resumed the session for globex-17 at step 5, Theme",
		"Step 5 of 7: Theme",
	)
	mustNotContain(t, r.out, "Step 1 of 7", "Step 2 of 7", "Step 4 of 7")
	if len(r.sent) != 1 {
		t.Fatalf("%d requests sent\n%s", len(r.sent), r.out)
	}
	got := r.sent[0]
	if got.AppID != "app-1" || got.ConsumerID != "globex-17" || got.Session.ConsumerMetadata.AccountName != "Globex" ||
		!reflect.DeepEqual(got.Session.Settings.UnifiedAPIs, []string{"crm", "ats", "hris"}) || got.Session.Settings.SessionLength != "2h" {
		t.Errorf("sent %+v", got)
	}
	if left := draftsOf(t, s); len(left) != 0 {
		t.Errorf("the draft outlived its session: %+v", left)
	}
}

// TestAccessibleDiscardsAndStartsFresh: with two drafts both are listed;
// d2 deletes the second one's file, n starts at the first step, and q
// there keeps the first draft untouched.
func TestAccessibleDiscardsAndStartsFresh(t *testing.T) {
	t.Parallel()
	s := testStore(t)
	for i, id := range []string{"globex-17", "initech"} {
		var d store.Draft
		d.ConsumerID, d.AppID, d.Step = id, "app-1", "Session"
		saveDraftAt(t, s, fixedNow.Add(-time.Duration(i+1)*time.Hour), d)
	}
	r := runLines(t, withMemory(t, testState(model.Request{}, ""), s), "d3\nd2\nn\nq\n", nil)
	mustContain(t, r.out,
		"Unfinished sessions:",
		"1 globex-17 (all APIs, 1 h ago), left on the Session step",
		"2 initech (all APIs, 2 h ago), left on the Session step",
		"Please type d alone, or d and a number from 1 to 2.",
		"Discarded the draft for initech (all APIs, 2 h ago).",
		"Resume the unfinished session for globex-17 (all APIs, 1 h ago)? [enter] resume, n start fresh, d discard: ",
		"Step 1 of 7: Credentials",
	)
	left := draftsOf(t, s)
	if len(left) != 1 || left[0].ConsumerID != "globex-17" || r.outcome.DraftSaved {
		t.Errorf("drafts left %+v, a new one saved: %v", left, r.outcome.DraftSaved)
	}
}

// TestAccessibleDraftRemembersTheStepLeft: q on the Theme step keeps a
// draft that resumes on the Theme step, as the full-screen wizard's would.
func TestAccessibleDraftRemembersTheStepLeft(t *testing.T) {
	t.Parallel()
	s := testStore(t)
	st := withMemory(t, testState(model.Request{AppID: "app-1", ConsumerID: "acme"}, "sk_test_secret"), s)
	answers := "Acme\n" + strings.Repeat("\n", 4+1+1+8+1) + "q\n" // consumer, APIs, session; q at the palette
	r := runLines(t, st, answers, nil)
	mustContain(t, r.out, "Step 5 of 7: Theme")
	left := draftsOf(t, s)
	if !r.outcome.DraftSaved || len(left) != 1 || left[0].Step != "Theme" || left[0].Session.ConsumerMetadata.AccountName != "Acme" {
		t.Fatalf("draft %+v (saved %v)\n%s", left, r.outcome.DraftSaved, r.out)
	}
	if strings.Contains(fmt.Sprint(left[0]), "sk_test_secret") {
		t.Error("the draft holds the key")
	}
}

// savePreset keeps a preset in s.
func savePreset(t *testing.T, s *store.Store, name string, session model.Session) string {
	t.Helper()
	path, err := s.SavePreset(name, session)
	if err != nil {
		t.Fatal(err)
	}
	return path
}

// TestAccessiblePresetsPickedAndSaved: after the typed credentials the
// presets are listed by number; a name that matches nothing is said, a
// part of a name picks the one it matches, and its settings and theme are
// what enter keeps and what is sent. On the review the theme and settings
// are saved as a new preset (a bad name refused, an existing one not
// replaced without a yes), without the consumer card, and the history
// records the session as made from it.
func TestAccessiblePresetsPickedAndSaved(t *testing.T) {
	t.Parallel()
	s := testStore(t)
	var brand model.Session
	brand.Settings.UnifiedAPIs = []string{"crm"}
	brand.Settings.SessionLength = "30m"
	brand.Theme.VaultName = "Acme Vault"
	brandPath := savePreset(t, s, "acme-brand", brand)
	var other model.Session
	other.Settings.UnifiedAPIs = []string{"hris", "ats"}
	savePreset(t, s, "globex", other)

	answers := strings.Join([]string{
		"", "", "app-1", "acme", // credentials
		"zzz", "acme", // presets
		"Acme", "", "", "", "", // consumer
		"",                                     // unified APIs: keeps the preset's
		"", "", "", "", "", "", "", "", "", "", // session
		"", "", "", "", "", "", "", "", "", // theme: palette, 8 fields
		"",                                          // custom settings
		"bad name!", "acme-brand", "n", "acme-copy", // save as a preset
		"y", // create
		"q", // what next: quit
	}, "\n") + "\n"
	r := runLines(t, withMemory(t, testState(model.Request{}, ""), s), answers, nil)
	if r.err != nil {
		t.Fatal(r.err)
	}
	mustContain(t, r.out,
		"Start from a preset? A preset fills the theme and settings; what --from and flags set stays on top.",
		"0 none: start from what is already set",
		"1 acme-brand: crm, Acme Vault",
		"2 globex: hris, ats",
		"Preset: type its number (0 to 2) or name; enter keeps none: ",
		`No preset matches "zzz": type a number from the list.`,
		"Preset acme-brand: its theme and settings are filled in",
		"Unified APIs: type numbers or ids separated by commas, or all; enter keeps crm: ",
		`enter keeps "30m"`,
		"Save these theme and settings as a preset (the consumer card is left out)? Type a name, or press enter to skip: ",
		`Error: preset name "bad name!": use letters, digits, '.', '-' and '_' only.`,
		`A preset named "acme-brand" is at `+brandPath+`. Replace it? (y or n, enter for no): `,
		"Saved as preset acme-copy: ",
		"(use it with --preset acme-copy).",
	)
	if strings.Index(r.out, "Start from a preset?") > strings.Index(r.out, "Step 2 of 7") ||
		strings.Index(r.out, "Start from a preset?") < strings.Index(r.out, "Step 1 of 7") {
		t.Error("the presets were not offered between the credentials and the consumer")
	}
	if len(r.sent) != 1 {
		t.Fatalf("%d sent\n%s", len(r.sent), r.out)
	}
	got := r.sent[0].Session
	if !reflect.DeepEqual(got.Settings.UnifiedAPIs, []string{"crm"}) || got.Settings.SessionLength != "30m" ||
		got.Theme.VaultName != "Acme Vault" || got.ConsumerMetadata.AccountName != "Acme" {
		t.Errorf("sent %+v", got)
	}
	copied, err := s.FindPreset("acme-copy")
	if err != nil {
		t.Fatal(err)
	}
	if copied.Session.Theme.VaultName != "Acme Vault" || copied.Session.Settings.SessionLength != "30m" ||
		copied.Session.ConsumerMetadata.AccountName != "" {
		t.Errorf("saved preset %+v", copied.Session)
	}
	if kept, _ := s.FindPreset("acme-brand"); !reflect.DeepEqual(kept.Session.Settings, brand.Settings) {
		t.Errorf("acme-brand was changed: %+v", kept.Session)
	}
	entries := historyOf(s)
	if len(entries) != 1 || entries[0].Preset != "acme-copy" {
		t.Errorf("history %+v", entries)
	}
}

// TestAccessiblePresetsOfferedFirstWhenCredentialsGiven: with the
// credentials given the presets are the first question; enter keeps none
// and applies nothing, and they are not offered again.
func TestAccessiblePresetsOfferedFirstWhenCredentialsGiven(t *testing.T) {
	t.Parallel()
	s := testStore(t)
	var brand model.Session
	brand.Theme.VaultName = "Acme Vault"
	savePreset(t, s, "acme-brand", brand)
	st := withMemory(t, testState(model.Request{AppID: "app-1", ConsumerID: "acme"}, "sk_test_key"), s)
	r := runLines(t, st, "\nAcme\nq\n", nil)
	mustContain(t, r.out, "1 acme-brand: all APIs, Acme Vault", "Step 2 of 7: Consumer")
	if strings.Index(r.out, "Start from a preset?") > strings.Index(r.out, "Step 2 of 7") || strings.Count(r.out, "Start from a preset?") != 1 {
		t.Errorf("the presets were not asked once, first:\n%s", r.out)
	}
	if r.outcome.Request.Session.Theme.VaultName != "" || r.outcome.Request.Session.ConsumerMetadata.AccountName != "Acme" {
		t.Errorf("request %+v", r.outcome.Request.Session)
	}
}

// lineWatchRig is a plain-prompt run for acme (CRM and HRIS) whose
// connections come from the mock API on a test clock: each wait between
// polls moves the clock instead of sleeping, and once the journey is over
// (15 s) the wait holds until the watch stops, and settled is closed.
type lineWatchRig struct {
	watchedAPI
	st      state
	settled chan struct{}
	opts    lineOptions
}

func newLineWatchRig(t *testing.T) *lineWatchRig {
	t.Helper()
	r := &lineWatchRig{settled: make(chan struct{})}
	r.watchedAPI, r.st = newWatchedAPI(t, "")
	var once sync.Once
	r.opts = lineOptions{now: r.clock.Now, sleep: func(ctx context.Context, d time.Duration) error {
		if !r.clock.Now().Before(fixedNow.Add(15 * time.Second)) {
			once.Do(func() { close(r.settled) })
			<-ctx.Done()
			return ctx.Err()
		}
		r.clock.Advance(d)
		return nil
	}}
	// The journey of TestWatchScreenFollowsAJourney.
	r.scriptJourney()
	return r
}

// untilWatching is every answer up to watching the customer's connections,
// 6 of "What next?": the steps kept as they are, the session created.
const untilWatching = "Acme\n" + "\n\n\n\n" + "\n" + "\n\n\n\n\n\n\n\n\n\n" + "\n\n\n\n\n\n\n\n\n" + "\n" + "y\n" + "6\n"

// run answers untilWatching, then once the journey is over the lines of
// after, as a person would type them while the changes come in. With
// nothing after, the input stays open, as a person who types nothing.
func (r *lineWatchRig) run(t *testing.T, after string) lineRun {
	t.Helper()
	in, typed := io.Pipe()
	t.Cleanup(func() { typed.Close() })
	go func() {
		if after != "" {
			defer typed.Close()
		}
		if _, err := io.WriteString(typed, untilWatching); err != nil {
			return
		}
		select {
		case <-r.settled:
		case <-time.After(10 * time.Second): // the run failed another way; let it end
		}
		_, _ = io.WriteString(typed, after)
	}()
	return runLinesWith(t, r.st, in, nil, r.opts)
}

// TestAccessibleWatchPrintsEachChange: y to the watch question prints the
// connections of the session's APIs as they stand, then each change as one
// line in the watch screen's words, rings the bell once when Salesforce
// becomes callable, and stops on q; the next question follows.
func TestAccessibleWatchPrintsEachChange(t *testing.T) {
	t.Parallel()
	r := newLineWatchRig(t)
	run := r.run(t, "later\nq\nq\n")
	if run.err != nil {
		t.Fatal(run.err)
	}
	mustContain(t, run.out,
		"6 watch the customer's connections\n",
		"Watching the connections of acme (Acme), the session's unified APIs: CRM, HRIS. Polling every 5s; each change is one line.",
		"\n10:00:00 Salesforce (CRM): added, health needs_auth\n10:00:00 BambooHR (HRIS): callable, health ok\n"+
			"10:00:10 Salesforce (CRM): added → authorized, health needs_auth → ok\n"+
			"10:00:15 Salesforce (CRM): authorized → callable\n",
		"Press enter or q to stop watching.\nStopped watching.\nWhat next? (1 to 7",
	)
	mustNotContain(t, run.out, "Xero", "\a")
	if run.bells != 1 || run.outcome.Interrupted {
		t.Errorf("%d bells, interrupted %v; want 1 bell", run.bells, run.outcome.Interrupted)
	}
}

// TestAccessibleWatchNoBellAndCtrlC: --no-bell rings nothing, and Ctrl+C
// while watching leaves at once, as an interruption (exit 130).
func TestAccessibleWatchNoBellAndCtrlC(t *testing.T) {
	t.Parallel()
	r := newLineWatchRig(t)
	r.st.noBell = true
	ctx, interrupt := context.WithCancel(t.Context())
	r.opts.ctx = ctx
	go func() { <-r.settled; interrupt() }()
	run := r.run(t, "")
	if run.err != nil {
		t.Fatal(run.err)
	}
	mustContain(t, run.out, "10:00:15 Salesforce (CRM): authorized → callable")
	mustNotContain(t, run.out, "Stopped watching.")
	if n := strings.Count(run.out, "What next? (1 to 7"); n != 1 {
		t.Errorf("What next? asked %d times, want once: none after Ctrl+C", n)
	}
	if run.bells != 0 || !run.outcome.Interrupted || len(run.outcome.Sessions) != 1 {
		t.Errorf("%d bells, interrupted %v, %d sessions", run.bells, run.outcome.Interrupted, len(run.outcome.Sessions))
	}
}

// TestAccessibleWatchStopsOnARefusal: a failure polling can wait out is
// said with the wait (doubled); an error it cannot fix is said once and
// the watch waits for enter, polling no more.
func TestAccessibleWatchStopsOnARefusal(t *testing.T) {
	t.Parallel()
	r := newLineWatchRig(t)
	polls := 0
	r.st.listConnections = func(context.Context, string, model.Request, bool) ([]client.Connection, error) {
		polls++
		if polls == 1 {
			return nil, &client.APIError{StatusCode: 503, Message: "Service Unavailable"}
		}
		return nil, &client.APIError{StatusCode: 401, Message: "Unauthorized \x1b[2JRequest", TypeName: "UnauthorizedError"}
	}
	stopped := make(chan struct{})
	r.opts.written = func(p []byte) {
		if strings.Contains(string(p), "Press enter to go on.") {
			close(stopped)
		}
	}
	in, typed := io.Pipe()
	go func() {
		defer typed.Close()
		if _, err := io.WriteString(typed, untilWatching); err == nil {
			<-stopped
			_, _ = io.WriteString(typed, "\nq\n")
		}
	}()
	run := runLinesWith(t, r.st, in, nil, r.opts)
	mustContain(t, run.out,
		"Poll failed (1 in a row): 503 Service Unavailable: Service Unavailable; next poll in 10s.\n",
		"Polling stopped: 401 Unauthorized",
		"Press enter to go on.\nStopped watching.\nWhat next? (1 to 7")
	if polls != 2 {
		t.Errorf("%d polls, want 2: none after the 401", polls)
	}
}

// The plain prompts say when the API gave another length than the one
// asked for, in the result screen's words (client.Result.ExpiryNote).
func TestAccessibleSaysWhenTheAPIGaveAnotherLength(t *testing.T) {
	t.Parallel()
	st := testState(model.Request{AppID: "app-1", ConsumerID: "acme"}, "sk_test_secret")
	st.req.Session.Settings.SessionLength = "7d"
	create := func(context.Context, string, model.Request, bool) (client.Result, error) {
		return client.Result{URL: "https://vault.apideck.com/session/tok", ExpiresAt: fixedNow.Add(time.Hour),
			IssuedAt: fixedNow, ExpiryFromToken: true}, nil
	}
	// Every step as it is, the Review sent, then enter to whatever follows.
	r := runLines(t, st, "Acme\n"+"\n\n\n\n"+"\n"+"\n\n\n\n\n\n\n\n\n\n"+"\n\n\n\n\n\n\n\n\n"+"\n"+"y\n"+strings.Repeat("\n", 12), create)
	mustContain(t, r.out, "Expires 2026-11-26 11:00 UTC (in 1h 00m).\nNote: asked 7d, the API gave 1h.\n")
}

// The plain prompts say which demo API made the session, as the screen's
// DEMO badge does: a demo-server's page outlives vault-session, the built-in
// demo's does not.
func TestAccessibleSaysWhichDemoMadeTheSession(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		builtIn bool
		want    string
	}{
		{true, "Made by the built-in demo API, not Apideck: its page is served only while vault-session runs.\n"},
		{false, "Made by a demo API (vault-session demo-server), not Apideck: it works while that server runs.\n"},
	} {
		st := testState(model.Request{AppID: "app-1", ConsumerID: "acme"}, "sk_test_secret")
		create := func(context.Context, string, model.Request, bool) (client.Result, error) {
			return client.Result{URL: "http://127.0.0.1:8080/session/tok", ExpiresAt: fixedNow.Add(time.Hour), Demo: true}, nil
		}
		if c.builtIn {
			st.forceDemo = true
		}
		r := runLines(t, st, "Acme\n"+"\n\n\n\n"+"\n"+"\n\n\n\n\n\n\n\n\n\n"+"\n\n\n\n\n\n\n\n\n"+"\n"+"y\n"+strings.Repeat("\n", 12), create)
		mustContain(t, r.out, c.want)
	}
}

// "What next?" offers the link as a QR code: printed between the lines,
// drawn for the terminal's background, it decodes to the URL; a demo link
// shown so counts as handed out (q asks once more).
func TestAccessibleQRCodeOnRequest(t *testing.T) {
	t.Parallel()
	qrtexttest.NeedZbar(t)
	for _, dark := range []bool{false, true} {
		st := testState(model.Request{}, "")
		st.darkBackground = dark
		input := strings.Join([]string{
			"", "", "app-1", "acme", // credentials: no key, the built-in demo API
			"Acme", "", "", "", "", // consumer
			"", "", "", "", "", "", "", "", "", "", "", // unified APIs, session
			"", "", "", "", "", "", "", "", "", // theme
			"",            // custom settings
			"y",           // review
			"4", "q", "q", // what next: the QR code, quit; quit again (a demo link is out)
		}, "\n") + "\n"
		r := runLines(t, st, input, nil)
		if r.err != nil {
			t.Fatal(r.err)
		}
		term := qrtexttest.LightTerminal
		if dark {
			term = qrtexttest.DarkTerminal
		}
		_, after, _ := strings.Cut(r.out, "What next? (1 to 6, q or enter to quit): ")
		code, _, _ := strings.Cut(after, qrCaption)
		if got := qrtexttest.Decode(t, code, term); got != "https://vault.apideck.com/session/tok" {
			t.Errorf("dark %v: the code printed reads %q:\n%s", dark, got, r.out)
		}
		mustContain(t, r.out, qrCaption, "The demo link stops working when vault-session ends")
	}
}

// TestAccessibleQLeavesFromEveryQuestion answers q to each question of a
// walk through the steps in turn, with enter to everything before and
// after it: the plain prompts end there every time, and nothing is sent.
func TestAccessibleQLeavesFromEveryQuestion(t *testing.T) {
	t.Parallel()
	st := testState(model.Request{AppID: "app-1", ConsumerID: "acme"}, "sk_test_secret")
	questions := 0 // the enters it takes to create: one a question
	for ; questions < 100 && len(runLines(t, st, strings.Repeat("\n", questions), nil).sent) == 0; questions++ {
	}
	if questions < 10 || questions == 100 {
		t.Fatalf("enter to every question created after %d of them", questions)
	}
	for n := range questions {
		r := runLines(t, st, strings.Repeat("\n", n)+"q\n"+strings.Repeat("\n", questions), nil)
		if r.err != nil || len(r.sent) != 0 {
			t.Errorf("q at question %d did not leave (err %v, sent %d):\n%s", n+1, r.err, len(r.sent), r.out)
		}
	}
}
