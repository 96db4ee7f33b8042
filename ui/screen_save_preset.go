package ui

import (
	"fmt"
	"strings"

	"github.com/apideck-samples/vault-session/model/keptfile"
	"github.com/apideck-samples/vault-session/model/store"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// savePresetScreen is the Review's `s`: it saves the current theme and
// settings (never the consumer card) as a preset under a name typed here.
// Enter saves and goes back to the Review, which says how the save went;
// esc goes back without saving.
type savePresetScreen struct {
	name textinput.Model
	// problem is why the name typed cannot be a preset's.
	problem string
}

// presetSavedMsg is the end of a save.
type presetSavedMsg struct {
	name, path string
	err        error
}

// newSavePresetScreen opens the name field, with the preset the session
// came from as a starting point.
func newSavePresetScreen(st *state) *savePresetScreen {
	p := &savePresetScreen{name: textinput.New()}
	p.name.Prompt = ""
	p.name.CharLimit = 64
	p.name.Placeholder = "e.g. partner-acme"
	p.name.Cursor.SetMode(cursor.CursorStatic)
	styleInput(&p.name, st.styles)
	p.name.SetValue(st.memory.preset)
	p.name.CursorEnd()
	p.name.Focus()
	return p
}

func (p *savePresetScreen) title() string    { return "Save as preset" }
func (p *savePresetScreen) afterSteps() bool { return false }

// back leaves the name, nothing saved.
func (p *savePresetScreen) back(w *wizard) tea.Cmd {
	w.screen = nil
	return nil
}

func (p *savePresetScreen) bindings(st *state) []key.Binding {
	return []key.Binding{relabel(st.keys.Next, "save preset"), st.keys.Cancel, st.keys.Quit}
}

// update takes the name as it is typed; enter saves it, off the event
// loop, and brings the Review back.
func (p *savePresetScreen) update(msg tea.Msg, w *wizard) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, w.st.keys.Next) {
		name := p.name.Value()
		if err := store.CheckPresetName(name); err != nil {
			p.problem = "✗ " + err.Error()
			return nil
		}
		w.screen = nil
		s, session := w.st.memory.store, w.st.req.Session
		return func() tea.Msg {
			path, err := s.SavePreset(name, session)
			return presetSavedMsg{name: name, path: path, err: err}
		}
	}
	var cmd tea.Cmd
	p.name, cmd = p.name.Update(msg)
	p.problem = ""
	return cmd
}

func (p *savePresetScreen) view(st *state, width int) (string, int) {
	s, k := st.styles, st.keys
	pg := &page{s: s, width: width}
	pg.add(s.Title.Render("Save as preset"))
	pg.wrapped(s.Description, 0, 0, "The theme and settings, to start other sessions from (--preset); not the consumer card.")
	name := p.name
	name.Width = max(10, min(40, width-12))
	pg.add("", "  "+s.Label.Render("Name ")+name.View())
	focus := len(pg.lines) - 1
	hint := k.Next.Help().Key + " saves · " + k.Cancel.Help().Key + " cancels"
	if path, exists := st.memory.store.UserPresetPath(p.name.Value()); exists && p.name.Value() != "" {
		hint = "replaces " + termtext.Line(path) + " · " + hint
	}
	pg.wrapped(s.Hint, 2, 0, hint)
	if p.problem != "" {
		pg.wrapped(s.Error, 2, 2, p.problem)
	}
	return strings.Join(pg.lines, "\n"), focus
}

// presetSaved is what a save did, in words, for the Review and the plain
// prompts; a saved preset becomes the session's, for the history.
func presetSaved(msg presetSavedMsg, st *state) (note string, failed bool) {
	if msg.err != nil {
		return "✗ The preset was not saved: " + keptfile.ErrorText(msg.err), true
	}
	st.memory.preset = msg.name
	return "✓ Saved as preset " + msg.name + ": " + msg.path + " (use it with --preset " + msg.name + ")", false
}

// runAccessible is the review's s as a question: the current theme and
// settings (never the consumer card) saved as a preset, through the
// review's own words (presetSaved) so the note and the preset the history records
// are the same.
func (p *savePresetScreen) runAccessible(a *lineAsker, st *state) error {
	if st.memory.store == nil {
		return nil
	}
	for {
		ans, err := orQuit(a.ask("Save these theme and settings as a preset (the consumer card is left out)? Type a name, or press enter to skip: "))
		if err != nil || ans == "" {
			return err
		}
		if err := store.CheckPresetName(ans); err != nil {
			a.say("Error: %s.", termtext.Line(strings.TrimSuffix(err.Error(), ".")))
			continue
		}
		if path, exists := st.memory.store.UserPresetPath(ans); exists {
			replace, err := a.yesNo(fmt.Sprintf("A preset named %s is at %s. Replace it?", quoted(ans), termtext.Line(path)), false)
			if err != nil {
				return err
			}
			if !replace {
				continue
			}
		}
		path, err := st.memory.store.SavePreset(ans, st.req.Session)
		note, _ := presetSaved(presetSavedMsg{name: ans, path: path, err: err}, st)
		// The note without its ✓ or ✗: the words say it.
		note = strings.TrimPrefix(strings.TrimPrefix(note, "✓ "), "✗ ")
		a.say("%s.", termtext.Line(strings.TrimSuffix(note, ".")))
		if err == nil {
			return nil
		}
	}
}
