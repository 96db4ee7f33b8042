package ui

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/store"
	tea "github.com/charmbracelet/bubbletea"
)

// testStore is a store on temporary XDG homes, its clock at fixedNow.
func testStore(t *testing.T) *store.Store {
	t.Helper()
	root := t.TempDir()
	env := map[string]string{"XDG_CONFIG_HOME": filepath.Join(root, "config"), "XDG_STATE_HOME": filepath.Join(root, "state")}
	s, err := store.Open(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	return s.WithClock(func() time.Time { return fixedNow })
}

// withMemory gives a test state what the store holds, as Run does.
func withMemory(t *testing.T, st state, s *store.Store) state {
	t.Helper()
	m, problems := loadMemory(s, false)
	if problems != nil {
		t.Fatal(problems)
	}
	st.memory = m
	return st
}

func draftsOf(t *testing.T, s *store.Store) []store.Draft {
	t.Helper()
	d, problems := s.Drafts()
	if problems != nil {
		t.Fatal(problems)
	}
	return d
}

func TestDraftKeptOnEveryStepChangeNeverTheKey(t *testing.T) {
	t.Parallel()
	s := testStore(t)
	h := newHarness(t, withMemory(t, testState(model.Request{AppID: "app", ConsumerID: "globex-17"}, "sk_test_SECRET"), s), nil)
	// The key and IDs are given: the wizard opens on the consumer step.
	if h.w.current != stepConsumer {
		t.Fatalf("on step %d", h.w.current)
	}
	if d := draftsOf(t, s); len(d) != 0 {
		t.Fatalf("a draft before anything was typed: %+v", d)
	}
	h.typeText("Globex")
	h.press("tab")
	h.typeText("Hank")
	h.press("esc") // a step change
	d := draftsOf(t, s)
	if len(d) != 1 || d[0].ConsumerID != "globex-17" || d[0].Step != "Credentials" ||
		d[0].Session.ConsumerMetadata.UserName != "Hank" {
		t.Fatalf("drafts %+v", d)
	}
	// The consumer ID changes: the draft moves with it.
	h.press("tab", "tab", "ctrl+u")
	h.typeText("globex-18")
	h.press("enter")
	if d := draftsOf(t, s); len(d) != 1 || d[0].ConsumerID != "globex-18" || d[0].Step != "Consumer" {
		t.Fatalf("after the consumer ID changed: %+v", d)
	}
	assertNoSecretUnder(t, s, "sk_test_SECRET")
}

func assertNoSecretUnder(t *testing.T, s *store.Store, secrets ...string) {
	t.Helper()
	root := filepath.Dir(filepath.Dir(s.DraftDir()))
	filepath.Walk(filepath.Dir(root), func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		data, _ := os.ReadFile(p)
		for _, secret := range secrets {
			if strings.Contains(string(data), secret) {
				t.Errorf("%s holds a secret", p)
			}
		}
		return nil
	})
}

// TestResumeOfferRestoresTheStepAndEveryValue: the offer lists the
// latest drafts; enter puts the chosen one back where it was left, custom
// settings text included even though it does not parse.
func TestResumeOfferRestoresTheStepAndEveryValue(t *testing.T) {
	t.Parallel()
	s := testStore(t).WithClock(func() time.Time { return fixedNow.Add(-12 * time.Minute) })
	err := s.SaveDraft(store.Draft{ConsumerID: "globex-17", AppID: "app-g", Step: "Custom settings",
		Session: model.Session{
			ConsumerMetadata: model.ConsumerMetadata{AccountName: "Globex"},
			Settings:         model.Settings{UnifiedAPIs: []string{"crm", "hris", "ats"}},
			Theme:            model.Theme{VaultName: "Globex Vault"},
		},
		CustomSettingsText: `{"tier": "gold",`})
	if err != nil {
		t.Fatal(err)
	}
	s2 := s.WithClock(func() time.Time { return fixedNow.Add(-3 * time.Hour) })
	if err := s2.SaveDraft(store.Draft{ConsumerID: "acme-42", Step: "Theme"}); err != nil {
		t.Fatal(err)
	}
	st := withMemory(t, testState(model.Request{AppID: "demo-app", ConsumerID: "test-consumer"}, "sk_test_key"), s)
	h := newHarness(t, st, nil)
	h.golden("resume_offer")
	mustContain(t, h.view(), "Resume the unfinished session for globex-17 (Globex, 3 APIs, 12 min ago)?")
	h.press("down", "up", "enter")
	if h.w.phase() != phaseEditing || h.w.steps[h.w.current].title() != "Custom settings" {
		t.Fatalf("resumed on %q", h.w.steps[h.w.current].title())
	}
	r := h.w.st.req
	if r.ConsumerID != "globex-17" || r.AppID != "app-g" || r.Session.Theme.VaultName != "Globex Vault" || h.w.st.apiKey != "sk_test_key" {
		t.Errorf("request %+v", r)
	}
	mustContain(t, h.view(), `{"tier": "gold",`)
	if h.w.st.customSettingsErr == nil {
		t.Error("the broken custom settings were taken as valid")
	}
}

