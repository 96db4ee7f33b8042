package textedit

import (
	"sort"
	"unicode/utf8"

	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/charmbracelet/x/ansi"
)

// line is one line of the text. Its text never changes once made: an edit
// makes a new line, so what was measured about a line stays true, and the
// undo history can share lines with the text.
//
// The cursor counts in grapheme clusters (what a reader sees as one
// character: "é" made of two runes, a flag of two), so a line is measured
// once into clusters and their widths, and wrapped once per width.
type line struct {
	text string

	measured bool
	// ascii is set when every byte is a printable ASCII character: each
	// cluster is then one byte and one cell, and offs and cells stay nil.
	ascii bool
	n     int      // number of clusters
	offs  []int32  // byte offset where each cluster starts, and len(text) last
	cells []uint8  // each cluster's width in cells, as lipgloss measures it
	shown []string // what a cluster is drawn as when it is not itself (a bidi control); nil when none is

	wrap wrapping
	look rendering
}

// wrapping is where a line's rows start at one width.
type wrapping struct {
	width int     // the width it was made for; 0 when not made
	rows  []int32 // the cluster that starts each row; rows[0] is 0
}

// rendering is a line drawn, when it is not the cursor's line: drawing is
// most of a frame's cost, and a key changes one line.
type rendering struct {
	key  renderKey
	rows []string
}

type renderKey struct {
	width, numberWidth, number, generation int
	marked                                 bool
}

func newLine(text string) *line { return &line{text: text} }

// measure splits the line into clusters once.
func (l *line) measure() {
	if l.measured {
		return
	}
	l.measured = true
	l.ascii = true
	for i := 0; i < len(l.text); i++ {
		if b := l.text[i]; b < 0x20 || b >= 0x7f {
			l.ascii = false
			break
		}
	}
	if l.ascii {
		l.n = len(l.text)
		return
	}
	for i := 0; i < len(l.text); {
		cluster, width := ansi.FirstGraphemeCluster(l.text[i:], ansi.GraphemeWidth)
		if cluster == "" {
			// Not reached for valid text; one byte at a time rather than
			// no progress.
			_, size := utf8.DecodeRuneInString(l.text[i:])
			cluster = l.text[i : i+size]
		}
		if !termtext.IsSafe(cluster) {
			// A character the terminal would obey rather than show (a bidi
			// override) is drawn as its escape, which the cursor steps
			// over as one character.
			if l.shown == nil {
				l.shown = make([]string, l.n)
			}
			shown := termtext.Line(cluster)
			l.shown = append(l.shown, shown)
			width = ansi.StringWidth(shown)
		} else if l.shown != nil {
			l.shown = append(l.shown, "")
		}
		l.offs = append(l.offs, int32(i))
		l.cells = append(l.cells, uint8(min(width, 255)))
		l.n++
		i += len(cluster)
	}
	l.offs = append(l.offs, int32(len(l.text)))
}

// clusters is the number of clusters: the cursor's columns are 0 to it.
func (l *line) clusters() int {
	l.measure()
	return l.n
}

// offset is the byte offset of cluster i (len(text) for i == n).
func (l *line) offset(i int) int {
	l.measure()
	if l.ascii {
		return i
	}
	return int(l.offs[i])
}

// cell is the width of cluster i.
func (l *line) cell(i int) int {
	if l.ascii {
		return 1
	}
	return int(l.cells[i])
}

// span is the width of clusters from to to.
func (l *line) span(from, to int) int {
	l.measure()
	if l.ascii {
		return to - from
	}
	w := 0
	for i := from; i < to; i++ {
		w += int(l.cells[i])
	}
	return w
}

// cluster returns the text of cluster i as drawn.
func (l *line) cluster(i int) string {
	if l.shown != nil && l.shown[i] != "" {
		return l.shown[i]
	}
	return l.text[l.offset(i):l.offset(i+1)]
}

// isSpace reports whether cluster i is a space, where rows may break.
func (l *line) isSpace(i int) bool {
	o := l.offset(i)
	return l.text[o] == ' ' && l.offset(i+1) == o+1
}

// drawn returns clusters from to to as drawn.
func (l *line) drawn(from, to int) string {
	if l.shown == nil {
		return l.text[l.offset(from):l.offset(to)]
	}
	var s []byte
	for i := from; i < to; i++ {
		s = append(s, l.cluster(i)...)
	}
	return string(s)
}

// cellIndex is the cluster at or after byte offset off.
func (l *line) cellIndex(off int) int {
	l.measure()
	if l.ascii {
		return min(off, l.n)
	}
	return sort.Search(l.n, func(i int) bool { return int(l.offs[i]) >= off })
}

// rows returns where the line's rows start when wrapped at width cells,
// breaking after a space where a row has one. The editor keeps one cell
// more than width on each row: a space where a row breaks hangs in it, and
// the cursor after a full last row sits in it. A last row that ends with
// a hanging space gets an empty row more, for the cursor after it.
func (l *line) rows(width int) []int32 {
	if l.wrap.width == width {
		return l.wrap.rows
	}
	l.measure()
	rows := make([]int32, 1, 1+l.n/max(1, width))
	start, used, lastSpace := 0, 0, -1
	for i := 0; i < l.n; {
		w := l.cell(i)
		if used+w <= width || i == start {
			used += w
			if l.isSpace(i) {
				lastSpace = i
			}
			i++
			continue
		}
		// Cluster i does not fit: the row ends. A space hangs at its end;
		// a word that started on it goes down whole, unless the row has
		// no space to break at.
		brk := i
		switch {
		case l.isSpace(i):
			brk = i + 1
		case lastSpace >= start:
			brk = lastSpace + 1
		}
		rows = append(rows, int32(brk))
		start, used, lastSpace = brk, l.span(brk, max(brk, i)), -1
		i = max(i, brk)
	}
	if used > width {
		rows = append(rows, int32(l.n))
	}
	l.wrap = wrapping{width: width, rows: rows}
	return rows
}

// rowOf is the row of rows that holds cursor column col.
func rowOf(rows []int32, col int) int {
	return sort.Search(len(rows), func(i int) bool { return int(rows[i]) > col }) - 1
}

// rowEnd is the last column the cursor can take on row r: the start of
// the next row belongs to that row.
func (l *line) rowEnd(rows []int32, r int) int {
	if r+1 < len(rows) {
		return int(rows[r+1]) - 1
	}
	return l.clusters()
}
