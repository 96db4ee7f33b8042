package theme

import (
	"io"
	"reflect"
	"strconv"
	"testing"

	"github.com/apideck-samples/vault-session/theme/sgrtest"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// styleColors returns the text and background colours a style draws with
// on a true-colour terminal and on a 256-colour one: unset ones are the
// terminal's, which the palette assumes.
func styleColors(t *testing.T, st lipgloss.Style, p AppPalette) (fg, bg, fg256, bg256 string) {
	t.Helper()
	pick := func(c lipgloss.TerminalColor, unset string) (string, string) {
		switch c := c.(type) {
		case lipgloss.NoColor:
			return unset, unset
		case lipgloss.CompleteColor:
			i, err := strconv.Atoi(c.ANSI256)
			if err != nil || i < 16 || i > 255 {
				t.Fatalf("256-colour stand-in %q of %s", c.ANSI256, c.TrueColor)
			}
			return c.TrueColor, ANSI256Hex(i)
		}
		t.Fatalf("colour %#v is not a palette colour", c)
		return "", ""
	}
	fg, fg256 = pick(st.GetForeground(), p.Text)
	bg, bg256 = pick(st.GetBackground(), p.Background)
	return fg, bg, fg256, bg256
}

// TestEveryStyleReadable measures, with the project's own WCAG code, every
// text style of both palettes against the background it is drawn on, in
// true colour and as a 256-colour terminal shows it.
func TestEveryStyleReadable(t *testing.T) {
	t.Parallel()
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.TrueColor)
	for _, p := range []AppPalette{LightAppPalette(), DarkAppPalette()} {
		styles := reflect.ValueOf(NewStylesFor(r, p))
		lowest, lowestName := 21.0, ""
		lowest256, lowest256Name := 21.0, ""
		for i := range styles.NumField() {
			name := styles.Type().Field(i).Name
			fg, bg, fg256, bg256 := styleColors(t, styles.Field(i).Interface().(lipgloss.Style), p)
			for _, pair := range [][2]string{{fg, bg}, {fg256, bg256}} {
				ratio, err := ContrastRatio(pair[0], pair[1])
				if err != nil {
					t.Fatalf("%s palette, %s: %v", p.Name, name, err)
				}
				if ratio < MinContrast {
					t.Errorf("%s palette: %s is %s on %s, %s: below %s", p.Name, name, pair[0], pair[1], FormatRatio(ratio), FormatRatio(MinContrast))
				}
				if pair[0] == fg && ratio < lowest {
					lowest, lowestName = ratio, name
				}
				if pair[0] == fg256 && ratio < lowest256 {
					lowest256, lowest256Name = ratio, name
				}
			}
		}
		t.Logf("%s palette: lowest contrast %s (%s); in 256 colours %s (%s)", p.Name,
			FormatRatio(lowest), lowestName, FormatRatio(lowest256), lowest256Name)
	}
}

// TestPaletteFollowsBackground: the renderer's answer picks the palette,
// so a light terminal never gets the pale accent made for dark ones.
func TestPaletteFollowsBackground(t *testing.T) {
	t.Parallel()
	for _, dark := range []bool{false, true} {
		r := lipgloss.NewRenderer(io.Discard)
		r.SetColorProfile(termenv.TrueColor)
		r.SetHasDarkBackground(dark)
		got := NewStyles(r).AppName.GetForeground().(lipgloss.CompleteColor).TrueColor
		want := AppPaletteFor(dark).Accent
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

// TestNoColorStylesDrawAttributesOnly: NO_COLOR's styles hold no colour
// at all (text, background or border), drawn by a renderer that writes
// attributes, and what colour alone told apart has an attribute instead.
func TestNoColorStylesDrawAttributesOnly(t *testing.T) {
	t.Parallel()
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI)
	for _, dark := range []bool{false, true} {
		st := NewStylesFor(r, NoColorAppPalette(dark))
		styles := reflect.ValueOf(st)
		for i := range styles.NumField() {
			name := styles.Type().Field(i).Name
			s := styles.Field(i).Interface().(lipgloss.Style)
			colours := []lipgloss.TerminalColor{s.GetForeground(), s.GetBackground(),
				s.GetBorderTopForeground(), s.GetBorderBottomForeground(), s.GetBorderLeftForeground(), s.GetBorderRightForeground()}
			for _, c := range colours {
				if _, ok := c.(lipgloss.NoColor); !ok {
					t.Errorf("dark=%t: %s has the colour %#v", dark, name, c)
				}
			}
			if bad := sgrtest.Colours(s.Render("text")); len(bad) > 0 {
				t.Errorf("dark=%t: %s draws %v", dark, name, bad)
			}
		}
		for name, has := range map[string]bool{
			"Placeholder italic":    st.Placeholder.GetItalic(),
			"Hint italic":           st.Hint.GetItalic(),
			"Selected bold":         st.Selected.GetBold(),
			"Error bold":            st.Error.GetBold(),
			"Warning bold":          st.Warning.GetBold(),
			"DemoBadge reversed":    st.DemoBadge.GetReverse(),
			"FocusLabel bold":       st.FocusLabel.GetBold(),
			"URL underlined":        st.URL.GetUnderline(),
			"nothing faint":         !st.Hint.GetFaint() && !st.Placeholder.GetFaint() && !st.Muted.GetFaint(),
			"Placeholder not Input": st.Placeholder.Render("x") != st.Input.Render("x"),
		} {
			if !has {
				t.Errorf("dark=%t: not %s", dark, name)
			}
		}
	}
	// The palettes in colour are left as they were: no attribute added.
	for _, p := range []AppPalette{LightAppPalette(), DarkAppPalette()} {
		st := NewStylesFor(r, p)
		if st.Placeholder.GetItalic() || st.Hint.GetItalic() || st.Selected.GetBold() || st.DemoBadge.GetReverse() {
			t.Errorf("%s palette: attributes of NO_COLOR's", p.Name)
		}
	}
}
