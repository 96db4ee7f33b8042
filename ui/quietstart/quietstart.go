// Package quietstart keeps the program's start-up from asking the terminal
// anything. Import it, for its init alone, from package main.
//
// Bubble Tea v1's init asks the terminal for its background colour (an OSC
// 11 query, then a cursor-position report) whenever stdout is a terminal:
// a round trip for every command, and a 5 s wait on a terminal that does not
// answer, even for `vault-session --version` or a headless `create`. The
// wizard asks for the background itself, just before it takes over the
// terminal (ui.Run), so the answer at init is never needed.
//
// Go initialises packages that do not depend on each other in the order of
// their import paths, so this package's init runs before Bubble Tea's
// ("github.com/apideck-samples/..." sorts before "github.com/charmbracelet/...").
package quietstart

import "github.com/charmbracelet/lipgloss"

func init() {
	// Telling the default renderer its background answers Bubble Tea's
	// question without a query. Nothing draws with the default renderer:
	// the wizard and the preview make their own.
	lipgloss.SetHasDarkBackground(true)
}
