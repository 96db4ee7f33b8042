package ui

import (
	"github.com/apideck-samples/vault-session/model"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// reviewStep is a placeholder until the step is written.
type reviewStep struct{}

func newReviewStep() *reviewStep { return &reviewStep{} }

func (c *reviewStep) title() string                             { return "Review" }
func (c *reviewStep) load(st *state)                            {}
func (c *reviewStep) save(st *state)                            {}
func (c *reviewStep) owns(path string) bool                     { return false }
func (c *reviewStep) focusPath(path string)                     {}
func (c *reviewStep) typing() bool                              { return false }
func (c *reviewStep) bindings() []key.Binding                   { return []key.Binding{DefaultKeyMap().Next} }
func (c *reviewStep) validate(st *state) model.ValidationErrors { return nil }
func (c *reviewStep) view(st *state, width int) (string, int)   { return "TODO", 0 }
func (c *reviewStep) update(msg tea.Msg, st *state) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok && k.Type == tea.KeyEnter {
		return nextStep
	}
	return nil
}
