package ui

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// unifiedAPIsPath is the field this step edits; its errors are
// "settings.unified_apis[i]".
const unifiedAPIsPath = "settings.unified_apis"

// apiNameWidth fits the longest display name ("Subscription Analytics").
const apiNameWidth = 24

// unifiedAPIsStep picks the unified APIs whose connections Vault lists.
// Ticking none sends nothing, which Vault reads as "all of them".
type unifiedAPIsStep struct {
	// rows are the ids a loaded session had that are not in the catalogue
	// (on top, so they are seen), then the whole catalogue in its order.
	rows    []apiRow
	unknown int // how many of rows are unknown ids
	// filter narrows the list to rows whose name or id contain each of its
	// words.
	filter string
	// filtering is true while the filter is being typed: every printable
	// key, space included, goes to it.
	filtering bool
	// visible holds the indexes in rows that match the filter.
	visible []int
	cursor  int // index into visible
	top     int // the first visible row shown: the list's scroll
	// sent is the list as it stands in the state, to turn an error path
	// "settings.unified_apis[i]" back into the row of its id.
	sent []string
	// tidied says what load cleaned up (ids listed twice), so the change
	// is not silent.
	tidied string
	// help is the help line without a filter, while typing one and with
	// one kept, built once.
	help, typingHelp, filterHelp []key.Binding
}

// apiRow is one line of the list.
type apiRow struct {
	id, name string
	match    string // lower-case name and id, for the filter
	ticked   bool
	// problem is set for an id outside the catalogue: the model's own
	// words for why the API would refuse it.
	problem string
	// drawn caches the row's lines for drawnAs: a key press changes one or
	// two rows, so the others are not styled again on every frame.
	drawn   string
	drawnAs rowLook
}

// rowLook is everything a row's drawing depends on besides its id.
type rowLook struct {
	ticked, focused bool
	width           int
	tight           bool // no room to wrap a note
	valid           bool // drawn is set
}

func newUnifiedAPIsStep(k KeyMap) *unifiedAPIsStep {
	// Display-only bindings: they group keys matched one by one in update
	// (ctrl+a and ctrl+d; enter and tab) so the line fits.
	allNone := either("all/none", k.SelectAll, k.SelectNone)
	next := either("next", k.Next, k.EditorNext)
	editFilter := relabel(k.StartFilter, "edit filter")
	c := &unifiedAPIsStep{
		help:       []key.Binding{k.Up, k.Toggle, k.StartFilter, allNone, next},
		typingHelp: []key.Binding{k.Up, k.FilterDone, k.ClearFilter, k.FilterEdit, allNone},
		filterHelp: []key.Binding{k.Up, k.Toggle, editFilter, k.ClearFilter, allNone, next},
	}
	for _, api := range model.UnifiedAPIs() {
		c.rows = append(c.rows, apiRow{id: api.ID, name: api.Name, match: strings.ToLower(api.Name + " " + api.ID)})
	}
	c.applyFilter()
	return c
}

func (c *unifiedAPIsStep) title() string { return "Unified APIs" }

// typing is true while a filter is being typed, so "?" extends it rather
// than opening the help.
func (c *unifiedAPIsStep) typing() bool { return c.filtering }

// handlesEsc makes Esc leave and clear a filter before it means Back.
func (c *unifiedAPIsStep) handlesEsc() bool { return c.filtering || c.filter != "" }

func (c *unifiedAPIsStep) owns(path string) bool {
	return path == unifiedAPIsPath || strings.HasPrefix(path, unifiedAPIsPath+"[")
}

// load ticks the state's ids. Ids outside the catalogue become rows of
// their own, ticked and marked, so the user sees and removes them rather
// than having them vanish.
func (c *unifiedAPIsStep) load(st *state) {
	focused := c.focusedID()
	c.rows = c.rows[c.unknown:]
	c.unknown = 0
	for i := range c.rows {
		c.rows[i].ticked = false
	}
	ids := st.req.Session.Settings.UnifiedAPIs
	c.sent = append(c.sent[:0], ids...)
	var unknown []apiRow
	seen := map[string]bool{}
	var twice []string
	for _, id := range ids {
		if seen[id] {
			twice = append(twice, strconv.Quote(id))
			continue
		}
		seen[id] = true
		if i := c.catalogueIndex(id); i >= 0 {
			c.rows[i].ticked = true
			continue
		}
		unknown = append(unknown, apiRow{
			// The name shown is the session file's text: made safe.
			id: id, name: termtext.Line(id), match: strings.ToLower(id), ticked: true,
			problem: unknownAPIProblem(id),
		})
	}
	c.rows = append(unknown, c.rows...)
	c.unknown = len(unknown)
	c.tidied = ""
	if len(twice) > 0 {
		c.tidied = strings.Join(twice, ", ") + " listed more than once: kept once."
	}
	c.filter, c.filtering = "", false
	c.applyFilter()
	if c.unknown > 0 {
		// Start on the first problem, not somewhere below it.
		focused = c.rows[0].id
	}
	c.focusID(focused)
}

