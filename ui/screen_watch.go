package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/watch"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// listConnectionsFunc fetches a consumer's connections once, without
// retries of its own: the watch screen alone decides when to ask again.
type listConnectionsFunc func(ctx context.Context, apiKey string, req model.Request, demo bool) ([]client.Connection, error)

// How the watch screen shows changes.
const (
	// highlightFor is how long a changed row stays marked.
	highlightFor = 5 * time.Second
	// logLines is how many log entries are kept; the screen shows the
	// latest that fit.
	logLines = 50
)

// watchView is the result screen's "w": the consumer's connections as a
// live table, polled every few seconds, each change highlighted and logged.
type watchView struct {
	// result is the screen esc goes back to.
	result *resultView
	req    model.Request // who the session is for, and its unified APIs
	demo   bool          // the session was made on the built-in demo API
	// showAll lists every unified API, not only the session's.
	showAll bool

	// apiCall is the poll. Its seq numbers openings of the screen, not
	// polls: a poll answer or timer of an earlier opening (esc, then w
	// again) is dropped.
	apiCall

	seen     bool // a poll has succeeded
	list     []client.Connection
	lastOK   time.Time
	failures int
	lastErr  error
	nextAt   time.Time
	stopped  bool // an error polling cannot fix: wait for r

	changedAt map[string]time.Time // by Connection.Key
	log       []watchLogEntry
	now       func() time.Time
	// pager scrolls the table when it is taller than the screen.
	pager
}

type watchLogEntry struct {
	at     time.Time
	change watch.Change
}

// Messages of the watch screen.
type (
	watchPollMsg   struct{ seq int }
	watchPolledMsg struct {
		seq  int
		at   time.Time
		list []client.Connection
		err  error
	}
)

func newWatchView(r *resultView, now func() time.Time) *watchView {
	return &watchView{result: r, req: r.req, demo: r.builtInDemo, now: now, changedAt: map[string]time.Time{}}
}

func (v *watchView) title() string    { return "Connections" }
func (v *watchView) afterSteps() bool { return true }

// back stops polling and shows the result again.
func (v *watchView) back(w *wizard) tea.Cmd {
	v.stop()
	w.screen = v.result
	return nil
}

// open (re)opens the screen: every answer and timer of the opening before
// is stale; poll now.
func (v *watchView) open(w *wizard) tea.Cmd {
	v.stop()
	v.stopped = false
	return v.poll(w)
}

func (v *watchView) poll(w *wizard) tea.Cmd {
	if v.running || w.st.listConnections == nil {
		return nil
	}
	apiKey, req, demo, list, now := w.st.apiKey, v.req, v.demo, w.st.listConnections, w.now
	return v.run(0, func(ctx context.Context, seq int) tea.Msg {
		got, err := list(ctx, apiKey, req, demo)
		return watchPolledMsg{seq: seq, at: now(), list: got, err: err}
	})
}

func (v *watchView) update(msg tea.Msg, w *wizard) tea.Cmd {
	k := w.st.keys
	switch msg := msg.(type) {
	case countdownMsg:
		// The screen's clock: "3s ago" and highlights that fade.
		return w.effects.every(time.Second, countdownMsg{})
	case watchPollMsg:
		if msg.seq != v.seq || v.stopped {
			return nil
		}
		return v.poll(w)
	case watchPolledMsg:
		if !v.answered(msg.seq) {
			return nil
		}
		return v.polled(msg, w)
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, k.AllAPIs):
			v.showAll = !v.showAll
		case key.Matches(msg, k.PollNow):
			v.stopped = false
			return v.poll(w)
		default:
			v.scrollKey(msg, &w.st)
		}
	}
	return nil
}

func (v *watchView) polled(msg watchPolledMsg, w *wizard) tea.Cmd {
	ring := false
	if msg.err != nil {
		v.failures++
		v.lastErr = msg.err
		if watch.Permanent(msg.err) {
			v.stopped = true
			return nil
		}
	} else {
		if v.seen {
			for _, ch := range watch.Diff(v.list, msg.list) {
				v.changedAt[ch.Connection.Key()] = msg.at
				v.log = append(v.log, watchLogEntry{at: msg.at, change: ch})
				ring = ring || (ch.BecameCallable() && !w.st.noBell)
			}
			if extra := len(v.log) - logLines; extra > 0 {
				v.log = slices.Delete(v.log, 0, extra)
			}
		}
		v.list, v.seen, v.lastOK = msg.list, true, msg.at
		v.failures, v.lastErr = 0, nil
	}
	wait := watch.NextPoll(watch.DefaultInterval, v.failures, v.lastErr)
	v.nextAt = msg.at.Add(wait)
	next := w.effects.every(wait, watchPollMsg{seq: v.seq})
	if ring && w.effects.ring != nil {
		// Rung as an effect, once, not drawn into a frame: Bubble Tea
		// may skip a frame when another message follows within 1/60 s.
		return tea.Batch(next, func() tea.Msg { w.effects.ring(); return nil })
	}
	return next
}

