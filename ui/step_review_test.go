package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

const testAPIKey = "sk_test_SECRET"

// fullRequest sets every part of the request.
func fullRequest() model.Request {
	return model.Request{
		AppID:      "dSBdXd2H6Mqwfg0atXHXYcysLJE9qyn1VwBtXHX",
		ConsumerID: "test-consumer",
		Session: model.Session{
			ConsumerMetadata: model.ConsumerMetadata{
				AccountName: "SpaceX",
				UserName:    "Elon Musk",
				Email:       "elon@musk.com",
				Image:       "https://www.spacex.com/static/images/share.jpg",
			},
			RedirectURI: "https://mysaas.com/dashboard",
			Settings: model.Settings{
				UnifiedAPIs:   []string{"accounting", "crm", "hris"},
				SessionLength: "30m",
				SandboxMode:   model.Bool(true),
				ShowLogs:      model.Bool(false),
				AllowActions:  []string{"delete", "disconnect"},
			},
			Theme: model.Theme{
				VaultName:                "Acme Vault",
				PrimaryColor:             "navy",
				SidepanelBackgroundColor: "#fff",
				SidepanelTextColor:       "#1f2937",
				Logo:                     "https://acme.com/logo.png",
				Favicon:                  "https://acme.com/favicon.ico",
				PrivacyURL:               "https://acme.com/privacy",
				TermsURL:                 "https://acme.com/terms?a=1&b=2",
			},
			CustomConsumerSettings: json.RawMessage(`{"plan":"pro","seats":25}`),
		},
	}
}

// createCall is what a fake createFunc was given.
type createCall struct {
	apiKey string
	req    model.Request
	demo   bool
}

// capturingCreate records every call and answers with a session.
func capturingCreate(calls *[]createCall) createFunc {
	return func(_ context.Context, apiKey string, req model.Request, demo bool) (client.Result, error) {
		*calls = append(*calls, createCall{apiKey, req, demo})
		return client.Result{URL: "https://vault.apideck.com/session/abc", Token: "tok"}, nil
	}
}

// openReview starts a wizard on the review.
func openReview(t *testing.T, req model.Request, apiKey string, create createFunc) *harness {
	t.Helper()
	h := newHarness(t, testState(req, apiKey), create)
	h.w.goTo(stepReview)
	return h
}

func reviewOf(h *harness) *reviewStep { return h.w.steps[h.w.review()].(*reviewStep) }

// page is the whole review, uncropped.
func (h *harness) reviewPage() string {
	h.t.Helper()
	h.view()
	return reviewOf(h).body
}

