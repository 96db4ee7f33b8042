package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/apideck-samples/vault-session/model"
	tea "github.com/charmbracelet/bubbletea"
)

const stepCustomSettings = 5

// openCustomSettings starts a wizard on the custom settings step.
func openCustomSettings(t *testing.T, req model.Request) *harness {
	t.Helper()
	h := newHarness(t, testState(req, ""), nil)
	h.w.goTo(stepCustomSettings)
	return h
}

func customStep(h *harness) *customSettingsStep {
	return h.w.steps[stepCustomSettings].(*customSettingsStep)
}

// typeLines types text, pressing enter for every line break.
func (h *harness) typeLines(text string) {
	h.t.Helper()
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			h.press("enter")
		}
		h.typeText(line)
	}
}

func basicRequest() model.Request { return model.Request{AppID: "app", ConsumerID: "acme"} }

func TestCustomSettingsEmpty(t *testing.T) {
	t.Parallel()
	h := openCustomSettings(t, basicRequest())
	h.golden("custom_settings_empty")
	mustContain(t, h.view(), "6/7 Custom settings", "Example: {\"feature_flag_1\": true",
		"Blank: custom_consumer_settings is not sent.", "enter/tab next", "type/↑↓←→ edit", "esc back", "ctrl+e format")

	// Blank is fine: enter goes on to the review, nothing sent.
	h.press("enter")
	if h.w.current != stepReview {
		t.Fatalf("tab on a blank editor: current = %d, want the review", h.w.current)
	}
	if h.w.st.req.Session.CustomConsumerSettings != nil {
		t.Fatalf("blank text put %v in the request", h.w.st.req.Session.CustomConsumerSettings)
	}
}

func TestCustomSettingsValidJSONIsSaved(t *testing.T) {
	t.Parallel()
	h := openCustomSettings(t, basicRequest())
	text := "{\n  \"plan\": \"pro\",\n  \"seats\": 5,\n  \"flags\": {\"beta\": true}\n}"
	h.typeLines(text)
	h.golden("custom_settings_valid")
	mustContain(t, h.view(), "✓ A valid JSON object with 3 keys.")

	want := `{"plan":"pro","seats":5,"flags":{"beta":true}}`
	if got := string(h.w.st.req.Session.CustomConsumerSettings); got != want {
		t.Fatalf("request holds %s, want %s", got, want)
	}
	if got := customStep(h).raw; got != text {
		t.Fatalf("raw text = %q, want %q", got, text)
	}
	h.press("tab")
	if h.w.current != stepReview {
		t.Fatalf("tab with valid JSON: current = %d, want the review", h.w.current)
	}
}

func TestCustomSettingsSyntaxErrorShowsLineAndColumn(t *testing.T) {
	t.Parallel()
	h := openCustomSettings(t, basicRequest())
	// The comma after "pro" is missing.
	h.typeLines("{\n  \"plan\": \"pro\"\n  \"seats\": 5\n}")
	h.golden("custom_settings_error")
	screen := h.view()
	// The message is the model's, with its line and column.
	_, perr := model.ParseJSONObject(customStep(h).raw)
	if perr == nil {
		t.Fatal("the typed text parses")
	}
	want := perr.Error()
	if !strings.HasPrefix(want, "line 3, column ") {
		t.Fatalf("model error %q is not on line 3", want)
	}
	mustContain(t, screen, "✗ "+want, "invalid character '\"' after object key:value pair")
	// The bad line is marked in the editor's gutter; the others are not.
	mustContain(t, screen, "  ✗   3   \"seats\": 5", "  ┃   2   \"plan\": \"pro\"")

	// Next is refused with the error, under its path.
	h.press("tab")
	if h.w.current != stepCustomSettings {
		t.Fatalf("tab with broken JSON moved on to step %d", h.w.current)
	}
	if got := h.w.st.errs.For("custom_consumer_settings"); got != want {
		t.Fatalf("error = %q, want %q", got, want)
	}
	mustContain(t, h.view(), "1 field needs attention")
	if h.w.st.req.Session.CustomConsumerSettings != nil {
		t.Fatal("broken JSON reached the request")
	}
	if h.w.st.customSettingsErr == nil {
		t.Fatal("the state does not know the text is broken")
	}

	// Fixing it clears the error as it is typed: go to the end of line 2
	// and add the comma.
	h.press("up", "up", "end")
	h.typeText(",")
	mustNotContain(t, h.view(), "✗ line", "needs attention")
	if len(h.w.st.errs) != 0 || h.w.st.customSettingsErr != nil {
		t.Fatalf("errors left after the fix: %v / %v", h.w.st.errs, h.w.st.customSettingsErr)
	}
	want2 := `{"plan":"pro","seats":5}`
	if got := string(h.w.st.req.Session.CustomConsumerSettings); got != want2 {
		t.Fatalf("request holds %s, want %s", got, want2)
	}
}

