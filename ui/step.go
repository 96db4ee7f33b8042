package ui

import (
	"slices"

	"github.com/apideck-samples/vault-session/model"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// step is one page of the wizard. It edits the shared state; it never talks
// HTTP and does not know which steps come before or after it: the root
// model alone knows the order.
type step interface {
	// title names the step in the header ("Unified APIs").
	title() string
	// load fills the step's widgets from the state; called on entering.
	load(st *state)
	// save writes the widgets back into the state; called before leaving
	// and before validating, so nothing typed is ever lost.
	save(st *state)
	// validate returns the errors of this step's fields (after save).
	validate(st *state) model.ValidationErrors
	// owns reports whether a field path (as in model.FieldError) is edited
	// on this step.
	owns(path string) bool
	// focusPath moves the focus to the field of path, if the step has it;
	// "" is the step's first field (or row), where a step opened from the
	// Review starts.
	focusPath(path string)
	// update handles one message. A step asks to move on, back or to
	// another step with st.navigate.
	update(msg tea.Msg, st *state) tea.Cmd
	// view renders the step's body for a width, and says which line holds
	// the focus so the root can scroll it into view.
	view(st *state, width int) (body string, focusLine int)
	// typing is true when the focused widget takes text, so printable keys
	// such as "?" go to it instead of being shortcuts.
	typing() bool
	// bindings are the step's own keys for the help line, as they work
	// right now, from st.keys.
	bindings(st *state) []key.Binding
	// summary adds the step's section to the Review: what it set, and
	// what Vault does with what it left unset.
	summary(p *page, st *state)
	// runAccessible asks the step as plain lines (the accessible front
	// end, after load), with the labels, hints, defaults, validation and
	// error words its screen uses, as huh's fields do. Like update, it
	// asks the root to move with st.navigate; by default the next step
	// follows.
	runAccessible(a *lineAsker, st *state) error
}

// wizardSteps are the wizard's steps in their order: the one list that
// the header's "n/7" and progress dots, the Review's sections and jump
// keys and the plain prompts' step numbers are drawn from. A new step is
// one line here (and its file); the Review, which sums up the steps
// before it and sends the request, comes last.
func wizardSteps(keys KeyMap) []step {
	return withReview(
		newCredentialsStep(),
		newConsumerStep(),
		newUnifiedAPIsStep(keys),
		newSessionStep(keys),
		newThemeStep(),
		newCustomSettingsStep(keys),
	)
}

// withReview ends steps with the Review of them.
func withReview(steps ...step) []step {
	steps = slices.Clip(steps)
	return append(steps, newReviewStep(steps))
}

// Navigation the root model carries out.
type (
	nextStepMsg struct{}
	prevStepMsg struct{}
	// jumpToStepMsg opens step index (0-based) from the review; going on
	// from there comes back to the review.
	jumpToStepMsg struct{ index int }
	// openScreenMsg puts a screen in front of the step (the Review's
	// "save as preset"); the screen brings the step back when it is done.
	openScreenMsg struct{ screen screen }
	// openConsumerPanelMsg puts the consumer panel of the consumer being
	// edited in front of the step (the Consumer step's ctrl+l).
	openConsumerPanelMsg struct{}
)

// navigate asks the root to move once the step's update is done. The root
// handles it within the same Update rather than as a command, so keys typed
// right after (a paste, a fast typist, a test) reach the step they were
// typed for.
func (st *state) navigate(msg tea.Msg) tea.Cmd {
	st.nav = msg
	return nil
}

// pageRows is how many rows pgup and pgdown move in a list whose rows take
// about linesPerRow lines: most of the screen, so one row stays in view.
func pageRows(st *state, linesPerRow int) int {
	lines := st.bodyHeight
	if lines == 0 {
		// Before the first frame: the screen less its header and footer.
		lines = st.height - 4
	}
	return max(1, (lines-6)/max(1, linesPerRow))
}
