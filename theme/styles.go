package theme

import (
	"strconv"

	"github.com/charmbracelet/lipgloss"
)

// Styles are the wizard's own looks (not the Vault page's): built once per
// renderer, never inline in a View.
type Styles struct {
	Header      lipgloss.Style // the top line
	AppName     lipgloss.Style
	StepName    lipgloss.Style
	StepDone    lipgloss.Style // progress dots
	StepTodo    lipgloss.Style
	DemoBadge   lipgloss.Style
	Title       lipgloss.Style // a step's heading
	Description lipgloss.Style // a line under a heading
	Label       lipgloss.Style
	FocusLabel  lipgloss.Style
	Hint        lipgloss.Style // dim text next to a field
	Placeholder lipgloss.Style // the example shown in an empty field
	Input       lipgloss.Style // what is typed into a field
	Error       lipgloss.Style
	ErrorBox    lipgloss.Style
	Warning     lipgloss.Style
	Success     lipgloss.Style
	Cursor      lipgloss.Style // "›" before the focused row
	TextCursor  lipgloss.Style // the cell under a text input's cursor (drawn reversed)
	Selected    lipgloss.Style // a ticked item
	Code        lipgloss.Style // JSON and curl
	Key         lipgloss.Style // a key name in prose
	URL         lipgloss.Style
	Box         lipgloss.Style
	Muted       lipgloss.Style
}

// AppPalette is the wizard's colours for one kind of terminal: dark text
// on a light background, or light text on a dark one. Every text colour
// reaches MinContrast against Background, which is the worst case the
// palette is meant for (white or black).
type AppPalette struct {
	Name string // "light", "dark" or "no colour"
	Dark bool
	// NoColor is NO_COLOR's palette (NoColorAppPalette): every colour
	// below is empty and nothing is drawn in a colour of the wizard's.
	NoColor bool
	// Background is the terminal background the palette assumes, and
	// Text the terminal's own text colour: styles without a foreground of
	// their own are drawn in it.
	Background, Text                              string
	Accent, Muted, Danger, Warning, Success, Code string
	// BadgeText on BadgeBackground is the demo badge, which carries its
	// own background so it looks the same everywhere.
	BadgeText, BadgeBackground string
}

// LightAppPalette is for terminals with a light background. Tailwind's 600
// and 700 shades: the lightest that still read at 4.5:1 on white.
func LightAppPalette() AppPalette {
	return AppPalette{
		Name: "light", Background: "#ffffff", Text: "#000000",
		Accent: "#5d50ce", Muted: "#4b5563", Danger: "#b91c1c",
		Warning: "#92400e", Success: "#15803d", Code: "#1f2937",
		BadgeText: "#1f2937", BadgeBackground: "#fde047",
	}
}

// DarkAppPalette is for terminals with a dark background (and the default
// when the background cannot be found out).
func DarkAppPalette() AppPalette {
	return AppPalette{
		Name: "dark", Dark: true, Background: "#000000", Text: "#ffffff",
		Accent: "#a5b4fc", Muted: "#9ca3af", Danger: "#f87171",
		Warning: "#facc15", Success: "#4ade80", Code: "#e5e7eb",
		BadgeText: "#1f2937", BadgeBackground: "#fde047",
	}
}

// AppPaletteFor returns the palette for a dark or a light background.
func AppPaletteFor(dark bool) AppPalette {
	if dark {
		return DarkAppPalette()
	}
	return LightAppPalette()
}

// NoColorAppPalette is for NO_COLOR (https://no-color.org), which asks for
// no colour and leaves attributes alone: no colour at all, so text is in
// the terminal's own colours, on its own background, whatever they are
// (the contrast is the terminal's, not ours). Its styles keep bold, italic,
// underline and reverse, and add some where a colour alone told things
// apart (see NewStylesFor).
func NoColorAppPalette(dark bool) AppPalette {
	return AppPalette{Name: "no colour", Dark: dark, NoColor: true}
}

