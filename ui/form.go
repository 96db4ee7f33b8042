package ui

import (
	"fmt"
	"strings"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/apideck-samples/vault-session/theme"
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// textField is one labelled line of text bound to a string in the state.
type textField struct {
	path  string // model.FieldError path of the value, for inline errors
	label string
	hint  string // one line under the field saying what it is for
	input textinput.Model
	bind  func(*state) *string
	// decorate adds something after the input, such as a colour swatch.
	decorate func(st *state, value string) string
	// liveHint, when it says something, stands for hint for now (the
	// consumer ID's completion from the history).
	liveHint func(st *state) string
	// below, when set, draws lines under the focused field's hint (the
	// consumer ID's suggestions); empty draws nothing.
	below func(st *state, width int) string
	// afterAnswer, when set, follows the field's answer in the plain
	// prompts (the consumer ID's suggestions, as a numbered list).
	afterAnswer func(a *lineAsker, st *state) error
	// mandatory fields say so next to their label, before the user fails them.
	mandatory bool
	// kept, when it says something, is drawn instead of the input: the
	// value came from outside (the API key from APIDECK_API_KEY) and no
	// key edits it until the step lets it go.
	kept func(st *state) string
}

// keptText is what the field shows instead of its input, "" when the
// input is edited as usual.
func (f *textField) keptText(st *state) string {
	if f.kept == nil {
		return ""
	}
	return f.kept(st)
}

func newTextField(path, label, placeholder, hint string, bind func(*state) *string) *textField {
	in := textinput.New()
	in.Placeholder = placeholder
	in.Prompt = ""
	in.CharLimit = 2048
	// A steady cursor: blinking costs a redraw twice a second for nothing.
	in.Cursor.SetMode(cursor.CursorStatic)
	return &textField{path: path, label: label, hint: hint, input: in, bind: bind}
}

// secret masks the input: the value is never drawn, not even its length.
func (f *textField) secret() *textField {
	f.input.EchoMode = textinput.EchoPassword
	f.input.EchoCharacter = '•'
	return f
}

// required marks the field as one the request cannot go without.
func (f *textField) required() *textField {
	f.mandatory = true
	return f
}

// requiredMark follows the label of a required field.
const requiredMark = " (required)"

// styleInput draws a text input in the app's palette: the input's own
// placeholder grey reads at under 3:1 on black. Its cursor is drawn by the
// wizard's renderer too: the input's own style is lipgloss's default
// renderer, which looks at this process's stdout and environment, not at
// the terminal the wizard draws on (a served wizard's, or one under
// NO_COLOR, where the default draws no reverse and the cursor vanished).
func styleInput(in *textinput.Model, s theme.Styles) {
	in.PlaceholderStyle = s.Placeholder
	in.TextStyle = s.Input
	in.PromptStyle = s.Muted
	in.Cursor.Style = s.TextCursor
	in.Cursor.TextStyle = s.Input
}

// textForm is a column of text fields with one focused; it is the body of
// the steps that are plain forms and a part of the others.
type textForm struct {
	fields []*textField
	focus  int
	// inline puts each label and input on one line and shows the hint of
	// the focused field only: for long forms and narrow columns.
	inline bool
}

func (f *textForm) load(st *state) {
	for _, fl := range f.fields {
		styleInput(&fl.input, st.styles)
		fl.input.SetValue(*fl.bind(st))
		fl.input.CursorEnd()
	}
	f.setFocus(f.focus)
}

func (f *textForm) save(st *state) {
	for _, fl := range f.fields {
		*fl.bind(st) = fl.input.Value()
	}
}

func (f *textForm) owns(path string) bool { return f.index(path) >= 0 }

func (f *textForm) index(path string) int {
	for i, fl := range f.fields {
		if fl.path == path {
			return i
		}
	}
	return -1
}

func (f *textForm) focusPath(path string) {
	if path == "" {
		f.setFocus(0)
		return
	}
	if i := f.index(path); i >= 0 {
		f.setFocus(i)
	}
}

func (f *textForm) setFocus(i int) {
	f.focus = max(0, min(i, len(f.fields)-1))
	for j, fl := range f.fields {
		if j == f.focus {
			fl.input.Focus()
		} else {
			fl.input.Blur()
		}
	}
}

// update moves between fields or edits the focused one. Moving past the last
// field (or Enter on it) asks for the next step; moving before the first,
// for the previous one.
func (f *textForm) update(msg tea.Msg, st *state) tea.Cmd {
	keys := st.keys
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, keys.Next), key.Matches(k, keys.NextField):
			if f.focus == len(f.fields)-1 {
				// Only Enter and Tab go on from the last field; ↓ stays.
				if key.Matches(k, keys.Down) {
					return nil
				}
				return st.navigate(nextStepMsg{})
			}
			f.setFocus(f.focus + 1)
			return nil
		case key.Matches(k, keys.PrevField):
			if f.focus == 0 {
				if key.Matches(k, keys.Up) {
					return nil
				}
				return st.navigate(prevStepMsg{})
			}
			f.setFocus(f.focus - 1)
			return nil
		}
	}
	var cmd tea.Cmd
	fl := f.fields[f.focus]
	if fl.keptText(st) != "" {
		return nil // a stray key does not edit a kept value
	}
	fl.input, cmd = fl.input.Update(msg)
	return cmd
}

