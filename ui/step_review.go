package ui

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/store"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/apideck-samples/vault-session/theme"
	"github.com/apideck-samples/vault-session/ui/wordwrap"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// reviewLabelWidth is the width of the labels of the summary rows.
const reviewLabelWidth = 26

// reviewProblem is one thing that stops the request, with the step
// (1-based, 0 when no step edits it) that fixes it.
type reviewProblem struct {
	step int
	err  model.FieldError
}

// reviewStep shows every choice, the JSON body and an equivalent curl
// command, and creates the session on enter. Nothing on it edits the
// request, so everything is worked out on entering and drawn from a cache.
type reviewStep struct {
	// sections are the steps before the review, in order: section n is
	// step n, summed up by the step itself and opened with jump key n.
	sections []step

	problems    []reviewProblem
	described   client.DescribedRequest
	describeErr error
	hasRequest  bool // described holds a request
	// presetNote says what the last "save as preset" did;
	// presetFailed when it failed.
	presetNote   string
	presetFailed bool

	// drawn is the page drawn for drawnWidth, body the same joined;
	// drawnWidth -1 means draw it again.
	drawn      []string
	drawnWidth int
	body       string
	// pager scrolls the page when it is taller than the screen.
	pager
}

func newReviewStep(sections []step) *reviewStep {
	return &reviewStep{sections: sections, drawnWidth: -1}
}

func (r *reviewStep) title() string         { return "Review" }
func (r *reviewStep) save(*state)           {}
func (r *reviewStep) owns(string) bool      { return false }
func (r *reviewStep) focusPath(string)      { r.offset = 0 } // the problems are at the top
func (r *reviewStep) typing() bool          { return false }
func (r *reviewStep) summary(*page, *state) {}

// bindings adds `s` where presets can be saved.
func (r *reviewStep) bindings(st *state) []key.Binding {
	k := st.keys
	out := []key.Binding{k.Create, r.jumpKeys(k), k.LineUp}
	if st.memory.store == nil {
		return out
	}
	return append(out, k.SavePreset)
}

// jumpKeys are the keys that open a step: one per section.
func (r *reviewStep) jumpKeys(k KeyMap) key.Binding { return firstKeys(k.JumpTo, len(r.sections)) }

// sectionOf is the section (1-based) of the step that edits a field, 0
// when none does.
func (r *reviewStep) sectionOf(path string) int {
	for i, s := range r.sections {
		if s.owns(path) {
			return i + 1
		}
	}
	return 0
}

// load works out the problems and the request the client would send.
func (r *reviewStep) load(st *state) {
	r.problems = r.reviewProblems(st)
	r.described, r.describeErr, r.hasRequest = client.DescribedRequest{}, nil, false
	if st.describe != nil {
		creds := client.Credentials{APIKey: st.apiKey, AppID: st.req.AppID, ConsumerID: st.req.ConsumerID}
		r.described, r.describeErr = st.describe(creds, st.req.Session)
		r.hasRequest = r.describeErr == nil
	}
	r.drawnWidth = -1
	r.offset = 0
}

// validate stops the create when the custom settings text is broken: the
// request would otherwise go with the last valid object. The request's own
// problems are the root's: it opens the first step that has one.
func (r *reviewStep) validate(st *state) model.ValidationErrors {
	if st.customSettingsErr != nil {
		return model.ValidationErrors{fieldError(customSettingsPath, st.customSettingsErr.Error())}
	}
	return nil
}

func (r *reviewStep) update(msg tea.Msg, st *state) tea.Cmd {
	if saved, ok := msg.(presetSavedMsg); ok {
		r.presetNote, r.presetFailed = presetSaved(saved, st)
		r.drawnWidth, r.offset = -1, 0
		return nil
	}
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	if key.Matches(k, st.keys.SavePreset) && st.memory.store != nil {
		r.presetNote = ""
		r.drawnWidth, r.offset = -1, 0
		return st.navigate(openScreenMsg{newSavePresetScreen(st)})
	}
	keys := st.keys
	r.draw(st, screenWidth(st))
	switch {
	case key.Matches(k, keys.Create):
		// A broken custom settings text is not in the request, so the root
		// cannot see it: open its step, as the root does for the others.
		if len(st.req.Validate()) == 0 && st.customSettingsErr != nil {
			if n := r.sectionOf(customSettingsPath); n > 0 {
				return st.navigate(jumpToStepMsg{index: n - 1})
			}
		}
		return st.navigate(nextStepMsg{})
	case key.Matches(k, r.jumpKeys(keys)):
		return st.navigate(jumpToStepMsg{index: slices.Index(keys.JumpTo.Keys(), k.String())})
	default:
		r.scrollKey(k, st)
	}
	return nil
}

