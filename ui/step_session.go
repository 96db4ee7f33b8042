package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// Field paths this step edits.
const (
	sessionLengthPath = "settings.session_length"
	allowActionsPath  = "settings.allow_actions"
)

// How the allowed actions are sent.
const (
	actionsAll    = iota // nil: not sent, every action allowed
	actionsSubset        // the ticked ones
	actionsNone          // []: sent empty, no action allowed
)

// The kinds of row on the page, in page order.
type sessionRowKind int

const (
	rowLength       sessionRowKind = iota // the session length choices
	rowCustomLength                       // the text input, when "custom…" is chosen
	rowBool                               // one boolean setting
	rowActionsMode                        // all / a subset / none
	rowAction                             // one action, when "a subset" is chosen
)

type sessionRow struct {
	kind  sessionRowKind
	index int // into bools or actions
}

// boolChoice is one boolean setting: unset (nil, not sent) or a value the
// user chose, which is sent even when it equals the default.
type boolChoice struct {
	setting model.BoolSetting
	value   *bool
}

// actionChoice is one checkbox of the "a subset" actions.
type actionChoice struct {
	id, help string
	ticked   bool
	// problem is set for an action a loaded session had that the spec
	// does not know; space removes it.
	problem string
}

// sessionStep edits the settings that are not about which APIs: how long
// the session lives, every boolean of what Vault shows, and which
// connection actions the user may take.
type sessionStep struct {
	// lengths are the choices of the length row: the default (not sent),
	// the common lengths, then "custom…".
	lengths []string
	length  int
	custom  textinput.Model
	// customNote is the live verdict on the custom text, cached per change
	// so View does not parse on every frame.
	customNote  string
	customValid bool
	customText  string

	bools       []boolChoice
	modes       []string // the choices of the allowed actions row
	actionsMode int
	actions     []actionChoice
	knownCount  int // actions[:knownCount] are model.Actions()
	// sentActions is the allow_actions list as it stands in the state, to
	// turn an error path "settings.allow_actions[i]" back into a row.
	sentActions []string

	rows  []sessionRow // rebuilt when the layout changes
	focus int          // index into rows
	help  []key.Binding
}

func newSessionStep(k KeyMap) *sessionStep {
	c := &sessionStep{}
	c.lengths = append([]string{"default (" + model.DefaultSessionLength.String() + ")"}, model.CommonSessionLengths()...)
	c.lengths = append(c.lengths, "custom…")
	c.modes = []string{"all (not sent)", "a subset", "none (sent as [])"} // actionsAll, actionsSubset, actionsNone
	c.custom = newTextField(sessionLengthPath, "Custom length", "e.g. 90m, 2h, 3d", "", nil).input
	c.custom.CharLimit = 32
	for _, b := range model.BoolSettings() {
		c.bools = append(c.bools, boolChoice{setting: b})
	}
	c.resetActions()
	// Enter goes on from every row: this page is settings, not a form to
	// fill in field by field.
	c.help = []key.Binding{either("move", k.Up, k.Down, k.EditorNext), k.PrevChoice, k.Toggle, relabel(k.Reset, "default"), k.Next}
	c.layout()
	return c
}

func (c *sessionStep) title() string { return "Session" }

// typing is true only in the custom length input.
func (c *sessionStep) typing() bool { return c.focused().kind == rowCustomLength }

// bindings adds the typed length on the length row, and the jump by a
// row's first letter wherever letters are not typed.
func (c *sessionStep) bindings(st *state) []key.Binding {
	out := slices.Clone(c.help)
	last := out[len(out)-1] // enter next stays last
	out = out[:len(out)-1]
	switch c.focused().kind {
	case rowLength:
		out = append(out, st.keys.TypeLength, st.keys.JumpToRow)
	case rowCustomLength:
	default:
		out = append(out, st.keys.JumpToRow)
	}
	return append(out, last)
}

