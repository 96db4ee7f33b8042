package ui

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/apideck-samples/vault-session/theme"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// reviewSectionCount is how many steps the review summarises: section n is
// step n and is opened with key n.
const reviewSectionCount = 6

// reviewSection is the title of section n (1-based).
func reviewSection(n int) string {
	return [reviewSectionCount]string{"Credentials", "Consumer", "Unified APIs", "Session", "Theme", "Custom settings"}[n-1]
}

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
	problems    []reviewProblem
	described   client.DescribedRequest
	describeErr error
	hasRequest  bool // described holds a request
	// saver is `s`: the current theme and settings saved as a preset.
	saver presetSaver

	// lines is the page drawn for linesWidth; -1 means draw it again.
	lines      []string
	linesWidth int
	body       string
	// offset is the first line shown when the page is taller than the
	// screen.
	offset int
}

func newReviewStep() *reviewStep { return &reviewStep{linesWidth: -1} }

func (r *reviewStep) title() string           { return "Review" }
func (r *reviewStep) save(*state)             {}
func (r *reviewStep) owns(string) bool        { return false }
func (r *reviewStep) focusPath(string)        { r.offset = 0 } // the problems are at the top
func (r *reviewStep) typing() bool            { return r.saver.naming }
func (r *reviewStep) bindings() []key.Binding { return reviewBindings() }

// bindingsFor adds `s` where presets can be saved, and is the name
// field's keys while one is typed.
func (r *reviewStep) bindingsFor(st *state) []key.Binding {
	if r.saver.naming {
		return []key.Binding{saveNameKey, cancelNameKey}
	}
	if st.memory.store == nil {
		return reviewBindings()
	}
	return append(reviewBindings(), savePresetKey)
}

// handlesEsc: while a preset name is typed, esc cancels it rather than
// leaving the review.
func (r *reviewStep) handlesEsc() bool { return r.saver.naming }

func reviewBindings() []key.Binding {
	k := DefaultKeyMap()
	return []key.Binding{k.Create, k.JumpTo, k.LineUp}
}

// load works out the problems and the request the client would send.
func (r *reviewStep) load(st *state) {
	r.problems = reviewProblems(st)
	r.described, r.describeErr, r.hasRequest = client.DescribedRequest{}, nil, false
	if st.describe != nil {
		creds := client.Credentials{APIKey: st.apiKey, AppID: st.req.AppID, ConsumerID: st.req.ConsumerID}
		r.described, r.describeErr = st.describe(creds, st.req.Session)
		r.hasRequest = r.describeErr == nil
	}
	r.linesWidth = -1
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
	k, ok := msg.(tea.KeyMsg)
	_, saved := msg.(presetSavedMsg)
	if r.saver.naming || saved {
		cmd := r.saver.update(msg, st)
		r.linesWidth = -1
		return cmd
	}
	if !ok {
		return nil
	}
	if key.Matches(k, savePresetKey) && st.memory.store != nil {
		r.saver.start(st)
		r.linesWidth, r.offset = -1, 0
		return nil
	}
	keys := st.keys
	width := screenWidth(st)
	r.draw(st, width)
	window := r.window(st)
	page := max(1, window-1)
	switch {
	case key.Matches(k, keys.Create):
		// A broken custom settings text is not in the request, so the root
		// cannot see it: open its step, as the root does for the others.
		if len(st.req.Validate()) == 0 && st.customSettingsErr != nil {
			return st.navigate(jumpToStepMsg{index: reviewSectionCount - 1})
		}
		return st.navigate(nextStepMsg{})
	case key.Matches(k, keys.JumpTo):
		if n := int(k.String()[0] - '0'); n >= 1 && n <= reviewSectionCount {
			return st.navigate(jumpToStepMsg{index: n - 1})
		}
		return nil
	case key.Matches(k, keys.LineUp):
		r.offset--
	case key.Matches(k, keys.LineDown):
		r.offset++
	case key.Matches(k, keys.PageUp):
		r.offset -= page
	case key.Matches(k, keys.PageDown):
		r.offset += page
	case key.Matches(k, keys.Top):
		r.offset = 0
	case key.Matches(k, keys.Bottom):
		r.offset = len(r.lines)
	}
	r.offset = max(0, min(r.offset, r.maxOffset(window)))
	return nil
}

// screenWidth is the width the root draws the body at.
func screenWidth(st *state) int {
	if st.width == 0 {
		return 80
	}
	return st.width
}

// window is how many lines of the page the root shows once it crops: it
// keeps a line each for its "more" markers.
func (r *reviewStep) window(st *state) int { return max(1, st.bodyHeight-2) }

func (r *reviewStep) maxOffset(window int) int { return max(0, len(r.lines)-window) }

