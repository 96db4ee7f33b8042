package textedit

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// testKeys binds the keys the way the wizard does (its KeyMap lives in
// package ui, above this one).
func testKeys() KeyMap {
	b := func(keys ...string) key.Binding { return key.NewBinding(key.WithKeys(keys...)) }
	return KeyMap{
		CharacterForward:           b("right", "ctrl+f"),
		CharacterBackward:          b("left", "ctrl+b"),
		WordForward:                b("alt+right", "ctrl+right", "alt+f"),
		WordBackward:               b("alt+left", "ctrl+left", "alt+b"),
		LineNext:                   b("down", "ctrl+n"),
		LinePrevious:               b("up", "ctrl+p"),
		PageDown:                   b("pgdown"),
		PageUp:                     b("pgup"),
		LineStart:                  b("home", "ctrl+a"),
		LineEnd:                    b("end"),
		InputBegin:                 b("ctrl+home", "alt+<"),
		InputEnd:                   b("ctrl+end", "alt+>"),
		InsertNewline:              b("enter"),
		DeleteCharacterBackward:    b("backspace", "ctrl+h"),
		DeleteCharacterForward:     b("delete", "ctrl+d"),
		DeleteWordBackward:         b("alt+backspace", "ctrl+w"),
		DeleteWordForward:          b("alt+delete", "alt+d"),
		DeleteAfterCursor:          b("ctrl+k"),
		DeleteBeforeCursor:         b("ctrl+u"),
		TransposeCharacterBackward: b("ctrl+t"),
		UppercaseWordForward:       b("alt+u"),
		LowercaseWordForward:       b("alt+l"),
		CapitalizeWordForward:      b("alt+c"),
		Paste:                      b("ctrl+v"),
		Undo:                       b("ctrl+z"),
		Redo:                       b("ctrl+y"),
	}
}

// keyOf makes the message Bubble Tea sends for a key name; anything else
// is typed text.
func keyOf(name string) tea.KeyMsg {
	named := map[string]tea.KeyType{
		"enter": tea.KeyEnter, "up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
		"backspace": tea.KeyBackspace, "delete": tea.KeyDelete, "home": tea.KeyHome, "end": tea.KeyEnd,
		"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "ctrl+home": tea.KeyCtrlHome, "ctrl+end": tea.KeyCtrlEnd,
		"ctrl+left": tea.KeyCtrlLeft, "ctrl+right": tea.KeyCtrlRight,
		"ctrl+a": tea.KeyCtrlA, "ctrl+b": tea.KeyCtrlB, "ctrl+d": tea.KeyCtrlD, "ctrl+f": tea.KeyCtrlF,
		"ctrl+h": tea.KeyCtrlH, "ctrl+k": tea.KeyCtrlK, "ctrl+n": tea.KeyCtrlN, "ctrl+p": tea.KeyCtrlP,
		"ctrl+t": tea.KeyCtrlT, "ctrl+u": tea.KeyCtrlU, "ctrl+v": tea.KeyCtrlV, "ctrl+w": tea.KeyCtrlW,
		"ctrl+y": tea.KeyCtrlY, "ctrl+z": tea.KeyCtrlZ, "tab": tea.KeyTab, "esc": tea.KeyEsc,
	}
	if t, ok := named[name]; ok {
		return tea.KeyMsg{Type: t}
	}
	if r, ok := strings.CutPrefix(name, "alt+"); ok {
		if t, ok := named[r]; ok {
			return tea.KeyMsg{Type: t, Alt: true}
		}
		return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(r), Alt: true}
	}
	if name == " " {
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(name)}
}

// editor is an editor of a size, with text, the cursor at its end.
func editor(t *testing.T, width, height int, text string) *Model {
	t.Helper()
	m := New(testKeys())
	m.SetGutter("┃ ", "✗ ")
	m.SetSize(width, height)
	m.SetValue(text)
	return m
}

// press sends keys by name; typeText types each character as a key.
func press(m *Model, keys ...string) {
	for _, k := range keys {
		m.Update(keyOf(k))
	}
}

func typeText(m *Model, s string) {
	for _, r := range s {
		m.Update(keyOf(string(r)))
	}
}

// withCursor is the text with a | where the cursor is.
func withCursor(m *Model) string {
	row, col := m.Cursor()
	lines := strings.Split(m.Value(), "\n")
	l := m.lines[row]
	lines[row] = l.text[:l.offset(col)] + "|" + l.text[l.offset(col):]
	return strings.Join(lines, "\n")
}

