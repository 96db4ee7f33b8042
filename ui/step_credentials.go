package ui

import (
	"fmt"
	"strings"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/store"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// credentialsStep asks for the API key and the two ids the request's
// headers carry. The key is masked and never drawn back.
type credentialsStep struct {
	form textForm
	// filledFrom is the history entry the consumer card was last filled
	// from, by completing the consumer ID.
	filledFrom *store.Entry
	// held is set by hold: the key and the app ID are the server's, and
	// the form asks the consumer ID alone.
	held bool
}

func newCredentialsStep() *credentialsStep {
	c := &credentialsStep{form: textForm{fields: []*textField{
		newTextField("api_key", "API key", "leave empty for the built-in demo API",
			"From app.apideck.com › Configuration › API keys; or set APIDECK_API_KEY",
			func(st *state) *string { return &st.apiKey }).secret(),
		newTextField("app_id", "App ID", "e.g. dSBdXd2H6Mqwfg0atXHXYcysLJE9qyn1VwBtXHX",
			"Sent as x-apideck-app-id; or set APIDECK_APP_ID",
			func(st *state) *string { return &st.req.AppID }).required(),
		newTextField("consumer_id", "Consumer ID", "e.g. test-consumer",
			"Your id for the customer whose integrations Vault opens (x-apideck-consumer-id)",
			func(st *state) *string { return &st.req.ConsumerID }).required(),
	}}}
	// While the history completes the consumer ID, its hint says so.
	c.consumerField().liveHint = c.completionHint
	return c
}

// hold makes the step ask the consumer ID alone: the API key and the app
// ID are the server's (Options.KeyHeldByServer), shown and never edited,
// so no one connected can change the key or where it is sent.
func (c *credentialsStep) hold() {
	c.held = true
	c.form.fields = []*textField{c.consumerField()}
	c.form.setFocus(0)
}

// typedKey is the API key as it stands: the field's, or the server's.
func (c *credentialsStep) typedKey(st *state) string {
	if i := c.form.index("api_key"); i >= 0 {
		return c.form.fields[i].input.Value()
	}
	return st.apiKey
}

func (c *credentialsStep) title() string { return "Credentials" }
func (c *credentialsStep) load(st *state) {
	c.form.load(st)
	c.completeConsumers(st)
}
func (c *credentialsStep) save(st *state)        { c.form.save(st) }
func (c *credentialsStep) owns(path string) bool { return c.form.owns(path) }
func (c *credentialsStep) focusPath(path string) { c.form.focusPath(path) }

// typing is false in the API key field: no key has a "?" in it, and a "?"
// typed there would be read as a key and quietly leave the demo API, so
// there it opens the help as everywhere else.
func (c *credentialsStep) typing() bool { return c.form.focus != c.form.index("api_key") }

// bindings adds the history's completion keys while it has one.
func (c *credentialsStep) bindings(st *state) []key.Binding {
	if c.completionHint(st) != "" && c.filledFrom == nil {
		return append(formBindings(st.keys), completionBindings(st.keys)...)
	}
	return formBindings(st.keys)
}
func (c *credentialsStep) fullBindings(st *state) []key.Binding {
	return formFullBindings(st.keys)
}

func (c *credentialsStep) validate(st *state) model.ValidationErrors {
	return model.Request{AppID: st.req.AppID, ConsumerID: st.req.ConsumerID}.Validate()
}

func (c *credentialsStep) update(msg tea.Msg, st *state) tea.Cmd {
	before := c.consumerField().input.Value()
	cmd := c.form.update(msg, st)
	c.picked(msg, before, st)
	return cmd
}

func (c *credentialsStep) view(st *state, width int) (string, int) {
	s := st.styles
	intro := s.Title.Render(credentialsTitle) + "\n" +
		s.Description.Render(truncate(credentialsIntro, width)) + "\n"
	// Say where the session will go, live, as the key is typed or cleared.
	typed := c.typedKey(st)
	target := s.Success.Render("● ") + s.Hint.Render(sessionTarget(st, typed))
	if demoTarget(st, typed) {
		target = s.DemoBadge.Render("DEMO") + " " + s.Warning.Render(sessionTarget(st, typed))
	}
	body, focus := c.form.view(st, width)
	head := intro + truncateANSI(target, width) + "\n\n"
	if c.held {
		held := heldRows(st, width)
		head += held + "\n"
		focus += strings.Count(held, "\n") + 1
	}
	return head + body, focus + 4
}

// heldAPI names the API the server's key is sent to.
func (st *state) heldAPI() string {
	if t := st.keyedAPI(); t != "Apideck" {
		return t
	}
	return "the Apideck API"
}

// heldRows shows what the server holds, as rows of the form that cannot
// be focused.
func heldRows(st *state, width int) string {
	s := st.styles
	row := func(label, value string) string {
		return truncateANSI("  "+s.Label.Render(fmt.Sprintf("%-8s", label))+"  "+s.Code.Render(value), width) + "\n"
	}
	key := "held by the server"
	if st.forceDemo {
		key = "none: the server sends every session to its demo API"
	}
	return row("API key", key) + row("App ID", termtext.LineN(st.req.AppID, 80)+" (the server's)")
}

// formBindings is the help line of a plain form step.
func formBindings(k KeyMap) []key.Binding {
	return []key.Binding{either("move", k.NextField, k.PrevField), k.Next}
}

// formFullBindings is the full help of a plain form step.
func formFullBindings(k KeyMap) []key.Binding {
	return []key.Binding{k.NextField, k.PrevField, relabel(k.Next, "next field; on the last, next step")}
}

// summary is the step's section of the Review.
func (c *credentialsStep) summary(p *page, st *state) {
	s := p.s
	p.text("App ID", "app_id", st.req.AppID, "missing")
	p.text("Consumer ID", "consumer_id", st.req.ConsumerID, "missing")
	switch {
	case st.keyHeld && st.forceDemo:
		p.row("API key", "none: the server sends every session to its demo API", s.Warning)
	case st.keyHeld:
		p.row("API key", "held by the server", s.Code)
	case st.apiKey != "" && st.forceDemo:
		p.row("API key", "set (hidden), but --demo sends the request to the demo API", s.Warning)
	case st.apiKey != "":
		p.row("API key", "set (hidden)", s.Code)
	default:
		p.row("API key", "none: demo API", s.Warning)
	}
}

// The words the step says in both front ends.
const (
	credentialsTitle = "Who is this session for?"
	credentialsIntro = "The API key stays in memory: it is never shown, logged or saved."
)

// demoTarget reports whether, with key typed, sessions go to the demo API.
func demoTarget(st *state, key string) bool { return st.forceDemo || key == "" }

// sessionTarget says where sessions go with key typed.
func sessionTarget(st *state, key string) string {
	switch {
	case st.keyHeld && st.forceDemo:
		return "DEMO server: sessions go to its built-in demo API, not Apideck; the links are for trying it out."
	case st.keyHeld:
		return "Sessions are created with the server's key at " + st.heldAPI() + "; the key never leaves the server."
	case st.forceDemo:
		return "--demo is on: sessions go to the built-in demo API, not Apideck."
	case key == "":
		return "No API key: sessions go to the built-in demo API, not Apideck."
	}
	where := "the Apideck API"
	if t := st.keyedAPI(); t != "Apideck" {
		where = t + " (--base-url)"
	}
	return "Sessions are created with this key at " + where + "."
}

// runAccessible asks the key and the two IDs, saying where sessions go.
func (c *credentialsStep) runAccessible(a *lineAsker, st *state) error {
	a.say("%s %s", credentialsTitle, credentialsIntro)
	a.say("%s", sessionTarget(st, st.apiKey))
	if c.held {
		a.say("API key: held by the server. App ID: %s (the server's).", termtext.Line(st.req.AppID))
	}
	return c.form.runAccessible(a, st, c.validate)
}