// TestResumeOfferFollowsTheCommandLine: when --from, --preset or
// --consumer-id say what to make, an unrelated draft is not offered; a
// draft for the same consumer is, alone.
func TestResumeOfferFollowsTheCommandLine(t *testing.T) {
	t.Parallel()
	s := testStore(t)
	s.SaveDraft(store.Draft{ConsumerID: "globex-17", Step: "Theme"})
	s.SaveDraft(store.Draft{ConsumerID: "acme-42", Step: "Session"})
	said := func(consumerID string) *harness {
		st := withMemory(t, testState(model.Request{AppID: "app", ConsumerID: consumerID}, "sk_test"), s)
		st.memory.draftsForConsumerOnly = true
		return newHarness(t, st, nil)
	}
	h := said("initech-3")
	if h.w.screen != nil {
		t.Fatalf("--consumer-id initech-3 with unrelated drafts shows %q", h.w.screen.title())
	}
	mustNotContain(t, h.view(), "Unfinished sessions")
	if h.w.current != stepConsumer {
		t.Fatalf("--consumer-id initech-3: on step %d, want the Consumer step", h.w.current+1)
	}
	if h := said(""); h.w.screen != nil {
		t.Fatalf("no consumer ID, and the offer shows %q", h.w.screen.title())
	}
	h = said("acme-42")
	if h.w.phase() != phaseResume {
		t.Fatal("the draft of the consumer named is not offered")
	}
	mustContain(t, h.view(), "Resume the unfinished session for acme-42")
	mustNotContain(t, h.view(), "globex-17")
	// Without the command line saying anything, every draft is offered.
	st := withMemory(t, testState(model.Request{AppID: "app", ConsumerID: "initech-3"}, "sk_test"), s)
	if h := newHarness(t, st, nil); h.w.phase() != phaseResume {
		t.Fatal("the drafts are not offered to a wizard started plainly")
	}
}

func TestResumeOfferStartFreshAndDiscard(t *testing.T) {
	t.Parallel()
	s := testStore(t)
	s.SaveDraft(store.Draft{ConsumerID: "a", Step: "Theme"})
	s.SaveDraft(store.Draft{ConsumerID: "b", Step: "Theme"})
	h := newHarness(t, withMemory(t, testState(model.Request{AppID: "app", ConsumerID: "c"}, ""), s), nil)
	h.press("d")
	if d := draftsOf(t, s); len(d) != 1 || h.w.phase() != phaseResume {
		t.Fatalf("after d: %d drafts, phase %d", len(d), h.w.phase())
	}
	h.press("n")
	if h.w.phase() != phaseEditing || h.w.st.req.ConsumerID != "c" || len(draftsOf(t, s)) != 1 {
		t.Fatalf("n: phase %d, request %+v", h.w.phase(), h.w.st.req)
	}
}

