package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/apideck-samples/vault-session/ui/clipboard"
	"github.com/apideck-samples/vault-session/ui/wordwrap"
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
	// pager scrolls the page when it is taller than the screen (a long
	// URL on a small terminal).
	pager
	// watch is the session's connections (w), kept with what it saw
	// while the result is shown again.
	watch *watchView
	// purpose is what the session fixes, when the consumer panel
	// prepared it: the message to the customer says it.
	purpose string
	// handedOutAt is when the link last left this screen (handedOut);
	// quitAsked is set by a q that was answered with the demo link's
	// warning, so the next q quits.
	handedOutAt time.Time
	quitAsked   bool
}

// demoLinkInUse is how long after a built-in demo link was handed out q
// asks before quitting: someone may be about to open it.
const demoLinkInUse = 10 * time.Minute

// handedOut notes that the link left this screen: copied (alone or in the
// message), opened in a browser, or shown as a QR code. Quitting soon
// after asks first when the built-in demo API serves it (quitEndsLink).
func (r *resultView) handedOut() { r.handedOutAt = r.now() }

// quitEndsLink reports whether quitting now would end a link someone may
// be opening: one the built-in demo API made, handed out in the last ten
// minutes.
func (r *resultView) quitEndsLink() bool {
	return r.builtInDemo && !r.handedOutAt.IsZero() && r.now().Sub(r.handedOutAt) < demoLinkInUse
}

// demoQuitWarning is what q says first when quitEndsLink: quit is the key
// that quits all the same, demoServer the command that starts a demo API
// that lasts.
func demoQuitWarning(quit, demoServer string) string {
	return "The demo link stops working when vault-session ends: " + quit + " again to quit, or run " +
		"`" + demoServer + "` in another terminal and make the link there, for demo links that last."
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
	return r.watch.open(w)
}

func (r *resultView) update(msg tea.Msg, w *wizard) tea.Cmd {
	k := w.st.keys
	switch msg := msg.(type) {
	case countdownMsg:
		// Redraw each second, for the countdown.
		return w.effects.every(time.Second, countdownMsg{})
	case browserOpenedMsg:
		if msg.err != nil {
			r.status, r.statusKind = "Could not open a browser: "+termtext.Line(msg.err.Error())+". The URL is above: copy it with c.", statusFailed
		} else {
			r.status, r.statusKind = "Opened with "+termtext.Line(msg.how)+".", statusDone
			r.handedOut()
		}
	case copiedMsg:
		if msg.report.OK() {
			r.handedOut()
		}
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
		asked := r.quitAsked
		r.quitAsked = false // asked again after any other key
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
			qr := newQRView(r)
			if qr.err == nil {
				r.handedOut()
			}
			w.screen = qr
		case key.Matches(msg, k.Watch):
			return r.openWatch(w)
		case key.Matches(msg, k.ConsumerPanel):
			return w.openConsumerPanel(r, r.req, r.builtInDemo)
		case key.Matches(msg, k.Another):
			w.another()
		case key.Matches(msg, k.QuitPlain) && !asked && r.quitEndsLink():
			r.quitAsked = true
			r.status, r.statusKind = demoQuitWarning(k.QuitPlain.Help().Key, w.st.suggest("demo-server")), statusUnsure
			r.offset = r.lines // the warning is at the foot: in view (fit keeps the offset within the page)
		case key.Matches(msg, k.QuitPlain):
			w.quit(false)
			return tea.Quit
		default:
			r.scrollKey(msg, &w.st)
		}
	}
	return nil
}

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
	quit := k.QuitPlain
	if r.quitAsked {
		quit = relabel(quit, "quit: the demo link stops")
	}
	out := []key.Binding{k.Copy, k.CopyMessage, k.Open, k.QR, k.Watch, token, k.Another, quit}
	if st.lookups.card != nil {
		out = append(out[:5:5], append([]key.Binding{k.ConsumerPanel}, out[5:]...)...)
	}
	if r.scrollable(st) {
		out = append(out, k.LineUp)
	}
	return out
}

// fit measures the page for the width and keeps the offset within it.
func (r *resultView) fit(st *state, width int) { r.measure(st, r.page(st, width)) }

// view draws the page; the focus line is chosen so the root's crop starts
// exactly at offset.
func (r *resultView) view(st *state, width int) (string, int) {
	body := r.page(st, width)
	return body, r.focus(st, body)
}