func wantCursor(t *testing.T, m *Model, want string) {
	t.Helper()
	if got := withCursor(m); got != want {
		t.Fatalf("text and cursor:\n%s\nwant\n%s", got, want)
	}
}

// plainView is the view without trailing spaces, rows joined by newlines.
func plainView(m *Model) string {
	lines := strings.Split(m.View(), "\n")
	for i := range lines {
		lines[i] = strings.TrimRight(ansi.Strip(lines[i]), " ")
	}
	return strings.Join(lines, "\n")
}

func TestTypingAndLines(t *testing.T) {
	m := editor(t, 40, 6, "")
	typeText(m, `{"a": 1,`)
	press(m, "enter")
	typeText(m, `"b": 2}`)
	if got, want := m.Value(), "{\"a\": 1,\n\"b\": 2}"; got != want {
		t.Fatalf("Value = %q, want %q", got, want)
	}
	wantCursor(t, m, "{\"a\": 1,\n\"b\": 2}|")
	if m.LineCount() != 2 {
		t.Fatalf("LineCount = %d", m.LineCount())
	}
	// Enter in the middle of a line splits it.
	press(m, "home", "right", "enter")
	wantCursor(t, m, "{\"a\": 1,\n\"\n|b\": 2}")
}

func TestSetValueCleansAndRoundTrips(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"{\"a\":1}", "{\"a\":1}"},
		{"a\r\nb\rc\n", "a\nb\nc\n"},
		{"\ta", "    a"},
		{"a\x00b\x1bc\x7fd\u0085e", "abcde"},
		{"bad \xff utf8", "bad  utf8"},
		{"日本 e\u0301 \u202e", "日本 e\u0301 \u202e"},
		{"", ""},
		{"\n\n", "\n\n"},
	} {
		m := editor(t, 40, 6, c.in)
		if got := m.Value(); got != c.want {
			t.Errorf("SetValue(%q): Value = %q, want %q", c.in, got, c.want)
		}
		m2 := editor(t, 40, 6, m.Value())
		if m2.Value() != m.Value() {
			t.Errorf("Value of %q does not round-trip: %q", c.in, m2.Value())
		}
	}
}

func TestCharacterMoves(t *testing.T) {
	m := editor(t, 40, 6, "ab\ncd")
	press(m, "left", "left")
	wantCursor(t, m, "ab\n|cd")
	press(m, "left") // over the line end
	wantCursor(t, m, "ab|\ncd")
	press(m, "right")
	wantCursor(t, m, "ab\n|cd")
	press(m, "ctrl+b", "ctrl+b", "ctrl+b", "ctrl+f")
	wantCursor(t, m, "a|b\ncd")
	press(m, "ctrl+home", "left") // nothing before the start
	wantCursor(t, m, "|ab\ncd")
	press(m, "ctrl+end", "right")
	wantCursor(t, m, "ab\ncd|")
	press(m, "alt+<")
	wantCursor(t, m, "|ab\ncd")
	press(m, "alt+>", "home")
	wantCursor(t, m, "ab\n|cd")
	press(m, "end")
	wantCursor(t, m, "ab\ncd|")
	press(m, "ctrl+a")
	wantCursor(t, m, "ab\n|cd")
}

func TestWordMoves(t *testing.T) {
	m := editor(t, 40, 6, `{"plan": "pro",`+"\n"+`  "seats": 5}`)
	press(m, "ctrl+home", "alt+right")
	wantCursor(t, m, `{"plan":| "pro",`+"\n"+`  "seats": 5}`)
	press(m, "alt+f", "ctrl+right") // over the line end and the indent
	wantCursor(t, m, `{"plan": "pro",`+"\n"+`  "seats":| 5}`)
	press(m, "alt+left")
	wantCursor(t, m, `{"plan": "pro",`+"\n"+`  |"seats": 5}`)
	press(m, "alt+b")
	wantCursor(t, m, `{"plan": |"pro",`+"\n"+`  "seats": 5}`)
	press(m, "ctrl+left", "ctrl+left", "alt+b")
	wantCursor(t, m, `|{"plan": "pro",`+"\n"+`  "seats": 5}`)
	// Words at the very end and start stop there.
	press(m, "alt+>", "alt+f")
	wantCursor(t, m, `{"plan": "pro",`+"\n"+`  "seats": 5}|`)
	blank := editor(t, 40, 6, "  \n ")
	press(blank, "alt+b")
	wantCursor(t, blank, "|  \n ")
}

