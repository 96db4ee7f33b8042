package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/store"
	tea "github.com/charmbracelet/bubbletea"
)

// BenchmarkStartWithHistory is what the wizard does before its first
// frame that depends on the history: read what the store holds (presets,
// drafts, the recent consumers) and draw the first screen at 120x40, with
// no history and with 100k lines (34 MiB, 1,000 consumers taking turns).
// Issue 17 asks for the second within 1.2x of the first; the process's
// own start (some 7 ms) comes on top of both.
func BenchmarkStartWithHistory(b *testing.B) {
	for _, lines := range []int{0, 100000} {
		b.Run(fmt.Sprint(lines, "-lines"), func(b *testing.B) {
			root := b.TempDir()
			env := map[string]string{"XDG_CONFIG_HOME": filepath.Join(root, "config"), "XDG_STATE_HOME": filepath.Join(root, "state")}
			s, err := store.Open(func(k string) string { return env[k] })
			if err != nil {
				b.Fatal(err)
			}
			writeBenchHistory(b, s.HistoryPath(), lines)
			noCreate := func(context.Context, string, model.Request, bool) (client.Result, error) {
				return client.Result{}, nil
			}
			runtime.GC() // the history written above is not the loop's garbage
			for b.Loop() {
				st := testState(model.Request{}, "")
				st.memory, _ = loadMemory(s, false)
				w := newWizard(st, noCreate, func() time.Time { return fixedNow }, effects{})
				w.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
				_ = w.View()
			}
		})
	}
}

// writeBenchHistory writes lines history entries as `create` does.
func writeBenchHistory(b *testing.B, path string, lines int) {
	b.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range lines {
		e, _ := store.NewEntry(model.Request{AppID: "app-1", ConsumerID: fmt.Sprint("consumer-", i%1000), Session: model.Session{
			ConsumerMetadata: model.ConsumerMetadata{AccountName: fmt.Sprint("Account ", i%1000)},
			Settings:         model.Settings{UnifiedAPIs: []string{"crm", "hris"}},
		}}, at.Add(time.Duration(i)*time.Minute), at.Add(time.Hour), "", "https://unify.apideck.com", false)
		line, _ := json.Marshal(e)
		buf.Write(append(line, '\n'))
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		b.Fatal(err)
	}
}
