package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/client/triage"
	"github.com/apideck-samples/vault-session/client/watch"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// consumerPanel is what support needs to know before sending a link: the
// consumer's connections with their health and the 48-hour window Vault
// gives failing credentials, its requests of the last 30 days and its last
// failing calls. It opens from the Consumer step and from Session ready;
// its f prepares the session that fixes what needs the customer. Logs can
// hold the customer's data: the panel shows only the method, path,
// status, connector, time and error message of a call, keeps nothing of
// them once closed, and none of it reaches the history, drafts or presets.
type consumerPanel struct {
	consumerID string
	req        model.Request // whose app and key the panel reads with
	demo       bool
	// from is the screen esc goes back to; nil for the step behind.
	from screen

	// apiCall is the reading: an answer to an earlier one is dropped.
	apiCall
	card   *triage.Card
	err    error
	readAt time.Time
	now    func() time.Time
	// pager scrolls the panel on a screen too short for it.
	pager
}

// preparedFix is the session the panel's f prepared: for whom, and what
// it fixes, which the message to the customer says.
type preparedFix struct {
	consumerID string
	purpose    string
}

// consumerCardMsg is a reading of the panel.
type consumerCardMsg struct {
	seq  int
	card triage.Card
	err  error
}

func newConsumerPanel(consumerID string, st *state, from screen, demo bool, now func() time.Time) *consumerPanel {
	return &consumerPanel{consumerID: consumerID, req: st.req, demo: demo, from: from, now: now}
}

func (p *consumerPanel) title() string    { return "Consumer" }
func (p *consumerPanel) afterSteps() bool { return p.from != nil && p.from.afterSteps() }

// openConsumerPanel puts the panel of the consumer being edited in front,
// reading it at once; from is the screen it returns to (nil: the step).
func (w *wizard) openConsumerPanel(from screen, req model.Request, demo bool) tea.Cmd {
	if w.st.lookups.card == nil || strings.TrimSpace(req.ConsumerID) == "" {
		return nil
	}
	p := newConsumerPanel(req.ConsumerID, &w.st, from, demo, w.now)
	p.req = req
	w.screen = p
	return p.read(&w.st)
}

// back closes the panel: the step or the screen it opened from again.
func (p *consumerPanel) back(w *wizard) tea.Cmd {
	p.stop()
	w.screen = p.from
	return nil
}

// read asks the API for the card, off the event loop.
func (p *consumerPanel) read(st *state) tea.Cmd {
	p.stop()
	card, apiKey, req, demo, id := st.lookups.card, st.apiKey, p.req, p.demo, p.consumerID
	return p.run(0, func(ctx context.Context, seq int) tea.Msg {
		got, err := card(ctx, apiKey, req, demo, id)
		return consumerCardMsg{seq: seq, card: got, err: err}
	})
}

func (p *consumerPanel) update(msg tea.Msg, w *wizard) tea.Cmd {
	switch msg := msg.(type) {
	case consumerCardMsg:
		if !p.answered(msg.seq) {
			return nil
		}
		p.readAt = p.now()
		if msg.err != nil {
			p.err = msg.err
			return nil
		}
		p.err, p.card = nil, &msg.card
	case tea.KeyMsg:
		k := w.st.keys
		switch {
		case key.Matches(msg, k.PollNow):
			return p.read(&w.st)
		case key.Matches(msg, k.PrepareFix):
			if fix, ok := p.fix(); ok {
				p.stop()
				w.prepareFix(p.consumerID, fix, p.card.Consumer.Metadata)
			}
		default:
			p.scrollKey(msg, &w.st)
		}
	}
	return nil
}

// fix is the session that fixes the consumer's connections, when the
// customer has something to fix.
func (p *consumerPanel) fix() (triage.Fix, bool) {
	if p.card == nil {
		return triage.Fix{}, false
	}
	return triage.PlanFix(p.card.Attention(p.now()))
}

func (p *consumerPanel) bindings(st *state) []key.Binding {
	k := st.keys
	var out []key.Binding
	if _, ok := p.fix(); ok {
		out = append(out, k.PrepareFix)
	}
	out = append(out, relabel(k.PollNow, "read again"))
	if p.scrollable(st) {
		out = append(out, k.LineUp)
	}
	return append(out, k.Back, k.Quit)
}

