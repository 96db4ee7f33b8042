package ui

import (
	"encoding/json"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/apideck-samples/vault-session/model"
	tea "github.com/charmbracelet/bubbletea"
)

// Where newWizard puts the two steps of these files.
const (
	unifiedAPIsIndex = 2
	sessionIndex     = 3
)

// openStep starts the wizard with a session and shows step i, as the user
// reaches it after the credentials.
func openStep(t *testing.T, s model.Session, i int) *harness {
	t.Helper()
	h := newHarness(t, testState(model.Request{AppID: "app-1", ConsumerID: "acme", Session: s}, ""), nil)
	h.w.goTo(i)
	return h
}

func unifiedAPIs(h *harness) []string { return h.w.st.req.Session.Settings.UnifiedAPIs }

func sessionJSON(t *testing.T, h *harness) string {
	t.Helper()
	b, err := json.Marshal(h.w.st.req.Session)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestUnifiedAPIsInitialSendsNothing(t *testing.T) {
	t.Parallel()
	h := openStep(t, model.Session{}, unifiedAPIsIndex)
	h.golden("unified_apis_initial")
	mustContain(t, h.view(), "3/7 Unified APIs", "No API selected: Vault shows all 28 unified APIs",
		"Accounting", "accounting", "› [ ] Accounting")
	if got := unifiedAPIs(h); got != nil {
		t.Fatalf("UnifiedAPIs = %#v, want nil", got)
	}
	if strings.Contains(sessionJSON(t, h), "unified_apis") {
		t.Fatalf("json sends unified_apis: %s", sessionJSON(t, h))
	}
	// Enter goes on with nothing selected: it is a valid choice.
	h.press("enter")
	if h.w.current != sessionIndex {
		t.Fatalf("current = %d, want the session step", h.w.current)
	}
}

func TestUnifiedAPIsTickedAreSavedInCatalogueOrder(t *testing.T) {
	t.Parallel()
	h := openStep(t, model.Session{}, unifiedAPIsIndex)
	// HRIS first, CRM second: the list is still sent in catalogue order.
	// Enter leaves the filter keeping its rows; esc then clears it.
	h.typeText("/hris")
	h.press("enter", "space", "esc")
	h.typeText("crm")
	h.press("enter", "space", "esc")
	if h.w.current != unifiedAPIsIndex {
		t.Fatalf("esc with a filter left the step: current = %d", h.w.current)
	}
	if got, want := unifiedAPIs(h), []string{"crm", "hris"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("UnifiedAPIs = %q, want %q", got, want)
	}
	if js := sessionJSON(t, h); !strings.Contains(js, `"unified_apis":["crm","hris"]`) {
		t.Fatalf("json = %s", js)
	}
	// Esc kept the cursor on CRM: two rows down is Customer Support.
	h.press("down", "down", "space")
	h.golden("unified_apis_selected")
	mustContain(t, h.view(), "3 of 28 selected", "[x] CRM", "[x] HRIS", "› [x] Customer Support")
	mustNotContain(t, h.view(), "No API selected")
	// Space again un-ticks the row under the cursor.
	h.press("space")
	mustContain(t, h.view(), "2 of 28 selected")
}

func TestUnifiedAPIsFilter(t *testing.T) {
	t.Parallel()
	h := openStep(t, model.Session{}, unifiedAPIsIndex)
	h.typeText("hr")
	h.golden("unified_apis_filtered")
	screen := h.view()
	mustContain(t, screen, "Filter: hr", "› [ ] HRIS", "esc clears")
	mustNotContain(t, screen, "CRM", "Accounting")
	if !h.w.steps[unifiedAPIsIndex].typing() {
		t.Fatal("typing() is false while a filter is typed")
	}

	// Case-insensitive, by id as well as by name; every word must match.
	h.press("esc")
	h.typeText("email mark")
	mustContain(t, h.view(), "Filter: email mark", "› [ ] Email Marketing")
	mustNotContain(t, h.view(), "Transactional")
	if unifiedAPIs(h) != nil {
		t.Fatalf("a space typed in the filter ticked %q", unifiedAPIs(h))
	}
	h.press("esc")
	h.typeText("TEAM-")
	mustContain(t, h.view(), "Team Messaging")
	mustNotContain(t, h.view(), "HRIS")

	// No match says so; backspace edits the filter back.
	h.press("esc")
	h.typeText("hrx")
	mustContain(t, h.view(), `No unified API matches "hrx"`)
	h.press("space") // part of the filter: nothing is ticked
	if unifiedAPIs(h) != nil {
		t.Fatalf("space while filtering ticked %q", unifiedAPIs(h))
	}
	h.press("backspace", "backspace")
	mustContain(t, h.view(), "HRIS")

	// "?" is part of the filter while one is typed, and help when not.
	h.typeText("?")
	mustContain(t, h.view(), "Filter: hr?")
	if h.w.fullHelp {
		t.Fatal("? opened the help while typing a filter")
	}

	// The first esc clears the filter, the second goes back.
	h.press("esc")
	if h.w.current != unifiedAPIsIndex {
		t.Fatalf("esc cleared nothing and went back")
	}
	mustContain(t, h.view(), "Accounting", "/ or a letter narrows")
	h.press("?")
	if !h.w.fullHelp {
		t.Fatal("? did not open the help with no filter")
	}
	h.press("esc")
	if h.w.current != unifiedAPIsIndex-1 {
		t.Fatalf("esc without a filter: current = %d, want back", h.w.current)
	}
}

func TestUnifiedAPIsHelpLineFollowsTheFilter(t *testing.T) {
	t.Parallel()
	h := openStep(t, model.Session{}, unifiedAPIsIndex)
	mustContain(t, h.view(), "/ filter", "space toggle", "ctrl+a/d all/none", "esc back")
	h.typeText("/c")
	mustContain(t, h.view(), "enter keep these", "esc clear filter", "backspace edit")
	mustNotContain(t, h.view(), "esc back", "space toggle", "enter/tab next")
	h.press("enter")
	mustContain(t, h.view(), "space toggle", "/ edit filter", "esc clear filter", "enter/tab next")
	mustNotContain(t, h.view(), "esc back", "backspace edit")
}

func TestUnifiedAPIsSelectAllAndNone(t *testing.T) {
	t.Parallel()
	h := openStep(t, model.Session{}, unifiedAPIsIndex)
	h.press("ctrl+a")
	h.golden("unified_apis_all")
	var want []string
	for _, api := range model.UnifiedAPIs() {
		want = append(want, api.ID)
	}
	if got := unifiedAPIs(h); !reflect.DeepEqual(got, want) {
		t.Fatalf("ctrl+a: UnifiedAPIs = %q, want the catalogue", got)
	}
	mustContain(t, h.view(), "28 of 28 selected")
	h.press("ctrl+d")
	if got := unifiedAPIs(h); got != nil {
		t.Fatalf("ctrl+d: UnifiedAPIs = %q, want nil", got)
	}
	mustContain(t, h.view(), "No API selected")

	// With a filter, both act on the rows shown only.
	h.typeText("email")
	h.press("ctrl+a", "esc")
	if h.w.steps[unifiedAPIsIndex].typing() {
		t.Fatal("esc did not leave the filter")
	}
	if got, want := unifiedAPIs(h), []string{"email", "email-marketing", "transactional-email"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("ctrl+a on filter email: %q, want %q", got, want)
	}
	h.press("ctrl+a")
	h.typeText("marketing")
	h.press("ctrl+d", "esc")
	if got := unifiedAPIs(h); len(got) != 27 || strings.Contains(strings.Join(got, ","), "email-marketing") {
		t.Fatalf("ctrl+d on filter marketing: %q", got)
	}
}

func TestUnifiedAPIsUnknownIDFromALoadedSession(t *testing.T) {
	t.Parallel()
	s := model.Session{Settings: model.Settings{UnifiedAPIs: []string{"crm", "foo"}}}
	h := openStep(t, s, unifiedAPIsIndex)
	// Going on is refused: the id would be refused by the API.
	h.press("enter")
	if h.w.current != unifiedAPIsIndex {
		t.Fatalf("moved on with an unknown id")
	}
	h.golden("unified_apis_unknown")
	screen := h.view()
	mustContain(t, screen, "› [x] foo", "unknown id", `"foo" is not a unified API id`, "space removes it",
		"1 of 28 selected", "1 field needs attention")
	if got, want := unifiedAPIs(h), []string{"crm", "foo"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("the unknown id was dropped silently: %q", got)
	}
	// The cursor starts on it: space removes it, and the error goes.
	h.press("space")
	if got, want := unifiedAPIs(h), []string{"crm"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("after space: %q, want %q", got, want)
	}
	mustNotContain(t, h.view(), "needs attention", `"foo" is not`)
	mustContain(t, h.view(), "removed: will not be sent")
	h.press("enter")
	if h.w.current != sessionIndex {
		t.Fatalf("current = %d after removing the unknown id", h.w.current)
	}
	// Coming back, it is gone for good.
	h.press("esc")
	mustNotContain(t, h.view(), "foo")
}

func TestUnifiedAPIsOwnsAndFocusesItsErrorPaths(t *testing.T) {
	t.Parallel()
	c := newUnifiedAPIsStep(DefaultKeyMap())
	for _, p := range []string{"settings.unified_apis", "settings.unified_apis[3]"} {
		if !c.owns(p) {
			t.Errorf("owns(%q) = false", p)
		}
	}
	for _, p := range []string{"settings.unified_apisx", "settings.session_length", "unified_apis[0]"} {
		if c.owns(p) {
			t.Errorf("owns(%q) = true", p)
		}
	}

	// The review sends the user here on the error's path; the row of the
	// id it names gets the cursor, even behind a filter.
	s := model.Session{Settings: model.Settings{UnifiedAPIs: []string{"ats", "crm", "bogus", "hris"}}}
	h := openStep(t, s, 0)
	h.w.jumpTo(unifiedAPIsIndex, "settings.unified_apis[2]")
	mustContain(t, h.view(), "› [x] bogus")
	h.typeText("hr")
	h.w.steps[unifiedAPIsIndex].focusPath("settings.unified_apis[1]")
	// After load and saves the list is [ats crm hris bogus]: [1] is crm.
	mustContain(t, h.view(), "› [x] CRM", "/ or a letter narrows")
}

func TestUnifiedAPIsDuplicatesAreKeptOnceAndSaid(t *testing.T) {
	t.Parallel()
	s := model.Session{Settings: model.Settings{UnifiedAPIs: []string{"crm", "crm"}}}
	h := openStep(t, s, unifiedAPIsIndex)
	mustContain(t, h.view(), `"crm" listed more than once: kept once.`)
	h.press("down", "up")
	if got, want := unifiedAPIs(h), []string{"crm"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("UnifiedAPIs = %q, want %q", got, want)
	}
}

func TestUnifiedAPIsScrollsToTheBottom(t *testing.T) {
	t.Parallel()
	h := openStep(t, model.Session{}, unifiedAPIsIndex)
	for range 40 { // more than the rows: the cursor stops on the last
		h.press("down")
	}
	h.press("space")
	h.golden("unified_apis_bottom")
	mustContain(t, h.view(), "› [x] Data Warehouse", "↑ ")
	if got := unifiedAPIs(h); !reflect.DeepEqual(got, []string{"data-warehouse"}) {
		t.Fatalf("UnifiedAPIs = %q", got)
	}
	// Small screens still show the cursor's row.
	h.send(tea.WindowSizeMsg{Width: 40, Height: 12})
	mustContain(t, h.view(), "› [x] Data Warehouse")
	for range 40 {
		h.press("up")
	}
	mustContain(t, h.view(), "› [ ] Accounting")
}

func TestUnifiedAPIsBackAndForthKeepsTheSelection(t *testing.T) {
	t.Parallel()
	h := openStep(t, model.Session{}, unifiedAPIsIndex)
	h.press("down", "down", "down", "space") // CRM
	h.typeText("hris")
	// Enter leaves the filter; with one kept, enter goes on; the filter
	// is gone on return.
	h.press("enter", "space", "enter")
	if h.w.current != sessionIndex {
		t.Fatalf("current = %d", h.w.current)
	}
	h.press("esc")
	if h.w.current != unifiedAPIsIndex {
		t.Fatalf("current = %d", h.w.current)
	}
	if got, want := unifiedAPIs(h), []string{"crm", "hris"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("UnifiedAPIs = %q, want %q", got, want)
	}
	mustContain(t, h.view(), "[x] CRM", "› [x] HRIS", "2 of 28 selected", "/ or a letter narrows")
	// Back to the consumer step and forward again: still there.
	h.press("shift+tab")
	if h.w.current != unifiedAPIsIndex-1 {
		t.Fatalf("shift+tab: current = %d", h.w.current)
	}
	h.w.goTo(unifiedAPIsIndex)
	h.press("tab")
	if h.w.current != sessionIndex {
		t.Fatalf("tab: current = %d", h.w.current)
	}
	if got, want := unifiedAPIs(h), []string{"crm", "hris"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("UnifiedAPIs = %q, want %q", got, want)
	}
}

func TestUnifiedAPIsTinyScreensDoNotPanic(t *testing.T) {
	t.Parallel()
	s := model.Session{Settings: model.Settings{UnifiedAPIs: []string{"crm", "a-very-long-unknown-unified-api-identifier"}}}
	h := openStep(t, s, unifiedAPIsIndex)
	for _, size := range [][2]int{{40, 12}, {20, 5}, {1, 1}, {0, 0}} {
		h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		h.press("down", "space", "up")
		h.typeText("e")
		_ = h.view()
		h.press("esc", "enter")
		_ = h.view()
		h.w.goTo(unifiedAPIsIndex)
		// The step's own view at the narrowest width the root gives it.
		_, _ = h.w.steps[unifiedAPIsIndex].view(&h.w.st, 1)
	}
}

// BenchmarkUnifiedAPIsKeystroke is one key press on the list: the root's
// Update and the View that follows, at 120x40.
func BenchmarkUnifiedAPIsKeystroke(b *testing.B) {
	st := testState(model.Request{AppID: "app-1", ConsumerID: "acme"}, "")
	w := newWizard(st, nil, nil, effects{})
	w.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	w.goTo(unifiedAPIsIndex)
	keys := []tea.KeyMsg{keyMsg("down"), keyMsg("space"), keyMsg("c"), keyMsg("backspace")}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		w.Update(keys[i%len(keys)])
		_, _ = io.WriteString(io.Discard, w.View())
	}
}

