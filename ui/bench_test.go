package ui

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	tea "github.com/charmbracelet/bubbletea"
)

// benchRequest is a full session, so every step has something to draw.
func benchRequest() model.Request {
	req := model.Request{AppID: "app", ConsumerID: "acme"}
	s := &req.Session
	s.ConsumerMetadata = model.ConsumerMetadata{AccountName: "Acme Inc", UserName: "Ada", Email: "ada@acme.com"}
	s.RedirectURI = "https://acme.example/dashboard"
	s.Settings.UnifiedAPIs = []string{"crm", "hris", "accounting"}
	s.Settings.SessionLength = "1d"
	s.Settings.ShowLogs = model.Bool(false)
	s.Theme = model.Theme{VaultName: "Acme", PrimaryColor: "#286efa", SidepanelBackgroundColor: "#0f172a", SidepanelTextColor: "#ffffff"}
	s.CustomConsumerSettings = json.RawMessage(`{"feature_flag_1":true}`)
	return req
}

// BenchmarkKeystroke measures what one key press costs at 120x40: the
// root's Update (the step's update, save, live validation) and a View.
// The budget is well under a millisecond per step.
func BenchmarkKeystroke(b *testing.B) {
	lists := map[int]tea.KeyMsg{
		2: keyMsg("down"), // a list: move the cursor
		3: keyMsg("down"),
		6: keyMsg("down"), // the review: scroll
	}
	for i := 0; i < 7; i++ {
		w := benchWizard(benchRequest(), i)
		// Forms alternate typing a letter and deleting it, so the field does
		// not grow over the run; lists alternate down and up.
		press := [2]tea.KeyMsg{keyMsg("x"), keyMsg("backspace")}
		if k, ok := lists[i]; ok {
			press = [2]tea.KeyMsg{k, keyMsg("up")}
		}
		b.Run(w.steps[i].title(), func(b *testing.B) { benchKeys(b, w, press) })
	}
}

// benchWizard is a wizard of req at 120x40 on the step, its create doing
// nothing.
func benchWizard(req model.Request, step int) *wizard {
	noCreate := func(context.Context, string, model.Request, bool) (client.Result, error) {
		return client.Result{}, nil
	}
	w := newWizard(testState(req, "k"), noCreate, func() time.Time { return fixedNow }, effects{})
	w.jumpTo(step, "")
	w.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	return w
}

// benchKeys times a key press (the root's Update) and a View, pressing
// the two keys in turn so that the screen comes back to where it was; it
// returns how many keys it pressed.
func benchKeys(b *testing.B, w *wizard, press [2]tea.KeyMsg) int {
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		w.Update(press[n%2])
		_ = w.View()
		n++
	}
	return n
}

// customSettingsOfLines is a flat object pretty-printed to exactly lines
// lines (keys one a line between the braces), each about lineBytes long.
func customSettingsOfLines(lines, lineBytes int) json.RawMessage {
	var b strings.Builder
	b.WriteString("{")
	for i := range lines - 2 {
		if i > 0 {
			b.WriteString(",")
		}
		// "  "key_000": "…",\n" is 17 bytes around the value.
		value := strings.Repeat(string(rune('a'+i%26)), max(1, lineBytes-17))
		fmt.Fprintf(&b, `"key_%03d":%q`, i, value)
	}
	b.WriteString("}")
	return json.RawMessage(b.String())
}

// benchCustomSettingsKey measures one key on the custom settings step at
// 120x40 (the root's Update and a View), typing into a string in the
// middle of the text and deleting it again, so the JSON stays valid and
// the text does not grow over the run.
func benchCustomSettingsKey(b *testing.B, settings json.RawMessage) {
	req := benchRequest()
	req.Session.CustomConsumerSettings = settings
	w := benchWizard(req, stepCustomSettings)
	c := w.steps[stepCustomSettings].(*customSettingsStep)
	if c.large {
		b.Fatalf("%d bytes of settings are past the editor's limit", len(c.raw))
	}
	lines := strings.Count(c.raw, "\n") + 1
	// The cursor goes to the middle line, just inside its value's quotes.
	for range lines / 2 {
		w.Update(keyMsg("up"))
	}
	w.Update(keyMsg("end"))
	w.Update(keyMsg("left"))
	w.Update(keyMsg("left"))
	before := c.raw
	if n := benchKeys(b, w, [2]tea.KeyMsg{keyMsg("x"), keyMsg("backspace")}); n%2 == 0 && c.raw != before {
		b.Fatalf("typing and deleting changed the text")
	}
	b.ReportMetric(float64(lines), "lines")
	b.ReportMetric(float64(len(c.raw)), "bytes")
}

// BenchmarkCustomSettingsKey42Lines is one key in a 42-line object.
func BenchmarkCustomSettingsKey42Lines(b *testing.B) {
	benchCustomSettingsKey(b, customSettingsOfLines(42, 40))
}

// BenchmarkCustomSettingsKeyAtLimit is one key in the largest text the
// editor takes: 200 lines, just under 16 KiB.
func BenchmarkCustomSettingsKeyAtLimit(b *testing.B) {
	benchCustomSettingsKey(b, customSettingsOfLines(largeSettingsLines, largeSettingsBytes/largeSettingsLines))
}
