package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/keptfile"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/apideck-samples/vault-session/theme"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// themeStep edits how the hosted Vault page looks: its name, three colours
// (each with a swatch and contrast checks) and the logo, favicon and legal
// links, with a live preview of the Vault page beside the form.
type themeStep struct {
	form textForm
	// swatches caches one style per colour typed, so View does not build
	// styles on every frame.
	swatches map[string]lipgloss.Style
	// palette is the index of the ready palette shown, -1 for the user's
	// own colours; own keeps those while palettes are tried.
	palette int
	own     themeColors
	// undo holds the colours before each palette or contrast fix.
	undo []themeColors
	// note answers the last key when it did something not seen in the
	// form (a palette's name, a fix) or could not (ctrl+p where the
	// preview cannot show); the next key clears it.
	note string
	// notePath is a file the note is about (the page ctrl+b wrote), shown
	// whole on lines of its own.
	notePath string
	// pages draws the HTML page ctrl+b opens.
	pages *theme.HTMLPage
	// showPreview switches a narrow screen from the form to the preview.
	showPreview bool
	preview     previewCache
	// contrast is the last contrast report and the colours it is for: the
	// nearest-colour search is not worth redoing on every frame.
	contrast       []theme.ContrastCheck
	contrastColors [3]string
}

// pageOpenedMsg reports the page ctrl+b wrote and whether a browser took it.
type pageOpenedMsg struct {
	path string
	err  error
}

// The narrowest screen that shows the form and the preview side by side,
// and the form's column width there.
const (
	sideBySideWidth = 96
	themeFormWidth  = 56
)

func newThemeStep() *themeStep {
	th := func(f func(*model.Theme) *string) func(*state) *string {
		return func(st *state) *string { return f(&st.req.Session.Theme) }
	}
	ts := &themeStep{swatches: map[string]lipgloss.Style{}, palette: -1}
	colour := func(path, label, hint string, bind func(*model.Theme) *string) *textField {
		f := newTextField(path, label, "#rrggbb, #rgb or a CSS name", hint, th(bind))
		f.decorate = ts.swatch
		return f
	}
	ts.form = textForm{inline: true, fields: []*textField{
		newTextField("theme.vault_name", "Vault name", "Apideck",
			"Shown as \"<name> Vault\" at the top of the side panel when there is no logo",
			th(func(t *model.Theme) *string { return &t.VaultName })),
		colour("theme.primary_color", "Primary colour", "Top bar and buttons such as \"+ Add\" (white text on it)",
			func(t *model.Theme) *string { return &t.PrimaryColor }),
		colour("theme.sidepanel_background_color", "Side panel background", "The whole page behind the main panel",
			func(t *model.Theme) *string { return &t.SidepanelBackgroundColor }),
		colour("theme.sidepanel_text_color", "Side panel text", "Every text and icon of the side panel",
			func(t *model.Theme) *string { return &t.SidepanelTextColor }),
		newTextField("theme.logo", "Logo URL", "https://…", "Replaces the title; at most 28 px high",
			th(func(t *model.Theme) *string { return &t.Logo })),
		newTextField("theme.favicon", "Favicon URL", "https://…", "The browser tab's icon",
			th(func(t *model.Theme) *string { return &t.Favicon })),
		newTextField("theme.privacy_url", "Privacy URL", "https://…", "The \"Privacy\" link under the side panel",
			th(func(t *model.Theme) *string { return &t.PrivacyURL })),
		newTextField("theme.terms_url", "Terms URL", "https://…", "The \"Terms\" link under the side panel",
			th(func(t *model.Theme) *string { return &t.TermsURL })),
	}}
	return ts
}

func (t *themeStep) title() string         { return "Theme" }
func (t *themeStep) load(st *state)        { t.form.load(st) }
func (t *themeStep) save(st *state)        { t.form.save(st) }
func (t *themeStep) owns(path string) bool { return t.form.owns(path) }
func (t *themeStep) focusPath(path string) { t.form.focusPath(path) }
func (t *themeStep) typing() bool          { return true }

// bindings offers only what works now: ctrl+r while a pair fails,
// ctrl+z once there is something to undo, ctrl+p where the preview is not
// already beside the form and has room; ctrl+b (the page in a browser)
// always, last.
func (t *themeStep) bindings(st *state) []key.Binding {
	return append(formBindings(st.keys), t.actionBindings(st)...)
}