func TestCustomSettingsLoadedFromSession(t *testing.T) {
	t.Parallel()
	s, err := model.DecodeSession([]byte(`{"custom_consumer_settings": {"tax_rates": [{"id": "6", "label": "6%"}], "feature_flag_1": true, "limit": 1.50}}`))
	if err != nil {
		t.Fatal(err)
	}
	req := basicRequest()
	req.Session = s
	h := openCustomSettings(t, req)
	h.golden("custom_settings_loaded")
	// In the file's order, numbers as written.
	want := `{
  "tax_rates": [
    {
      "id": "6",
      "label": "6%"
    }
  ],
  "feature_flag_1": true,
  "limit": 1.50
}`
	if got := customStep(h).editor.Value(); got != want {
		t.Fatalf("editor shows\n%s\nwant\n%s", got, want)
	}
	// Entering and leaving without an edit keeps the very same object.
	h.press("tab")
	if !reflect.DeepEqual(h.w.st.req.Session.CustomConsumerSettings, s.CustomConsumerSettings) {
		t.Fatalf("object changed by a visit: %#v", h.w.st.req.Session.CustomConsumerSettings)
	}
}

func TestCustomSettingsBackAndForthKeepsTheRawText(t *testing.T) {
	t.Parallel()
	h := openCustomSettings(t, basicRequest())
	// Odd but valid spacing, key order and number forms: none may change.
	text := "{ \"zeta\":1.0,\n\n      \"alpha\" :[ 1e3,  2 ],\"s\":\"a<b&c\"   }  "
	h.typeLines(text)
	check := func(when string) {
		t.Helper()
		if h.w.current != stepCustomSettings {
			t.Fatalf("%s: current = %d", when, h.w.current)
		}
		if got := customStep(h).editor.Value(); got != text {
			t.Fatalf("%s: text is %q, want %q", when, got, text)
		}
	}
	h.press("shift+tab") // back to the theme
	if h.w.current != stepCustomSettings-1 {
		t.Fatalf("shift+tab: current = %d, want the theme step", h.w.current)
	}
	h.send(nextStepMsg{})
	check("after the theme step")
	h.press("tab", "esc") // to the review and back
	check("after the review")
	h.press("esc")
	h.send(nextStepMsg{})
	check("after esc")

	// Broken text is kept as well, even though the request cannot hold it:
	// esc stops editing and says so, esc again goes back.
	h.typeText(" oops")
	text += " oops"
	h.press("esc")
	mustContain(t, h.view(), "The JSON is not valid: esc again goes back with the text kept as typed")
	h.press("esc")
	if h.w.current != stepCustomSettings-1 {
		t.Fatalf("esc twice with broken JSON: current = %d, want the theme step", h.w.current)
	}
	h.send(nextStepMsg{})
	check("after leaving broken text")
}

