package ui

import (
	"reflect"
	"strings"
	"testing"

	"github.com/apideck-samples/vault-session/model"
	tea "github.com/charmbracelet/bubbletea"
)

func settings(h *harness) model.Settings { return h.w.st.req.Session.Settings }

// down presses ↓ n times.
func down(h *harness, n int) {
	h.t.Helper()
	for range n {
		h.press("down")
	}
}

// Rows of the session step with no custom length and every action allowed:
// 0 the length, 1-8 the booleans in model order, 9 the allowed actions.
const (
	rowShowLogs    = 4
	rowSandbox     = 2
	rowShowSidebar = 6
	rowActions     = 9
)

func TestSessionDefaultsSendNothing(t *testing.T) {
	t.Parallel()
	h := openStep(t, model.Session{}, sessionIndex)
	h.golden("session_defaults")
	mustContain(t, h.view(), "4/7 Session", "[default (1h)]", "○ default (on)", "○ default (off)",
		"[all (not sent)]", "shows the Logs page and its navigation item", "not sent: Vault's default")
	for _, b := range model.BoolSettings() {
		mustContain(t, h.view(), b.Title, b.Help)
	}
	h.press("enter")
	if h.w.current != sessionIndex+1 {
		t.Fatalf("current = %d, want the next step", h.w.current)
	}
	if got := settings(h); !reflect.DeepEqual(got, model.Settings{}) {
		t.Fatalf("settings = %+v, want none", got)
	}
	if js := sessionJSON(t, h); strings.Contains(js, "settings") {
		t.Fatalf("json sends settings: %s", js)
	}
}

func TestSessionCommonLength(t *testing.T) {
	t.Parallel()
	h := openStep(t, model.Session{}, sessionIndex)
	h.press("right", "right", "right") // 15m, 30m, 1h
	if got := settings(h).SessionLength; got != "1h" {
		t.Fatalf("SessionLength = %q, want 1h (sent even though it is the default)", got)
	}
	mustContain(t, h.view(), "[1h]", "● sent: the link works for 1 hour")
	h.press("right", "right", "left")
	if got := settings(h).SessionLength; got != "4h" {
		t.Fatalf("SessionLength = %q, want 4h", got)
	}
	h.press("delete")
	if got := settings(h).SessionLength; got != "" {
		t.Fatalf("reset: SessionLength = %q, want not sent", got)
	}
	// Left at the first choice stays there.
	h.press("left")
	mustContain(t, h.view(), "[default (1h)]")
}

func TestSessionCustomLengthIsCheckedLive(t *testing.T) {
	t.Parallel()
	h := openStep(t, model.Session{}, sessionIndex)
	for range 10 { // past the last choice: it stays on "custom…"
		h.press("right")
	}
	if h.w.steps[sessionIndex].typing() {
		t.Fatal("typing() on the length choices")
	}
	h.press("down")
	if !h.w.steps[sessionIndex].typing() {
		t.Fatal("typing() is false in the custom input")
	}
	h.typeText("2w")
	h.golden("session_custom_invalid")
	mustContain(t, h.view(), `✗ session length "2w" is over 1 week`, "at most 1 week", "[custom…]")
	if got := settings(h).SessionLength; got != "2w" {
		t.Fatalf("SessionLength = %q: what is typed must be kept", got)
	}
	// Going on is refused and the footer counts the problem.
	h.press("enter")
	if h.w.current != sessionIndex {
		t.Fatal("moved on with an invalid length")
	}
	mustContain(t, h.view(), "1 field needs attention")
	// Backspace edits the text here; it does not reset anything.
	h.press("backspace", "backspace")
	h.typeText("1h30m")
	mustContain(t, h.view(), `✓ the link works for 1 hour 30 minutes (sent as "90m")`)
	mustNotContain(t, h.view(), "needs attention", "✗")
	// Left and right move in the text; "?" is typed, not the help.
	h.press("left", "left", "right")
	h.typeText("?")
	if h.w.fullHelp {
		t.Fatal("help opened while typing")
	}
	if got := settings(h).SessionLength; got != "1h30?m" {
		t.Fatalf("SessionLength = %q, want the ? typed before the last letter", got)
	}
	h.press("backspace")
	h.press("enter")
	if h.w.current != sessionIndex+1 {
		t.Fatalf("current = %d", h.w.current)
	}
	if got := settings(h).SessionLength; got != "1h30m" {
		t.Fatalf("SessionLength = %q", got)
	}
}