// fullBindings lists every action key, whether it applies now or not,
// saying when it does: the full help is where a key is looked up.
func (t *themeStep) fullBindings(st *state) []key.Binding {
	k := st.keys
	return append(formFullBindings(k), k.Palette,
		relabel(k.FixContrast, "fix the failing contrast pair"),
		relabel(k.Undo, "undo the last palette or fix"),
		relabel(k.Preview, "preview (wide screens show it beside the form)"),
		k.Browser)
}

func (t *themeStep) actionBindings(st *state) []key.Binding {
	k := st.keys
	out := []key.Binding{k.Palette}
	if t.fixTarget(st) != nil {
		out = append(out, k.FixContrast)
	}
	if len(t.undo) > 0 {
		out = append(out, k.Undo)
	}
	switch {
	case t.previewFits(st) != "":
	case t.showPreview:
		out = append(out, relabel(k.Preview, "back to the form"))
	default:
		out = append(out, k.Preview)
	}
	return append(out, k.Browser)
}

func (t *themeStep) validate(st *state) model.ValidationErrors {
	return errorsFor(st.req.Session.Validate(), t.owns)
}

// takes keeps the undo key for undoing, wherever else it suspends.
func (t *themeStep) takes(k tea.KeyMsg, st *state) bool { return key.Matches(k, st.keys.Undo) }

func (t *themeStep) update(msg tea.Msg, st *state) tea.Cmd {
	if m, ok := msg.(pageOpenedMsg); ok {
		t.pageOpened(m)
		return nil
	}
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return t.form.update(msg, st)
	}
	t.note, t.notePath = "", ""
	switch {
	case key.Matches(k, st.keys.Browser):
		return t.openInBrowser(st)
	case key.Matches(k, st.keys.Palette):
		t.applyPalette(st)
		return nil
	case key.Matches(k, st.keys.FixContrast):
		t.fixContrast(st)
		return nil
	case key.Matches(k, st.keys.Undo):
		t.undoLast(st)
		return nil
	case key.Matches(k, st.keys.Preview):
		if why := t.previewFits(st); why != "" {
			t.note = why
			return nil
		}
		t.showPreview = !t.showPreview
		return nil
	}
	if t.showPreview && t.previewFits(st) == "" {
		// The preview hides the form on this narrow screen: a key for the
		// form brings it back, so what is typed is seen where it goes.
		t.showPreview = false
	}
	return t.form.update(msg, st)
}

// openInBrowser draws the hosted Vault page for the session as it stands
// and opens it in the browser, so a theme can be judged where customers
// will see it. The form keeps focus; the result arrives as pageOpenedMsg.
func (t *themeStep) openInBrowser(st *state) tea.Cmd {
	open := st.openPage
	if open == nil {
		t.note = "No browser can be opened from here."
		return nil
	}
	if t.pages == nil {
		t.pages = theme.NewHTMLPage()
	}
	s, pages := st.req.Session.Normalized(), t.pages
	t.note = "Opening the Vault page in your browser…"
	return func() tea.Msg {
		body, _ := json.MarshalIndent(s, "", "  ")
		var page bytes.Buffer
		if err := pages.Render(&page, s, theme.HTMLOptions{Carries: string(body)}); err != nil {
			return pageOpenedMsg{err: err}
		}
		path, err := open(page.Bytes())
		return pageOpenedMsg{path: path, err: err}
	}
}

func (t *themeStep) pageOpened(m pageOpenedMsg) {
	t.notePath = m.path
	switch {
	case m.err != nil && m.path != "":
		t.note = "No browser opened (" + keptfile.ErrorText(m.err) + "). The page is at:"
	case m.err != nil:
		t.note = "Could not write the page: " + keptfile.ErrorText(m.err)
	default:
		t.note = "Opened in your browser:"
	}
}

// previewFits says why ctrl+p cannot show the preview here, or "". The
// smallest screen the wizard draws in (minWidth × minHeight) still has
// room for it, so only a wide screen, where it is already shown, says no.
func (t *themeStep) previewFits(st *state) string {
	width := st.width
	if width == 0 {
		width = 80 // what the root draws for before it knows
	}
	if width >= sideBySideWidth {
		return "The preview is already beside the form."
	}
	return ""
}

// themeColors are the three colours palettes and contrast fixes change.
type themeColors struct{ primary, background, text string }

func colorsOf(th model.Theme) themeColors {
	return themeColors{th.PrimaryColor, th.SidepanelBackgroundColor, th.SidepanelTextColor}
}

