package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	tea "github.com/charmbracelet/bubbletea"
)

// largeSettingsFile is a session whose custom settings, pretty-printed,
// run to about 40 KB: too large for the editor.
func largeSettingsFile(t *testing.T) model.Session {
	t.Helper()
	var b strings.Builder
	b.WriteString(`{"custom_consumer_settings":{`)
	for i := range 600 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"rate_%03d":{"id":"%d","label":"%d%%","limit":1.50}`, i, i, i)
	}
	b.WriteString("}}")
	s, err := model.DecodeSession([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestLargeCustomSettingsAreSummedUp: an object too large to edit
// comfortably is not put in the editor; the step says how big it is and
// that ctrl+o edits it in $EDITOR, typing changes nothing, and going on
// keeps the object as it came.
func TestLargeCustomSettingsAreSummedUp(t *testing.T) {
	t.Parallel()
	s := largeSettingsFile(t)
	req := basicRequest()
	req.Session = s
	h := openCustomSettings(t, req)
	c := customStep(h)
	if !c.large || c.editor.Value() != "" {
		t.Fatalf("large = %v, editor holds %d bytes; want the summary and an empty editor", c.large, len(c.editor.Value()))
	}
	h.golden("custom_settings_large")
	mustContain(t, h.view(), "too large to edit here comfortably", "ctrl+o edits it in $EDITOR",
		"✓ A valid JSON object with 600 keys.")

	h.typeText("xyz")
	h.press("backspace", "up", "ctrl+e")
	if string(h.w.st.req.Session.CustomConsumerSettings) != string(s.CustomConsumerSettings) {
		t.Fatal("keys typed at the summary changed the object")
	}
	if cmd := c.update(keyMsg("ctrl+o"), &h.w.st); cmd == nil {
		t.Fatal("ctrl+o gave no command")
	}

	// Cut down in the editor: back into the step's editor.
	h.send(editorDoneMsg{text: `{"rate_000": {"id": "0"}}`})
	if c.large || c.editor.Value() != `{"rate_000": {"id": "0"}}` {
		t.Fatalf("after a small edit: large = %v, editor %q", c.large, c.editor.Value())
	}
	if got := string(h.w.st.req.Session.CustomConsumerSettings); got != `{"rate_000":{"id":"0"}}` {
		t.Fatalf("request holds %s", got)
	}
	// Grown large again in the editor: summed up again, and sent.
	big := prettyJSON(s.CustomConsumerSettings)
	h.send(editorDoneMsg{text: big})
	if !c.large || c.editor.Value() != "" {
		t.Fatalf("after a large edit: large = %v", c.large)
	}
	// Enter goes on from the summary, as tab does.
	h.press("enter")
	if h.w.current != stepReview || string(h.w.st.req.Session.CustomConsumerSettings) != string(s.CustomConsumerSettings) {
		t.Fatalf("step %d, object changed: %v", h.w.current, len(h.w.st.req.Session.CustomConsumerSettings))
	}
	// The review shows the object's start and size, not 30 KB on one line.
	h.send(tea.WindowSizeMsg{Width: 100, Height: 200})
	mustContain(t, h.view(), `600 keys, 31.0 KB: {"rate_000":{"id":"0","label":"0%","limit":1.50},`)
}

// TestTooSmallTakesNoKeys: while the screen says it is too small, keys do
// nothing (Enter on the review would create a session nobody sees), except
// ctrl+c; once it is big enough again, they work.
func TestTooSmallTakesNoKeys(t *testing.T) {
	t.Parallel()
	created := 0
	h := newHarness(t, testState(model.Request{AppID: "app", ConsumerID: "acme"}, "k"), nil)
	h.w.create = func(context.Context, string, model.Request, bool) (client.Result, error) {
		created++
		return client.Result{URL: "https://vault.apideck.com/session/x"}, nil
	}
	h.w.jumpTo(stepReview, "")
	h.send(tea.WindowSizeMsg{Width: 30, Height: 8})
	mustContain(t, h.view(), "Terminal too small")
	h.press("enter", "1", "esc", "tab")
	h.send(tea.MouseMsg{})
	if created != 0 || h.w.phase() != phaseEditing || h.w.current != stepReview {
		t.Fatalf("keys acted at 30x8: created %d, phase %d, step %d", created, h.w.phase(), h.w.current)
	}
	h.w.jumpTo(1, "")
	before := h.w.st.req
	h.typeText("typed while hidden")
	if h.w.st.req.ConsumerID != before.ConsumerID || h.w.st.req.Session.ConsumerMetadata != before.Session.ConsumerMetadata {
		t.Fatalf("text typed at 30x8 went in: %+v", h.w.st.req)
	}
	h.w.jumpTo(stepReview, "")
	h.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	h.press("enter")
	if created != 1 {
		t.Fatalf("enter at 100x30: %d creates, want 1", created)
	}
	h.send(tea.WindowSizeMsg{Width: 30, Height: 8})
	h.press("ctrl+c")
	if !h.quit {
		t.Fatal("ctrl+c did not quit at 30x8")
	}
}

// TestPastingALargeObjectSumsItUp: a paste that makes the text too large
// for the editor moves it to the summary, every byte kept.
func TestPastingALargeObjectSumsItUp(t *testing.T) {
	t.Parallel()
	h := openCustomSettings(t, basicRequest())
	c := customStep(h)
	big := prettyJSON(largeSettingsFile(t).CustomConsumerSettings)
	h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(big), Paste: true})
	if !c.large || c.raw != big {
		t.Fatalf("after the paste: large = %v, %d of %d bytes kept", c.large, len(c.raw), len(big))
	}
	mustContain(t, h.view(), "too large to edit here comfortably", "600 keys")
	if got := h.w.st.req.Session.CustomConsumerSettings; model.ObjectKeys(got) != 600 {
		t.Fatalf("request holds %d keys", model.ObjectKeys(got))
	}
}