func TestSessionLoadsLengths(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ length, shows string }{
		{"", "[default (1h)]"},
		{"30m", "[30m]"},
		{"45m", "45m"}, // not a choice: the custom input holds it
		{"nonsense", `✗ session length "nonsense" is not understood`},
	} {
		h := openStep(t, model.Session{Settings: model.Settings{SessionLength: tc.length}}, sessionIndex)
		mustContain(t, h.view(), tc.shows)
		// Moving around writes back exactly what was loaded.
		h.press("down", "up")
		if got := settings(h).SessionLength; got != tc.length {
			t.Errorf("loaded %q, state now %q", tc.length, got)
		}
	}
	h := openStep(t, model.Session{Settings: model.Settings{SessionLength: "45m"}}, sessionIndex)
	mustContain(t, h.view(), "[custom…]", "✓ the link works for 45 minutes")
	// The error path of the length focuses the input.
	h.w.steps[sessionIndex].focusPath("settings.session_length")
	if !h.w.steps[sessionIndex].typing() {
		t.Fatal("focusPath(session_length) did not focus the custom input")
	}
}

func TestSessionBooleansAreTriState(t *testing.T) {
	t.Parallel()
	h := openStep(t, model.Session{}, sessionIndex)
	// Show logs is on by default: space turns it off, explicitly.
	down(h, rowShowLogs)
	h.press("space")
	if p := settings(h).ShowLogs; p == nil || *p {
		t.Fatalf("ShowLogs = %v, want explicit false", p)
	}
	if js := sessionJSON(t, h); !strings.Contains(js, `"show_logs":false`) {
		t.Fatalf("json = %s", js)
	}
	// Sandbox mode: right walks default → on.
	h.press("up", "up", "right")
	if p := settings(h).SandboxMode; p == nil || !*p {
		t.Fatalf("SandboxMode = %v, want explicit true", p)
	}
	// Show sidebar: left walks default → off (backwards through on).
	down(h, rowShowSidebar-rowSandbox)
	h.press("left")
	if p := settings(h).ShowSidebar; p == nil || *p {
		t.Fatalf("ShowSidebar = %v, want explicit false", p)
	}
	h.golden("session_tristates")
	mustContain(t, h.view(), "● off", "● on", "○ default (off)")

	// Space again: on, and still sent.
	h.press("space")
	if p := settings(h).ShowSidebar; p == nil || !*p {
		t.Fatalf("ShowSidebar = %v, want explicit true", p)
	}
	if js := sessionJSON(t, h); !strings.Contains(js, `"show_sidebar":true`) {
		t.Fatalf("json = %s", js)
	}
	// Backspace resets to the default: not sent at all.
	h.press("backspace")
	if settings(h).ShowSidebar != nil {
		t.Fatal("reset did not unset show_sidebar")
	}
	h.press("up", "up", "delete") // show_logs
	if settings(h).ShowLogs != nil {
		t.Fatal("reset did not unset show_logs")
	}
	if js := sessionJSON(t, h); strings.Contains(js, "show_logs") || strings.Contains(js, "show_sidebar") {
		t.Fatalf("json still sends a reset value: %s", js)
	}
	// Right three times comes back round to the default.
	h.press("right", "right", "right")
	if settings(h).ShowLogs != nil {
		t.Fatalf("ShowLogs = %v after a full turn", *settings(h).ShowLogs)
	}
	// "?" is the help here: no text input is focused.
	h.press("?")
	if !h.w.fullHelp {
		t.Fatal("? did not open the help on a boolean row")
	}
}