func (c *sessionStep) owns(path string) bool {
	if path == sessionLengthPath || strings.HasPrefix(path, allowActionsPath) {
		return true
	}
	for _, b := range c.bools {
		if path == "settings."+b.setting.Key {
			return true
		}
	}
	return false
}

func (c *sessionStep) isCustom() bool { return c.length == len(c.lengths)-1 }

// resetActions puts back the four known actions, all ticked: choosing "a
// subset" then starts from what "all" allowed.
func (c *sessionStep) resetActions() {
	c.actions = c.actions[:0]
	for _, a := range model.Actions() {
		c.actions = append(c.actions, actionChoice{id: a.ID, help: a.Help, ticked: true})
	}
	c.knownCount = len(c.actions)
}

// layout lists the rows the page shows now: the custom input and the action
// checkboxes only when their choice is made.
func (c *sessionStep) layout() {
	was := c.focused()
	c.rows = c.rows[:0]
	c.rows = append(c.rows, sessionRow{kind: rowLength})
	if c.isCustom() {
		c.rows = append(c.rows, sessionRow{kind: rowCustomLength})
	}
	for i := range c.bools {
		c.rows = append(c.rows, sessionRow{kind: rowBool, index: i})
	}
	c.rows = append(c.rows, sessionRow{kind: rowActionsMode})
	if c.actionsMode == actionsSubset {
		for i := range c.actions {
			c.rows = append(c.rows, sessionRow{kind: rowAction, index: i})
		}
	}
	c.focusRow(was)
}

func (c *sessionStep) focused() sessionRow {
	if c.focus < 0 || c.focus >= len(c.rows) {
		return sessionRow{kind: rowLength}
	}
	return c.rows[c.focus]
}

// focusRow focuses r if the page has it, else keeps the index in range.
func (c *sessionStep) focusRow(r sessionRow) {
	for i, row := range c.rows {
		if row == r {
			c.setFocus(i)
			return
		}
	}
	c.setFocus(c.focus)
}

func (c *sessionStep) setFocus(i int) {
	c.focus = max(0, min(i, len(c.rows)-1))
	if c.focused().kind == rowCustomLength {
		c.custom.Focus()
		c.custom.CursorEnd()
	} else {
		c.custom.Blur()
	}
}

// load reads the settings. A length that is one of the choices selects it;
// anything else (even invalid) goes to the custom input as written, so it
// is shown and can be fixed.
func (c *sessionStep) load(st *state) {
	set := &st.req.Session.Settings
	c.length = 0
	custom := ""
	if set.SessionLength != "" {
		c.length = len(c.lengths) - 1
		custom = set.SessionLength
		for i, l := range c.lengths[1 : len(c.lengths)-1] {
			if l == set.SessionLength {
				c.length, custom = i+1, ""
			}
		}
	}
	styleInput(&c.custom, st.styles)
	c.custom.SetValue(custom)
	c.custom.CursorEnd()
	c.checkCustom()

	for i := range c.bools {
		c.bools[i].value = nil
		if p := set.BoolField(c.bools[i].setting.Key); p != nil && *p != nil {
			c.bools[i].value = model.Bool(**p)
		}
	}

	c.resetActions()
	c.sentActions = append(c.sentActions[:0], set.AllowActions...)
	switch {
	case set.AllowActions == nil:
		c.actionsMode = actionsAll
	case len(set.AllowActions) == 0:
		c.actionsMode = actionsNone
	default:
		c.actionsMode = actionsSubset
		for i := range c.actions {
			c.actions[i].ticked = false
		}
		seen := map[string]bool{}
		for _, id := range set.AllowActions {
			if seen[id] {
				continue // listed twice: kept once
			}
			seen[id] = true
			if i := c.actionIndex(id); i >= 0 {
				c.actions[i].ticked = true
				continue
			}
			c.actions = append(c.actions, actionChoice{id: id, ticked: true, problem: unknownActionProblem(id)})
		}
	}
	c.layout()
}

// unknownActionProblem asks the model why an action is refused.
func unknownActionProblem(id string) string {
	errs := model.Session{Settings: model.Settings{AllowActions: []string{id}}}.Validate()
	if len(errs) == 0 {
		return "not an action"
	}
	return errs[0].Message
}

