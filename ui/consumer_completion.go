package ui

import (
	"strconv"

	"github.com/apideck-samples/vault-session/model/store"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// consumerField is the consumer ID's field of the credentials form.
func (c *credentialsStep) consumerField() *textField {
	return c.form.fields[c.form.index("consumer_id")]
}

// completionBindings are the completion's keys for the help line.
func completionBindings(k KeyMap) []key.Binding {
	return []key.Binding{k.CompleteConsumer, either("other consumers", k.NextConsumer, k.PrevConsumer)}
}

// completeConsumers offers the recent consumers of the history as
// completions of the consumer ID.
func (c *credentialsStep) completeConsumers(st *state) {
	in := &c.consumerField().input
	if len(st.memory.recent) == 0 {
		in.ShowSuggestions = false
		return
	}
	ids := make([]string, len(st.memory.recent))
	for i, e := range st.memory.recent {
		ids[i] = e.ConsumerID
	}
	in.ShowSuggestions = true
	in.KeyMap.AcceptSuggestion = st.keys.CompleteConsumer
	in.KeyMap.NextSuggestion = st.keys.NextConsumer
	in.KeyMap.PrevSuggestion = st.keys.PrevConsumer
	in.SetSuggestions(ids)
}

// picked fills the consumer card from the history when a consumer ID was
// just taken from it: their account, user, email and avatar, as last sent.
func (c *credentialsStep) picked(msg tea.Msg, before string, st *state) {
	k, ok := msg.(tea.KeyMsg)
	if !ok || c.form.focus != c.form.index("consumer_id") || !key.Matches(k, st.keys.CompleteConsumer) {
		return
	}
	id := c.consumerField().input.Value()
	if id == before {
		return
	}
	for _, e := range st.memory.recent {
		if e.ConsumerID != id {
			continue
		}
		if body, err := e.SessionBody(); err == nil {
			st.req.Session.ConsumerMetadata = body.ConsumerMetadata
		} else {
			st.req.Session.ConsumerMetadata.AccountName = e.AccountName
			st.req.Session.ConsumerMetadata.UserName = e.UserName
			st.req.Session.ConsumerMetadata.Email = e.Email
		}
		c.filledFrom = &e
		return
	}
}

// completionHint is the consumer ID's hint while the history has a
// suggestion for what is typed, or after one was taken.
func (c *credentialsStep) completionHint(st *state) string {
	in := &c.consumerField().input
	if c.filledFrom != nil && c.filledFrom.ConsumerID == in.Value() {
		return "Consumer card filled from the history (" + describeEntry(*c.filledFrom) + ")"
	}
	if !in.ShowSuggestions || c.form.focus != c.form.index("consumer_id") || len(in.MatchedSuggestions()) == 0 {
		return ""
	}
	hint := st.keys.CompleteConsumer.Help().Key + " completes from the history: " + termtext.LineN(in.CurrentSuggestion(), 60)
	if n := len(in.MatchedSuggestions()); n > 1 {
		hint += " (" + st.keys.NextConsumer.Help().Key + ": " + strconv.Itoa(n-1) + " more)"
	}
	return hint
}

// describeEntry names who a history entry was for: "Globex · Hank".
func describeEntry(e store.Entry) string {
	about := e.AccountName
	if e.UserName != "" {
		if about != "" {
			about += " · "
		}
		about += e.UserName
	}
	if about == "" {
		about = e.ConsumerID
	}
	return termtext.LineN(about, 60)
}
