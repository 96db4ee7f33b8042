package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/theme"
	"github.com/apideck-samples/vault-session/ui/clipboard"
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// The smallest terminal the wizard draws in; below it, it says so.
const (
	minWidth  = 40
	minHeight = 12
)

// createFunc sends one request; the wizard never sees HTTP, only this.
type createFunc func(ctx context.Context, apiKey string, req model.Request, demo bool) (client.Result, error)

// Messages of the create round trip.
type (
	sessionCreatedMsg struct {
		result client.Result
		// req is the request as sent: who the session is for, and the
		// length asked for.
		req model.Request
		// demo is true when the built-in demo API answered.
		demo bool
	}
	sessionFailedMsg struct{ err error }
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
	// ring rings the terminal's bell (BEL to the terminal).
	ring func()
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
	w.help.Styles.ShortKey = st.styles.Key
	w.help.Styles.FullKey = st.styles.Key
	w.help.Styles.ShortDesc = st.styles.Hint
	w.help.Styles.FullDesc = st.styles.Hint
	w.help.Styles.ShortSeparator = st.styles.Muted
	w.help.Styles.FullSeparator = st.styles.Muted
	// Everything already given: the credentials need no asking, though Back
	// still reaches them.
	if st.apiKey != "" || st.forceDemo {
		if len(model.Request{AppID: st.req.AppID, ConsumerID: st.req.ConsumerID}.Validate()) == 0 {
			w.current = w.credentials() + 1
		}
	}
	w.steps[w.current].load(&w.st)
	w.st.memory.start = requestKey(w.st.req)
	if len(w.st.memory.drafts) > 0 {
		w.screen = newResumeView(w.st.memory.drafts, now)
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
func (w *wizard) credentials() int { return max(0, w.stepFor("api_key")) }

// consumer is the step of the consumer card.
func (w *wizard) consumer() int { return max(0, w.stepFor("consumer_metadata.account_name")) }

func (w *wizard) Init() tea.Cmd { return nil }

// Update handles one message. A step change keeps a draft; a panic is
// noted for Run before Bubble Tea restores the terminal.
func (w *wizard) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	defer w.catchPanic()
	before, beforeScreen := w.current, w.screen
	cmd := w.route(msg)
	if w.screen == nil && (w.current != before || beforeScreen != nil) {
		cmd = tea.Batch(cmd, w.saveDraftCmd())
	}
	w.fit()
	return w, cmd
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
	if path != "" {
		w.steps[i].focusPath(path)
	}
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

func (w *wizard) startCreate() tea.Cmd {
	// Every step validates again: a session loaded with --from may have
	// problems on steps the user never opened.
	if errs := w.st.req.Validate(); len(errs) > 0 {
		if i := w.stepFor(errs[0].Path); i >= 0 {
			w.jumpTo(i, errs[0].Path)
			w.st.errs = errorsFor(errs, w.steps[i].owns)
			return nil
		}
	}
	ctx, cancel := w.createContext(context.Background())
	w.createSeq++
	c := newCreatingScreen(w, cancel)
	w.screen = c
	// The client reports its retries on a channel that the screen
	// listens to, so the spinner can say what went wrong and when it tries
	// again. The channel closes when the call returns, ending the listener.
	retries := make(chan tea.Msg, 8)
	seq := c.seq
	ctx = client.WithRetryObserver(ctx, func(r client.Retry) {
		select {
		case retries <- retryingMsg{seq: seq, retry: r}:
		default: // the screen shows the latest; none is worth blocking for
		}
	})
	req, apiKey, demo, create := w.st.req, w.st.apiKey, w.st.demo(), w.create
	send := func() tea.Msg {
		defer close(retries)
		res, err := create(ctx, apiKey, req, demo)
		if err != nil {
			return sessionFailedMsg{err}
		}
		return sessionCreatedMsg{result: res, req: req, demo: demo}
	}
	c.retries = retries
	return tea.Batch(send, listenForRetries(retries), c.spinner.Tick)
}

// createContext is the context of one create, in either front end:
// --timeout bounds it, retries included.
func (w *wizard) createContext(parent context.Context) (context.Context, context.CancelFunc) {
	if w.st.timeout > 0 {
		return context.WithTimeout(parent, w.st.timeout)
	}
	return context.WithCancel(parent)
}

// retryingMsg is a failed attempt the client is about to try again.
type retryingMsg struct {
	seq   int // which create call it belongs to
	retry client.Retry
}

func listenForRetries(retries <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		if msg, ok := <-retries; ok {
			return msg
		}
		return nil
	}
}

// stopScreen stops what the screen in front has running.
func (w *wizard) stopScreen() {
	if s, ok := w.screen.(stopper); ok {
		s.stop()
	}
}

func (w *wizard) created(msg sessionCreatedMsg) tea.Cmd {
	w.stopScreen()
	created := CreatedSession{
		ConsumerID:  msg.req.ConsumerID,
		AccountName: msg.req.Session.ConsumerMetadata.AccountName,
		Result:      msg.result,
		BuiltInDemo: msg.demo,
	}
	w.outcome.Sessions = append(w.outcome.Sessions, created)
	w.screen = newResultView(created, msg.req, w.now)
	// That request exists now: only what is typed after it makes a draft.
	w.st.memory.start = requestKey(msg.req)
	return tea.Batch(w.effects.every(time.Second, countdownMsg{}),
		w.recordCreatedCmd(msg.req, msg.result.ExpiresAt, msg.demo || msg.result.Demo))
}

func (w *wizard) failed(err error) tea.Cmd {
	w.stopScreen()
	if errors.Is(err, context.Canceled) {
		// The user cancelled: back to the review, everything as it was.
		w.screen = nil
		w.goTo(w.review())
		w.st.apiNote = "Cancelled. Nothing was shown to the consumer; press " + w.st.keys.Create.Help().Key + " to try again."
		return nil
	}
	w.screen = newFailureView(err, w)
	return nil
}

// quit leaves, remembering whether it was an interruption.
func (w *wizard) quit(interrupted bool) {
	w.stopScreen()
	w.outcome.Interrupted = interrupted
}

// another starts the next consumer's session: key, IDs, theme and settings
// stay, who the session is for is cleared. The cursor waits on the consumer
// ID, and the consumer step opens on its first field, the account name.
func (w *wizard) another() {
	w.st.req.ConsumerID = ""
	w.st.req.Session.ConsumerMetadata = model.ConsumerMetadata{}
	w.screen = nil
	w.returnToReview = false
	w.current = w.credentials()
	w.steps[w.consumer()].focusPath("consumer_metadata.account_name")
	w.steps[w.credentials()].load(&w.st)
	w.steps[w.credentials()].focusPath("consumer_id")
	w.st.apiNote, w.st.errs = "", nil
}

// screenSize is the size the wizard draws for. Before the first
// WindowSizeMsg it is a common size rather than nothing, so the first
// frame is immediate.
func (w *wizard) screenSize() (width, height int) {
	width, height = w.st.width, w.st.height
	if width == 0 {
		width = 80
	}
	if height == 0 {
		height = 24
	}
	return width, height
}

// tooSmall reports whether the screen shows "Terminal too small" instead
// of the wizard.
func (w *wizard) tooSmall() bool {
	width, height := w.screenSize()
	return width < minWidth || height < minHeight
}

// View draws the frame: header, the body of the step or screen in front,
// footer. It changes nothing; Update has laid everything out (fit).
func (w *wizard) View() string {
	defer w.catchPanic()
	width, height := w.screenSize()
	if width < minWidth || height < minHeight {
		return tooSmall(w.st.styles, width, height)
	}
	header, footer, note, bodyHeight := w.frame(width, height)
	var body string
	focus := 0
	if w.screen != nil {
		body, focus = w.screen.view(&w.st, width)
	} else {
		body, focus = w.steps[w.current].view(&w.st, width)
	}
	body = note + crop(w.st.styles, body, focus, width, bodyHeight)
	return header + "\n" + body + "\n" + footer
}

// frame is the header, the footer and the API note above a step for the
// screen as it stands, and the lines left for the body between them.
func (w *wizard) frame(width, height int) (header, footer, note string, bodyHeight int) {
	header = w.header(width)
	footer = w.footer(width)
	bodyHeight = height - lipgloss.Height(header) - lipgloss.Height(footer)
	// An API error shown on a step stands above its body, with a blank line.
	if w.screen == nil && w.st.apiNote != "" {
		note = w.st.styles.ErrorBox.Width(min(width-2, 96)).Render(w.st.apiNote) + "\n\n"
		if lipgloss.Height(note) > bodyHeight/2 {
			// A short screen: one line of the note, so the step still shows.
			note = w.st.styles.Error.Render(truncate("✗ "+w.st.apiNote, width)) + "\n"
		}
		bodyHeight -= lipgloss.Height(note) - 1
	}
	return header, footer, note, bodyHeight
}

// fitter is a step or screen whose widgets, scroll or caches depend on
// the room it gets: the root fits it after every Update, so that View
// only draws what is there.
type fitter interface {
	fit(st *state, width int)
}

// fit lays the screen out for what the last Update left: the body's
// height, which steps that lay out for the screen (lists, the editor, the
// preview) read from the state, then the step or screen in front.
func (w *wizard) fit() {
	width, height := w.screenSize()
	_, _, _, w.st.bodyHeight = w.frame(width, height)
	var front any = w.steps[w.current]
	if w.screen != nil {
		front = w.screen
	}
	if f, ok := front.(fitter); ok {
		f.fit(&w.st, width)
	}
}

// header is the app name, the step and the progress, and a demo badge.
func (w *wizard) header(width int) string {
	s := w.st.styles
	name := fmt.Sprintf("%d/%d %s", w.current+1, len(w.steps), w.steps[w.current].title())
	allDone := false
	if w.screen != nil {
		name, allDone = w.screen.title(), w.screen.afterSteps()
	}
	dots := ""
	for i := range w.steps {
		if i <= w.current || allDone {
			dots += s.StepDone.Render("●")
		} else {
			dots += s.StepTodo.Render("○")
		}
	}
	left := s.AppName.Render("vault-session") + "  " + s.StepName.Render(name)
	right := dots
	if w.st.demo() {
		right = s.DemoBadge.Render("DEMO API") + " " + dots
	}
	gap := width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 && w.st.demo() {
		// Narrow: the progress dots go first; the demo warning stays.
		right = s.DemoBadge.Render("DEMO")
		left = s.StepName.Render(name)
		gap = width - lipgloss.Width(left) - lipgloss.Width(right)
	}
	if gap < 1 {
		return truncateANSI(left, width) + "\n"
	}
	return left + strings.Repeat(" ", gap) + right + "\n"
}

// footer is the count of problems, if any, and the help line.
func (w *wizard) footer(width int) string {
	s := w.st.styles
	var lines []string
	if n := len(w.st.errs); n > 0 && w.screen == nil {
		word := "field needs"
		if n > 1 {
			word = "fields need"
		}
		lines = append(lines, s.Error.Render(fmt.Sprintf("✗ %d %s attention", n, word)))
	} else {
		lines = append(lines, "")
	}
	bindings := w.bindings()
	if w.fullHelp {
		lines = append(lines, w.help.FullHelpView(w.fullBindings()))
	} else {
		lines = append(lines, w.help.ShortHelpView(bindings))
	}
	return truncateLines(strings.Join(lines, "\n"), width)
}

// bindings are the keys that apply right now.
func (w *wizard) bindings() []key.Binding {
	if w.screen != nil {
		return w.screen.bindings(&w.st)
	}
	// Help comes right after the step's own keys, so a narrow screen cuts
	// "back" and "quit" (known everywhere) before it.
	out := append(stepBindings(w.steps[w.current], &w.st), w.helpBinding())
	return append(out, w.globalBindings()...)
}

// globalBindings are the keys every step shares that work on this one:
// no "back" on the first step, nor while esc clears something first.
func (w *wizard) globalBindings() []key.Binding {
	k := w.st.keys
	var out []key.Binding
	if w.current > 0 && !stepHandlesEsc(w.steps[w.current]) {
		out = append(out, k.Back)
	}
	if w.current != w.review() {
		out = append(out, k.ToReview)
	}
	return append(out, k.Quit)
}

// helpBinding names the help key that works right now: while a field takes
// text, "?" is typed into it and only F1 opens the help.
func (w *wizard) helpBinding() key.Binding {
	if w.screen == nil && w.steps[w.current].typing() {
		return untypable(w.st.keys.Help)
	}
	return w.st.keys.Help
}

// fullBindings is the "?" help: the step's keys in full, then the shared
// ones; only keys that work here and now.
func (w *wizard) fullBindings() [][]key.Binding {
	if w.screen != nil {
		return [][]key.Binding{w.bindings()}
	}
	return [][]key.Binding{
		stepFullBindings(w.steps[w.current], &w.st),
		append([]key.Binding{w.helpBinding()}, w.globalBindings()...),
	}
}

// fullHelper is a step with more keys than its help line has room for.
type fullHelper interface {
	fullBindings(st *state) []key.Binding
}

// stepBindings are the step's keys for the help line, as a fresh slice.
func stepBindings(s step, st *state) []key.Binding {
	return append([]key.Binding{}, s.bindings(st)...)
}

// stepFullBindings are the step's keys for the full help.
func stepFullBindings(s step, st *state) []key.Binding {
	if f, ok := s.(fullHelper); ok {
		return append([]key.Binding{}, f.fullBindings(st)...)
	}
	return stepBindings(s, st)
}

// crop fits a body into height lines, keeping the focused line in view and
// saying when there is more above or below.
func crop(s theme.Styles, body string, focus, width, height int) string {
	lines := strings.Split(strings.TrimRight(body, "\n"), "\n")
	// Only the lines shown are measured: a review of a large body has
	// a hundred thousand lines, and measuring them all cost each frame.
	fit := func(lines []string) []string {
		for i, l := range lines {
			if lipgloss.Width(l) > width {
				lines[i] = truncateANSI(l, width)
			}
		}
		return lines
	}
	if height <= 0 {
		return ""
	}
	if len(lines) <= height {
		fit(lines)
		for len(lines) < height {
			lines = append(lines, "")
		}
		return strings.Join(lines, "\n")
	}
	// Leave a line each for the "more" markers.
	window := max(1, height-2)
	start := max(0, min(focus-window/2, len(lines)-window))
	end := min(len(lines), start+window)
	out := make([]string, 0, height)
	if start > 0 {
		out = append(out, s.Muted.Render(fmt.Sprintf("  ↑ %d more", start)))
	} else {
		out = append(out, "")
	}
	out = append(out, fit(lines[start:end])...)
	if end < len(lines) {
		out = append(out, s.Muted.Render(fmt.Sprintf("  ↓ %d more", len(lines)-end)))
	}
	for len(out) < height {
		out = append(out, "")
	}
	return strings.Join(out[:height], "\n")
}

func tooSmall(s theme.Styles, width, height int) string {
	msg := fmt.Sprintf("Terminal too small (%dx%d).\nNeeds %dx%d: make it bigger.\nctrl+c quits.", width, height, minWidth, minHeight)
	lines := strings.Split(msg, "\n")
	for i := range lines {
		lines[i] = truncate(lines[i], width)
	}
	if len(lines) > height {
		lines = lines[:max(0, height)]
	}
	return s.Warning.Render(strings.Join(lines, "\n"))
}
