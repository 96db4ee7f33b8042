package theme

import (
	"fmt"
	"math"
	"strings"

	"github.com/apideck-samples/vault-session/model"
)

// MinContrast is the WCAG 2.x level AA minimum for normal text (4.5:1).
const MinContrast = 4.5

// RelativeLuminance returns the WCAG 2.x relative luminance of a colour in
// any form model.NormalizeColor accepts: 0 for black, 1 for white.
func RelativeLuminance(color string) (float64, error) {
	r, g, b, err := model.RGB(color)
	if err != nil {
		return 0, err
	}
	return linearFromBytes(r, g, b).luminance(), nil
}

// ContrastRatio returns the WCAG 2.x contrast ratio of two colours, from 1
// (same luminance) to 21 (black and white). The order does not matter.
func ContrastRatio(fg, bg string) (float64, error) {
	lf, err := RelativeLuminance(fg)
	if err != nil {
		return 0, err
	}
	lb, err := RelativeLuminance(bg)
	if err != nil {
		return 0, err
	}
	return ratioOf(lf, lb), nil
}

func ratioOf(l1, l2 float64) float64 {
	if l1 < l2 {
		l1, l2 = l2, l1
	}
	return (l1 + 0.05) / (l2 + 0.05)
}

// FormatRatio writes a ratio as "4.47:1". It rounds down, like the WebAIM
// checker, so a ratio that fails 4.5:1 is never shown as "4.50:1".
func FormatRatio(ratio float64) string {
	return fmt.Sprintf("%.2f:1", math.Floor(ratio*100+1e-9)/100)
}

// NoPassingColorError says that no shade of any colour reaches the asked
// ratio against Bg: even black or white falls short. It only happens for
// minimums above about 4.58:1 on mid-grey backgrounds.
type NoPassingColorError struct {
	Bg   string  // the background, "#rrggbb"
	Min  float64 // the ratio asked for
	Best float64 // the best ratio black or white reaches
}

func (e *NoPassingColorError) Error() string {
	return fmt.Sprintf("no colour reaches %s against %s (black or white reach at most %s)",
		FormatRatio(e.Min), e.Bg, FormatRatio(e.Best))
}

// NearestPassing returns the colour closest to fg whose contrast ratio
// against bg is at least min, as lower-case "#rrggbb". A fg that already
// passes is returned normalised and unchanged.
//
// The search keeps fg's OKLCH hue and chroma (lowering chroma only where the
// shade would leave sRGB) and moves its lightness both darker and lighter,
// taking whichever passing shade is nearer to fg in OKLab: the answer looks
// like the same colour, only lighter or darker.
func NearestPassing(fg, bg string, min float64) (string, error) {
	fgHex, err := model.NormalizeColor(fg)
	if err != nil {
		return "", err
	}
	bgHex, err := model.NormalizeColor(bg)
	if err != nil {
		return "", err
	}
	fr, fgG, fb, _ := model.RGB(fgHex)
	br, bgG, bb, _ := model.RGB(bgHex)
	start := linearFromBytes(fr, fgG, fb)
	yBg := linearFromBytes(br, bgG, bb).luminance()
	if ratioOf(start.luminance(), yBg) >= min {
		return fgHex, nil
	}

	lab := start.okLab()
	chroma, hue := lab.chroma(), lab.hue()
	best, bestDist := "", math.Inf(1)
	for _, end := range [2]float64{0, 1} { // towards black, towards white
		hex, ok := passingShade(lab.L, end, chroma, hue, yBg, min)
		if !ok {
			continue
		}
		r, g, b, _ := model.RGB(hex)
		if d := lab.distance(linearFromBytes(r, g, b).okLab()); d < bestDist {
			best, bestDist = hex, d
		}
	}
	if best == "" {
		return "", &NoPassingColorError{Bg: bgHex, Min: min, Best: math.Max(ratioOf(0, yBg), ratioOf(1, yBg))}
	}
	return best, nil
}