func (c *sessionStep) actionIndex(id string) int {
	for i, a := range c.actions[:c.knownCount] {
		if a.id == id {
			return i
		}
	}
	return -1
}

func (c *sessionStep) save(st *state) {
	set := &st.req.Session.Settings
	switch {
	case c.length == 0:
		set.SessionLength = ""
	case c.isCustom():
		set.SessionLength = c.custom.Value()
	default:
		set.SessionLength = c.lengths[c.length]
	}
	for _, b := range c.bools {
		p := set.BoolField(b.setting.Key)
		if b.value == nil {
			*p = nil
		} else {
			*p = model.Bool(*b.value)
		}
	}
	switch c.actionsMode {
	case actionsAll:
		set.AllowActions = nil
	case actionsNone:
		set.AllowActions = []string{}
	default:
		// Known actions in the spec's order, then unknown ones still ticked
		// so their errors stay in view. Nothing ticked is sent as [].
		ids := []string{}
		for _, a := range c.actions {
			if a.ticked {
				ids = append(ids, a.id)
			}
		}
		set.AllowActions = ids
	}
	c.sentActions = append(c.sentActions[:0], set.AllowActions...)
}

func (c *sessionStep) validate(st *state) model.ValidationErrors {
	return errorsFor(st.req.Session.Validate(), c.owns)
}

func (c *sessionStep) focusPath(path string) {
	switch {
	case path == "":
		c.setFocus(0)
	case path == sessionLengthPath:
		if c.isCustom() {
			c.focusRow(sessionRow{kind: rowCustomLength})
		} else {
			c.focusRow(sessionRow{kind: rowLength})
		}
	case strings.HasPrefix(path, allowActionsPath+"["):
		inner := strings.TrimSuffix(strings.TrimPrefix(path, allowActionsPath+"["), "]")
		c.focusRow(sessionRow{kind: rowActionsMode})
		if i, err := strconv.Atoi(inner); err == nil && i >= 0 && i < len(c.sentActions) {
			for j, a := range c.actions {
				if a.id == c.sentActions[i] {
					c.focusRow(sessionRow{kind: rowAction, index: j})
				}
			}
		}
	case strings.HasPrefix(path, allowActionsPath):
		c.focusRow(sessionRow{kind: rowActionsMode})
	default:
		for i, b := range c.bools {
			if path == "settings."+b.setting.Key {
				c.focusRow(sessionRow{kind: rowBool, index: i})
			}
		}
	}
}

// checkCustom caches the verdict on the custom text when it changes.
func (c *sessionStep) checkCustom() {
	text := c.custom.Value()
	if text == c.customText && c.customNote != "" {
		return
	}
	c.customText = text
	switch l, err := model.ParseSessionLength(text); {
	case strings.TrimSpace(text) == "":
		c.customValid = true
		c.customNote = "Empty: not sent, Vault uses " + model.DefaultSessionLength.String() + ". " + capitalize(model.SessionLengthHelp) + "."
	case err != nil:
		c.customValid = false
		c.customNote = err.Error()
	default:
		c.customValid = true
		c.customNote = fmt.Sprintf("✓ the link works for %s (sent as %q)", humanLength(l), l.String())
	}
}

