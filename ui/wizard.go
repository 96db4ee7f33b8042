package ui

import (
	"context"
	"os/exec"
	"time"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/ui/clipboard"
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// wizard is the root model: it alone knows the order of the steps and moves
// between them, the create call and the result.
type wizard struct {
	st      state
	steps   []step
	current int
	// returnToReview is set when a step was opened from the review, so that
	// going on from it goes straight back there.
	returnToReview bool
	// screen stands in front of the steps when it is not nil: the resume
	// offer, the preset picker, saving a preset, creating, a failure, the
	// result or the watch (see screen.go).
	screen screen

	// createSeq numbers create calls, so that a retry report of a call
	// already cancelled is not shown for the next one.
	createSeq int
	create    createFunc
	help      help.Model
	fullHelp  bool
	now       func() time.Time
	effects   effects

	outcome Outcome
	// quitting is set once a key has quit: the keys after it in the same
	// read are not for this wizard.
	quitting bool

	// presetOffered is set once the presets were offered: after the
	// credentials, once.
	presetOffered bool
	// panicked is a panic caught in Update or View, raised again by Run
	// once the draft is saved and the terminal restored.
	panicked *panicReport
}

// effects are the wizard's ways of touching the world outside the
// terminal, swapped out in tests.
type effects struct {
	// openURL opens a browser and says how ("$BROWSER: firefox").
	openURL func(url string) (how string, err error)
	// copy puts text on the clipboard and reports which ways took it.
	copy func(text string) clipboard.Report
	// every schedules msg after d (tea.Tick); tests make it never fire.
	every func(d time.Duration, msg tea.Msg) tea.Cmd
	// openPage shows an HTML page in the browser (see state.openPage).
	openPage func(html []byte) (string, error)
	// handOver readies a command to run on the terminal while the wizard
	// waits (see state.handOver); nil: tea.ExecProcess's way.
	handOver func(*exec.Cmd) tea.ExecCommand
	// ring rings the terminal's bell (BEL to the terminal).
	ring func()
	// suspend stops the program as a shell's job until fg (the terminal
	// package's Suspend, run with tea.Exec); nil where nothing could
	// continue it.
	suspend func() tea.Cmd
	// sleep is the plain prompts' wait between watch polls; nil waits
	// in real time. Tests move their clock instead.
	sleep func(ctx context.Context, d time.Duration) error
}

// tick is the real effects.every.
func tick(d time.Duration, msg tea.Msg) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return msg })
}

func newWizard(st state, create createFunc, now func() time.Time, fx effects) *wizard {
	return newWizardOf(wizardSteps(st.keys), st, create, now, fx)
}

// newWizardOf is a wizard of the given steps, the Review last: tests add
// a step to the list to see it numbered everywhere.
func newWizardOf(steps []step, st state, create createFunc, now func() time.Time, fx effects) *wizard {
	w := &wizard{
		st:     st,
		steps:  steps,
		create: create,
		now:    now,
		help:   help.New(),
	}
	w.effects = fx
	w.st.openPage = fx.openPage
	w.st.handOver = fx.handOver
	w.st.every = fx.every
	w.st.now = now
	if st.keyHeld {
		w.steps[w.credentials()].(*credentialsStep).hold()
	}
	w.help.Styles.ShortKey = st.styles.Key
	w.help.Styles.FullKey = st.styles.Key
	w.help.Styles.ShortDesc = st.styles.Hint
	w.help.Styles.FullDesc = st.styles.Hint
	w.help.Styles.ShortSeparator = st.styles.Muted
	w.help.Styles.FullSeparator = st.styles.Muted
	w.help.Styles.Ellipsis = st.styles.Muted
	// Everything already given: the credentials need no asking, though Back
	// still reaches them.
	if st.apiKey != "" || st.forceDemo {
		if len(model.Request{AppID: st.req.AppID, ConsumerID: st.req.ConsumerID}.Validate()) == 0 {
			w.current = w.credentials() + 1
		}
	}
	w.steps[w.current].load(&w.st)
	if c, ok := w.steps[w.current].(*credentialsStep); ok {
		c.start(&w.st)
	}
	w.st.memory.start = requestKey(w.st.req)
	if drafts := w.st.memory.draftsToOffer(w.st.req); len(drafts) > 0 {
		w.screen = newResumeView(drafts, now)
	} else {
		w.offerPresetsAtStart()
	}
	w.fit()
	return w
}

// Where errors and actions send the user, found in the step list rather
// than numbered, so a step added before them moves them along.

// review is the index of the Review, the last step.
func (w *wizard) review() int { return len(w.steps) - 1 }

// credentials is the step that asks for the API key and the IDs.
func (w *wizard) credentials() int { return max(0, w.stepFor("consumer_id")) }

// consumer is the step of the consumer card.
func (w *wizard) consumer() int { return max(0, w.stepFor("consumer_metadata.account_name")) }