func (c themeColors) applyTo(th *model.Theme) {
	th.PrimaryColor, th.SidepanelBackgroundColor, th.SidepanelTextColor = c.primary, c.background, c.text
}

// paletteIndex is the ready palette whose colours th has, or -1.
func paletteIndex(c themeColors) int {
	for i, p := range theme.Palettes() {
		if c == (themeColors{p.PrimaryColor, p.SidepanelBackgroundColor, p.SidepanelTextColor}) {
			return i
		}
	}
	return -1
}

// applyPalette shows the next ready palette; after the last one, the
// user's own colours come back.
func (t *themeStep) applyPalette(st *state) {
	th := &st.req.Session.Theme
	cur := colorsOf(*th)
	if t.palette < 0 || paletteIndex(cur) != t.palette {
		// Colours typed or fixed since are the user's own now.
		t.palette, t.own = -1, cur
	}
	t.undo = append(t.undo, cur)
	palettes := theme.Palettes()
	t.palette++
	if t.palette == len(palettes) {
		t.palette = -1
		t.own.applyTo(th)
		t.note = "Back to your colours · " + st.keys.Palette.Help().Key + " tries the palettes again"
	} else {
		p := palettes[t.palette]
		*th = p.Apply(*th)
		t.note = fmt.Sprintf("Palette %d of %d: %s · %s next, %s undo", t.palette+1, len(palettes), p.Name,
			st.keys.Palette.Help().Key, st.keys.Undo.Help().Key)
	}
	t.form.load(st)
}

// fixTarget is the failing pair ctrl+r fixes: the one whose colour has the
// cursor, else the first that fails; nil when both pass.
func (t *themeStep) fixTarget(st *state) *theme.ContrastCheck {
	report := t.contrastReport(st.req.Session.Theme)
	field := strings.TrimPrefix(t.form.fields[t.form.focus].path, "theme.")
	if field == "sidepanel_background_color" {
		field = "sidepanel_text_color" // the pair it belongs to
	}
	var first *theme.ContrastCheck
	for i := range report {
		c := &report[i]
		if c.Passes || c.Suggestion == "" {
			continue
		}
		if c.Field == field {
			return c
		}
		if first == nil {
			first = c
		}
	}
	return first
}

// fixContrast replaces the colour of one failing pair (fixTarget) with its
// suggestion; the other pair is left for its own ctrl+r.
func (t *themeStep) fixContrast(st *state) {
	c := t.fixTarget(st)
	if c == nil {
		t.note = "Both pairs pass: nothing to fix."
		return
	}
	th := &st.req.Session.Theme
	t.undo = append(t.undo, colorsOf(*th))
	applySuggestion(th, *c)
	t.note = fmt.Sprintf("%s: now %s (%s) · %s undo", c.Pair(), c.Suggestion, theme.FormatRatio(c.SuggestedRatio()), st.keys.Undo.Help().Key)
	t.form.load(st)
}

// undoLast puts back the colours from before the last palette or fix.
func (t *themeStep) undoLast(st *state) {
	if len(t.undo) == 0 {
		t.note = "Nothing to undo."
		return
	}
	prev := t.undo[len(t.undo)-1]
	t.undo = t.undo[:len(t.undo)-1]
	prev.applyTo(&st.req.Session.Theme)
	t.palette = paletteIndex(prev)
	t.note = "Undone."
	t.form.load(st)
}

// swatch draws a block of the colour typed and, when the input is not
// already in that form, the "#rrggbb" it will be sent as.
func (t *themeStep) swatch(st *state, value string) string {
	if value == "" {
		return ""
	}
	hex, err := model.NormalizeColor(value)
	if err != nil {
		return st.styles.Error.Render("?")
	}
	style, ok := t.swatches[hex]
	if !ok {
		style = swatchStyle(st, hex)
	}
	out := style.Render("    ")
	if hex != value {
		out += " " + st.styles.Hint.Render("→ "+hex)
	}
	return out
}

// swatchStyle is the block a colour is shown in. Without colour
// (NO_COLOR, a plain terminal) it is blank: a block in the terminal's own
// colour (reverse video) would pass for the colour typed.
func swatchStyle(st *state, hex string) lipgloss.Style {
	if st.profile == termenv.Ascii {
		return st.styles.Muted.UnsetForeground()
	}
	return st.styles.Muted.UnsetForeground().Background(lipgloss.Color(hex))
}

