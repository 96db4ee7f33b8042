package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// resultView shows a created session: its URL, expiry with a live
// countdown, and the token on request.
type resultView struct {
	res       client.Result
	demo      bool
	now       func() time.Time
	showToken bool
	status    string // what the last action did
	statusErr bool
}

type countdownMsg struct{}

func newResultView(res client.Result, demo bool, now func() time.Time) *resultView {
	return &resultView{res: res, demo: demo, now: now}
}

type browserOpenedMsg struct{ err error }
type copiedMsg struct{ err error }

func (r *resultView) update(msg tea.Msg, w *wizard) tea.Cmd {
	k := w.st.keys
	switch msg := msg.(type) {
	case countdownMsg:
		// Redraw each second, for the countdown.
		return w.effects.every(time.Second, countdownMsg{})
	case browserOpenedMsg:
		if msg.err != nil {
			r.status, r.statusErr = "Could not open a browser ("+msg.err.Error()+"). The URL is above: copy it with c.", true
		} else {
			r.status, r.statusErr = "Opened in your browser.", false
		}
	case copiedMsg:
		if msg.err != nil {
			r.status, r.statusErr = "Could not copy: "+msg.err.Error(), true
		} else {
			r.status, r.statusErr = "Sent to your clipboard through the terminal (OSC 52). Terminals that block it copy nothing: select the URL instead.", false
		}
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, k.Open):
			url, open := r.res.URL, w.effects.openURL
			return func() tea.Msg { return browserOpenedMsg{open(url)} }
		case key.Matches(msg, k.Copy):
			url, cp := r.res.URL, w.effects.copy
			return func() tea.Msg { return copiedMsg{cp(url)} }
		case key.Matches(msg, k.Token):
			r.showToken = !r.showToken
		case key.Matches(msg, k.Another):
			w.another()
		case key.Matches(msg, k.QuitPlain):
			w.quit(false)
			return tea.Quit
		}
	}
	return nil
}

func (r *resultView) bindings(k KeyMap) []key.Binding {
	token := k.Token
	if r.showToken {
		token = key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "hide token"))
	}
	return []key.Binding{k.Open, k.Copy, token, k.Another, k.QuitPlain}
}

func (r *resultView) view(st *state, width int) (string, int) {
	s := st.styles
	var b strings.Builder
	b.WriteString("  " + s.Success.Render("✓ Vault session created") + "\n")
	if r.demo {
		b.WriteString("  " + s.DemoBadge.Render("DEMO") + " " + s.Warning.Render(truncate("made by the built-in demo API, not Apideck: its page is served only while vault-session runs", width-9)) + "\n")
	}
	b.WriteString("\n  " + s.Label.Render("Session URL") + "\n")
	// The URL is never cut: it wraps, and c copies it whole.
	b.WriteString(indent(s.URL.Render(ansi.Hardwrap(r.res.URL, max(10, width-4), false)), 2) + "\n\n")

	label := func(l string) string { return "  " + s.Hint.Render(fmt.Sprintf("%-9s", l)) + " " }
	now := r.now()
	if !r.res.ExpiresAt.IsZero() {
		exp := r.res.ExpiresAt.In(now.Location())
		left := exp.Sub(now)
		when := s.Warning.Render("expired")
		if left > 0 {
			when = "in " + formatCountdown(left)
		}
		b.WriteString(label("Expires") + exp.Format("2006-01-02 15:04:05 MST") + "  " + s.Muted.Render("("+when+")") + "\n")
	}
	token := s.Muted.Render("hidden: press t to show")
	if r.showToken {
		token = s.Code.Render(ansi.Hardwrap(r.res.Token, max(10, width-14), false))
		token = strings.ReplaceAll(token, "\n", "\n"+strings.Repeat(" ", 12))
	}
	b.WriteString(label("Token") + token + "\n")
	if r.status != "" {
		style := s.Success
		if r.statusErr {
			style = s.Error
		}
		b.WriteString("\n" + style.Width(max(10, width-2)).PaddingLeft(2).Render(r.status) + "\n")
	}
	b.WriteString("\n  " + s.Hint.Render("n starts a session for the next consumer with the same theme and settings") + "\n")
	return b.String(), 0
}

// formatCountdown writes a duration as "59m 08s", "3h 05m" or "6d 23h".
func formatCountdown(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d >= 24*time.Hour:
		return fmt.Sprintf("%dd %02dh", d/(24*time.Hour), (d%(24*time.Hour))/time.Hour)
	case d >= time.Hour:
		return fmt.Sprintf("%dh %02dm", d/time.Hour, (d%time.Hour)/time.Minute)
	default:
		return fmt.Sprintf("%dm %02ds", d/time.Minute, (d%time.Minute)/time.Second)
	}
}
