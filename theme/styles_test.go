package theme

import (
	"io"
	"reflect"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// styleColors returns the text and background colours a style draws with:
// unset ones are the terminal's, which the palette assumes.
func styleColors(t *testing.T, st lipgloss.Style, p AppPalette) (fg, bg string) {
	t.Helper()
	fg, bg = p.Text, p.Background
	switch c := st.GetForeground().(type) {
	case lipgloss.NoColor:
	case lipgloss.Color:
		fg = string(c)
	default:
		t.Fatalf("foreground %#v is not a palette colour", c)
	}
	switch c := st.GetBackground().(type) {
	case lipgloss.NoColor:
	case lipgloss.Color:
		bg = string(c)
	default:
		t.Fatalf("background %#v is not a palette colour", c)
	}
	return fg, bg
}

// TestEveryStyleReadable measures, with the project's own WCAG code, every
// text style of both palettes against the background it is drawn on.
func TestEveryStyleReadable(t *testing.T) {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.TrueColor)
	for _, p := range []AppPalette{LightAppPalette(), DarkAppPalette()} {
		styles := reflect.ValueOf(NewStylesFor(r, p))
		lowest, lowestName := 21.0, ""
		for i := range styles.NumField() {
			name := styles.Type().Field(i).Name
			fg, bg := styleColors(t, styles.Field(i).Interface().(lipgloss.Style), p)
			ratio, err := ContrastRatio(fg, bg)
			if err != nil {
				t.Fatalf("%s palette, %s: %v", p.Name, name, err)
			}
			if ratio < MinContrast {
				t.Errorf("%s palette: %s is %s on %s, %s: below %s", p.Name, name, fg, bg, FormatRatio(ratio), FormatRatio(MinContrast))
			}
			if ratio < lowest {
				lowest, lowestName = ratio, name
			}
		}
		t.Logf("%s palette: lowest contrast %s (%s)", p.Name, FormatRatio(lowest), lowestName)
	}
}

// TestPaletteFollowsBackground: the renderer's answer picks the palette,
// so a light terminal never gets the pale accent made for dark ones.
func TestPaletteFollowsBackground(t *testing.T) {
	for _, dark := range []bool{false, true} {
		r := lipgloss.NewRenderer(io.Discard)
		r.SetColorProfile(termenv.TrueColor)
		r.SetHasDarkBackground(dark)
		got := NewStyles(r).AppName.GetForeground()
		want := lipgloss.Color(AppPaletteFor(dark).Accent)
		if got != want {
			t.Errorf("dark=%t: app name in %v, want %v", dark, got, want)
		}
	}
	// The dark palette's accent on white is what the issue saw (2.5:1):
	// the right palette matters.
	if r, _ := ContrastRatio(DarkAppPalette().Accent, "#ffffff"); r >= MinContrast {
		t.Errorf("dark accent on white is %s; the test above would not notice a wrong pick", FormatRatio(r))
	}
}
