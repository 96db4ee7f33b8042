package ui

import (
	"fmt"
	"strings"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/ui/failure"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

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
	// pager scrolls a long answer on a small terminal.
	pager
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

func (f *failureView) title() string    { return "Request failed" }
func (f *failureView) afterSteps() bool { return true }

// back goes to the review, where the user decides what to change.
func (f *failureView) back(w *wizard) tea.Cmd {
	w.jumpTo(f.review, "")
	return nil
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
		w.st.apiNote = f.summary(keys)
		w.st.errs = nil
		switch {
		case len(f.why.Fields) > 0:
			w.st.errs = errorsFor(f.why.Fields, w.steps[f.fixStep].owns)
		case f.why.FixMessage != "":
			w.st.errs = model.ValidationErrors{fieldError(f.fixPath, f.why.FixMessage)}
		}
	default:
		f.scrollKey(k, &w.st)
	}
	return nil
}

func (f *failureView) bindings(st *state) []key.Binding {
	k := st.keys
	out := []key.Binding{k.Retry}
	// Nothing to point at when the fix goes to the review: the fix is
	// wherever the user decides.
	switch f.fixStep {
	case f.review:
	case f.credentials:
		out = append(out, relabel(k.Fix, "fix credentials"))
	default:
		out = append(out, relabel(k.Fix, "fix "+f.fixPath))
	}
	if f.scrollable(st) {
		out = append(out, k.LineUp)
	}
	return append(out, relabel(k.Back, "review"), k.Quit)
}

// summary is the one paragraph shown above the step the user is sent to.
func (f *failureView) summary(k KeyMap) string {
	return f.why.Summary() + " Fix it here, then go on to the review and press " + k.Create.Help().Key + "."
}

// fit measures the page for the width and keeps its scroll within it.
func (f *failureView) fit(st *state, width int) { f.measure(st, f.page(st, width)) }

// view draws the page; the focus line is chosen so the root's crop starts
// exactly at the scroll's offset.
func (f *failureView) view(st *state, width int) (string, int) {
	body := f.page(st, width)
	return body, f.focus(st, body)
}

// page is the screen's whole page for a width.
func (f *failureView) page(st *state, width int) string {
	s, why := st.styles, f.why
	var b strings.Builder
	// The box adds a border and padding of 4 cells and is indented by 2.
	inner := max(20, min(width-6, 92))
	b.WriteString(wrapIn(s.Error.Bold(true).Width(inner), why.Headline) + "\n")
	if why.Detail != "" {
		b.WriteString("\n" + s.Label.Render("Detail") + "\n" + wrapIn(s.Code.Width(inner), why.Detail) + "\n")
	}
	if why.Body != "" {
		b.WriteString("\n" + s.Label.Render("Answer") + "\n" + wrapIn(s.Code.Width(inner), why.Body) + "\n")
	}
	if why.Ref != "" {
		b.WriteString("\n" + s.Label.Render("Documentation") + "  " + s.URL.Render(why.Ref) + "\n")
	}
	if why.Hint != "" {
		b.WriteString("\n" + wrapIn(s.Hint.Width(inner), why.Hint) + "\n")
	}
	b.WriteString("\n" + s.Hint.Render("Nothing you typed is lost. "+f.advice(st.keys)))
	return "\n" + indent(s.ErrorBox.Width(inner+2).Render(b.String()), 2)
}

// advice says what the keys do here, in the words of the help line.
func (f *failureView) advice(k KeyMap) string {
	fix, retry, back := k.Fix.Help().Key, k.Retry.Help().Key, k.Back.Help().Key
	switch {
	case f.fixStep == f.credentials:
		return fix + " takes you to Credentials; " + retry + " tries again as is."
	case f.fixStep != f.review:
		return fmt.Sprintf("%s takes you to %s to fix %s; %s tries again as is.", fix, f.fixTitle, f.fixPath, retry)
	}
	return retry + " tries again; " + back + " goes back to the review."
}

// runAccessible reads out a failed create in the failure screen's words
// (failure.Explain's, through the same failureView) and returns the step
// that fixes it.
func (f *failureView) runAccessible(lw *lineWizard) int {
	a, why := lw.ask, f.why
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
