package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/model"
)

func TestHistoryNewestFirstWithTheBodyForAgain(t *testing.T) {
	s, _ := testStore(t)
	at := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	for i, c := range []string{"acme", "globex", "acme"} {
		req := model.Request{AppID: "app", ConsumerID: c, Session: model.Session{
			ConsumerMetadata:       model.ConsumerMetadata{AccountName: strings.ToUpper(c), Email: c + "@example.com"},
			Settings:               model.Settings{UnifiedAPIs: []string{"crm"}, SessionLength: "30m"},
			CustomConsumerSettings: json.RawMessage(fmt.Sprintf(`{"n":%d.0}`, i)),
		}}
		e, err := NewEntry(req, at.Add(time.Duration(i)*time.Minute), at.Add(time.Hour), "partner", "https://user:pw@unify.apideck.com/path?q=1", false)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.AppendHistory(e); err != nil {
			t.Fatal(err)
		}
	}
	entries := allHistory(t, s)
	if len(entries) != 3 {
		t.Fatalf("%d entries", len(entries))
	}
	e := entries[0]
	if e.ConsumerID != "acme" || !e.Time.Equal(at.Add(2*time.Minute)) || e.AccountName != "ACME" || e.SessionLength != "30m" ||
		e.Preset != "partner" || e.APIHost != "unify.apideck.com" || e.ExpiresAt == nil {
		t.Errorf("newest %+v", e)
	}
	body, err := e.SessionBody()
	if err != nil || string(body.CustomConsumerSettings) != `{"n":2.0}` {
		t.Errorf("body %+v %v", body, err)
	}
	last, ok, _ := s.LastFor("globex")
	if !ok || last.Email != "globex@example.com" {
		t.Errorf("LastFor globex: %+v %v", last, ok)
	}
	if recent, _ := s.RecentConsumers(5); len(recent) != 2 || recent[0].ConsumerID != "acme" || recent[1].ConsumerID != "globex" {
		t.Errorf("recent %+v", recent)
	}
	data, _ := os.ReadFile(s.HistoryPath())
	if strings.Contains(string(data), "pw") || strings.Contains(string(data), "/path") {
		t.Errorf("the API URL's user info or path was kept:\n%s", data)
	}
}

// TestHugeBodiesAreNotKept: a body over MaxHistoryBody leaves only its
// size in the history line, and --again's read of it says to use --from.
func TestHugeBodiesAreNotKept(t *testing.T) {
	s, _ := testStore(t)
	big := `{"blob":"` + strings.Repeat("x", MaxHistoryBody) + `"}`
	req := model.Request{AppID: "app", ConsumerID: "huge", Session: model.Session{CustomConsumerSettings: json.RawMessage(big)}}
	e, err := NewEntry(req, time.Now(), time.Time{}, "", "https://unify.apideck.com", false)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AppendHistory(e); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(s.HistoryPath())
	if len(data) > 1024 || !strings.Contains(string(data), `"session_bytes":`) {
		t.Errorf("the history line is %d bytes:\n%.300s", len(data), data)
	}
	last, ok, _ := s.LastFor("huge")
	if _, err := last.SessionBody(); !ok || err == nil || !strings.Contains(err.Error(), "--from") {
		t.Errorf("SessionBody of a huge entry: %v", err)
	}
}

// TestCorruptHistoryLinesAreSetAside: the bad lines move to
// history.jsonl.corrupt, the good ones stay, and a writer that died
// mid-line does not swallow the next entry.
func TestCorruptHistoryLinesAreSetAside(t *testing.T) {
	s, _ := testStore(t)
	e, _ := NewEntry(model.Request{ConsumerID: "first"}, time.Now(), time.Time{}, "", "", true)
	if err := s.AppendHistory(e); err != nil {
		t.Fatal(err)
	}
	f, _ := os.OpenFile(s.HistoryPath(), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("not json\n{\"consumer_id\": \"tor")
	f.Close()
	e.ConsumerID = "after"
	if err := s.AppendHistory(e); err != nil {
		t.Fatal(err)
	}
	problems := historyProblems(s)
	entries := allHistory(t, s)
	if len(entries) != 2 || entries[0].ConsumerID != "after" || entries[1].ConsumerID != "first" {
		t.Errorf("entries %+v", entries)
	}
	var c *CorruptFileError
	if len(problems) != 1 || !errors.As(problems[0], &c) || c.MovedTo != s.HistoryPath()+".corrupt" ||
		!strings.Contains(problems[0].Error(), s.HistoryPath()) {
		t.Fatalf("problems %v", problems)
	}
	moved, _ := os.ReadFile(c.MovedTo)
	if string(moved) != "not json\n{\"consumer_id\": \"tor\n" {
		t.Errorf("set aside %q", moved)
	}
	if problems := historyProblems(s); problems != nil {
		t.Errorf("after the repair: %v", problems)
	}
}

func TestHistoryDisabled(t *testing.T) {
	for v, want := range map[string]bool{"1": true, "true": true, "": false, "0": false} {
		if got := HistoryDisabled(func(string) string { return v }); got != want {
			t.Errorf("%q: %v", v, got)
		}
	}
}
