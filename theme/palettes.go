package theme

import (
	"strings"

	"github.com/apideck-samples/vault-session/model"
)

// Palette is a ready set of the three theme colours to start from. Every
// palette passes MinContrast for side-panel text and for button text.
type Palette struct {
	Name                     string
	PrimaryColor             string
	SidepanelBackgroundColor string
	SidepanelTextColor       string
}

// Palettes returns the ready palettes, Vault's own default first. The slice
// is fresh on every call.
func Palettes() []Palette {
	return []Palette{
		{"Apideck default", DefaultPrimaryColor, DefaultSidepanelBackgroundColor, DefaultSidepanelTextColor},
		{"Midnight", "#4f46e5", "#111827", "#f9fafb"},
		{"Ocean", "#0369a1", "#e0f2fe", "#0c4a6e"},
		{"Forest", "#15803d", "#ecfdf5", "#14532d"},
		{"High contrast", "#000000", "#ffffff", "#000000"},
	}
}

// PaletteByName finds a palette by name, ignoring case and surrounding
// space (for a --palette flag or a menu).
func PaletteByName(name string) (Palette, bool) {
	for _, p := range Palettes() {
		if strings.EqualFold(p.Name, strings.TrimSpace(name)) {
			return p, true
		}
	}
	return Palette{}, false
}

// Apply returns t with the palette's three colours; logo, name, links and
// favicon are kept.
func (p Palette) Apply(t model.Theme) model.Theme {
	t.PrimaryColor = p.PrimaryColor
	t.SidepanelBackgroundColor = p.SidepanelBackgroundColor
	t.SidepanelTextColor = p.SidepanelTextColor
	return t
}
