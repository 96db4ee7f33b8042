package ui

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textarea"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// customSettingsPath is the field this step edits, as in model.FieldError.
const customSettingsPath = "custom_consumer_settings"

// customSettingsExample is the spec's example, on one line.
const customSettingsExample = `{"feature_flag_1": true, "tax_rates": [{"id": "6", "label": "6%"}]}`

// editorPromptWidth is the gutter before the line numbers: two spaces of
// indent, then a bar, or a cross on the line of a syntax error.
const editorPromptWidth = 4

// customSettingsStep edits custom_consumer_settings, the one free-form
// object of the body. The text is kept exactly as typed, whatever it is, so
// going back and forth never reformats or loses it; the request gets the
// parsed object whenever the text is valid.
type customSettingsStep struct {
	area textarea.Model

	// raw is the text as typed. parsed, err and the rest are what it means,
	// worked out once per change rather than on every frame.
	raw     string
	parsed  json.RawMessage // compact; nil when raw is blank or invalid
	keys    int             // how many keys parsed has at its top
	err     error           // a *model.JSONError; nil when raw is blank or valid
	errLine int             // 1-based line of err, 0 when it names none
	widest  int             // the widest line of raw in cells
	// markLine is the editor line drawn with a cross: errLine, unless a
	// line wraps, since then the editor's rows are not the text's lines.
	markLine int
	errMark  string // the styled cross and its padding
	// loaded is set once raw was filled from the state.
	loaded bool
	// large is set while raw is too big to edit here comfortably: it is
	// not put in the editor, whose every key press costs time in its
	// size, but summed up, and ctrl+o edits it in $EDITOR.
	large bool
	// note says what the last command did (format, $EDITOR); cleared by
	// the next change.
	note      string
	noteIsErr bool

	// getenv reads VISUAL and EDITOR; tests replace it.
	getenv func(string) string
}

func newCustomSettingsStep() *customSettingsStep {
	c := &customSettingsStep{getenv: os.Getenv}
	a := textarea.New()
	a.Placeholder = "{ … } or leave blank"
	a.ShowLineNumbers = true
	// A steady cursor: blinking costs a redraw twice a second for nothing.
	a.Cursor.SetMode(cursor.CursorStatic)
	// ctrl+e formats the JSON here; end still goes to the end of the line.
	a.KeyMap.LineEnd = key.NewBinding(key.WithKeys("end"))
	a.SetPromptFunc(editorPromptWidth, func(line int) string {
		if c.markLine > 0 && line+1 == c.markLine {
			return c.errMark
		}
		return "  ┃ "
	})
	a.Focus()
	c.area = a
	c.errMark = "  ✗ "
	return c
}

func (c *customSettingsStep) title() string { return "Custom settings" }
func (c *customSettingsStep) typing() bool  { return !c.large }

func (c *customSettingsStep) owns(path string) bool { return path == customSettingsPath }
func (c *customSettingsStep) focusPath(string)      {}

func (c *customSettingsStep) bindings(st *state) []key.Binding {
	k := st.keys
	if c.large {
		return []key.Binding{k.EditorNext, k.EditorPrev, k.OpenEditor}
	}
	// Enter, like every other typing key, goes to the editor.
	return []key.Binding{k.EditorNext, k.EditorPrev, k.FormatJSON, k.OpenEditor}
}

// load fills the editor the first time, pretty-printing settings that came
// from a session file, and afterwards keeps the text as the user left it
// unless the request's settings were changed elsewhere.
func (c *customSettingsStep) load(st *state) {
	c.applyStyles(st)
	if !c.loaded || !c.agrees(st.req.Session.CustomConsumerSettings) {
		text := ""
		if m := st.req.Session.CustomConsumerSettings; len(m) > 0 {
			text = prettyJSON(m)
		}
		c.setText(text)
		c.loaded = true
	}
	c.area.Focus()
}

// Text larger than this is summed up rather than put in the editor: the
// textarea redraws all of its text on every key, about 0.8 ms a key at 40
// lines and 285 ms at 100 KB.
const (
	largeSettingsBytes = 16 << 10
	largeSettingsLines = 200
)

