package store

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

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