// unknownAPIProblem asks the model why an id is refused, so the wording is
// the same here as in the headless CLI.
func unknownAPIProblem(id string) string {
	errs := model.Session{Settings: model.Settings{UnifiedAPIs: []string{id}}}.Validate()
	if len(errs) == 0 {
		return "not a unified API id"
	}
	return errs[0].Message
}

// save writes the ticked ids: catalogue ids in catalogue order, then any
// unknown ids still ticked (so their errors stay visible); nil when none.
func (c *unifiedAPIsStep) save(st *state) {
	var ids []string
	for _, r := range c.rows[c.unknown:] {
		if r.ticked {
			ids = append(ids, r.id)
		}
	}
	for _, r := range c.rows[:c.unknown] {
		if r.ticked {
			ids = append(ids, r.id)
		}
	}
	st.req.Session.Settings.UnifiedAPIs = ids
	c.sent = append(c.sent[:0], ids...)
}

func (c *unifiedAPIsStep) validate(st *state) model.ValidationErrors {
	return errorsFor(st.req.Session.Validate(), c.owns)
}

// focusPath shows the row an error is about, clearing the filter if it
// hides it.
func (c *unifiedAPIsStep) focusPath(path string) {
	if path == "" {
		c.cursor = 0 // the first row the filter shows
		return
	}
	if !c.owns(path) {
		return
	}
	c.filter, c.filtering = "", false
	c.applyFilter()
	c.cursor = 0
	inner := strings.TrimSuffix(strings.TrimPrefix(path, unifiedAPIsPath+"["), "]")
	if i, err := strconv.Atoi(inner); err == nil && i >= 0 && i < len(c.sent) {
		c.focusID(c.sent[i])
	}
}

func (c *unifiedAPIsStep) catalogueIndex(id string) int {
	for i := c.unknown; i < len(c.rows); i++ {
		if c.rows[i].id == id {
			return i
		}
	}
	return -1
}

// focusedID is the id under the cursor, or "" when nothing matches.
func (c *unifiedAPIsStep) focusedID() string {
	if c.cursor < 0 || c.cursor >= len(c.visible) {
		return ""
	}
	return c.rows[c.visible[c.cursor]].id
}

// focusID puts the cursor on id if it is visible, else on the first row.
func (c *unifiedAPIsStep) focusID(id string) {
	c.cursor = 0
	for i, r := range c.visible {
		if c.rows[r].id == id {
			c.cursor = i
			return
		}
	}
}

// setFilter changes the filter, keeping the cursor on the same API when it
// still matches.
func (c *unifiedAPIsStep) setFilter(f string) {
	id := c.focusedID()
	c.filter = f
	c.applyFilter()
	c.focusID(id)
}

// applyFilter keeps the rows that contain every word of the filter, so
// "email mark" finds Email Marketing.
func (c *unifiedAPIsStep) applyFilter() {
	c.visible = c.visible[:0]
	words := strings.Fields(strings.ToLower(c.filter))
rows:
	for i, r := range c.rows {
		for _, w := range words {
			if !strings.Contains(r.match, w) {
				continue rows
			}
		}
		c.visible = append(c.visible, i)
	}
}

