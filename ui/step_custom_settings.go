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
	"github.com/apideck-samples/vault-session/model/keptfile"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/apideck-samples/vault-session/ui/textedit"
	"github.com/atotto/clipboard"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// customSettingsPath is the field this step edits, as in model.FieldError.
const customSettingsPath = "custom_consumer_settings"

// customSettingsExample is the spec's example, on one line.
const customSettingsExample = `{"feature_flag_1": true, "tax_rates": [{"id": "6", "label": "6%"}]}`

// customSettingsStep edits custom_consumer_settings, the one free-form
// object of the body. The text is kept exactly as typed, whatever it is, so
// going back and forth never reformats or loses it; the request gets the
// parsed object whenever the text is valid.
type customSettingsStep struct {
	editor *textedit.Model
	// version is the editor's text version that raw holds.
	version uint64

	// raw is the text as typed. parsed, err and the rest are what it means,
	// worked out once per change rather than on every frame.
	raw     string
	parsed  json.RawMessage // compact; nil when raw is blank or invalid
	keys    int             // how many keys parsed has at its top
	err     error           // a *model.JSONError; nil when raw is blank or valid
	errLine int             // 1-based line of err, 0 when it names none
	// loaded is set once raw was filled from the state.
	loaded bool
	// editing is set once the user types or moves the cursor in the
	// editor on this visit: until then enter goes on, as on every step,
	// so enter alone walks through the wizard; from then on it is a new
	// line, and esc stops editing.
	editing bool
	// leaving is set after a first esc or shift+tab with text that is
	// not valid JSON: the step says so, and the same key again goes back
	// with the text kept as typed.
	leaving bool
	// large is set while raw is too big to edit here: it is not put in
	// the editor but summed up, and ctrl+o edits it in $EDITOR.
	large bool
	// note says what the last command did (format, $EDITOR); cleared by
	// the next change.
	note      string
	noteIsErr bool

	// getenv reads VISUAL and EDITOR; tests replace it.
	getenv func(string) string
}

func newCustomSettingsStep(keys KeyMap) *customSettingsStep {
	e := textedit.New(keys.Editor)
	e.Placeholder = "{ … } or leave blank"
	// Two spaces of indent, then a bar, or a cross on the line of a
	// syntax error.
	e.SetGutter("  ┃ ", "  ✗ ")
	e.ReadClipboard = clipboard.ReadAll
	return &customSettingsStep{editor: e, getenv: os.Getenv}
}

func (c *customSettingsStep) title() string { return "Custom settings" }
func (c *customSettingsStep) typing() bool  { return !c.large }

func (c *customSettingsStep) owns(path string) bool { return path == customSettingsPath }
func (c *customSettingsStep) focusPath(string)      {}

// handlesEsc: esc stops editing, and with text that is not valid JSON
// it first says so; the step answers it in both cases.
func (c *customSettingsStep) handlesEsc() bool { return true }

// takes keeps the editor's undo key for undoing, wherever else it
// suspends; a settings object too large for the editor has no undo.
func (c *customSettingsStep) takes(k tea.KeyMsg, st *state) bool {
	return !c.large && key.Matches(k, st.keys.Editor.Undo)
}

func (c *customSettingsStep) bindings(st *state) []key.Binding {
	k := st.keys
	back := relabel(k.Back, "back")
	switch {
	case c.large:
		return []key.Binding{either("next", k.Next, k.EditorNext), back, k.OpenEditor}
	case c.editing:
		// How to leave comes first: it is what a narrow screen keeps.
		return []key.Binding{k.EditorDone, k.EditorNext, k.EditorPrev, k.FormatJSON, k.OpenEditor, k.Editor.Undo}
	}
	return []key.Binding{either("next", k.Next, k.EditorNext), k.EditorStart, back, k.FormatJSON, k.OpenEditor}
}

// fullBindings adds the editor's own keys to the full help.
func (c *customSettingsStep) fullBindings(st *state) []key.Binding {
	k := st.keys.Editor
	out := c.bindings(st)
	if c.large {
		return out
	}
	return append(out,
		either("word left/right", k.WordBackward, k.WordForward),
		either("line start/end", k.LineStart, k.LineEnd),
		either("page up/down", k.PageUp, k.PageDown),
		either("start/end", k.InputBegin, k.InputEnd),
		either("delete word left/right", k.DeleteWordBackward, k.DeleteWordForward),
		either("delete to line end/start", k.DeleteAfterCursor, k.DeleteBeforeCursor),
		k.Paste, either("undo/redo", k.Undo, k.Redo))
}

// load fills the editor the first time, pretty-printing settings that came
// from a session file, and afterwards keeps the text as the user left it
// unless the request's settings were changed elsewhere. Each visit starts
// with enter going on.
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
	c.editing, c.leaving = false, false
	c.note, c.noteIsErr = "", false
}

// Text larger than this is summed up rather than put in the editor. The
// editor's cost per key does not grow with the text, but parsing it on
// every change does: 16 KB keeps a key under a millisecond.
const (
	largeSettingsBytes = 16 << 10
	largeSettingsLines = 200
)

