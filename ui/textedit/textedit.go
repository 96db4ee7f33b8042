// Package textedit is a multi-line text editor for Bubble Tea, made for
// the wizard's JSON field: line numbers, soft-wrapped long lines, a gutter
// mark on one line (where the JSON is wrong), undo, and a cost per key that
// does not grow with the text.
//
// The text is a list of lines that never change once made; an edit
// replaces the lines it touches. Each line keeps what was measured about it
// (its characters' widths, where it wraps, how it was last drawn), so a key
// re-measures only the line it changed, and a frame draws only the rows in
// view. bubbles' textarea re-wraps every line on every key and every frame.
package textedit

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// Styles draw the editor. Build them once; SetStyles takes them.
type Styles struct {
	Text             lipgloss.Style // lines other than the cursor's
	CursorLine       lipgloss.Style // the cursor's line
	Cursor           lipgloss.Style // the cell under the cursor
	LineNumber       lipgloss.Style
	CursorLineNumber lipgloss.Style
	Prompt           lipgloss.Style // the gutter before each row
	Mark             lipgloss.Style // the gutter of the marked line
	Placeholder      lipgloss.Style
}

// Model is the editor. Use it through a pointer: it keeps caches.
type Model struct {
	keys   KeyMap
	styles Styles

	// Placeholder is shown, dimmed, while the text is empty.
	Placeholder string
	// ReadClipboard reads the system clipboard for the Paste key; nil
	// leaves the key unbound. It runs in a command, never in Update.
	ReadClipboard func() (string, error)

	lines    []*line
	row, col int // the cursor: a line, and a cluster in it (0 to its length)
	// goal is the column up and down keep while they move through
	// shorter rows; -1 when the last move was not up or down.
	goal int

	width, height int      // the whole editor, gutter included
	top           position // the first row in view
	mark          int      // the 1-based line drawn with MarkPrompt; 0 for none
	// promptText starts every row of the gutter; markText replaces it
	// on the first row of the marked line.
	promptText, markText string
	// generation changes when the styles or the gutter do: every line
	// drawn before is stale.
	generation int
	// The gutter styled, as of gutterGeneration.
	prompt, markPrompt, eob string
	promptWidth             int
	gutterGeneration        int

	version      uint64 // changes with every change to the text
	value        string // the text, joined, as of valueVersion
	valueVersion uint64

	undo, redo []snapshot
	// lastEdit and where it left the cursor: typing that goes on from
	// there is one undo step.
	lastEdit         editKind
	lastRow, lastCol int
}

// position is a row on screen: a line and a row of its wrapping.
type position struct{ line, row int }

// New returns an empty editor answering keys.
func New(keys KeyMap) *Model {
	m := &Model{keys: keys, lines: []*line{newLine("")}, goal: -1, width: 40, height: 6,
		promptText: "│ ", markText: "✗ ", generation: 1}
	m.version = 1
	return m
}

// SetStyles sets how the editor is drawn.
func (m *Model) SetStyles(s Styles) {
	m.styles = s
	m.generation++
}

// SetGutter sets the text before every row, and the one before the
// marked line (see SetMark). The wider sets the gutter's width.
func (m *Model) SetGutter(prompt, mark string) {
	m.promptText, m.markText = prompt, mark
	m.generation++
}

// SetSize sets the editor's size in cells, gutter included.
func (m *Model) SetSize(width, height int) {
	width, height = max(1, width), max(1, height)
	if width != m.width || height != m.height {
		m.width, m.height = width, height
		m.ensureVisible()
	}
}

// Width and Height are the editor's size, gutter included.
func (m *Model) Width() int  { return m.width }
func (m *Model) Height() int { return m.height }

// SetMark draws the gutter of line (1-based) with MarkPrompt; 0 marks
// none.
func (m *Model) SetMark(line int) { m.mark = line }

// LineCount is the number of lines of the text.
func (m *Model) LineCount() int { return len(m.lines) }

// Cursor returns the cursor's line (0-based) and its column in characters
// (grapheme clusters).
func (m *Model) Cursor() (line, col int) { return m.row, m.col }