// fit keeps what the next frame draws: the colours' swatches, their
// contrast report and the preview at its size.
func (t *themeStep) fit(st *state, width int) {
	th := st.req.Session.Theme
	for _, c := range []string{th.PrimaryColor, th.SidepanelBackgroundColor, th.SidepanelTextColor} {
		if hex, err := model.NormalizeColor(c); err == nil && c != "" {
			if _, ok := t.swatches[hex]; !ok {
				t.swatches[hex] = swatchStyle(st, hex)
			}
		}
	}
	t.contrast, t.contrastColors = t.contrastReport(th), themeColorsOf(th)
	if pw, ph, compact, shown := t.previewSize(st, width); shown {
		t.preview.keep(st, pw, ph, compact)
	}
}

// previewSize is the size the preview is drawn at for a width, and
// whether it is drawn at all.
func (t *themeStep) previewSize(st *state, width int) (w, h int, compact, shown bool) {
	switch {
	case width < sideBySideWidth && t.showPreview:
		return width, st.bodyHeight - 1, false, true
	case width >= sideBySideWidth:
		w := width - themeFormWidth - 2
		return w, st.bodyHeight, w < 66, true
	}
	return 0, 0, false, false
}

func (t *themeStep) view(st *state, width int) (string, int) {
	s := st.styles
	pw, ph, compact, _ := t.previewSize(st, width)
	if width < sideBySideWidth && t.showPreview {
		hint := s.Hint.Render(truncate("Preview of the Vault page · "+st.keys.Preview.Help().Key+" back to the form", width))
		return hint + "\n" + t.preview.render(st, pw, ph, compact), 0
	}
	formWidth := width
	if width >= sideBySideWidth {
		formWidth = themeFormWidth
	}
	head := s.Title.Render("Theme") + "\n" +
		s.Description.Render(truncate(themeIntro, formWidth)) + "\n\n"
	body, focus := t.form.view(st, formWidth)
	form := head + body + "\n" + t.contrastView(st, formWidth)
	if width < sideBySideWidth {
		if t.previewFits(st) == "" {
			form += "\n" + s.Hint.Render(truncate(st.keys.Preview.Help().Key+" shows the Vault preview (wider terminals show it beside the form)", width))
		}
		return form, focus + 3
	}
	preview := t.preview.render(st, pw, ph, compact)
	// The form column is cut and padded to its width, so the preview
	// always starts at the same column and ends at the screen's edge.
	return lipgloss.JoinHorizontal(lipgloss.Top, fitColumn(form, formWidth), "  ", preview), focus + 3
}

// contrastView shows the WCAG contrast of the side panel's text and of the
// buttons' white text, with what to use instead when one fails, and the
// answer to the last key.
func (t *themeStep) contrastView(st *state, width int) string {
	s := st.styles
	var b strings.Builder
	b.WriteString(s.Label.Render("Contrast") + " " + s.Hint.Render("(WCAG, 4.5:1 needed)") + "\n")
	for _, c := range t.contrastReport(st.req.Session.Theme) {
		line := "  " + truncate(c.Pair(), width-16)
		if c.Passes {
			line += "  " + s.Success.Render("✓ "+theme.FormatRatio(c.Ratio))
		} else {
			line += "  " + s.Warning.Render("⚠ "+theme.FormatRatio(c.Ratio))
			if advice := c.Advice(); advice != "" {
				line += "\n    " + s.Hint.Render(truncate(advice, width-4))
			}
		}
		b.WriteString(line + "\n")
	}
	if target := t.fixTarget(st); target != nil {
		b.WriteString("  " + s.Hint.Render(truncate(st.keys.FixContrast.Help().Key+" fixes "+strings.ToLower(target.Pair()), width-2)) + "\n")
	}
	if t.note != "" {
		b.WriteString("\n" + s.Selected.Render(truncate(termtext.Line(t.note), width)) + "\n")
	}
	if t.notePath != "" {
		// Whole, not cut: the path is what the user needs.
		b.WriteString(s.Hint.Render(ansi.Hardwrap(termtext.Line(t.notePath), width, false)) + "\n")
	}
	return b.String()
}

// contrastReport returns theme.ContrastReport for th: the one fit kept,
// unless one of the three colours changed since.
func (t *themeStep) contrastReport(th model.Theme) []theme.ContrastCheck {
	if t.contrast == nil || themeColorsOf(th) != t.contrastColors {
		return theme.ContrastReport(th)
	}
	return t.contrast
}

// themeColorsOf are the three colours the contrast report is about.
func themeColorsOf(th model.Theme) [3]string {
	return [3]string{th.PrimaryColor, th.SidepanelBackgroundColor, th.SidepanelTextColor}
}