func TestUpDownKeepTheColumn(t *testing.T) {
	m := editor(t, 40, 6, "abcdefgh\nab\n\nabcdefghij")
	press(m, "ctrl+home", "end") // column 8
	press(m, "down")
	wantCursor(t, m, "abcdefgh\nab|\n\nabcdefghij")
	press(m, "down")
	wantCursor(t, m, "abcdefgh\nab\n|\nabcdefghij")
	press(m, "down") // back to column 8
	wantCursor(t, m, "abcdefgh\nab\n\nabcdefgh|ij")
	press(m, "up", "up", "up")
	wantCursor(t, m, "abcdefgh|\nab\n\nabcdefghij")
	// A sideways move sets a new column.
	press(m, "left", "left", "down", "down", "down")
	wantCursor(t, m, "abcdefgh\nab\n\nabcdef|ghij")
	// Up from the first line and down from the last stay.
	press(m, "ctrl+home", "right", "up")
	wantCursor(t, m, "a|bcdefgh\nab\n\nabcdefghij")
	press(m, "ctrl+end", "down")
	wantCursor(t, m, "abcdefgh\nab\n\nabcdefghij|")
	press(m, "ctrl+p", "ctrl+n")
	wantCursor(t, m, "abcdefgh\nab\n\nabcdefghij|")
}

func TestUpDownOverWideCharacters(t *testing.T) {
	// The column is in cells: 日本 is four cells wide.
	m := editor(t, 40, 6, "日本語\nabcdef")
	press(m, "ctrl+home", "right", "right", "down")
	wantCursor(t, m, "日本語\nabcd|ef")
	press(m, "left", "up") // column 3 falls inside 本: the cursor stays before it
	wantCursor(t, m, "日|本語\nabcdef")
}

func TestDeletes(t *testing.T) {
	m := editor(t, 40, 6, "ab\ncd")
	press(m, "left", "left", "backspace") // joins the lines
	wantCursor(t, m, "ab|cd")
	press(m, "backspace")
	wantCursor(t, m, "a|cd")
	press(m, "delete")
	wantCursor(t, m, "a|d")
	press(m, "end", "enter")
	typeText(m, "xy")
	press(m, "up", "end", "delete") // joins the next line
	wantCursor(t, m, "ad|xy")
	press(m, "ctrl+d", "ctrl+h")
	wantCursor(t, m, "a|y")
	press(m, "ctrl+home", "backspace") // nothing before the start
	press(m, "ctrl+end", "delete")     // nothing after the end
	wantCursor(t, m, "ay|")
}

func TestDeleteWordsAndLineParts(t *testing.T) {
	m := editor(t, 40, 6, `"plan": "pro",  "seats"`)
	press(m, "ctrl+w")
	wantCursor(t, m, `"plan": "pro",  |`)
	press(m, "alt+backspace")
	wantCursor(t, m, `"plan": |`)
	press(m, "ctrl+home", "alt+d")
	wantCursor(t, m, `| `)
	m.SetValue("one two  three")
	press(m, "ctrl+home", "alt+right", "alt+delete")
	wantCursor(t, m, "one|  three")
	press(m, "ctrl+k")
	wantCursor(t, m, "one|")
	press(m, "ctrl+u")
	wantCursor(t, m, "|")

	// At a line's ends they join lines, as backspace and delete do.
	m.SetValue("ab\ncd")
	press(m, "home", "ctrl+w")
	wantCursor(t, m, "ab|cd")
	press(m, "enter", "up", "end", "ctrl+k")
	wantCursor(t, m, "ab|cd")
	press(m, "enter", "ctrl+u")
	wantCursor(t, m, "ab|cd")
	press(m, "enter", "up", "end", "alt+d")
	wantCursor(t, m, "ab|cd")
}

func TestTransposeAndCase(t *testing.T) {
	m := editor(t, 40, 6, "abc")
	press(m, "ctrl+t") // at the end: the last two
	wantCursor(t, m, "acb|")
	press(m, "home", "right", "ctrl+t")
	wantCursor(t, m, "ca|b")
	press(m, "home", "ctrl+t") // at the start: nothing
	wantCursor(t, m, "|cab")

	m.SetValue("hello big world")
	press(m, "home", "alt+u")
	wantCursor(t, m, "HELLO| big world")
	press(m, "alt+c")
	wantCursor(t, m, "HELLO Big| world")
	press(m, "home", "alt+l")
	wantCursor(t, m, "hello| Big world")
}

