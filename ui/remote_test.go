package ui

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	tea "github.com/charmbracelet/bubbletea"
)

const heldKey = "sk_live_HELD_BY_THE_SERVER_0123456789"

// heldState is the state of a wizard served with the server's key.
func heldState() state {
	st := testState(model.Request{AppID: "team-app"}, heldKey)
	st.keyHeld = true
	return st
}

func TestHeldKeyCredentialsOfferNoWayToChangeTheKeyOrTheApp(t *testing.T) {
	h := newHarness(t, heldState(), nil)
	screen := h.view()
	mustContain(t, screen, "held by the server", "team-app (the server's)", "Consumer ID", "the key never leaves the server")
	mustNotContain(t, screen, heldKey, "leave empty for the built-in demo API", "••")
	h.golden("credentials_held")

	// Every key typed goes to the consumer ID, the one field there is:
	// moving back from it leaves nothing to land on.
	h.press("shift+tab")
	h.typeText("acme-42")
	if h.w.st.req.ConsumerID != "acme-42" || h.w.st.apiKey != heldKey || h.w.st.req.AppID != "team-app" {
		t.Fatalf("typing changed the held values: consumer %q, key %q, app %q",
			h.w.st.req.ConsumerID, h.w.st.apiKey, h.w.st.req.AppID)
	}
	h.press("enter")
	if got := h.w.steps[h.w.current].title(); got == "Credentials" {
		t.Fatalf("enter on the consumer ID did not go on:\n%s", h.view())
	}
	// The review says whose key it is, and never the key.
	h.w.goTo(h.w.review())
	review := h.view()
	mustContain(t, review, "held by the server")
	mustNotContain(t, review, heldKey)
}

func TestHeldKeyPromptsSayTheServerHoldsIt(t *testing.T) {
	run := runLines(t, heldState(), "acme-42\nq\n", nil)
	mustContain(t, run.out, "API key: held by the server. App ID: team-app (the server's).")
	mustNotContain(t, run.out, heldKey, "API key (")
}

// TestServedDemoSaysDemoOnce: a server running the demo (serve --demo)
// says where sessions go under one DEMO badge, not "DEMO  DEMO server:",
// and the plain prompts say the same words.
func TestServedDemoSaysDemoOnce(t *testing.T) {
	st := heldState()
	st.forceDemo = true
	h := newHarness(t, st, nil)
	h.send(tea.WindowSizeMsg{Width: 80, Height: 30})
	screen := h.view()
	_, body, _ := strings.Cut(screen, "\n") // the header's DEMO API badge aside
	if n := strings.Count(body, "DEMO"); n != 1 {
		t.Errorf("the Credentials step says DEMO %d times, want once (the badge):\n%s", n, screen)
	}
	mustContain(t, screen, "DEMO  Sessions go to this server's built-in demo API, not Apideck")
	h.golden("credentials_held_demo")

	run := runLines(t, st, "acme-42\nq\n", nil)
	mustContain(t, run.out, "Sessions go to this server's built-in demo API, not Apideck; the links are for trying it out.")
}

func TestCreateHooksSeeEveryCreateAndCanRefuseOne(t *testing.T) {
	var sent []model.Request
	create := func(_ context.Context, apiKey string, req model.Request, _ bool) (client.Result, error) {
		if apiKey != heldKey {
			t.Errorf("create got key %q, want the server's", apiKey)
		}
		sent = append(sent, req)
		return client.Result{URL: "https://vault.apideck.com/session/tok"}, nil
	}
	var created []model.Request
	refuse := false
	opts := Options{
		APIKey: heldKey, Request: model.Request{AppID: "team-app"}, KeyHeldByServer: true,
		Creating: func(model.Request) error {
			if refuse {
				return errors.New("30 sessions in the last hour: the most this server allows you")
			}
			return nil
		},
		Created: func(req model.Request, _ client.Result) { created = append(created, req) },
	}
	hooked := opts.withCreateHooks(create)
	// A request that says another app (from an old draft, say) still goes
	// with the server's app and key.
	if _, err := hooked(context.Background(), "", model.Request{AppID: "other", ConsumerID: "c1"}, false); err != nil {
		t.Fatal(err)
	}
	if len(sent) != 1 || sent[0].AppID != "team-app" || len(created) != 1 || created[0].ConsumerID != "c1" {
		t.Fatalf("sent %+v, created %+v", sent, created)
	}
	refuse = true
	_, err := hooked(context.Background(), heldKey, model.Request{AppID: "team-app", ConsumerID: "c2"}, false)
	if err == nil || !strings.Contains(err.Error(), "30 sessions") || len(sent) != 1 || len(created) != 1 {
		t.Fatalf("a refused create: err %v, sent %d, created %d", err, len(sent), len(created))
	}
}

func TestRemoteEffectsTouchNothingOnTheServer(t *testing.T) {
	var terminal bytes.Buffer
	fx := remoteEffects(effects{}, &terminal)
	if _, err := fx.openURL("https://example.com"); !errors.Is(err, errBrowserElsewhere) {
		t.Errorf("openURL: %v", err)
	}
	if fx.openPage != nil {
		t.Error("a page would be written and opened on the server")
	}
	report := fx.copy("hello")
	if report.Tool != "" || len(report.Failed) != 0 || !report.Terminal {
		t.Errorf("copy ran a tool or did not use the terminal: %+v", report)
	}
	if !strings.HasPrefix(terminal.String(), "\x1b]52;c;") {
		t.Errorf("copy sent %q to the terminal, want OSC 52", terminal.String())
	}
}

// TestARemoteWizardNeverReadsTheServersClipboard: the custom settings'
// Paste key reads the system clipboard, which for a served wizard is the
// server's (its operator's, perhaps holding the key): served, the key is
// off, and only the person's own terminal pastes.
func TestARemoteWizardNeverReadsTheServersClipboard(t *testing.T) {
	ctrlV := tea.KeyMsg{Type: tea.KeyCtrlV}
	for _, remote := range []bool{false, true} {
		keys := DefaultKeyMap()
		if remote {
			remoteKeys(&keys)
		}
		c := newCustomSettingsStep(keys)
		reads := 0
		c.editor.ReadClipboard = func() (string, error) { reads++; return heldKey, nil }
		if cmd := c.editor.Update(ctrlV); cmd != nil {
			c.editor.Update(cmd())
		}
		switch {
		case remote && (reads != 0 || strings.Contains(c.editor.Value(), heldKey)):
			t.Errorf("served, ctrl+v read the server's clipboard %d times: %q", reads, c.editor.Value())
		case !remote && reads != 1:
			t.Errorf("at home, ctrl+v read the clipboard %d times", reads)
		}
	}
	keys := DefaultKeyMap()
	remoteKeys(&keys)
	if keys.OpenEditor.Enabled() || keys.Open.Enabled() {
		t.Error("served, $EDITOR or a browser would run on the server")
	}
}
