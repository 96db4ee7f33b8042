package ui

import (
	"encoding/json"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/store"
	tea "github.com/charmbracelet/bubbletea"
)

// memory is what the wizard keeps between runs, through model/store:
// drafts of unfinished sessions, presets, and the history of created ones.
// Nothing in it, or written by it, holds the API key.
type memory struct {
	store *store.Store // nil: nothing is read or kept
	// noHistory is --no-history or VAULT_SESSION_NO_HISTORY: created
	// sessions are not recorded, and consumers are not completed from it.
	noHistory bool
	// preset names the preset the session started from, for the history.
	preset string
	// apiBase is the keyed API's base URL: the history keeps its host.
	apiBase string
	// presets are offered after the credentials; drafts at the start;
	// recent are the latest entry of each consumer in the history.
	presets []store.Preset
	drafts  []store.Draft
	recent  []store.Entry
	// draftsForConsumerOnly is Options.SaidOnCommandLine: the resume offer
	// lists only the drafts for the consumer ID the wizard starts with.
	draftsForConsumerOnly bool
	// drafter writes drafts in order, off the event loop.
	drafter *drafter
	// start is the request the wizard started with: a run that changed
	// nothing leaves no draft.
	start []byte
}

// loadMemory reads what the store holds for a new wizard. problems are
// files set aside or unreadable, for the caller to report.
func loadMemory(st *store.Store, noHistory bool) (m memory, problems []error) {
	m = memory{store: st, noHistory: noHistory}
	if st == nil {
		return m, nil
	}
	m.drafter = &drafter{store: st}
	var p []error
	m.presets, p = st.Presets()
	problems = append(problems, p...)
	m.drafts, p = st.Drafts()
	problems = append(problems, p...)
	if !noHistory {
		// Only the newest part of the history is read: the wizard starts
		// as fast with a full one as with none.
		m.recent, p = st.RecentConsumers(maxRecentConsumers)
		problems = append(problems, p...)
	}
	return m, problems
}

// draftsToOffer are the drafts the resume offer lists for a wizard that
// starts with req. When the command line already said what to make, a
// draft of another consumer is not what was asked for: only the same
// consumer's is offered, and none without a consumer ID.
func (m *memory) draftsToOffer(req model.Request) []store.Draft {
	if !m.draftsForConsumerOnly {
		return m.drafts
	}
	var out []store.Draft
	for _, d := range m.drafts {
		if req.ConsumerID != "" && d.ConsumerID == req.ConsumerID {
			out = append(out, d)
		}
	}
	return out
}

// maxRecentConsumers is how many consumers of the history the consumer ID
// completes.
const maxRecentConsumers = 50

// maxDraftsOffered is how many drafts the resume offer lists.
const maxDraftsOffered = 5

// drafter writes drafts one at a time and in the order they were taken: a
// write that was overtaken by a newer one (or by the session's creation)
// is dropped, so an old draft never lands over a new one.
type drafter struct {
	store *store.Store
	mu    sync.Mutex
	seq   int // the newest snapshot taken
	done  int // the newest snapshot written
	// key is the consumer ID the current draft is saved under; when the
	// consumer ID changes, the draft moves with it.
	key    string
	hasKey bool
	// pending counts writes handed to Bubble Tea and not yet done, so Run
	// can wait for them after a quick quit.
	pending sync.WaitGroup
}

// track runs write as a pending write.
func (d *drafter) track(write func() tea.Msg) tea.Cmd {
	d.pending.Add(1)
	return func() tea.Msg {
		defer d.pending.Done()
		return write()
	}
}

// wait waits for the pending writes, at most limit: a command Bubble Tea
// never started must not hold the exit up.
func (d *drafter) wait(limit time.Duration) {
	done := make(chan struct{})
	go func() {
		d.pending.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(limit):
	}
}

// next numbers a snapshot.
func (d *drafter) next() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.seq++
	return d.seq
}

// save writes draft as snapshot seq unless a newer one was written.
func (d *drafter) save(seq int, draft store.Draft) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if seq <= d.done {
		return nil
	}
	d.done = seq
	if d.hasKey && d.key != draft.ConsumerID {
		if err := d.store.DeleteDraft(d.key); err != nil {
			return err
		}
	}
	d.key, d.hasKey = draft.ConsumerID, true
	return d.store.SaveDraft(draft)
}

// remove deletes the draft of a consumer whose session was created.
func (d *drafter) remove(seq int, consumerID string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if seq <= d.done {
		return nil
	}
	d.done = seq
	if d.hasKey && d.key == consumerID {
		d.hasKey = false
	}
	return d.store.DeleteDraft(consumerID)
}

