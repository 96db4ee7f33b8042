package ui

import (
	"context"
	"encoding/json"
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
	noCreate := func(context.Context, string, model.Request, bool) (client.Result, error) {
		return client.Result{}, nil
	}
	for i := 0; i < 7; i++ {
		w := newWizard(testState(benchRequest(), "k"), noCreate, func() time.Time { return fixedNow }, effects{})
		w.jumpTo(i, "")
		w.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		// Forms alternate typing a letter and deleting it, so the field does
		// not grow over the run; lists alternate down and up.
		press := [2]tea.KeyMsg{keyMsg("x"), keyMsg("backspace")}
		if k, ok := lists[i]; ok {
			press = [2]tea.KeyMsg{k, keyMsg("up")}
		}
		b.Run(w.steps[i].title(), func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				w.Update(press[n%2])
				_ = w.View()
				n++
			}
		})
	}
}