func (c *unifiedAPIsStep) update(msg tea.Msg, st *state) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	if c.filtering && c.updateFilter(k, st.keys) {
		return nil
	}
	keys := st.keys
	switch {
	case key.Matches(k, keys.ClearFilter):
		// Only reached while a filter is kept (handlesEsc).
		c.setFilter("")
	case key.Matches(k, keys.Next), key.Matches(k, keys.EditorNext):
		return st.navigate(nextStepMsg{})
	case key.Matches(k, keys.EditorPrev):
		return st.navigate(prevStepMsg{})
	case key.Matches(k, keys.Up):
		c.cursor = max(0, c.cursor-1)
	case key.Matches(k, keys.Down):
		c.cursor = max(0, min(len(c.visible)-1, c.cursor+1))
	case key.Matches(k, keys.PageDown):
		c.cursor = max(0, min(len(c.visible)-1, c.cursor+pageRows(st, 1)))
	case key.Matches(k, keys.PageUp):
		c.cursor = max(0, c.cursor-pageRows(st, 1))
	case key.Matches(k, keys.Top):
		c.cursor = 0
	case key.Matches(k, keys.Bottom):
		c.cursor = max(0, len(c.visible)-1)
	case key.Matches(k, keys.Toggle):
		if c.cursor < len(c.visible) {
			r := &c.rows[c.visible[c.cursor]]
			r.ticked = !r.ticked
		}
	case key.Matches(k, keys.SelectAll):
		// Unknown ids are left alone: "all" means all real APIs shown.
		for _, i := range c.visible {
			if c.rows[i].problem == "" {
				c.rows[i].ticked = true
			}
		}
	case key.Matches(k, keys.SelectNone):
		for _, i := range c.visible {
			c.rows[i].ticked = false
		}
	case key.Matches(k, keys.StartFilter):
		c.filtering = true
	case k.Type == tea.KeyRunes && !k.Alt:
		// A letter starts the filter with itself, as gum's filter does.
		c.filtering = true
		c.addToFilter(k.Runes)
	}
	return nil
}

// updateFilter handles a key while the filter is typed; false leaves it to
// the list (moving, ticking all or none).
func (c *unifiedAPIsStep) updateFilter(k tea.KeyMsg, keys KeyMap) bool {
	switch {
	case key.Matches(k, keys.ClearFilter):
		c.filtering = false
		c.setFilter("")
	case key.Matches(k, keys.FilterDone):
		c.filtering = false
		if strings.TrimSpace(c.filter) == "" {
			c.setFilter("")
		}
	case key.Matches(k, keys.FilterEdit):
		if r := []rune(c.filter); len(r) > 0 {
			c.setFilter(string(r[:len(r)-1]))
		}
	case k.Type == tea.KeySpace, k.Type == tea.KeyRunes && !k.Alt:
		c.addToFilter(k.Runes)
	default:
		return false
	}
	return true
}

// addToFilter appends printable runes; a space is kept once between
// words, never at the start.
func (c *unifiedAPIsStep) addToFilter(runes []rune) {
	f := c.filter
	for _, r := range runes {
		switch {
		case len(f) >= 64:
		case unicode.IsSpace(r):
			if f != "" && !strings.HasSuffix(f, " ") {
				f += " "
			}
		case unicode.IsPrint(r):
			f += string(r)
		}
	}
	if f != c.filter {
		c.setFilter(f)
	}
}

// fit keeps the rows as the next frame draws them and the list's scroll.
func (c *unifiedAPIsStep) fit(st *state, width int) {
	_, _, c.top = c.draw(st, width, true)
}

func (c *unifiedAPIsStep) view(st *state, width int) (string, int) {
	body, focus, _ := c.draw(st, width, false)
	return body, focus
}

