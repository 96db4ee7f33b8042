package ui

// The accessible front end: the same steps as the full-screen wizard, asked
// as plain lines, one question at a time, for screen readers, braille
// displays and terminals that cannot move the cursor (--accessible,
// ACCESSIBLE=1, TERM=dumb). It drives the wizard's own steps, state,
// validation and create call: only the way of asking differs. It never
// moves the cursor, clears the screen or needs colour.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/apideck-samples/vault-session/theme"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/x/term"
)

// errQuit ends the line wizard: the user typed q, or input ended.
var errQuit = errors.New("quit")

// lineAsker writes lines and reads answers, one line at a time.
type lineAsker struct {
	ctx context.Context
	out *lockedWriter
	in  *bufio.Reader
	// tty is the input's terminal, for reading a secret without echo; nil
	// when the input is not a terminal.
	tty *os.File
}

func newLineAsker(ctx context.Context, in io.Reader, out io.Writer) *lineAsker {
	a := &lineAsker{ctx: ctx, out: &lockedWriter{w: out}, in: bufio.NewReader(in)}
	if f, ok := in.(*os.File); ok && term.IsTerminal(f.Fd()) {
		a.tty = f
	}
	return a
}

// lockedWriter writes whole lines from more than one goroutine: while the
// connections are watched, the poll's lines and the answer's are written
// at once. Each say is one Write, so lines never mix.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

// do runs f between two writes: a bell rung straight to the terminal.
func (l *lockedWriter) do(f func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f()
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// say writes one line.
func (a *lineAsker) say(format string, args ...any) {
	fmt.Fprintf(a.out, format+"\n", args...)
}

// ask writes prompt and returns the answer without its line end. A
// cancelled context (Ctrl+C) or the end of the input ends the wizard.
func (a *lineAsker) ask(prompt string) (string, error) {
	return a.read(prompt, false)
}

// askSecret is ask without echo on a terminal: what is typed is not shown.
func (a *lineAsker) askSecret(prompt string) (string, error) {
	return a.read(prompt, a.tty != nil)
}

func (a *lineAsker) read(prompt string, secret bool) (string, error) {
	fmt.Fprint(a.out, prompt)
	type answer struct {
		text string
		err  error
	}
	done := make(chan answer, 1)
	var restore func()
	if secret {
		// ReadPassword restores the echo when it returns; if Ctrl+C ends
		// the wait first, the terminal is restored here instead.
		if st, err := term.GetState(a.tty.Fd()); err == nil {
			restore = func() { _ = term.Restore(a.tty.Fd(), st) }
		}
	}
	go func() {
		if secret {
			b, err := term.ReadPassword(a.tty.Fd())
			done <- answer{string(b), err}
			return
		}
		line, err := a.in.ReadString('\n')
		if err == io.EOF && line != "" {
			err = nil
		}
		done <- answer{line, err}
	}()
	select {
	case <-a.ctx.Done():
		if restore != nil {
			restore()
		}
		fmt.Fprintln(a.out)
		return "", a.ctx.Err()
	case got := <-done:
		if secret {
			fmt.Fprintln(a.out) // the Enter that was not echoed
		}
		if got.err != nil {
			if errors.Is(got.err, io.EOF) {
				fmt.Fprintln(a.out)
				return "", errQuit
			}
			return "", got.err
		}
		return strings.TrimSpace(strings.TrimRight(got.text, "\r\n")), nil
	}
}

// yesNo asks a question answered with y or n; enter gives def.
func (a *lineAsker) yesNo(question string, def bool) (bool, error) {
	choices := "y or n, enter for no"
	if def {
		choices = "y or n, enter for yes"
	}
	for {
		ans, err := a.ask(fmt.Sprintf("%s (%s): ", question, choices))
		if err != nil {
			return false, err
		}
		switch strings.ToLower(ans) {
		case "":
			return def, nil
		case "y", "yes":
			return true, nil
		case "n", "no":
			return false, nil
		}
		a.say("Please answer y or n.")
	}
}

// lineWizard asks the wizard's steps as lines.
type lineWizard struct {
	w   *wizard
	ask *lineAsker
}

// runAccessible runs the wizard w as plain prompts on in and out.
func runAccessible(ctx context.Context, w *wizard, in io.Reader, out io.Writer, version string) (Outcome, error) {
	lw := &lineWizard{w: w, ask: newLineAsker(ctx, in, out)}
	err := lw.run(version)
	w.keepDraft() // as the full-screen wizard does, on any way out
	w.outcome.Request = w.st.req
	switch {
	case errors.Is(err, errQuit):
		err = nil
	case ctx.Err() != nil:
		w.outcome.Interrupted = true
		err = nil
	}
	return w.outcome, err
}

// remember records a created session in the history and drops its draft,
// at once: the prompts have no event loop to run it later. What is typed
// after it (for another consumer) makes a draft again.
func (lw *lineWizard) remember(res client.Result) {
	w := lw.w
	if cmd := w.recordCreatedCmd(w.st.req, res.ExpiresAt, w.st.demo() || res.Demo); cmd != nil {
		if msg, ok := cmd().(memoryErrMsg); ok {
			w.outcome.Problems = append(w.outcome.Problems, msg.err)
		}
	}
	w.st.memory.start = requestKey(w.st.req)
}

func (lw *lineWizard) run(version string) error {
	a, st := lw.ask, &lw.w.st
	a.say("vault-session %s, plain prompts. Each question shows the value it keeps in quotes:", version)
	a.say("press enter to keep it, type a new value to change it, or a dash (-) to empty it.")
	a.say("Type q at any question to quit; Ctrl+C leaves at once.")
	if err := lw.offerDrafts(); err != nil {
		return err
	}
	if _, ok := lw.w.screen.(*presetPicker); ok { // the credentials were given: the presets come first
		if err := lw.pickPreset(); err != nil {
			return err
		}
	}
	first := lw.w.current // the credentials are skipped when already given, a resumed draft starts where it was left
	for {
		if err := lw.steps(first); err != nil {
			return err
		}
		res, err := lw.reviewAndCreate()
		if err != nil {
			return err
		}
		again, err := lw.result(res)
		if err != nil || !again {
			return err
		}
		// The next consumer: theme and settings stay, who it is for goes.
		st.req.ConsumerID = ""
		st.req.Session.ConsumerMetadata = model.ConsumerMetadata{}
		first = lw.w.credentials()
	}
}

// steps asks every step from first up to the review, in the wizard's order.
func (lw *lineWizard) steps(first int) error {
	for i := first; i < lw.w.review(); i++ {
		if err := lw.step(i); err != nil {
			return err
		}
		if i == lw.w.credentials() && lw.w.offerPresets() {
			if err := lw.pickPreset(); err != nil {
				return err
			}
		}
	}
	return nil
}

// step asks one step's questions. Steps the line wizard does not know (a
// step added later) are said to be skipped, never silently.
func (lw *lineWizard) step(i int) error {
	a, st := lw.ask, &lw.w.st
	s := lw.w.steps[i]
	lw.w.current = i // a draft kept on the way out resumes here
	a.say("")
	a.say("Step %d of %d: %s", i+1, len(lw.w.steps), s.title())
	s.load(st)
	switch s := s.(type) {
	case *credentialsStep:
		if st.forceDemo {
			a.say("--demo is on: sessions go to the built-in demo API, not Apideck.")
		}
		return lw.form(&s.form, s.validate)
	case *consumerStep:
		a.say("All optional. Vault shows them on the consumer card; without them it shows placeholders.")
		return lw.form(&s.form, s.validate)
	case *unifiedAPIsStep:
		return lw.unifiedAPIs()
	case *sessionStep:
		return lw.session()
	case *themeStep:
		return lw.theme(s)
	case *customSettingsStep:
		return lw.customSettings()
	}
	a.say("This step has no plain-prompt version yet; its values are kept as they are.")
	return nil
}

// isQuit reports whether an answer asks to leave.
func isQuit(ans string) bool { return strings.EqualFold(ans, "q") }

// quoted shows a current value safely on one line.
func quoted(v string) string { return `"` + termtext.Line(v) + `"` }

// form asks each text field of a form step in turn, with the field's own
// label and hint; an answer the step's validation refuses is said, and the
// same question asked again.
func (lw *lineWizard) form(f *textForm, validate func(*state) model.ValidationErrors) error {
	a, st := lw.ask, &lw.w.st
	for _, fl := range f.fields {
		for {
			if fl.hint != "" {
				a.say("%s: %s.", fl.label, strings.TrimSuffix(fl.hint, "."))
			}
			value := fl.bind(st)
			var ans string
			var err error
			if fl.input.EchoMode == textinput.EchoPassword { // a secret: never shown, not echoed
				keep := "none given, so the built-in demo API is used"
				if *value != "" {
					keep = "the key already given"
				}
				ans, err = a.askSecret(fmt.Sprintf("%s (hidden as you type; enter keeps %s): ", fl.label, keep))
			} else {
				ans, err = a.ask(fieldPrompt(fl, *value))
			}
			if err != nil {
				return err
			}
			if isQuit(ans) {
				return errQuit
			}
			old := *value
			switch ans {
			case "":
			case "-":
				*value = ""
			default:
				*value = ans
			}
			if msg := validate(st).For(fl.path); msg != "" {
				a.say("Error: %s: %s.", fl.label, termtext.Line(msg))
				*value = old
				continue
			}
			if fl.decorate != nil && *value != "" { // a colour: say what is sent
				if hex, err := model.NormalizeColor(*value); err == nil && hex != *value {
					a.say("%s is sent as %s.", quoted(*value), hex)
				}
			}
			break
		}
	}
	return nil
}

// fieldPrompt says the field, what enter keeps and how to answer.
func fieldPrompt(fl *textField, value string) string {
	what := "optional"
	if fl.mandatory {
		what = "required"
	}
	if value == "" {
		// The placeholder, worded to be read out: "e.g. SpaceX" is "for
		// example SpaceX", "https://…" is "starting with https://".
		example := ""
		switch p := fl.input.Placeholder; {
		case strings.HasPrefix(p, "e.g. "):
			example = ", for example " + strings.TrimPrefix(p, "e.g. ")
		case strings.HasSuffix(p, "…"):
			example = ", starting with " + strings.TrimSuffix(p, "…")
		case p != "":
			example = ", " + p
		}
		return fmt.Sprintf("%s (%s%s; enter leaves it empty): ", fl.label, what, example)
	}
	return fmt.Sprintf("%s (%s; enter keeps %s, - empties it): ", fl.label, what, quoted(value))
}

// unifiedAPIs asks for the APIs by number or id.
func (lw *lineWizard) unifiedAPIs() error {
	a, st := lw.ask, &lw.w.st
	catalogue := model.UnifiedAPIs()
	a.say("Vault lists only the connections of the APIs chosen here; none chosen means all %d.", len(catalogue))
	for i, api := range catalogue {
		a.say("%d %s (%s)", i+1, api.Name, api.ID)
	}
	set := &st.req.Session.Settings
	for {
		keep := fmt.Sprintf("all %d", len(catalogue))
		if len(set.UnifiedAPIs) > 0 {
			keep = termtext.Line(strings.Join(set.UnifiedAPIs, ", "))
		}
		ans, err := a.ask(fmt.Sprintf("Unified APIs: type numbers or ids separated by commas, or all; enter keeps %s: ", keep))
		if err != nil {
			return err
		}
		if isQuit(ans) {
			return errQuit
		}
		if ans == "" {
			return nil
		}
		old := set.UnifiedAPIs
		set.UnifiedAPIs = nil
		if !strings.EqualFold(ans, "all") && ans != "-" {
			for _, id := range splitList(ans) {
				if n, ok := listNumber(id, len(catalogue)); ok {
					id = catalogue[n].ID
				}
				set.UnifiedAPIs = append(set.UnifiedAPIs, id)
			}
		}
		if errs := st.req.Session.Validate().Under(unifiedAPIsPath); len(errs) > 0 {
			for _, e := range errs {
				a.say("Error: %s.", termtext.Line(e.Message))
			}
			set.UnifiedAPIs = old
			continue
		}
		return nil
	}
}

// splitList splits "1, 3 crm" at commas and spaces.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
}

// listNumber reads "3" as index 2 of a list of n.
func listNumber(s string, n int) (int, bool) {
	var i int
	if _, err := fmt.Sscanf(s, "%d", &i); err != nil || fmt.Sprint(i) != s || i < 1 || i > n {
		return 0, false
	}
	return i - 1, true
}

// session asks the length, each boolean with Vault's default, and the
// allowed actions.
func (lw *lineWizard) session() error {
	a, st := lw.ask, &lw.w.st
	set := &st.req.Session.Settings
	for {
		keep := "Vault's default, 1h"
		if set.SessionLength != "" {
			keep = quoted(set.SessionLength)
		}
		ans, err := a.ask(fmt.Sprintf("Session length (such as 30m, 2h, 1d, at most 1w; enter keeps %s, - for Vault's default): ", keep))
		if err != nil {
			return err
		}
		if isQuit(ans) {
			return errQuit
		}
		old := set.SessionLength
		switch ans {
		case "":
		case "-":
			set.SessionLength = ""
		default:
			set.SessionLength = ans
		}
		if msg := st.req.Session.Validate().For(sessionLengthPath); msg != "" {
			a.say("Error: %s.", termtext.Line(msg))
			set.SessionLength = old
			continue
		}
		break
	}
	for _, b := range model.BoolSettings() {
		field := set.BoolField(b.Key)
		for {
			keep := "Vault's default, " + onOff(b.Default)
			if *field != nil {
				keep = onOff(**field)
			}
			ans, err := a.ask(fmt.Sprintf("%s: %s. On or off? (y or n; enter keeps %s, - for Vault's default): ", b.Title, b.Help, keep))
			if err != nil {
				return err
			}
			switch strings.ToLower(ans) {
			case "":
			case "-":
				*field = nil
			case "y", "yes", "on":
				*field = model.Bool(true)
			case "n", "no", "off":
				*field = model.Bool(false)
			case "q":
				return errQuit
			default:
				a.say("Please answer y, n or -.")
				continue
			}
			break
		}
	}
	return lw.actions()
}

// actions asks which connection actions Vault offers.
func (lw *lineWizard) actions() error {
	a, st := lw.ask, &lw.w.st
	set := &st.req.Session.Settings
	actions := model.Actions()
	a.say("Allowed actions: what the user may do with a connection.")
	for i, act := range actions {
		a.say("%d %s: %s", i+1, act.ID, act.Help)
	}
	for {
		keep := "all (nothing sent)"
		switch {
		case set.AllowActions == nil:
		case len(set.AllowActions) == 0:
			keep = "none"
		default:
			keep = termtext.Line(strings.Join(set.AllowActions, ", "))
		}
		ans, err := a.ask(fmt.Sprintf("Allowed actions: type numbers or names separated by commas, all, or none; enter keeps %s: ", keep))
		if err != nil {
			return err
		}
		if isQuit(ans) {
			return errQuit
		}
		old := set.AllowActions
		switch strings.ToLower(ans) {
		case "":
			return nil
		case "all", "-":
			set.AllowActions = nil
		case "none":
			set.AllowActions = []string{}
		default:
			set.AllowActions = []string{}
			for _, id := range splitList(ans) {
				if n, ok := listNumber(id, len(actions)); ok {
					id = actions[n].ID
				}
				set.AllowActions = append(set.AllowActions, id)
			}
		}
		if errs := st.req.Session.Validate().Under("settings.allow_actions"); len(errs) > 0 {
			for _, e := range errs {
				a.say("Error: %s.", termtext.Line(e.Message))
			}
			set.AllowActions = old
			continue
		}
		return nil
	}
}

// theme offers the ready palettes, asks the fields, then reads out the
// contrast checks and offers each fix.
func (lw *lineWizard) theme(ts *themeStep) error {
	a, st := lw.ask, &lw.w.st
	a.say("All optional: empty fields keep Vault's own look.")
	palettes := theme.Palettes()
	names := make([]string, len(palettes))
	for i, p := range palettes {
		names[i] = fmt.Sprintf("%d %s", i+1, p.Name)
	}
	for {
		ans, err := a.ask("Start from a ready palette? " + strings.Join(names, ", ") + "; enter keeps your colours: ")
		if err != nil {
			return err
		}
		if isQuit(ans) {
			return errQuit
		}
		if ans == "" {
			break
		}
		if n, ok := listNumber(ans, len(palettes)); ok {
			st.req.Session.Theme = palettes[n].Apply(st.req.Session.Theme)
			a.say("Palette %s: primary %s, side panel %s, text %s.", palettes[n].Name,
				palettes[n].PrimaryColor, palettes[n].SidepanelBackgroundColor, palettes[n].SidepanelTextColor)
			break
		}
		a.say("Please type a number from 1 to %d, or press enter.", len(palettes))
	}
	if err := lw.form(&ts.form, ts.validate); err != nil {
		return err
	}
	for _, c := range theme.ContrastReport(st.req.Session.Theme) {
		if c.Passes {
			a.say("Contrast, %s: %s, passes (4.5:1 needed).", strings.ToLower(pairName(c)), theme.FormatRatio(c.Ratio))
			continue
		}
		a.say("Contrast, %s: %s, below the 4.5:1 needed.", strings.ToLower(pairName(c)), theme.FormatRatio(c.Ratio))
		if c.Suggestion == "" {
			continue
		}
		fix, err := a.yesNo(fmt.Sprintf("Use %s instead (%s)?", c.Suggestion, theme.FormatRatio(suggestedRatio(c))), true)
		if err != nil {
			return err
		}
		if fix {
			switch c.Field {
			case "sidepanel_text_color":
				st.req.Session.Theme.SidepanelTextColor = c.Suggestion
			case "primary_color":
				st.req.Session.Theme.PrimaryColor = c.Suggestion
			}
		}
	}
	return nil
}

// customSettings asks for the JSON object on one line.
func (lw *lineWizard) customSettings() error {
	a, st := lw.ask, &lw.w.st
	a.say("Custom consumer settings: a JSON object Vault passes to the integrations, or nothing.")
	for {
		keep := "none"
		if m := st.req.Session.CustomConsumerSettings; len(m) > 0 {
			keep = termtext.Line(strings.ReplaceAll(prettyJSON(m), "\n", " "))
		}
		ans, err := a.ask(fmt.Sprintf("Custom settings (JSON on one line; enter keeps %s, - for none): ", keep))
		if err != nil {
			return err
		}
		if isQuit(ans) {
			return errQuit
		}
		switch ans {
		case "":
			return nil
		case "-":
			st.req.Session.CustomConsumerSettings = nil
			return nil
		}
		m, err := model.ParseJSONObject(ans)
		if err != nil {
			a.say("Error: %s.", termtext.Line(err.Error()))
			continue
		}
		st.req.Session.CustomConsumerSettings = m
		st.customSettingsErr = nil
		return nil
	}
}

// reviewAndCreate reads out the request, asks to create it or to change a
// step, and creates it; a refusal is read out with a way to fix it.
func (lw *lineWizard) reviewAndCreate() (client.Result, error) {
	a, w := lw.ask, lw.w
	st := &w.st
	for {
		w.current = lw.w.review()
		a.say("")
		a.say("Step %d of %d: %s", lw.w.review()+1, len(w.steps), w.steps[lw.w.review()].title())
		lw.readRequest()
		if errs := st.req.Validate(); len(errs) > 0 {
			for _, e := range errs {
				a.say("Error: %s: %s.", e.Path, termtext.Line(e.Message))
			}
			if err := lw.change(w.stepFor(errs[0].Path)); err != nil {
				return client.Result{}, err
			}
			continue
		}
		if err := lw.offerSavePreset(); err != nil {
			return client.Result{}, err
		}
		ans, err := a.ask(fmt.Sprintf("Create the session? (y to create, a step number 1 to %d to change it, q to quit; enter for y): ", lw.w.review()))
		if err != nil {
			return client.Result{}, err
		}
		switch {
		case isQuit(ans):
			return client.Result{}, errQuit
		case ans == "" || strings.EqualFold(ans, "y"):
		default:
			if n, ok := listNumber(ans, lw.w.review()); ok {
				if err := lw.change(n); err != nil {
					return client.Result{}, err
				}
			} else {
				a.say("Please answer y, q or a step number.")
			}
			continue
		}
		for {
			a.say("Creating the session…")
			// --timeout bounds it, as it does the screen's.
			ctx, cancel := w.createContext(a.ctx)
			res, err := w.create(ctx, st.apiKey, st.req, st.demo())
			cancel()
			if err == nil {
				w.outcome.Sessions = append(w.outcome.Sessions, CreatedSession{
					ConsumerID:  st.req.ConsumerID,
					AccountName: st.req.Session.ConsumerMetadata.AccountName,
					Result:      res,
					BuiltInDemo: st.demo(),
				})
				lw.remember(res)
				return res, nil
			}
			if a.ctx.Err() != nil {
				return client.Result{}, a.ctx.Err()
			}
			fix := lw.sayFailure(err)
			ans, err := a.ask(fmt.Sprintf("Try again (r), change step %d (enter), another step (its number) or quit (q)? ", fix+1))
			if err != nil {
				return client.Result{}, err
			}
			if strings.EqualFold(ans, "r") {
				continue
			}
			if isQuit(ans) {
				return client.Result{}, errQuit
			}
			if n, ok := listNumber(ans, lw.w.review()); ok {
				fix = n
			}
			if err := lw.change(fix); err != nil {
				return client.Result{}, err
			}
			break
		}
	}
}

// change asks step i again (the review follows).
func (lw *lineWizard) change(i int) error {
	if i < 0 || i >= lw.w.review() {
		return nil
	}
	return lw.step(i)
}

// readRequest says where the request goes and the body it sends, as the
// review shows them.
func (lw *lineWizard) readRequest() {
	a, st := lw.ask, &lw.w.st
	if st.demo() {
		a.say("It goes to the built-in demo API, not Apideck.")
	} else {
		a.say("It goes to the Apideck API with the key given.")
	}
	a.say("App ID: %s. Consumer ID: %s.", termtext.Line(st.req.AppID), termtext.Line(st.req.ConsumerID))
	if st.describe == nil {
		return
	}
	creds := client.Credentials{APIKey: st.apiKey, AppID: st.req.AppID, ConsumerID: st.req.ConsumerID}
	d, err := st.describe(creds, st.req.Session)
	if err != nil {
		a.say("Error: %s.", termtext.Line(err.Error()))
		return
	}
	a.say("The request body:")
	a.say("%s", termtext.Text(string(d.Body)))
}

// sayFailure reads out a failed create in the failure screen's words
// (failure.Explain's, through the same failureView) and returns the step
// that fixes it.
func (lw *lineWizard) sayFailure(err error) int {
	a := lw.ask
	f := newFailureView(err, lw.w)
	why := f.why
	a.say("%s.", strings.TrimSuffix(why.Headline, "."))
	if why.Detail != "" {
		a.say("Detail: %s", why.Detail)
	}
	if why.Body != "" {
		a.say("Answer: %s", why.Body)
	}
	if why.Ref != "" {
		a.say("Documentation: %s", why.Ref)
	}
	if why.Hint != "" {
		a.say("%s", why.Hint)
	}
	for _, fe := range why.Fields {
		a.say("Error: %s: %s.", fe.Path, fe.Message)
	}
	if len(why.Fields) == 0 && f.fixPath != "" && why.FixMessage != "" {
		a.say("Error: %s: %s.", f.fixPath, why.FixMessage)
	}
	a.say("Nothing you typed is lost.")
	if f.fixStep == lw.w.review() {
		return lw.w.credentials()
	}
	return f.fixStep
}

// result says the URL plainly and offers what the result screen's keys do,
// as questions. It reports whether to start the next consumer's session.
func (lw *lineWizard) result(res client.Result) (bool, error) {
	a, w := lw.ask, lw.w
	a.say("")
	a.say("Vault session created.")
	if created := w.outcome.Sessions[len(w.outcome.Sessions)-1]; created.BuiltInDemo || res.Demo {
		a.say("Made by the built-in demo API, not Apideck: its page is served only while vault-session runs.")
	}
	a.say("Session URL: %s", termtext.Line(res.URL))
	if !res.ExpiresAt.IsZero() {
		now := w.now()
		exp := res.ExpiresAt.In(now.Location())
		a.say("Expires %s (in %s).", exp.Format("2006-01-02 15:04 MST"), formatCountdown(exp.Sub(now)))
	}
	if ok, err := a.yesNo("Open it in the browser?", false); err != nil {
		return false, err
	} else if ok {
		if how, err := w.effects.openURL(res.URL); err != nil {
			a.say("Could not open a browser: %s. The URL is above.", termtext.Line(err.Error()))
		} else {
			a.say("Opened with %s.", termtext.Line(how))
		}
	}
	if ok, err := a.yesNo("Copy it to the clipboard?", false); err != nil {
		return false, err
	} else if ok {
		a.say("%s", w.effects.copy(res.URL).Message("The URL"))
	}
	// The same message the result screen's copy key writes.
	if ok, err := a.yesNo("Copy a message for the customer, with the link and when it expires?", false); err != nil {
		return false, err
	} else if ok {
		a.say("%s", w.effects.copy(customerMessage(w.st.req, res)).Message("The message"))
	}
	if ok, err := a.yesNo("Show the session token on its own?", false); err != nil {
		return false, err
	} else if ok {
		a.say("Token: %s", termtext.Line(res.Token))
	}
	if w.st.listConnections != nil {
		if ok, err := a.yesNo("Watch the customer's connections?", false); err != nil {
			return false, err
		} else if ok {
			if err := lw.watchConnections(w.outcome.Sessions[len(w.outcome.Sessions)-1]); err != nil {
				return false, err
			}
		}
	}
	return a.yesNo("Create a session for the next consumer, with the same theme and settings?", false)
}