// NewStyles builds the wizard's styles for one renderer, in the palette
// that suits the background the renderer was told about.
func NewStyles(r *lipgloss.Renderer) Styles {
	return NewStylesFor(r, AppPaletteFor(r.HasDarkBackground()))
}

// NewStylesFor builds the wizard's styles for one renderer (the terminal's,
// or a colourless one in tests) in palette p.
func NewStylesFor(r *lipgloss.Renderer, p AppPalette) Styles {
	s := func() lipgloss.Style { return r.NewStyle() }
	// Each colour carries its own 256- and 16-colour stand-ins, picked in
	// OKLab (ANSI256, ANSI16) rather than left to termenv's rounding.
	c := func(hex string) lipgloss.TerminalColor {
		if p.NoColor {
			return lipgloss.NoColor{}
		}
		i256, _ := ANSI256(hex)
		i16, _ := ANSI16(hex)
		return lipgloss.CompleteColor{TrueColor: hex, ANSI256: strconv.Itoa(i256), ANSI: strconv.Itoa(i16)}
	}
	accent, muted := c(p.Accent), c(p.Muted)
	st := Styles{
		Header:      s().PaddingBottom(1),
		AppName:     s().Bold(true).Foreground(accent),
		StepName:    s().Bold(true),
		StepDone:    s().Foreground(accent),
		StepTodo:    s().Foreground(muted),
		DemoBadge:   s().Bold(true).Foreground(c(p.BadgeText)).Background(c(p.BadgeBackground)).Padding(0, 1),
		Title:       s().Bold(true).Foreground(accent),
		Description: s().Foreground(muted),
		Label:       s(),
		FocusLabel:  s().Bold(true).Foreground(accent),
		Hint:        s().Foreground(muted),
		Placeholder: s().Foreground(muted),
		Input:       s(),
		Error:       s().Foreground(c(p.Danger)),
		ErrorBox:    s().Border(lipgloss.RoundedBorder()).BorderForeground(c(p.Danger)).Padding(0, 1),
		Warning:     s().Foreground(c(p.Warning)),
		Success:     s().Bold(true).Foreground(c(p.Success)),
		Cursor:      s().Bold(true).Foreground(accent),
		TextCursor:  s(), // the input reverses it
		Selected:    s().Foreground(accent),
		Code:        s().Foreground(c(p.Code)),
		Key:         s().Bold(true),
		URL:         s().Underline(true).Foreground(accent),
		Box:         s().Border(lipgloss.RoundedBorder()).BorderForeground(muted).Padding(0, 1),
		Muted:       s().Foreground(muted),
	}
	if p.NoColor {
		st = standInsForColour(st)
	}
	return st
}

// standInsForColour gives attributes to the styles that, in colour, were
// told apart by their colour alone; the others already carry a mark of
// their own ("›", "●"/"○", "[x]", "✓", "✗", "⚠") or are plain prose.
//
// Faint is used for nothing: some terminals do not draw it (the Windows
// console), others draw it at half strength, which on a light background
// reads at under 4:1, and every text here is meant to be read. Italic is
// drawn at full strength, and where a terminal cannot draw it (the Linux
// console) the placeholder is still told from a value by its words
// ("e.g. …", "leave empty for …", "https://…") and, in the focused field,
// by the cursor standing on its first letter rather than after the text.
func standInsForColour(st Styles) Styles {
	// An example in an empty field, and the line saying what a field is
	// for: not something typed.
	st.Placeholder = st.Placeholder.Italic(true)
	st.Hint = st.Hint.Italic(true)
	// What is on, chosen or ticked: "[x]", "● on", a palette's note.
	st.Selected = st.Selected.Bold(true)
	// Problems and cautions: bold beside their ✗ or ⚠.
	st.Error = st.Error.Bold(true)
	st.Warning = st.Warning.Bold(true)
	// The demo badge was dark on yellow: reversed, it is still a badge.
	st.DemoBadge = st.DemoBadge.Reverse(true)
	return st
}