func TestSessionBooleansLoad(t *testing.T) {
	t.Parallel()
	s := model.Session{Settings: model.Settings{ShowLogs: model.Bool(false), HideGuides: model.Bool(true)}}
	h := openStep(t, s, sessionIndex)
	h.press("down", "up")
	got := settings(h)
	if got.ShowLogs == nil || *got.ShowLogs || got.HideGuides == nil || !*got.HideGuides || got.SandboxMode != nil {
		t.Fatalf("settings after load = %+v", got)
	}
	// The state's pointers are not the step's own: writing through one
	// does not change the widget, and the next save puts the widget's
	// value back.
	*got.ShowLogs = true
	h.press("down")
	if p := settings(h).ShowLogs; p == nil || *p {
		t.Fatal("the step shares its boolean with the state")
	}
}

func TestSessionAllowedActions(t *testing.T) {
	t.Parallel()
	h := openStep(t, model.Session{}, sessionIndex)
	down(h, rowActions)
	if settings(h).AllowActions != nil {
		t.Fatal("actions sent by default")
	}
	// A subset starts from every action ticked; un-tick delete and disable.
	h.press("right")
	if got, want := settings(h).AllowActions, []string{"delete", "disconnect", "reauthorize", "disable"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("subset: %q, want %q", got, want)
	}
	h.press("down", "space", "down", "down", "down", "space")
	if got, want := settings(h).AllowActions, []string{"disconnect", "reauthorize"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("subset: %q, want %q", got, want)
	}
	h.golden("session_actions_subset")
	mustContain(t, h.view(), "[a subset]", "[ ] remove the connection and its settings",
		"[x] revoke the connection's credentials", "› ", "disable")
	// Down past the last row stays; tab past it goes on.
	h.press("down")
	mustContain(t, h.view(), "›   disable")

	// None: sent as an empty list, not left out.
	h.press("up", "up", "up", "up", "right")
	got := settings(h).AllowActions
	if got == nil || len(got) != 0 {
		t.Fatalf("none: AllowActions = %#v, want empty and non-nil", got)
	}
	if js := sessionJSON(t, h); !strings.Contains(js, `"allow_actions":[]`) {
		t.Fatalf("json = %s", js)
	}
	h.golden("session_actions_none")
	mustContain(t, h.view(), "[none (sent as [])]", "● sent as []")
	mustNotContain(t, h.view(), "[x] revoke")

	// Back to a subset: the ticks chosen before are still there.
	h.press("left")
	if got, want := settings(h).AllowActions, []string{"disconnect", "reauthorize"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("subset again: %q, want %q", got, want)
	}
	// Nothing ticked in a subset is sent as [] too.
	h.press("down", "down", "space", "down", "space")
	if got := settings(h).AllowActions; got == nil || len(got) != 0 {
		t.Fatalf("empty subset: %#v", got)
	}
	// Reset on the mode row: all, not sent.
	h.press("up", "up", "up", "backspace")
	if settings(h).AllowActions != nil {
		t.Fatalf("reset: %#v", settings(h).AllowActions)
	}
	h.press("tab")
	if h.w.current != sessionIndex+1 {
		t.Fatalf("tab on the last row: current = %d", h.w.current)
	}
}

func TestSessionUnknownActionFromALoadedSession(t *testing.T) {
	t.Parallel()
	s := model.Session{Settings: model.Settings{AllowActions: []string{"delete", "explode"}}}
	h := openStep(t, s, 0)
	// As the review does: open the step on the error's path.
	h.w.jumpTo(sessionIndex, "settings.allow_actions[1]")
	h.w.st.errs = h.w.steps[sessionIndex].validate(&h.w.st)
	screen := h.view()
	mustContain(t, screen, "› ", "explode", "unknown action", `"explode" is not an action`, "removes it",
		"1 field needs attention")
	if !strings.Contains(screen, "›   explode") {
		t.Fatalf("the unknown action is not focused:\n%s", screen)
	}
	h.press("space")
	if got, want := settings(h).AllowActions, []string{"delete"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("after removing: %q, want %q", got, want)
	}
	mustNotContain(t, h.view(), "needs attention", "is not an action")
}