func tooLargeToEdit(text string) bool {
	return len(text) > largeSettingsBytes || strings.Count(text, "\n") >= largeSettingsLines
}

// setText replaces the whole text (loaded, or back from $EDITOR): into the
// editor, or summed up when it is too large for it. What the editor holds
// is what the user goes on editing (it turns tabs into spaces).
func (c *customSettingsStep) setText(text string) {
	c.large = tooLargeToEdit(text)
	if c.large {
		c.editor.SetValue("")
		c.version = c.editor.Version()
		c.setRaw(text)
		return
	}
	c.editor.SetValue(text)
	c.editorChanged()
}

// editorChanged takes the editor's text when it changed.
func (c *customSettingsStep) editorChanged() {
	if v := c.editor.Version(); v != c.version {
		c.version = v
		c.setRaw(c.editor.Value())
	}
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
		return c.key(msg, st)
	case editorDoneMsg:
		c.editorDone(msg)
	case textedit.ClipboardMsg:
		if msg.Err != nil {
			c.note, c.noteIsErr = "Could not read the clipboard ("+msg.Err.Error()+"): paste with the terminal's own paste instead.", true
			return nil
		}
		if !c.large {
			c.layout(st, screenWidth(st))
			c.editor.Update(msg)
			c.afterEdit()
		}
	}
	return nil
}

// key handles a key: the step's own first, then the editor's.
func (c *customSettingsStep) key(msg tea.KeyMsg, st *state) tea.Cmd {
	k := st.keys
	leaving := c.leaving
	c.leaving = false
	switch {
	case key.Matches(msg, k.EditorNext), !c.editing && key.Matches(msg, k.Next):
		return st.navigate(nextStepMsg{})
	case c.editing && key.Matches(msg, k.EditorDone):
		c.editing = false
		if c.err != nil {
			c.invalidOnLeaving(msg.String())
		}
		return nil
	case key.Matches(msg, k.Back, k.EditorPrev):
		if c.err != nil && !leaving {
			// Going back keeps the text, but the request cannot hold it:
			// say so once, rather than leave it broken without a word.
			c.invalidOnLeaving(msg.String())
			return nil
		}
		return st.navigate(prevStepMsg{})
	case key.Matches(msg, k.FormatJSON):
		c.format()
		return nil
	case key.Matches(msg, k.OpenEditor):
		return c.openEditor(st.handOver)
	}
	if c.large || !c.editor.Handles(msg) {
		// Large text is edited in $EDITOR only.
		return nil
	}
	if c.refuseGrowth(msg, k) {
		c.editing = true
		return nil
	}
	c.editing = true
	c.layout(st, screenWidth(st))
	cmd := c.editor.Update(msg)
	c.afterEdit()
	return cmd
}

// invalidOnLeaving says, as the user stops editing or goes back, that the
// text is kept but not sent; the same key again goes back.
func (c *customSettingsStep) invalidOnLeaving(key string) {
	c.note, c.noteIsErr = "The JSON is not valid: "+key+" again goes back with the text kept as typed, but nothing is sent until it is fixed.", true
	c.leaving = true
}

// refuseGrowth stops a typed key from taking the text past what the
// editor holds, and says so: a newline past the last line, a character
// past the last byte. (A paste past it moves the text to the summary.)
func (c *customSettingsStep) refuseGrowth(msg tea.KeyMsg, k KeyMap) bool {
	grows := false
	switch {
	case msg.Paste || len(msg.Runes) > 1:
		return false
	case msg.Type == tea.KeyRunes || msg.Type == tea.KeySpace:
		grows = len(c.raw)+len(string(msg.Runes)) > largeSettingsBytes
	case key.Matches(msg, k.Editor.InsertNewline):
		grows = c.editor.LineCount() >= largeSettingsLines || len(c.raw) >= largeSettingsBytes
	}
	if grows {
		c.note, c.noteIsErr = fmt.Sprintf("The editor holds %d lines and %d KB at most: %s edits more in $EDITOR.",
			largeSettingsLines, largeSettingsBytes>>10, k.OpenEditor.Help().Key), true
	}
	return grows
}

// afterEdit takes the editor's text after a key or a paste.
func (c *customSettingsStep) afterEdit() {
	if c.editor.Version() == c.version {
		return
	}
	if v := c.editor.Value(); tooLargeToEdit(v) {
		// A paste made it too large for the editor: summed up from now
		// on, edited with ctrl+o, and nothing of it is lost.
		c.setText(v)
		return
	}
	c.editorChanged()
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
	c.editor.SetMark(c.errLine)
}