// prepareFix makes the session that fixes what the consumer's customer
// must: only the unified APIs that need them, re-authorize allowed, the
// consumer card from the API where the session has none, and the message
// naming what to reconnect; then the Review, where enter creates it.
func (w *wizard) prepareFix(consumerID string, fix triage.Fix, meta model.ConsumerMetadata) {
	w.screen = nil
	w.st.req.ConsumerID = consumerID
	w.st.req.Session = fix.Apply(w.st.req.Session, meta)
	w.st.fix = &preparedFix{consumerID: consumerID, purpose: fix.Purpose()}
	w.st.apiNote = "Prepared the session that fixes " + termtext.LineN(consumerID, 60) + "'s connections: " + fix.Purpose() + "."
	w.reviewOrFirstProblem()
}

// fixPurpose is what the session of req fixes, when the panel prepared it.
func (st *state) fixPurpose(req model.Request) string {
	if st.fix == nil || st.fix.consumerID != req.ConsumerID {
		return ""
	}
	return st.fix.purpose
}

// panelLine is one line of the panel, with what it is, so that the screen
// styles it and the plain prompts say it, in the same words.
type panelLine struct {
	kind panelKind
	text string // safe for a terminal
	// bar is drawn before text on the screen (the 48-hour window); the
	// plain prompts say the words alone, not a row of block glyphs.
	bar string
	// call is a failing call's cells (time, method, path, status,
	// connector, message), which text holds laid out whole: the screen
	// lays them out again to its width.
	call []string
}

type panelKind int

const (
	panelText panelKind = iota
	panelHeading
	panelGood
	panelBad
	panelMuted
	// panelHint is what the screen's f does: the plain prompts ask it as
	// a choice instead.
	panelHint
)

// panelLines are the panel's words about card at now.
func panelLines(card triage.Card, now time.Time, keys KeyMap) []panelLine {
	var out []panelLine
	add := func(kind panelKind, format string, args ...any) {
		out = append(out, panelLine{kind: kind, text: fmt.Sprintf(format, args...)})
	}
	c := card.Consumer
	m := c.Metadata
	who := termtext.LineN(c.ConsumerID, 60)
	if m.AccountName != "" {
		who = termtext.LineN(m.AccountName, 60) + " · " + who
	}
	add(panelHeading, "%s", who)
	if person := personLine(m); person != "" {
		add(panelText, "%s", person)
	}
	r := card.Requests
	add(panelMuted, "%d requests in the last 30 days (unify %d, proxy %d, vault %d)", r.Total, r.Counts.Unify, r.Counts.Proxy, r.Counts.Vault)
	add(panelText, "")

	add(panelHeading, "Connections")
	if len(c.Connections) == 0 {
		add(panelMuted, "None yet.")
	}
	cells := make([][]string, len(c.Connections))
	for i, conn := range c.Connections {
		health := termtext.LineN(string(conn.Health), 30)
		if health == "" {
			health = termtext.LineN(string(conn.State), 30)
		}
		cells[i] = []string{termtext.LineN(conn.DisplayName(), 24), termtext.LineN(watch.APIName(conn.UnifiedAPI), 20), health}
	}
	for i, row := range alignColumns(cells) {
		conn := c.Connections[i]
		at := triage.Assess(conn, now, 0)
		if at.Need == triage.NeedNone {
			add(panelGood, "✓ %s", row)
			continue
		}
		add(panelBad, "✗ %s", row)
		add(panelBad, "  %s", termtext.Line(at.Describe(now)))
		if at.Left > 0 {
			bar, words := windowBar(at.Left)
			out = append(out, panelLine{kind: panelBad, text: "  " + words, bar: bar})
		}
	}
	add(panelText, "")

	add(panelHeading, "Last failing calls")
	switch {
	case len(card.Failing) > 0:
		// A table: time, method, path, status, connector, message.
		cells := make([][]string, len(card.Failing))
		for i, l := range card.Failing {
			cells[i] = []string{l.Time.In(now.Location()).Format("Jan 2 15:04"), truncate(termtext.Line(l.Method), 8),
				truncate(termtext.Line(l.Path), 60), fmt.Sprint(l.StatusCode), truncate(termtext.Line(l.Connector()), 30),
				termtext.LineN(l.ErrorMessage, 200)}
		}
		for i, row := range alignColumns(cells) {
			out = append(out, panelLine{kind: panelText, text: row, call: cells[i]})
		}
		if card.LogsErr != nil {
			add(panelMuted, "(the logs could not be read further: %s)", termtext.LineN(card.LogsErr.Error(), 200))
		}
	case card.LogsErr != nil:
		add(panelMuted, "The logs could not be read: %s", termtext.LineN(card.LogsErr.Error(), 200))
	default:
		add(panelMuted, "None among the latest calls.")
	}

	attention := card.Attention(now)
	if len(attention) > 0 {
		add(panelText, "")
		for _, at := range attention {
			add(panelBad, "%s: %s.", termtext.LineN(at.Connection.DisplayName(), 40), strings.ToLower(at.Need.Title()))
		}
		if fix, ok := triage.PlanFix(attention); ok {
			add(panelHint, "%s prepares the session that fixes it: %s only, re-authorize allowed, and a message saying %s.",
				keys.PrepareFix.Help().Key, apiNames(fix.UnifiedAPIs), quoted(fix.Purpose()))
		}
	}
	return out
}