func (c *sessionStep) update(msg tea.Msg, st *state) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		if c.typing() {
			var cmd tea.Cmd
			c.custom, cmd = c.custom.Update(msg)
			return cmd
		}
		return nil
	}
	keys := st.keys
	row := c.focused()
	last := c.focus == len(c.rows)-1
	switch {
	case key.Matches(k, keys.Next):
		return st.navigate(nextStepMsg{})
	case key.Matches(k, keys.EditorNext):
		if last {
			return st.navigate(nextStepMsg{})
		}
		c.setFocus(c.focus + 1)
		return nil
	case key.Matches(k, keys.EditorPrev):
		if c.focus == 0 {
			return st.navigate(prevStepMsg{})
		}
		c.setFocus(c.focus - 1)
		return nil
	case key.Matches(k, keys.Down):
		c.setFocus(c.focus + 1)
		return nil
	case key.Matches(k, keys.Up):
		c.setFocus(c.focus - 1)
		return nil
	case key.Matches(k, keys.PageDown):
		c.setFocus(c.focus + pageRows(st, 2))
		return nil
	case key.Matches(k, keys.PageUp):
		c.setFocus(c.focus - pageRows(st, 2))
		return nil
	// Home and end move the text cursor while the custom length is typed.
	case key.Matches(k, keys.Top) && row.kind != rowCustomLength:
		c.setFocus(0)
		return nil
	case key.Matches(k, keys.Bottom) && row.kind != rowCustomLength:
		c.setFocus(len(c.rows) - 1)
		return nil
	}
	switch {
	case row.kind == rowLength && key.Matches(k, keys.TypeLength):
		c.typeLength(k)
		return nil
	case row.kind != rowCustomLength && key.Matches(k, keys.JumpToRow):
		c.jumpToRow(k)
		return nil
	case row.kind == rowCustomLength:
		var cmd tea.Cmd
		c.custom, cmd = c.custom.Update(msg)
		c.checkCustom()
		return cmd
	}
	step := 0
	switch {
	case key.Matches(k, keys.PrevChoice):
		step = -1
	case key.Matches(k, keys.NextChoice):
		step = 1
	}
	switch row.kind {
	case rowLength:
		c.length = choose(c.length, len(c.lengths), step, k, keys)
		c.checkCustom()
	case rowBool:
		b := &c.bools[row.index]
		switch {
		case step != 0:
			// default, on, off: left and right walk the three states.
			b.value = triState((triIndex(b.value) + step + 3) % 3)
		case key.Matches(k, keys.Toggle):
			// Space flips what Vault will do, and says so explicitly.
			b.value = model.Bool(!effective(*b))
		case key.Matches(k, keys.Reset):
			b.value = nil
		}
	case rowActionsMode:
		c.actionsMode = choose(c.actionsMode, len(c.modes), step, k, keys) // actionsAll is the first
	case rowAction:
		if key.Matches(k, keys.Toggle) {
			c.actions[row.index].ticked = !c.actions[row.index].ticked
		}
	}
	c.layout()
	return nil
}

// typeLength starts a length typed where the length is: a digit on the
// length row chooses "custom…" and is the first key of its text, so "1d"
// is two keys, checked live by the model's rules as the text is.
func (c *sessionStep) typeLength(k tea.KeyMsg) {
	c.length = len(c.lengths) - 1
	c.layout()
	c.focusRow(sessionRow{kind: rowCustomLength})
	c.custom.SetValue("")
	c.custom, _ = c.custom.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: k.Runes})
	c.checkCustom()
}

// jumpToRow moves to the next row whose label starts with the letter
// pressed, going round: "s" again goes on to the next "S…" row.
func (c *sessionStep) jumpToRow(k tea.KeyMsg) {
	if len(k.Runes) != 1 {
		return
	}
	letter := unicode.ToLower(k.Runes[0])
	for step := 1; step <= len(c.rows); step++ {
		i := (c.focus + step) % len(c.rows)
		if first, _ := utf8.DecodeRuneInString(c.rowLabel(c.rows[i])); unicode.ToLower(first) == letter {
			c.setFocus(i)
			return
		}
	}
}

// rowLabel is what a row is called on the page.
func (c *sessionStep) rowLabel(r sessionRow) string {
	switch r.kind {
	case rowLength:
		return "Session length"
	case rowCustomLength:
		return "Custom length"
	case rowBool:
		return c.bools[r.index].setting.Title
	case rowActionsMode:
		return "Allowed actions"
	}
	return c.actions[r.index].id
}