func tooLargeToEdit(text string) bool {
	return len(text) > largeSettingsBytes || strings.Count(text, "\n") >= largeSettingsLines
}

// setText replaces the whole text (loaded, or back from $EDITOR): into the
// editor, or summed up when it is too large for it.
func (c *customSettingsStep) setText(text string) {
	c.large = tooLargeToEdit(text)
	if c.large {
		c.area.SetValue("")
	} else {
		c.area.SetValue(text)
	}
	c.setRaw(text)
}

// agrees reports whether the text still stands for the request's object.
// Unparseable text is the user's unfinished edit: it is kept as it is.
func (c *customSettingsStep) agrees(m json.RawMessage) bool {
	if c.err != nil {
		return true
	}
	return bytes.Equal(c.parsed, m)
}

// save puts the parsed object in the request when the text is valid. When
// it is not, the request keeps its last valid object and the state says
// the text is broken, so the review cannot pass it off as what is sent.
func (c *customSettingsStep) save(st *state) {
	if !c.loaded {
		return
	}
	if c.err != nil {
		st.customSettingsErr = c.err
		return
	}
	st.customSettingsErr = nil
	st.req.Session.CustomConsumerSettings = c.parsed
}

func (c *customSettingsStep) validate(*state) model.ValidationErrors {
	if c.err != nil {
		return model.ValidationErrors{fieldError(customSettingsPath, c.err.Error())}
	}
	return nil
}

func (c *customSettingsStep) update(msg tea.Msg, st *state) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, st.keys.EditorNext):
			return st.navigate(nextStepMsg{})
		case key.Matches(msg, st.keys.EditorPrev):
			return st.navigate(prevStepMsg{})
		case key.Matches(msg, st.keys.FormatJSON):
			c.format()
			return nil
		case key.Matches(msg, st.keys.OpenEditor):
			return c.openEditor()
		}
		if c.large {
			// Nothing to type into: the text is edited in $EDITOR.
			return nil
		}
	case editorDoneMsg:
		c.editorDone(msg)
		return nil
	}
	if c.large {
		return nil
	}
	c.layout(st, screenWidth(st))
	var cmd tea.Cmd
	c.area, cmd = c.area.Update(msg)
	if v := c.area.Value(); v != c.raw {
		if tooLargeToEdit(v) {
			// A paste made it too large for the editor: summed up from
			// now on, edited with ctrl+o, and nothing of it is lost.
			c.setText(v)
			return cmd
		}
		c.setRaw(v)
	}
	return cmd
}

// setRaw records new text and works out what it means.
func (c *customSettingsStep) setRaw(text string) {
	c.raw = text
	c.note, c.noteIsErr = "", false
	c.parsed, c.err = model.ParseJSONObject(text)
	c.keys = model.ObjectKeys(c.parsed)
	c.errLine = 0
	var jerr *model.JSONError
	if errors.As(c.err, &jerr) {
		c.errLine = jerr.Line
	}
	c.widest = 0
	if c.large {
		return // not in the editor: no cross to place
	}
	for line := range strings.SplitSeq(text, "\n") {
		c.widest = max(c.widest, lipgloss.Width(line))
	}
}

// format indents valid JSON by two spaces, keeping the keys in the order
// typed and the numbers as written.
func (c *customSettingsStep) format() {
	switch {
	case c.err != nil:
		c.note, c.noteIsErr = "Fix the error first: only valid JSON can be formatted.", true
		return
	case strings.TrimSpace(c.raw) == "" || c.large:
		return
	}
	// Valid, so IndentJSON lays it out; the object is level 1 here.
	text := strings.TrimRight(string(model.IndentJSON([]byte(c.raw), model.IndentedLevels-1)), " \t\r\n")
	if text != c.raw {
		c.area.SetValue(text)
		c.setRaw(text)
	}
	c.note = "Formatted."
}

// prettyJSON shows an object loaded from a session file the way format
// would: as json.Indent does, but with objects nested deeper than the
// review shows them laid out kept on one line.
func prettyJSON(obj json.RawMessage) string {
	return string(model.IndentJSON(obj, model.IndentedLevels-1))
}

