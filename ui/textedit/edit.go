package textedit

import (
	"slices"
	"strings"
	"unicode"
)

// Edits. Each replaces the lines it touches with new ones and leaves the
// cursor on a cluster boundary of the new text.

// cur is the cursor's line.
func (m *Model) cur() *line { return m.lines[m.row] }

// setLine replaces line i, placing the cursor after byte offset off of it.
func (m *Model) setLine(i int, text string, off int) {
	m.lines[i] = newLine(text)
	m.row = i
	m.col = m.lines[i].cellIndex(off)
}

// insert puts text at the cursor; lines in it become lines.
func (m *Model) insert(s string, kind editKind) {
	s = Clean(s)
	if s == "" {
		return
	}
	m.checkpoint(kind)
	l := m.cur()
	off := l.offset(m.col)
	head, tail := l.text[:off], l.text[off:]
	parts := strings.Split(s, "\n")
	if len(parts) == 1 {
		m.setLine(m.row, head+s+tail, off+len(s))
	} else {
		added := make([]*line, len(parts))
		added[0] = newLine(head + parts[0])
		for i := 1; i < len(parts)-1; i++ {
			added[i] = newLine(parts[i])
		}
		last := parts[len(parts)-1]
		m.lines = slices.Replace(m.lines, m.row, m.row+1, added...)
		m.setLine(m.row+len(parts)-1, last+tail, len(last))
	}
	m.goal = -1
	m.changed()
	m.edited(kind)
}

// newline splits the line at the cursor.
func (m *Model) newline() { m.insert("\n", editOther) }

// deleteRange removes clusters from to to of the cursor's line and puts
// the cursor at from.
func (m *Model) deleteRange(from, to int, kind editKind) {
	if from >= to {
		return
	}
	m.checkpoint(kind)
	l := m.cur()
	a, b := l.offset(from), l.offset(to)
	m.setLine(m.row, l.text[:a]+l.text[b:], a)
	m.goal = -1
	m.changed()
	m.edited(kind)
}

// joinBelow joins line i and the one after it; the cursor goes to the
// seam.
func (m *Model) joinBelow(i int, kind editKind) {
	if i+1 >= len(m.lines) {
		return
	}
	m.checkpoint(kind)
	upper, lower := m.lines[i].text, m.lines[i+1].text
	m.lines = slices.Delete(m.lines, i+1, i+2)
	m.setLine(i, upper+lower, len(upper))
	m.goal = -1
	m.changed()
	m.edited(kind)
}

func (m *Model) deleteBack() {
	if m.col == 0 {
		if m.row > 0 {
			m.joinAbove(editDeleteBack)
		}
		return
	}
	m.deleteRange(m.col-1, m.col, editDeleteBack)
}

func (m *Model) deleteForward() {
	if m.col == m.cur().clusters() {
		m.joinBelow(m.row, editDeleteForward)
		return
	}
	m.deleteRange(m.col, m.col+1, editDeleteForward)
}

// joinAbove joins the cursor's line to the one above.
func (m *Model) joinAbove(kind editKind) {
	if m.row == 0 {
		return
	}
	m.checkpoint(kind)
	upper, lower := m.lines[m.row-1].text, m.cur().text
	m.lines = slices.Delete(m.lines, m.row, m.row+1)
	m.setLine(m.row-1, upper+lower, len(upper))
	m.goal = -1
	m.changed()
	m.edited(kind)
}

// deleteWordBack deletes the spaces before the cursor and the word before
// them; at the start of a line it joins the line to the one above.
func (m *Model) deleteWordBack() {
	if m.col == 0 {
		m.joinAbove(editOther)
		return
	}
	l, from := m.cur(), m.col
	for from > 0 && l.isSpace(from-1) {
		from--
	}
	for from > 0 && !l.isSpace(from-1) {
		from--
	}
	m.deleteRange(from, m.col, editOther)
}

// deleteWordForward deletes the spaces after the cursor and the word
// after them; at the end of a line it joins the next line.
func (m *Model) deleteWordForward() {
	l := m.cur()
	if m.col == l.clusters() {
		m.joinBelow(m.row, editOther)
		return
	}
	to := m.col
	for to < l.clusters() && l.isSpace(to) {
		to++
	}
	for to < l.clusters() && !l.isSpace(to) {
		to++
	}
	m.deleteRange(m.col, to, editOther)
}