// TestPresetPickerAfterCredentials: none first, filterable; what was set
// before (flags, --from) stays over the preset's values.
func TestPresetPickerAfterCredentials(t *testing.T) {
	t.Parallel()
	s := testStore(t)
	s.SavePreset("acme", model.Session{Theme: model.Theme{VaultName: "Acme", PrimaryColor: "#111111"},
		Settings: model.Settings{UnifiedAPIs: []string{"crm", "hris"}}})
	s.SavePreset("partner-globex", model.Session{Theme: model.Theme{VaultName: "Globex"}})
	req := model.Request{AppID: "app", ConsumerID: "acme-42"}
	req.Session.Theme.PrimaryColor = "#222222" // given on the command line
	h := newHarness(t, withMemory(t, testState(req, ""), s), nil)
	h.press("enter", "enter", "enter")
	if h.w.phase() != phasePreset {
		t.Fatalf("no preset picker after the credentials (phase %d)", h.w.phase())
	}
	h.golden("preset_picker")
	h.typeText("glob")
	mustNotContain(t, h.view(), "acme  ")
	mustContain(t, h.view(), "partner-globex", "none: start from what is already set")
	h.press("backspace", "backspace", "backspace", "backspace")
	h.typeText("acm")
	h.press("enter")
	if h.w.phase() != phaseEditing || h.w.current != stepConsumer {
		t.Fatalf("after picking: phase %d step %d", h.w.phase(), h.w.current)
	}
	th := h.w.st.req.Session.Theme
	if th.VaultName != "Acme" || th.PrimaryColor != "#222222" || len(h.w.st.req.Session.Settings.UnifiedAPIs) != 2 ||
		h.w.st.memory.preset != "acme" {
		t.Errorf("after the preset: %+v %v", th, h.w.st.req.Session.Settings.UnifiedAPIs)
	}
	// Offered once: back and on again goes straight to the consumer.
	h.press("esc", "enter", "enter", "enter")
	if h.w.phase() != phaseEditing || h.w.current != stepConsumer {
		t.Errorf("offered twice (phase %d)", h.w.phase())
	}
}

func TestPresetPickerNoneKeepsTheSession(t *testing.T) {
	t.Parallel()
	s := testStore(t)
	s.SavePreset("acme", model.Session{Theme: model.Theme{VaultName: "Acme"}})
	h := newHarness(t, withMemory(t, testState(model.Request{AppID: "app", ConsumerID: "c"}, ""), s), nil)
	h.press("enter", "enter", "enter", "enter")
	if h.w.current != stepConsumer || h.w.st.req.Session.Theme.VaultName != "" || h.w.st.memory.preset != "" {
		t.Errorf("none: step %d, %+v", h.w.current, h.w.st.req.Session.Theme)
	}
}

// TestCreatedSessionGoesToHistoryAndItsDraftAway: the wizard appends the
// session (never its URL or token) and deletes the consumer's draft.
func TestCreatedSessionGoesToHistoryAndItsDraftAway(t *testing.T) {
	t.Parallel()
	s := testStore(t)
	create := func(_ context.Context, _ string, req model.Request, _ bool) (client.Result, error) {
		return created(req)
	}
	st := withMemory(t, testState(model.Request{AppID: "app", ConsumerID: "acme"}, "sk_test_key"), s)
	st.memory.preset, st.memory.apiBase = "partner", "https://unify.apideck.com"
	h := newHarness(t, st, create)
	h.typeText("Acme")
	h.press("ctrl+s") // a step change: a draft
	if len(draftsOf(t, s)) != 1 {
		t.Fatal("no draft before creating")
	}
	h.press("enter")
	if h.w.phase() != phaseResult {
		t.Fatalf("phase %d", h.w.phase())
	}
	if d := draftsOf(t, s); len(d) != 0 {
		t.Errorf("draft left: %+v", d)
	}
	entries := historyOf(s)
	if len(entries) != 1 || entries[0].ConsumerID != "acme" || entries[0].AccountName != "Acme" || entries[0].Preset != "partner" ||
		entries[0].APIHost != "unify.apideck.com" || entries[0].Demo {
		t.Fatalf("history %+v", entries)
	}
	// Quitting from the result keeps no draft: that session exists.
	h.press("q")
	h.w.keepDraft()
	if h.w.outcome.DraftSaved || len(draftsOf(t, s)) != 0 {
		t.Error("a draft was kept after the session was created")
	}
	assertNoSecretUnder(t, s, "sk_test_key", testToken)
}

// panickingStep is a step whose update panics, as a bug would.
type panickingStep struct{ step }

func (panickingStep) update(tea.Msg, *state) tea.Cmd { panic("a bug in a step") }