// SetCursor moves the cursor, within the text.
func (m *Model) SetCursor(line, col int) {
	m.row = max(0, min(line, len(m.lines)-1))
	m.col = max(0, min(col, m.lines[m.row].clusters()))
	m.goal = -1
	m.lastEdit = editNone
}

// Version changes whenever the text does, so a caller learns of a change
// without comparing texts.
func (m *Model) Version() uint64 { return m.version }

// Value returns the text, lines joined by "\n".
func (m *Model) Value() string {
	if m.valueVersion != m.version {
		n := len(m.lines) - 1
		for _, l := range m.lines {
			n += len(l.text)
		}
		var b strings.Builder
		b.Grow(n)
		for i, l := range m.lines {
			if i > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(l.text)
		}
		m.value, m.valueVersion = b.String(), m.version
	}
	return m.value
}

// Empty reports whether there is no text.
func (m *Model) Empty() bool { return len(m.lines) == 1 && m.lines[0].text == "" }

// SetValue replaces the text, forgetting the undo history, and puts the
// cursor at its end. The text is cleaned as typed text is (see Clean).
func (m *Model) SetValue(s string) {
	m.lines = splitLines(Clean(s))
	m.undo, m.redo = nil, nil
	m.lastEdit = editNone
	m.moveToEnd()
	m.top = position{}
	m.changed()
}

// Replace replaces the whole text as one edit that undo takes back (a
// reformat, the text back from an external editor). The cursor stays on
// its line where it can.
func (m *Model) Replace(s string) {
	s = Clean(s)
	if s == m.Value() {
		return
	}
	m.checkpoint(editOther)
	m.lines = splitLines(s)
	m.row = min(m.row, len(m.lines)-1)
	m.col = min(m.col, m.lines[m.row].clusters())
	m.changed()
	m.edited(editOther)
}

// InsertText inserts text at the cursor, as a paste does.
func (m *Model) InsertText(s string) { m.insert(s, editOther) }