// home, end, pgup and pgdown cross the list of unified APIs at once.
func TestUnifiedAPIsHomeEndAndPages(t *testing.T) {
	t.Parallel()
	h := openStep(t, model.Session{}, unifiedAPIsIndex)
	step := h.w.steps[unifiedAPIsIndex].(*unifiedAPIsStep)
	last := len(step.visible) - 1
	h.press("end", "space")
	if step.cursor != last || !reflect.DeepEqual(unifiedAPIs(h), []string{step.rows[step.visible[last]].id}) {
		t.Fatalf("end: cursor %d, ticked %v", step.cursor, unifiedAPIs(h))
	}
	h.press("home")
	if step.cursor != 0 {
		t.Fatalf("home: cursor %d", step.cursor)
	}
	h.press("pgdown")
	page := step.cursor
	if page <= 1 || page >= last {
		t.Fatalf("pgdown: cursor %d of %d", page, last)
	}
	h.press("pgdown", "pgdown", "pgdown", "pgdown")
	if step.cursor != last {
		t.Fatalf("pgdown past the end: cursor %d", step.cursor)
	}
	h.press("pgup")
	if step.cursor != last-page {
		t.Fatalf("pgup: cursor %d, want %d", step.cursor, last-page)
	}
	mustContain(t, h.view(), "› [")
}
