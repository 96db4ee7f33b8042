package textedit

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// KeyMap is every key the editor answers. The program that uses the
// editor fills it (the wizard keeps all its keys in one place); a key not
// bound here and not a character is not the editor's.
type KeyMap struct {
	CharacterForward  key.Binding
	CharacterBackward key.Binding
	WordForward       key.Binding
	WordBackward      key.Binding
	LineNext          key.Binding
	LinePrevious      key.Binding
	PageDown          key.Binding
	PageUp            key.Binding
	LineStart         key.Binding
	LineEnd           key.Binding
	InputBegin        key.Binding
	InputEnd          key.Binding

	InsertNewline           key.Binding
	DeleteCharacterBackward key.Binding
	DeleteCharacterForward  key.Binding
	DeleteWordBackward      key.Binding
	DeleteWordForward       key.Binding
	DeleteAfterCursor       key.Binding
	DeleteBeforeCursor      key.Binding

	TransposeCharacterBackward key.Binding
	UppercaseWordForward       key.Binding
	LowercaseWordForward       key.Binding
	CapitalizeWordForward      key.Binding

	// Paste reads the system clipboard (see Model.ReadClipboard); a
	// terminal's own paste arrives as typed text.
	Paste key.Binding
	Undo  key.Binding
	Redo  key.Binding
}

// ClipboardMsg is the clipboard's text, read for the Paste key.
type ClipboardMsg struct {
	Text string
	Err  error
}

// typed reports whether a key is text to insert: characters, a space, or
// a paste. A character with alt held is a command, not text.
func typed(k tea.KeyMsg) bool {
	switch k.Type {
	case tea.KeyRunes:
		return !k.Alt && len(k.Runes) > 0
	case tea.KeySpace:
		return !k.Alt
	}
	return false
}

// Handles reports whether the editor acts on a key.
func (m *Model) Handles(k tea.KeyMsg) bool {
	if typed(k) {
		return true
	}
	_, ok := m.action(k)
	return ok
}

// action finds what a bound key does.
func (m *Model) action(k tea.KeyMsg) (func(), bool) {
	km := &m.keys
	switch {
	case key.Matches(k, km.CharacterForward):
		return m.right, true
	case key.Matches(k, km.CharacterBackward):
		return m.left, true
	case key.Matches(k, km.WordForward):
		return m.wordRight, true
	case key.Matches(k, km.WordBackward):
		return m.wordLeft, true
	case key.Matches(k, km.LineNext):
		return func() { m.vertical(1) }, true
	case key.Matches(k, km.LinePrevious):
		return func() { m.vertical(-1) }, true
	case key.Matches(k, km.PageDown):
		return func() { m.vertical(max(1, m.height-1)) }, true
	case key.Matches(k, km.PageUp):
		return func() { m.vertical(-max(1, m.height-1)) }, true
	case key.Matches(k, km.LineStart):
		return func() { m.col = 0 }, true
	case key.Matches(k, km.LineEnd):
		return func() { m.col = m.cur().clusters() }, true
	case key.Matches(k, km.InputBegin):
		return func() { m.row, m.col = 0, 0 }, true
	case key.Matches(k, km.InputEnd):
		return m.moveToEnd, true
	case key.Matches(k, km.InsertNewline):
		return m.newline, true
	case key.Matches(k, km.DeleteCharacterBackward):
		return m.deleteBack, true
	case key.Matches(k, km.DeleteCharacterForward):
		return m.deleteForward, true
	case key.Matches(k, km.DeleteWordBackward):
		return m.deleteWordBack, true
	case key.Matches(k, km.DeleteWordForward):
		return m.deleteWordForward, true
	case key.Matches(k, km.DeleteAfterCursor):
		return m.deleteToEnd, true
	case key.Matches(k, km.DeleteBeforeCursor):
		return m.deleteToStart, true
	case key.Matches(k, km.TransposeCharacterBackward):
		return m.transpose, true
	case key.Matches(k, km.UppercaseWordForward):
		return func() { m.changeWord(strings.ToUpper) }, true
	case key.Matches(k, km.LowercaseWordForward):
		return func() { m.changeWord(strings.ToLower) }, true
	case key.Matches(k, km.CapitalizeWordForward):
		return func() { m.changeWord(capitalize) }, true
	case key.Matches(k, km.Undo):
		return func() { m.Undo() }, true
	case key.Matches(k, km.Redo):
		return func() { m.Redo() }, true
	case m.ReadClipboard != nil && key.Matches(k, km.Paste):
		return func() {}, true
	}
	return nil, false
}

// verticalKey reports whether a key moves up or down, keeping the column.
func (m *Model) verticalKey(k tea.KeyMsg) bool {
	return key.Matches(k, m.keys.LineNext, m.keys.LinePrevious, m.keys.PageDown, m.keys.PageUp)
}

// Update handles a key or the clipboard's text. It returns a command only
// for the Paste key, which reads the clipboard.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case ClipboardMsg:
		if msg.Err == nil {
			m.insert(msg.Text, editOther)
		}
		return nil
	case tea.KeyMsg:
		if m.ReadClipboard != nil && key.Matches(msg, m.keys.Paste) {
			read := m.ReadClipboard
			return func() tea.Msg {
				text, err := read()
				return ClipboardMsg{Text: text, Err: err}
			}
		}
		if !m.verticalKey(msg) {
			m.goal = -1
		}
		if typed(msg) {
			kind := editTyping
			if msg.Paste || len(msg.Runes) > 1 {
				// A paste, or keys that came in one read: one undo step.
				kind = editOther
			}
			m.insert(string(msg.Runes), kind)
			return nil
		}
		do, ok := m.action(msg)
		if !ok {
			return nil
		}
		before := m.version
		do()
		if m.version == before {
			// A move: typing after it is a new undo step.
			m.lastEdit = editNone
		}
		m.ensureVisible()
	}
	return nil
}