// draw lays the step out for a width: its body, the focused line, and
// where the list's scroll stands. keep stores the rows it drew, for the
// frames after: fit keeps them, view does not.
func (c *unifiedAPIsStep) draw(st *state, width int, keep bool) (body string, focusLine, top int) {
	s, k := st.styles, st.keys
	var head []string
	switch {
	case c.filtering:
		head = append(head, s.Label.Render("Filter: ")+s.FocusLabel.Render(c.filter)+s.Cursor.Render("▏")+
			s.Hint.Render(fmt.Sprintf("  %d shown · %s keeps them, %s clears", c.shownCatalogue(), k.FilterDone.Help().Key, k.ClearFilter.Help().Key)))
	case c.filter != "":
		head = append(head, s.Label.Render("Filter: ")+s.FocusLabel.Render(c.filter)+
			s.Hint.Render(fmt.Sprintf("  %d shown · %s edits, %s clears", c.shownCatalogue(), k.StartFilter.Help().Key, k.ClearFilter.Help().Key)))
	default:
		head = append(head, s.Label.Render("Filter: ")+s.Hint.Render(k.StartFilter.Help().Key+" or a letter narrows the list by name or id"))
	}
	total := len(c.rows) - c.unknown
	selected, badTicked := 0, 0
	for i, r := range c.rows {
		switch {
		case !r.ticked:
		case i < c.unknown:
			badTicked++
		default:
			selected++
		}
	}
	switch {
	case selected == 0 && badTicked == 0:
		head = append(head, s.Warning.Render(noAPISelected(total)))
	case selected == total:
		head = append(head, s.Selected.Render(fmt.Sprintf("%d of %d selected", selected, total))+
			s.Hint.Render(" · all sent by name; none selected would also show all"))
	default:
		head = append(head, s.Selected.Render(fmt.Sprintf("%d of %d selected", selected, total)))
	}
	if badTicked > 0 {
		what := "an unknown id"
		if badTicked > 1 {
			what = fmt.Sprintf("%d unknown ids", badTicked)
		}
		head = append(head, s.Error.Render(truncate("✗ The loaded session has "+what+": "+k.Toggle.Help().Key+" on it removes it", width)))
	}
	if c.tidied != "" {
		head = append(head, s.Hint.Render(truncate(c.tidied, width)))
	}

	// The list scrolls under a head that stays: the filter and the count
	// are always in sight. On a short screen the title gives way first.
	avail := st.bodyHeight - len(head) - 1
	if avail-4 >= min(len(c.visible), 8) {
		head = append([]string{
			s.Title.Render(unifiedAPIsTitle),
			s.Description.Render(truncate(unifiedAPIsIntro, width)),
			"",
		}, head...)
		avail -= 3
	}
	head = append(head, "")

	blocks := make([]string, len(c.visible))
	heights := make([]int, len(c.visible))
	for vi, ri := range c.visible {
		look := rowLook{ticked: c.rows[ri].ticked, focused: vi == c.cursor, width: width, tight: avail < 8, valid: true}
		blocks[vi] = c.drawRow(st, &c.rows[ri], look)
		if keep {
			c.rows[ri].drawn, c.rows[ri].drawnAs = blocks[vi], look
		}
		heights[vi] = strings.Count(blocks[vi], "\n") + 1
	}
	start, end, top := c.scroll(heights, avail)

	var b strings.Builder
	for _, l := range head {
		b.WriteString(l + "\n")
	}
	focusLine = len(head)
	if len(c.visible) == 0 {
		b.WriteString(s.Hint.Render(truncate(fmt.Sprintf("No unified API matches %q: %s edits the filter, %s clears it.", c.filter, k.FilterEdit.Help().Key, k.ClearFilter.Help().Key), width)) + "\n")
	}
	scrolling := start > 0 || end < len(c.visible)
	if scrolling {
		if start > 0 {
			b.WriteString(s.Muted.Render(fmt.Sprintf("  ↑ %d more", start)))
		}
		b.WriteString("\n")
	}
	for vi := start; vi < end; vi++ {
		if vi == c.cursor {
			focusLine = strings.Count(b.String(), "\n")
		}
		b.WriteString(blocks[vi] + "\n")
	}
	if scrolling && end < len(c.visible) {
		b.WriteString(s.Muted.Render(fmt.Sprintf("  ↓ %d more", len(c.visible)-end)) + "\n")
	}
	return b.String(), focusLine, top
}

// scroll picks the rows [start, end) shown in avail lines, and top, the
// first shown row for fit to keep: it stays between frames and moves only
// to keep the cursor in view.
func (c *unifiedAPIsStep) scroll(heights []int, avail int) (start, end, top int) {
	total := 0
	for _, h := range heights {
		total += h
	}
	if total <= avail {
		return 0, len(heights), 0
	}
	window := max(1, avail-2) // a line each for the "more" markers
	lines := func(from, to int) int {
		n := 0
		for _, h := range heights[from:to] {
			n += h
		}
		return n
	}
	top = max(0, min(c.top, c.cursor))
	for top < c.cursor && lines(top, c.cursor+1) > window {
		top++
	}
	// Fill the window up when the end of the list is in view.
	for top > 0 && lines(top-1, len(heights)) <= window {
		top--
	}
	end = top
	for end < len(heights) && lines(top, end+1) <= window {
		end++
	}
	return top, max(end, min(c.cursor+1, len(heights))), top
}

// shownCatalogue counts the catalogue rows the filter lets through.
func (c *unifiedAPIsStep) shownCatalogue() int {
	n := 0
	for _, i := range c.visible {
		if i >= c.unknown {
			n++
		}
	}
	return n
}

