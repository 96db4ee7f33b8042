package ui

import (
	"github.com/apideck-samples/vault-session/model"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// customSettingsStep is a placeholder until the step is written.
type customSettingsStep struct{}

func newCustomSettingsStep() *customSettingsStep { return &customSettingsStep{} }

func (c *customSettingsStep) title() string                             { return "Custom settings" }
func (c *customSettingsStep) load(st *state)                            {}
func (c *customSettingsStep) save(st *state)                            {}
func (c *customSettingsStep) owns(path string) bool                     { return false }
func (c *customSettingsStep) focusPath(path string)                     {}
func (c *customSettingsStep) typing() bool                              { return false }
func (c *customSettingsStep) bindings() []key.Binding                   { return []key.Binding{DefaultKeyMap().Next} }
func (c *customSettingsStep) validate(st *state) model.ValidationErrors { return nil }
func (c *customSettingsStep) view(st *state, width int) (string, int)   { return "TODO", 0 }
func (c *customSettingsStep) update(msg tea.Msg, st *state) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok && k.Type == tea.KeyEnter {
		return nextStep
	}
	return nil
}
