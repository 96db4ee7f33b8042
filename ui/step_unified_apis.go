package ui

import (
	"github.com/apideck-samples/vault-session/model"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// unifiedAPIsStep is a placeholder until the step is written.
type unifiedAPIsStep struct{}

func newUnifiedAPIsStep() *unifiedAPIsStep { return &unifiedAPIsStep{} }

func (c *unifiedAPIsStep) title() string                             { return "Unified APIs" }
func (c *unifiedAPIsStep) load(st *state)                            {}
func (c *unifiedAPIsStep) save(st *state)                            {}
func (c *unifiedAPIsStep) owns(path string) bool                     { return false }
func (c *unifiedAPIsStep) focusPath(path string)                     {}
func (c *unifiedAPIsStep) typing() bool                              { return false }
func (c *unifiedAPIsStep) bindings() []key.Binding                   { return []key.Binding{DefaultKeyMap().Next} }
func (c *unifiedAPIsStep) validate(st *state) model.ValidationErrors { return nil }
func (c *unifiedAPIsStep) view(st *state, width int) (string, int)   { return "TODO", 0 }
func (c *unifiedAPIsStep) update(msg tea.Msg, st *state) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok && k.Type == tea.KeyEnter {
		return nextStep
	}
	return nil
}