// demoNote says which demo API made the session, for the screen's DEMO
// badge and the plain prompts alike: the built-in one's page lives only as
// long as this process, a demo-server's as long as that server.
func (r *resultView) demoNote() string {
	switch {
	case r.builtInDemo:
		return "made by the built-in demo API, not Apideck: its page is served only while vault-session runs"
	case r.res.Demo:
		return "made by a demo API (vault-session demo-server), not Apideck: it works while that server runs"
	}
	return ""
}

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
	if who := whoOf(r.req); who != "" {
		title += " for " + who
	}
	para(s.Success, title, 2)
	if note := r.demoNote(); note != "" {
		b.WriteString(indent(badgeText(s.DemoBadge.Render("DEMO"), s.Warning, note, width-2), 2) + "\n")
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

// whoOf names the consumer a request is for, as the result and the watch
// screen say it: "acme-42 (Acme Inc)", safe for a terminal.
func whoOf(req model.Request) string {
	id := termtext.Line(req.ConsumerID)
	if name := termtext.Line(strings.TrimSpace(req.Session.ConsumerMetadata.AccountName)); name != "" {
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
// hyperlink to the whole URL, under one id (under NO_COLOR too: a link
// is not a colour), so terminals that support
// hyperlinks open (and underline) it as one link.
func urlLines(st *state, url string, width int) string {
	safe := termtext.Line(url)
	lines := strings.Split(ansi.Hardwrap(safe, max(10, width), false), "\n")
	for i, l := range lines {
		l = st.styles.URL.Render(l)
		if st.profile != termenv.Ascii || st.noColor {
			l = ansi.SetHyperlink(safe, "id=vault-session-url") + l + ansi.ResetHyperlink()
		}
		lines[i] = l
	}
	return strings.Join(lines, "\n")
}

// badgeText is a badge followed by text in style, wrapped to width as one
// paragraph that starts after the badge.
func badgeText(badge string, style lipgloss.Style, text string, width int) string {
	// Wrap with a stand-in of the badge's width, then put the badge back.
	stand := strings.Repeat("x", lipgloss.Width(badge))
	wrapped := wordwrap.Wrap(stand+" "+text, max(10, width), "")
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
	created := "Vault session created"
	if who := whoOf(r.req); who != "" {
		created += " for " + who
	}
	a.say("%s.", created)
	if note := r.demoNote(); note != "" {
		a.say("%s.", strings.ToUpper(note[:1])+note[1:])
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
	return r.whatNext(lw)
}

// nextAction is one choice of the plain prompts' "What next?" menu: what
// the result screen's keys do. do reports whether to start the next
// consumer's session.
type nextAction struct {
	words string
	do    func() (next bool, err error)
}

// nextActions are the menu's choices, in the order of the screen's keys.
func (r *resultView) nextActions(lw *lineWizard) []nextAction {
	a, w, res := lw.ask, lw.w, r.res
	actions := []nextAction{
		{"open the link in the browser", func() (bool, error) {
			if how, err := w.effects.openURL(res.URL); err != nil {
				a.say("Could not open a browser: %s. The URL is above.", termtext.Line(err.Error()))
			} else {
				a.say("Opened with %s.", termtext.Line(how))
				r.handedOut()
			}
			return false, nil
		}},
		{"copy the link", func() (bool, error) {
			report := w.effects.copy(res.URL)
			a.say("%s", report.Message("The URL"))
			if report.OK() {
				r.handedOut()
			}
			return false, nil
		}},
		// The same message the result screen's copy key writes.
		{"copy a message for the customer, with the link and when it expires", func() (bool, error) {
			report := w.effects.copy(customerMessage(r.req, r.purpose, res))
			a.say("%s", report.Message("The message"))
			if report.OK() {
				r.handedOut()
			}
			return false, nil
		}},
		{"show the link as a QR code, for a phone to open", func() (bool, error) {
			if newQRView(r).runAccessible(a, &w.st) {
				r.handedOut()
			}
			return false, nil
		}},
		{"show the session token on its own", func() (bool, error) {
			a.say("Token: %s", termtext.Line(res.Token))
			return false, nil
		}},
	}
	if w.st.listConnections != nil {
		actions = append(actions, nextAction{"watch the customer's connections", func() (bool, error) {
			return false, newWatchView(r, w.now).runAccessible(lw)
		}})
	}
	return append(actions, nextAction{"create a session for the next consumer, with the same theme and settings",
		func() (bool, error) { return true, nil }})
}

// whatNext asks "What next?" until the user quits or starts the next
// consumer's session, which it reports. Quitting soon after a built-in demo
// link was handed out asks once more, as q does on the screen.
func (r *resultView) whatNext(lw *lineWizard) (bool, error) {
	a := lw.ask
	actions := r.nextActions(lw)
	a.say("What next?")
	for i, act := range actions {
		a.say("%d %s", i+1, act.words)
	}
	a.say("q quit")
	asked := false
	for {
		ans, err := a.ask(fmt.Sprintf("What next? (1 to %d, q or enter to quit): ", len(actions)))
		if err != nil {
			return false, err
		}
		if ans == "" || isQuit(ans) {
			if asked || !r.quitEndsLink() {
				return false, nil
			}
			asked = true
			a.say("%s", demoQuitWarning("q", lw.w.st.suggest("demo-server")))
			continue
		}
		asked = false
		n, ok := listNumber(ans, len(actions))
		if !ok {
			a.say("Please answer a number from 1 to %d, or q.", len(actions))
			continue
		}
		if next, err := actions[n].do(); err != nil || next {
			return next, err
		}
	}
}

// countdown is how the result says how long the link still works:
// "59m 08s", "3h 05m", "6d 23h".
func countdown() model.DurationFormat {
	return model.DurationFormat{Smallest: time.Second, Parts: 2, Padded: true}
}