// drawRow returns the row's lines, from the cache when it looks the same.
func (c *unifiedAPIsStep) drawRow(st *state, r *apiRow, look rowLook) string {
	if r.drawnAs == look {
		return r.drawn
	}
	s := st.styles
	block := c.renderRow(st, *r, look.focused)
	switch {
	case r.problem == "":
	case !r.ticked:
		block += "\n      " + s.Hint.Render(truncate("removed: will not be sent", look.width-6))
	case look.tight:
		// No room to wrap: one line, the row itself says "unknown id".
		block += "\n      " + s.Error.Render(truncate("✗ "+st.keys.Toggle.Help().Key+" removes it: "+r.problem, look.width-6))
	default:
		block += "\n" + wrapIn(s.Error.Width(max(10, look.width-6)).PaddingLeft(6), "✗ "+r.problem+" — "+st.keys.Toggle.Help().Key+" removes it")
	}
	return block
}

func (c *unifiedAPIsStep) renderRow(st *state, r apiRow, focused bool) string {
	s := st.styles
	marker := "  "
	if focused {
		marker = s.Cursor.Render("› ")
	}
	box := s.Muted.Render("[ ]")
	if r.ticked {
		box = s.Selected.Render("[x]")
		if r.problem != "" {
			box = s.Error.Render("[x]")
		}
	}
	name := fmt.Sprintf("%-*s", apiNameWidth, r.name)
	switch {
	case focused:
		name = s.FocusLabel.Render(name)
	case r.ticked:
		name = s.Selected.Render(name)
	default:
		name = s.Label.Render(name)
	}
	id := s.Muted.Render(r.id)
	if r.problem != "" {
		id = s.Error.Render("unknown id")
	}
	return marker + box + " " + name + " " + id
}

// bindings: shift+tab (back, like esc) is left to the root's full help.
func (c *unifiedAPIsStep) bindings(*state) []key.Binding {
	switch {
	case c.filtering:
		return c.typingHelp
	case c.filter != "":
		return c.filterHelp
	}
	return c.help
}

// summary is the step's section of the Review.
func (c *unifiedAPIsStep) summary(p *page, st *state) {
	ids := st.req.Session.Settings.UnifiedAPIs
	if len(ids) == 0 {
		p.defaultRow("Listed", "all (none chosen, so none are sent)")
		return
	}
	names := make([]string, len(ids))
	for i, id := range ids {
		if name, ok := model.UnifiedAPIName(id); ok {
			names[i] = name
		} else {
			names[i] = fmt.Sprintf("%q (unknown)", id)
		}
	}
	style := p.s.Code
	if p.bad("settings.unified_apis") {
		style = p.s.Error
	}
	p.row("Listed", fmt.Sprintf("%s (%d of %d)", strings.Join(names, ", "), len(ids), len(model.UnifiedAPIs())), style)
}

// The words the step says in both front ends.
const (
	unifiedAPIsTitle = "Which unified APIs does Vault list?"
	unifiedAPIsIntro = "Vault lists only the connections of the APIs ticked here."
)

func noAPISelected(total int) string {
	return fmt.Sprintf("No API selected: Vault shows all %d unified APIs", total)
}

// runAccessible lists the APIs by number and asks for numbers or ids; the
// step's own validation refuses what the screen would.
func (c *unifiedAPIsStep) runAccessible(a *lineAsker, st *state) error {
	catalogue := model.UnifiedAPIs()
	ids := make([]string, len(catalogue))
	a.say("%s %s", unifiedAPIsTitle, unifiedAPIsIntro)
	for i, api := range catalogue {
		ids[i] = api.ID
		a.say("%d %s (%s)", i+1, api.Name, api.ID)
	}
	set := &st.req.Session.Settings
	for {
		keep := fmt.Sprintf("all %d", len(catalogue))
		if len(set.UnifiedAPIs) == 0 {
			a.say("%s.", noAPISelected(len(catalogue)))
		} else {
			keep = termtext.Line(strings.Join(set.UnifiedAPIs, ", "))
		}
		ans, err := orQuit(a.ask(fmt.Sprintf("Unified APIs: type numbers or ids separated by commas, or all; enter keeps %s: ", keep)))
		if err != nil {
			return err
		}
		if ans == "" {
			return nil
		}
		old := set.UnifiedAPIs
		set.UnifiedAPIs = nil
		if !strings.EqualFold(ans, "all") && ans != "-" {
			set.UnifiedAPIs = listAnswer(ans, ids)
		}
		if errs := c.validate(st); len(errs) > 0 {
			for _, e := range errs {
				a.say("Error: %s.", termtext.Line(e.Message))
			}
			set.UnifiedAPIs = old
			continue
		}
		return nil
	}
}