// Clean makes text fit to edit: line ends become "\n", a tab four spaces,
// and other control characters and invalid UTF-8 are dropped, as bubbles'
// inputs do. Bidi controls stay, drawn as escapes.
func Clean(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if b := s[i]; (b < 0x20 && b != '\n') || b == 0x7f || b >= 0x80 {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
		case r == '\r':
			if !strings.HasPrefix(s[i+size:], "\n") {
				b.WriteByte('\n')
			}
		case r == '\n':
			b.WriteByte('\n')
		case r == '\t':
			b.WriteString("    ")
		case unicode.IsControl(r):
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func splitLines(s string) []*line {
	parts := strings.Split(s, "\n")
	lines := make([]*line, len(parts))
	for i, p := range parts {
		lines[i] = newLine(p)
	}
	return lines
}

// changed records a change of the text.
func (m *Model) changed() {
	m.version++
	m.ensureVisible()
}

// Undo history.

// editKind says what an edit was, so runs of typing undo together.
type editKind int

const (
	editNone editKind = iota
	editOther
	editTyping
	editDeleteBack
	editDeleteForward
)

// maxUndo bounds the history: a snapshot shares its lines with the text,
// so it costs a slice of pointers and the lines edited since.
const maxUndo = 100

type snapshot struct {
	lines    []*line
	row, col int
}

// checkpoint keeps the text before an edit of kind, unless the edit goes
// on with the one before (typing on from where the last typing left).
func (m *Model) checkpoint(kind editKind) {
	if kind != editOther && kind == m.lastEdit && m.row == m.lastRow && m.col == m.lastCol {
		return
	}
	if len(m.undo) == maxUndo {
		m.undo = slices.Delete(m.undo, 0, 1)
	}
	m.undo = append(m.undo, snapshot{lines: slices.Clone(m.lines), row: m.row, col: m.col})
	m.redo = m.redo[:0]
}

// edited notes where an edit left the cursor.
func (m *Model) edited(kind editKind) {
	m.lastEdit, m.lastRow, m.lastCol = kind, m.row, m.col
}

// Undo takes back the last edit; Redo does it again.
func (m *Model) Undo() bool { return m.restore(&m.undo, &m.redo) }
func (m *Model) Redo() bool { return m.restore(&m.redo, &m.undo) }

func (m *Model) restore(from, to *[]snapshot) bool {
	if len(*from) == 0 {
		return false
	}
	s := (*from)[len(*from)-1]
	*from = (*from)[:len(*from)-1]
	*to = append(*to, snapshot{lines: slices.Clone(m.lines), row: m.row, col: m.col})
	m.lines, m.row, m.col = s.lines, s.row, s.col
	m.goal, m.lastEdit = -1, editNone
	m.changed()
	return true
}

// Layout.

// numberWidth is the width of the line numbers with a space each side:
// two digits at least, as many as the last line needs.
func (m *Model) numberWidth() int {
	return max(2, len(strconv.Itoa(len(m.lines)))) + 2
}

// textWidth is the width the text wraps at: the editor less its gutter,
// and less the cell kept for a hanging space or the cursor.
func (m *Model) textWidth() int {
	m.makeGutter()
	return max(1, m.width-m.promptWidth-m.numberWidth()-1)
}

// makeGutter styles the prompts once per generation.
func (m *Model) makeGutter() {
	if m.gutterGeneration == m.generation {
		return
	}
	m.gutterGeneration = m.generation
	m.promptWidth = max(ansi.StringWidth(m.promptText), ansi.StringWidth(m.markText))
	pad := func(s string) string { return s + strings.Repeat(" ", m.promptWidth-ansi.StringWidth(s)) }
	m.prompt = render(m.styles.Prompt, pad(m.promptText))
	m.markPrompt = render(m.styles.Mark, pad(m.markText))
	m.eob = render(m.styles.Prompt, strings.TrimRight(m.promptText, " "))
}

func (m *Model) rowsOf(i int) []int32 { return m.lines[i].rows(m.textWidth()) }

func (m *Model) cursorPos() position {
	return position{m.row, rowOf(m.rowsOf(m.row), m.col)}
}

func before(a, b position) bool {
	return a.line < b.line || (a.line == b.line && a.row < b.row)
}

// next is the row after p, if there is one.
func (m *Model) next(p position) (position, bool) {
	if p.row+1 < len(m.rowsOf(p.line)) {
		return position{p.line, p.row + 1}, true
	}
	if p.line+1 < len(m.lines) {
		return position{p.line + 1, 0}, true
	}
	return p, false
}

// prev is the row before p, if there is one.
func (m *Model) prev(p position) (position, bool) {
	if p.row > 0 {
		return position{p.line, p.row - 1}, true
	}
	if p.line > 0 {
		return position{p.line - 1, len(m.rowsOf(p.line-1)) - 1}, true
	}
	return p, false
}

// ensureVisible scrolls so the cursor's row is in view, and so the view
// is full when the text is long enough to fill it. It walks at most a
// screen of rows.
func (m *Model) ensureVisible() {
	m.top.line = max(0, min(m.top.line, len(m.lines)-1))
	m.top.row = max(0, min(m.top.row, len(m.rowsOf(m.top.line))-1))
	c := m.cursorPos()
	if before(c, m.top) {
		m.top = c
	} else {
		p := m.top
		for i := 0; i < m.height-1 && p != c; i++ {
			p, _ = m.next(p)
		}
		if p != c {
			m.top = c
			for i := 0; i < m.height-1; i++ {
				m.top, _ = m.prev(m.top)
			}
		}
	}
	// Rows left empty at the bottom while there are rows above: show them.
	p, shown := m.top, 1
	for ; shown < m.height; shown++ {
		var ok bool
		if p, ok = m.next(p); !ok {
			break
		}
	}
	for ; shown < m.height; shown++ {
		var ok bool
		if m.top, ok = m.prev(m.top); !ok {
			break
		}
	}
}

// CursorRow is the row of the view that holds the cursor.
func (m *Model) CursorRow() int {
	m.ensureVisible()
	c, p := m.cursorPos(), m.top
	n := 0
	for p != c && n < m.height {
		p, _ = m.next(p)
		n++
	}
	return n
}