// TestPanicKeepsADraftThenIsRaisedAgain: the panic is noted with where it
// happened, the draft written, and the panic raised again.
func TestPanicKeepsADraftThenIsRaisedAgain(t *testing.T) {
	t.Parallel()
	s := testStore(t)
	h := newHarness(t, withMemory(t, testState(model.Request{AppID: "app", ConsumerID: "acme"}, ""), s), nil)
	h.press("enter", "enter", "enter")
	if h.w.current != stepConsumer {
		t.Fatalf("on step %d", h.w.current)
	}
	h.typeText("Acme")
	h.w.steps[stepConsumer] = panickingStep{h.w.steps[stepConsumer]}
	func() {
		defer func() {
			if r := recover(); r != "a bug in a step" {
				t.Errorf("Update raised %v", r)
			}
		}()
		h.w.Update(keyMsg("x"))
	}()
	if h.w.panicked == nil || !strings.Contains(string(h.w.panicked.stack), "panickingStep") {
		t.Fatalf("the panic's stack was not kept: %+v", h.w.panicked)
	}
	var raised any
	func() {
		defer func() { raised = recover() }()
		h.w.keepDraft()
	}()
	report, ok := raised.(*panicReport)
	if !ok || !strings.Contains(report.Error(), "a bug in a step") || !strings.Contains(report.Error(), "panickingStep") {
		t.Fatalf("raised again as %v", raised)
	}
	if d := draftsOf(t, s); len(d) != 1 || d[0].Session.ConsumerMetadata.AccountName != "Acme" {
		t.Errorf("drafts %+v", d)
	}
}

// TestReviewSavesAPreset: s on the review, a name, enter: the theme and
// settings are a preset on disk, the consumer card left out.
func TestReviewSavesAPreset(t *testing.T) {
	t.Parallel()
	s := testStore(t)
	req := model.Request{AppID: "app", ConsumerID: "acme", Session: model.Session{
		ConsumerMetadata: model.ConsumerMetadata{AccountName: "Acme Inc"},
		Settings:         model.Settings{UnifiedAPIs: []string{"crm"}},
		Theme:            model.Theme{VaultName: "Acme", PrimaryColor: "#5d50ce"},
	}}
	h := newHarness(t, withMemory(t, testState(req, "sk_test_key"), s), nil)
	h.press("ctrl+s")
	if h.w.current != stepReview {
		t.Fatalf("step %d", h.w.current)
	}
	mustContain(t, h.view(), "s save as preset")
	h.press("s")
	h.typeText("bad name")
	h.press("enter")
	mustContain(t, h.view(), "use letters, digits")
	h.press("ctrl+u")
	h.typeText("acme-blue")
	h.golden("review_save_preset")
	h.press("enter")
	mustContain(t, h.view(), "✓ Saved as preset acme-blue:", "--preset acme-blue")
	p, err := s.FindPreset("acme-blue")
	if err != nil || p.Session.Theme.VaultName != "Acme" || p.Session.ConsumerMetadata.AccountName != "" ||
		len(p.Session.Settings.UnifiedAPIs) != 1 {
		t.Fatalf("preset %+v, %v", p, err)
	}
	// Esc cancels the name without leaving the review; a second esc leaves.
	h.press("s", "esc")
	if h.w.current != stepReview || h.w.steps[stepReview].typing() {
		t.Errorf("esc while naming: step %d", h.w.current)
	}
	if h.w.st.memory.preset != "acme-blue" {
		t.Errorf("the session's preset is %q", h.w.st.memory.preset)
	}
	assertNoSecretUnder(t, s, "sk_test_key")
}

