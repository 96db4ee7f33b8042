package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/triage"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/store"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// The consumer ID suggests as it is typed: the recent consumers of the
// history that match first, then the API's consumers whose ID starts with
// the text or whose account, name or email holds it, each with its
// account name and email. The API is asked off the event loop, once the
// typing pauses, and a lookup still running is cancelled by the next key:
// a key press never waits for the network, and an API error is one quiet
// line that never stands in the way of creating a session.

// consumerLookups are the support look-ups of the wizard: consumers
// matching what is typed as a consumer ID, and a consumer's card for the
// consumer panel. Run sets them from its clients; a nil one means the
// wizard has no API to ask.
type consumerLookups struct {
	search func(ctx context.Context, apiKey string, req model.Request, demo bool, text string) ([]client.Consumer, error)
	card   func(ctx context.Context, apiKey string, req model.Request, demo bool, consumerID string) (triage.Card, error)
}

// How the consumer ID asks the API.
const (
	// suggestPause is how long the typing must pause before the API is
	// asked: a fast typist sends one lookup, not one per key.
	suggestPause = 250 * time.Millisecond
	// suggestMinChars is the shortest text the API is asked about.
	suggestMinChars = 2
	// maxSuggestions bounds the list under the field.
	maxSuggestions = 6
	// suggestTimeout bounds one lookup: suggestions late are no use.
	suggestTimeout = 5 * time.Second
)

// consumerSuggestion is one consumer offered for the ID.
type consumerSuggestion struct {
	id   string
	meta model.ConsumerMetadata
	// entry is the history entry it comes from; nil when from the API.
	entry *store.Entry
}

// consumerSuggester is the list under the consumer ID field.
type consumerSuggester struct {
	text  string // what the list is for
	items []consumerSuggestion
	pick  int
	// apiCall is the API's lookup for the text typed: each key stops it,
	// so a lookup for older text is dropped.
	apiCall
	quiet string // why the API's suggestions are missing: one line
	// filledID and filledFrom say where the consumer card was last filled
	// from ("the history (Globex · Hank)"), for that consumer ID.
	filledID, filledFrom string
}

// Messages of the consumer ID's lookups.
type (
	consumerLookupDueMsg  struct{ seq int }
	consumerLookupDoneMsg struct {
		seq   int
		found []client.Consumer
		err   error
	}
)

// consumerField is the consumer ID's field of the credentials form.
func (c *credentialsStep) consumerField() *textField {
	return c.form.fields[c.form.index("consumer_id")]
}

// completionBindings are the suggestions' keys for the help line.
func completionBindings(k KeyMap) []key.Binding {
	return []key.Binding{k.CompleteConsumer, either("other consumers", k.NextConsumer, k.PrevConsumer)}
}

// completeConsumers readies the field: the list is the wizard's own (the
// input's prefix completion would offer the history's IDs alone).
func (c *credentialsStep) completeConsumers(st *state) {
	in := &c.consumerField().input
	in.ShowSuggestions = false
	c.suggest.stop()
	c.suggest.items, c.suggest.text = nil, in.Value()
}

// suggestUpdate handles the suggestions' messages and keys; handled is
// false for what the field itself takes.
func (c *credentialsStep) suggestUpdate(msg tea.Msg, st *state) (tea.Cmd, bool) {
	s := &c.suggest
	switch msg := msg.(type) {
	case consumerLookupDueMsg:
		return s.lookup(msg, st), true
	case consumerLookupDoneMsg:
		s.found(msg)
		return nil, true
	case tea.KeyMsg:
		if c.form.focus != c.form.index("consumer_id") || len(s.items) == 0 || s.filledID == c.consumerField().input.Value() {
			return nil, false
		}
		in := &c.consumerField().input
		switch {
		case key.Matches(msg, st.keys.NextConsumer):
			s.pick = (s.pick + 1) % len(s.items)
			return nil, true
		case key.Matches(msg, st.keys.PrevConsumer):
			s.pick = (s.pick + len(s.items) - 1) % len(s.items)
			return nil, true
		case key.Matches(msg, st.keys.CompleteConsumer) && in.Position() == utf8.RuneCountInString(in.Value()):
			c.take(s.items[s.pick], st)
			return nil, true
		}
	}
	return nil, false
}

