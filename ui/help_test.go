package ui

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/triage"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/store"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// keyByName turns a binding's key name ("ctrl+t", "shift+tab", "?",
// "alt+enter") into the message Bubble Tea delivers for it.
func keyByName(name string) tea.KeyMsg { return keyMsgNamed(name) }

// snapshot is everything a key press can change that a user notices.
func snapshot(h *harness) string {
	req, _ := json.Marshal(h.w.st.req)
	return fmt.Sprintf("%d|%d|%t|%t|%d|%s|%s|%s", h.w.current, h.w.phase(), h.w.fullHelp, h.quit, h.cancels, h.w.st.apiKey, req, h.view())
}

// TestHelpOffersOnlyKeysThatWork presses every key the full help shows on
// every step and checks it does something there: from the step as it
// opens, or after one ordinary move (a key that only works once the cursor
// has moved still works on that step).
func TestHelpOffersOnlyKeysThatWork(t *testing.T) {
	t.Parallel()
	helpKeysWorkOnEveryStep(t, DefaultKeyMap(), func(k string) string { return k })
}

// TestScreenHelpOffersOnlyKeysThatWork does the same on every screen that
// is not a step.
func TestScreenHelpOffersOnlyKeysThatWork(t *testing.T) {
	t.Parallel()
	helpKeysWorkOnEveryScreen(t, DefaultKeyMap(), func(k string) string { return k })
}

// TestRebindingAKeyIsOneChange rebinds every key of the KeyMap (alt+ in
// front of each) and finds the new keys, and only those, offered and
// working on every step and screen, and named in their words: no key is
// bound or named anywhere but in the KeyMap.
func TestRebindingAKeyIsOneChange(t *testing.T) {
	t.Parallel()
	alt := func(k string) string { return "alt+" + k }
	keys := reboundKeyMap(DefaultKeyMap(), alt)
	helpKeysWorkOnEveryStep(t, keys, alt)
	helpKeysWorkOnEveryScreen(t, keys, alt)
}

// reboundKeyMap is k with every key renamed, the editor's (KeyMap.Editor)
// too.
func reboundKeyMap(k KeyMap, rename func(string) string) KeyMap {
	renameBindings(reflect.ValueOf(&k).Elem(), rename)
	return k
}

// renameBindings renames the keys of every binding in a struct of them.
func renameBindings(v reflect.Value, rename func(string) string) {
	for i := range v.NumField() {
		b, ok := v.Field(i).Addr().Interface().(*key.Binding)
		if !ok {
			renameBindings(v.Field(i), rename)
			continue
		}
		var keys []string
		for _, name := range b.Keys() {
			keys = append(keys, rename(name))
		}
		b.SetHelp(rename(keyName(b.Keys()[0])), b.Help().Desc)
		b.SetKeys(keys...)
	}
}

// offeredKeysAreBound fails on a key the help offers that is not one the
// KeyMap was given: one bound somewhere else.
func offeredKeysAreBound(t *testing.T, where string, h *harness, rename func(string) string) {
	t.Helper()
	if rename("x") == "x" {
		return
	}
	for _, group := range h.w.fullBindings() {
		for _, b := range group {
			for _, k := range b.Keys() {
				if rename(strings.TrimPrefix(k, rename(""))) != k {
					t.Errorf("%s: the help offers %q for %q, a key the KeyMap does not hold", where, k, b.Help().Desc)
				}
			}
		}
	}
}

// defaultKeyWords finds a default key named in a screen's words.
var defaultKeyWords = regexp.MustCompile(`(^|[\s(·;,])(enter|esc|tab|space|backspace|ctrl\+[a-z]|[/?a-z]) (keeps|clears|edits|cancels|saves|removes|goes|tries|shows|takes|back|fixes|starts|next|undo|or a letter)\b|press (enter|esc|tab|space|[a-z])\b`)

