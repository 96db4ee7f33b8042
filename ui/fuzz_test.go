package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/ui/clipboard"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// fuzzKeys are the keys a fuzzed session presses, one per input byte.
var fuzzKeys = []string{
	"enter", "tab", "shift+tab", "esc", "up", "down", "left", "right", "space", "backspace",
	"delete", "ctrl+a", "ctrl+d", "ctrl+e", "ctrl+r", "ctrl+t", "ctrl+p", "ctrl+u", "pgup", "pgdown",
	"home", "end", "f1", "?", "1", "4", "6", "t", "n", "r", "o", "c",
	"a", "x", "@", ".", "#", "{", "}", "\"", ":", ",", "/", "é", "日",
}

// FuzzWizardKeys presses any sequence of keys, at any size, and answers
// creates with success or failure: the wizard never panics and every frame
// fits its terminal.
func FuzzWizardKeys(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0}, uint8(100), uint8(30))
	f.Add([]byte("\x01\x01\x01\x00\x08\x08\x20\x00\x07\x06\x00\x21\x00\x00\x00"), uint8(40), uint8(12))
	f.Add([]byte("\x03\x03\x03\x18\x19\x1a\x00\x00\x00\x00\x00\x00\x1e\x1c"), uint8(120), uint8(40))
	f.Add([]byte("\x2e\x2f\x00\x24\x25\x26\x27\x28\x00\x0e\x0f\x10"), uint8(20), uint8(5))
	f.Fuzz(func(t *testing.T, keys []byte, width, height uint8) {
		fail := false
		create := func(context.Context, string, model.Request, bool) (client.Result, error) {
			return client.Result{}, nil
		}
		fx := effects{
			openURL: func(string) (string, error) { return "", errors.New("no browser") },
			copy:    func(string) clipboard.Report { return clipboard.Report{Terminal: true} },
			every:   func(time.Duration, tea.Msg) tea.Cmd { return nil },
		}
		w := newWizard(testState(model.Request{AppID: "app", ConsumerID: "acme"}, ""), create,
			func() time.Time { return fixedNow }, fx)
		w.Update(tea.WindowSizeMsg{Width: int(width), Height: int(height)})
		for _, b := range keys {
			w.Update(keyMsg(fuzzKeys[int(b)%len(fuzzKeys)]))
			if w.phase() == phaseCreating {
				// Answer the request the way the client would, in turn.
				fail = !fail
				if fail {
					w.Update(sessionFailedMsg{client.ParseAPIError(422, []byte(`{"message":"bad theme.primary_color"}`))})
				} else {
					w.Update(sessionCreatedMsg{result: client.Result{URL: "https://vault.example/session/x", ExpiresAt: fixedNow.Add(time.Hour)}})
				}
			}
			frame := w.View()
			lines := strings.Split(frame, "\n")
			if len(lines) > max(int(height), 1) && height > 0 {
				t.Fatalf("%d lines at height %d", len(lines), height)
			}
			for _, l := range lines {
				if width > 0 && lipgloss.Width(l) > int(width) {
					t.Fatalf("a line of width %d at width %d: %q", lipgloss.Width(l), width, l)
				}
			}
		}
	})
}
