package theme

import "github.com/charmbracelet/lipgloss"

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
	Error       lipgloss.Style
	ErrorBox    lipgloss.Style
	Warning     lipgloss.Style
	Success     lipgloss.Style
	Cursor      lipgloss.Style // "›" before the focused row
	Selected    lipgloss.Style // a ticked item
	Code        lipgloss.Style // JSON and curl
	Key         lipgloss.Style // a key name in prose
	URL         lipgloss.Style
	Box         lipgloss.Style
	Muted       lipgloss.Style
}

// Brand colours of the wizard; the Vault default primary is its accent.
var (
	accent  = lipgloss.AdaptiveColor{Light: "#5D50CE", Dark: "#9D92F5"}
	muted   = lipgloss.AdaptiveColor{Light: "#6B7280", Dark: "#9CA3AF"}
	danger  = lipgloss.AdaptiveColor{Light: "#B91C1C", Dark: "#F87171"}
	warning = lipgloss.AdaptiveColor{Light: "#A16207", Dark: "#FACC15"}
	success = lipgloss.AdaptiveColor{Light: "#15803D", Dark: "#4ADE80"}
	code    = lipgloss.AdaptiveColor{Light: "#1F2937", Dark: "#E5E7EB"}
)

// NewStyles builds the wizard's styles for one renderer (the terminal's, or
// a colourless one in tests).
func NewStyles(r *lipgloss.Renderer) Styles {
	s := func() lipgloss.Style { return r.NewStyle() }
	return Styles{
		Header:      s().PaddingBottom(1),
		AppName:     s().Bold(true).Foreground(accent),
		StepName:    s().Bold(true),
		StepDone:    s().Foreground(accent),
		StepTodo:    s().Foreground(muted),
		DemoBadge:   s().Bold(true).Foreground(lipgloss.Color("#1F2937")).Background(lipgloss.Color("#FDE047")).Padding(0, 1),
		Title:       s().Bold(true).Foreground(accent),
		Description: s().Foreground(muted),
		Label:       s(),
		FocusLabel:  s().Bold(true).Foreground(accent),
		Hint:        s().Foreground(muted),
		Error:       s().Foreground(danger),
		ErrorBox:    s().Border(lipgloss.RoundedBorder()).BorderForeground(danger).Padding(0, 1),
		Warning:     s().Foreground(warning),
		Success:     s().Bold(true).Foreground(success),
		Cursor:      s().Bold(true).Foreground(accent),
		Selected:    s().Foreground(accent),
		Code:        s().Foreground(code),
		Key:         s().Bold(true),
		URL:         s().Underline(true).Foreground(accent),
		Box:         s().Border(lipgloss.RoundedBorder()).BorderForeground(muted).Padding(0, 1),
		Muted:       s().Foreground(muted),
	}
}
