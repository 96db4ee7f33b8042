package store

import (
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