// passingShade searches lightness between from (failing) and end (0 or 1)
// for the first shade that passes. Contrast grows steadily as lightness
// moves away from the background's, so bisection finds the boundary; the
// last loop makes sure the colour still passes once rounded to 8 bits.
func passingShade(from, end, chroma, hue, yBg, min float64) (string, bool) {
	passes := func(c linearRGB) bool { return ratioOf(c.luminance(), yBg) >= min }
	if !passes(shadeAt(end, chroma, hue)) {
		return "", false
	}
	lo, hi := from, end // lo fails, hi passes
	for range 24 {
		mid := (lo + hi) / 2
		if passes(shadeAt(mid, chroma, hue)) {
			hi = mid
		} else {
			lo = mid
		}
	}
	step := (end - from) / 512
	for range 600 {
		hex := shadeAt(hi, chroma, hue).hex()
		r, g, b, _ := model.RGB(hex)
		if passes(linearFromBytes(r, g, b)) {
			return hex, true
		}
		hi += step
		if (end == 0 && hi < 0) || (end == 1 && hi > 1) {
			hi = end
		}
	}
	return shadeAt(end, chroma, hue).hex(), true
}

// ContrastCheck is one pair of colours the Vault page draws text with.
type ContrastCheck struct {
	Name string // e.g. "Side panel text on background"
	// Field is the theme key (JSON name) to change to fix the pair:
	// "sidepanel_text_color" or "primary_color".
	Field  string
	Fg, Bg string // "#rrggbb" as Vault draws them, defaults filled in
	Ratio  float64
	Passes bool // Ratio >= MinContrast
	// Suggestion is the colour for Field to use instead; empty when the
	// pair passes already. For text it is white or black when one of them
	// passes (the clearest choice), else Nearest.
	Suggestion string
	// Nearest is the passing colour closest to the one chosen (same hue,
	// lighter or darker), offered as the other choice.
	Nearest string
	// Texts are what the page draws in this pair (ThemedTexts), by name:
	// "the title", "+ Add".
	Texts []string
}

// Pair names the check for a screen: "Side panel text / background",
// "Button text / primary".
func (c ContrastCheck) Pair() string {
	return strings.TrimSuffix(strings.Replace(c.Name, " on ", " / ", 1), " colour")
}

// SuggestedRatio is the ratio the pair reaches with Suggestion (0 when
// there is none).
func (c ContrastCheck) SuggestedRatio() float64 {
	if c.Suggestion == "" {
		return 0
	}
	var r float64
	if c.Field == "primary_color" {
		r, _ = ContrastRatio(c.Fg, c.Suggestion)
	} else {
		r, _ = ContrastRatio(c.Suggestion, c.Bg)
	}
	return r
}

// Advice is what to use instead, as the wizard's Theme step and `preview`
// say it: "try #ffffff (15.51:1) or #8f98ad, the nearest shade". Empty
// when the pair passes or no colour would.
func (c ContrastCheck) Advice() string {
	if c.Passes || c.Suggestion == "" {
		return ""
	}
	try := fmt.Sprintf("try %s (%s)", c.Suggestion, FormatRatio(c.SuggestedRatio()))
	if c.Nearest != "" && c.Nearest != c.Suggestion {
		try += " or " + c.Nearest + ", the nearest shade"
	}
	return try
}

// Warning is a failing check in one line, for a log or a terminal:
// "Side panel text / background 1.05:1, below 4.5:1: try #ffffff
// (15.51:1) or #8f98ad, the nearest shade, for sidepanel_text_color. Hard
// to read: the title, the navigation, …". A passing check reads
// "Side panel text / background 14.84:1".
func (c ContrastCheck) Warning() string {
	s := c.Pair() + " " + FormatRatio(c.Ratio)
	if c.Passes {
		return s
	}
	s += ", below " + FormatRatio(MinContrast)
	if advice := c.Advice(); advice != "" {
		s += ": " + advice + ", for " + c.Field
	}
	if len(c.Texts) > 0 {
		s += ". Hard to read: " + model.AndList(c.Texts)
	}
	return s + "."
}

