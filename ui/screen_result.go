package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/apideck-samples/vault-session/ui/clipboard"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// resultView shows a created session: its URL, expiry with a live
// countdown, and the token on request.
type resultView struct {
	res client.Result
	// req is the request the session was made from: who it is for, and
	// the length asked for.
	req model.Request
	// builtInDemo is true when the built-in demo API made it: its page
	// lives only as long as this process.
	builtInDemo bool
	createdAt   time.Time
	now         func() time.Time
	showToken   bool
	status      string // what the last action did
	statusKind  statusKind
	// offset is the first line shown when the page is taller than the
	// screen (a long URL on a small terminal); lines is the page's height
	// at the last frame.
	offset, lines int
	// watch is the session's connections (w), kept with what it saw
	// while the result is shown again.
	watch *watchView
	// purpose is what the session fixes, when the consumer panel
	// prepared it: the message to the customer says it.
	purpose string
}

// statusKind says how sure the last action is to have worked.
type statusKind int

const (
	statusDone   statusKind = iota // a tool or the browser said yes
	statusUnsure                   // sent, with no answer (OSC 52)
	statusFailed
)

type countdownMsg struct{}

func newResultView(created CreatedSession, req model.Request, now func() time.Time) *resultView {
	return &resultView{res: created.Result, req: req, builtInDemo: created.BuiltInDemo, createdAt: now(), now: now}
}

type browserOpenedMsg struct {
	how string
	err error
}

type copiedMsg struct {
	what   string // "The URL", "The message for Hank"
	report clipboard.Report
}

func (r *resultView) title() string    { return "Session ready" }
func (r *resultView) afterSteps() bool { return true }

// back does nothing: the session exists; n starts the next one.
func (r *resultView) back(*wizard) tea.Cmd { return nil }

// openWatch shows the session's connections, keeping what the watch saw
// if it was open before.
func (r *resultView) openWatch(w *wizard) tea.Cmd {
	if r.watch == nil {
		r.watch = newWatchView(r, w.now)
	}
	w.screen = r.watch
	return r.watch.start(w)
}

func (r *resultView) update(msg tea.Msg, w *wizard) tea.Cmd {
	k := w.st.keys
	switch msg := msg.(type) {
	case countdownMsg:
		// Redraw each second, for the countdown.
		return w.effects.every(time.Second, countdownMsg{})
	case browserOpenedMsg:
		if msg.err != nil {
			r.status, r.statusKind = "Could not open a browser: "+msg.err.Error()+". The URL is above: copy it with c.", statusFailed
		} else {
			r.status, r.statusKind = "Opened with "+msg.how+".", statusDone
		}
	case copiedMsg:
		r.status = msg.report.Message(msg.what)
		if !msg.report.Copied() {
			r.status += " The URL is above, to select."
		}
		switch {
		case msg.report.Copied():
			r.statusKind = statusDone
		case msg.report.OK():
			r.statusKind = statusUnsure
		default:
			r.statusKind = statusFailed
		}
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, k.Open):
			url, open := r.res.URL, w.effects.openURL
			return func() tea.Msg {
				how, err := open(url)
				return browserOpenedMsg{how, err}
			}
		case key.Matches(msg, k.Copy):
			return copyCmd(w.effects.copy, r.res.URL, "The URL")
		case key.Matches(msg, k.CopyMessage):
			what := "The message for the customer"
			if first := strings.Fields(r.req.Session.ConsumerMetadata.UserName); len(first) > 0 {
				what = "The message for " + first[0]
			}
			return copyCmd(w.effects.copy, customerMessage(r.req, r.purpose, r.res), what)
		case key.Matches(msg, k.Token):
			r.showToken = !r.showToken
		case key.Matches(msg, k.QR):
			w.screen = newQRView(r)
		case key.Matches(msg, k.Watch):
			return r.openWatch(w)
		case key.Matches(msg, k.ConsumerPanel):
			return w.openConsumerPanel(r, r.req, r.builtInDemo)
		case key.Matches(msg, k.Another):
			w.another()
		case key.Matches(msg, k.QuitPlain):
			w.quit(false)
			return tea.Quit
		case key.Matches(msg, k.LineUp):
			r.scroll(&w.st, r.offset-1)
		case key.Matches(msg, k.LineDown):
			r.scroll(&w.st, r.offset+1)
		case key.Matches(msg, k.PageUp):
			r.scroll(&w.st, r.offset-max(1, r.window(&w.st)-1))
		case key.Matches(msg, k.PageDown):
			r.scroll(&w.st, r.offset+max(1, r.window(&w.st)-1))
		case key.Matches(msg, k.Top):
			r.scroll(&w.st, 0)
		case key.Matches(msg, k.Bottom):
			r.scroll(&w.st, r.lines)
		}
	}
	return nil
}

