package ui

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/store"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// presetPicker offers the presets once the credentials are in: "none"
// first, then each preset, narrowed by what is typed.
type presetPicker struct {
	presets []store.Preset
	filter  string
	// cursor indexes matches(): 0 is "none".
	cursor int
}

func (p *presetPicker) title() string    { return "Preset" }
func (p *presetPicker) afterSteps() bool { return false }

func (p *presetPicker) bindings(st *state) []key.Binding {
	k := st.keys
	// Typing filters: the line says so, under the key that edits it.
	typing := bindAs("type", "filter", k.FilterEdit.Keys()...)
	return []key.Binding{k.UsePreset, relabel(k.Up, "choose"), typing, k.Back, k.Quit}
}

// back clears the filter first, then goes back to the credentials.
func (p *presetPicker) back(w *wizard) tea.Cmd {
	if p.filter != "" {
		p.filter, p.cursor = "", 0
		return nil
	}
	w.screen = nil
	w.goTo(w.credentials())
	return nil
}

// matches are the presets whose name (or vault name) holds the filter;
// nil stands for "none", always first.
func (p *presetPicker) matches() []*store.Preset {
	out := []*store.Preset{nil}
	f := strings.ToLower(p.filter)
	for i := range p.presets {
		pr := &p.presets[i]
		if f == "" || strings.Contains(strings.ToLower(pr.Name), f) ||
			strings.Contains(strings.ToLower(pr.Session.Theme.VaultName), f) {
			out = append(out, pr)
		}
	}
	return out
}

func (p *presetPicker) update(msg tea.Msg, w *wizard) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	matches := p.matches()
	keys := w.st.keys
	switch {
	case key.Matches(k, keys.UsePreset):
		w.applyPreset(matches[min(p.cursor, len(matches)-1)])
	case key.Matches(k, keys.PrevField):
		p.cursor = max(0, p.cursor-1)
	case key.Matches(k, keys.NextField):
		p.cursor = min(len(matches)-1, p.cursor+1)
	case key.Matches(k, keys.FilterEdit):
		if r := []rune(p.filter); len(r) > 0 {
			p.filter = string(r[:len(r)-1])
		}
		p.cursor = min(p.cursor, len(p.matches())-1)
	case k.Type == tea.KeyRunes, k.Type == tea.KeySpace:
		p.filter += string(k.Runes)
		// Typing narrows to the presets: the first match, not "none".
		p.cursor = min(1, len(p.matches())-1)
	}
	return nil
}

func (p *presetPicker) view(st *state, width int) (string, int) {
	s := st.styles
	var b strings.Builder
	b.WriteString(s.Title.Render("Start from a preset?") + "\n")
	b.WriteString(s.Description.Render(truncate("A preset fills the theme and settings; what --from and flags set stays on top. Type to filter.", width)) + "\n\n")
	filter := s.Muted.Render("type to filter")
	if p.filter != "" {
		filter = s.Code.Render(termtext.LineN(p.filter, 60))
	}
	b.WriteString("  " + s.Label.Render("Filter ") + filter + "\n\n")
	focus := 0
	matches := p.matches()
	for i, pr := range matches {
		line := "none: start from what is already set"
		if pr != nil {
			line = termtext.LineN(pr.Name, 40) + "  " + s.Muted.Render(strings.Join(presetDetails(pr), " · "))
		}
		marker := "  "
		if i == p.cursor {
			marker = s.Cursor.Render("› ")
			focus = strings.Count(b.String(), "\n")
			if pr == nil {
				line = s.Selected.Render(line)
			}
		}
		b.WriteString(marker + truncateANSI(line, width-2) + "\n")
	}
	if len(matches) == 1 && p.filter != "" {
		b.WriteString("  " + s.Hint.Render("No preset matches; "+st.keys.FilterEdit.Help().Key+" edits the filter.") + "\n")
	}
	return b.String(), focus
}

