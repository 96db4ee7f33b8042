package ui

import (
	"github.com/apideck-samples/vault-session/model"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// themeStep is a placeholder until the step is written.
type themeStep struct{}

func newThemeStep() *themeStep { return &themeStep{} }

func (c *themeStep) title() string                             { return "Theme" }
func (c *themeStep) load(st *state)                            {}
func (c *themeStep) save(st *state)                            {}
func (c *themeStep) owns(path string) bool                     { return false }
func (c *themeStep) focusPath(path string)                     {}
func (c *themeStep) typing() bool                              { return false }
func (c *themeStep) bindings() []key.Binding                   { return []key.Binding{DefaultKeyMap().Next} }
func (c *themeStep) validate(st *state) model.ValidationErrors { return nil }
func (c *themeStep) view(st *state, width int) (string, int)   { return "TODO", 0 }
func (c *themeStep) update(msg tea.Msg, st *state) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok && k.Type == tea.KeyEnter {
		return nextStep
	}
	return nil
}