// window is how many lines of the page the root shows when it crops it
// (one line each is kept for its "more" markers).
func (r *resultView) window(st *state) int { return max(1, st.bodyHeight-2) }

// scroll moves the page to start at line to, within the page.
func (r *resultView) scroll(st *state, to int) {
	r.offset = max(0, min(to, r.lines-r.window(st)))
}

// scrollable reports whether the page is taller than the screen.
func (r *resultView) scrollable(st *state) bool { return r.lines > st.bodyHeight }

func copyCmd(cp func(string) clipboard.Report, text, what string) tea.Cmd {
	return func() tea.Msg { return copiedMsg{what: what, report: cp(text)} }
}

// bindings are the result's keys, and the scrolling keys when the page
// does not fit.
func (r *resultView) bindings(st *state) []key.Binding {
	k := st.keys
	token := k.Token
	if r.showToken {
		token = relabel(k.Token, "hide token")
	}
	out := []key.Binding{k.Copy, k.CopyMessage, k.Open, k.QR, k.Watch, token, k.Another, k.QuitPlain}
	if st.lookups.card != nil {
		out = append(out[:5:5], append([]key.Binding{k.ConsumerPanel}, out[5:]...)...)
	}
	if r.scrollable(st) {
		out = append(out, k.LineUp)
	}
	return out
}

// fit measures the page for the width and keeps the offset within it.
func (r *resultView) fit(st *state, width int) {
	r.lines = pageLines(r.page(st, width))
	r.scroll(st, r.offset)
}

// view draws the page; the focus line is chosen so the root's crop starts
// exactly at offset.
func (r *resultView) view(st *state, width int) (string, int) {
	body := r.page(st, width)
	offset := max(0, min(r.offset, pageLines(body)-r.window(st)))
	return body, offset + r.window(st)/2
}

// pageLines is how many lines a page has.
func pageLines(body string) int { return strings.Count(strings.TrimRight(body, "\n"), "\n") + 1 }

// page is the result's whole page for a width.
func (r *resultView) page(st *state, width int) string {
	s := st.styles
	var b strings.Builder
	// Every line is wrapped to the width, never cut: the crop that follows
	// would end it with "…".
	para := func(style lipgloss.Style, text string, indentBy int) {
		b.WriteString(indent(wrapText(style, text, width-indentBy), indentBy) + "\n")
	}
	title := "✓ Vault session created"
	if who := r.who(); who != "" {
		title += " for " + who
	}
	para(s.Success, title, 2)
	switch {
	case r.builtInDemo:
		b.WriteString(indent(badgeText(s.DemoBadge.Render("DEMO"), s.Warning, "made by the built-in demo API, not Apideck: its page is served only while vault-session runs", width-2), 2) + "\n")
	case r.res.Demo:
		b.WriteString(indent(badgeText(s.DemoBadge.Render("DEMO"), s.Warning, "made by a demo API (vault-session demo-server), not Apideck: it works while that server runs", width-2), 2) + "\n")
	}
	b.WriteString("\n")
	para(s.Label, "Session URL", 2)
	// The URL starts at the left edge, on lines of its own, so a selection
	// gives it whole; where the terminal has colour it is also a hyperlink.
	b.WriteString(urlLines(st, r.res.URL, width) + "\n\n")

	label := func(l string) string { return "  " + s.Hint.Render(fmt.Sprintf("%-9s", l)) + " " }
	const valueIndent = 12
	now := r.now()
	if !r.res.ExpiresAt.IsZero() {
		exp := r.res.ExpiresAt.In(now.Location())
		left := exp.Sub(now)
		when := s.Warning.Render("expired")
		if left > 0 {
			when = "in " + model.FormatDuration(left, countdown())
		}
		value := exp.Format("2006-01-02 15:04:05 MST") + "  " + s.Muted.Render("("+when+")")
		b.WriteString(label("Expires") + hangingIndent(wrapText(lipgloss.NewStyle(), value, width-valueIndent), valueIndent) + "\n")
		if note := r.expiryNote(); note != "" {
			para(s.Warning, note, valueIndent)
		}
	}
	token := s.Muted.Render("hidden: press " + st.keys.Token.Help().Key + " to show")
	if r.showToken {
		token = s.Code.Render(ansi.Hardwrap(termtext.Line(r.res.Token), max(10, width-valueIndent-2), false))
		token = strings.ReplaceAll(token, "\n", "\n"+strings.Repeat(" ", valueIndent))
	}
	b.WriteString(label("Token") + token + "\n")
	if r.status != "" {
		style := s.Success
		switch r.statusKind {
		case statusUnsure:
			style = s.Warning
		case statusFailed:
			style = s.Error
		}
		b.WriteString("\n")
		para(style, r.status, 2)
	}
	b.WriteString("\n")
	para(s.Hint, st.keys.Another.Help().Key+" starts a session for the next consumer with the same theme and settings", 2)
	return b.String()
}

