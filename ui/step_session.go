package ui

import (
	"github.com/apideck-samples/vault-session/model"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// sessionStep is a placeholder until the step is written.
type sessionStep struct{}

func newSessionStep() *sessionStep { return &sessionStep{} }

func (c *sessionStep) title() string                             { return "Session" }
func (c *sessionStep) load(st *state)                            {}
func (c *sessionStep) save(st *state)                            {}
func (c *sessionStep) owns(path string) bool                     { return false }
func (c *sessionStep) focusPath(path string)                     {}
func (c *sessionStep) typing() bool                              { return false }
func (c *sessionStep) bindings() []key.Binding                   { return []key.Binding{DefaultKeyMap().Next} }
func (c *sessionStep) validate(st *state) model.ValidationErrors { return nil }
func (c *sessionStep) view(st *state, width int) (string, int)   { return "TODO", 0 }
func (c *sessionStep) update(msg tea.Msg, st *state) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok && k.Type == tea.KeyEnter {
		return nextStep
	}
	return nil
}