// view returns the cached page. The focus line is chosen so the root's crop
// starts exactly at offset.
func (r *reviewStep) view(st *state, width int) (string, int) {
	r.draw(st, width)
	window := r.window(st)
	r.offset = max(0, min(r.offset, r.maxOffset(window)))
	return r.body, r.offset + window/2
}

// draw renders the page for width unless it already is.
func (r *reviewStep) draw(st *state, width int) {
	if r.linesWidth == width {
		return
	}
	r.lines = r.render(st, width)
	r.linesWidth = width
	r.body = strings.Join(r.lines, "\n")
}

// reviewProblems lists what stops the request, with the step to fix it.
func reviewProblems(st *state) []reviewProblem {
	var out []reviewProblem
	for _, e := range st.req.Validate() {
		out = append(out, reviewProblem{stepOfPath(e.Path), e})
	}
	if st.customSettingsErr != nil {
		out = append(out, reviewProblem{6, fieldError(customSettingsPath, "not valid JSON: "+st.customSettingsErr.Error())})
	}
	return out
}

// stepOfPath is the step (1-based) that edits a field, 0 if none does.
func stepOfPath(path string) int {
	switch {
	case path == "app_id" || path == "consumer_id":
		return 1
	case strings.HasPrefix(path, "consumer_metadata") || path == "redirect_uri":
		return 2
	case strings.HasPrefix(path, "settings.unified_apis"):
		return 3
	case strings.HasPrefix(path, "settings."):
		return 4
	case strings.HasPrefix(path, "theme."):
		return 5
	case path == customSettingsPath:
		return 6
	}
	return 0
}

// page collects the review's lines.
type page struct {
	s     theme.Styles
	width int
	lines []string
	// errs are the request's problems, to mark the rows that have one.
	errs model.ValidationErrors
}

func (p *page) add(lines ...string) { p.lines = append(p.lines, lines...) }

// wrapped adds text wrapped to the width, indented; lines after the first
// are indented by hang more. The text may quote the session's values, so it
// goes through termtext (whole: the review hides nothing).
func (p *page) wrapped(style lipgloss.Style, indent, hang int, text string) {
	text = termtext.LineN(text, 0)
	first := strings.Repeat(" ", indent)
	rest := first + strings.Repeat(" ", hang)
	lines := strings.Split(ansi.Wrap(text, max(10, p.width-indent-hang), " ,"), "\n")
	for i, l := range lines {
		if i == 0 {
			p.add(first + style.Render(l))
		} else {
			p.add(rest + style.Render(l))
		}
	}
}

// section starts the summary of step n.
func (p *page) section(n int) {
	p.add("", p.s.Selected.Render(fmt.Sprintf("[%d]", n))+" "+p.s.Key.Render(reviewSection(n)))
}

// row adds a label and its value; a long value wraps under itself. Values
// come from the session file, flags and typing: they go through termtext,
// whole.
func (p *page) row(label, value string, style lipgloss.Style) {
	value = termtext.LineN(value, 0)
	const indent = 4
	pad := strings.Repeat(" ", indent)
	head := pad + p.s.Label.Render(label+strings.Repeat(" ", max(1, reviewLabelWidth-lipgloss.Width(label))))
	room := max(10, p.width-indent-reviewLabelWidth)
	for i, l := range strings.Split(ansi.Wrap(value, room, " ,/"), "\n") {
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
	case value == "":
		p.row(label, "— "+unset, p.s.Muted)
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
	p.wrapped(s.Description, 0, 0, "Check everything, then press enter to create the session. Press a step's number to change it.")
	r.saver.render(p, st)
	r.renderProblems(p)
	renderCredentials(p, st)
	renderConsumer(p, st)
	renderUnifiedAPIs(p, st)
	renderSession(p, st)
	renderTheme(p, st)
	renderPreview(p, st)
	renderCustomSettings(p, st)
	r.renderRequest(p, st)
	return p.lines
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
			where = fmt.Sprintf("[%d] %s › ", pr.step, reviewSection(pr.step))
		}
		p.wrapped(s.Error, 2, 4, where+pr.err.Path+": "+pr.err.Message)
	}
}

func renderCredentials(p *page, st *state) {
	s := p.s
	p.section(1)
	p.text("App ID", "app_id", st.req.AppID, "missing")
	p.text("Consumer ID", "consumer_id", st.req.ConsumerID, "missing")
	switch {
	case st.apiKey != "" && st.forceDemo:
		p.row("API key", "set (hidden), but --demo sends the request to the demo API", s.Warning)
	case st.apiKey != "":
		p.row("API key", "set (hidden)", s.Code)
	default:
		p.row("API key", "none: demo API", s.Warning)
	}
}