func TestPaste(t *testing.T) {
	m := editor(t, 40, 6, "{}")
	press(m, "left")
	// A bracketed paste, with Windows line ends and a tab.
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("\r\n\t\"a\": 1\r\n"), Paste: true})
	wantCursor(t, m, "{\n    \"a\": 1\n|}")
	// Keys that came in one read are typed as they are.
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(`"b"`)})
	wantCursor(t, m, "{\n    \"a\": 1\n\"b\"|}")
	// A paste is one undo step.
	press(m, "ctrl+z")
	wantCursor(t, m, "{\n    \"a\": 1\n|}")
	press(m, "ctrl+z")
	wantCursor(t, m, "{|}")
}

func TestClipboardPaste(t *testing.T) {
	m := editor(t, 40, 6, "")
	if cmd := m.Update(keyOf("ctrl+v")); cmd != nil {
		t.Fatal("ctrl+v without a clipboard reader gave a command")
	}
	if m.Handles(keyOf("ctrl+v")) {
		t.Fatal("ctrl+v claimed without a clipboard reader")
	}
	m.ReadClipboard = func() (string, error) { return "{\"a\":\n1}", nil }
	if !m.Handles(keyOf("ctrl+v")) {
		t.Fatal("ctrl+v not claimed with a clipboard reader")
	}
	cmd := m.Update(keyOf("ctrl+v"))
	if cmd == nil {
		t.Fatal("ctrl+v gave no command")
	}
	if m.Value() != "" {
		t.Fatal("the clipboard was read in Update")
	}
	m.Update(cmd())
	wantCursor(t, m, "{\"a\":\n1}|")
	m.Update(ClipboardMsg{Err: errors.New("no clipboard")})
	wantCursor(t, m, "{\"a\":\n1}|")
}

func TestUndoRedo(t *testing.T) {
	m := editor(t, 40, 6, "")
	typeText(m, "abc")
	press(m, "left")
	typeText(m, "XY")
	press(m, "backspace", "backspace", "backspace")
	wantCursor(t, m, "a|c")
	press(m, "ctrl+z") // the three backspaces
	wantCursor(t, m, "abXY|c")
	press(m, "ctrl+z") // XY
	wantCursor(t, m, "ab|c")
	press(m, "ctrl+z") // abc
	wantCursor(t, m, "|")
	press(m, "ctrl+z") // nothing more
	wantCursor(t, m, "|")
	press(m, "ctrl+y", "ctrl+y")
	wantCursor(t, m, "abXY|c")
	// A new edit forgets what could be redone.
	typeText(m, "!")
	press(m, "ctrl+y")
	wantCursor(t, m, "abXY!|c")

	// Replace is one step; SetValue forgets the history.
	m.Replace("{\n}")
	press(m, "ctrl+z")
	wantCursor(t, m, "abXY!|c")
	m.SetValue("new")
	press(m, "ctrl+z")
	wantCursor(t, m, "new|")

	// The history is bounded.
	for range maxUndo + 20 {
		press(m, "enter")
	}
	if len(m.undo) != maxUndo {
		t.Fatalf("%d undo steps kept, want %d", len(m.undo), maxUndo)
	}
}

func TestVersionChangesWithTheText(t *testing.T) {
	m := editor(t, 40, 6, "ab")
	v := m.Version()
	press(m, "left", "home", "up", "down", "end")
	if m.Version() != v {
		t.Fatal("moves changed the version")
	}
	typeText(m, "c")
	if m.Version() == v {
		t.Fatal("typing did not change the version")
	}
	v = m.Version()
	m.Replace("abc")
	if m.Version() != v {
		t.Fatal("replacing the text with itself changed the version")
	}
}

func TestHandles(t *testing.T) {
	m := New(testKeys())
	for _, k := range []string{"a", " ", "enter", "left", "ctrl+w", "alt+b", "ctrl+z", "pgdown"} {
		if !m.Handles(keyOf(k)) {
			t.Errorf("Handles(%s) = false", k)
		}
	}
	for _, k := range []string{"tab", "esc", "alt+x", "ctrl+v"} {
		if m.Handles(keyOf(k)) {
			t.Errorf("Handles(%s) = true", k)
		}
	}
	// An unbound key changes nothing.
	m.SetValue("x")
	press(m, "tab", "esc", "alt+x")
	wantCursor(t, m, "x|")
}

