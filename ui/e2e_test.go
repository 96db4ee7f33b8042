package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	"github.com/charmbracelet/x/exp/teatest"
)

// TestEndToEnd types a whole session into the real Bubble Tea program, sends
// it to the mock Vault API through the real client, and checks what the API
// received, field by field.
func TestEndToEnd(t *testing.T) {
	t.Parallel()
	api, c := startMockAPI(t)
	create := createWith(c)
	st := testState(model.Request{}, "")
	st.describe = c.Describe
	tm := startProgram(t, st, create)

	keys := func(names ...string) {
		for _, k := range names {
			tm.Send(keyMsg(k))
		}
	}
	// 1 Credentials
	tm.Type("sk_test_e2e")
	keys("tab")
	tm.Type("app-e2e")
	keys("tab")
	tm.Type("acme-42")
	keys("enter")
	// 2 Consumer
	tm.Type("Acme Inc")
	keys("tab")
	tm.Type("Ada Lovelace")
	keys("tab")
	tm.Type("ada@acme.com")
	keys("tab")
	tm.Type("https://acme.example/ada.png")
	keys("tab")
	tm.Type("https://acme.example/back")
	keys("enter")
	// 3 Unified APIs: filter, keep its rows, tick, clear the filter; twice.
	tm.Type("/hris")
	keys("enter", "space", "esc")
	tm.Type("/crm")
	keys("enter", "space", "esc", "enter")
	// 4 Session: length 1d (6 choices right of the default), sandbox on,
	// show_logs off, actions: a subset without delete.
	keys("right", "right", "right", "right", "right", "right")
	keys("down", "down", "space")                         // sandbox_mode
	keys("down", "down", "space")                         // show_logs
	keys("down", "down", "down", "down", "down", "right") // actions: a subset
	keys("down", "space")                                 // untick delete
	keys("enter")
	// 5 Theme
	tm.Type("Acme")
	keys("tab")
	tm.Type("#286EFA")
	keys("tab")
	tm.Type("navy")
	keys("tab")
	tm.Type("white")
	keys("tab")
	tm.Type("https://acme.example/logo.svg")
	keys("tab", "tab", "tab")
	tm.Type("https://acme.example/terms")
	keys("enter")
	// 6 Custom settings
	tm.Type(`{"plan": "pro", "seats": 12345678901234567890}`)
	keys("tab")
	// 7 Review: create.
	waitFor(t, tm, "7/7 Review")
	keys("enter")
	waitFor(t, tm, "Session ready")
	keys("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))

	reqs := api.Requests()
	if len(reqs) != 1 {
		t.Fatalf("the API got %d requests, want 1", len(reqs))
	}
	got := reqs[0]
	if got.Status != 200 {
		t.Fatalf("the API answered %d: %s", got.Status, got.Body)
	}
	for header, want := range map[string]string{
		"X-Apideck-App-Id":      "app-e2e",
		"X-Apideck-Consumer-Id": "acme-42",
		"Content-Type":          "application/json",
	} {
		if v := got.Header.Get(header); v != want {
			t.Errorf("header %s = %q, want %q", header, v, want)
		}
	}
	if got.APIKey != "sk_test_e2e" {
		t.Errorf("bearer key = %q", got.APIKey)
	}
	var body map[string]any
	dec := json.NewDecoder(bytes.NewReader(got.Body))
	dec.UseNumber()
	if err := dec.Decode(&body); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"consumer_metadata": map[string]any{
			"account_name": "Acme Inc", "user_name": "Ada Lovelace",
			"email": "ada@acme.com", "image": "https://acme.example/ada.png",
		},
		"redirect_uri": "https://acme.example/back",
		"settings": map[string]any{
			"unified_apis":   []any{"crm", "hris"},
			"session_length": "1d",
			"sandbox_mode":   true,
			"show_logs":      false,
			"allow_actions":  []any{"disconnect", "reauthorize", "disable"},
		},
		"theme": map[string]any{
			"vault_name": "Acme", "primary_color": "#286efa",
			"sidepanel_background_color": "#000080", "sidepanel_text_color": "#ffffff",
			"logo": "https://acme.example/logo.svg", "terms_url": "https://acme.example/terms",
		},
		"custom_consumer_settings": map[string]any{"plan": "pro", "seats": json.Number("12345678901234567890")},
	}
	for _, part := range []string{"consumer_metadata", "redirect_uri", "settings", "theme", "custom_consumer_settings"} {
		if !reflect.DeepEqual(body[part], want[part]) {
			t.Errorf("%s:\n got %#v\nwant %#v", part, body[part], want[part])
		}
	}
	if len(body) != len(want) {
		t.Errorf("body has keys %v", keysOf(body))
	}

	final := tm.FinalModel(t).(*wizard)
	if len(final.outcome.Sessions) != 1 || !strings.Contains(final.outcome.Sessions[0].Result.URL, c.BaseURL()+"/session/") {
		t.Fatalf("outcome = %+v", final.outcome)
	}
	created := final.outcome.Sessions[0]
	if created.ConsumerID != "acme-42" || created.AccountName != "Acme Inc" {
		t.Errorf("created for %q (%q)", created.ConsumerID, created.AccountName)
	}
	// The token's exp is the session length after the mock's clock.
	if want := fixedNow.Add(24 * time.Hour); !created.Result.ExpiresAt.Equal(want) {
		t.Errorf("expires at %v, want %v", created.Result.ExpiresAt, want)
	}
}

