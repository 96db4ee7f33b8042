package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/apideck-samples/vault-session/ui/failure"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// creatingView is the spinner while the request is in flight.
func (w *wizard) creatingView(width int) string {
	s := w.st.styles
	consumer := termtext.Line(w.st.req.ConsumerID)
	out := "\n  " + w.spinner.View() + " " + truncate("Creating a Vault session for "+consumer+" at "+w.st.apiTarget()+"…", width-4) + "\n"
	out += "    " + s.Hint.Render(truncate(w.elapsedText(), width-4)) + "\n"
	if r := w.retry; r != nil {
		// Say what failed and that it is being tried again, in the API's
		// words, rather than leave the spinner turning in silence.
		why := s.Warning.Width(max(10, width-4)).Render(fmt.Sprintf("⚠ Attempt %d of %d failed: %s", r.Attempt, r.MaxAttempts, termtext.Line(r.Err.Error())))
		again := s.Hint.Render(fmt.Sprintf("Trying again in %s (attempt %d of %d).", r.Wait.Round(100*time.Millisecond), r.Attempt+1, r.MaxAttempts))
		out += "\n" + indent(why, 4) + "\n    " + again + "\n"
	}
	return out + "\n  " + s.Hint.Render("esc cancels and brings you back to the review")
}

// elapsedText says how long the call has been waiting, and until when it
// will: the spinner alone does not tell a slow server from a stuck one.
// The spinner's ticks redraw it.
func (w *wizard) elapsedText() string {
	waited := max(0, w.now().Sub(w.createStarted)).Truncate(time.Second)
	text := "waiting " + waited.String()
	if w.st.timeout > 0 {
		text += " (gives up after " + model.DurationText(w.st.timeout) + ")"
	}
	return text
}

// failureView shows why a request failed, in the API's own words, and where
// to fix it. Nothing typed is lost: the state is untouched. The words are
// failure.Explain's, which the plain prompts and the headless create say
// too.
type failureView struct {
	err error
	why failure.Explanation
	// fixStep and fixPath are where "fix" goes: the step of the field the
	// explanation names (Credentials for the key and the app ID), the
	// review otherwise.
	fixStep int
	fixPath string
	// review and credentials are where those steps are in the wizard's
	// list; fixTitle names the fix step.
	review, credentials int
	fixTitle            string
}

// createContext is the context of one create, in either front end:
// --timeout bounds it, retries included.
func (w *wizard) createContext(parent context.Context) (context.Context, context.CancelFunc) {
	if w.st.timeout > 0 {
		return context.WithTimeout(parent, w.st.timeout)
	}
	return context.WithCancel(parent)
}

// EditsField reports whether a step of the wizard edits the field of a
// request at path ("theme.primary_color"): the fields a failure may name
// for fixing, on the command line as in the wizard.
func EditsField(path string) bool {
	for _, s := range wizardSteps(DefaultKeyMap()) {
		if s.owns(path) {
			return true
		}
	}
	return false
}

func newFailureView(err error, w *wizard) *failureView {
	why := failure.Explain(err, failure.Options{
		Timeout: w.st.timeout,
		IsField: func(path string) bool { return w.stepFor(path) >= 0 },
	})
	f := &failureView{err: err, why: why, fixStep: w.review(), review: w.review(), credentials: w.credentials()}
	if i := w.stepFor(why.Fix); why.Fix != "" && i >= 0 {
		f.fixStep, f.fixPath = i, why.Fix
	}
	f.fixTitle = w.steps[f.fixStep].title()
	return f
}

func (f *failureView) update(msg tea.Msg, w *wizard) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	keys := w.st.keys
	switch {
	case key.Matches(k, keys.Retry):
		return w.startCreate()
	case key.Matches(k, keys.Fix) && f.fixStep != f.review:
		w.jumpTo(f.fixStep, f.fixPath)
		w.st.apiNote = f.summary()
		w.st.errs = nil
		switch {
		case len(f.why.Fields) > 0:
			w.st.errs = errorsFor(f.why.Fields, w.steps[f.fixStep].owns)
		case f.why.FixMessage != "":
			w.st.errs = model.ValidationErrors{fieldError(f.fixPath, f.why.FixMessage)}
		}
	case key.Matches(k, keys.Back):
		w.jumpTo(f.review, "")
	}
	return nil
}

func (f *failureView) bindings(k KeyMap) []key.Binding {
	review := key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "review"))
	if f.fixStep == f.review {
		// Nothing to point at: the fix is wherever the user decides.
		return []key.Binding{k.Retry, review, k.Quit}
	}
	fix := key.NewBinding(key.WithKeys("enter", "f"), key.WithHelp("enter", "fix "+f.fixPath))
	if f.fixStep == f.credentials {
		fix = key.NewBinding(key.WithKeys("enter", "f"), key.WithHelp("enter", "fix credentials"))
	}
	return []key.Binding{k.Retry, fix, review, k.Quit}
}

// summary is the one paragraph shown above the step the user is sent to.
func (f *failureView) summary() string {
	return f.why.Summary() + " Fix it here, then go on to the review and press enter."
}

func (f *failureView) view(w *wizard, width int) (string, int) {
	s, why := w.st.styles, f.why
	var b strings.Builder
	// The box adds a border and padding of 4 cells and is indented by 2.
	inner := max(20, min(width-6, 92))
	b.WriteString(s.Error.Bold(true).Width(inner).Render(why.Headline) + "\n")
	if why.Detail != "" {
		b.WriteString("\n" + s.Label.Render("Detail") + "\n" + s.Code.Width(inner).Render(why.Detail) + "\n")
	}
	if why.Body != "" {
		b.WriteString("\n" + s.Label.Render("Answer") + "\n" + s.Code.Width(inner).Render(why.Body) + "\n")
	}
	if why.Ref != "" {
		b.WriteString("\n" + s.Label.Render("Documentation") + "  " + s.URL.Render(why.Ref) + "\n")
	}
	if why.Hint != "" {
		b.WriteString("\n" + s.Hint.Width(inner).Render(why.Hint) + "\n")
	}
	b.WriteString("\n" + s.Hint.Render(fmt.Sprintf("Nothing you typed is lost. %s", f.advice(w))))
	return "\n" + indent(s.ErrorBox.Width(inner+2).Render(b.String()), 2), 0
}

func (f *failureView) advice(w *wizard) string {
	switch {
	case f.fixStep == f.credentials:
		return "enter takes you to Credentials; r tries again as is."
	case f.fixStep != f.review:
		return fmt.Sprintf("enter takes you to %s to fix %s; r tries again as is.", f.fixTitle, f.fixPath)
	}
	return "r tries again; esc goes back to the review."
}
