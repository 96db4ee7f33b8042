package textedit

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// fuzzKeys are the keys the fuzzer presses, by the byte that picks them.
var fuzzKeys = []string{
	"a", " ", "é", "日", "}", "\"", "enter", "backspace", "delete", "left", "right", "up", "down",
	"home", "end", "ctrl+home", "ctrl+end", "pgup", "pgdown", "alt+f", "alt+b", "ctrl+w", "alt+d",
	"ctrl+k", "ctrl+u", "ctrl+t", "alt+u", "alt+l", "alt+c", "ctrl+z", "ctrl+y",
}

// FuzzEdits runs any text through any keys, pastes and resizes: nothing
// panics, the cursor always stands on the text, the view always fits, the
// text survives SetValue and Value, and undoing every edit gives back the
// text it began with.
func FuzzEdits(f *testing.F) {
	f.Add("", []byte{0, 6, 1, 7, 8})
	f.Add("{\n  \"plan\": \"pro\",\n  \"seats\": 5\n}", []byte{15, 12, 12, 14, 0, 0, 29, 30, 21, 22})
	f.Add(strings.Repeat("word ", 40), []byte{15, 12, 12, 12, 11, 250, 12, 251, 2, 3, 6, 6})
	f.Add("日本語 e\u0301 \u202e\u200f 🇫🇷 👩‍💻", []byte{15, 10, 10, 10, 7, 7, 24, 25, 26, 27, 28, 9, 9, 11})
	f.Add("a\r\nb\tc\x00d\xff", []byte{252, 253, 254, 255, 8, 8, 8, 29, 29, 29, 30})
	f.Add("\n\n\n", []byte{18, 7, 7, 7, 20, 22, 23, 4, 5, 29, 29, 29})
	f.Fuzz(func(t *testing.T, text string, ops []byte) {
		m := New(testKeys())
		m.SetGutter("  ┃ ", "  ✗ ")
		m.SetSize(40, 6)
		m.SetValue(text)
		start := m.Value()
		checkModel(t, m)
		if len(ops) > 64 {
			ops = ops[:64] // within the undo history
		}
		for i, op := range ops {
			switch {
			case op == 250:
				m.SetSize(24+i%60, 3+i%9)
			case op == 251:
				m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("x\r\n\t\"y\": [\n"), Paste: true})
			case op == 252:
				m.Update(ClipboardMsg{Text: text})
			case op == 253:
				m.Replace(strings.ToUpper(m.Value()))
			case op == 254:
				m.SetMark(i % 5)
			case op == 255:
				m.SetCursor(i%7-1, i%11-1)
			default:
				m.Update(keyOf(fuzzKeys[int(op)%len(fuzzKeys)]))
			}
			checkModel(t, m)
		}
		if got := Clean(m.Value()); got != m.Value() {
			t.Fatalf("the text holds what Clean removes: %q", m.Value())
		}
		again := New(testKeys())
		again.SetValue(m.Value())
		if again.Value() != m.Value() {
			t.Fatalf("SetValue(Value()) = %q, want %q", again.Value(), m.Value())
		}
		for m.Undo() {
			checkModel(t, m)
		}
		if m.Value() != start {
			t.Fatalf("undoing every edit gave %q, want %q", m.Value(), start)
		}
	})
}

// checkModel fails unless the cursor is on the text and the view fits.
func checkModel(t *testing.T, m *Model) {
	t.Helper()
	row, col := m.Cursor()
	if row < 0 || row >= len(m.lines) || col < 0 || col > m.lines[row].clusters() {
		t.Fatalf("cursor (%d, %d) off the text of %d lines", row, col, len(m.lines))
	}
	for i, l := range m.lines {
		if strings.Contains(l.text, "\n") {
			t.Fatalf("line %d holds a line break", i)
		}
	}
	if m.top.line < 0 || m.top.line >= len(m.lines) || m.top.row < 0 || m.top.row >= len(m.rowsOf(m.top.line)) {
		t.Fatalf("top row %+v off the text", m.top)
	}
	view := m.View()
	rows := strings.Split(view, "\n")
	if len(rows) != m.Height() {
		t.Fatalf("view has %d rows, want %d", len(rows), m.Height())
	}
	for _, r := range rows {
		if w := ansi.StringWidth(r); w > m.Width() {
			t.Fatalf("row %q is %d cells, more than %d", r, w, m.Width())
		}
	}
	if r := m.CursorRow(); r < 0 || r >= m.Height() {
		t.Fatalf("cursor row %d out of view", r)
	}
	if strings.ContainsAny(view, "\u202e\u200f\x00\x1b") {
		t.Fatalf("the view holds a control character: %q", view)
	}
}