// describe is what the client says it will send for the harness's state.
func describe(t *testing.T, st state) client.DescribedRequest {
	t.Helper()
	d, err := client.New(client.WithBaseURL("https://unify.apideck.com")).Describe(
		client.Credentials{APIKey: st.apiKey, AppID: st.req.AppID, ConsumerID: st.req.ConsumerID}, st.req.Session)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestReviewFullSession(t *testing.T) {
	t.Parallel()
	h := openReview(t, fullRequest(), testAPIKey, nil)
	h.golden("review_full_top")
	top := h.view()
	mustContain(t, top, "7/7 Review", "[1] Credentials", "set (hidden)", "[2] Consumer", "SpaceX",
		"Accounting, CRM, HRIS (3 of 28)", "enter create session", "1-6 edit step")
	mustNotContain(t, top, "DEMO", "(demo)", "stops the session")

	h.press("end", "pgup")
	h.golden("review_full_curl")
	bottom := h.view()
	mustContain(t, bottom, "--header 'x-apideck-consumer-id: test-consumer'", `"Authorization: Bearer ${APIDECK_API_KEY}"`)
	if bottom == top {
		t.Fatal("end did not scroll")
	}
}

func TestReviewShowsExactlyTheBodyTheClientSends(t *testing.T) {
	t.Parallel()
	h := openReview(t, fullRequest(), testAPIKey, nil)
	d := describe(t, h.w.st)
	page := h.reviewPage()

	// The body, line for line, as Describe renders it.
	if !strings.Contains(page, indent(string(d.Body), 6)) {
		t.Fatalf("review lacks the described body:\n%s\n--- page:\n%s", d.Body, page)
	}
	if !strings.Contains(page, indent(d.Curl(), 6)) {
		t.Fatalf("review lacks the curl command:\n%s", d.Curl())
	}
	mustContain(t, page, "POST https://unify.apideck.com/vault/sessions")

	// And that body holds the same values Create sends compactly.
	var compact bytes.Buffer
	if err := json.Compact(&compact, d.Body); err != nil {
		t.Fatal(err)
	}
	var sent bytes.Buffer
	enc := json.NewEncoder(&sent)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(h.w.st.req.Session.Normalized()); err != nil {
		t.Fatal(err)
	}
	if compact.String() != strings.TrimSpace(sent.String()) {
		t.Fatalf("shown body %s\n!= sent body %s", compact.String(), sent.String())
	}
	// Normalized values show: the colour name as hex, the URL unescaped.
	mustContain(t, page, `"primary_color": "#000080"`, `"terms_url": "https://acme.com/terms?a=1&b=2"`, "navy (#000080)")
}

func TestReviewFollowsEdits(t *testing.T) {
	t.Parallel()
	h := openReview(t, fullRequest(), testAPIKey, nil)
	h.press("2") // consumer; the account name has the focus
	if h.w.current != 1 {
		t.Fatalf("2 opened step %d", h.w.current)
	}
	h.typeText(" Corp")
	// Enter walks the form; on its last field it goes on, to the review.
	h.press("enter", "enter", "enter", "enter", "enter")
	if h.w.current != stepReview {
		t.Fatalf("enter from the consumer step: current = %d, want the review", h.w.current)
	}
	page := h.reviewPage()
	mustContain(t, page, "SpaceX Corp", `"account_name": "SpaceX Corp"`)
	if !strings.Contains(page, indent(string(describe(t, h.w.st).Body), 6)) {
		t.Fatal("the body shown is not the one for the edited request")
	}
}

func TestReviewDemoMode(t *testing.T) {
	t.Parallel()
	req := basicRequest()
	req.Session.ConsumerMetadata.AccountName = "Acme"
	h := openReview(t, req, "", nil)
	h.press("end")
	h.golden("review_demo")
	page := h.reviewPage()
	mustContain(t, page, "none: demo API", "POST https://unify.apideck.com/vault/sessions (demo)")
	mustContain(t, h.view(), "DEMO API")

	// --demo with a key: the key is set but not used.
	st := testState(req, testAPIKey)
	st.forceDemo = true
	h = newHarness(t, st, nil)
	h.w.goTo(stepReview)
	mustContain(t, h.reviewPage(), "set (hidden), but --demo sends the request to the demo API", "(demo)")
}

func TestReviewValidationErrors(t *testing.T) {
	t.Parallel()
	req := fullRequest()
	req.Session.ConsumerMetadata.Email = "not-an-email"
	req.Session.Settings.UnifiedAPIs = []string{"crm", "nope"}
	req.Session.Settings.SessionLength = "9w"
	req.Session.Theme.PrimaryColor = "blurple"
	var calls []createCall
	h := openReview(t, req, testAPIKey, capturingCreate(&calls))
	h.golden("review_errors")
	screen := h.view()
	mustContain(t, screen, "✗ 4 problems stop the session",
		"[2] Consumer › consumer_metadata.email:",
		"[3] Unified APIs › settings.unified_apis[1]:",
		"[4] Session › settings.session_length:",
		"[5] Theme › theme.primary_color:")
	// Every problem the model finds is listed, in its order.
	page := h.reviewPage()
	last := -1
	for _, e := range req.Validate() {
		i := strings.Index(page, e.Path+": "+e.Message[:min(len(e.Message), 30)])
		if i < 0 {
			t.Fatalf("problem %v not listed", e)
		}
		if i < last {
			t.Fatalf("problem %v out of order", e)
		}
		last = i
	}

	// Enter sends nothing: it opens the first step with a problem.
	h.press("enter")
	if len(calls) != 0 {
		t.Fatalf("created despite problems: %+v", calls)
	}
	if h.w.current != 1 {
		t.Fatalf("enter with problems opened step %d, want the consumer step", h.w.current)
	}
	mustContain(t, h.view(), "is not an email address")
}

func TestReviewJumpKeysOpenEachStepAndComeBack(t *testing.T) {
	t.Parallel()
	want := fullRequest()
	h := openReview(t, fullRequest(), testAPIKey, nil)
	page := h.reviewPage()
	for n := 1; n <= stepReview; n++ {
		title := h.w.steps[n-1].title()
		mustContain(t, page, fmt.Sprintf("[%d] %s", n, title))
		h.press(fmt.Sprint(n))
		if h.w.current != n-1 {
			t.Fatalf("key %d opened step %d", n, h.w.current)
		}
		mustContain(t, h.view(), fmt.Sprintf("%d/7 %s", n, title))
		mustNotContain(t, h.view(), testAPIKey, "SECRET")
		// Going on from the step, however the step spells it, returns.
		h.send(nextStepMsg{})
		if h.w.current != stepReview {
			t.Fatalf("going on from step %d: current = %d, want the review", n, h.w.current)
		}
		if !reflect.DeepEqual(h.w.st.req, want) || h.w.st.apiKey != testAPIKey {
			t.Fatalf("a visit to step %d changed the request:\n%+v\nwant\n%+v", n, h.w.st.req, want)
		}
	}
	// Esc from a jumped step comes back too.
	h.press("4", "esc")
	if h.w.current != stepReview {
		t.Fatalf("esc from a jumped step: current = %d", h.w.current)
	}
	// Keys that name no step do nothing.
	h.press("7", "0")
	if h.w.current != stepReview {
		t.Fatalf("7/0 moved to step %d", h.w.current)
	}
}

func TestReviewEnterCreatesTheExactRequest(t *testing.T) {
	t.Parallel()
	var calls []createCall
	h := openReview(t, fullRequest(), testAPIKey, capturingCreate(&calls))
	h.press("enter")
	if len(calls) != 1 {
		t.Fatalf("create called %d times", len(calls))
	}
	got := calls[0]
	if !reflect.DeepEqual(got.req, fullRequest()) {
		t.Fatalf("create got\n%+v\nwant\n%+v", got.req, fullRequest())
	}
	if got.apiKey != testAPIKey || got.demo {
		t.Fatalf("create got the key right: %v, demo %v", got.apiKey == testAPIKey, got.demo)
	}
	if h.w.phase() != phaseResult {
		t.Fatalf("phase = %v after a created session", h.w.phase())
	}
}

func TestReviewEnterInDemoModeSaysDemo(t *testing.T) {
	t.Parallel()
	var calls []createCall
	h := openReview(t, basicRequest(), "", capturingCreate(&calls))
	h.press("enter")
	if len(calls) != 1 || !calls[0].demo || calls[0].apiKey != "" {
		t.Fatalf("calls = %+v, want one demo call without a key", calls)
	}
}

func TestReviewNeverShowsTheAPIKey(t *testing.T) {
	t.Parallel()
	h := openReview(t, fullRequest(), testAPIKey, nil)
	check := func(where string) {
		t.Helper()
		if s := h.view(); strings.Contains(s, testAPIKey) || strings.Contains(s, "SECRET") {
			t.Fatalf("%s shows the API key:\n%s", where, s)
		}
	}
	page := h.reviewPage()
	if strings.Contains(page, "SECRET") {
		t.Fatal("the review page holds the API key")
	}
	// Every scroll position, line by line, to the end and back.
	for i := 0; i < len(reviewOf(h).drawn); i++ {
		check(fmt.Sprintf("line %d", i))
		h.press("down")
	}
	h.press("pgup", "pgup", "home")
	check("top")
	for n := 1; n <= stepReview; n++ {
		h.press(fmt.Sprint(n))
		check(fmt.Sprintf("step %d", n))
		h.press("?")
		check(fmt.Sprintf("step %d with help", n))
		h.press("esc")
	}
	check("review again")
}

func TestReviewScrolling(t *testing.T) {
	t.Parallel()
	h := openReview(t, fullRequest(), testAPIKey, nil)
	r := reviewOf(h)
	h.view()
	window := r.window(&h.w.st)
	maxOff := len(r.drawn) - window
	if maxOff <= 0 {
		t.Fatalf("the full review (%d lines) fits the screen; nothing to test", len(r.drawn))
	}
	firstShown := func() string {
		// Line 3 of the screen is the first body line after the marker.
		return strings.Split(h.view(), "\n")[3]
	}
	steps := []struct {
		key  string
		want int
	}{
		{"down", 1}, {"j", 2}, {"up", 1}, {"k", 0}, {"up", 0},
		{"pgdown", window - 1}, {"pgup", 0}, {"end", maxOff}, {"down", maxOff}, {"pgdown", maxOff}, {"home", 0},
	}
	for _, s := range steps {
		h.press(s.key)
		if r.offset != s.want {
			t.Fatalf("after %s: offset %d, want %d", s.key, r.offset, s.want)
		}
		if s.want > 0 {
			if got, want := strings.TrimRight(firstShown(), " "), strings.TrimRight(r.drawn[s.want], " "); got != want {
				t.Fatalf("after %s: first line shown %q, want %q", s.key, got, want)
			}
		}
	}
	mustContain(t, h.view(), "Review\n")
}

// An API note stays pinned above the review while the page scrolls under
// it, and the page's last line can still be reached.
func TestReviewScrollsUnderAnAPINote(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testState(fullRequest(), testAPIKey), nil)
	h.w.goTo(stepReview)
	h.w.st.apiNote = "Cancelled. Nothing was shown to the consumer; press enter to try again."
	h.w.fit() // as Update does after setting a note
	mustContain(t, h.view(), "Cancelled.", "Review")
	h.press("end")
	mustContain(t, h.view(), "Cancelled.", "\"seats\": 25", "      }'")
	if n := strings.Count(h.view(), "\n") + 1; n != 30 {
		t.Fatalf("the screen has %d lines, want 30", n)
	}
	h.press("home")
	mustContain(t, h.view(), "Cancelled.", "Review")
}