func TestCustomSettingsFormat(t *testing.T) {
	t.Parallel()
	h := openCustomSettings(t, basicRequest())
	h.typeText(`{"z":1,"a":{"list":[1,2.50]},"url":"https://x.io/?a=1&b=2"}`)
	h.press("ctrl+e")
	// Keys stay in the order typed, numbers as written, & unescaped.
	want := `{
  "z": 1,
  "a": {
    "list": [
      1,
      2.50
    ]
  },
  "url": "https://x.io/?a=1&b=2"
}`
	if got := customStep(h).editor.Value(); got != want {
		t.Fatalf("formatted:\n%s\nwant\n%s", got, want)
	}
	mustContain(t, h.view(), "Formatted.")

	// Broken JSON is left alone, with a word why.
	h.typeText("x")
	before := customStep(h).editor.Value()
	h.press("ctrl+e")
	if got := customStep(h).editor.Value(); got != before {
		t.Fatalf("broken JSON was changed by format: %q", got)
	}
	mustContain(t, h.view(), "Fix the error first")
}

func TestCustomSettingsClearingTheTextSendsNothing(t *testing.T) {
	t.Parallel()
	h := openCustomSettings(t, basicRequest())
	h.typeText(`{"a":1}`)
	if h.w.st.req.Session.CustomConsumerSettings == nil {
		t.Fatal("valid JSON not saved")
	}
	for range len(`{"a":1}`) {
		h.press("backspace")
	}
	if got := h.w.st.req.Session.CustomConsumerSettings; got != nil {
		t.Fatalf("cleared text still sends %v", got)
	}
	mustContain(t, h.view(), "Blank: custom_consumer_settings is not sent.")
}

func TestCustomSettingsNotAnObject(t *testing.T) {
	t.Parallel()
	h := openCustomSettings(t, basicRequest())
	h.typeText(`[1, 2]`)
	mustContain(t, h.view(), "✗ line 1, column 1: expected a JSON object {...}")
	h.press("tab")
	if h.w.current != stepCustomSettings {
		t.Fatal("a JSON array was accepted")
	}
}

func TestCustomSettingsExternalEditor(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("the fake editor is a shell script")
	}
	dir := t.TempDir()
	seen := filepath.Join(dir, "seen")
	editor := filepath.Join(dir, "fake-editor")
	// The file is the last argument, after the editor's own.
	script := "#!/bin/sh\nfor f; do :; done\ncp \"$f\" '" + seen + "'\nprintf '{\\n  \"from\": \"editor\"\\n}\\n' > \"$f\"\n"
	if err := os.WriteFile(editor, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	h := openCustomSettings(t, basicRequest())
	h.typeText(`{"a": 1}`)
	c := customStep(h)
	c.getenv = func(name string) string {
		if name == "EDITOR" {
			return editor + " --wait"
		}
		return ""
	}
	cmd, done, err := editorCommand(c.raw, c.getenv)
	if err != nil {
		t.Fatal(err)
	}
	if got := cmd.Args[1]; got != "--wait" {
		t.Fatalf("editor arguments lost: %q", cmd.Args)
	}
	tmp := cmd.Args[len(cmd.Args)-1]
	msg := done(cmd.Run())
	h.send(msg)

	if data, err := os.ReadFile(seen); err != nil || string(data) != `{"a": 1}` {
		t.Fatalf("the editor got %q (%v), want the text as typed", data, err)
	}
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Fatalf("temporary file %s left behind (%v)", tmp, err)
	}
	// The editor's final newline is not part of the text.
	if got, want := c.editor.Value(), "{\n  \"from\": \"editor\"\n}"; got != want {
		t.Fatalf("text after the editor = %q, want %q", got, want)
	}
	if got := string(h.w.st.req.Session.CustomConsumerSettings); got != `{"from":"editor"}` {
		t.Fatalf("request not updated from the editor: %s", got)
	}

	// A failing editor leaves the text alone and says so.
	c.getenv = func(string) string { return "false" }
	cmd, done, err = editorCommand(c.raw, c.getenv)
	if err != nil {
		t.Fatal(err)
	}
	h.send(done(cmd.Run()))
	if got := c.editor.Value(); got != "{\n  \"from\": \"editor\"\n}" {
		t.Fatalf("a failed editor changed the text to %q", got)
	}
	mustContain(t, h.view(), "The editor did not work; the text is unchanged")
}

