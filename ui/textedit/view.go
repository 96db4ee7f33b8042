package textedit

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// View draws the editor: Height rows, none wider than Width. Only the
// rows in view are drawn, and of those, the lines other than the cursor's
// come from their cache when they were drawn before the same way.
func (m *Model) View() string {
	m.ensureVisible()
	tw, nw := m.textWidth(), m.numberWidth()
	var b strings.Builder
	if m.Empty() && m.Placeholder != "" {
		m.placeholderView(&b, tw, nw)
		return b.String()
	}
	p, ok := m.top, true
	for shown := 0; shown < m.height; shown++ {
		if shown > 0 {
			b.WriteByte('\n')
		}
		if !ok {
			b.WriteString(m.eob)
			continue
		}
		if p.line == m.row {
			b.WriteString(m.drawCursorRow(p, tw, nw))
		} else {
			b.WriteString(m.drawRow(p, tw, nw))
		}
		p, ok = m.next(p)
	}
	return b.String()
}

func render(s lipgloss.Style, text string) string {
	if text == "" {
		return ""
	}
	return s.Render(text)
}

// gutter is the prompt and the line number (or its blank) of row p.
func (m *Model) gutter(p position, nw int, numbers lipgloss.Style) string {
	if p.row > 0 {
		return m.prompt + strings.Repeat(" ", nw)
	}
	prompt := m.prompt
	if m.mark == p.line+1 {
		prompt = m.markPrompt
	}
	n := strconv.Itoa(p.line + 1)
	return prompt + render(numbers, strings.Repeat(" ", nw-1-len(n))+n+" ")
}

// rowSpan is the clusters of row r of line l.
func rowSpan(l *line, rows []int32, r int) (from, to int) {
	from, to = int(rows[r]), l.clusters()
	if r+1 < len(rows) {
		to = int(rows[r+1])
	}
	return from, to
}

// drawRow draws a row of a line the cursor is not on, from the line's
// cache when it was drawn the same way before.
func (m *Model) drawRow(p position, tw, nw int) string {
	l := m.lines[p.line]
	rows := l.rows(tw)
	k := renderKey{width: tw, numberWidth: nw, number: p.line + 1, generation: m.generation, marked: m.mark == p.line+1}
	if l.look.key != k || len(l.look.rows) != len(rows) {
		l.look = rendering{key: k, rows: make([]string, len(rows))}
	}
	if s := l.look.rows[p.row]; s != "" {
		return s
	}
	from, to := rowSpan(l, rows, p.row)
	s := m.gutter(p, nw, m.styles.LineNumber) + render(m.styles.Text, l.drawn(from, to))
	l.look.rows[p.row] = s
	return s
}

// drawCursorRow draws a row of the cursor's line, the cursor on it if it
// is on that row. It is drawn afresh: it is the line that changes.
func (m *Model) drawCursorRow(p position, tw, nw int) string {
	l := m.lines[p.line]
	rows := l.rows(tw)
	from, to := rowSpan(l, rows, p.row)
	g := m.gutter(p, nw, m.styles.CursorLineNumber)
	if rowOf(rows, m.col) != p.row {
		return g + render(m.styles.CursorLine, l.drawn(from, to))
	}
	at := " "
	if m.col < to {
		at = l.cluster(m.col)
	}
	after := ""
	if m.col < to {
		after = l.drawn(m.col+1, to)
	}
	return g + render(m.styles.CursorLine, l.drawn(from, m.col)) +
		render(m.styles.Cursor, at) + render(m.styles.CursorLine, after)
}

// placeholderView draws the empty editor: the placeholder on the first
// row, its first character under the cursor.
func (m *Model) placeholderView(b *strings.Builder, tw, nw int) {
	text := ansi.Truncate(m.Placeholder, tw, "…")
	first, _ := ansi.FirstGraphemeCluster(text, ansi.GraphemeWidth)
	b.WriteString(m.gutter(position{}, nw, m.styles.CursorLineNumber))
	b.WriteString(render(m.styles.Cursor, first))
	b.WriteString(render(m.styles.Placeholder, text[len(first):]))
	for i := 1; i < m.height; i++ {
		b.WriteString("\n" + m.eob)
	}
}