func TestSessionOwns(t *testing.T) {
	t.Parallel()
	c := newSessionStep(DefaultKeyMap())
	for _, p := range []string{"settings.session_length", "settings.allow_actions", "settings.allow_actions[2]",
		"settings.show_logs", "settings.hide_guides", "settings.sandbox_mode"} {
		if !c.owns(p) {
			t.Errorf("owns(%q) = false", p)
		}
	}
	for _, p := range []string{"settings.unified_apis[0]", "theme.logo", "show_logs", "settings"} {
		if c.owns(p) {
			t.Errorf("owns(%q) = true", p)
		}
	}
	c.focusPath("settings.auto_redirect")
	if got := c.focused(); got != (sessionRow{kind: rowBool, index: 6}) {
		t.Errorf("focusPath(auto_redirect) focused %+v", got)
	}
}

func TestSessionBackAndForthKeepsEveryValue(t *testing.T) {
	t.Parallel()
	h := openStep(t, model.Session{}, sessionIndex)
	for range 8 {
		h.press("right") // custom…
	}
	h.press("down")
	h.typeText("3d")
	h.press("down", "space") // hide resource settings: on
	down(h, rowActions-1)
	h.press("right", "right") // none
	want := settings(h)
	screen := h.view()

	h.press("enter") // on to the theme step
	if h.w.current != sessionIndex+1 {
		t.Fatalf("current = %d", h.w.current)
	}
	h.press("esc")
	if h.w.current != sessionIndex {
		t.Fatalf("current = %d", h.w.current)
	}
	if got := settings(h); !reflect.DeepEqual(got, want) {
		t.Fatalf("after next and back: %+v, want %+v", got, want)
	}
	if h.view() != screen {
		t.Errorf("the screen changed:\n%s\nwas\n%s", h.view(), screen)
	}
	// Back to the unified APIs and forward again: still the same.
	h.press("esc")
	if h.w.current != unifiedAPIsIndex {
		t.Fatalf("current = %d", h.w.current)
	}
	h.press("enter")
	if got := settings(h); !reflect.DeepEqual(got, want) {
		t.Fatalf("after back and next: %+v, want %+v", got, want)
	}
	if got := settings(h); got.SessionLength != "3d" || got.HideResourceSettings == nil || got.AllowActions == nil {
		t.Fatalf("settings = %+v", got)
	}
	// Shift+tab on the first row goes back a step.
	h.w.steps[sessionIndex].focusPath("settings.session_length")
	h.press("up", "up", "shift+tab")
	if h.w.current != unifiedAPIsIndex {
		t.Fatalf("shift+tab on the first row: current = %d", h.w.current)
	}
}

func TestSessionTinyScreensDoNotPanic(t *testing.T) {
	t.Parallel()
	s := model.Session{Settings: model.Settings{SessionLength: "bad", AllowActions: []string{"nope"}}}
	h := openStep(t, s, sessionIndex)
	for _, size := range [][2]int{{40, 12}, {20, 5}, {1, 1}} {
		h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		for range 16 {
			h.press("down", "right", "space")
			_ = h.view()
		}
		for range 16 {
			h.press("up", "left", "delete")
			_ = h.view()
		}
		for _, w := range []int{40, 10, 1, 0} {
			_, _ = h.w.steps[sessionIndex].view(&h.w.st, w)
		}
	}
	h.send(tea.WindowSizeMsg{Width: 40, Height: 12})
	down(h, 30)
	// The last row is in view at the smallest size the root draws.
	if !strings.Contains(h.view(), "› ") {
		t.Fatalf("focused row not shown at 40x12:\n%s", h.view())
	}
}

