package ui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// credentialsStep asks for the API key and the two ids the request's
// headers carry. The key is masked and never drawn back.
type credentialsStep struct {
	form textForm
	// suggest is the list under the consumer ID: the history's consumers
	// and the API's (consumer_completion.go).
	suggest consumerSuggester
	// held is set by hold: the key and the app ID are the server's, and
	// the form asks the consumer ID alone.
	held bool
	// changingKey is set once the user chose (ChangeKey) to type another
	// key than the one given by the environment or a flag; until then
	// that key is kept, and no stray key edits it.
	changingKey bool
	// demoAgreed is set when the user, told that an empty key leaves the
	// given one for the demo API, went on all the same.
	demoAgreed bool
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
	// While the consumer ID has suggestions, its hint says so, and they
	// are listed under it.
	c.consumerField().liveHint = c.completionHint
	keyField := c.form.fields[c.form.index("api_key")]
	keyField.kept = c.keptKey
	keyField.liveHint = c.keyHint
	c.consumerField().below = c.suggestionRows
	c.consumerField().afterAnswer = c.offerSuggestions
	return c
}

// keptKey is what the key field shows while the key given at the start is
// kept: never the key, not even its length.
func (c *credentialsStep) keptKey(st *state) string {
	if st.keyFrom == "" || c.changingKey {
		return ""
	}
	return "•••••••• from " + st.keyFrom
}

// keyHint says, under the key field, how to change a given key or keep it.
func (c *credentialsStep) keyHint(st *state) string {
	switch {
	case st.keyFrom == "":
		return ""
	case !c.changingKey:
		return "The key from " + st.keyFrom + " is used; " + st.keys.ChangeKey.Help().Key + " types another"
	}
	return "Type the key to use; " + st.keys.ChangeKey.Help().Key + " keeps the one from " + st.keyFrom
}

// givenKeyHere reports whether a key was given at the start and the step
// shows it (not when the server holds the key).
func (c *credentialsStep) givenKeyHere(st *state) bool {
	return st.keyFrom != "" && c.form.index("api_key") >= 0
}

// changeKey is ChangeKey: the first press empties the field for another
// key, the next puts the given key back.
func (c *credentialsStep) changeKey(st *state) {
	field := c.form.fields[c.form.index("api_key")]
	c.changingKey, c.demoAgreed = !c.changingKey, false
	if c.changingKey {
		field.input.SetValue("")
	} else {
		field.input.SetValue(st.givenKey)
		st.errs = slices.DeleteFunc(st.errs, func(e model.FieldError) bool { return e.Path == "api_key" })
	}
	c.form.focusPath("api_key")
}

// start focuses the field the user has to fill first: the API key when
// none was given (left empty, it means the demo API), else the first
// empty required field, so a consumer ID typed at once lands in Consumer
// ID and never in a key that came from the environment.
func (c *credentialsStep) start(st *state) {
	if st.apiKey == "" && !st.forceDemo && c.form.index("api_key") >= 0 {
		c.form.focusPath("api_key")
		return
	}
	c.form.focusFirstEmpty()
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

// bindings adds the history's completion keys while it has one, and the
// key that changes a given API key.
func (c *credentialsStep) bindings(st *state) []key.Binding {
	out := formBindings(st.keys)
	if c.completionHint(st) != "" && c.suggest.filledID != c.consumerField().input.Value() {
		out = append(out, completionBindings(st.keys)...)
	}
	return append(out, c.changeKeyBinding(st)...)
}
func (c *credentialsStep) fullBindings(st *state) []key.Binding {
	return append(formFullBindings(st.keys), c.changeKeyBinding(st)...)
}

// changeKeyBinding is ChangeKey, named for what it does now, where a key
// was given.
func (c *credentialsStep) changeKeyBinding(st *state) []key.Binding {
	if !c.givenKeyHere(st) {
		return nil
	}
	if c.changingKey {
		return []key.Binding{relabel(st.keys.ChangeKey, "keep "+st.keyFrom)}
	}
	return []key.Binding{st.keys.ChangeKey}
}

func (c *credentialsStep) validate(st *state) model.ValidationErrors {
	errs := model.Request{AppID: st.req.AppID, ConsumerID: st.req.ConsumerID}.Validate()
	if c.givenKeyHere(st) && c.changingKey && st.apiKey == "" && !st.forceDemo && !c.demoAgreed {
		errs = append(model.ValidationErrors{fieldError("api_key", c.demoQuestion(st))}, errs...)
	}
	return errs
}

// demoQuestion is the error on an emptied key: going on switches from the
// given key to the demo API, which is never done silently.
func (c *credentialsStep) demoQuestion(st *state) string {
	return "empty: sessions would go to the built-in demo API instead of using the key from " + st.keyFrom +
		"; " + st.keys.Next.Help().Key + " again uses the demo API, " + st.keys.ChangeKey.Help().Key + " keeps the key"
}

func (c *credentialsStep) update(msg tea.Msg, st *state) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok && c.givenKeyHere(st) {
		switch {
		case key.Matches(k, st.keys.ChangeKey):
			c.changeKey(st)
			return nil
		case key.Matches(k, st.keys.Next) && st.errs.For("api_key") == c.demoQuestion(st):
			// Asked and answered: the demo API it is.
			c.demoAgreed = true
			return st.navigate(nextStepMsg{})
		}
	}
	if cmd, handled := c.suggestUpdate(msg, st); handled {
		return cmd
	}
	before := c.consumerField().input.Value()
	cmd := c.form.update(msg, st)
	if c.typedKey(st) != "" {
		c.demoAgreed = false // asked again if emptied again
	}
	if now := c.consumerField().input.Value(); now != before {
		return tea.Batch(cmd, c.typed(now, st))
	}
	return cmd
}