// TestConsumerIDCompletesFromHistory: the consumer ID offers recent
// consumers; taking one (→) fills the consumer card they last had.
func TestConsumerIDCompletesFromHistory(t *testing.T) {
	t.Parallel()
	s := testStore(t)
	for _, c := range []struct{ id, account, user string }{{"globex-17", "Globex", "Hank"}, {"globex-18", "Globex East", ""}, {"acme", "Acme", "Jane"}} {
		req := model.Request{AppID: "app", ConsumerID: c.id, Session: model.Session{ConsumerMetadata: model.ConsumerMetadata{
			AccountName: c.account, UserName: c.user, Image: "https://img.example/" + c.id}}}
		e, _ := store.NewEntry(req, fixedNow, time.Time{}, "", "", true)
		if err := s.AppendHistory(e); err != nil {
			t.Fatal(err)
		}
	}
	h := newHarness(t, withMemory(t, testState(model.Request{AppID: "app"}, ""), s), nil)
	h.press("tab", "tab")
	h.typeText("glo")
	// The newest first: globex-18 was appended after globex-17.
	mustContain(t, h.view(), "→ completes from the history: globex-18 (ctrl+n: 1 more)")
	h.golden("consumer_completion")
	h.press("ctrl+n", "right")
	if h.w.st.req.ConsumerID != "globex-17" {
		t.Fatalf("consumer ID %q", h.w.st.req.ConsumerID)
	}
	m := h.w.st.req.Session.ConsumerMetadata
	if m.AccountName != "Globex" || m.UserName != "Hank" || m.Image != "https://img.example/globex-17" {
		t.Errorf("card %+v", m)
	}
	mustContain(t, h.view(), "Consumer card filled from the history (Globex · Hank)")
	h.press("enter")
	mustContain(t, h.view(), "Hank")
	// --no-history: nothing offered.
	st := testState(model.Request{AppID: "app"}, "")
	st.memory, _ = loadMemory(s, true)
	h = newHarness(t, st, nil)
	h.press("tab", "tab")
	h.typeText("glo")
	mustNotContain(t, h.view(), "completes from the history")
}

// TestAccessiblePromptsKeepDraftsAndHistory: the plain prompts keep a
// draft when left with q, and record a created session.
func TestAccessiblePromptsKeepDraftsAndHistory(t *testing.T) {
	t.Parallel()
	s := testStore(t)
	st := withMemory(t, testState(model.Request{AppID: "app-1", ConsumerID: "acme"}, "sk_test_secret"), s)
	r := runLines(t, st, "Acme\nq\n", nil)
	if d := draftsOf(t, s); !r.outcome.DraftSaved || len(d) != 1 || d[0].Session.ConsumerMetadata.AccountName != "Acme" {
		t.Fatalf("after q: saved %v, drafts %+v", r.outcome.DraftSaved, d)
	}
	s2 := testStore(t)
	st = withMemory(t, testState(model.Request{AppID: "app-1", ConsumerID: "acme"}, "sk_test_secret"), s2)
	r = runLines(t, st, strings.Repeat("\n", 40)+"q\n", nil)
	entries := historyOf(s2)
	if len(r.sent) != 1 || len(entries) != 1 || entries[0].ConsumerID != "acme" || len(draftsOf(t, s2)) != 0 || r.outcome.DraftSaved {
		t.Fatalf("created %d, history %+v, draft saved %v\n%s", len(r.sent), entries, r.outcome.DraftSaved, r.out)
	}
	assertNoSecretUnder(t, s2, "sk_test_secret", "/session/tok")
}

// historyOf is every entry of the store's history, newest first.
func historyOf(s *store.Store) []store.Entry {
	var entries []store.Entry
	s.WalkHistory(store.HistoryQuery{Bodies: true}, func(e store.Entry) bool {
		entries = append(entries, e)
		return true
	})
	return entries
}

// TestFileErrorsOnScreensAreSaidInTheProgramsWords: a preset or a page
// that cannot be written is said with its path, in the program's words,
// not Go's ("mkdir PATH: permission denied").
func TestFileErrorsOnScreensAreSaidInTheProgramsWords(t *testing.T) {
	st := testState(model.Request{}, "")
	denied := fmt.Errorf("cannot save the preset: %w", &fs.PathError{Op: "mkdir", Path: "/home/ann/.config/vault-session", Err: syscall.EACCES})
	note, failed := presetSaved(presetSavedMsg{name: "acme", err: denied}, &st)
	if !failed || note != "✗ The preset was not saved: cannot save the preset: /home/ann/.config/vault-session: permission denied" {
		t.Errorf("preset: %q", note)
	}
	var theme themeStep
	theme.pageOpened(pageOpenedMsg{err: fmt.Errorf("cannot write the page: %w", &fs.PathError{Op: "open", Path: "/tmp/gone/.tmp-page-1", Err: syscall.ENOENT})})
	if theme.note != "Could not write the page: cannot write the page: /tmp/gone does not exist" {
		t.Errorf("page: %q", theme.note)
	}
}