// screenWidth is the width the root draws the body at.
func screenWidth(st *state) int {
	if st.width == 0 {
		return 80
	}
	return st.width
}

// fit draws the page for the width and keeps the offset within it.
func (r *reviewStep) fit(st *state, width int) {
	r.draw(st, width)
	r.scroll(st, r.offset)
}

// view returns the page fit drew. The focus line is chosen so the root's
// crop starts exactly at offset.
func (r *reviewStep) view(st *state, width int) (string, int) {
	body := r.body
	if r.drawnWidth != width {
		// Not fitted for this width (a test drawing a step it opened
		// without an Update): drawn, not kept.
		body = strings.Join(r.render(st, width), "\n")
	}
	return body, r.focus(st, body)
}

// draw renders the page for width unless it already is.
func (r *reviewStep) draw(st *state, width int) {
	if r.drawnWidth == width {
		return
	}
	r.drawn = r.render(st, width)
	r.drawnWidth = width
	r.body = strings.Join(r.drawn, "\n")
	r.pager.lines = len(r.drawn)
}

// reviewProblems lists what stops the request, with the step to fix it.
func (r *reviewStep) reviewProblems(st *state) []reviewProblem {
	var out []reviewProblem
	for _, e := range st.req.Validate() {
		out = append(out, reviewProblem{r.sectionOf(e.Path), e})
	}
	if st.customSettingsErr != nil {
		out = append(out, reviewProblem{r.sectionOf(customSettingsPath), fieldError(customSettingsPath, "not valid JSON: "+st.customSettingsErr.Error())})
	}
	return out
}

// page collects the review's lines.
type page struct {
	s     theme.Styles
	width int
	lines []string
	// errs are the request's problems, to mark the rows that have one.
	errs model.ValidationErrors
	// rows are what the steps' summaries gave, for the Review to group
	// (summaryRows); summing is the step (1-based) being summed up.
	rows    []summaryRow
	summing int
}

// summaryRow is one line of a step's summary: a label and its value, and
// whether the value is Vault's default, left out of the request.
type summaryRow struct {
	section      int
	label, value string
	style        lipgloss.Style
	atDefault    bool
}

func (p *page) add(lines ...string) { p.lines = append(p.lines, lines...) }

// wrapped adds text wrapped to the width, indented; lines after the first
// are indented by hang more. The text may quote the session's values, so it
// goes through termtext (whole: the review hides nothing).
func (p *page) wrapped(style lipgloss.Style, indent, hang int, text string) {
	text = termtext.LineN(text, 0)
	first := strings.Repeat(" ", indent)
	rest := first + strings.Repeat(" ", hang)
	lines := strings.Split(wordwrap.Wrap(text, max(10, p.width-indent-hang), " ,"), "\n")
	for i, l := range lines {
		if i == 0 {
			p.add(first + style.Render(l))
		} else {
			p.add(rest + style.Render(l))
		}
	}
}

// sectionTitle starts the rows of step n, titled.
func (p *page) sectionTitle(n int, title string) {
	p.add(p.s.Selected.Render(fmt.Sprintf("[%d]", n)) + " " + p.s.Key.Render(title))
}

// row is a summary's line of a label and a value the request sets.
func (p *page) row(label, value string, style lipgloss.Style) {
	p.rows = append(p.rows, summaryRow{section: p.summing, label: label, value: value, style: style})
}

// defaultRow is a summary's line of a value left to Vault's default.
func (p *page) defaultRow(label, value string) {
	p.rows = append(p.rows, summaryRow{section: p.summing, label: label, value: value, style: p.s.Muted, atDefault: true})
}

// drawRow adds a label and its value; a long value wraps under itself.
// Values come from the session file, flags and typing: they go through
// termtext, whole.
func (p *page) drawRow(label, value string, style lipgloss.Style) {
	value = termtext.LineN(value, 0)
	const indent = 4
	pad := strings.Repeat(" ", indent)
	head := pad + p.s.Label.Render(label+strings.Repeat(" ", max(1, reviewLabelWidth-lipgloss.Width(label))))
	room := max(10, p.width-indent-reviewLabelWidth)
	for i, l := range strings.Split(wordwrap.Wrap(value, room, " ,/"), "\n") {
		if i == 0 {
			p.add(head + style.Render(l))
		} else {
			p.add(pad + strings.Repeat(" ", reviewLabelWidth) + style.Render(l))
		}
	}
}

// text adds a value that may be unset: unset shows as a dash and says what
// Vault does instead. A value with a problem is marked.
func (p *page) text(label, path, value, unset string) {
	switch {
	case value == "" && p.bad(path):
		p.row(label, "✗ "+unset, p.s.Error)
	case value == "":
		p.defaultRow(label, "— "+unset)
	case p.bad(path):
		p.row(label, "✗ "+value, p.s.Error)
	default:
		p.row(label, value, p.s.Code)
	}
}

