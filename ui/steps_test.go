package ui

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// The positions of steps in the wizard's own list, found in it rather
// than numbered, so the tests follow a step added before them.
var stepCredentials, stepConsumer, stepReview = func() (int, int, int) {
	steps := wizardSteps(DefaultKeyMap())
	owner := func(path string) int {
		return slices.IndexFunc(steps, func(s step) bool { return s.owns(path) })
	}
	return owner("api_key"), owner("consumer_metadata.account_name"), len(steps) - 1
}()

// dummyStep is a step a later engineer might add: it edits nothing,
// enter goes on, and it sums itself up on the Review.
type dummyStep struct{}

func (dummyStep) title() string                          { return "Dummy" }
func (dummyStep) load(*state)                            {}
func (dummyStep) save(*state)                            {}
func (dummyStep) validate(*state) model.ValidationErrors { return nil }
func (dummyStep) owns(path string) bool                  { return path == "dummy" }
func (dummyStep) focusPath(string)                       {}
func (dummyStep) typing() bool                           { return false }
func (dummyStep) bindings(st *state) []key.Binding       { return []key.Binding{st.keys.Next} }
func (dummyStep) view(*state, int) (string, int)         { return "The dummy step's body", 0 }
func (dummyStep) summary(p *page, st *state)             { p.row("Dummy value", "nothing to send", p.s.Muted) }
func (dummyStep) runAccessible(a *lineAsker, _ *state) error {
	a.say("The dummy step asks nothing.")
	return nil
}
func (dummyStep) update(msg tea.Msg, st *state) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, st.keys.Next) {
		return st.navigate(nextStepMsg{})
	}
	return nil
}

// withDummy is the wizard's steps with the dummy as the fourth, the way
// a new step is added: one entry in the list.
func withDummy(keys KeyMap) []step {
	steps := wizardSteps(keys)
	editing := slices.Insert(slices.Clone(steps[:len(steps)-1]), 3, step(dummyStep{}))
	return withReview(editing...)
}

// TestAStepAddedToTheListIsNumberedEverywhere: one entry in the step list
// and the step has its number in the header and the progress dots, its
// section and jump key on the Review, and its number in the plain
// prompts; the steps after it move along.
func TestAStepAddedToTheListIsNumberedEverywhere(t *testing.T) {
	t.Parallel()
	req := model.Request{AppID: "app", ConsumerID: "acme"}
	st := testState(req, "")
	h := newHarnessOf(t, withDummy(st.keys), st, nil)
	header := func() string { return strings.SplitN(h.view(), "\n", 2)[0] }

	h.w.goTo(3)
	mustContain(t, header(), "4/8 Dummy", "●●●●○○○○")
	mustContain(t, h.view(), "The dummy step's body")
	h.press("enter")
	mustContain(t, header(), "5/8 Session", "●●●●●○○○")

	h.press("ctrl+s")
	mustContain(t, header(), "8/8 Review", "●●●●●●●●")
	page := h.reviewPage()
	mustContain(t, page, "[3] Unified APIs", "[4] Dummy", "Dummy value", "[5] Session", "[7] Custom settings")
	mustContain(t, h.view(), "1-7 edit step")
	h.press("4")
	if h.w.current != 3 {
		t.Fatalf("jump key 4 opened step %d, want the dummy", h.w.current)
	}
	h.press("enter")
	if h.w.current != 7 {
		t.Fatalf("going on from the dummy opened step %d, want the review", h.w.current)
	}
	h.press("7")
	mustContain(t, header(), "7/8 Custom settings")
	h.press("esc", "8")
	if h.w.current != 7 {
		t.Fatalf("8 names no step, but opened step %d", h.w.current)
	}

	// The plain prompts ask the same list, numbered the same way. The
	// credentials are given, so they start at the consumer; enter takes
	// every default, creates the session, and q leaves.
	created := func(context.Context, string, model.Request, bool) (client.Result, error) {
		return client.Result{URL: "https://vault.apideck.com/session/x"}, nil
	}
	w := newWizardOf(withDummy(st.keys), testState(req, ""), created, func() time.Time { return fixedNow }, effects{})
	w.st.forceDemo = true
	var out bytes.Buffer
	runAccessible(t.Context(), w, strings.NewReader(strings.Repeat("\n", 40)+"q\n"), &out, "test")
	mustContain(t, out.String(), "Step 3 of 8: Unified APIs", "Step 4 of 8: Dummy", "The dummy step asks nothing.", "Step 5 of 8: Session",
		"Step 8 of 8: Review", "a step number 1 to 7")
}