func TestView(t *testing.T) {
	m := editor(t, 30, 5, "{\n  \"plan\": \"pro\"\n  \"seats\": 5\n}")
	m.SetMark(3)
	want := strings.Join([]string{
		"┃   1 {",
		"┃   2   \"plan\": \"pro\"",
		"✗   3   \"seats\": 5",
		"┃   4 }",
		"┃",
	}, "\n")
	if got := plainView(m); got != want {
		t.Fatalf("view:\n%s\nwant\n%s", got, want)
	}
}

func TestViewPlaceholder(t *testing.T) {
	m := editor(t, 30, 3, "")
	m.Placeholder = "{ … } or leave blank"
	want := "┃   1 { … } or leave blank\n┃\n┃"
	if got := plainView(m); got != want {
		t.Fatalf("view:\n%s\nwant\n%s", got, want)
	}
	typeText(m, "{")
	if got := plainView(m); got != "┃   1 {\n┃\n┃" {
		t.Fatalf("view after typing:\n%s", got)
	}
}

func TestSoftWrap(t *testing.T) {
	// 21 cells less a gutter of 2, numbers of 4 and the spare cell: the
	// text wraps at 14.
	m := editor(t, 21, 5, `"key": "one two three four five"`)
	want := strings.Join([]string{
		`┃   1 "key": "one`,
		`┃     two three four`,
		`┃     five"`,
		`┃`, `┃`,
	}, "\n")
	if got := plainView(m); got != want {
		t.Fatalf("view:\n%s\nwant\n%s", got, want)
	}
	// Up and down move through the wrapped rows, keeping the column.
	press(m, "home", "right", "right", "down")
	wantCursor(t, m, `"key": "one tw|o three four five"`)
	press(m, "down")
	wantCursor(t, m, `"key": "one two three four fi|ve"`)
	press(m, "up", "up")
	wantCursor(t, m, `"k|ey": "one two three four five"`)
	// The end of a row is before the space it breaks at; the start of
	// the next row is on the next row.
	press(m, "down", "end")
	wantCursor(t, m, `"key": "one two three four five"|`)
	press(m, "up")
	if m.CursorRow() != 1 {
		t.Fatalf("up from the end: cursor on row %d", m.CursorRow())
	}
	// A word longer than a row is cut where the row ends.
	m.SetValue(strings.Repeat("x", 30))
	if got := plainView(m); !strings.HasPrefix(got, "┃   1 xxxxxxxxxxxxxx\n┃     xxxxxxxxxxxxxx\n┃     xx\n") {
		t.Fatalf("view of a long word:\n%s", got)
	}
	// A row filled to the edge keeps the cursor after it in the spare
	// cell; a space after it hangs there, and the cursor goes below.
	m.SetValue(strings.Repeat("y", 14))
	if got := plainView(m); !strings.HasPrefix(got, "┃   1 yyyyyyyyyyyyyy\n┃\n") || m.CursorRow() != 0 {
		t.Fatalf("view of a full row, cursor on row %d:\n%s", m.CursorRow(), got)
	}
	typeText(m, " ")
	if m.CursorRow() != 1 {
		t.Fatalf("after a hanging space the cursor is on row %d, want 1", m.CursorRow())
	}
	assertViewFits(t, m)
}

func TestScrollKeepsTheCursorInView(t *testing.T) {
	var lines []string
	for i := 1; i <= 50; i++ {
		lines = append(lines, fmt.Sprintf("line %d", i))
	}
	m := editor(t, 30, 4, strings.Join(lines, "\n"))
	// SetValue leaves the cursor at the end: the last rows show.
	if got := plainView(m); got != "┃  47 line 47\n┃  48 line 48\n┃  49 line 49\n┃  50 line 50" {
		t.Fatalf("view at the end:\n%s", got)
	}
	if m.CursorRow() != 3 {
		t.Fatalf("CursorRow = %d", m.CursorRow())
	}
	press(m, "ctrl+home")
	if got := plainView(m); !strings.HasPrefix(got, "┃   1 line 1\n") || m.CursorRow() != 0 {
		t.Fatalf("view at the start (cursor row %d):\n%s", m.CursorRow(), got)
	}
	press(m, "pgdown")
	wantRow, _ := m.Cursor()
	if wantRow != 3 || m.CursorRow() != 3 {
		t.Fatalf("pgdown: line %d, view row %d", wantRow, m.CursorRow())
	}
	press(m, "down")
	if got := plainView(m); !strings.HasPrefix(got, "┃   2 line 2\n") {
		t.Fatalf("one line down from the bottom row scrolls one:\n%s", got)
	}
	press(m, "pgup", "pgup")
	if row, _ := m.Cursor(); row != 0 {
		t.Fatalf("pgup twice: line %d", row)
	}
	// Deleting lines at the end pulls the view down rather than leave
	// rows empty below the text.
	press(m, "ctrl+end")
	for range 3 {
		press(m, "ctrl+u", "backspace")
	}
	if got := plainView(m); got != "┃  44 line 44\n┃  45 line 45\n┃  46 line 46\n┃  47 line 47" {
		t.Fatalf("view after deleting the last lines:\n%s", got)
	}
}