// choose is a choice row's answer to a key: left and right (step) move
// within the n choices, space goes round them, reset goes back to the
// first (Vault's default).
func choose(chosen, n, step int, k tea.KeyMsg, keys KeyMap) int {
	switch {
	case step != 0:
		return max(0, min(n-1, chosen+step))
	case key.Matches(k, keys.Toggle):
		return (chosen + 1) % n
	case key.Matches(k, keys.Reset):
		return 0
	}
	return chosen
}

// triIndex and triState map a boolean choice to 0 default, 1 on, 2 off.
func triIndex(v *bool) int {
	switch {
	case v == nil:
		return 0
	case *v:
		return 1
	}
	return 2
}

func triState(i int) *bool {
	switch i {
	case 1:
		return model.Bool(true)
	case 2:
		return model.Bool(false)
	}
	return nil
}

// effective is what Vault does with a boolean choice.
func effective(b boolChoice) bool {
	if b.value != nil {
		return *b.value
	}
	return b.setting.Default
}

func onOff(v bool) string {
	if v {
		return "on"
	}
	return "off"
}

// The width of the label column of the rows, and of the value column of
// the booleans ("○ default (off)").
const (
	sessionLabelWidth = 23
	boolValueWidth    = 16
)

func (c *sessionStep) view(st *state, width int) (string, int) {
	s := st.styles
	var b strings.Builder
	focusLine := 0
	// Narrow screens shorten the labels before the values they name.
	labelWidth := max(8, min(sessionLabelWidth, width-2-boolValueWidth))
	line := func(text string) { b.WriteString(text + "\n") }
	// row starts a focusable line: marker and label column.
	row := func(r sessionRow, label string) string {
		focused := c.rows[c.focus] == r
		label = fmt.Sprintf("%-*s", labelWidth, truncate(label, labelWidth-1))
		if focused {
			focusLine = strings.Count(b.String(), "\n")
			return s.Cursor.Render("› ") + s.FocusLabel.Render(label)
		}
		return "  " + s.Label.Render(label)
	}
	note := func(text string) { line("  " + s.Hint.Render(truncate(text, width-2))) }

	line(s.Title.Render("Session"))
	line(s.Description.Render(truncate(sessionIntro, width)))
	line(s.Selected.Render("●") + s.Hint.Render(" sent in the request   ") + s.Muted.Render("○") + s.Hint.Render(" not sent: Vault's default"))
	line("")

	// Session length.
	line(row(sessionRow{kind: rowLength}, c.rowLabel(sessionRow{kind: rowLength})) + c.choices(st, c.lengths, c.length, width-2-labelWidth))
	switch {
	case c.length == 0:
		note("○ not sent: the link works for " + humanLength(model.DefaultSessionLength) + ", then Vault says it expired")
	case c.isCustom():
	default:
		l, _ := model.ParseSessionLength(c.lengths[c.length])
		note("● sent: the link works for " + humanLength(l))
	}
	if c.isCustom() {
		custom := c.custom // sized as a copy: drawing changes nothing
		custom.Width = max(8, min(width-6-labelWidth, 24))
		line(row(sessionRow{kind: rowCustomLength}, "  "+c.rowLabel(sessionRow{kind: rowCustomLength})) + editorView(custom.View()))
		// The verdict is live: it follows every keystroke, not only a try
		// to go on.
		if c.customValid {
			line("    " + s.Hint.Render(truncate(c.customNote, width-4)))
		} else {
			b.WriteString(wrapIn(s.Error.Width(max(10, width-4)).PaddingLeft(4), "✗ "+c.customNote) + "\n")
		}
	}
	line("")

	// Booleans.
	line(s.Label.Render("  What Vault shows"))
	for i, bc := range c.bools {
		r := sessionRow{kind: rowBool, index: i}
		var value string
		if bc.value == nil {
			value = s.Muted.Render(fmt.Sprintf("○ %-*s", boolValueWidth-2, "default ("+onOff(bc.setting.Default)+")"))
		} else {
			value = s.Selected.Render(fmt.Sprintf("● %-*s", boolValueWidth-2, onOff(*bc.value)))
		}
		text := row(r, c.rowLabel(r)) + value
		if rest := width - 2 - labelWidth - boolValueWidth; rest > 8 {
			text += s.Hint.Render(truncate(bc.setting.Help, rest))
		}
		line(text)
		if e := st.errs.For("settings." + bc.setting.Key); e != "" {
			line("    " + s.Error.Render(truncate("✗ "+e, width-4)))
		}
	}
	line("")

	// Allowed actions.
	line(row(sessionRow{kind: rowActionsMode}, c.rowLabel(sessionRow{kind: rowActionsMode})) + c.choices(st, c.modes, c.actionsMode, width-2-labelWidth))
	switch c.actionsMode {
	case actionsAll:
		note("○ not sent: users may delete, disconnect, reauthorize and disable connections")
	case actionsNone:
		note("● sent as []: users may not delete, disconnect, reauthorize or disable connections")
	default:
		note("● sent: users may take only the ticked actions; none ticked is sent as []")
		for i, a := range c.actions {
			r := sessionRow{kind: rowAction, index: i}
			box := s.Muted.Render("[ ] ")
			switch {
			case a.ticked && a.problem != "":
				box = s.Error.Render("[x] ")
			case a.ticked:
				box = s.Selected.Render("[x] ")
			}
			label := row(r, "  "+termtext.Line(a.id)) // an unknown id is the session file's text
			if a.problem != "" {
				line(label + box + s.Error.Render("unknown action"))
				if a.ticked {
					b.WriteString(wrapIn(s.Error.Width(max(10, width-6)).PaddingLeft(6), "✗ "+a.problem+" — "+st.keys.Toggle.Help().Key+" removes it") + "\n")
				}
				continue
			}
			line(label + box + s.Hint.Render(truncate(a.help, max(0, width-2-labelWidth-4))))
		}
	}
	if e := st.errs.For(allowActionsPath); e != "" {
		line("  " + s.Error.Render(truncate("✗ "+e, width-2)))
	}
	return b.String(), focusLine
}