// noDefaultKeyNamed fails when, with the keys rebound, the screen's words
// still name a default key.
func noDefaultKeyNamed(t *testing.T, where string, h *harness, rename func(string) string) {
	t.Helper()
	if rename("x") == "x" {
		return
	}
	if m := defaultKeyWords.FindString(h.view()); m != "" {
		t.Errorf("%s names a key the KeyMap does not hold: %q\n%s", where, m, h.view())
	}
}

func helpKeysWorkOnEveryStep(t *testing.T, keys KeyMap, rename func(string) string) {
	created := func(context.Context, string, model.Request, bool) (client.Result, error) {
		return client.Result{URL: "https://vault.apideck.com/session/x"}, nil
	}
	session := model.Session{Theme: model.Theme{SidepanelBackgroundColor: "#1f2937", SidepanelTextColor: "#1f2937"}}
	// Each step is tried as it opens with no key, and the first also with
	// a key from the environment, which it keeps until ctrl+x.
	type opening struct {
		step   int
		keyed  bool
		setups [][]string
	}
	var openings []opening
	setups := [][]string{nil, {"tab"}, {"down"}, {" "}, {"right"}, {"/", "c"}, {"ctrl+t"}}
	for step := range newWizard(testState(model.Request{}, ""), nil, nil, effects{}).steps {
		openings = append(openings, opening{step: step, setups: setups})
	}
	openings = append(openings, opening{step: stepCredentials, keyed: true, setups: [][]string{nil, {"tab"}, {"ctrl+x"}}})
	for _, o := range openings {
		step := o.step
		open := func(step int, setup []string) *harness {
			st := testState(model.Request{AppID: "app-1", ConsumerID: "acme", Session: session}, "")
			if o.keyed {
				st = withKeyFrom(testState(st.req, "sk_env"), "APIDECK_API_KEY")
			}
			st.keys = keys
			h := newHarness(t, st, created)
			h.w.goTo(step)
			for _, k := range setup {
				h.send(keyByName(rename(k)))
			}
			return h
		}
		h := open(step, nil)
		where := fmt.Sprintf("step %d (%s, key given %t)", step+1, h.w.steps[step].title(), o.keyed)
		offeredKeysAreBound(t, where, h, rename)
		noDefaultKeyNamed(t, where, h, rename)
		var offered []key.Binding
		for _, group := range h.w.fullBindings() {
			offered = append(offered, group...)
		}
		offeredKeysWork(t, where, offered, o.setups, func(setup []string) *harness { return open(step, setup) }, rename)
	}
}

// screenCase opens a wizard on one screen; setups are ordinary moves
// made before a key is tried.
type screenCase struct {
	name   string
	open   func(t *testing.T, keys KeyMap) *harness
	setups [][]string
}