// previewCache keeps the last rendered Vault preview: rendering costs about
// a tenth of a millisecond, and most keystrokes do not change what it shows.
type previewCache struct {
	key  string
	text string
}

// render is the preview kept for this size, or drawn afresh (not kept).
func (c *previewCache) render(st *state, width, height int, compact bool) string {
	if previewKey(st.req.Session, width, height, compact) == c.key {
		return c.text
	}
	return theme.RenderPreview(st.req.Session, theme.PreviewOptions{
		Width: width, Height: height, Profile: st.profile, Compact: compact,
	})
}

// keep draws the preview for this size unless it already is.
func (c *previewCache) keep(st *state, width, height int, compact bool) {
	if k := previewKey(st.req.Session, width, height, compact); k != c.key {
		c.text, c.key = c.render(st, width, height, compact), k
	}
}

// previewKey is everything the preview depends on, as one comparable string.
func previewKey(s model.Session, width, height int, compact bool) string {
	var b strings.Builder
	t, m := s.Theme, s.ConsumerMetadata
	for _, v := range []string{t.VaultName, t.Logo, t.PrimaryColor, t.SidepanelBackgroundColor,
		t.SidepanelTextColor, t.PrivacyURL, t.TermsURL, m.AccountName, m.UserName, m.Image} {
		b.WriteString(v)
		b.WriteByte(0)
	}
	b.WriteString(strings.Join(s.Settings.UnifiedAPIs, ","))
	for _, bs := range model.BoolSettings() {
		if s.Settings.Effective(bs.Key) {
			b.WriteByte('1')
		} else {
			b.WriteByte('0')
		}
	}
	fmt.Fprintf(&b, "|%dx%d|%t", width, height, compact)
	return b.String()
}

// summary is the step's section of the Review.
func (*themeStep) summary(p *page, st *state) {
	t := st.req.Session.Theme
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
// show it: the Review draws it after the summary, before the request.
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

// themeIntro is what the step says first, in both front ends.
const themeIntro = "All optional: empty fields keep Vault's own look."

// applySuggestion puts a failing pair's suggested colour in the theme.
func applySuggestion(th *model.Theme, c theme.ContrastCheck) {
	switch c.Field {
	case "sidepanel_text_color":
		th.SidepanelTextColor = c.Suggestion
	case "primary_color":
		th.PrimaryColor = c.Suggestion
	}
}

// runAccessible offers the ready palettes, asks the fields, then reads out
// the contrast checks the screen shows and offers each fix.
func (t *themeStep) runAccessible(a *lineAsker, st *state) error {
	a.say("%s", themeIntro)
	palettes := theme.Palettes()
	names := make([]string, len(palettes))
	for i, p := range palettes {
		names[i] = fmt.Sprintf("%d %s", i+1, p.Name)
	}
	for {
		ans, err := orQuit(a.ask("Start from a ready palette? " + strings.Join(names, ", ") + "; enter keeps your colours: "))
		if err != nil {
			return err
		}
		if ans == "" {
			break
		}
		if n, ok := listNumber(ans, len(palettes)); ok {
			st.req.Session.Theme = palettes[n].Apply(st.req.Session.Theme)
			a.say("Palette %s: primary %s, side panel %s, text %s.", palettes[n].Name,
				palettes[n].PrimaryColor, palettes[n].SidepanelBackgroundColor, palettes[n].SidepanelTextColor)
			break
		}
		a.say("Please type a number from 1 to %d, or press enter.", len(palettes))
	}
	if err := t.form.runAccessible(a, st, t.validate); err != nil {
		return err
	}
	for _, c := range t.contrastReport(st.req.Session.Theme) {
		if c.Passes {
			a.say("Contrast, %s: %s, passes (4.5:1 needed).", strings.ToLower(c.Pair()), theme.FormatRatio(c.Ratio))
			continue
		}
		a.say("Contrast, %s: %s, below the 4.5:1 needed.", strings.ToLower(c.Pair()), theme.FormatRatio(c.Ratio))
		if c.Suggestion == "" {
			continue
		}
		fix, err := a.yesNo(fmt.Sprintf("Use %s instead (%s)?", c.Suggestion, theme.FormatRatio(c.SuggestedRatio())), true)
		if err != nil {
			return err
		}
		if fix {
			applySuggestion(&st.req.Session.Theme, c)
		}
	}
	return nil
}
