package ui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

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
