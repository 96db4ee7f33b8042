package ui

import (
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/theme"
)

// state is what the steps edit together: the request being built and what
// the screen needs to show it.
type state struct {
	req    model.Request
	apiKey string
	// forceDemo is set by --demo: every request goes to the demo API,
	// whatever key is typed.
	forceDemo bool
	// errs are the inline errors of the current step, shown once the user
	// has tried to go on (or an API answer named a field).
	errs model.ValidationErrors
	// apiNote is an API error shown on top of the step it sent the user to.
	apiNote string

	keys   KeyMap
	styles theme.Styles
	width  int
	height int
}

// demo reports whether the next request goes to the built-in demo API.
func (st *state) demo() bool { return st.forceDemo || st.apiKey == "" }