// focusFirstEmpty focuses the first required field left empty, if any.
func (f *textForm) focusFirstEmpty() bool {
	for i, fl := range f.fields {
		if fl.mandatory && fl.input.Value() == "" {
			f.setFocus(i)
			return true
		}
	}
	return false
}

// view draws the fields one under the other: label, input, then either the
// field's error or its hint. focusLine is the focused input's line.
func (f *textForm) view(st *state, width int) (string, int) {
	if f.inline {
		return f.viewInline(st, width)
	}
	var b strings.Builder
	s := st.styles
	focusLine := 0
	inputWidth := max(10, min(width-4, 72))
	for i, fl := range f.fields {
		label := s.Label.Render(fl.label)
		marker := "  "
		if i == f.focus {
			label = s.FocusLabel.Render(fl.label)
			marker = s.Cursor.Render("› ")
		}
		if fl.mandatory {
			label += s.Hint.Render(requiredMark)
		}
		b.WriteString(marker + label + "\n")
		if i == f.focus {
			focusLine = strings.Count(b.String(), "\n")
		}
		row := "  " + fl.rowView(st, inputWidth)
		if fl.decorate != nil {
			row = lipgloss.JoinHorizontal(lipgloss.Top, row, "  ", fl.decorate(st, fl.input.Value()))
		}
		b.WriteString(row + "\n")
		b.WriteString(fieldNote(st, fl.path, fl.hintNow(st), width) + "\n")
		if fl.below != nil && i == f.focus {
			b.WriteString(fl.below(st, width))
		}
		if i < len(f.fields)-1 {
			b.WriteString("\n")
		}
	}
	return b.String(), focusLine
}

// viewInline draws "› Label   input" rows; under a row, its error, or the
// hint when it has the focus.
func (f *textForm) viewInline(st *state, width int) (string, int) {
	s := st.styles
	labelWidth := 0
	for _, fl := range f.fields {
		labelWidth = max(labelWidth, lipgloss.Width(fl.label))
	}
	labelWidth = min(labelWidth, width*2/5)
	// Room after the input for its cursor, a swatch and its " → #rrggbb".
	inputWidth := max(8, min(40, width-labelWidth-4-17))
	var b strings.Builder
	focusLine := 0
	for i, fl := range f.fields {
		label := truncate(fl.label, labelWidth)
		pad := strings.Repeat(" ", labelWidth-lipgloss.Width(label))
		marker := "  "
		if i == f.focus {
			marker = s.Cursor.Render("› ")
			label = s.FocusLabel.Render(label)
			focusLine = strings.Count(b.String(), "\n")
		} else {
			label = s.Label.Render(label)
		}
		row := marker + label + pad + "  " + fl.rowView(st, inputWidth)
		if fl.decorate != nil {
			row += " " + fl.decorate(st, fl.input.Value())
		}
		b.WriteString(row + "\n")
		indentBy := labelWidth + 4
		if msg := st.errs.For(fl.path); msg != "" {
			b.WriteString(indent(wrapIn(s.Error.Width(max(10, width-indentBy)), "✗ "+termtext.Text(msg)), indentBy) + "\n")
		} else if hint := fl.hintNow(st); i == f.focus && hint != "" {
			b.WriteString(strings.Repeat(" ", indentBy) + s.Hint.Render(truncate(hint, width-indentBy)) + "\n")
		}
	}
	return b.String(), focusLine
}