// format indents valid JSON by two spaces, keeping the keys in the order
// typed and the numbers as written. ctrl+z takes it back.
func (c *customSettingsStep) format() {
	switch {
	case c.err != nil:
		c.note, c.noteIsErr = "Fix the error first: only valid JSON can be formatted.", true
		return
	case c.large:
		return
	case strings.TrimSpace(c.raw) == "":
		c.note, c.noteIsErr = "Nothing to format: the text is blank.", false
		return
	}
	// Valid, so IndentJSON lays it out; the object is level 1 here.
	text := strings.TrimRight(string(model.IndentJSON([]byte(c.raw), model.IndentedLevels-1)), " \t\r\n")
	c.editor.Replace(text)
	c.editorChanged()
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
func (c *customSettingsStep) openEditor(handOver func(*exec.Cmd) tea.ExecCommand) tea.Cmd {
	text, getenv := c.raw, c.getenv
	return func() tea.Msg {
		cmd, done, err := editorCommand(text, getenv)
		if err != nil {
			return editorDoneMsg{err: err}
		}
		callback := func(err error) tea.Msg { return done(err) }
		if handOver != nil {
			return tea.Exec(handOver(cmd), callback)()
		}
		return tea.ExecProcess(cmd, callback)()
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
		c.note, c.noteIsErr = "The editor did not work; the text is unchanged: "+keptfile.ErrorText(msg.err), true
		return
	}
	if msg.text == c.raw {
		return
	}
	if c.large || tooLargeToEdit(msg.text) {
		c.setText(msg.text)
		return
	}
	// One edit that ctrl+z takes back.
	c.editor.Replace(msg.text)
	c.editorChanged()
}

// applyStyles draws the editor in the app's styles.
func (c *customSettingsStep) applyStyles(st *state) {
	s := st.styles
	c.editor.SetStyles(textedit.Styles{
		Text:             s.Code,
		CursorLine:       s.Code,
		Cursor:           s.Code.Reverse(true),
		LineNumber:       s.Muted,
		CursorLineNumber: s.Selected,
		Prompt:           s.Muted,
		Mark:             s.Error,
		Placeholder:      s.Placeholder,
	})
}

// under is the lines under the editor: its status, how to leave, and the
// last note.
func (c *customSettingsStep) under(st *state, width int) string {
	under := c.status(st, width) + "\n" + c.howToLeave(st, width)
	if c.note != "" {
		style := st.styles.Hint
		if c.noteIsErr {
			style = st.styles.Warning
		}
		under += "\n" + wrapIn(style.Width(max(10, width-2)).PaddingLeft(2), c.note)
	}
	return under
}

// layout sizes the editor to fill the screen around the heading and the
// lines under it.
func (c *customSettingsStep) layout(st *state, width int) {
	const heading = 4
	// The editor grows with its text, up to the room there is: a short
	// object leaves no wall of empty rows.
	room := st.bodyHeight - heading - lipgloss.Height(c.under(st, width))
	c.editor.SetSize(max(20, width-2), max(3, min(room, max(6, c.editor.LineCount()+2))))
}

// fit lays the editor out for the next frame and draws it once, so its
// rows' caches are filled here and View only reads them.
func (c *customSettingsStep) fit(st *state, width int) {
	c.layout(st, width)
	if !c.large {
		c.editor.View()
	}
}

// howToLeave says what enter does now, and how to go on: enter is a new
// line only while editing.
func (c *customSettingsStep) howToLeave(st *state, width int) string {
	k := st.keys
	text := k.Next.Help().Key + " goes on; typing or " + k.Editor.LinePrevious.Help().Key + k.Editor.LineNext.Help().Key + " edits the text."
	switch {
	case c.large:
		return ""
	case c.editing:
		text = "Editing: " + k.Editor.InsertNewline.Help().Key + " adds a line; " + k.EditorDone.Help().Key + " when done, " + k.EditorNext.Help().Key + " to go on."
	}
	return "  " + st.styles.Hint.Render(truncate(text, width-2))
}

func (c *customSettingsStep) view(st *state, width int) (string, int) {
	s := st.styles
	under := c.under(st, width)
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
	b.WriteString(c.editor.View() + "\n")
	b.WriteString(under)
	return b.String(), editorTop + c.editor.CursorRow()
}

// largeSummary stands in for the editor while the text is too large for
// it: how big it is, and how to edit it.
func (c *customSettingsStep) largeSummary(st *state, width int) string {
	s := st.styles
	lines := strings.Count(c.raw, "\n") + 1
	size := fmt.Sprintf("%.1f KB", float64(len(c.raw))/1000)
	text := fmt.Sprintf("%d lines, %s: too large to edit here comfortably.", lines, size)
	return "  " + s.Code.Render(truncate(text, width-2)) + "\n" +
		"  " + s.Hint.Render(truncate(st.keys.OpenEditor.Help().Key+" edits it in $EDITOR (or $VISUAL); "+
		st.keys.Next.Help().Key+" or "+st.keys.EditorNext.Help().Key+" goes on with it as it is.", width-2))
}

// status is the line under the editor: where the JSON is wrong, or what it
// holds.
func (c *customSettingsStep) status(st *state, width int) string {
	s := st.styles
	switch {
	case c.err != nil:
		return wrapIn(s.Error.Width(max(10, width-2)).PaddingLeft(2), "✗ "+c.err.Error())
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
		p.defaultRow("Object", "none, not sent")
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
		ans, err := orQuit(a.ask(fmt.Sprintf("Custom settings (JSON on one line; enter keeps %s, - for none): ", keep)))
		if err != nil {
			return err
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