func TestReviewBrokenCustomSettingsStopTheCreate(t *testing.T) {
	t.Parallel()
	var calls []createCall
	h := openReview(t, fullRequest(), testAPIKey, capturingCreate(&calls))
	h.press("6")
	h.typeText(",")       // after the closing brace
	h.press("esc", "esc") // done editing, then back to the review with the text broken
	if h.w.current != stepReview {
		t.Fatalf("esc: current = %d", h.w.current)
	}
	page := h.reviewPage()
	mustContain(t, page, "[6] Custom settings › custom_consumer_settings: not valid JSON: line",
		"the text is not valid JSON")
	h.press("enter")
	if len(calls) != 0 {
		t.Fatal("created with broken custom settings")
	}
	if h.w.current != stepCustomSettings {
		t.Fatalf("enter opened step %d, want custom settings", h.w.current)
	}
	mustContain(t, h.view(), "1 field needs attention")
	// Fixing it and going on creates the session with the object.
	h.press("backspace", "tab")
	if h.w.current != stepReview {
		t.Fatalf("tab after the fix: current = %d", h.w.current)
	}
	h.press("enter")
	if len(calls) != 1 || !reflect.DeepEqual(calls[0].req, fullRequest()) {
		t.Fatalf("calls = %+v", calls)
	}
}