func (w *wizard) Init() tea.Cmd { return nil }

// Update handles one message. A step change keeps a draft; a panic is
// noted for Run before Bubble Tea restores the terminal.
func (w *wizard) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	defer w.catchPanic()
	if keys, ok := msg.(tea.KeyMsg); ok && isBurst(keys) {
		return w, w.burst(keys)
	}
	before, beforeScreen := w.current, w.screen
	cmd := w.route(msg)
	if w.screen == nil && (w.current != before || beforeScreen != nil) {
		cmd = tea.Batch(cmd, w.saveDraftCmd())
	}
	w.fit()
	return w, cmd
}

// isBurst reports whether k is several typed keys that arrived in one
// read: Bubble Tea v1 delivers the runes of one read as one KeyMsg (a slow
// link, a terminal pasting without bracketed paste). A bracketed paste
// (Paste) is text, and stays whole.
func isBurst(k tea.KeyMsg) bool { return k.Type == tea.KeyRunes && !k.Paste && len(k.Runes) > 1 }

// burst gives the keys of one read to Update one by one, so that each
// means what it means typed alone ("/" opens the filter, "2" on the
// Review opens step 2, "q" quits where it quits), and stops at a quit as
// the program would.
func (w *wizard) burst(k tea.KeyMsg) tea.Cmd {
	var cmds []tea.Cmd
	for _, r := range k.Runes {
		one := k
		one.Runes = []rune{r}
		_, cmd := w.Update(one)
		cmds = append(cmds, cmd)
		if w.quitting {
			break
		}
	}
	return tea.Batch(cmds...)
}

// route hands a message to whatever is on screen: what the root itself
// answers (quit, size, navigation, the create call's end), then the screen
// in front of the steps, or else the current step.
func (w *wizard) route(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case memoryErrMsg:
		w.outcome.Problems = append(w.outcome.Problems, msg.err)
		return nil
	case tea.WindowSizeMsg:
		w.st.width, w.st.height = msg.Width, msg.Height
		w.help.Width = msg.Width
		return nil
	case tea.KeyMsg:
		if key.Matches(msg, w.st.keys.Quit) {
			w.quit(true)
			return tea.Quit
		}
		if w.suspends(msg) {
			return w.effects.suspend()
		}
		if w.tooSmall() {
			// The user cannot see what a key would do (Enter on the
			// review would create a session): only ctrl+c works.
			return nil
		}
		if w.screen != nil && key.Matches(msg, w.st.keys.Back) {
			return w.screen.back(w)
		}
	case tea.MouseMsg:
		if w.tooSmall() {
			return nil
		}
	case nextStepMsg:
		return w.next()
	case prevStepMsg:
		return w.back()
	case jumpToStepMsg:
		w.jumpFromReview(msg.index)
		return nil
	case openScreenMsg:
		w.screen = msg.screen
		return nil
	case openConsumerPanelMsg:
		return w.openConsumerPanel(nil, w.st.req, w.st.demo())
	case sessionCreatedMsg:
		return w.created(msg)
	case sessionFailedMsg:
		return w.failed(msg.err)
	}
	if w.screen != nil {
		return w.screen.update(msg, w)
	}
	return w.updateStep(msg)
}

// keyTaker is a step that answers a key the root would otherwise take:
// the Theme and custom settings steps undo with the key that suspends
// elsewhere (ctrl+z).
type keyTaker interface {
	takes(k tea.KeyMsg, st *state) bool
}

// suspends reports whether k stops the program here: the suspend key,
// where the program can be stopped and the step in front does not take
// the key for itself.
func (w *wizard) suspends(k tea.KeyMsg) bool {
	if w.effects.suspend == nil || !key.Matches(k, w.st.keys.Suspend) {
		return false
	}
	if taker, ok := w.steps[w.current].(keyTaker); ok && w.screen == nil {
		return !taker.takes(k, &w.st)
	}
	return true
}

// escHandler is a step that answers Esc itself while it has something Esc
// undoes first (the unified APIs filter); otherwise Esc goes back.
type escHandler interface{ handlesEsc() bool }

// stepHandlesEsc reports whether the step takes Esc right now.
func stepHandlesEsc(s step) bool {
	h, ok := s.(escHandler)
	return ok && h.handlesEsc()
}

func (w *wizard) updateStep(msg tea.Msg) tea.Cmd {
	cur := w.steps[w.current]
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, w.st.keys.Back) && !stepHandlesEsc(cur):
			return w.back()
		// "?" is a shortcut only where it cannot be typed; F1 always is.
		case key.Matches(k, w.st.keys.Help) && (!cur.typing() || key.Matches(k, untypable(w.st.keys.Help))):
			w.fullHelp = !w.fullHelp
			return nil
		case key.Matches(k, w.st.keys.ToReview):
			w.toReview()
			return nil
		}
	}
	cmd := cur.update(msg, &w.st)
	// The state follows every keystroke, so the header, previews and the
	// review always show what is typed, and nothing is lost on any exit.
	cur.save(&w.st)
	// Once errors are showing, they follow the typing: fixed ones go away.
	if len(w.st.errs) > 0 {
		w.st.errs = cur.validate(&w.st)
	}
	if nav := w.st.nav; nav != nil {
		w.st.nav = nil
		return tea.Batch(cmd, w.route(nav))
	}
	return cmd
}

