package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/model"
)

// BenchmarkSaveDraft is one draft written as the wizard does on a step
// change: a temporary file, fsync, rename, directory sync.
func BenchmarkSaveDraft(b *testing.B) {
	s, err := Open(func(k string) string {
		return map[string]string{"XDG_CONFIG_HOME": b.TempDir(), "XDG_STATE_HOME": b.TempDir()}[k]
	})
	if err != nil {
		b.Fatal(err)
	}
	d := Draft{ConsumerID: "globex-17", Step: "Theme", Session: model.Session{
		ConsumerMetadata: model.ConsumerMetadata{AccountName: "Globex"},
		Settings:         model.Settings{UnifiedAPIs: []string{"crm", "hris", "ats"}},
		Theme:            model.Theme{VaultName: "Globex", PrimaryColor: "#5d50ce"},
	}}
	for b.Loop() {
		if err := s.SaveDraft(d); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppendHistory is one history line: lock, O_APPEND write, fsync.
func BenchmarkAppendHistory(b *testing.B) {
	s, err := Open(func(k string) string {
		return map[string]string{"XDG_CONFIG_HOME": b.TempDir(), "XDG_STATE_HOME": b.TempDir()}[k]
	})
	if err != nil {
		b.Fatal(err)
	}
	e, _ := NewEntry(model.Request{AppID: "a", ConsumerID: "globex-17"}, time.Now(), time.Now(), "p", "https://unify.apideck.com", false)
	for b.Loop() {
		if err := s.AppendHistory(e); err != nil {
			b.Fatal(err)
		}
	}
}

// benchHistory is a store whose history holds n lines of some 300 bytes,
// 1,000 consumers taking turns, as .ci/bench-history builds it.
func benchHistory(b *testing.B, n int) *Store {
	b.Helper()
	s, err := Open(func(k string) string {
		return map[string]string{"XDG_CONFIG_HOME": b.TempDir(), "XDG_STATE_HOME": b.TempDir()}[k]
	})
	if err != nil {
		b.Fatal(err)
	}
	os.MkdirAll(s.stateDir, 0o700)
	var buf bytes.Buffer
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		e, _ := NewEntry(model.Request{AppID: "app-1", ConsumerID: fmt.Sprint("consumer-", i%1000), Session: model.Session{
			ConsumerMetadata: model.ConsumerMetadata{AccountName: fmt.Sprint("Account ", i%1000)},
			Settings:         model.Settings{UnifiedAPIs: []string{"crm", "hris"}},
		}}, at.Add(time.Duration(i)*time.Minute), at.Add(time.Hour), "", "https://unify.apideck.com", false)
		line, _ := json.Marshal(e)
		buf.Write(append(line, '\n'))
	}
	if err := os.WriteFile(s.HistoryPath(), buf.Bytes(), 0o600); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkRecentConsumers100k is the wizard's start-up read of a
// 100k-line history; BenchmarkRecentConsumersEmpty the same with none.
func BenchmarkRecentConsumers100k(b *testing.B) {
	s := benchHistory(b, 100000)
	for b.Loop() {
		if recent, _ := s.RecentConsumers(50); len(recent) != 50 {
			b.Fatal(len(recent))
		}
	}
}

func BenchmarkRecentConsumersEmpty(b *testing.B) {
	s := benchHistory(b, 0)
	for b.Loop() {
		s.RecentConsumers(50)
	}
}

// BenchmarkWalkHistory100k reads every entry of a 100k-line history
// without their bodies, as `history` does for its table.
func BenchmarkWalkHistory100k(b *testing.B) {
	s := benchHistory(b, 100000)
	for b.Loop() {
		n := 0
		s.WalkHistory(HistoryQuery{}, func(Entry) bool { n++; return true })
		if n != 100000 {
			b.Fatal(n)
		}
	}
}

// BenchmarkLastFor100kNotFound looks for a consumer the history does not
// hold: every line is looked at, none decoded.
func BenchmarkLastFor100kNotFound(b *testing.B) {
	s := benchHistory(b, 100000)
	for b.Loop() {
		if _, ok, _ := s.LastFor("nobody"); ok {
			b.Fatal("found")
		}
	}
}
