package theme

import (
	"strings"

	"github.com/apideck-samples/vault-session/model"
)

// What the hosted Vault page uses when the session's theme leaves a field
// empty (from Vault's own source, see vault-ui.md). Colours are in the
// lower-case "#rrggbb" form model.NormalizeColor returns.
const (
	DefaultVaultName                = "Apideck"
	DefaultFavicon                  = "/favicon.ico"
	DefaultPrimaryColor             = "#5d50ce" // the top bar
	DefaultButtonColor              = "#775ad8" // primary buttons when no primary_color is sent
	DefaultSidepanelBackgroundColor = "#edf2f7"
	DefaultSidepanelTextColor       = "#1f2937"
	// ButtonTextColor is the text of every primary button; themes cannot
	// change it, which is why the primary colour must contrast with white.
	ButtonTextColor = "#ffffff"
)

// Effective returns the theme as the Vault page will draw it: colours
// normalised to "#rrggbb", and every empty field the page has a default for
// filled in. A colour that does not parse counts as empty, as a browser
// ignores a colour it cannot read; the form reports the error itself.
//
// The button colour has its own default (DefaultButtonColor) when
// primary_color is empty: use ButtonColor for it.
func Effective(t model.Theme) model.Theme {
	if strings.TrimSpace(t.VaultName) == "" {
		t.VaultName = DefaultVaultName
	}
	if strings.TrimSpace(t.Favicon) == "" {
		t.Favicon = DefaultFavicon
	}
	t.PrimaryColor = colorOr(t.PrimaryColor, DefaultPrimaryColor)
	t.SidepanelBackgroundColor = colorOr(t.SidepanelBackgroundColor, DefaultSidepanelBackgroundColor)
	t.SidepanelTextColor = colorOr(t.SidepanelTextColor, DefaultSidepanelTextColor)
	return t
}

// ButtonColor is the background of primary buttons ("+ Add", "Authorize",
// "Save"): the primary colour, or DefaultButtonColor (not the top bar's
// DefaultPrimaryColor) when the theme has none.
func ButtonColor(t model.Theme) string {
	return colorOr(t.PrimaryColor, DefaultButtonColor)
}

func colorOr(text, fallback string) string {
	if hex, err := model.NormalizeColor(text); err == nil {
		return hex
	}
	return fallback
}
