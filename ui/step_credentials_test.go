package ui

import (
	"strings"
	"testing"

	"github.com/apideck-samples/vault-session/model"
	tea "github.com/charmbracelet/bubbletea"
)

func TestCredentialsStepEmpty(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testState(model.Request{}, ""), nil)
	h.golden("credentials_empty")
	mustContain(t, h.view(), "1/7 Credentials", "DEMO API", "No API key: sessions go to the built-in demo API")

	// Enter through every field with nothing typed: both ids are required.
	h.press("enter", "enter", "enter")
	h.golden("credentials_errors")
	mustContain(t, h.view(), "app ID is required", "consumer ID is required", "2 fields need attention")
	if h.w.current != stepCredentials {
		t.Fatalf("moved on to step %d with errors", h.w.current)
	}
}

func TestCredentialsKeyIsNeverShown(t *testing.T) {
	t.Parallel()
	const key = "sk_live_supersecret123"
	h := newHarness(t, testState(model.Request{}, ""), nil)
	h.typeText(key)
	screen := h.view()
	mustNotContain(t, screen, key, "supersecret")
	mustContain(t, screen, "Sessions are created with this key at the Apideck API.")
	mustNotContain(t, screen, "DEMO API")
	if h.w.st.apiKey != key {
		t.Fatalf("api key in state = %q", h.w.st.apiKey)
	}
}

func TestCredentialsErrorsClearAsYouType(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testState(model.Request{}, ""), nil)
	h.press("tab", "tab", "enter") // try to go on from the last field
	mustContain(t, h.view(), "consumer ID is required", "app ID is required")
	// The focus went to the first field in error.
	h.typeText("app-1")
	mustNotContain(t, h.view(), "app ID is required")
	mustContain(t, h.view(), "consumer ID is required", "1 field needs attention")
	h.press("tab")
	h.typeText("acme")
	h.press("enter")
	if h.w.current != 1 {
		t.Fatalf("current = %d, want the consumer step", h.w.current)
	}
	if h.w.st.req.AppID != "app-1" || h.w.st.req.ConsumerID != "acme" {
		t.Fatalf("request = %+v", h.w.st.req)
	}
}

func TestCredentialsSkippedWhenGivenButReachableWithBack(t *testing.T) {
	t.Parallel()
	st := testState(model.Request{AppID: "app", ConsumerID: "c"}, "key")
	h := newHarness(t, st, nil)
	if h.w.current != 1 {
		t.Fatalf("current = %d, want 1 (credentials skipped)", h.w.current)
	}
	h.press("esc")
	if h.w.current != 0 {
		t.Fatalf("Back did not reach credentials: %d", h.w.current)
	}
	screen := h.view()
	mustContain(t, screen, "1/7 Credentials", "app", "Sessions are created with this key")
	mustNotContain(t, screen, "  key\n")
	if strings.Contains(screen, "DEMO") {
		t.Error("a key is set but the screen says demo")
	}
}

// TestWrappingNeverCutsAFlag: where the session goes, with a --base-url,
// wraps at spaces at every width: "(--" never ends a line with
// "base-url)" on the next, as it did at 80 columns. So does an API's note
// in its box, which lipgloss wrapped (the same rule, ui/wordwrap).
func TestWrappingNeverCutsAFlag(t *testing.T) {
	t.Parallel()
	st := withKeyFrom(testState(model.Request{AppID: "app-1"}, "sk_test"), "APIDECK_API_KEY")
	st.apiName = "127.0.0.1:8080"
	st.apiNote = "The API refused the key for app-1: pass another with --api-key, or check the x-apideck-app-id it was made for."
	h := newHarness(t, st, nil)
	for width := 40; width <= 120; width++ {
		h.send(tea.WindowSizeMsg{Width: width, Height: 40})
		screen := h.view()
		for _, whole := range []string{"(--base-url).", "--api-key,", "x-apideck-app-id"} {
			if !strings.Contains(screen, whole) {
				t.Fatalf("at %d columns %q is cut:\n%s", width, whole, screen)
			}
		}
	}
}