func TestCustomSettingsOpenEditorKey(t *testing.T) {
	// The temporary file goes to a directory the test removes.
	t.Setenv("TMPDIR", t.TempDir())
	h := openCustomSettings(t, basicRequest())
	c := customStep(h)
	c.getenv = func(string) string { return "true" }
	// ctrl+o hands a process to Bubble Tea, which the harness cannot run:
	// check a command comes back and nothing is touched before it runs.
	cmd := c.update(tea.KeyMsg{Type: tea.KeyCtrlO}, &h.w.st)
	if cmd == nil {
		t.Fatal("ctrl+o returned no command")
	}
	if c.raw != "" || c.note != "" {
		t.Fatalf("ctrl+o changed the step: %q %q", c.raw, c.note)
	}

	// A temporary file that cannot be written is reported, not fatal.
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "missing"))
	msg := c.openEditor(nil)()
	done, ok := msg.(editorDoneMsg)
	if !ok || done.err == nil {
		t.Fatalf("openEditor without a temp dir gave %#v", msg)
	}
	h.send(done)
	mustContain(t, h.view(), "The editor did not work; the text is unchanged")
}

func TestCustomSettingsTinyWidth(t *testing.T) {
	t.Parallel()
	h := openCustomSettings(t, basicRequest())
	h.send(tea.WindowSizeMsg{Width: 40, Height: 16})
	h.typeLines("{\n  \"a long key that wraps in forty\": 1\n  \"b\": 2\n}")
	h.press("up")
	screen := h.view()
	mustContain(t, screen, "6/7")
	if !strings.Contains(customStep(h).status(&h.w.st, 40), "line 3") {
		t.Fatalf("status lacks the line: %q", customStep(h).status(&h.w.st, 40))
	}
	// Line 2 wraps onto a second row, without a number; the cross is
	// still on line 3, where the comma is missing.
	mustContain(t, screen, "  ┃   2   \"a long key that wraps in \n  ┃     forty\": 1\n  ✗   3   \"b\": 2\n")
}

// FuzzCustomSettingsText pastes any text into the editor: it never panics,
// keeps the text, and accepts exactly what model.ParseJSONObject accepts.
func FuzzCustomSettingsText(f *testing.F) {
	for _, seed := range []string{"", " ", "{}", `{"a":1}`, "{\n\"a\": [1,\n2]\n}", `{"a":}`, "[1]", "null",
		"{\"é\":\"日本\"}", "\t{\"a\":\t1}", "{\"a\":1}\r\n", "{{{{", `"\u0000"`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		st := testState(basicRequest(), "")
		c := newCustomSettingsStep(DefaultKeyMap())
		c.load(&st)
		c.update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(text), Paste: true}, &st)
		c.save(&st)
		if c.raw != c.editor.Value() {
			t.Fatalf("raw %q differs from the editor %q", c.raw, c.editor.Value())
		}
		_, perr := model.ParseJSONObject(c.raw)
		if errs := c.validate(&st); (len(errs) > 0) != (perr != nil) {
			t.Fatalf("validate = %v, ParseJSONObject = %v", errs, perr)
		}
		for _, w := range []int{40, 100} {
			c.view(&st, w)
		}
	})
}

// BenchmarkCustomSettingsKeystroke is one typed key in a 40-line object:
// the text is parsed once per change, then drawn.
func BenchmarkCustomSettingsKeystroke(b *testing.B) {
	st := testState(basicRequest(), "")
	st.width, st.height = 100, 30
	var text strings.Builder
	text.WriteString("{\n")
	for i := range 40 {
		fmt.Fprintf(&text, "  \"key_%d\": {\"id\": %d, \"label\": \"value %d\"},\n", i, i, i)
	}
	text.WriteString("  \"last\": true\n}")
	c := newCustomSettingsStep(DefaultKeyMap())
	c.load(&st)
	c.setText(text.String())
	space := tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	back := tea.KeyMsg{Type: tea.KeyBackspace}
	for b.Loop() {
		c.update(space, &st)
		c.view(&st, 100)
		c.update(back, &st)
		c.view(&st, 100)
	}
}