func TestReviewWithoutDescribe(t *testing.T) {
	t.Parallel()
	st := testState(basicRequest(), "")
	st.describe = nil
	h := newHarness(t, st, nil)
	h.w.goTo(stepReview)
	mustContain(t, h.reviewPage(), "No preview of the request is available.")
}

func TestReviewDescribeError(t *testing.T) {
	t.Parallel()
	st := testState(basicRequest(), "key\nwith a line break")
	h := newHarness(t, st, nil)
	h.w.goTo(stepReview)
	mustContain(t, h.reviewPage(), "✗ The request cannot be built: API key contains a line break")
	mustNotContain(t, h.reviewPage(), "with a line break")
}

func TestReviewStepNumbersMatchTheSteps(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testState(basicRequest(), ""), nil)
	paths := []string{"app_id", "consumer_id", "consumer_metadata.email", "redirect_uri",
		"settings.unified_apis[0]", "settings.session_length", "settings.show_logs", "settings.allow_actions[1]",
		"theme.primary_color", "theme.terms_url", "custom_consumer_settings"}
	for _, p := range paths {
		n := reviewOf(h).sectionOf(p)
		if n == 0 {
			t.Errorf("%s has no step", p)
			continue
		}
		// Steps still being written own nothing yet; the rest must agree.
		if i := h.w.stepFor(p); i >= 0 && i != n-1 {
			t.Errorf("%s: review says step %d, the wizard %d", p, n, i+1)
		}
	}
}

