package ui

import (
	"strings"
	"testing"

	"github.com/apideck-samples/vault-session/model"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// TestCtrlZSuspendsWhereNothingUndoes: ctrl+z stops the wizard as it
// stops any program in a shell (the terminal package's Suspend), and the
// full help says so, on every step and screen but the two where it
// undoes (Theme, custom settings), which keep it for that. Where nothing
// could continue the program (no shell with job control, a served
// wizard) there is no suspend: ctrl+z does nothing and is not offered.
func TestCtrlZSuspendsWhereNothingUndoes(t *testing.T) {
	t.Parallel()
	theme, custom := sessionIndex+1, sessionIndex+2
	offered := func(h *harness) bool {
		for _, g := range h.w.fullBindings() {
			for _, b := range g {
				if b.Help().Desc == h.w.st.keys.Suspend.Help().Desc {
					return true
				}
			}
		}
		return false
	}
	for _, tc := range []struct {
		name     string
		step     int
		setup    []string
		suspends bool
	}{
		{"credentials", stepCredentials, nil, true},
		{"consumer, typing a name", stepConsumer, []string{"A", "c"}, true},
		{"unified APIs, filtering", unifiedAPIsIndex, []string{"/", "h"}, true},
		{"session", sessionIndex, nil, true},
		{"theme", theme, []string{"ctrl+t"}, false},
		{"custom settings, editing", custom, []string{"{", "}"}, false},
		{"review", stepReview, nil, true},
	} {
		h := openStep(t, model.Session{}, tc.step)
		stops := 0
		h.w.effects.suspend = func() tea.Cmd { stops++; return nil }
		h.press(tc.setup...)
		wasOffered := offered(h)
		h.press("ctrl+z")
		if got := stops == 1; got != tc.suspends {
			t.Errorf("%s: ctrl+z suspended %d times, want suspends=%t", tc.name, stops, tc.suspends)
		}
		if wasOffered != tc.suspends {
			t.Errorf("%s: the full help offers suspend: %t, want %t", tc.name, wasOffered, tc.suspends)
		}
		if tc.suspends && h.w.current != tc.step {
			t.Errorf("%s: ctrl+z moved to step %d", tc.name, h.w.current+1)
		}
		switch tc.step {
		case theme:
			if c := h.w.st.req.Session.Theme.PrimaryColor; c != "" {
				t.Errorf("theme: ctrl+z did not undo the palette: primary %s", c)
			}
		case custom:
			if v := h.view(); !strings.Contains(v, "{ … } or leave blank") {
				t.Errorf("custom settings: ctrl+z did not undo the typing:\n%s", v)
			}
		}
	}

	// The screens in front of the steps suspend too: saving a preset.
	h := newHarness(t, withMemory(t, testState(model.Request{AppID: "app-1", ConsumerID: "acme"}, ""), testStore(t)), nil)
	h.w.goTo(stepReview)
	stops := 0
	h.w.effects.suspend = func() tea.Cmd { stops++; return nil }
	h.press("s")
	if h.w.screen == nil {
		t.Fatal("s on the Review opened no screen")
	}
	h.press("ctrl+z")
	if stops != 1 {
		t.Errorf("a screen: ctrl+z suspended %d times, want 1", stops)
	}

	// Nothing to continue the program: ctrl+z does nothing, and is not
	// offered.
	h = openStep(t, model.Session{}, stepConsumer)
	if offered(h) {
		t.Error("suspend offered with nothing to continue the program")
	}
	h.press("ctrl+z")
	if h.w.current != stepConsumer || h.w.quitting {
		t.Errorf("ctrl+z without suspend: step %d, quitting %t", h.w.current+1, h.w.quitting)
	}
	if !key.Matches(keyPress(DefaultKeyMap().Suspend), DefaultKeyMap().Suspend) {
		t.Error("the suspend key does not match itself")
	}
}