// waitFor waits until the program has drawn text.
func waitFor(t *testing.T, tm *teatest.TestModel, text string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte(text))
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}

func keysOf(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestEnterAloneReachesASessionURL is what a newcomer does with --demo:
// press enter, and nothing else, from the first screen. Every step goes on
// with its defaults (the custom settings editor takes enter as a new line
// only once the user edits it), the demo API makes the session, and its
// URL is on the screen.
func TestEnterAloneReachesASessionURL(t *testing.T) {
	api, c := startMockAPI(t)
	create := func(ctx context.Context, apiKey string, req model.Request, demo bool) (client.Result, error) {
		if !demo || apiKey != "" {
			t.Error("the request did not go to the demo API")
		}
		// The demo's transport puts its own key on every request.
		return c.Create(ctx, client.Credentials{APIKey: "demo-key", AppID: req.AppID, ConsumerID: req.ConsumerID}, req.Session)
	}
	// As `vault-session --demo` starts: the demo's IDs filled in.
	st := testState(model.Request{AppID: "demo-app", ConsumerID: "test-consumer"}, "")
	st.forceDemo = true
	st.describe = c.Describe
	tm := startProgram(t, st, create)
	// More presses than the wizard has fields: the ones after the Review
	// land on the creating and result screens, where enter does nothing.
	for range 30 {
		tm.Send(keyMsg("enter"))
	}
	waitFor(t, tm, "Session ready")
	tm.Send(keyMsg("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))

	final := tm.FinalModel(t).(*wizard)
	if len(final.outcome.Sessions) != 1 {
		t.Fatalf("%d sessions made, want 1", len(final.outcome.Sessions))
	}
	url := final.outcome.Sessions[0].Result.URL
	if !strings.HasPrefix(url, c.BaseURL()+"/session/") {
		t.Fatalf("session URL %q is not the demo API's", url)
	}
	// The result screen wraps the URL at the screen's width.
	if screen := strings.ReplaceAll(final.View(), "\n", ""); !strings.Contains(screen, url) {
		t.Fatalf("the screen does not show %s:\n%s", url, final.View())
	}
	reqs := api.Requests()
	if len(reqs) != 1 || reqs[0].Status != 200 {
		t.Fatalf("the API got %d requests, want 1 answered 200", len(reqs))
	}
	// Enter added nothing to the custom settings on its way through.
	if bytes.Contains(reqs[0].Body, []byte("custom_consumer_settings")) {
		t.Fatalf("custom settings were sent: %s", reqs[0].Body)
	}
}
