package ui

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// keyByName turns a binding's key name ("ctrl+t", "shift+tab", "?") into
// the message Bubble Tea delivers for it.
func keyByName(name string) tea.KeyMsg {
	for i := -100; i < 200; i++ {
		if kt := tea.KeyType(i); kt != tea.KeyRunes && kt.String() == name {
			if kt == tea.KeySpace {
				return tea.KeyMsg{Type: kt, Runes: []rune{' '}}
			}
			return tea.KeyMsg{Type: kt}
		}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(name)}
}

// snapshot is everything a key press can change that a user notices.
func snapshot(h *harness) string {
	req, _ := json.Marshal(h.w.st.req)
	return fmt.Sprintf("%d|%d|%t|%t|%s|%s|%s", h.w.current, h.w.phase(), h.w.fullHelp, h.quit, h.w.st.apiKey, req, h.view())
}

// TestHelpOffersOnlyKeysThatWork presses every key the full help shows on
// every step and checks it does something there: from the step as it
// opens, or after one ordinary move (a key that only works once the cursor
// has moved still works on that step).
func TestHelpOffersOnlyKeysThatWork(t *testing.T) {
	created := func(context.Context, string, model.Request, bool) (client.Result, error) {
		return client.Result{URL: "https://vault.apideck.com/session/x"}, nil
	}
	session := model.Session{Theme: model.Theme{SidepanelBackgroundColor: "#1f2937", SidepanelTextColor: "#1f2937"}}
	open := func(step int, setup []string) *harness {
		h := newHarness(t, testState(model.Request{AppID: "app-1", ConsumerID: "acme", Session: session}, ""), created)
		h.w.goTo(step)
		h.press(setup...)
		return h
	}
	setups := [][]string{nil, {"tab"}, {"down"}, {"space"}, {"right"}, {"/", "c"}, {"ctrl+t"}}
	for step := range newWizard(testState(model.Request{}, ""), nil, nil, effects{}).steps {
		h := open(step, nil)
		var offered []key.Binding
		for _, group := range h.w.fullBindings() {
			offered = append(offered, group...)
		}
		for _, b := range offered {
			works := false
			for _, setup := range setups {
				h := open(step, setup)
				// The help may have changed with the setup: try the key
				// only where it is still offered.
				if !offers(h, b) {
					continue
				}
				before := snapshot(h)
				// A key that hands over to another program ($EDITOR)
				// shows nothing here but returns the command that does.
				_, cmd := h.w.Update(keyByName(b.Keys()[0]))
				h.run(cmd)
				if cmd != nil || snapshot(h) != before {
					works = true
					break
				}
			}
			if !works {
				t.Errorf("step %d (%s): the help offers %q %q, which does nothing there",
					step+1, h.w.steps[step].title(), b.Help().Key, b.Help().Desc)
			}
		}
	}
}

func offers(h *harness, b key.Binding) bool {
	for _, group := range h.w.fullBindings() {
		for _, o := range group {
			if o.Help() == b.Help() {
				return true
			}
		}
	}
	return false
}

// TestHelpHasNoContradictions: the keys the issue found offered twice or
// where they do nothing.
func TestHelpHasNoContradictions(t *testing.T) {
	full := func(h *harness) string {
		var parts []string
		for _, g := range h.w.fullBindings() {
			for _, b := range g {
				parts = append(parts, b.Help().Key+" "+b.Help().Desc)
			}
		}
		return strings.Join(parts, " | ")
	}
	first := openStep(t, model.Session{}, 0)
	if got := full(first); strings.Contains(got, "esc back") {
		t.Errorf("step 1 offers esc back: %s", got)
	}
	apis := openStep(t, model.Session{}, unifiedAPIsIndex)
	if got := full(apis); strings.Contains(got, "next field") || !strings.Contains(got, "↑/↓ move") {
		t.Errorf("the API list's help: %s", got)
	}
}

// TestQuestionMarkInTheAPIKeyFieldIsHelp: a "?" typed for help must not
// become an API key and quietly leave the demo API.
func TestQuestionMarkInTheAPIKeyFieldIsHelp(t *testing.T) {
	h := newHarness(t, testState(model.Request{}, ""), nil)
	if !h.w.st.demo() || h.w.current != 0 {
		t.Fatal("the wizard did not start on the credentials in demo mode")
	}
	h.press("?")
	if h.w.st.apiKey != "" || !h.w.st.demo() {
		t.Fatalf("? became the API key %q; demo = %t", h.w.st.apiKey, h.w.st.demo())
	}
	if !h.w.fullHelp {
		t.Fatal("? in the API key field did not open the help")
	}
	mustContain(t, h.view(), "DEMO API")
	// In the next field "?" is text again, and f1 the help.
	h.press("?", "tab")
	h.typeText("app?")
	if h.w.st.req.AppID != "app?" {
		t.Fatalf("App ID = %q", h.w.st.req.AppID)
	}
}