func (c *credentialsStep) view(st *state, width int) (string, int) {
	s := st.styles
	intro := s.Title.Render(credentialsTitle) + "\n" +
		s.Description.Render(truncate(c.intro(), width)) + "\n"
	// Say where the session will go, live, as the key is typed or cleared.
	typed := c.typedKey(st)
	target := badgeText(s.Success.Render("●"), s.Hint, sessionTarget(st, typed), width)
	if demoTarget(st, typed) {
		target = badgeText(s.DemoBadge.Render("DEMO"), s.Warning, sessionTarget(st, typed), width)
	}
	body, focus := c.form.view(st, width)
	head := intro + target + "\n\n"
	focus += strings.Count(target, "\n")
	if c.held {
		held := heldRows(st, width)
		head += held + "\n"
		focus += strings.Count(held, "\n") + 1
	}
	return head + body, focus + 4
}

// intro is the line under the step's title.
func (c *credentialsStep) intro() string {
	if c.held {
		return heldIntro
	}
	return credentialsIntro
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
	case st.keyIsGiven():
		p.row("API key", "set (hidden), from "+st.keyFrom, s.Code)
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
	// heldIntro is the intro when the server holds the key.
	heldIntro = "The API key stays on the server: it is never sent to you, shown or saved."
)

// demoTarget reports whether, with key typed, sessions go to the demo API.
func demoTarget(st *state, key string) bool { return st.forceDemo || key == "" }

// sessionTarget says where sessions go with key typed.
func sessionTarget(st *state, key string) string {
	switch {
	case st.keyHeld && st.forceDemo:
		return "Sessions go to this server's built-in demo API, not Apideck; the links are for trying it out."
	case st.keyHeld:
		return "Sessions are created with the server's key at " + st.heldAPI() + "; the key never leaves the server."
	case st.forceDemo:
		return "--demo is on: sessions go to the built-in demo API, not Apideck."
	case key == "" && st.keyFrom != "":
		return "No API key: sessions would go to the built-in demo API instead of using the key from " + st.keyFrom + "."
	case key == "":
		return "No API key: sessions go to the built-in demo API, not Apideck."
	}
	where := st.keyedAPIWhere()
	if st.keyFrom != "" && key == st.givenKey {
		return "Sessions are created with the key from " + st.keyFrom + " at " + where + "."
	}
	return "Sessions are created with this key at " + where + "."
}

// runAccessible asks the key and the two IDs, saying where sessions go.
func (c *credentialsStep) runAccessible(a *lineAsker, st *state) error {
	a.say("%s %s", credentialsTitle, c.intro())
	a.say("%s", sessionTarget(st, st.apiKey))
	if c.held {
		a.say("API key: held by the server. App ID: %s (the server's).", termtext.Line(st.req.AppID))
	}
	form := c.form
	if c.givenKeyHere(st) {
		if err := c.askGivenKey(a, st); err != nil {
			return err
		}
		form.fields = slices.DeleteFunc(slices.Clone(form.fields), func(f *textField) bool { return f.path == "api_key" })
	}
	return form.runAccessible(a, st, c.validate)
}

// askGivenKey asks the key when one was given at the start: enter keeps
// the key as it stands, a typed key replaces it, and the demo API (a dash)
// is used only once the user confirms leaving the key for it.
func (c *credentialsStep) askGivenKey(a *lineAsker, st *state) error {
	now := "none, so the built-in demo API is used"
	switch {
	case st.keyIsGiven():
		now = "the key from " + st.keyFrom
	case st.apiKey != "":
		now = "the key typed before"
	}
	a.say("API key: %s. Enter keeps it, a key typed replaces it, a dash (-) uses the built-in demo API.", now)
	ans, err := orQuit(a.askSecret("API key (hidden as you type): "))
	switch {
	case err != nil:
		return err
	case ans == "":
		return nil
	case ans != "-":
		st.apiKey = ans
	case st.apiKey != "":
		ok, err := a.yesNo("Sessions would go to the built-in demo API instead of using "+now+". Use the demo API?", false)
		if err != nil || !ok {
			return err
		}
		st.apiKey = ""
	}
	a.say("%s", sessionTarget(st, st.apiKey))
	return nil
}
