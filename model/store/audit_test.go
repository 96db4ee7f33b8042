package store

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/model"
)

func auditEntry(i int) AuditEntry {
	exp := time.Date(2026, 11, 26, 11, 0, 0, 0, time.UTC)
	return AuditEntry{
		Time:           time.Date(2026, 11, 26, 10, 0, i, 0, time.UTC),
		Person:         "hank@support",
		KeyFingerprint: "SHA256:abc",
		RemoteAddr:     "127.0.0.1:50000",
		ConsumerID:     fmt.Sprintf("acme-%d", i),
		UnifiedAPIs:    []string{"crm"},
		SessionLength:  "1h",
		ExpiresAt:      &exp,
	}
}

func TestAuditLogAppendsNewestLastAndWalksNewestFirst(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "audit.jsonl")
	log := OpenAuditLog(path)
	for i := range 3 {
		if err := log.Append(auditEntry(i)); err != nil {
			t.Fatal(err)
		}
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("audit log mode %v, want 0600", info.Mode().Perm())
	}
	if dir, _ := os.Stat(filepath.Dir(path)); dir.Mode().Perm() != 0o700 {
		t.Errorf("audit folder mode %v, want 0700", dir.Mode().Perm())
	}
	var got []string
	if err := log.Walk(func(e AuditEntry) bool { got = append(got, e.ConsumerID); return true }); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != "acme-2,acme-1,acme-0" {
		t.Errorf("walk order %v, want newest first", got)
	}
	// Each line is one JSON object naming the person, and nothing else.
	data, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines, want 3", len(lines))
	}
	var fields map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &fields); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"time", "person", "key_fingerprint", "remote_addr", "consumer_id", "unified_apis", "session_length", "expires_at"} {
		if _, ok := fields[k]; !ok {
			t.Errorf("line has no %q: %s", k, lines[0])
		}
	}
	for k := range fields {
		if strings.Contains(k, "token") || strings.Contains(k, "url") || strings.Contains(k, "key") && k != "key_fingerprint" {
			t.Errorf("audit line has a field %q that could hold a secret", k)
		}
	}
}

func TestAuditLogStopsWhereTheWalkSaysAndSkipsBadLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	log := OpenAuditLog(path)
	log.Append(auditEntry(0))
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("not json\n")
	f.Close()
	log.Append(auditEntry(1))
	log.Append(auditEntry(2))
	var got []string
	err := log.Walk(func(e AuditEntry) bool { got = append(got, e.ConsumerID); return len(got) < 2 })
	if err != nil || strings.Join(got, ",") != "acme-2,acme-1" {
		t.Errorf("stopped walk: %v, %v", got, err)
	}
	got = nil
	err = log.Walk(func(e AuditEntry) bool { got = append(got, e.ConsumerID); return true })
	if len(got) != 3 || err == nil || !strings.Contains(err.Error(), "1 lines are not audit entries") {
		t.Errorf("whole walk: %v, %v", got, err)
	}
	if err := OpenAuditLog(filepath.Join(t.TempDir(), "none.jsonl")).Walk(func(AuditEntry) bool { return true }); err != nil {
		t.Errorf("a missing log: %v", err)
	}
}

func TestAuditLogRotatesAtItsCap(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	log := OpenAuditLog(path).WithCap(4 << 10)
	for i := range 200 {
		if err := log.Append(auditEntry(i)); err != nil {
			t.Fatal(err)
		}
	}
	info, _ := os.Stat(path)
	if info.Size() > 4<<10 {
		t.Errorf("audit log is %d bytes, over its cap of 4 KiB", info.Size())
	}
	var newest string
	n := 0
	log.Walk(func(e AuditEntry) bool {
		if n == 0 {
			newest = e.ConsumerID
		}
		n++
		return true
	})
	if newest != "acme-199" || n < 5 {
		t.Errorf("after rotation: newest %q, %d entries", newest, n)
	}
}

func TestEachPersonHasTheirOwnDraftsAndTheTeamsPresets(t *testing.T) {
	s, _ := testStore(t)
	hank, ida := s.ForPerson("hank@support"), s.ForPerson("ida@support")
	if err := hank.SaveDraft(Draft{ConsumerID: "acme-1", Session: model.Session{}}); err != nil {
		t.Fatal(err)
	}
	if d, _ := ida.Drafts(); len(d) != 0 {
		t.Errorf("ida sees hank's drafts: %v", d)
	}
	if d, _ := hank.Drafts(); len(d) != 1 {
		t.Errorf("hank's drafts: %v", d)
	}
	if _, err := hank.SavePreset("brand", model.Session{}); err != nil {
		t.Fatal(err)
	}
	if p, _ := ida.Presets(); len(p) != 1 || p[0].Name != "brand" {
		t.Errorf("ida does not see the team's preset: %v", p)
	}
	if hank.HistoryPath() == ida.HistoryPath() || hank.HistoryPath() == s.HistoryPath() {
		t.Errorf("history paths are shared: %s, %s", hank.HistoryPath(), ida.HistoryPath())
	}
	// A name with a path in it stays inside people/.
	evil := s.ForPerson("../../etc/passwd")
	if !strings.HasPrefix(evil.DraftDir(), filepath.Join(filepath.Dir(s.DraftDir()), "people")+string(filepath.Separator)) {
		t.Errorf("a hostile name escapes: %s", evil.DraftDir())
	}
}