// bad reports whether the field at path, or one inside it, has a problem.
func (p *page) bad(path string) bool { return len(p.errs.Under(path)) > 0 }

func (r *reviewStep) render(st *state, width int) []string {
	s := st.styles
	p := &page{s: s, width: width, errs: st.req.Validate()}
	p.add(s.Title.Render("Review"))
	p.wrapped(s.Description, 0, 0, "Check everything, then press "+st.keys.Create.Help().Key+" to create the session. Press a step's number to change it.")
	if r.presetNote != "" {
		style := s.Success
		if r.presetFailed {
			style = s.Error
		}
		p.add("")
		p.wrapped(style, 2, 2, termtext.Line(r.presetNote))
	}
	r.renderProblems(p)
	r.renderSummary(p, st)
	renderPreview(p, st)
	r.renderRequest(p, st)
	return p.lines
}

// summaryRows are the rows the steps' summaries give for st.
func (r *reviewStep) summaryRows(st *state, width int) []summaryRow {
	p := &page{s: st.styles, width: width, errs: st.req.Validate()}
	for i, s := range r.sections {
		p.summing = i + 1
		s.summary(p, st)
	}
	return p.rows
}

// rowKey names a row across two summaries.
type rowKey struct {
	section int
	label   string
}

// presetRows are the rows the preset in use would give, by row, with the
// consumer card of st (a preset never holds one); nil without a preset.
func (r *reviewStep) presetRows(st *state, width int) (name string, rows map[rowKey]string) {
	name = st.memory.preset
	i := slices.IndexFunc(st.memory.presets, func(p store.Preset) bool { return p.Name == name })
	if name == "" || i < 0 {
		return "", nil
	}
	was := *st
	was.req.Session = st.memory.presets[i].Session
	was.req.Session.ConsumerMetadata = st.req.Session.ConsumerMetadata
	was.customSettingsErr = nil
	rows = map[rowKey]string{}
	for _, row := range r.summaryRows(&was, width) {
		rows[rowKey{row.section, row.label}] = row.value
	}
	return name, rows
}

// renderSummary leads with what this session changes: from the preset in
// use first, then from Vault's defaults; what is left to Vault follows.
// Each row sits under its step's number, the key that opens it.
func (r *reviewStep) renderSummary(p *page, st *state) {
	name, preset := r.presetRows(st, p.width)
	var changed, set, left []summaryRow
	for _, row := range r.summaryRows(st, p.width) {
		if was, ok := preset[rowKey{row.section, row.label}]; ok && was != row.value {
			changed = append(changed, row)
			continue
		}
		if row.atDefault {
			left = append(left, row)
		} else {
			set = append(set, row)
		}
	}
	r.renderGroup(p, "Changed from the preset "+termtext.LineN(name, 40), changed, func(row summaryRow) {
		p.drawRow("", "preset: "+preset[rowKey{row.section, row.label}], p.s.Muted)
	})
	r.renderGroup(p, "Set for this session", set, nil)
	r.renderGroup(p, "Left to Vault's defaults (not sent)", left, nil)
}

// renderGroup draws a heading and its rows under their steps' numbers;
// after adds lines under a row.
func (r *reviewStep) renderGroup(p *page, heading string, rows []summaryRow, after func(summaryRow)) {
	if len(rows) == 0 {
		return
	}
	p.add("", p.s.Title.Render(heading))
	section := 0
	for _, row := range rows {
		if row.section != section {
			section = row.section
			title := "Other"
			if section > 0 {
				title = r.sections[section-1].title()
			}
			p.sectionTitle(section, title)
		}
		p.drawRow(row.label, row.value, row.style)
		if after != nil {
			after(row)
		}
	}
}

func (r *reviewStep) renderProblems(p *page) {
	if len(r.problems) == 0 {
		return
	}
	s := p.s
	word := "problem stops"
	if len(r.problems) > 1 {
		word = "problems stop"
	}
	p.add("", s.Error.Render(fmt.Sprintf("✗ %d %s the session: press the step's number to fix it.", len(r.problems), word)))
	for _, pr := range r.problems {
		where := ""
		if pr.step > 0 {
			where = fmt.Sprintf("[%d] %s › ", pr.step, r.sections[pr.step-1].title())
		}
		p.wrapped(s.Error, 2, 4, where+pr.err.Path+": "+pr.err.Message)
	}
}

