package ui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/apideck-samples/vault-session/theme"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
)

// The smallest terminal the wizard draws in; below it, it says so.
const (
	minWidth  = 40
	minHeight = 12
)

// screenSize is the size the wizard draws for. Before the first
// WindowSizeMsg it is a common size rather than nothing, so the first
// frame is immediate.
func (w *wizard) screenSize() (width, height int) {
	width, height = w.st.width, w.st.height
	if width == 0 {
		width = 80
	}
	if height == 0 {
		height = 24
	}
	return width, height
}

// tooSmall reports whether the screen shows "Terminal too small" instead
// of the wizard.
func (w *wizard) tooSmall() bool {
	width, height := w.screenSize()
	return width < minWidth || height < minHeight
}

// View draws the frame: header, the body of the step or screen in front,
// footer. It changes nothing; Update has laid everything out (fit).
func (w *wizard) View() string {
	defer w.catchPanic()
	width, height := w.screenSize()
	if width < minWidth || height < minHeight {
		return tooSmall(w.st.styles, width, height)
	}
	header, footer, note, bodyHeight := w.frame(width, height)
	var body string
	focus := 0
	if w.screen != nil {
		body, focus = w.screen.view(&w.st, width)
	} else {
		body, focus = w.steps[w.current].view(&w.st, width)
	}
	body = note + crop(w.st.styles, body, focus, width, bodyHeight)
	return header + "\n" + body + "\n" + footer
}

// frame is the header, the footer and the API note above a step for the
// screen as it stands, and the lines left for the body between them.
func (w *wizard) frame(width, height int) (header, footer, note string, bodyHeight int) {
	header = w.header(width)
	footer = w.footer(width, height)
	bodyHeight = height - lipgloss.Height(header) - lipgloss.Height(footer)
	// An API error shown on a step stands above its body, with a blank line.
	if w.screen == nil && w.st.apiNote != "" {
		note = wrapIn(w.st.styles.ErrorBox.Width(min(width-2, 96)), w.st.apiNote) + "\n\n"
		if lipgloss.Height(note) > bodyHeight/2 {
			// A short screen: one line of the note, so the step still shows.
			note = w.st.styles.Error.Render(truncate("✗ "+w.st.apiNote, width)) + "\n"
		}
		bodyHeight -= lipgloss.Height(note) - 1
	}
	return header, footer, note, bodyHeight
}

// fitter is a step or screen whose widgets, scroll or caches depend on
// the room it gets: the root fits it after every Update, so that View
// only draws what is there.
type fitter interface {
	fit(st *state, width int)
}

// fit lays the screen out for what the last Update left: the body's
// height, which steps that lay out for the screen (lists, the editor, the
// preview) read from the state, then the step or screen in front.
func (w *wizard) fit() {
	width, height := w.screenSize()
	_, _, _, w.st.bodyHeight = w.frame(width, height)
	var front any = w.steps[w.current]
	if w.screen != nil {
		front = w.screen
	}
	if f, ok := front.(fitter); ok {
		f.fit(&w.st, width)
		// What the fit found can change the keys the footer offers (a
		// page that now scrolls), and so the room left for the body.
		if _, _, _, h := w.frame(width, height); h != w.st.bodyHeight {
			w.st.bodyHeight = h
			f.fit(&w.st, width)
		}
	}
}

// header is the app name, the step and the progress, and a demo badge.
func (w *wizard) header(width int) string {
	s := w.st.styles
	name := fmt.Sprintf("%d/%d %s", w.current+1, len(w.steps), w.steps[w.current].title())
	allDone := false
	if w.screen != nil {
		name, allDone = w.screen.title(), w.screen.afterSteps()
	}
	dots := ""
	for i := range w.steps {
		if i <= w.current || allDone {
			dots += s.StepDone.Render("●")
		} else {
			dots += s.StepTodo.Render("○")
		}
	}
	left := s.AppName.Render("vault-session") + "  " + s.StepName.Render(name)
	right := dots
	if w.st.demo() {
		right = s.DemoBadge.Render("DEMO API") + " " + dots
	}
	gap := width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 && w.st.demo() {
		// Narrow: the progress dots go first; the demo warning stays.
		right = s.DemoBadge.Render("DEMO")
		left = s.StepName.Render(name)
		gap = width - lipgloss.Width(left) - lipgloss.Width(right)
	}
	if gap < 1 {
		return truncateANSI(left, width) + "\n"
	}
	return left + strings.Repeat(" ", gap) + right + "\n"
}