// BenchmarkCustomSettingsView is a frame with no change: nothing is parsed.
func BenchmarkCustomSettingsView(b *testing.B) {
	st := testState(basicRequest(), "")
	st.width, st.height = 100, 30
	c := newCustomSettingsStep(DefaultKeyMap())
	c.load(&st)
	c.setText("{\n  \"plan\": \"pro\",\n  \"seats\": 5\n}")
	for b.Loop() {
		c.view(&st, 100)
	}
}

// TestCustomSettingsEnterGoesOnUntilEditing: enter goes on from an
// untouched editor; once the user types or moves the cursor in it, enter
// is a new line and the screen says how to leave; esc stops editing.
func TestCustomSettingsEnterGoesOnUntilEditing(t *testing.T) {
	req := basicRequest()
	req.Session.CustomConsumerSettings = []byte(`{"a":1}`)
	h := openCustomSettings(t, req)
	mustContain(t, h.view(), "enter goes on; typing or ↑↓ edits the text.", "enter/tab next", "type/↑↓←→ edit")
	h.press("enter")
	if h.w.current != stepReview {
		t.Fatalf("enter on the untouched editor: current = %d, want the review", h.w.current)
	}
	if got := string(h.w.st.req.Session.CustomConsumerSettings); got != `{"a":1}` {
		t.Fatalf("enter changed the settings to %s", got)
	}

	// Back from the review: enter goes on again until something is typed.
	h.press("esc")
	if h.w.current != stepCustomSettings {
		t.Fatalf("esc from the review: current = %d", h.w.current)
	}
	h.press("end", "left") // a move starts editing too
	h.press("enter")
	if h.w.current != stepCustomSettings {
		t.Fatal("enter after moving the cursor left the step")
	}
	if got, want := customStep(h).raw, "{\n  \"a\": 1\n\n}"; got != want {
		t.Fatalf("enter while editing: text %q, want %q", got, want)
	}
	mustContain(t, h.view(), "Editing: enter adds a line; esc when done, tab to go on.", "esc done editing", "tab next")
	mustNotContain(t, h.view(), "enter/tab next")
	h.press("backspace") // the new line goes again: the JSON is valid
	h.press("esc")
	if h.w.current != stepCustomSettings {
		t.Fatal("esc while editing valid JSON left the step")
	}
	mustContain(t, h.view(), "enter goes on")
	h.press("enter")
	if h.w.current != stepReview {
		t.Fatalf("enter after esc: current = %d, want the review", h.w.current)
	}
}

// TestCustomSettingsTypingStartsEditing: the first character typed goes
// into the text, and the next enter is a new line.
func TestCustomSettingsTypingStartsEditing(t *testing.T) {
	h := openCustomSettings(t, basicRequest())
	h.typeText("{")
	h.press("enter")
	h.typeText("}")
	if got := customStep(h).raw; got != "{\n}" {
		t.Fatalf("text = %q, want %q", got, "{\n}")
	}
	if h.w.current != stepCustomSettings {
		t.Fatal("enter while typing left the step")
	}
	// A bracketed paste starts editing as well.
	h2 := openCustomSettings(t, basicRequest())
	h2.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("{\"x\": 1"), Paste: true})
	h2.press("enter")
	h2.typeText("}")
	if got := customStep(h2).raw; got != "{\"x\": 1\n}" {
		t.Fatalf("after a paste, text = %q", got)
	}
}

