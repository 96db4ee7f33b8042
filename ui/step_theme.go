package ui

import (
	"github.com/apideck-samples/vault-session/model"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// themeStep edits how the hosted Vault page looks: its name, three colours
// (each with a swatch) and the logo, favicon and legal links.
type themeStep struct {
	form textForm
	// swatches caches one style per colour typed, so View does not build
	// styles on every frame.
	swatches map[string]lipgloss.Style
}

func newThemeStep() *themeStep {
	th := func(f func(*model.Theme) *string) func(*state) *string {
		return func(st *state) *string { return f(&st.req.Session.Theme) }
	}
	ts := &themeStep{swatches: map[string]lipgloss.Style{}}
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

func (t *themeStep) title() string           { return "Theme" }
func (t *themeStep) load(st *state)          { t.form.load(st) }
func (t *themeStep) save(st *state)          { t.form.save(st) }
func (t *themeStep) owns(path string) bool   { return t.form.owns(path) }
func (t *themeStep) focusPath(path string)   { t.form.focusPath(path) }
func (t *themeStep) typing() bool            { return true }
func (t *themeStep) bindings() []key.Binding { return formBindings() }

func (t *themeStep) validate(st *state) model.ValidationErrors {
	return errorsFor(st.req.Session.Validate(), t.owns)
}

func (t *themeStep) update(msg tea.Msg, st *state) tea.Cmd { return t.form.update(msg, st.keys) }

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
	head := s.Title.Render("Theme") + "\n" +
		s.Description.Render(truncate("All optional: Vault uses its own look for what you leave empty.", width)) + "\n\n"
	body, focus := t.form.view(st, width)
	return head + body, focus + 3
}