// rowView draws the input, or what stands for it while it is kept.
func (f *textField) rowView(st *state, width int) string {
	if kept := f.keptText(st); kept != "" {
		return st.styles.Code.Render(truncate(kept, width))
	}
	return editorView(f.inputView(width))
}

// inputView draws the input at a width: a copy is sized, so drawing
// changes nothing.
func (f *textField) inputView(width int) string {
	in := f.input
	in.Width = width
	return in.View()
}

// hintNow is the hint shown under the field.
func (f *textField) hintNow(st *state) string {
	if f.liveHint != nil {
		if h := f.liveHint(st); h != "" {
			return h
		}
	}
	return f.hint
}

// fieldNote is the line under a field: its error, wrapped so it is read
// whole, or else its hint. An error may quote the value or be the API's
// words, so it goes through termtext.
func fieldNote(st *state, path, hint string, width int) string {
	s := st.styles
	if msg := st.errs.For(path); msg != "" {
		return wrapIn(s.Error.Width(max(10, width-2)).PaddingLeft(2), "✗ "+termtext.Text(msg))
	}
	return "  " + s.Hint.Render(truncate(hint, width-2))
}

// truncate shortens s to width cells with an ellipsis.
func truncate(s string, width int) string {
	if width <= 1 {
		return ""
	}
	if lipgloss.Width(s) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && lipgloss.Width(string(r))+1 > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// errorsFor keeps the errors a step owns.
func errorsFor(errs model.ValidationErrors, owns func(string) bool) model.ValidationErrors {
	var out model.ValidationErrors
	for _, e := range errs {
		if owns(e.Path) {
			out = append(out, e)
		}
	}
	return out
}

func fieldError(path, msg string) model.FieldError { return model.FieldError{Path: path, Message: msg} }

// runAccessible asks each field in turn as a plain line, with the label,
// hint and placeholder the screen shows; an answer validate refuses is
// said with the screen's inline error, and asked again.
func (f *textForm) runAccessible(a *lineAsker, st *state, validate func(*state) model.ValidationErrors) error {
	for _, fl := range f.fields {
		for {
			if fl.hint != "" {
				a.say("%s: %s.", fl.label, strings.TrimSuffix(fl.hint, "."))
			}
			value := fl.bind(st)
			var ans string
			var err error
			if fl.input.EchoMode == textinput.EchoPassword { // a secret: never shown, not echoed
				keep := "none given, so the built-in demo API is used"
				if *value != "" {
					keep = "the key already given"
				}
				ans, err = orQuit(a.askSecret(fmt.Sprintf("%s (hidden as you type; enter keeps %s): ", fl.label, keep)))
			} else {
				ans, err = orQuit(a.ask(fl.prompt(*value)))
			}
			if err != nil {
				return err
			}
			old := *value
			switch ans {
			case "":
			case "-":
				*value = ""
			default:
				*value = ans
			}
			if msg := validate(st).For(fl.path); msg != "" {
				a.say("Error: %s: %s.", fl.label, termtext.Line(msg))
				*value = old
				continue
			}
			if fl.decorate != nil && *value != "" { // a colour: say what is sent
				if hex, err := model.NormalizeColor(*value); err == nil && hex != *value {
					a.say("%s is sent as %s.", quoted(*value), hex)
				}
			}
			if fl.afterAnswer != nil && ans != "" && ans != "-" {
				if err := fl.afterAnswer(a, st); err != nil {
					return err
				}
			}
			break
		}
	}
	return nil
}

// prompt is the field's question: its label, whether it is required, its
// placeholder read out, and what enter keeps.
func (fl *textField) prompt(value string) string {
	what := "optional"
	if fl.mandatory {
		what = "required"
	}
	if value == "" {
		// The placeholder, worded to be read out: "e.g. SpaceX" is "for
		// example SpaceX", "https://…" is "starting with https://".
		example := ""
		switch p := fl.input.Placeholder; {
		case strings.HasPrefix(p, "e.g. "):
			example = ", for example " + strings.TrimPrefix(p, "e.g. ")
		case strings.HasSuffix(p, "…"):
			example = ", starting with " + strings.TrimSuffix(p, "…")
		case p != "":
			example = ", " + p
		}
		return fmt.Sprintf("%s (%s%s; enter leaves it empty): ", fl.label, what, example)
	}
	return fmt.Sprintf("%s (%s; enter keeps %s, - empties it): ", fl.label, what, quoted(value))
}