// home, end, pgup and pgdown cross the long session step at once.
func TestSessionHomeEndAndPages(t *testing.T) {
	t.Parallel()
	h := openStep(t, model.Session{}, sessionIndex)
	step := h.w.steps[sessionIndex].(*sessionStep)
	h.press("end")
	if step.focus != len(step.rows)-1 || step.focused().kind != rowActionsMode {
		t.Fatalf("end: focus %d of %d rows", step.focus, len(step.rows))
	}
	h.press("home")
	if step.focus != 0 {
		t.Fatalf("home: focus %d", step.focus)
	}
	h.press("pgdown")
	if step.focus <= 1 {
		t.Fatalf("pgdown moved to row %d", step.focus)
	}
	page := step.focus
	h.press("pgdown", "pgdown", "pgdown")
	if step.focus != len(step.rows)-1 {
		t.Fatalf("pgdown past the end: row %d", step.focus)
	}
	h.press("pgup")
	if step.focus != len(step.rows)-1-page {
		t.Fatalf("pgup: row %d, want %d", step.focus, len(step.rows)-1-page)
	}
	// While the custom length is typed, home and end move its text cursor.
	h = openStep(t, model.Session{Settings: model.Settings{SessionLength: "90m"}}, sessionIndex)
	step = h.w.steps[sessionIndex].(*sessionStep)
	h.press("down")
	if step.focused().kind != rowCustomLength {
		t.Fatalf("row %d is not the custom length", step.focus)
	}
	h.press("home")
	h.typeText("1")
	if step.focused().kind != rowCustomLength || settings(h).SessionLength != "190m" {
		t.Fatalf("home in the custom length: row %d, length %q", step.focus, settings(h).SessionLength)
	}
}

// TestSessionTypedLengthAndRowJumps: a length is typed where the length
// is ("1d" is two keys, checked by the model's rules as it is typed), and
// a letter jumps to the next row it starts: "1 day, no delete" is 9 keys
// where it took 19.
func TestSessionTypedLengthAndRowJumps(t *testing.T) {
	t.Parallel()
	h := openStep(t, model.Session{}, sessionIndex)
	h.typeText("1d")
	if got := h.w.st.req.Session.Settings.SessionLength; got != "1d" {
		t.Fatalf("typed 1d: session length %q", got)
	}
	h.golden("session_typed_length")
	mustContain(t, h.view(), "✓ the link works for 1 day", "›   Custom length        1d")

	h.press("tab", "a", "a") // the next row, then Auto-redirect, then Allowed actions
	mustContain(t, h.view(), "› Allowed actions")
	h.press("right", "d", "space") // a subset; the delete row; untick it
	h.press("enter")
	if h.w.current != sessionIndex+1 {
		t.Fatalf("enter did not go on: step %d", h.w.current+1)
	}
	set := h.w.st.req.Session.Settings
	if set.SessionLength != "1d" || strings.Join(set.AllowActions, ",") != "disconnect,reauthorize,disable" {
		t.Fatalf("sent %q and actions %q", set.SessionLength, set.AllowActions)
	}

	// A length the model refuses says why, inline, as it is typed.
	h = openStep(t, model.Session{}, sessionIndex)
	h.typeText("9w")
	mustContain(t, h.view(), "✗ ")
	if errs := h.w.steps[sessionIndex].validate(&h.w.st); errs.For(sessionLengthPath) == "" {
		t.Fatal("9w was taken")
	}
	// A letter goes round the rows it starts: s from Session length is
	// Sandbox mode, then Show logs.
	h = openStep(t, model.Session{}, sessionIndex)
	h.press("s")
	mustContain(t, h.view(), "› Sandbox mode")
	h.press("s")
	mustContain(t, h.view(), "› Show logs")
	// Digits are not a length away from the length row; letters are text
	// in the custom length.
	h.press("4")
	if h.w.st.req.Session.Settings.SessionLength != "" {
		t.Fatal("a digit on a boolean row typed a length")
	}
}