// presetDetails says what a preset holds after its name: its unified
// APIs, its Vault name, whether it is shared. Made safe for the terminal.
func presetDetails(pr *store.Preset) []string {
	apis := "all APIs"
	if ids := pr.Session.Settings.UnifiedAPIs; len(ids) > 0 {
		apis = strings.Join(ids, ", ")
	}
	out := []string{termtext.LineN(apis, 60)}
	if name := pr.Session.Theme.VaultName; name != "" {
		out = append(out, termtext.LineN(name, 40))
	}
	if pr.Shared {
		out = append(out, "shared")
	}
	return out
}

// offerPresets shows the picker after the credentials, the first time
// only, when there are presets. It reports whether it did.
func (w *wizard) offerPresets() bool {
	if w.presetOffered || len(w.st.memory.presets) == 0 {
		return false
	}
	w.presetOffered = true
	w.screen = &presetPicker{presets: w.st.memory.presets}
	return true
}

// offerPresetsAtStart offers them straight away when the credentials were
// all given and the wizard starts past them.
func (w *wizard) offerPresetsAtStart() {
	if w.current > w.credentials() {
		w.offerPresets()
	}
}

// applyPreset lays what is already set (from --from and flags) over the
// preset, field by field, as the command line does, and goes on to the
// consumer. nil is "none".
func (w *wizard) applyPreset(p *store.Preset) {
	w.screen = nil
	if p != nil {
		current, err := json.Marshal(w.st.req.Session)
		if err == nil {
			if merged, err := model.OverlaySession(p.Session, current); err == nil {
				w.st.req.Session = merged
				w.st.memory.preset = p.Name
			}
		}
	}
	w.goTo(w.consumer())
}

// runAccessible is the preset picker as a numbered list, asked after the
// credentials when presets exist (once, as the full-screen wizard does).
// The answer goes to the picker's own applyPreset, so a preset fills the
// theme and settings exactly as it does there; a name narrows with the
// picker's own filter.
func (p *presetPicker) runAccessible(lw *lineWizard) error {
	a, w := lw.ask, lw.w
	all := p.matches()
	a.say("")
	a.say("Start from a preset? A preset fills the theme and settings; what --from and flags set stays on top.")
	a.say("0 none: start from what is already set")
	for i, pr := range all[1:] {
		a.say("%d %s: %s", i+1, termtext.LineN(pr.Name, 40), strings.Join(presetDetails(pr), ", "))
	}
	for {
		ans, err := orQuit(a.ask(fmt.Sprintf("Preset: type its number (0 to %d) or name; enter keeps none: ", len(all)-1)))
		if err != nil {
			return err
		}
		var chosen *store.Preset
		switch n, isNumber := listNumber(ans, len(all)-1); {
		case ans == "" || ans == "0":
		case isNumber:
			chosen = all[n+1]
		default:
			chosen = p.named(a, ans)
			if chosen == nil {
				continue
			}
		}
		w.applyPreset(chosen)
		if chosen != nil {
			a.say("Preset %s: its theme and settings are filled in, and each question keeps them on enter.", termtext.LineN(chosen.Name, 40))
		}
		return nil
	}
}

// named finds the one preset an answer names: its exact name, or the
// only one the picker's filter keeps. Otherwise it says why and returns nil.
func (p *presetPicker) named(a *lineAsker, ans string) *store.Preset {
	defer func() { p.filter = "" }()
	p.filter = ans
	matches := p.matches()[1:]
	for _, pr := range matches {
		if strings.EqualFold(pr.Name, ans) {
			return pr
		}
	}
	switch len(matches) {
	case 0:
		a.say("No preset matches %s: type a number from the list.", quoted(ans))
		return nil
	case 1:
		return matches[0]
	}
	names := make([]string, len(matches))
	for i, pr := range matches {
		names[i] = termtext.LineN(pr.Name, 40)
	}
	a.say("%d presets match %s: %s. Type one's number or full name.", len(matches), quoted(ans), strings.Join(names, ", "))
	return nil
}