// choices draws a choice row: every option with the chosen one marked, or,
// when that does not fit, just the chosen one between arrows.
func (c *sessionStep) choices(st *state, options []string, chosen, width int) string {
	s := st.styles
	full := 0
	for _, o := range options {
		full += len([]rune(o)) + 3
	}
	if full > width {
		return s.Muted.Render("‹ ") + s.Selected.Render(options[chosen]) + s.Muted.Render(" ›")
	}
	parts := make([]string, len(options))
	for i, o := range options {
		if i == chosen {
			parts[i] = s.Selected.Render("[" + o + "]")
		} else {
			parts[i] = s.Muted.Render(" " + o + " ")
		}
	}
	return strings.Join(parts, " ")
}

// humanLength says a session length in words: "1 hour", "1 day 12 hours".
func humanLength(l model.SessionLength) string {
	d := l.Duration()
	parts := []string{}
	units := []struct {
		name string
		size int64
	}{{"day", 24 * 60}, {"hour", 60}, {"minute", 1}}
	mins := int64(d.Minutes())
	for _, u := range units {
		if n := mins / u.size; n > 0 {
			word := u.name
			if n > 1 {
				word += "s"
			}
			parts = append(parts, fmt.Sprintf("%d %s", n, word))
			mins -= n * u.size
		}
	}
	if len(parts) == 0 {
		return "0 minutes"
	}
	return strings.Join(parts, " ")
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// summary is the step's section of the Review.
func (c *sessionStep) summary(p *page, st *state) {
	s := p.s
	set := st.req.Session.Settings
	switch length, ok := set.EffectiveSessionLength(); {
	case strings.TrimSpace(set.SessionLength) == "":
		p.defaultRow("Session length", length.String()+"  default, not sent")
	case ok:
		p.row("Session length", length.String()+"  sent", s.Code)
	default:
		p.row("Session length", "✗ "+set.SessionLength, s.Error)
	}
	for _, b := range model.BoolSettings() {
		value := "off"
		if set.Effective(b.Key) {
			value = "on "
		}
		if f := set.BoolField(b.Key); f != nil && *f != nil {
			p.row(b.Title, value+"  sent", s.Code)
		} else {
			p.defaultRow(b.Title, value+"  default, not sent")
		}
	}
	switch actions := set.AllowActions; {
	case actions == nil:
		p.defaultRow("Allowed actions", "all  default, not sent")
	case len(actions) == 0:
		p.row("Allowed actions", "none  sent as []", s.Code)
	case p.bad("settings.allow_actions"):
		p.row("Allowed actions", "✗ "+strings.Join(actions, ", "), s.Error)
	default:
		p.row("Allowed actions", strings.Join(actions, ", ")+"  sent", s.Code)
	}
}

// sessionIntro is what the step says first, in both front ends.
const sessionIntro = "How long the link works, what Vault shows and what users may do."

// runAccessible asks the length, each boolean with Vault's default, and
// the allowed actions; the step's own validation refuses what the screen
// would.
func (c *sessionStep) runAccessible(a *lineAsker, st *state) error {
	set := &st.req.Session.Settings
	a.say("%s", sessionIntro)
	for {
		keep := "Vault's default, " + model.DefaultSessionLength.String()
		if set.SessionLength != "" {
			keep = quoted(set.SessionLength)
		}
		ans, err := orQuit(a.ask(fmt.Sprintf("Session length (%s; enter keeps %s, - for Vault's default): ", model.SessionLengthHelp, keep)))
		if err != nil {
			return err
		}
		old := set.SessionLength
		switch ans {
		case "":
		case "-":
			set.SessionLength = ""
		default:
			set.SessionLength = ans
		}
		if msg := c.validate(st).For(sessionLengthPath); msg != "" {
			a.say("Error: %s.", termtext.Line(msg))
			set.SessionLength = old
			continue
		}
		break
	}
	for _, b := range c.bools {
		field := set.BoolField(b.setting.Key)
		for {
			keep := "Vault's default, " + onOff(b.setting.Default)
			if *field != nil {
				keep = onOff(**field)
			}
			ans, err := orQuit(a.ask(fmt.Sprintf("%s: %s. On or off? (y or n; enter keeps %s, - for Vault's default): ", b.setting.Title, b.setting.Help, keep)))
			if err != nil {
				return err
			}
			switch strings.ToLower(ans) {
			case "":
			case "-":
				*field = nil
			case "y", "yes", "on":
				*field = model.Bool(true)
			case "n", "no", "off":
				*field = model.Bool(false)
			default:
				a.say("Please answer y, n or -.")
				continue
			}
			break
		}
	}
	return c.askActions(a, st)
}

// askActions asks which connection actions Vault offers.
func (c *sessionStep) askActions(a *lineAsker, st *state) error {
	set := &st.req.Session.Settings
	actions := model.Actions()
	ids := make([]string, len(actions))
	a.say("Allowed actions: what the user may do with a connection.")
	for i, act := range actions {
		ids[i] = act.ID
		a.say("%d %s: %s", i+1, act.ID, act.Help)
	}
	for {
		keep := "all (nothing sent)"
		switch {
		case set.AllowActions == nil:
		case len(set.AllowActions) == 0:
			keep = "none"
		default:
			keep = termtext.Line(strings.Join(set.AllowActions, ", "))
		}
		ans, err := orQuit(a.ask(fmt.Sprintf("Allowed actions: type numbers or names separated by commas, all, or none; enter keeps %s: ", keep)))
		if err != nil {
			return err
		}
		old := set.AllowActions
		switch strings.ToLower(ans) {
		case "":
			return nil
		case "all", "-":
			set.AllowActions = nil
		case "none":
			set.AllowActions = []string{}
		default:
			set.AllowActions = append([]string{}, listAnswer(ans, ids)...)
		}
		if errs := c.validate(st).Under(allowActionsPath); len(errs) > 0 {
			for _, e := range errs {
				a.say("Error: %s.", termtext.Line(e.Message))
			}
			set.AllowActions = old
			continue
		}
		return nil
	}
}
