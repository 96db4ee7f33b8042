package ui

import (
	"fmt"
	"strings"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/theme"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// themeStep edits how the hosted Vault page looks: its name, three colours
// (each with a swatch and contrast checks) and the logo, favicon and legal
// links, with a live preview of the Vault page beside the form.
type themeStep struct {
	form textForm
	// swatches caches one style per colour typed, so View does not build
	// styles on every frame.
	swatches map[string]lipgloss.Style
	// palette is the index of the last ready palette applied, -1 for none.
	palette int
	// showPreview switches a narrow screen from the form to the preview.
	showPreview bool
	preview     previewCache
	// contrast is the last contrast report and the colours it is for: the
	// nearest-colour search is not worth redoing on every frame.
	contrast       []theme.ContrastCheck
	contrastColors [3]string
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
func (t *themeStep) bindings() []key.Binding {
	k := DefaultKeyMap()
	return append(formBindings(), k.Palette, k.FixContrast, k.Preview)
}

func (t *themeStep) validate(st *state) model.ValidationErrors {
	return errorsFor(st.req.Session.Validate(), t.owns)
}

func (t *themeStep) update(msg tea.Msg, st *state) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, st.keys.Palette):
			t.applyPalette(st)
			return nil
		case key.Matches(k, st.keys.FixContrast):
			t.fixContrast(st)
			return nil
		case key.Matches(k, st.keys.Preview):
			t.showPreview = !t.showPreview
			return nil
		}
	}
	return t.form.update(msg, st)
}

// applyPalette puts the next ready palette's three colours in the form.
func (t *themeStep) applyPalette(st *state) {
	palettes := theme.Palettes()
	t.palette = (t.palette + 1) % len(palettes)
	st.req.Session.Theme = palettes[t.palette].Apply(st.req.Session.Theme)
	t.form.load(st)
}

// fixContrast replaces each colour that fails its contrast check with the
// nearest one that passes.
func (t *themeStep) fixContrast(st *state) {
	th := &st.req.Session.Theme
	for _, c := range theme.ContrastReport(*th) {
		if c.Passes || c.Suggestion == "" {
			continue
		}
		switch c.Field {
		case "sidepanel_text_color":
			th.SidepanelTextColor = c.Suggestion
		case "primary_color":
			th.PrimaryColor = c.Suggestion
		}
	}
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
		style = st.styles.Muted.UnsetForeground().Background(lipgloss.Color(hex))
		t.swatches[hex] = style
	}
	out := style.Render("    ")
	if hex != value {
		out += " " + st.styles.Hint.Render("→ "+hex)
	}
	return out
}

func (t *themeStep) view(st *state, width int) (string, int) {
	s := st.styles
	height := st.bodyHeight
	if width < sideBySideWidth && t.showPreview {
		hint := s.Hint.Render(truncate("Preview of the Vault page · ctrl+p back to the form", width))
		return hint + "\n" + t.preview.render(st, width, height-1, false), 0
	}
	formWidth := width
	if width >= sideBySideWidth {
		formWidth = themeFormWidth
	}
	head := s.Title.Render("Theme") + "\n" +
		s.Description.Render(truncate("All optional: empty fields keep Vault's own look.", formWidth)) + "\n\n"
	body, focus := t.form.view(st, formWidth)
	form := head + body + "\n" + t.contrastView(st, formWidth)
	if width < sideBySideWidth {
		return form + "\n" + s.Hint.Render(truncate("ctrl+p shows the Vault preview (wider terminals show it beside the form)", width)), focus + 3
	}
	preview := t.preview.render(st, width-formWidth-2, height, width-formWidth-2 < 66)
	// The form column is cut and padded to its width, so the preview
	// always starts at the same column and ends at the screen's edge.
	return lipgloss.JoinHorizontal(lipgloss.Top, fitColumn(form, formWidth), "  ", preview), focus + 3
}

// contrastView shows the WCAG contrast of the side panel's text and of the
// buttons' white text, with the nearest passing colour when one fails.
func (t *themeStep) contrastView(st *state, width int) string {
	s := st.styles
	var b strings.Builder
	b.WriteString(s.Label.Render("Contrast") + " " + s.Hint.Render("(WCAG, 4.5:1 needed)") + "\n")
	failing := false
	for _, c := range t.contrastReport(st.req.Session.Theme) {
		name := strings.TrimSuffix(strings.Replace(c.Name, " on ", " / ", 1), " colour")
		line := "  " + truncate(name, width-16)
		if c.Passes {
			line += "  " + s.Success.Render("✓ "+theme.FormatRatio(c.Ratio))
		} else {
			failing = true
			line += "  " + s.Warning.Render("⚠ "+theme.FormatRatio(c.Ratio))
			if c.Suggestion != "" {
				line += "\n    " + s.Hint.Render(truncate("nearest that passes: "+c.Suggestion, width-4))
			}
		}
		b.WriteString(line + "\n")
	}
	if failing {
		b.WriteString("  " + s.Hint.Render(truncate("ctrl+r uses the suggested colours", width-2)) + "\n")
	}
	return b.String()
}

// contrastReport returns theme.ContrastReport for th, computed again only
// when one of the three colours changed.
func (t *themeStep) contrastReport(th model.Theme) []theme.ContrastCheck {
	colors := [3]string{th.PrimaryColor, th.SidepanelBackgroundColor, th.SidepanelTextColor}
	if t.contrast == nil || colors != t.contrastColors {
		t.contrast, t.contrastColors = theme.ContrastReport(th), colors
	}
	return t.contrast
}

// previewCache keeps the last rendered Vault preview: rendering costs about
// a tenth of a millisecond, and most keystrokes do not change what it shows.
type previewCache struct {
	key  string
	text string
}

func (c *previewCache) render(st *state, width, height int, compact bool) string {
	k := previewKey(st.req.Session, width, height, compact)
	if k != c.key {
		c.key = k
		c.text = theme.RenderPreview(st.req.Session, theme.PreviewOptions{
			Width: width, Height: height, Profile: st.profile, Compact: compact,
		})
	}
	return c.text
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
