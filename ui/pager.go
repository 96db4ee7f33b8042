package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// pager scrolls a page that can be taller than the screen: the Review,
// the result with a long URL, the watch's table of many connections, the
// consumer panel with its failing calls on a small terminal.
type pager struct {
	// offset is the first line shown; lines is the page's height at the
	// last fit.
	offset, lines int
}

// window is how many lines of the page the root shows when it crops it
// (one line each is kept for its "more" markers).
func (p *pager) window(st *state) int { return max(1, st.bodyHeight-2) }

// scroll moves the page to start at line to, within the page.
func (p *pager) scroll(st *state, to int) {
	p.offset = max(0, min(to, p.lines-p.window(st)))
}

// scrollable reports whether the page is taller than the screen.
func (p *pager) scrollable(st *state) bool { return p.lines > st.bodyHeight }

// measure keeps the page's height and the offset within it: a screen's
// fit, for the page as the next frame draws it.
func (p *pager) measure(st *state, page string) {
	p.lines = pageLines(page)
	p.scroll(st, p.offset)
}

// scrollKey moves the page for a scrolling key, and reports whether msg
// was one.
func (p *pager) scrollKey(msg tea.KeyMsg, st *state) bool {
	k := st.keys
	switch {
	case key.Matches(msg, k.LineUp):
		p.scroll(st, p.offset-1)
	case key.Matches(msg, k.LineDown):
		p.scroll(st, p.offset+1)
	case key.Matches(msg, k.PageUp):
		p.scroll(st, p.offset-max(1, p.window(st)-1))
	case key.Matches(msg, k.PageDown):
		p.scroll(st, p.offset+max(1, p.window(st)-1))
	case key.Matches(msg, k.Top):
		p.scroll(st, 0)
	case key.Matches(msg, k.Bottom):
		p.scroll(st, p.lines)
	default:
		return false
	}
	return true
}

// focus is the line of page the root's crop centres on, chosen so that
// the crop starts exactly at offset.
func (p *pager) focus(st *state, page string) int {
	offset := max(0, min(p.offset, pageLines(page)-p.window(st)))
	return offset + p.window(st)/2
}

// pageLines is how many lines a page has.
func pageLines(body string) int { return strings.Count(strings.TrimRight(body, "\n"), "\n") + 1 }