func screenCases() []screenCase {
	withKeys := func(st state, keys KeyMap) state { st.keys = keys; return st }
	return []screenCase{
		{name: "resume", setups: [][]string{nil, {"down"}}, open: func(t *testing.T, keys KeyMap) *harness {
			s := testStore(t)
			s.SaveDraft(store.Draft{ConsumerID: "a", Step: "Theme"})
			s.SaveDraft(store.Draft{ConsumerID: "b", Step: "Theme"})
			return newHarness(t, withMemory(t, withKeys(testState(model.Request{AppID: "app", ConsumerID: "c"}, ""), keys), s), nil)
		}},
		{name: "preset picker", setups: [][]string{nil, {"down"}, {"x"}}, open: func(t *testing.T, keys KeyMap) *harness {
			s := testStore(t)
			s.SavePreset("acme", model.Session{Theme: model.Theme{VaultName: "Acme"}})
			s.SavePreset("globex", model.Session{Theme: model.Theme{VaultName: "Globex"}})
			st := withKeys(testState(model.Request{AppID: "app", ConsumerID: "c"}, "sk_test_key"), keys)
			return newHarness(t, withMemory(t, st, s), nil)
		}},
		{name: "save preset", setups: [][]string{nil}, open: func(t *testing.T, keys KeyMap) *harness {
			st := withKeys(testState(model.Request{AppID: "app", ConsumerID: "c"}, "sk_test_key"), keys)
			h := newHarness(t, withMemory(t, st, testStore(t)), nil)
			h.w.goTo(stepReview)
			h.send(keyPress(keys.SavePreset))
			return h
		}},
		{name: "creating", setups: [][]string{nil}, open: func(t *testing.T, keys KeyMap) *harness {
			h := newHarness(t, withKeys(testState(model.Request{AppID: "app", ConsumerID: "c"}, "k"), keys), nil)
			h.w.goTo(stepReview)
			h.w.screen = newCreatingScreen(h.w, func() { h.cancels++ })
			return h
		}},
		{name: "failure with a field to fix", setups: [][]string{nil}, open: func(t *testing.T, keys KeyMap) *harness {
			return failedWith(t, keys, apiError(401, unauthorizedBody))
		}},
		{name: "failure without", setups: [][]string{nil}, open: func(t *testing.T, keys KeyMap) *harness {
			return failedWith(t, keys, apiError(500, `{"status_code":500,"error":"Internal Server Error","message":"boom"}`))
		}},
		{name: "result", setups: [][]string{nil, {"t"}, {"@small"}, {"@small", "pgdown"}}, open: func(t *testing.T, keys KeyMap) *harness {
			h := newHarness(t, withKeys(testState(model.Request{AppID: "app", ConsumerID: "c"}, "k"), keys),
				func(context.Context, string, model.Request, bool) (client.Result, error) {
					return created(model.Request{})
				})
			h.w.goTo(stepReview)
			h.send(keyPress(keys.Create))
			return h
		}},
		{name: "consumer panel", setups: [][]string{nil}, open: func(t *testing.T, keys KeyMap) *harness {
			st := withKeys(testState(model.Request{AppID: "app", ConsumerID: "globex-17"}, "k"), keys)
			st.lookups.card = func(context.Context, string, model.Request, bool, string) (triage.Card, error) {
				return triage.Card{Consumer: client.Consumer{ConsumerID: "globex-17", Connections: []client.Connection{{
					ServiceID: "quickbooks", Name: "QuickBooks", UnifiedAPI: "accounting", State: "callable",
					Health: "pending_refresh", CredentialsExpireAt: fixedNow.Add(18 * time.Hour)}}}}, nil
			}
			h := newHarness(t, st, nil)
			h.send(keyPress(keys.ConsumerPanel))
			return h
		}},
		{name: "watch", setups: [][]string{nil, {"a"}}, open: func(t *testing.T, keys KeyMap) *harness {
			req := model.Request{AppID: "app", ConsumerID: "c"}
			req.Session.Settings.UnifiedAPIs = []string{"crm"}
			st := withKeys(testState(req, "k"), keys)
			st.listConnections = func(context.Context, string, model.Request, bool) ([]client.Connection, error) {
				return nil, nil
			}
			h := newHarness(t, st, func(context.Context, string, model.Request, bool) (client.Result, error) {
				return created(model.Request{})
			})
			h.w.goTo(stepReview)
			h.send(keyPress(keys.Create))
			h.send(keyPress(keys.Watch))
			return h
		}},
	}
}

// failedWith is a wizard on the failure screen of a create that answer
// refused.
func failedWith(t *testing.T, keys KeyMap, answer func(model.Request) (client.Result, error)) *harness {
	st := testState(model.Request{AppID: "app", ConsumerID: "c"}, "k")
	st.keys = keys
	h := newHarness(t, st, func(_ context.Context, _ string, req model.Request, _ bool) (client.Result, error) {
		return answer(req)
	})
	h.w.goTo(stepReview)
	h.send(keyPress(keys.Create))
	if h.w.phase() != phaseFailed {
		t.Fatalf("no failure screen: phase %d", h.w.phase())
	}
	return h
}

