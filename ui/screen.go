package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// screen is a page of the wizard that is not a step: the resume offer,
// the preset picker, saving a preset, the request in flight, its failure,
// the session made and its connections. At most one stands in front of
// the steps (wizard.screen); the root model routes each message to it, or
// to the current step when there is none.
type screen interface {
	// title names the screen in the header.
	title() string
	// update handles one message. A screen moves the wizard on through
	// w: back to a step, to another screen, or out.
	update(msg tea.Msg, w *wizard) tea.Cmd
	// back is what the Back key (esc) does on the screen.
	back(w *wizard) tea.Cmd
	// view draws the body for a width and says which line holds the
	// focus, so the root can scroll it into view. It changes nothing.
	view(st *state, width int) (body string, focusLine int)
	// bindings are the keys that work on the screen now, for the help
	// line and the full help.
	bindings(st *state) []key.Binding
	// afterSteps is true once the request has gone (creating and after):
	// the header shows every step done.
	afterSteps() bool
}

// stopper is a screen with something running to stop when the wizard
// quits: the request in flight, the watch's polling.
type stopper interface{ stop() }