// editorDoneMsg brings back the text written in $EDITOR.
type editorDoneMsg struct {
	text string
	err  error
}

// openEditor hands the text to the user's editor; the program pauses
// until the editor exits. The temporary file is written when the command
// runs, not in Update.
func (c *customSettingsStep) openEditor() tea.Cmd {
	text, getenv := c.raw, c.getenv
	return func() tea.Msg {
		cmd, done, err := editorCommand(text, getenv)
		if err != nil {
			return editorDoneMsg{err: err}
		}
		return tea.ExecProcess(cmd, func(err error) tea.Msg { return done(err) })()
	}
}

// editorCommand writes text to a temporary file and returns the command
// that edits it ($VISUAL, else $EDITOR, else vi) and what to do once the
// command exits: read the file back and remove it.
func editorCommand(text string, getenv func(string) string) (*exec.Cmd, func(error) editorDoneMsg, error) {
	editor := strings.TrimSpace(getenv("VISUAL"))
	if editor == "" {
		editor = strings.TrimSpace(getenv("EDITOR"))
	}
	if editor == "" {
		editor = "vi"
	}
	f, err := os.CreateTemp("", "vault-session-custom-*.json")
	if err != nil {
		return nil, nil, fmt.Errorf("cannot open an editor: %w", err)
	}
	path := f.Name()
	_, werr := f.WriteString(text)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(path)
		return nil, nil, fmt.Errorf("cannot open an editor: %w", werr)
	}
	// "code --wait" and the like: the editor may come with arguments.
	args := strings.Fields(editor)
	cmd := exec.Command(args[0], append(args[1:], path)...)
	done := func(runErr error) editorDoneMsg {
		defer os.Remove(path)
		if runErr != nil {
			return editorDoneMsg{err: fmt.Errorf("%s: %w", args[0], runErr)}
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return editorDoneMsg{err: err}
		}
		edited := string(data)
		// Editors end files with a newline; it was not part of the text.
		if !strings.HasSuffix(text, "\n") {
			edited = strings.TrimSuffix(strings.TrimSuffix(edited, "\n"), "\r")
		}
		return editorDoneMsg{text: edited}
	}
	return cmd, done, nil
}

func (c *customSettingsStep) editorDone(msg editorDoneMsg) {
	if msg.err != nil {
		c.note, c.noteIsErr = "The editor did not work; the text is unchanged: "+msg.err.Error(), true
		return
	}
	if msg.text == c.raw {
		return
	}
	if tooLargeToEdit(msg.text) {
		c.setText(msg.text)
		return
	}
	// The textarea may change the text a little (tabs, line ends): what
	// it holds is what the user goes on editing.
	c.large = false
	c.area.SetValue(msg.text)
	c.setRaw(c.area.Value())
}

// applyStyles draws the editor in the app's styles rather than the
// textarea's own.
func (c *customSettingsStep) applyStyles(st *state) {
	s := st.styles
	focused := textarea.Style{
		Base:             s.Code.UnsetForeground(),
		CursorLine:       s.Code,
		CursorLineNumber: s.Selected,
		EndOfBuffer:      s.Muted,
		LineNumber:       s.Muted,
		Placeholder:      s.Hint,
		Prompt:           s.Muted,
		Text:             s.Code,
	}
	c.area.FocusedStyle, c.area.BlurredStyle = focused, focused
	c.errMark = "  " + s.Error.Render("✗") + " "
}

// layout returns the lines under the editor and sizes the editor to fill
// the screen around them and the heading.
func (c *customSettingsStep) layout(st *state, width int) (under string) {
	const heading = 4
	under = c.status(st, width)
	if c.note != "" {
		style := st.styles.Hint
		if c.noteIsErr {
			style = st.styles.Warning
		}
		under += "\n" + style.Width(max(10, width-2)).PaddingLeft(2).Render(c.note)
	}
	c.area.SetWidth(max(20, width-2))
	// The editor grows with its text, up to the room there is: a short
	// object leaves no wall of empty rows, and fewer rows draw faster.
	room := min(20, st.bodyHeight-heading-lipgloss.Height(under))
	c.area.SetHeight(max(3, min(room, max(6, c.area.LineCount()+2))))
	c.markLine = 0
	if c.errLine > 0 && c.widest+1 < c.area.Width() {
		c.markLine = c.errLine
	}
	return under
}

