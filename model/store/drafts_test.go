package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/model"
)

func TestDraftsOnePerConsumerLatestFirst(t *testing.T) {
	s, _ := testStore(t)
	first := Draft{ConsumerID: "globex-17", AppID: "app", Step: "theme", Preset: "acme",
		Session: model.Session{
			ConsumerMetadata:       model.ConsumerMetadata{AccountName: "Globex"},
			Settings:               model.Settings{UnifiedAPIs: []string{"crm", "hris", "ats"}},
			CustomConsumerSettings: json.RawMessage(`{"rate":0.10000000000000000555}`),
		},
		CustomSettingsText: `{"rate": 0.10000000000000000555, oops`,
	}
	if err := s.SaveDraft(first); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveDraft(Draft{ConsumerID: "a/../b", Step: "consumer"}); err != nil {
		t.Fatal(err)
	}
	first.Step = "review"
	if err := s.SaveDraft(first); err != nil { // replaces, and is now the latest
		t.Fatal(err)
	}
	drafts, problems := s.Drafts()
	if len(drafts) != 2 || problems != nil {
		t.Fatalf("drafts %+v, problems %v", drafts, problems)
	}
	d := drafts[0]
	if d.ConsumerID != "globex-17" || d.Step != "review" || d.AppID != "app" || d.Preset != "acme" ||
		d.Session.ConsumerMetadata.AccountName != "Globex" || len(d.Session.Settings.UnifiedAPIs) != 3 ||
		d.CustomSettingsText != first.CustomSettingsText || string(d.Session.CustomConsumerSettings) != `{"rate":0.10000000000000000555}` || d.SavedAt.IsZero() {
		t.Errorf("latest draft %+v", d)
	}
	if drafts[1].ConsumerID != "a/../b" || filepath.Dir(drafts[1].Path) != s.DraftDir() {
		t.Errorf("odd consumer ID stored at %s", drafts[1].Path)
	}
	if err := s.DeleteDraft("globex-17"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteDraft("globex-17"); err != nil {
		t.Errorf("deleting twice: %v", err)
	}
	if drafts, _ := s.Drafts(); len(drafts) != 1 {
		t.Errorf("%d drafts after delete", len(drafts))
	}
}

func TestCorruptDraftIsSetAside(t *testing.T) {
	s, _ := testStore(t)
	if err := s.SaveDraft(Draft{ConsumerID: "ok"}); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(s.DraftDir(), "broken.json")
	os.WriteFile(bad, []byte(`{"consumer_id": "x", "session": {"theme": 7}}`), 0o600)
	drafts, problems := s.Drafts()
	var c *CorruptFileError
	if len(drafts) != 1 || len(problems) != 1 || !errors.As(problems[0], &c) || c.Path != bad || c.MovedTo != bad+".corrupt" {
		t.Fatalf("drafts %v problems %v", drafts, problems)
	}
	if drafts, problems := s.Drafts(); len(drafts) != 1 || problems != nil {
		t.Errorf("second read: %v %v", drafts, problems)
	}
}

// draftTimes gives each draft file saved so far a modification time of its
// own, a minute apart in the order saved (a file system's clock may give
// drafts saved in one millisecond the same time).
func draftTimes(t *testing.T, s *Store, ids []string) {
	t.Helper()
	base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for i, id := range ids {
		at := base.Add(time.Duration(i) * time.Minute)
		if err := os.Chtimes(s.draftPath(id), at, at); err != nil {
			t.Fatal(err)
		}
	}
}

func TestDraftsAreCappedTheOldestGoFirst(t *testing.T) {
	s, _ := testStore(t)
	var ids []string
	for i := range MaxDrafts + 10 {
		id := fmt.Sprintf("consumer-%02d", i)
		if err := s.SaveDraft(Draft{ConsumerID: id, Step: "theme"}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
		draftTimes(t, s, ids[max(0, len(ids)-MaxDrafts):])
	}
	files, err := os.ReadDir(s.DraftDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != MaxDrafts {
		t.Errorf("%d draft files kept, want %d", len(files), MaxDrafts)
	}
	drafts, problems := s.Drafts()
	if len(drafts) != MaxDrafts || problems != nil {
		t.Fatalf("%d drafts, problems %v", len(drafts), problems)
	}
	if drafts[0].ConsumerID != ids[len(ids)-1] || drafts[MaxDrafts-1].ConsumerID != ids[10] {
		t.Errorf("kept %s to %s, want %s to %s", drafts[MaxDrafts-1].ConsumerID, drafts[0].ConsumerID, ids[10], ids[len(ids)-1])
	}
	for _, id := range ids[:10] {
		if _, err := os.Stat(s.draftPath(id)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("the draft of %s, among the oldest, is still there (%v)", id, err)
		}
	}
}

func TestDraftsReadsOnlyTheNewest(t *testing.T) {
	// Drafts left by a version that kept them all: only the newest
	// MaxDrafts are read (the oldest, which does not parse, is never
	// opened), so the wizard's start costs the same with any number.
	s, _ := testStore(t)
	var ids []string
	for i := range MaxDrafts + 1 {
		id := fmt.Sprintf("consumer-%02d", i)
		if err := os.MkdirAll(s.DraftDir(), 0o700); err != nil {
			t.Fatal(err)
		}
		body := fmt.Sprintf(`{"consumer_id":%q,"session":{},"saved_at":"2026-11-01T00:%02d:00Z"}`, id, i)
		if i == 0 {
			body = "not a draft"
		}
		if err := os.WriteFile(s.draftPath(id), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	draftTimes(t, s, ids)
	drafts, problems := s.Drafts()
	if len(drafts) != MaxDrafts || problems != nil {
		t.Fatalf("%d drafts, problems %v", len(drafts), problems)
	}
	if drafts[0].ConsumerID != ids[MaxDrafts] || drafts[MaxDrafts-1].ConsumerID != ids[1] {
		t.Errorf("read %s to %s", drafts[MaxDrafts-1].ConsumerID, drafts[0].ConsumerID)
	}
	if _, err := os.Stat(s.draftPath(ids[0])); err != nil {
		t.Errorf("the oldest draft was touched: %v", err)
	}
}