// deleteToEnd deletes the rest of the line, or joins the next line when
// there is no rest.
func (m *Model) deleteToEnd() {
	if n := m.cur().clusters(); m.col < n {
		m.deleteRange(m.col, n, editOther)
		return
	}
	m.joinBelow(m.row, editOther)
}

// deleteToStart deletes the line before the cursor, or joins the line to
// the one above at its start.
func (m *Model) deleteToStart() {
	if m.col > 0 {
		m.deleteRange(0, m.col, editOther)
		return
	}
	m.joinAbove(editOther)
}

// transpose swaps the characters before and at the cursor (before the
// cursor and the one before it, at the end of a line) and moves on.
func (m *Model) transpose() {
	l := m.cur()
	n := l.clusters()
	if m.col == 0 || n < 2 {
		return
	}
	at := min(m.col, n-1)
	a, b, c := l.offset(at-1), l.offset(at), l.offset(at+1)
	text := l.text[:a] + l.text[b:c] + l.text[a:b] + l.text[c:]
	m.checkpoint(editOther)
	m.setLine(m.row, text, c)
	m.goal = -1
	m.changed()
	m.edited(editOther)
}

// changeWord applies change to the next word (after any spaces and line
// ends) and puts the cursor after it.
func (m *Model) changeWord(change func(word string) string) {
	m.skipSpacesForward()
	l := m.cur()
	end := m.col
	for end < l.clusters() && !l.isSpace(end) {
		end++
	}
	if end == m.col {
		return
	}
	a, b := l.offset(m.col), l.offset(end)
	word := change(l.text[a:b])
	if word == l.text[a:b] {
		m.col = end
		return
	}
	m.checkpoint(editOther)
	m.setLine(m.row, l.text[:a]+word+l.text[b:], a+len(word))
	m.goal = -1
	m.changed()
	m.edited(editOther)
}

func capitalize(word string) string {
	for i, r := range word {
		return string(unicode.ToTitle(r)) + word[i+len(string(r)):]
	}
	return word
}

// Moves.

func (m *Model) left() {
	switch {
	case m.col > 0:
		m.col--
	case m.row > 0:
		m.row--
		m.col = m.cur().clusters()
	}
}

func (m *Model) right() {
	switch {
	case m.col < m.cur().clusters():
		m.col++
	case m.row < len(m.lines)-1:
		m.row++
		m.col = 0
	}
}

// skipSpacesForward moves over spaces and line ends.
func (m *Model) skipSpacesForward() {
	for {
		l := m.cur()
		switch {
		case m.col == l.clusters():
			if m.row == len(m.lines)-1 {
				return
			}
			m.row, m.col = m.row+1, 0
		case l.isSpace(m.col):
			m.col++
		default:
			return
		}
	}
}

// wordRight moves to the end of the next word.
func (m *Model) wordRight() {
	m.skipSpacesForward()
	l := m.cur()
	for m.col < l.clusters() && !l.isSpace(m.col) {
		m.col++
	}
}

// wordLeft moves to the start of the word before the cursor.
func (m *Model) wordLeft() {
	for {
		if m.col == 0 {
			if m.row == 0 {
				return
			}
			m.row--
			m.col = m.cur().clusters()
			continue
		}
		if !m.cur().isSpace(m.col - 1) {
			break
		}
		m.col--
	}
	l := m.cur()
	for m.col > 0 && !l.isSpace(m.col-1) {
		m.col--
	}
}

func (m *Model) moveToEnd() {
	m.row = len(m.lines) - 1
	m.col = m.cur().clusters()
}

// vertical moves the cursor n rows down (up when n < 0), through wrapped
// rows, keeping the column it had when the run of vertical moves began.
func (m *Model) vertical(n int) {
	rows := m.rowsOf(m.row)
	r := rowOf(rows, m.col)
	if m.goal < 0 {
		m.goal = m.cur().span(int(rows[r]), m.col)
	}
	// Past the first or last row, the cursor stops there.
	p, ok := position{m.row, r}, true
	for ; n > 0 && ok; n-- {
		p, ok = m.next(p)
	}
	for ; n < 0 && ok; n++ {
		p, ok = m.prev(p)
	}
	m.row = p.line
	l, rows := m.cur(), m.rowsOf(p.line)
	col, end, used := int(rows[p.row]), l.rowEnd(rows, p.row), 0
	for col < end && used+l.cell(col) <= m.goal {
		used += l.cell(col)
		col++
	}
	m.col = col
}