// footer is the count of problems, if any, and the help line, on as many
// lines as it takes (a few at most): a key is never cut in half.
func (w *wizard) footer(width, height int) string {
	s := w.st.styles
	var lines []string
	if n := len(w.st.errs); n > 0 && w.screen == nil {
		word := "field needs"
		if n > 1 {
			word = "fields need"
		}
		lines = append(lines, s.Error.Render(fmt.Sprintf("✗ %d %s attention", n, word)))
	} else {
		lines = append(lines, "")
	}
	if w.fullHelp {
		lines = append(lines, w.fullHelpView(width))
	} else {
		// A small screen keeps its room for the step: one line at the
		// smallest, more as it grows. A screen that is not a step has no
		// full help to look the rest up in: its keys may take up to a
		// quarter of the screen, all of them from 60x20 up.
		bindings, most := w.bindings(), max(1, (height-6)/6)
		if w.screen != nil {
			most = max(most, height/4)
		}
		lines = append(lines, w.helpLines(bindings, width, most)...)
	}
	return truncateLines(strings.Join(lines, "\n"), width)
}

// helpLines lays the help line out on lines of width, breaking between
// keys, in at most most lines; only when even those are too few does the
// last end with "…".
func (w *wizard) helpLines(bindings []key.Binding, width, most int) []string {
	h := w.help
	h.Width = 0
	// A line is as wide as its keys and the separators between them, as
	// bubbles/help counts it, so each key is measured once; drawing the
	// line again for every key it takes cost a frame some fifty keys.
	sep := lipgloss.Width(h.Styles.ShortSeparator.Inline(true).Render(h.ShortSeparator))
	var lines []string
	var line []key.Binding
	lineWidth := 0
	for i, b := range bindings {
		if !b.Enabled() {
			continue
		}
		bw := lipgloss.Width(h.ShortHelpView([]key.Binding{b}))
		if len(line) == 0 || lineWidth+sep+bw <= width {
			if len(line) > 0 {
				lineWidth += sep
			}
			line, lineWidth = append(line, b), lineWidth+bw
			continue
		}
		if len(lines) == most-1 {
			// The last line there is room for: the rest, cut.
			h.Width = width
			return append(lines, h.ShortHelpView(append(line, bindings[i:]...)))
		}
		lines = append(lines, h.ShortHelpView(line))
		line, lineWidth = []key.Binding{b}, bw
	}
	return append(lines, h.ShortHelpView(line))
}

// fullHelpView is the full help: its columns side by side, or one under
// the other when they do not fit, so no column is left out.
func (w *wizard) fullHelpView(width int) string {
	h := w.help
	h.Width = 0
	groups := w.fullBindings()
	if view := h.FullHelpView(groups); lipgloss.Width(view) <= width {
		return view
	}
	views := make([]string, len(groups))
	for i, g := range groups {
		views[i] = h.FullHelpView([][]key.Binding{g})
	}
	return strings.Join(views, "\n")
}

// bindings are the keys that apply right now.
func (w *wizard) bindings() []key.Binding {
	if w.screen != nil {
		return w.screen.bindings(&w.st)
	}
	// Help comes right after the step's own keys, so a narrow screen cuts
	// "back" and "quit" (known everywhere) before it.
	out := append(stepBindings(w.steps[w.current], &w.st), w.helpBinding())
	return append(out, w.globalBindings()...)
}

// globalBindings are the keys every step shares that work on this one:
// no "back" on the first step, nor while esc clears something first.
func (w *wizard) globalBindings() []key.Binding {
	k := w.st.keys
	var out []key.Binding
	if w.current > 0 && !stepHandlesEsc(w.steps[w.current]) {
		out = append(out, k.Back)
	}
	if w.current != w.review() {
		out = append(out, k.ToReview)
	}
	return append(out, k.Quit)
}