// next validates the current step and moves on when it is clean.
func (w *wizard) next() tea.Cmd {
	cur := w.steps[w.current]
	cur.save(&w.st)
	if errs := cur.validate(&w.st); len(errs) > 0 {
		w.st.errs = errs
		cur.focusPath(errs[0].Path)
		return nil
	}
	w.st.errs, w.st.apiNote = nil, ""
	if w.current == w.review() {
		return w.startCreate()
	}
	if w.current == w.credentials() && !w.returnToReview && w.offerPresets() {
		return nil
	}
	to := w.current + 1
	if w.returnToReview {
		to = w.review()
	}
	w.goTo(to)
	return nil
}

// back keeps every value and shows the previous step.
func (w *wizard) back() tea.Cmd {
	if w.current == 0 {
		return nil
	}
	w.steps[w.current].save(&w.st)
	w.st.errs, w.st.apiNote = nil, ""
	to := w.current - 1
	if w.returnToReview {
		to = w.review()
	}
	w.goTo(to)
	return nil
}

// toReview is ctrl+s: straight to the review when every step before it is
// valid, otherwise to the first step with a problem, its errors shown. Going
// on from that step comes back to the review.
func (w *wizard) toReview() {
	w.steps[w.current].save(&w.st)
	w.st.apiNote = ""
	w.reviewOrFirstProblem()
}

// reviewOrFirstProblem opens the review, or the first step with a
// problem, its problems showing.
func (w *wizard) reviewOrFirstProblem() {
	for i := 0; i < w.review(); i++ {
		if errs := w.steps[i].validate(&w.st); len(errs) > 0 {
			w.jumpTo(i, errs[0].Path)
			w.st.errs = errs
			return
		}
	}
	w.st.errs = nil
	w.goTo(w.review())
}

// goTo enters step i, loaded and fitted; the review step resets the
// return flag.
func (w *wizard) goTo(i int) {
	w.current = i
	if i == w.review() {
		w.returnToReview = false
	}
	w.steps[i].load(&w.st)
	w.fit()
}

// jumpTo opens a step from the review or from an error, focused on a field.
func (w *wizard) jumpTo(i int, path string) {
	w.screen = nil
	w.returnToReview = i != w.review()
	w.current = i
	w.steps[i].load(&w.st)
	// The field named, or the first: not wherever the focus was left.
	w.steps[i].focusPath(path)
	w.fit()
}

// jumpFromReview opens step i from the review's number keys. The problems
// the review listed for that step show on it straight away.
func (w *wizard) jumpFromReview(i int) {
	if w.screen != nil || i < 0 || i >= len(w.steps) {
		return
	}
	w.st.errs, w.st.apiNote = nil, ""
	w.jumpTo(i, "")
	if errs := w.steps[i].validate(&w.st); len(errs) > 0 {
		w.st.errs = errs
		w.steps[i].focusPath(errs[0].Path)
	}
}

// stepFor returns the step that edits a field path, or -1.
func (w *wizard) stepFor(path string) int {
	for i, s := range w.steps {
		if s.owns(path) {
			return i
		}
	}
	return -1
}

// stopScreen stops what the screen in front has running.
func (w *wizard) stopScreen() {
	if s, ok := w.screen.(stopper); ok {
		s.stop()
	}
}

// quit leaves, remembering whether it was an interruption.
func (w *wizard) quit(interrupted bool) {
	w.quitting = true
	w.stopScreen()
	w.outcome.Interrupted = interrupted
}

// another starts the next consumer's session: key, IDs, theme and settings
// stay, who the session is for is cleared. The cursor waits on the consumer
// ID, and the consumer step opens on its first field, the account name.
func (w *wizard) another() {
	w.st.req.ConsumerID = ""
	w.st.req.Session.ConsumerMetadata = model.ConsumerMetadata{}
	w.st.fix = nil
	w.screen = nil
	w.returnToReview = false
	w.current = w.credentials()
	w.steps[w.consumer()].focusPath("consumer_metadata.account_name")
	w.steps[w.credentials()].load(&w.st)
	w.steps[w.credentials()].focusPath("consumer_id")
	w.st.apiNote, w.st.errs = "", nil
}

// stepFullBindings are the step's keys for the full help.
func stepFullBindings(s step, st *state) []key.Binding {
	if f, ok := s.(fullHelper); ok {
		return append([]key.Binding{}, f.fullBindings(st)...)
	}
	return stepBindings(s, st)
}