// objectLine shows an object on one line, as typed; a large one by its
// start and its size, so the review costs the same whatever its size.
func objectLine(obj json.RawMessage, width int) string {
	const most = 240
	if len(obj) <= most {
		return termtext.Line(string(obj))
	}
	cut := most
	for cut > 0 && !utf8.RuneStart(obj[cut]) {
		cut--
	}
	return fmt.Sprintf("%d keys, %.1f KB: ", model.ObjectKeys(obj), float64(len(obj))/1000) +
		termtext.LineN(string(obj[:cut]), max(20, width)) + "…"
}

// renderRequest shows what the client will send, as the client renders it.
func (r *reviewStep) renderRequest(p *page, st *state) {
	s := p.s
	p.add("", s.Key.Render("Request"))
	switch {
	case r.describeErr != nil:
		p.wrapped(s.Error, 4, 2, "✗ The request cannot be built: "+r.describeErr.Error())
		return
	case !r.hasRequest:
		p.wrapped(s.Muted, 4, 0, "No preview of the request is available.")
		return
	}
	d := r.described
	target := s.Code.Render(d.Method) + " " + s.URL.Render(termtext.LineN(d.URL, 0))
	if st.demo() {
		target += " " + s.Warning.Render("(demo)")
	}
	p.add("    " + target)
	p.add("", "    "+s.Label.Render("JSON body (sent without the indentation):"))
	code(p, string(d.Body))
	p.add("", "    "+s.Label.Render("The same request with curl (the key is read from $"+client.APIKeyEnv+"):"))
	code(p, d.Curl())
}

// code adds text line by line, hard-wrapped rather than cut, so nothing of
// the body or the command is hidden. Each line goes through termtext: JSON
// leaves DEL, C1 and bidi controls as they are.
func code(p *page, text string) {
	const indent = 6
	pad := strings.Repeat(" ", indent)
	width := max(10, p.width-indent)
	// A large body has hundreds of thousands of lines: the style is
	// rendered once, around a marker, and its two halves put around each
	// line, which is what rendering each line would do, at a fraction of
	// the cost. No line takes more cells than it has bytes, so most lines
	// need no wrapping either.
	render := p.s.Code.Render
	const marker = "\ue000"
	if styled := p.s.Code.Render(marker); strings.Count(styled, marker) == 1 {
		before, after, _ := strings.Cut(styled, marker)
		render = func(strs ...string) string { return before + strs[0] + after }
	}
	for l := range strings.SplitSeq(text, "\n") {
		l = termtext.LineN(l, 0)
		if len(l) <= width && !strings.Contains(l, "\t") {
			p.add(pad + render(l))
			continue
		}
		for w := range strings.SplitSeq(ansi.Hardwrap(l, width, true), "\n") {
			p.add(pad + p.s.Code.Render(w))
		}
	}
}

// runAccessible reads out where the request goes and the body it sends,
// from what load worked out for the page, and the problems that stop it;
// then asks to create the session or to change a step. The answer moves as
// the page's keys do: enter creates (nextStepMsg), a number opens that
// step (jumpToStepMsg), and a problem opens the step that fixes it.
func (r *reviewStep) runAccessible(a *lineAsker, st *state) error {
	switch {
	case st.demo():
		a.say("It goes to the built-in demo API, not Apideck.")
	case st.keyHeld:
		a.say("It goes to %s with the server's key.", st.heldAPI())
	case st.keyIsGiven():
		a.say("It goes to %s with the key from %s.", st.keyedAPIWhere(), st.keyFrom)
	default:
		a.say("It goes to %s with the key given.", st.keyedAPIWhere())
	}
	a.say("App ID: %s. Consumer ID: %s.", termtext.Line(st.req.AppID), termtext.Line(st.req.ConsumerID))
	switch {
	case r.describeErr != nil:
		a.say("Error: %s.", termtext.Line(r.describeErr.Error()))
	case r.hasRequest:
		a.say("The request body:")
		a.say("%s", termtext.Text(string(r.described.Body)))
	}
	for _, p := range r.problems {
		a.say("Error: %s: %s.", p.err.Path, termtext.Line(p.err.Message))
	}
	if len(r.problems) > 0 && r.problems[0].step > 0 {
		st.navigate(jumpToStepMsg{index: r.problems[0].step - 1})
		return nil
	}
	if err := newSavePresetScreen(st).runAccessible(a, st); err != nil {
		return err
	}
	for {
		ans, err := orQuit(a.ask(fmt.Sprintf("Create the session? (y to create, a step number 1 to %d to change it, q to quit; enter for y): ", len(r.sections))))
		if err != nil {
			return err
		}
		switch n, isStep := listNumber(ans, len(r.sections)); {
		case ans == "" || strings.EqualFold(ans, "y"):
			st.navigate(nextStepMsg{})
			return nil
		case isStep:
			st.navigate(jumpToStepMsg{index: n})
			return nil
		}
		a.say("Please answer y, q or a step number.")
	}
}