func helpKeysWorkOnEveryScreen(t *testing.T, keys KeyMap, rename func(string) string) {
	for _, c := range screenCases() {
		open := func(setup []string) *harness {
			h := c.open(t, keys)
			for _, k := range setup {
				if k == "@small" { // a page taller than the screen
					h.send(tea.WindowSizeMsg{Width: 60, Height: 14})
					continue
				}
				h.send(keyByName(rename(k)))
			}
			return h
		}
		h := open(nil)
		if h.w.screen == nil {
			t.Fatalf("%s: no screen in front", c.name)
		}
		where := c.name + " screen"
		offeredKeysAreBound(t, where, h, rename)
		noDefaultKeyNamed(t, where, h, rename)
		var offered []key.Binding
		for _, setup := range c.setups {
			for _, group := range open(setup).w.fullBindings() {
				for _, b := range group {
					if !slices.ContainsFunc(offered, func(o key.Binding) bool { return o.Help() == b.Help() }) {
						offered = append(offered, b)
					}
				}
			}
		}
		offeredKeysWork(t, where, offered, c.setups, open, rename)
	}
}

// offeredKeysWork presses each offered key on a wizard opened afresh
// after each setup in turn, until one press does something: it changes
// what the user sees, or returns a command (a key that hands over to
// another program, $EDITOR, shows nothing here but returns the command
// that does).
func offeredKeysWork(t *testing.T, where string, offered []key.Binding, setups [][]string, open func(setup []string) *harness, rename func(string) string) {
	t.Helper()
	for _, b := range offered {
		works := false
		for _, setup := range setups {
			h := open(setup)
			// The help may have changed with the setup: try the key only
			// where it is still offered.
			if !offers(h, b) {
				continue
			}
			before := snapshot(h)
			_, cmd := h.w.Update(keyByName(b.Keys()[0]))
			h.run(cmd)
			noDefaultKeyNamed(t, where+" after "+b.Help().Key, h, rename)
			if cmd != nil || snapshot(h) != before {
				works = true
				break
			}
		}
		if !works {
			t.Errorf("%s: the help offers %q %q, which does nothing there", where, b.Help().Key, b.Help().Desc)
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
	t.Parallel()
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
	t.Parallel()
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

// TestFullHelpHasEveryKey: the full help (f1) lists every key of the help
// line on every step, the Theme step's ctrl+z and ctrl+p even before they
// apply, and every key every step shares.
func TestFullHelpHasEveryKey(t *testing.T) {
	t.Parallel()
	s := testStore(t)
	s.AppendHistory(store.Entry{ConsumerID: "globex-17", AccountName: "Globex"})
	for step := range wizardSteps(DefaultKeyMap()) {
		for _, setup := range [][]string{nil, {"tab"}, {"g"}, {"/"}} {
			st := withMemory(t, testState(model.Request{AppID: "app-1", ConsumerID: "", Session: model.Session{}}, ""), s)
			h := newHarness(t, st, nil)
			h.send(tea.WindowSizeMsg{Width: 120, Height: 40})
			h.w.goTo(step)
			h.press("tab", "tab")
			h.press(setup...)
			var full []key.Binding
			for _, g := range h.w.fullBindings() {
				full = append(full, g...)
			}
			for _, b := range h.w.bindings() {
				if !answersAll(full, b) {
					t.Errorf("step %d after %v: the help line offers %q %q, the full help does not", step+1, setup, b.Help().Key, b.Help().Desc)
				}
			}
			k := h.w.st.keys
			shared := []key.Binding{k.Help, k.Quit}
			if h.w.current != stepReview {
				shared = append(shared, k.ToReview)
			}
			for _, b := range shared {
				if !answersAll(full, untypable(b)) {
					t.Errorf("step %d: the full help lacks %q %q", h.w.current+1, b.Help().Key, b.Help().Desc)
				}
			}
		}
	}
	h := openStep(t, model.Session{}, sessionIndex+1) // the Theme step
	h.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	h.press("f1")
	mustContain(t, h.view(), "ctrl+z", "undo the last palette or fix", "ctrl+p", "preview")
}
