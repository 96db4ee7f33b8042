package ui

import (
	"strings"
	"unicode/utf8"

	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/apideck-samples/vault-session/ui/wordwrap"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// wrapText renders text in style, wrapped to width cells by the one rule
// (ui/wordwrap: at spaces, never inside a flag or a backquoted command;
// only a word wider than the line is broken), so no line needs cutting.
func wrapText(style lipgloss.Style, text string, width int) string {
	return style.Render(wordwrap.Wrap(text, max(10, width), ""))
}

// wrapIn renders text in style, whose Width is set, wrapped by the one rule
// first: lipgloss's own wrap breaks after any hyphen, but it leaves lines
// that fit as they are.
func wrapIn(style lipgloss.Style, text string) string {
	return style.Render(wordwrap.Wrap(text, max(1, style.GetWidth()-style.GetHorizontalPadding()), ""))
}

// truncateANSI shortens a styled line to width cells, keeping its styles.
func truncateANSI(s string, width int) string { return ansi.Truncate(s, width, "…") }

// truncateLines applies truncateANSI to every line of s.
func truncateLines(s string, width int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if lipgloss.Width(l) > width {
			lines[i] = truncateANSI(l, width)
		}
	}
	return strings.Join(lines, "\n")
}

// indent puts n spaces before every line.
func indent(s string, n int) string {
	pad := strings.Repeat(" ", n)
	return pad + strings.ReplaceAll(s, "\n", "\n"+pad)
}

// fitColumn makes every line of s exactly width cells: longer ones are cut,
// shorter ones padded, so blocks can sit side by side.
func fitColumn(s string, width int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if w := lipgloss.Width(l); w > width {
			lines[i] = truncateANSI(l, width)
		} else {
			lines[i] = l + strings.Repeat(" ", width-w)
		}
	}
	return strings.Join(lines, "\n")
}

// editorView makes a bubbles input's rendering safe to print. The inputs
// drop C0 and C1 controls and invalid UTF-8 from what they are given, but
// keep bidi overrides (U+202E), which would make the line read backwards:
// those are shown through termtext. The rendering holds the input's own
// styles, so only characters from U+0080 on are looked at; no escape
// sequence of a style is among them.
func editorView(view string) string {
	if termtext.IsSafe(view) {
		return view
	}
	var b strings.Builder
	b.Grow(len(view) + 16)
	for i := 0; i < len(view); {
		r, size := utf8.DecodeRuneInString(view[i:])
		if r >= 0x80 && !termtext.IsSafe(view[i:i+size]) {
			b.WriteString(termtext.Line(view[i : i+size]))
		} else {
			b.WriteString(view[i : i+size])
		}
		i += size
	}
	return b.String()
}
