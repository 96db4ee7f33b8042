package ui

import (
	"strings"

	"github.com/apideck-samples/vault-session/model"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// consumerStep edits the consumer card of the Vault side panel and where
// Vault sends the user back to.
type consumerStep struct{ form textForm }

func newConsumerStep() *consumerStep {
	meta := func(f func(*model.ConsumerMetadata) *string) func(*state) *string {
		return func(st *state) *string { return f(&st.req.Session.ConsumerMetadata) }
	}
	return &consumerStep{form: textForm{fields: []*textField{
		newTextField("consumer_metadata.account_name", "Account name", "e.g. SpaceX",
			"Shown in upper case on the consumer card in Vault's side panel",
			meta(func(m *model.ConsumerMetadata) *string { return &m.AccountName })),
		newTextField("consumer_metadata.user_name", "User name", "e.g. Elon Musk",
			"Shown under the account name",
			meta(func(m *model.ConsumerMetadata) *string { return &m.UserName })),
		newTextField("consumer_metadata.email", "Email", "e.g. elon@musk.com",
			"The user's email address",
			meta(func(m *model.ConsumerMetadata) *string { return &m.Email })),
		newTextField("consumer_metadata.image", "Avatar image URL", "https://…",
			"The round avatar on the consumer card",
			meta(func(m *model.ConsumerMetadata) *string { return &m.Image })),
		newTextField("redirect_uri", "Redirect URI", "e.g. https://mysaas.com/dashboard",
			"Where \"Return to application\" (and auto-redirect) take the user",
			func(st *state) *string { return &st.req.Session.RedirectURI }),
	}}}
}

func (c *consumerStep) title() string         { return "Consumer" }
func (c *consumerStep) load(st *state)        { c.form.load(st) }
func (c *consumerStep) save(st *state)        { c.form.save(st) }
func (c *consumerStep) owns(path string) bool { return c.form.owns(path) }
func (c *consumerStep) focusPath(path string) { c.form.focusPath(path) }
func (c *consumerStep) typing() bool          { return true }
func (c *consumerStep) bindings(st *state) []key.Binding {
	if st.canOpenPanel() {
		return append(formBindings(st.keys), st.keys.ConsumerPanel)
	}
	return formBindings(st.keys)
}
func (c *consumerStep) fullBindings(st *state) []key.Binding {
	if st.canOpenPanel() {
		return append(formFullBindings(st.keys), st.keys.ConsumerPanel)
	}
	return formFullBindings(st.keys)
}

// canOpenPanel reports whether the consumer panel can be read: an API
// to ask and a consumer to ask about.
func (st *state) canOpenPanel() bool {
	return st.lookups.card != nil && strings.TrimSpace(st.req.ConsumerID) != ""
}

func (c *consumerStep) validate(st *state) model.ValidationErrors {
	return errorsFor(st.req.Session.Validate(), c.owns)
}

func (c *consumerStep) update(msg tea.Msg, st *state) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, st.keys.ConsumerPanel) && st.canOpenPanel() {
		return st.navigate(openConsumerPanelMsg{})
	}
	return c.form.update(msg, st)
}

func (c *consumerStep) view(st *state, width int) (string, int) {
	s := st.styles
	head := s.Title.Render("Consumer") + "\n" +
		s.Description.Render(truncate(consumerIntro, width)) + "\n\n"
	body, focus := c.form.view(st, width)
	return head + body, focus + 3
}

// summary is the step's section of the Review.
func (c *consumerStep) summary(p *page, st *state) {
	m := st.req.Session.ConsumerMetadata
	p.text("Account name", "consumer_metadata.account_name", m.AccountName, "Vault shows a placeholder")
	p.text("User name", "consumer_metadata.user_name", m.UserName, "Vault shows a placeholder")
	p.text("Email", "consumer_metadata.email", m.Email, "not sent")
	p.text("Avatar image", "consumer_metadata.image", m.Image, "Vault shows initials")
	p.text("Redirect URI", "redirect_uri", st.req.Session.RedirectURI, "not sent")
}

// consumerIntro is what the step says first, in both front ends.
const consumerIntro = "All optional. Vault shows them on the consumer card; without them it shows placeholders."

// runAccessible asks each field of the consumer card.
func (c *consumerStep) runAccessible(a *lineAsker, st *state) error {
	if st.canOpenPanel() {
		p := newConsumerPanel(st.req.ConsumerID, st, nil, st.demo(), st.now)
		if err := p.offerAccessible(a, st); err != nil {
			return err
		}
		c.load(st) // the card a prepared fix filled in
	}
	a.say("%s", consumerIntro)
	return c.form.runAccessible(a, st, c.validate)
}