func renderConsumer(p *page, st *state) {
	m := st.req.Session.ConsumerMetadata
	p.section(2)
	p.text("Account name", "consumer_metadata.account_name", m.AccountName, "Vault shows a placeholder")
	p.text("User name", "consumer_metadata.user_name", m.UserName, "Vault shows a placeholder")
	p.text("Email", "consumer_metadata.email", m.Email, "not sent")
	p.text("Avatar image", "consumer_metadata.image", m.Image, "Vault shows initials")
	p.text("Redirect URI", "redirect_uri", st.req.Session.RedirectURI, "not sent")
}

func renderUnifiedAPIs(p *page, st *state) {
	ids := st.req.Session.Settings.UnifiedAPIs
	p.section(3)
	if len(ids) == 0 {
		p.row("Listed", "all (none chosen, so none are sent)", p.s.Code)
		return
	}
	names := make([]string, len(ids))
	for i, id := range ids {
		if name, ok := model.UnifiedAPIName(id); ok {
			names[i] = name
		} else {
			names[i] = fmt.Sprintf("%q (unknown)", id)
		}
	}
	style := p.s.Code
	if p.bad("settings.unified_apis") {
		style = p.s.Error
	}
	p.row("Listed", fmt.Sprintf("%s (%d of %d)", strings.Join(names, ", "), len(ids), len(model.UnifiedAPIs())), style)
}

func renderSession(p *page, st *state) {
	s := p.s
	set := st.req.Session.Settings
	p.section(4)
	switch length, ok := set.EffectiveSessionLength(); {
	case strings.TrimSpace(set.SessionLength) == "":
		p.row("Session length", length.String()+"  default, not sent", s.Muted)
	case ok:
		p.row("Session length", length.String()+"  sent", s.Code)
	default:
		p.row("Session length", "✗ "+set.SessionLength, s.Error)
	}
	for _, b := range model.BoolSettings() {
		value := "off"
		if set.Effective(b.Key) {
			value = "on "
		}
		if f := set.BoolField(b.Key); f != nil && *f != nil {
			p.row(b.Title, value+"  sent", s.Code)
		} else {
			p.row(b.Title, value+"  default, not sent", s.Muted)
		}
	}
	switch actions := set.AllowActions; {
	case actions == nil:
		p.row("Allowed actions", "all  default, not sent", s.Muted)
	case len(actions) == 0:
		p.row("Allowed actions", "none  sent as []", s.Code)
	case p.bad("settings.allow_actions"):
		p.row("Allowed actions", "✗ "+strings.Join(actions, ", "), s.Error)
	default:
		p.row("Allowed actions", strings.Join(actions, ", ")+"  sent", s.Code)
	}
}

func renderTheme(p *page, st *state) {
	t := st.req.Session.Theme
	p.section(5)
	p.text("Vault name", "theme.vault_name", t.VaultName, "Vault's default")
	for _, c := range []struct{ label, path, value string }{
		{"Primary colour", "theme.primary_color", t.PrimaryColor},
		{"Side panel background", "theme.sidepanel_background_color", t.SidepanelBackgroundColor},
		{"Side panel text", "theme.sidepanel_text_color", t.SidepanelTextColor},
	} {
		value := c.value
		// Say what a name or short form is sent as.
		if hex, err := model.NormalizeColor(value); err == nil && !strings.EqualFold(hex, strings.TrimSpace(value)) {
			value += " (" + hex + ")"
		}
		p.text(c.label, c.path, value, "Vault's default")
	}
	p.text("Logo", "theme.logo", t.Logo, "Vault's default")
	p.text("Favicon", "theme.favicon", t.Favicon, "Vault's default")
	p.text("Privacy URL", "theme.privacy_url", t.PrivacyURL, "no link")
	p.text("Terms URL", "theme.terms_url", t.TermsURL, "no link")
}

// renderPreview adds a small picture of the Vault page as this session will
// show it, right under the theme it illustrates.
func renderPreview(p *page, st *state) {
	const indent = 4
	width := min(p.width-indent, 72)
	if width < theme.MinPreviewWidth {
		return
	}
	p.add("", strings.Repeat(" ", indent)+p.s.Label.Render("Preview of the Vault page"))
	preview := theme.RenderPreview(st.req.Session, theme.PreviewOptions{
		Width: width, Height: 14, Profile: st.profile, Compact: true,
	})
	for _, l := range strings.Split(preview, "\n") {
		p.add(strings.Repeat(" ", indent) + l)
	}
}

func renderCustomSettings(p *page, st *state) {
	s := p.s
	m := st.req.Session.CustomConsumerSettings
	p.section(6)
	if st.customSettingsErr != nil {
		p.row("Object", "✗ the text is not valid JSON; the body below holds the last valid object", s.Error)
		return
	}
	if len(m) == 0 {
		p.row("Object", "none, not sent", s.Muted)
		return
	}
	p.row("Object", objectLine(m, p.width), s.Code)
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