// TestCustomSettingsEscWithInvalidJSONSaysSo: leaving broken text by esc
// or shift+tab first says that it is kept but not sent; the same key again
// leaves, and the text is still there on return.
func TestCustomSettingsEscWithInvalidJSONSaysSo(t *testing.T) {
	h := openCustomSettings(t, basicRequest())
	h.typeText(`{"a": `)
	h.press("esc") // stops editing, and says the text is not valid
	if h.w.current != stepCustomSettings {
		t.Fatal("esc with broken JSON left the step at once")
	}
	mustContain(t, h.view(), "✗ line 1, column 7", "The JSON is not valid: esc again goes back with the text kept as typed")
	h.golden("custom_settings_invalid_esc")
	h.press("esc")
	if h.w.current != stepCustomSettings-1 {
		t.Fatalf("esc again: current = %d, want the theme step", h.w.current)
	}
	if h.w.st.customSettingsErr == nil {
		t.Fatal("the state does not know the text is broken")
	}
	h.send(nextStepMsg{})
	if got := customStep(h).raw; got != `{"a": ` {
		t.Fatalf("text on return = %q", got)
	}

	// shift+tab asks the same; another key in between asks again.
	h.press("shift+tab")
	mustContain(t, h.view(), "shift+tab again goes back")
	h.press("left") // starts editing, and is not a second shift+tab
	h.press("shift+tab")
	if h.w.current != stepCustomSettings {
		t.Fatal("shift+tab after another key left without saying so")
	}
	h.press("shift+tab")
	if h.w.current != stepCustomSettings-1 {
		t.Fatalf("shift+tab twice: current = %d", h.w.current)
	}

	// Valid text leaves at the first esc, with nothing to say.
	h.send(nextStepMsg{})
	h.press("ctrl+u")
	h.typeText(`{"a": 1}`)
	h.press("esc", "esc")
	if h.w.current != stepCustomSettings-1 {
		t.Fatalf("esc with valid JSON: current = %d", h.w.current)
	}
}

// TestCustomSettingsEditorHoldsItsLimit: a typed key that would take the
// text past what the editor holds is refused with a word why; nothing is
// lost.
func TestCustomSettingsEditorHoldsItsLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("{")
	for i := range largeSettingsLines - 2 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"k%03d":1`, i)
	}
	b.WriteString("}")
	req := basicRequest()
	req.Session.CustomConsumerSettings = []byte(b.String())
	h := openCustomSettings(t, req)
	c := customStep(h)
	if c.large || c.editor.LineCount() != largeSettingsLines {
		t.Fatalf("large = %v with %d lines", c.large, c.editor.LineCount())
	}
	before := c.raw
	h.press("up", "end", "enter")
	if c.raw != before || c.editor.LineCount() != largeSettingsLines {
		t.Fatalf("enter at %d lines added one", largeSettingsLines)
	}
	mustContain(t, h.view(), "The editor holds 200 lines and 16 KB at most: ctrl+o edits more in $EDITOR.")
	// Typing on a line is still fine.
	h.typeText(" ")
	if c.raw == before || c.large {
		t.Fatal("a space at 200 lines was refused")
	}
}

// TestCustomSettingsUndoFormat: ctrl+z takes back a format, and typing.
func TestCustomSettingsUndoFormat(t *testing.T) {
	h := openCustomSettings(t, basicRequest())
	h.typeText(`{"a":1}`)
	h.press("ctrl+e")
	if got := customStep(h).raw; got != "{\n  \"a\": 1\n}" {
		t.Fatalf("formatted text = %q", got)
	}
	h.send(tea.KeyMsg{Type: tea.KeyCtrlZ})
	if got := customStep(h).raw; got != `{"a":1}` {
		t.Fatalf("after undo = %q", got)
	}
	if got := string(h.w.st.req.Session.CustomConsumerSettings); got != `{"a":1}` {
		t.Fatalf("request after undo holds %s", got)
	}
	h.send(tea.KeyMsg{Type: tea.KeyCtrlZ})
	if got := customStep(h).raw; got != "" {
		t.Fatalf("after undoing the typing = %q", got)
	}
}

// TestCustomSettingsFullHelp lists the editor's keys.
func TestCustomSettingsFullHelp(t *testing.T) {
	h := openCustomSettings(t, basicRequest())
	h.press("f1")
	mustContain(t, h.view(), "alt+left/alt+right", "word left/right", "ctrl+z/y", "undo/redo", "ctrl+v", "paste",
		"ctrl+w/alt+d", "delete word left/right", "enter/tab")
}