// apiNames are unified APIs by their names, "Accounting, CRM", safe for a
// terminal.
func apiNames(ids []string) string {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = termtext.LineN(watch.APIName(id), 30)
	}
	return strings.Join(names, ", ")
}

// apis are the unified APIs shown: the session's, unless all are.
func (v *watchView) apis() []string {
	if v.showAll {
		return nil
	}
	return v.req.Session.Settings.UnifiedAPIs
}

func (v *watchView) bindings(st *state) []key.Binding {
	k := st.keys
	all := k.AllAPIs
	if v.showAll {
		all = relabel(k.AllAPIs, "session's APIs only")
	}
	out := []key.Binding{k.PollNow}
	if len(v.req.Session.Settings.UnifiedAPIs) > 0 {
		out = append(out, all)
	}
	if v.scrollable(st) {
		out = append(out, k.LineUp)
	}
	return append(out, k.Back, k.Quit)
}

// fit measures the page for the width and keeps its scroll within it.
func (v *watchView) fit(st *state, width int) { v.measure(st, v.page(st, width)) }

// view draws the page; the focus line is chosen so the root's crop starts
// exactly at the scroll's offset.
func (v *watchView) view(st *state, width int) (string, int) {
	body := v.page(st, width)
	return body, v.focus(st, body)
}

// page is the screen's whole page for a width.
func (v *watchView) page(st *state, width int) string {
	s, now := st.styles, v.now()
	var b strings.Builder
	line := func(text string) { b.WriteString(truncateANSI("  "+text, width) + "\n") }
	// Sentences wrap; only table rows and log lines are cut at the edge.
	para := func(style lipgloss.Style, text string) {
		b.WriteString(indent(wrapText(style, text, width-2), 2) + "\n")
	}

	para(s.Title, "Connections of "+whoOf(v.req))
	if apis := v.apis(); len(apis) > 0 {
		para(s.Description, "The session's unified APIs: "+apiNames(apis)+". "+st.keys.AllAPIs.Help().Key+" shows all.")
	} else {
		para(s.Description, "Every unified API.")
	}
	b.WriteString("\n")

	rows := watch.Visible(v.list, v.apis())
	switch {
	case !v.seen:
		para(s.Muted, "Asking the API…")
	case len(rows) == 0:
		para(s.Label, "No connections yet: waiting for "+termtext.Line(v.req.ConsumerID)+" to add one on the Vault page.")
	default:
		b.WriteString(v.table(st, rows, width, now))
	}

	if entries := v.visibleLog(); len(entries) > 0 {
		b.WriteString("\n")
		line(s.Label.Render("Changes"))
		// The latest few, as the screen allows: the table matters more.
		room := max(2, st.bodyHeight-strings.Count(b.String(), "\n")-4)
		if len(entries) > room {
			entries = entries[len(entries)-room:]
		}
		for _, e := range entries {
			text := termtext.Line(watch.LogLine(e.at.In(now.Location()), e.change))
			style := s.Muted
			if now.Sub(e.at) < highlightFor {
				style = s.FocusLabel
			}
			line(style.Render(text))
		}
	}

	b.WriteString("\n")
	para(v.status(st, now))
	return b.String()
}

// ConnectionLines lays out the table's header and one line per connection
// in columns sized to their content, every cell made safe by termtext and
// cut at maxCell. The watch screen and the connections command share it.
func ConnectionLines(list []client.Connection, now time.Time, maxCell int) []string {
	cells := [][]string{watch.Headers().Cells()}
	for _, c := range list {
		r := watch.RowOf(c, now).Cells()
		for i := range r {
			r[i] = termtext.LineN(r[i], maxCell)
		}
		cells = append(cells, r)
	}
	widths := make([]int, len(cells[0]))
	for _, r := range cells {
		for i, cell := range r {
			widths[i] = max(widths[i], lipgloss.Width(cell))
		}
	}
	lines := make([]string, len(cells))
	for n, r := range cells {
		var text strings.Builder
		for i, cell := range r {
			text.WriteString(cell)
			if i < len(r)-1 {
				text.WriteString(strings.Repeat(" ", widths[i]-lipgloss.Width(cell)+2))
			}
		}
		lines[n] = text.String()
	}
	return lines
}

// table draws the rows in columns sized to their content; rows that
// changed a moment ago are marked "●" and drawn in the accent.
func (v *watchView) table(st *state, rows []client.Connection, width int, now time.Time) string {
	s := st.styles
	var b strings.Builder
	for n, text := range ConnectionLines(rows, now, 28) {
		mark, style := "  ", s.Label
		switch {
		case n == 0:
			style = s.Hint
		case now.Sub(v.changedAt[rows[n-1].Key()]) < highlightFor:
			mark, style = s.Cursor.Render("● "), s.FocusLabel
		case rows[n-1].State == client.StateCallable:
			style = s.Success.UnsetBold()
		case rows[n-1].State == client.StateInvalid || rows[n-1].Health == client.HealthRevoked:
			style = s.Error
		}
		b.WriteString(truncateANSI(mark+style.Render(text), width) + "\n")
	}
	return b.String()
}

