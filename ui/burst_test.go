package ui

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	tea "github.com/charmbracelet/bubbletea"
)

// burst sends s as Bubble Tea delivers keys that arrived in one read (a
// slow link, a paste without bracketed paste): one KeyMsg of all runes.
func (h *harness) burst(s string) {
	h.t.Helper()
	h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)})
}

// TestKeysInOneReadKeepTheirMeaning: "/hr" in one read opens the filter
// and filters for "hr", as the three keys typed one by one do.
func TestKeysInOneReadKeepTheirMeaning(t *testing.T) {
	t.Parallel()
	h := openStep(t, model.Session{}, unifiedAPIsIndex)
	h.burst("/hr")
	mustContain(t, h.view(), "Filter: hr", "› [ ] HRIS")
	mustNotContain(t, h.view(), "No unified API matches")

	// A digit on the Review opens its step, with the keys after it typed
	// there.
	h = newHarness(t, testState(model.Request{AppID: "app", ConsumerID: "acme"}, ""), nil)
	h.w.goTo(stepReview)
	h.burst("2Ac")
	if h.w.current != stepConsumer {
		t.Fatalf("burst 2Ac on the Review: step %d, want %d", h.w.current+1, stepConsumer+1)
	}
	if got := h.w.st.req.Session.ConsumerMetadata.AccountName; got != "Ac" {
		t.Fatalf("account name = %q, want the keys after the 2", got)
	}

	// On a list, "?" in a burst is the help key, after the space.
	h = openStep(t, model.Session{}, sessionIndex)
	h.burst(" ?")
	if !h.w.fullHelp {
		t.Fatal("a burst with ? did not open the help on the Session step")
	}
	if got := h.w.st.req.Session.Settings.SessionLength; got == "" {
		t.Fatal("the space before the ? did not change the length")
	}
}

// TestQuitInABurstEndsIt: "q" quits the result screen, and the keys read
// with it are not pressed on a wizard that has quit.
func TestQuitInABurstEndsIt(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testState(model.Request{AppID: "app", ConsumerID: "acme"}, "k"),
		func(context.Context, string, model.Request, bool) (client.Result, error) {
			return created(model.Request{})
		})
	h.w.goTo(stepReview)
	h.press("enter")
	h.burst("qn")
	if !h.quit {
		t.Fatal("q in a burst did not quit")
	}
	if h.w.screen == nil || h.w.st.req.ConsumerID != "acme" {
		t.Fatalf("the n after q started the next consumer: screen %T, consumer %q", h.w.screen, h.w.st.req.ConsumerID)
	}
}

// TestAPasteStaysWhole: a bracketed paste is text, whatever its runes
// mean as keys.
func TestAPasteStaysWhole(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testState(model.Request{AppID: "app"}, ""), nil)
	h.w.steps[stepCredentials].focusPath("consumer_id")
	h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("acme-?42"), Paste: true})
	if got := h.w.st.req.ConsumerID; got != "acme-?42" {
		t.Fatalf("consumer ID = %q after a paste", got)
	}
	if h.w.fullHelp {
		t.Fatal("a ? inside a paste opened the help")
	}
}

// TestKeysInOneReadThroughBubbleTea writes "/hr" to the program's input in
// one write: Bubble Tea reads it as one KeyMsg of three runes, and the
// filter still gets "hr".
func TestKeysInOneReadThroughBubbleTea(t *testing.T) {
	t.Parallel()
	w := newWizard(testState(model.Request{AppID: "app-1", ConsumerID: "acme"}, ""), nil,
		func() time.Time { return fixedNow }, effects{every: func(time.Duration, tea.Msg) tea.Cmd { return nil }})
	w.goTo(unifiedAPIsIndex)
	in, keys := io.Pipe()
	p := tea.NewProgram(w, tea.WithInput(in), tea.WithOutput(io.Discard), tea.WithoutSignalHandler())
	go func() {
		keys.Write([]byte("/hr"))
		time.Sleep(200 * time.Millisecond) // a read of its own
		keys.Write([]byte{0x03})           // ctrl+c
	}()
	final, err := p.Run()
	if err != nil {
		t.Fatal(err)
	}
	fw := final.(*wizard)
	c := fw.steps[unifiedAPIsIndex].(*unifiedAPIsStep)
	if c.filter != "hr" {
		t.Fatalf("filter = %q after /hr in one read", c.filter)
	}
}