func TestLineNumbersGrowPast99(t *testing.T) {
	m := editor(t, 30, 2, strings.Repeat("x\n", 100)+"end")
	if got := plainView(m); got != "┃  100 x\n┃  101 end" {
		t.Fatalf("view:\n%s", got)
	}
}

func TestUnicode(t *testing.T) {
	// é as e and a combining accent is one character for the cursor.
	m := editor(t, 30, 3, "e\u0301t\u00e9")
	press(m, "home", "right")
	wantCursor(t, m, "e\u0301|t\u00e9")
	press(m, "backspace")
	wantCursor(t, m, "|t\u00e9")
	// A bidi override is shown as its escape and is one character.
	m.SetValue("a\u202eb")
	if got := plainView(m); !strings.HasPrefix(got, `┃   1 a\u202eb`) {
		t.Fatalf("view of a bidi override:\n%q", got)
	}
	press(m, "left", "left")
	wantCursor(t, m, "a|\u202eb")
	if strings.ContainsRune(m.View(), '\u202e') {
		t.Fatal("the view holds a raw bidi override")
	}
	// Wide characters wrap whole.
	m = editor(t, 13, 3, "日本語の文字")
	if got := plainView(m); got != "┃   1 日本語\n┃     の文字\n┃" {
		t.Fatalf("wide characters:\n%s", got)
	}
}

// TestOnlyTheEditedLineIsRemeasured: a key makes a new line for the line
// it changes; every other line keeps what was measured and drawn of it.
func TestOnlyTheEditedLineIsRemeasured(t *testing.T) {
	var b strings.Builder
	for i := range 200 {
		fmt.Fprintf(&b, "  \"key_%03d\": \"%s\",\n", i, strings.Repeat("v", 60))
	}
	m := editor(t, 100, 20, b.String())
	press(m, "ctrl+home")
	for range 10 {
		press(m, "down")
	}
	m.View()
	before := append([]*line(nil), m.lines...)
	typeText(m, "x")
	m.View()
	for i, l := range m.lines {
		switch {
		case i == 10:
			if l == before[i] {
				t.Fatal("the edited line was not replaced")
			}
		case l != before[i]:
			t.Fatalf("line %d was replaced by a key on line 10", i)
		case i < 19 && l.look.rows == nil:
			t.Fatalf("line %d in view is not drawn from its cache", i)
		case i > 40 && i < 170 && (l.measured || l.wrap.width != 0):
			t.Fatalf("line %d, far out of view, was measured", i)
		}
	}
}

func TestViewSize(t *testing.T) {
	m := editor(t, 24, 7, "")
	m.SetValue(`{"a": "` + strings.Repeat("日本 word ", 20) + `"}` + "\n\n" + strings.Repeat("z", 50))
	for _, k := range []string{"ctrl+home", "down", "down", "pgdown", "end", "up", "up"} {
		press(m, k)
		assertViewFits(t, m)
	}
}

// assertViewFits checks the view has Height rows within Width cells, and
// the cursor's row in it.
func assertViewFits(t *testing.T, m *Model) {
	t.Helper()
	rows := strings.Split(m.View(), "\n")
	if len(rows) != m.Height() {
		t.Fatalf("view has %d rows, want %d:\n%s", len(rows), m.Height(), m.View())
	}
	for _, r := range rows {
		if w := ansi.StringWidth(r); w > m.Width() {
			t.Fatalf("row %q is %d cells wide, more than %d", r, w, m.Width())
		}
	}
	if r := m.CursorRow(); r < 0 || r >= m.Height() {
		t.Fatalf("cursor row %d is out of view", r)
	}
}
