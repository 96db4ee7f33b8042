package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/model"
)

func entryFor(t testing.TB, consumer string, at time.Time) Entry {
	t.Helper()
	e, err := NewEntry(model.Request{AppID: "app", ConsumerID: consumer, Session: model.Session{
		ConsumerMetadata: model.ConsumerMetadata{AccountName: "Account of " + consumer},
		Settings:         model.Settings{UnifiedAPIs: []string{"crm"}},
	}}, at, time.Time{}, "", "https://unify.apideck.com", false)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestHistoryRotatesAtItsCap: the append that takes the file past the cap
// keeps the newest half, in whole lines, with the new entry last; the file
// never stays over the cap.
func TestHistoryRotatesAtItsCap(t *testing.T) {
	s, _ := testStore(t)
	s.historyCap = 16 << 10
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var size int64
	rotated := false
	for i := range 200 {
		if err := s.AppendHistory(entryFor(t, fmt.Sprintf("c%03d", i), at.Add(time.Duration(i)*time.Minute))); err != nil {
			t.Fatal(err)
		}
		info, err := os.Stat(s.HistoryPath())
		if err != nil {
			t.Fatal(err)
		}
		if info.Size() > s.historyCap {
			t.Fatalf("after append %d the history is %d bytes, over the cap of %d", i, info.Size(), s.historyCap)
		}
		rotated = rotated || info.Size() < size
		size = info.Size()
	}
	if !rotated {
		t.Fatal("the history never rotated")
	}
	entries := allHistory(t, s)
	if len(entries) == 0 || entries[0].ConsumerID != "c199" {
		t.Fatalf("newest %+v", entries[:1])
	}
	for i, e := range entries { // consecutive, newest first: only the oldest went
		if want := fmt.Sprintf("c%03d", 199-i); e.ConsumerID != want {
			t.Fatalf("entry %d is %s, want %s", i, e.ConsumerID, want)
		}
	}
	if _, err := os.Stat(s.HistoryPath() + ".corrupt"); err == nil {
		t.Error("rotation set lines aside")
	}
}

// TestOversizedHistoryShrinksOnTheNextAppend: a history from before the
// cap (100 MB in the issue; here 8 times the cap) is brought within the
// cap by one append, keeping its newest entries.
func TestOversizedHistoryShrinksOnTheNextAppend(t *testing.T) {
	s, _ := testStore(t)
	s.historyCap = 32 << 10
	os.MkdirAll(s.stateDir, 0o700)
	var old bytes.Buffer
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; old.Len() < 8*int(s.historyCap); i++ {
		line, _ := json.Marshal(entryFor(t, fmt.Sprintf("old%05d", i), at))
		old.Write(append(line, '\n'))
	}
	os.WriteFile(s.HistoryPath(), old.Bytes(), 0o600)
	if err := s.AppendHistory(entryFor(t, "new", at)); err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(s.HistoryPath())
	if info.Size() > s.historyCap/2+1024 {
		t.Errorf("%d bytes after the append, want about half the cap (%d)", info.Size(), s.historyCap/2)
	}
	entries := allHistory(t, s)
	lastOld := strings.Count(old.String(), "\n") - 1
	if len(entries) < 2 || entries[0].ConsumerID != "new" || entries[1].ConsumerID != fmt.Sprintf("old%05d", lastOld) {
		t.Errorf("kept %d entries, newest %v", len(entries), entries[:min(2, len(entries))])
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", info.Mode())
	}
}

// TestRecentConsumersReadOnlyTheNewest: the wizard's completion finds the
// newest consumers without reading the rest: garbage (or a huge line)
// before the newest 2 MiB is never looked at, so it is not reported.
func TestRecentConsumersReadOnlyTheNewest(t *testing.T) {
	s, _ := testStore(t)
	os.MkdirAll(s.stateDir, 0o700)
	var b bytes.Buffer
	b.WriteString("not an entry\n" + strings.Repeat("#", 3<<20) + "\n")
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 6000 {
		line, _ := json.Marshal(entryFor(t, fmt.Sprintf("c%d", i%60), at.Add(time.Duration(i)*time.Second)))
		b.Write(append(line, '\n'))
	}
	os.WriteFile(s.HistoryPath(), b.Bytes(), 0o600)
	recent, problems := s.RecentConsumers(50)
	if problems != nil {
		t.Errorf("problems %v: the old part was read", problems)
	}
	if len(recent) != 50 || recent[0].ConsumerID != "c59" || recent[49].ConsumerID != "c10" ||
		recent[0].AccountName != "Account of c59" || len(recent[0].Session) == 0 {
		t.Errorf("%d recent, first %+v", len(recent), recent[0])
	}
	// Only one consumer in the newest 2 MiB: the scan stops there anyway.
	one, _ := json.Marshal(entryFor(t, "same", at))
	os.WriteFile(s.HistoryPath(), append(b.Bytes(), bytes.Repeat(append(one, '\n'), (3<<20)/len(one))...), 0o600)
	recent, problems = s.RecentConsumers(50)
	if len(recent) != 1 || recent[0].ConsumerID != "same" || problems != nil {
		t.Errorf("%d recent, problems %v", len(recent), problems)
	}
}

// TestLastForMatchesTheConsumerNotItsBody: an ID that appears inside
// another entry's body, and IDs JSON escapes, are told apart.
func TestLastForMatchesTheConsumerNotItsBody(t *testing.T) {
	s, _ := testStore(t)
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, id := range []string{`a"b<c>`, "plain", "ünï\\code"} {
		e := entryFor(t, id, at.Add(time.Duration(i)*time.Minute))
		if err := s.AppendHistory(e); err != nil {
			t.Fatal(err)
		}
	}
	trap := entryFor(t, "trap", at.Add(time.Hour))
	trap.Session = json.RawMessage(`{"custom_consumer_settings":{"consumer_id":"plain","x":"\",\"consumer_id\":\"plain"}}`)
	if err := s.AppendHistory(trap); err != nil {
		t.Fatal(err)
	}
	// A line written by hand, spaced: found by decoding.
	f, _ := os.OpenFile(s.HistoryPath(), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{ "time": "2026-01-01T02:00:00Z", "consumer_id": "hand", "session_length": "1h", "api_host": "", "demo": true }` + "\n")
	f.Close()
	for _, id := range []string{`a"b<c>`, "plain", "ünï\\code", "hand"} {
		e, ok, problems := s.LastFor(id)
		if !ok || e.ConsumerID != id || problems != nil {
			t.Errorf("LastFor(%q) = %q %v %v", id, e.ConsumerID, ok, problems)
		}
	}
	if _, ok, _ := s.LastFor("nobody"); ok {
		t.Error("found nobody")
	}
	var heads []Entry
	s.WalkHistory(HistoryQuery{}, func(e Entry) bool { heads = append(heads, e); return true })
	if len(heads) != 5 || heads[1].ConsumerID != "trap" || heads[1].Session != nil {
		t.Errorf("without bodies: %d entries, %+v", len(heads), heads[1])
	}
}