func (c *customSettingsStep) view(st *state, width int) (string, int) {
	s := st.styles
	under := c.layout(st, width)
	var b strings.Builder
	b.WriteString(s.Title.Render(customSettingsTitle) + "\n")
	b.WriteString(s.Description.Render(truncate(customSettingsIntro, width)) + "\n")
	b.WriteString(s.Hint.Render(truncate("Example: "+customSettingsExample, width)) + "\n\n")
	const editorTop = 4
	if c.large {
		b.WriteString(c.largeSummary(st, width) + "\n")
		b.WriteString(under)
		return b.String(), editorTop
	}
	b.WriteString(editorView(c.area.View()) + "\n")
	b.WriteString(under)
	return b.String(), editorTop + min(c.area.Line(), c.area.Height()-1)
}

// largeSummary stands in for the editor while the text is too large for
// it: how big it is, and how to edit it.
func (c *customSettingsStep) largeSummary(st *state, width int) string {
	s := st.styles
	lines := strings.Count(c.raw, "\n") + 1
	size := fmt.Sprintf("%.1f KB", float64(len(c.raw))/1000)
	text := fmt.Sprintf("%d lines, %s: too large to edit here comfortably.", lines, size)
	return "  " + s.Code.Render(truncate(text, width-2)) + "\n" +
		"  " + s.Hint.Render(truncate(st.keys.OpenEditor.Help().Key+" edits it in $EDITOR (or $VISUAL); "+st.keys.EditorNext.Help().Key+" goes on with it as it is.", width-2))
}

// status is the line under the editor: where the JSON is wrong, or what it
// holds.
func (c *customSettingsStep) status(st *state, width int) string {
	s := st.styles
	switch {
	case c.err != nil:
		return s.Error.Width(max(10, width-2)).PaddingLeft(2).Render("✗ " + c.err.Error())
	case c.parsed == nil:
		return "  " + s.Hint.Render(truncate("Blank: custom_consumer_settings is not sent.", width-2))
	}
	word := "keys"
	if c.keys == 1 {
		word = "key"
	}
	return "  " + s.Success.Render("✓") + " " + s.Hint.Render(fmt.Sprintf("A valid JSON object with %d %s.", c.keys, word))
}

// summary is the step's section of the Review.
func (c *customSettingsStep) summary(p *page, st *state) {
	s := p.s
	m := st.req.Session.CustomConsumerSettings
	if st.customSettingsErr != nil {
		p.row("Object", "✗ the text is not valid JSON; the body below holds the last valid object", s.Error)
		return
	}
	if len(m) == 0 {
		p.row("Object", "none, not sent", s.Muted)
		return
	}
	p.row("Object", objectLine(m, p.width), s.Code)
}

// The words the step says in both front ends.
const (
	customSettingsTitle = "Custom consumer settings"
	customSettingsIntro = "Any JSON object, passed with the session as custom_consumer_settings. Leave blank to send none."
)

// runAccessible asks for the JSON object on one line, read by the same
// parser as the screen's editor.
func (c *customSettingsStep) runAccessible(a *lineAsker, st *state) error {
	a.say("%s: %s", customSettingsTitle, customSettingsIntro)
	for {
		keep := "none"
		if m := st.req.Session.CustomConsumerSettings; len(m) > 0 {
			keep = termtext.Line(strings.ReplaceAll(prettyJSON(m), "\n", " "))
		}
		ans, err := a.ask(fmt.Sprintf("Custom settings (JSON on one line; enter keeps %s, - for none): ", keep))
		if err != nil {
			return err
		}
		if isQuit(ans) {
			return errQuit
		}
		switch ans {
		case "":
			return nil
		case "-":
			st.req.Session.CustomConsumerSettings = nil
			return nil
		}
		m, err := model.ParseJSONObject(ans)
		if err != nil {
			a.say("Error: %s.", termtext.Line(err.Error()))
			continue
		}
		st.req.Session.CustomConsumerSettings = m
		st.customSettingsErr = nil
		return nil
	}
}