// helpBinding is the help key as it works right now: while a field takes
// text, "?" is typed into it and only F1 opens the help. Both are named
// by F1, the key that works everywhere.
func (w *wizard) helpBinding() key.Binding {
	if w.screen == nil && w.steps[w.current].typing() {
		return untypable(w.st.keys.Help)
	}
	return w.st.keys.Help
}

// fullBindings is the full help (f1): the step's keys in full, then the shared
// ones; only keys that work here and now.
func (w *wizard) fullBindings() [][]key.Binding {
	if w.screen != nil {
		return [][]key.Binding{w.bindings()}
	}
	cur := w.steps[w.current]
	full := stepFullBindings(cur, &w.st)
	// Every key of the help line is in the full help too, whatever the
	// step lists there.
	for _, b := range stepBindings(cur, &w.st) {
		if !answersAll(full, b) {
			full = append(full, b)
		}
	}
	shared := append([]key.Binding{w.helpBinding()}, w.globalBindings()...)
	if w.effects.suspend != nil && !w.suspendTaken() {
		shared = append(shared, w.st.keys.Suspend)
	}
	return [][]key.Binding{full, shared}
}

// suspendTaken reports whether the step in front takes the suspend key
// for itself.
func (w *wizard) suspendTaken() bool {
	taker, ok := w.steps[w.current].(keyTaker)
	return ok && taker.takes(keyPress(w.st.keys.Suspend), &w.st)
}

// answersAll reports whether bs answer every key of b.
func answersAll(bs []key.Binding, b key.Binding) bool {
	for _, k := range b.Keys() {
		if !slices.ContainsFunc(bs, func(o key.Binding) bool { return o.Enabled() && slices.Contains(o.Keys(), k) }) {
			return false
		}
	}
	return true
}

// fullHelper is a step with more keys than its help line has room for.
type fullHelper interface {
	fullBindings(st *state) []key.Binding
}

// stepBindings are the step's keys for the help line, as a fresh slice.
func stepBindings(s step, st *state) []key.Binding {
	return append([]key.Binding{}, s.bindings(st)...)
}

// crop fits a body into height lines, keeping the focused line in view and
// saying when there is more above or below.
func crop(s theme.Styles, body string, focus, width, height int) string {
	lines := strings.Split(strings.TrimRight(body, "\n"), "\n")
	// Only the lines shown are measured: a review of a large body has
	// a hundred thousand lines, and measuring them all cost each frame.
	fit := func(lines []string) []string {
		for i, l := range lines {
			if lipgloss.Width(l) > width {
				lines[i] = truncateANSI(l, width)
			}
		}
		return lines
	}
	if height <= 0 {
		return ""
	}
	if len(lines) <= height {
		fit(lines)
		for len(lines) < height {
			lines = append(lines, "")
		}
		return strings.Join(lines, "\n")
	}
	// Leave a line each for the "more" markers.
	window := max(1, height-2)
	start := max(0, min(focus-window/2, len(lines)-window))
	end := min(len(lines), start+window)
	out := make([]string, 0, height)
	if start > 0 {
		out = append(out, s.Muted.Render(fmt.Sprintf("  ↑ %d more", start)))
	} else {
		out = append(out, "")
	}
	out = append(out, fit(lines[start:end])...)
	if end < len(lines) {
		out = append(out, s.Muted.Render(fmt.Sprintf("  ↓ %d more", len(lines)-end)))
	}
	for len(out) < height {
		out = append(out, "")
	}
	return strings.Join(out[:height], "\n")
}

func tooSmall(s theme.Styles, width, height int) string {
	msg := fmt.Sprintf("Terminal too small (%dx%d).\nNeeds %dx%d: make it bigger.\nctrl+c quits.", width, height, minWidth, minHeight)
	lines := strings.Split(msg, "\n")
	for i := range lines {
		lines[i] = truncate(lines[i], width)
	}
	if len(lines) > height {
		lines = lines[:max(0, height)]
	}
	return s.Warning.Render(strings.Join(lines, "\n"))
}