func TestReviewTinyScreen(t *testing.T) {
	t.Parallel()
	h := openReview(t, fullRequest(), testAPIKey, nil)
	h.send(tea.WindowSizeMsg{Width: 40, Height: 12})
	h.press("end", "pgup", "down", "home")
	for _, l := range strings.Split(h.view(), "\n") {
		if w := lipgloss.Width(l); w > 40 {
			t.Fatalf("line wider than 40: %q", l)
		}
	}
}

// BenchmarkReviewView is a frame of the review: the page is drawn once on
// entering, so a frame only picks the lines to show.
func BenchmarkReviewView(b *testing.B) {
	st := testState(fullRequest(), testAPIKey)
	st.width, st.height = 100, 30
	r := wizardSteps(st.keys)[stepReview]
	r.load(&st)
	for b.Loop() {
		r.view(&st, 100)
	}
}

// BenchmarkReviewLoad is entering the review: describe and draw the page.
func BenchmarkReviewLoad(b *testing.B) {
	st := testState(fullRequest(), testAPIKey)
	st.width, st.height = 100, 30
	r := wizardSteps(st.keys)[stepReview]
	for b.Loop() {
		r.load(&st)
		r.view(&st, 100)
	}
}

// TestReviewLeadsWithWhatDiffers: the Review opens on what this session
// changes, from the preset in use first, then from Vault's defaults; what
// is left to Vault, the preview, the JSON and the curl come after.
func TestReviewLeadsWithWhatDiffers(t *testing.T) {
	t.Parallel()
	s := testStore(t)
	preset := model.Session{
		Settings: model.Settings{UnifiedAPIs: []string{"crm"}, SandboxMode: model.Bool(true)},
		Theme:    model.Theme{VaultName: "Acme", PrimaryColor: "#111111"},
	}
	if _, err := s.SavePreset("acme", preset); err != nil {
		t.Fatal(err)
	}
	req := model.Request{AppID: "app-1", ConsumerID: "globex-17", Session: preset}
	req.Session.ConsumerMetadata.AccountName = "Globex"
	req.Session.Theme.PrimaryColor = "#222222" // changed here
	req.Session.Settings.SandboxMode = nil     // back to Vault's default
	st := withMemory(t, testState(req, testAPIKey), s)
	st.memory.preset = "acme"
	h := newHarness(t, st, nil)
	h.w.screen = nil // the preset picker: the preset was taken on the command line
	h.w.goTo(stepReview)
	h.golden("review_preset")
	page := reviewOf(h).body
	order := []string{"Changed from the preset acme", "Sandbox mode", "preset: on   sent", "Primary colour", "preset: #111111",
		"Set for this session", "globex-17", "Listed                    CRM (1 of 28)", "Vault name                Acme",
		"Left to Vault's defaults (not sent)", "Session length            1h  default, not sent",
		"Preview of the Vault page", "JSON body", "The same request with curl"}
	at := 0
	for _, s := range order {
		i := strings.Index(page[at:], s)
		if i < 0 {
			t.Fatalf("%q is not where it should be, after %q:\n%s", s, page[:at], page)
		}
		at += i + len(s)
	}

	// Without a preset, the lead is what differs from Vault's defaults.
	h = openReview(t, fullRequest(), testAPIKey, nil)
	mustContain(t, h.view(), "Set for this session", "Sandbox mode              on   sent")
	mustNotContain(t, h.view(), "Changed from the preset", "Hide resource settings")
}
