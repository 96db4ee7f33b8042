package ui

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/client/mock/mocktest"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/theme"
	"github.com/apideck-samples/vault-session/ui/clipboard"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"
)

// fixedNow is the clock of every test: goldens must not depend on the day.
var fixedNow = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

// harness drives the wizard the way Bubble Tea would, synchronously: keys
// in, Update, the commands it returns run and their messages fed back.
type harness struct {
	t       *testing.T
	w       *wizard
	opened  []string
	copied  []string
	openErr error
	// copyReport is what the fake clipboard answers: by default, sent to
	// the terminal only.
	copyReport clipboard.Report
	// bells counts the terminal bells rung; cancels the create calls
	// cancelled, where a test gives the creating screen its own cancel.
	bells, cancels int
	quit           bool
}

// testState is a state with no colour, so goldens are plain text.
func testState(req model.Request, apiKey string) state {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	return state{req: req, apiKey: apiKey, keys: DefaultKeyMap(), styles: theme.NewStyles(r), profile: termenv.Ascii,
		// A fixed base URL, demo or not, so goldens are stable.
		describe: client.New(client.WithBaseURL("https://unify.apideck.com")).Describe}
}

func newHarness(t *testing.T, st state, create createFunc) *harness {
	t.Helper()
	return newHarnessOf(t, wizardSteps(st.keys), st, create)
}

// newHarnessOf drives a wizard of the given steps.
func newHarnessOf(t *testing.T, steps []step, st state, create createFunc) *harness {
	t.Helper()
	h := &harness{t: t, copyReport: clipboard.Report{Terminal: true}}
	if create == nil {
		create = func(context.Context, string, model.Request, bool) (client.Result, error) {
			t.Fatal("unexpected create")
			return client.Result{}, nil
		}
	}
	fx := effects{
		openURL: func(u string) (string, error) {
			h.opened = append(h.opened, u)
			if h.openErr != nil {
				return "", h.openErr
			}
			return "$BROWSER: test-browser", nil
		},
		copy:  func(s string) clipboard.Report { h.copied = append(h.copied, s); return h.copyReport },
		every: func(time.Duration, tea.Msg) tea.Cmd { return nil },
		ring:  func() { h.bells++ },
	}
	h.w = newWizardOf(steps, st, create, func() time.Time { return fixedNow }, fx)
	h.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	return h
}

// send feeds one message and runs what it leads to.
func (h *harness) send(msg tea.Msg) {
	h.t.Helper()
	_, cmd := h.w.Update(msg)
	h.run(cmd)
}

// run executes a command and feeds back its messages. Commands that wait
// (ticks) are dropped after a short while: tests do not wait for timers.
func (h *harness) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(500 * time.Millisecond):
		return
	}
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			h.run(c)
		}
	case tea.QuitMsg:
		h.quit = true
	default:
		if isTimer(msg) {
			return
		}
		h.send(msg)
	}
}

// isTimer tells the messages of repeating timers, which would loop forever.
func isTimer(msg tea.Msg) bool {
	switch msg.(type) {
	case countdownMsg:
		return true
	}
	// spinner.TickMsg, cursor.BlinkMsg and the like.
	name := strings.ToLower(fmt.Sprintf("%T", msg))
	return strings.Contains(name, "tickmsg") || strings.Contains(name, "blinkmsg")
}

// typeText types each rune as a key press.
func (h *harness) typeText(s string) {
	h.t.Helper()
	for _, r := range s {
		h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

// press sends named keys: "enter", "tab", "shift+tab", "esc", "up",
// "down", "space", "ctrl+a", "backspace", or a single character.
func (h *harness) press(keys ...string) {
	h.t.Helper()
	for _, k := range keys {
		h.send(keyMsg(k))
	}
}

func keyMsg(k string) tea.KeyMsg {
	named := map[string]tea.KeyType{
		"enter": tea.KeyEnter, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab, "esc": tea.KeyEsc,
		"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
		"space": tea.KeySpace, "backspace": tea.KeyBackspace, "delete": tea.KeyDelete,
		"ctrl+a": tea.KeyCtrlA, "ctrl+d": tea.KeyCtrlD, "ctrl+c": tea.KeyCtrlC, "ctrl+j": tea.KeyCtrlJ,
		"ctrl+e": tea.KeyCtrlE, "pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "f1": tea.KeyF1,
		"ctrl+u": tea.KeyCtrlU, "home": tea.KeyHome, "end": tea.KeyEnd,
	}
	if t, ok := named[k]; ok {
		if t == tea.KeySpace {
			return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
		}
		return tea.KeyMsg{Type: t}
	}
	return keyMsgNamed(k)
}

func (h *harness) view() string { return h.w.View() }

// golden compares the screen with testdata/<name>.golden.
func (h *harness) golden(name string) {
	h.t.Helper()
	requireGolden(h.t, name, h.view())
}

// requireGolden compares a screen with testdata/<name>.golden through
// charmbracelet/x/exp/golden, the one golden helper of every test here
// (go test ./ui -update writes the files again). Trailing spaces are cut:
// they are invisible in review.
func requireGolden(t testing.TB, name, screen string) {
	t.Helper()
	lines := strings.Split(screen, "\n")
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], " ")
	}
	golden.RequireEqual(namedGolden{t, name}, []byte(strings.Join(lines, "\n")+"\n"))
}

// namedGolden names the file golden.RequireEqual reads after the screen it
// holds rather than after the test: a test checks several screens.
type namedGolden struct {
	testing.TB
	name string
}

func (g namedGolden) Name() string { return g.name }

// mustContain fails unless the screen shows every text.
func mustContain(t *testing.T, screen string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(screen, s) {
			t.Errorf("screen lacks %q:\n%s", s, screen)
		}
	}
}

// unwrapped is a screen's text as running prose: box borders gone and
// every run of spaces and line breaks one space, so a sentence the screen
// wrapped is found whole.
func unwrapped(screen string) string {
	screen = strings.NewReplacer("│", " ", "╭", " ", "╮", " ", "╰", " ", "╯", " ", "─", " ").Replace(screen)
	return strings.Join(strings.Fields(screen), " ")
}

func mustNotContain(t *testing.T, screen string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(screen, s) {
			t.Errorf("screen shows %q but should not:\n%s", s, screen)
		}
	}
}

// createWith sends with c, as Run's create does.
func createWith(c *client.Client) createFunc {
	return func(ctx context.Context, apiKey string, req model.Request, _ bool) (client.Result, error) {
		return c.Create(ctx, client.Credentials{APIKey: apiKey, AppID: req.AppID, ConsumerID: req.ConsumerID}, req.Session)
	}
}

// startProgram runs the wizard as the real Bubble Tea program, 100x30,
// on the test's clock, with a browser and a clipboard that do nothing.
func startProgram(t *testing.T, st state, create createFunc) *teatest.TestModel {
	t.Helper()
	fx := effects{
		openURL: func(string) (string, error) { return "test", nil },
		copy:    func(string) clipboard.Report { return clipboard.Report{} },
		every:   func(time.Duration, tea.Msg) tea.Cmd { return nil },
	}
	w := newWizard(st, create, func() time.Time { return fixedNow }, fx)
	return teatest.NewTestModel(t, w, teatest.WithInitialTermSize(100, 30))
}

// startMockAPI serves the demo API on the test's clock for the test's
// length, with a client of it.
func startMockAPI(t *testing.T) (*mock.Server, *client.Client) {
	t.Helper()
	api, base := mocktest.Start(t, mock.WithFixedTime(fixedNow))
	return api, client.New(client.WithBaseURL(base), client.WithVersion("test"))
}