// visibleLog is the log of the APIs shown.
func (v *watchView) visibleLog() []watchLogEntry {
	apis := v.apis()
	var out []watchLogEntry
	for _, e := range v.log {
		if len(apis) == 0 || slices.Contains(apis, e.change.Connection.UnifiedAPI) {
			out = append(out, e)
		}
	}
	return out
}

// status says how the polling goes: when the last answer came, or why
// the last poll failed and when the next one is.
func (v *watchView) status(st *state, now time.Time) (lipgloss.Style, string) {
	s := st.styles
	last := "no answer yet"
	if v.seen {
		last = "last answer " + v.lastOK.In(now.Location()).Format("15:04:05") + " (" + watch.SinceText(v.lastOK, now) + ")"
	}
	next := ""
	if !v.nextAt.IsZero() && !v.stopped {
		if d := v.nextAt.Sub(now).Round(time.Second); d > 0 {
			next = fmt.Sprintf(", next poll in %s", d)
		} else {
			next = ", polling…"
		}
	}
	switch {
	case v.lastErr != nil && v.stopped:
		return s.Error, "✗ Polling stopped: " + termtext.Line(v.lastErr.Error()) + ". " + st.keys.PollNow.Help().Key + " tries again; " + last + "."
	case v.lastErr != nil:
		return s.Warning, fmt.Sprintf("⚠ Poll failed (%d in a row): %s%s; %s.", v.failures, termtext.Line(v.lastErr.Error()), next, last)
	case v.seen:
		return s.Muted, fmt.Sprintf("Polling every %s: %s%s.", watch.DefaultInterval, last, next)
	}
	return s.Muted, "Polling every " + watch.DefaultInterval.String() + "…"
}

// runAccessible is the result screen's w as plain lines: the consumer's
// connections polled with client/watch's Poller (the pace, back-off and
// change list the watch screen uses), each change printed once as the
// screen's log words it. Nothing is redrawn; Enter or q stops, Ctrl+C
// leaves as everywhere.
func (v *watchView) runAccessible(lw *lineWizard) error {
	a, w := lw.ask, lw.w
	req := v.req
	apis := v.apis()
	scope := "every unified API"
	if len(apis) > 0 {
		scope = "the session's unified APIs: " + apiNames(apis)
	}
	a.say("Watching the connections of %s, %s. Polling every %s; each change is one line.", whoOf(req), scope, watch.DefaultInterval)
	a.say("Press enter or q to stop watching.")

	ctx, cancel := context.WithCancel(a.ctx)
	defer cancel()
	apiKey, demo, list := w.st.apiKey, v.demo, w.st.listConnections
	poller := watch.Poller{
		Fetch: func(ctx context.Context) ([]client.Connection, error) { return list(ctx, apiKey, req, demo) },
		Now:   w.now,
		Sleep: w.effects.sleep,
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = poller.Run(ctx, func(p watch.Poll) bool { return v.sayPoll(lw, p, apis, req.ConsumerID) })
	}()
	defer func() { cancel(); <-done }() // no line is written after the watch ends
	for {
		ans, err := a.ask("")
		if err != nil {
			return err
		}
		if ans == "" || isQuit(ans) {
			cancel()
			<-done
			a.say("Stopped watching.")
			return nil
		}
		a.say("Press enter or q to stop watching.")
	}
}

// sayPoll writes what one poll brought: the connections as they stand on
// the first, then each change of the APIs shown, with the screen's bell
// when a connection became callable (unless --no-bell). It reports
// whether to poll again: not after an error polling cannot fix.
func (v *watchView) sayPoll(lw *lineWizard, p watch.Poll, apis []string, consumerID string) bool {
	a, st := lw.ask, &lw.w.st
	if p.Err != nil {
		if watch.Permanent(p.Err) {
			a.say("Polling stopped: %s. Press enter to go on.", termtext.Line(p.Err.Error()))
			return false
		}
		a.say("Poll failed (%d in a row): %s; next poll in %s.", p.Failures, termtext.Line(p.Err.Error()), p.Next)
		return true
	}
	if p.First {
		rows := watch.Visible(p.Connections, apis)
		if len(rows) == 0 {
			a.say("No connections yet: waiting for %s to add one on the Vault page.", termtext.Line(consumerID))
		}
		for _, c := range rows {
			a.say("%s", termtext.Line(watch.StatusLine(p.At, c)))
		}
		return true
	}
	ring := false
	for _, ch := range p.Changes {
		ring = ring || (ch.BecameCallable() && !st.noBell)
	}
	if ring && lw.w.effects.ring != nil {
		// The screen's bell, once for the poll that brought it, rung
		// between lines: never in the middle of one.
		a.out.Do(lw.w.effects.ring)
	}
	for _, ch := range p.Changes {
		if len(apis) > 0 && !slices.Contains(apis, ch.Connection.UnifiedAPI) {
			continue // the screen's log shows the session's APIs
		}
		a.say("%s", termtext.Line(watch.LogLine(p.At, ch)))
	}
	return true
}
