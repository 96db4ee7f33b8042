package ui

import (
	"github.com/apideck-samples/vault-session/model/store"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// presetSaver is the Review's `s`: it saves the current theme and settings
// (never the consumer card) as a preset under a name typed there.
type presetSaver struct {
	naming bool
	name   textinput.Model
	// note says what the last save did; noteErr when it failed.
	note    string
	noteErr bool
}

var (
	savePresetKey = key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "save as preset"))
	saveNameKey   = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "save preset"))
	cancelNameKey = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"))
)

// presetSavedMsg is the end of a save.
type presetSavedMsg struct {
	name, path string
	err        error
}

// start opens the name field, with the preset the session came from as a
// starting point.
func (p *presetSaver) start(st *state) {
	p.name = textinput.New()
	p.name.Prompt = ""
	p.name.CharLimit = 64
	p.name.Placeholder = "e.g. partner-acme"
	p.name.Cursor.SetMode(cursor.CursorStatic)
	p.name.SetValue(st.memory.preset)
	p.name.CursorEnd()
	p.name.Focus()
	p.naming, p.note, p.noteErr = true, "", false
}

// update handles keys while the name is typed, and the save's answer.
func (p *presetSaver) update(msg tea.Msg, st *state) tea.Cmd {
	if saved, ok := msg.(presetSavedMsg); ok {
		if saved.err != nil {
			p.note, p.noteErr = "✗ The preset was not saved: "+saved.err.Error(), true
			return nil
		}
		st.memory.preset = saved.name
		p.note, p.noteErr = "✓ Saved as preset "+saved.name+": "+saved.path+" (use it with --preset "+saved.name+")", false
		return nil
	}
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	switch k.Type {
	case tea.KeyEsc:
		p.naming = false
		return nil
	case tea.KeyEnter:
		name := p.name.Value()
		if err := store.CheckPresetName(name); err != nil {
			p.note, p.noteErr = "✗ "+err.Error(), true
			return nil
		}
		p.naming = false
		s, session := st.memory.store, st.req.Session
		return func() tea.Msg {
			path, err := s.SavePreset(name, session)
			return presetSavedMsg{name: name, path: path, err: err}
		}
	}
	var cmd tea.Cmd
	p.name, cmd = p.name.Update(msg)
	p.note, p.noteErr = "", false
	return cmd
}

// render adds the name field, or the last save's note, under the title.
func (p *presetSaver) render(pg *page, st *state) {
	s := pg.s
	switch {
	case p.naming:
		pg.add("", s.FocusLabel.Render("Save the theme and settings as a preset (the consumer card is left out)"))
		p.name.Width = max(10, min(40, pg.width-12))
		pg.add("  " + s.Label.Render("Name ") + p.name.View())
		hint := "enter saves · esc cancels"
		if path, exists := st.memory.store.UserPresetPath(p.name.Value()); exists && p.name.Value() != "" {
			hint = "replaces " + termtext.Line(path) + " · " + hint
		}
		pg.wrapped(s.Hint, 2, 0, hint)
		if p.note != "" {
			pg.wrapped(s.Error, 2, 2, p.note)
		}
	case p.note != "":
		style := s.Success
		if p.noteErr {
			style = s.Error
		}
		pg.add("")
		pg.wrapped(style, 2, 2, termtext.Line(p.note))
	}
}