// typed follows the text: the history's matches at once, the API's once
// the typing pauses.
func (c *credentialsStep) typed(text string, st *state) tea.Cmd {
	s := &c.suggest
	s.stop()
	s.text, s.quiet = text, ""
	// The API's suggestions that still match stay until its next answer.
	var api []consumerSuggestion
	for _, it := range s.items {
		if it.entry == nil && suggestionMatches(it, text) {
			api = append(api, it)
		}
	}
	s.set(historyMatches(st, text), api)
	if st.lookups.search == nil || st.every == nil || utf8.RuneCountInString(strings.TrimSpace(text)) < suggestMinChars ||
		strings.TrimSpace(st.req.AppID) == "" || text == s.filledID {
		return nil
	}
	return st.every(suggestPause, consumerLookupDueMsg{seq: s.seq})
}

// lookup asks the API, off the event loop, about the text typed when it
// was due; the next key cancels it.
func (s *consumerSuggester) lookup(msg consumerLookupDueMsg, st *state) tea.Cmd {
	if msg.seq != s.seq || st.lookups.search == nil {
		return nil
	}
	text, search := s.text, st.lookups.search
	apiKey, req, demo := st.apiKey, st.req, st.demo()
	return s.run(suggestTimeout, func(ctx context.Context, seq int) tea.Msg {
		found, err := search(ctx, apiKey, req, demo, text)
		return consumerLookupDoneMsg{seq: seq, found: found, err: err}
	})
}

// found takes the API's answer for the text still typed.
func (s *consumerSuggester) found(msg consumerLookupDoneMsg) {
	if !s.answered(msg.seq) {
		return // typed over: a newer lookup is due
	}
	if msg.err != nil {
		s.quiet = "No suggestions from the API: " + termtext.LineN(msg.err.Error(), 120)
		return
	}
	var api []consumerSuggestion
	for _, consumer := range msg.found {
		api = append(api, consumerSuggestion{id: consumer.ConsumerID, meta: consumer.Metadata})
	}
	var history []consumerSuggestion
	for _, it := range s.items {
		if it.entry != nil {
			history = append(history, it)
		}
	}
	s.set(history, api)
}

// set lists the history's suggestions first, then the API's not already
// listed, at most maxSuggestions; the pick stays on its consumer.
func (s *consumerSuggester) set(history, api []consumerSuggestion) {
	picked := ""
	if s.pick < len(s.items) {
		picked = s.items[s.pick].id
	}
	s.items, s.pick = nil, 0
	seen := map[string]bool{}
	for _, it := range append(history, api...) {
		if len(s.items) == maxSuggestions || seen[it.id] {
			continue
		}
		seen[it.id] = true
		if it.id == picked {
			s.pick = len(s.items)
		}
		s.items = append(s.items, it)
	}
}

// historyMatches are the recent consumers, newest first, whose ID starts
// with text or whose account, name or email holds it.
func historyMatches(st *state, text string) []consumerSuggestion {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	var out []consumerSuggestion
	for i := range st.memory.recent {
		e := &st.memory.recent[i]
		it := consumerSuggestion{id: e.ConsumerID, entry: e,
			meta: model.ConsumerMetadata{AccountName: e.AccountName, UserName: e.UserName, Email: e.Email}}
		if suggestionMatches(it, text) {
			out = append(out, it)
		}
	}
	return out
}

// suggestionMatches is the API's rule, applied here: the ID starts with
// text, or the ID, email, account or user name holds it, ignoring case.
func suggestionMatches(it consumerSuggestion, text string) bool {
	text = strings.ToLower(strings.TrimSpace(text))
	for _, field := range []string{it.id, it.meta.Email, it.meta.AccountName, it.meta.UserName} {
		if strings.Contains(strings.ToLower(field), text) {
			return true
		}
	}
	return false
}

// take puts a suggestion in the field and fills the consumer card: from
// the history as last sent, or from the API's metadata.
func (c *credentialsStep) take(it consumerSuggestion, st *state) {
	in := &c.consumerField().input
	in.SetValue(it.id)
	in.CursorEnd()
	st.req.ConsumerID = it.id
	s := &c.suggest
	s.stop()
	if it.entry != nil {
		if body, err := it.entry.SessionBody(); err == nil {
			st.req.Session.ConsumerMetadata = body.ConsumerMetadata
		} else {
			st.req.Session.ConsumerMetadata = it.meta
		}
		s.filledFrom = "the history (" + describeConsumer(it.id, it.meta) + ")"
	} else {
		st.req.Session.ConsumerMetadata = it.meta
		s.filledFrom = st.apiTarget() + " (" + describeConsumer(it.id, it.meta) + ")"
	}
	s.filledID = it.id
	s.items, s.text = nil, it.id
}

