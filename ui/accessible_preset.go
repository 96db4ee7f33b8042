package ui

import (
	"fmt"
	"strings"

	"github.com/apideck-samples/vault-session/model/store"
	"github.com/apideck-samples/vault-session/model/termtext"
)

// pickPreset is the preset picker as a numbered list, asked after the
// credentials when presets exist (once, as the full-screen wizard does).
// The answer goes to the picker's own applyPreset, so a preset fills the
// theme and settings exactly as it does there; a name narrows with the
// picker's own filter.
func (lw *lineWizard) pickPreset() error {
	a, w := lw.ask, lw.w
	p, ok := w.screen.(*presetPicker)
	if !ok {
		return nil
	}
	all := p.matches()
	a.say("")
	a.say("Start from a preset? A preset fills the theme and settings; what --from and flags set stays on top.")
	a.say("0 none: start from what is already set")
	for i, pr := range all[1:] {
		a.say("%d %s: %s", i+1, termtext.LineN(pr.Name, 40), strings.Join(presetDetails(pr), ", "))
	}
	for {
		ans, err := a.ask(fmt.Sprintf("Preset: type its number (0 to %d) or name; enter keeps none: ", len(all)-1))
		if err != nil {
			return err
		}
		if isQuit(ans) {
			return errQuit
		}
		var chosen *store.Preset
		switch n, isNumber := listNumber(ans, len(all)-1); {
		case ans == "" || ans == "0":
		case isNumber:
			chosen = all[n+1]
		default:
			chosen = lw.presetNamed(p, ans)
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

// presetNamed finds the one preset an answer names: its exact name, or the
// only one the picker's filter keeps. Otherwise it says why and returns nil.
func (lw *lineWizard) presetNamed(p *presetPicker, ans string) *store.Preset {
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
		lw.ask.say("No preset matches %s: type a number from the list.", quoted(ans))
		return nil
	case 1:
		return matches[0]
	}
	names := make([]string, len(matches))
	for i, pr := range matches {
		names[i] = termtext.LineN(pr.Name, 40)
	}
	lw.ask.say("%d presets match %s: %s. Type one's number or full name.", len(matches), quoted(ans), strings.Join(names, ", "))
	return nil
}

// offerSavePreset is the review's s as a question: the current theme and
// settings (never the consumer card) saved as a preset, through the
// review's own words (presetSaved) so the note and the preset the history records
// are the same.
func askSavePreset(a *lineAsker, st *state) error {
	if st.memory.store == nil {
		return nil
	}
	for {
		ans, err := a.ask("Save these theme and settings as a preset (the consumer card is left out)? Type a name, or press enter to skip: ")
		if err != nil || ans == "" {
			return err
		}
		if isQuit(ans) {
			return errQuit
		}
		if err := store.CheckPresetName(ans); err != nil {
			a.say("Error: %s.", termtext.Line(strings.TrimSuffix(err.Error(), ".")))
			continue
		}
		if path, exists := st.memory.store.UserPresetPath(ans); exists {
			replace, err := a.yesNo(fmt.Sprintf("A preset named %s is at %s. Replace it?", quoted(ans), termtext.Line(path)), false)
			if err != nil {
				return err
			}
			if !replace {
				continue
			}
		}
		path, err := st.memory.store.SavePreset(ans, st.req.Session)
		note, _ := presetSaved(presetSavedMsg{name: ans, path: path, err: err}, st)
		// The note without its ✓ or ✗: the words say it.
		note = strings.TrimPrefix(strings.TrimPrefix(note, "✓ "), "✗ ")
		a.say("%s.", termtext.Line(strings.TrimSuffix(note, ".")))
		if err == nil {
			return nil
		}
	}
}