// ThemedText is one text the hosted Vault page draws in colours a theme
// decides. The HTML page marks each with data-contrast="ID", so a browser
// test can check that no text is drawn in a theme's colours without a
// rule here.
type ThemedText struct {
	ID   string // "title"
	Name string // "the title", as a warning names it
	// Field is the colour of the theme that fixes it, as ContrastCheck's.
	Field string
}

// ThemedTexts lists the texts of the page by the pair of colours they are
// drawn in: the side panel's text on its background (every text and icon
// of the side panel and of the small screens' top bar, vault-ui.md) and
// white on the button colour (every primary button and the avatar's
// initials).
func ThemedTexts() []ThemedText {
	const side, button = "sidepanel_text_color", "primary_color"
	return []ThemedText{
		{"title", "the title", side},
		{"nav", "the navigation", side},
		{"menu", "the menu and close buttons (small screens)", side},
		{"powered", "Powered by apideck", side},
		{"legal", "the Terms and Privacy links", side},
		{"add", "+ Add", button},
		{"primary", "the other primary buttons (Authorize, Settings, Save, Re-authorize, Return to application)", button},
		{"avatar", "the avatar's initials", button},
	}
}

// ContrastReport checks the two text colours a theme decides: side-panel
// text on the side-panel background, and the white text of primary buttons
// ("+ Add", "Authorize", "Save") on the button colour. Empty or invalid
// fields are checked with the colours Vault falls back to (see Effective),
// so the report always describes what the customer will see.
func ContrastReport(t model.Theme) []ContrastCheck {
	e := Effective(t)
	side := newCheck("Side panel text on background", "sidepanel_text_color",
		e.SidepanelTextColor, e.SidepanelBackgroundColor, e.SidepanelTextColor)
	// White text is fixed; the suggestion changes the primary colour, so
	// search from the button colour against white (contrast is symmetric).
	button := newCheck("Button text on primary colour", "primary_color",
		ButtonTextColor, ButtonColor(t), ButtonColor(t))
	return []ContrastCheck{side, button}
}

// ContrastWarnings are the checks of ContrastReport that fail.
func ContrastWarnings(t model.Theme) []ContrastCheck {
	var failing []ContrastCheck
	for _, c := range ContrastReport(t) {
		if !c.Passes {
			failing = append(failing, c)
		}
	}
	return failing
}

// newCheck measures fg on bg; adjust is the colour of the pair the user can
// change, from which a suggestion is searched.
func newCheck(name, field, fg, bg, adjust string) ContrastCheck {
	c := ContrastCheck{Name: name, Field: field, Fg: fg, Bg: bg}
	for _, text := range ThemedTexts() {
		if text.Field == field {
			c.Texts = append(c.Texts, text.Name)
		}
	}
	c.Ratio, _ = ContrastRatio(fg, bg) // both come from Effective: valid
	c.Passes = c.Ratio >= MinContrast
	if !c.Passes {
		other := bg
		if adjust == bg {
			other = fg
		}
		c.Nearest, _ = NearestPassing(adjust, other, MinContrast)
		c.Suggestion = c.Nearest
		if adjust == fg {
			if bw := blackOrWhite(bg); bw != "" {
				c.Suggestion = bw
			}
		}
	}
	return c
}

// blackOrWhite returns white or black, whichever reads better on bg, when
// it passes MinContrast; "" when neither does.
func blackOrWhite(bg string) string {
	onWhite, _ := ContrastRatio("#ffffff", bg)
	onBlack, _ := ContrastRatio("#000000", bg)
	switch {
	case onWhite >= onBlack && onWhite >= MinContrast:
		return "#ffffff"
	case onBlack > onWhite && onBlack >= MinContrast:
		return "#000000"
	}
	return ""
}