// who names the consumer: "acme-42 (Acme Inc)".
func (r *resultView) who() string {
	id := termtext.Line(r.req.ConsumerID)
	if name := termtext.Line(strings.TrimSpace(r.req.Session.ConsumerMetadata.AccountName)); name != "" {
		return id + " (" + name + ")"
	}
	return id
}

// expiryNote says when the expiry is not what was asked for
// (client.Result.ExpiryNote, which create and the plain prompts say too).
func (r *resultView) expiryNote() string {
	asked, _ := r.req.Session.Settings.EffectiveSessionLength()
	return r.res.ExpiryNote(asked, r.createdAt)
}

// urlLines draws the URL from the left edge, cut into lines of the full
// width and nothing else on them. With colour, each line is an OSC 8
// hyperlink to the whole URL, under one id, so terminals that support
// hyperlinks open (and underline) it as one link.
func urlLines(st *state, url string, width int) string {
	safe := termtext.Line(url)
	lines := strings.Split(ansi.Hardwrap(safe, max(10, width), false), "\n")
	for i, l := range lines {
		l = st.styles.URL.Render(l)
		if st.profile != termenv.Ascii {
			l = ansi.SetHyperlink(safe, "id=vault-session-url") + l + ansi.ResetHyperlink()
		}
		lines[i] = l
	}
	return strings.Join(lines, "\n")
}

// wrapText renders text in style, word-wrapped to width cells (long words
// broken), so no line needs cutting.
func wrapText(style lipgloss.Style, text string, width int) string {
	return style.Render(ansi.Wrap(text, max(10, width), ""))
}

// badgeText is a badge followed by text in style, wrapped to width as one
// paragraph that starts after the badge.
func badgeText(badge string, style lipgloss.Style, text string, width int) string {
	// Wrap with a stand-in of the badge's width, then put the badge back.
	stand := strings.Repeat("x", lipgloss.Width(badge))
	wrapped := ansi.Wrap(stand+" "+text, max(10, width), "")
	first, rest, more := strings.Cut(strings.TrimPrefix(wrapped, stand), "\n")
	out := badge + style.Render(first)
	if more {
		out += "\n" + style.Render(rest)
	}
	return out
}

// hangingIndent indents every line of s but the first by n spaces.
func hangingIndent(s string, n int) string {
	return strings.ReplaceAll(s, "\n", "\n"+strings.Repeat(" ", n))
}

// runAccessible says the URL plainly and offers what the result screen's keys do,
// as questions. It reports whether to start the next consumer's session.
func (r *resultView) runAccessible(lw *lineWizard) (bool, error) {
	a, w, res := lw.ask, lw.w, r.res
	a.say("")
	a.say("Vault session created.")
	if r.builtInDemo || res.Demo {
		a.say("Made by the built-in demo API, not Apideck: its page is served only while vault-session runs.")
	}
	a.say("Session URL: %s", termtext.Line(res.URL))
	if !res.ExpiresAt.IsZero() {
		now := w.now()
		exp := res.ExpiresAt.In(now.Location())
		a.say("Expires %s (in %s).", exp.Format("2006-01-02 15:04 MST"), model.FormatDuration(exp.Sub(now), countdown()))
		if note := r.expiryNote(); note != "" {
			a.say("Note: %s.", note)
		}
	}
	if ok, err := a.yesNo("Open it in the browser?", false); err != nil {
		return false, err
	} else if ok {
		if how, err := w.effects.openURL(res.URL); err != nil {
			a.say("Could not open a browser: %s. The URL is above.", termtext.Line(err.Error()))
		} else {
			a.say("Opened with %s.", termtext.Line(how))
		}
	}
	if ok, err := a.yesNo("Copy it to the clipboard?", false); err != nil {
		return false, err
	} else if ok {
		a.say("%s", w.effects.copy(res.URL).Message("The URL"))
	}
	// The same message the result screen's copy key writes.
	if ok, err := a.yesNo("Copy a message for the customer, with the link and when it expires?", false); err != nil {
		return false, err
	} else if ok {
		a.say("%s", w.effects.copy(customerMessage(r.req, r.purpose, res)).Message("The message"))
	}
	if ok, err := a.yesNo("Show the session token on its own?", false); err != nil {
		return false, err
	} else if ok {
		a.say("Token: %s", termtext.Line(res.Token))
	}
	if w.st.listConnections != nil {
		if ok, err := a.yesNo("Watch the customer's connections?", false); err != nil {
			return false, err
		} else if ok {
			if err := newWatchView(r, w.now).runAccessible(lw); err != nil {
				return false, err
			}
		}
	}
	return a.yesNo("Create a session for the next consumer, with the same theme and settings?", false)
}

// countdown is how the result says how long the link still works:
// "59m 08s", "3h 05m", "6d 23h".
func countdown() model.DurationFormat {
	return model.DurationFormat{Smallest: time.Second, Parts: 2, Padded: true}
}