// adopt makes a resumed draft the current one, so that a changed consumer
// ID moves it rather than leaving it behind.
func (d *drafter) adopt(consumerID string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.key, d.hasKey = consumerID, true
}

// memoryErrMsg reports a draft or history write that failed; the wizard
// shows it once and goes on.
type memoryErrMsg struct{ err error }

// snapshot is the draft of the wizard as it is now: a deep copy (through
// JSON) so the write can run while the steps keep editing.
func (w *wizard) snapshot() (store.Draft, bool) {
	body, err := json.Marshal(w.st.req.Session)
	if err != nil {
		return store.Draft{}, false
	}
	session, err := model.DecodeSession(body)
	if err != nil {
		return store.Draft{}, false
	}
	d := store.Draft{
		ConsumerID: w.st.req.ConsumerID,
		AppID:      w.st.req.AppID,
		Step:       w.steps[w.current].title(),
		Preset:     w.st.memory.preset,
		Session:    session,
	}
	if w.st.customSettingsErr != nil {
		for _, s := range w.steps {
			if c, ok := s.(*customSettingsStep); ok {
				d.CustomSettingsText = c.raw
			}
		}
	}
	return d, true
}

// requestKey is the request as compared with the one the wizard started
// with.
func requestKey(r model.Request) []byte {
	b, _ := json.Marshal(struct {
		AppID, ConsumerID string
		Session           model.Session
	}{r.AppID, r.ConsumerID, r.Session})
	return b
}

// draftWorthKeeping is false while nothing differs from how the wizard
// started, and on the result and watch screens: that session exists.
func (w *wizard) draftWorthKeeping() bool {
	if w.st.memory.drafter == nil {
		return false
	}
	switch w.screen.(type) {
	case *resultView, *watchView:
		return false
	}
	return w.st.customSettingsErr != nil || string(requestKey(w.st.req)) != string(w.st.memory.start)
}

// saveDraftCmd keeps a draft on a step change, written off the event loop.
func (w *wizard) saveDraftCmd() tea.Cmd {
	if !w.draftWorthKeeping() {
		return nil
	}
	d, ok := w.snapshot()
	if !ok {
		return nil
	}
	dr := w.st.memory.drafter
	seq := dr.next()
	return dr.track(func() tea.Msg {
		if err := dr.save(seq, d); err != nil {
			return memoryErrMsg{fmt.Errorf("the draft was not saved: %w", err)}
		}
		return nil
	})
}

// saveDraftNow keeps a draft on the way out (quit, Ctrl+C, a signal, a
// panic): written before Run returns. saved reports whether one was.
func (w *wizard) saveDraftNow() (saved bool, err error) {
	if !w.draftWorthKeeping() {
		return false, nil
	}
	d, ok := w.snapshot()
	if !ok {
		return false, nil
	}
	dr := w.st.memory.drafter
	if err := dr.save(dr.next(), d); err != nil {
		return false, err
	}
	return true, nil
}

// recordCreatedCmd adds a created session to the history and deletes its
// consumer's draft.
func (w *wizard) recordCreatedCmd(req model.Request, expiresAt time.Time, demo bool) tea.Cmd {
	m := w.st.memory
	if m.store == nil {
		return nil
	}
	seq := m.drafter.next()
	apiBase := m.apiBase
	if demo {
		apiBase = "" // the built-in demo's port changes every run
	}
	at := w.now()
	return m.drafter.track(func() tea.Msg {
		if err := m.drafter.remove(seq, req.ConsumerID); err != nil {
			return memoryErrMsg{fmt.Errorf("the draft was not deleted: %w", err)}
		}
		if m.noHistory {
			return nil
		}
		entry, err := store.NewEntry(req, at, expiresAt, m.preset, apiBase, demo)
		if err == nil {
			err = m.store.AppendHistory(entry)
		}
		if err != nil {
			return memoryErrMsg{fmt.Errorf("the session was not added to the history: %w", err)}
		}
		return nil
	})
}

// panicReport is a panic the wizard caught in Update or View: Run saves
// the draft and the terminal is restored before it is raised again, with
// the stack of where it happened.
type panicReport struct {
	value any
	stack []byte
}

func (p *panicReport) Error() string {
	return fmt.Sprintf("%v\n\n[the wizard saved a draft, then raised this again; where it happened:]\n%s", p.value, p.stack)
}

// catchPanic records a panic and raises it again, for Bubble Tea to
// restore the terminal; used as `defer w.catchPanic()`.
func (w *wizard) catchPanic() {
	if r := recover(); r != nil {
		if w.panicked == nil {
			w.panicked = &panicReport{value: r, stack: debug.Stack()}
		}
		panic(r)
	}
}