// alignColumns lays rows of cells out as a table: every column but the
// last as wide as its widest cell, two spaces between columns.
func alignColumns(rows [][]string) []string {
	widths := columnWidths(rows)
	out := make([]string, len(rows))
	for i, row := range rows {
		out[i] = tableRow(row, widths)
	}
	return out
}

// columnWidths is the widest cell of every column but the last.
func columnWidths(rows [][]string) []int {
	var widths []int
	for _, row := range rows {
		for i, cell := range row[:len(row)-1] {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], lipgloss.Width(cell))
		}
	}
	return widths
}

// tableRow is one row of a table of columns widths wide: a cell wider than
// its column is cut, the last cell is as long as it is.
func tableRow(cells []string, widths []int) string {
	var b strings.Builder
	for i, cell := range cells {
		if i > 0 {
			b.WriteString("  ")
		}
		if i == len(cells)-1 || i >= len(widths) {
			b.WriteString(cell)
			continue
		}
		cell = truncate(cell, widths[i])
		b.WriteString(cell + strings.Repeat(" ", widths[i]-lipgloss.Width(cell)))
	}
	return strings.TrimRight(b.String(), " ")
}

// What a failing call's row leaves its message at the least, on a screen
// too narrow for the whole path and connector: the path, then the
// connector, give up cells to it, down to their floors.
const (
	failingMessageCells   = 16
	failingPathFloor      = 16
	failingConnectorFloor = 10
)

// failingWidths are the columns of the failing calls' table on a screen
// width cells wide (the panel's indent aside).
func failingWidths(rows [][]string, width int) []int {
	widths := columnWidths(rows)
	if len(widths) < 5 {
		return widths
	}
	used := failingMessageCells
	for _, w := range widths {
		used += w + 2
	}
	for _, col := range []struct{ i, floor int }{{2, failingPathFloor}, {4, failingConnectorFloor}} {
		if over := used - width; over > 0 && widths[col.i] > col.floor {
			give := min(over, widths[col.i]-col.floor)
			widths[col.i] -= give
			used -= give
		}
	}
	return widths
}

// personLine is "Hank Scorpio <hank@globex.example>".
func personLine(m model.ConsumerMetadata) string {
	name, email := termtext.LineN(m.UserName, 60), termtext.LineN(m.Email, 80)
	switch {
	case name != "" && email != "":
		return name + " <" + email + ">"
	case name != "":
		return name
	}
	return email
}

// windowBar shows how much of the 48 hours Vault keeps failing
// credentials is left: the bar "[██████░░░░░░░░░░░░]" and its words "18 h
// of 48 h left before Vault deletes the credentials".
func windowBar(left time.Duration) (bar, words string) {
	const cells = 24
	total := model.CredentialsRetention
	used := cells - int(float64(cells)*min(max(float64(left)/float64(total), 0), 1)+0.5)
	return "[" + strings.Repeat("█", used) + strings.Repeat("░", cells-used) + "]",
		triage.LeftText(left) + " of " + triage.LeftText(total) + " left before Vault deletes the credentials"
}

// fit measures the panel for the width and keeps its scroll within it.
func (p *consumerPanel) fit(st *state, width int) { p.measure(st, p.page(st, width)) }

// view draws the panel; the focus line is chosen so the root's crop starts
// exactly at the scroll's offset.
func (p *consumerPanel) view(st *state, width int) (string, int) {
	body := p.page(st, width)
	return body, p.focus(st, body)
}

