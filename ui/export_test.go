package ui

// Hooks for the tests of package ui_test (failure_modes_test.go), which
// drive the command line as well as the wizard and so cannot live in
// package ui: ui/cli imports ui.

import (
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	tea "github.com/charmbracelet/bubbletea"
)

// FailureRequest is the request both hooks send: valid, with a key.
var FailureRequest = model.Request{AppID: "app-1", ConsumerID: "acme"}

// FailureScreen sends FailureRequest with c from the Review of the
// full-screen wizard (--timeout bounding the create) and returns the screen
// it ends on, drawn 200 columns wide, as running text.
func FailureScreen(t *testing.T, c *client.Client, apiKey string, timeout time.Duration) string {
	t.Helper()
	st := testState(FailureRequest, apiKey)
	st.timeout = timeout
	h := newHarness(t, st, createWith(c))
	h.send(tea.WindowSizeMsg{Width: 200, Height: 80})
	h.w.jumpTo(h.w.review(), "")
	h.press("enter")
	if h.w.phase() != phaseFailed {
		t.Fatalf("the wizard did not fail: phase %d\n%s", h.w.phase(), h.view())
	}
	return unwrapped(h.view())
}

// FailurePrompts answers the plain prompts with enter (each question keeps
// its value) until the create fails, then q, and returns what they said.
func FailurePrompts(t *testing.T, c *client.Client, apiKey string, timeout time.Duration) string {
	t.Helper()
	st := testState(FailureRequest, apiKey)
	st.timeout = timeout
	keys := &answerUntil{said: &lockedText{}, last: "Try again (r)"}
	r := runLinesWith(t, st, keys, createWith(c), lineOptions{written: keys.said.write})
	if !strings.Contains(r.out, keys.last) {
		t.Fatalf("the prompts never failed:\n%s", r.out)
	}
	return r.out
}

// answerUntil types enter, one line per read, until what was said holds
// last; then q. A question reads its answer only once it is asked.
type answerUntil struct {
	said *lockedText
	last string
}

func (a *answerUntil) Read(p []byte) (int, error) {
	if strings.Contains(a.said.String(), a.last) {
		return copy(p, "q\n"), io.EOF
	}
	return copy(p, "\n"), nil
}

type lockedText struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedText) write(p []byte) { l.mu.Lock(); l.b.Write(p); l.mu.Unlock() }

func (l *lockedText) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }
