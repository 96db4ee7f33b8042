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

// step asks one step's questions: the step says itself as plain lines
// (runAccessible), with the words, defaults and validation its screen
// uses.
func (lw *lineWizard) step(i int) error {
	a, st := lw.ask, &lw.w.st
	s := lw.w.steps[i]
	lw.w.current = i // a draft kept on the way out resumes here
	a.say("")
	a.say("Step %d of %d: %s", i+1, len(lw.w.steps), s.title())
	s.load(st)
	return s.runAccessible(a, st)
}

// isQuit reports whether an answer asks to leave.
func isQuit(ans string) bool { return strings.EqualFold(ans, "q") }

// quoted shows a current value safely on one line.
func quoted(v string) string { return `"` + termtext.Line(v) + `"` }

// listNumber reads "3" as index 2 of a list of n.
func listNumber(s string, n int) (int, bool) {
	var i int
	if _, err := fmt.Sscanf(s, "%d", &i); err != nil || fmt.Sprint(i) != s || i < 1 || i > n {
		return 0, false
	}
	return i - 1, true
}

// listAnswer reads "1, 3 crm" (numbers of choices, or ids, at commas and
// spaces) as the ids of choices.
func listAnswer(ans string, choices []string) []string {
	var out []string
	for _, id := range strings.FieldsFunc(ans, func(r rune) bool { return r == ',' || r == ' ' }) {
		if n, ok := listNumber(id, len(choices)); ok {
			id = choices[n]
		}
		out = append(out, id)
	}
	return out
}

// reviewAndCreate asks the Review, which reads out the request and asks to
// create it or to change a step, and creates it; a refusal is read out
// with a way to fix it. A step changed from here is followed by the
// Review again, as on screen.
func (lw *lineWizard) reviewAndCreate() (client.Result, error) {
	a, w := lw.ask, lw.w
	st := &w.st
	for {
		if err := lw.step(w.review()); err != nil {
			return client.Result{}, err
		}
		nav := st.nav
		st.nav = nil
		if jump, ok := nav.(jumpToStepMsg); ok {
			if err := lw.change(jump.index); err != nil {
				return client.Result{}, err
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
			if n, ok := listNumber(ans, w.review()); ok {
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