// page is the panel's whole page for a width.
func (p *consumerPanel) page(st *state, width int) string {
	s := st.styles
	var b strings.Builder
	line := func(style lipgloss.Style, text string) {
		b.WriteString(truncateANSI("  "+style.Render(text), width) + "\n")
	}
	// A paragraph's own leading spaces (a connection's details under it)
	// indent every line it wraps to, not only the first.
	para := func(style lipgloss.Style, text string) {
		body := strings.TrimLeft(text, " ")
		lead := 2 + len(text) - len(body)
		b.WriteString(indent(wrapText(style, body, width-lead), lead) + "\n")
	}
	switch {
	case p.card == nil && p.err == nil:
		para(s.Title, "Consumer "+termtext.LineN(p.consumerID, 60))
		para(s.Muted, "Reading "+termtext.LineN(p.consumerID, 60)+" at "+st.apiTarget()+"…")
	case p.err != nil:
		para(s.Title, "Consumer "+termtext.LineN(p.consumerID, 60))
		para(s.Error, "Could not read it: "+termtext.Line(p.err.Error()))
		para(s.Hint, st.keys.PollNow.Help().Key+" tries again; "+st.keys.Back.Help().Key+" goes back. Creating a session does not need it.")
	default:
		lines := panelLines(*p.card, p.now(), st.keys)
		var calls [][]string
		for _, l := range lines {
			if l.call != nil {
				calls = append(calls, l.call)
			}
		}
		callWidths := failingWidths(calls, width-2)
		for _, l := range lines {
			if l.call != nil {
				line(s.Label, tableRow(l.call, callWidths))
				continue
			}
			switch l.kind {
			case panelHeading:
				line(s.Title, l.text)
			case panelGood:
				line(s.Success.UnsetBold(), l.text)
			case panelBad:
				if l.bar != "" {
					lead := len(l.text) - len(strings.TrimLeft(l.text, " "))
					para(s.Error, l.text[:lead]+l.bar+" "+l.text[lead:])
				} else {
					para(s.Error, l.text)
				}
			case panelMuted:
				para(s.Muted, l.text)
			case panelHint:
				para(s.Hint, l.text)
			default:
				line(s.Label, l.text)
			}
		}
		if p.running {
			para(s.Muted, "Reading again…")
		}
	}
	return b.String()
}

// offerAccessible is the panel in the plain prompts, on the Consumer
// step: when the API knows the consumer, a line on how its connections
// stand and the offer to show the panel (yes by default when something
// needs attention). A consumer the API does not know yet, or an API that
// cannot be asked, costs no question.
func (p *consumerPanel) offerAccessible(a *lineAsker, st *state) error {
	ctx, cancel := context.WithTimeout(a.ctx, 2*suggestTimeout)
	card, err := st.lookups.card(ctx, st.apiKey, p.req, p.demo, p.consumerID)
	cancel()
	if err != nil {
		return a.ctx.Err()
	}
	id := quoted(p.consumerID)
	attention := card.Attention(p.now())
	if len(attention) == 0 {
		a.say("%s is known to %s: %d connections, none needing attention.", id, st.apiTarget(), len(card.Consumer.Connections))
	} else {
		var needs []string
		for _, at := range attention {
			needs = append(needs, termtext.LineN(at.Connection.DisplayName(), 40)+" ("+strings.ToLower(at.Need.Title())+")")
		}
		a.say("%s has connections needing attention: %s.", id, strings.Join(needs, ", "))
	}
	show, err := a.yesNo("Show the consumer panel (connections, requests, failing calls)?", len(attention) > 0)
	if err != nil || !show {
		return err
	}
	return p.sayAccessible(a, st, card)
}

// sayAccessible is the panel as plain lines: the same words, then what
// the screen's keys do, as a numbered list.
func (p *consumerPanel) sayAccessible(a *lineAsker, st *state, card triage.Card) error {
	p.card = &card
	for _, l := range panelLines(card, p.now(), st.keys) {
		if l.kind == panelHint {
			continue // said as a choice below
		}
		a.say("%s", l.text)
	}
	fix, ok := p.fix()
	if !ok {
		return nil
	}
	a.say("What next?")
	a.say("  1. Prepare the session that fixes it: %s only, re-authorize allowed, and a message saying %s.", apiNames(fix.UnifiedAPIs), quoted(fix.Purpose()))
	a.say("  2. Go on with this session as it is.")
	for {
		ans, err := orQuit(a.ask("Number (enter for 2): "))
		if err != nil {
			return err
		}
		switch ans {
		case "1":
			st.req.ConsumerID = p.consumerID
			st.req.Session = fix.Apply(st.req.Session, card.Consumer.Metadata)
			st.fix = &preparedFix{consumerID: p.consumerID, purpose: fix.Purpose()}
			a.say("Prepared: unified APIs %s, actions %s; the message for the customer will say %s.",
				strings.Join(st.req.Session.Settings.UnifiedAPIs, ", "), strings.Join(st.req.Session.Settings.AllowActions, ", "), quoted(fix.Purpose()))
			return nil
		case "", "2":
			return nil
		}
		a.say("Please answer 1 or 2.")
	}
}
