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

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/apideck-samples/vault-session/ui/failure"
	"github.com/apideck-samples/vault-session/ui/lockedwriter"
	"github.com/charmbracelet/x/term"
)

// errQuit ends the line wizard: the user typed q, or input ended.
var errQuit = errors.New("quit")

// lineAsker writes lines and reads answers, one line at a time.
type lineAsker struct {
	ctx context.Context
	out *lockedwriter.Writer
	in  *bufio.Reader
	// tty is the input's terminal, for reading a secret without echo; nil
	// when the input is not a terminal.
	tty *os.File
}

func newLineAsker(ctx context.Context, in io.Reader, out io.Writer) *lineAsker {
	a := &lineAsker{ctx: ctx, out: lockedwriter.New(out), in: bufio.NewReader(in)}
	if f, ok := in.(*os.File); ok && term.IsTerminal(f.Fd()) {
		a.tty = f
	}
	return a
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
	// The resume offer, then the presets when the credentials were given.
	if err := lw.screens(); err != nil {
		return err
	}
	first := lw.w.current // the credentials are skipped when already given, a resumed draft starts where it was left
	for {
		if err := lw.steps(first); err != nil {
			return err
		}
		created, err := lw.reviewAndCreate()
		if err != nil {
			return err
		}
		result := newResultView(created, st.req, lw.w.now)
		result.purpose = st.fixPurpose(st.req)
		again, err := result.runAccessible(lw)
		if err != nil || !again {
			return err
		}
		// The next consumer: theme and settings stay, who it is for goes.
		st.req.ConsumerID = ""
		st.req.Session.ConsumerMetadata = model.ConsumerMetadata{}
		st.fix = nil
		first = lw.w.credentials()
	}
}

// accessibleScreen is a screen that says itself as plain lines: the
// resume offer and the preset picker, which stand in front of the steps.
// (The screens after them, the failure and the result, are asked where
// the create leads to them.) It leaves the wizard on what comes next, as
// its keys would.
type accessibleScreen interface {
	screen
	runAccessible(lw *lineWizard) error
}

// screens asks the screens in front of the steps, one after the other.
func (lw *lineWizard) screens() error {
	for {
		s, ok := lw.w.screen.(accessibleScreen)
		if !ok {
			return nil
		}
		if err := s.runAccessible(lw); err != nil {
			return err
		}
		if lw.w.screen == s {
			return nil // nothing moved on: the steps follow
		}
	}
}

// steps asks every step from first up to the review, in the wizard's order.
func (lw *lineWizard) steps(first int) error {
	for i := first; i < lw.w.review(); i++ {
		if err := lw.step(i); err != nil {
			return err
		}
		if i == lw.w.credentials() && lw.w.offerPresets() {
			if err := lw.screens(); err != nil {
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

// orQuit is an answer as asked, or errQuit when it is q: a question that
// takes words or numbers is where q leaves the plain prompts.
func orQuit(ans string, err error) (string, error) {
	if err == nil && isQuit(ans) {
		return "", errQuit
	}
	return ans, err
}

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
func (lw *lineWizard) reviewAndCreate() (CreatedSession, error) {
	a, w := lw.ask, lw.w
	st := &w.st
	for {
		if err := lw.step(w.review()); err != nil {
			return CreatedSession{}, err
		}
		nav := st.nav
		st.nav = nil
		if jump, ok := nav.(jumpToStepMsg); ok {
			if err := lw.change(jump.index); err != nil {
				return CreatedSession{}, err
			}
			continue
		}
		for {
			a.say("Creating the session…")
			// --timeout bounds it, as it does the screen's.
			ctx, cancel := w.createContext(a.ctx)
			// Each retry is said as the creating screen says it, not
			// left in silence.
			ctx = client.WithRetryObserver(ctx, func(r client.Retry) {
				failed, again := failure.RetryWords(r)
				a.say("%s. %s", failed, again)
			})
			res, err := w.create(ctx, st.apiKey, st.req, st.demo())
			cancel()
			if err == nil {
				created := CreatedSession{
					ConsumerID:  st.req.ConsumerID,
					AccountName: st.req.Session.ConsumerMetadata.AccountName,
					Result:      res,
					BuiltInDemo: st.demo(),
				}
				w.outcome.Sessions = append(w.outcome.Sessions, created)
				lw.remember(res)
				return created, nil
			}
			if a.ctx.Err() != nil {
				return CreatedSession{}, a.ctx.Err()
			}
			fix := newFailureView(err, w).runAccessible(lw)
			ans, err := orQuit(a.ask(fmt.Sprintf("Try again (r), change step %d (enter), another step (its number) or quit (q)? ", fix+1)))
			if err != nil {
				return CreatedSession{}, err
			}
			if strings.EqualFold(ans, "r") {
				continue
			}
			if n, ok := listNumber(ans, w.review()); ok {
				fix = n
			}
			if err := lw.change(fix); err != nil {
				return CreatedSession{}, err
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