// completionHint is the consumer ID's hint while it has suggestions, or
// after one was taken.
func (c *credentialsStep) completionHint(st *state) string {
	in := &c.consumerField().input
	s := &c.suggest
	if s.filledID != "" && s.filledID == in.Value() {
		return "Consumer card filled from " + s.filledFrom
	}
	if c.form.focus != c.form.index("consumer_id") || len(s.items) == 0 {
		return ""
	}
	it := s.items[s.pick]
	from := "the history"
	if it.entry == nil {
		from = st.apiTarget()
	}
	hint := st.keys.CompleteConsumer.Help().Key + " completes from " + from + ": " + termtext.LineN(it.id, 60)
	if n := len(s.items); n > 1 {
		hint += " (" + st.keys.NextConsumer.Help().Key + ": " + strconv.Itoa(n-1) + " more)"
	}
	return hint
}

// suggestionRows are the lines under the field: each suggestion with its
// account name and email, the one → takes marked; then, when the API
// could not be asked, why, quietly.
func (c *credentialsStep) suggestionRows(st *state, width int) string {
	s := &c.suggest
	in := &c.consumerField().input
	if c.form.focus != c.form.index("consumer_id") || s.filledID == in.Value() {
		return ""
	}
	styles := st.styles
	var b strings.Builder
	for i, it := range s.items {
		marker, id := "    ", styles.Label.Render(termtext.LineN(it.id, 40))
		if i == s.pick {
			marker, id = "  "+styles.Cursor.Render("▸ "), styles.FocusLabel.Render(termtext.LineN(it.id, 40))
		}
		about := describeConsumerLong(it.meta)
		from := ""
		if it.entry != nil {
			from = " (recent)"
		}
		b.WriteString(truncateANSI(marker+id+"  "+styles.Hint.Render(about+from), width) + "\n")
	}
	if s.quiet != "" {
		b.WriteString("  " + styles.Muted.Render(truncate(s.quiet, width-2)) + "\n")
	}
	return b.String()
}

// describeConsumer names who a consumer is: "Globex · Hank".
func describeConsumer(id string, m model.ConsumerMetadata) string {
	about := m.AccountName
	if m.UserName != "" {
		if about != "" {
			about += " · "
		}
		about += m.UserName
	}
	if about == "" {
		about = id
	}
	return termtext.LineN(about, 60)
}

// describeConsumerLong is a suggestion's account name and email.
func describeConsumerLong(m model.ConsumerMetadata) string {
	var parts []string
	for _, p := range []string{m.AccountName, m.Email} {
		if strings.TrimSpace(p) != "" {
			parts = append(parts, termtext.LineN(p, 50))
		}
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, " · ")
}

// offerSuggestions is the list under the field in the plain prompts: after
// a consumer ID is typed, the consumers matching it as a numbered list;
// a number takes one and fills its consumer card, enter keeps what was
// typed. An API that cannot be asked is one line.
func (c *credentialsStep) offerSuggestions(a *lineAsker, st *state) error {
	text := st.req.ConsumerID
	var api []consumerSuggestion
	if st.lookups.search != nil && utf8.RuneCountInString(strings.TrimSpace(text)) >= suggestMinChars && strings.TrimSpace(st.req.AppID) != "" {
		ctx, cancel := context.WithTimeout(a.ctx, suggestTimeout)
		found, err := st.lookups.search(ctx, st.apiKey, st.req, st.demo(), text)
		cancel()
		switch {
		case a.ctx.Err() != nil:
			return a.ctx.Err()
		case err != nil:
			a.say("No suggestions from the API: %s.", termtext.LineN(err.Error(), 120))
		}
		for _, consumer := range found {
			api = append(api, consumerSuggestion{id: consumer.ConsumerID, meta: consumer.Metadata})
		}
	}
	var s consumerSuggester
	s.set(historyMatches(st, text), api)
	if len(s.items) == 0 {
		return nil
	}
	a.say("Consumers matching %s:", quoted(text))
	for i, it := range s.items {
		from := ""
		if it.entry != nil {
			from = " (recent)"
		}
		a.say("  %d. %s: %s%s", i+1, termtext.LineN(it.id, 60), describeConsumerLong(it.meta), from)
	}
	for {
		ans, err := orQuit(a.ask(fmt.Sprintf("Number to take one and fill its consumer card (enter keeps %s): ", quoted(text))))
		if err != nil {
			return err
		}
		if ans == "" {
			return nil
		}
		if n, ok := listNumber(ans, len(s.items)); ok {
			c.take(s.items[n], st)
			a.say("Consumer ID %s; consumer card filled from %s.", quoted(st.req.ConsumerID), c.suggest.filledFrom)
			return nil
		}
		a.say("Please answer a number from 1 to %d, or enter.", len(s.items))
	}
}
