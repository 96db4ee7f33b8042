// Package batchview shows a batch of sessions as it runs: on a terminal, a
// progress bar (bubbles' progress, in the wizard's palette) with what is
// done, failed and left, the rate, the time left and the last error; without
// one, plain lines. Both end with the same summary.
package batchview

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/apideck-samples/vault-session/theme"
	"github.com/apideck-samples/vault-session/ui/batchrun"
	"github.com/apideck-samples/vault-session/ui/wordwrap"
	"github.com/charmbracelet/bubbles/progress"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// Model is the progress screen. It reads the runner's progress on a tick
// (the runner never waits on the screen), and quits once Finished comes.
type Model struct {
	styles   theme.Styles
	bar      progress.Model
	progress func() batchrun.Progress
	now      func() time.Time
	// stop and abandon are the first and the second Ctrl+C: stop sending,
	// then give up on the requests in flight.
	stop, abandon func()

	width      int
	p          batchrun.Progress
	interrupts int
	summary    string
	done       bool
}

// Options build a Model.
type Options struct {
	Renderer *lipgloss.Renderer
	// Progress reads the batch so far (batchrun.Runner.Progress).
	Progress func() batchrun.Progress
	Stop     func()
	Abandon  func()
	Now      func() time.Time
}

// New returns the progress screen.
func New(o Options) Model {
	palette := theme.AppPaletteFor(o.Renderer.HasDarkBackground())
	now := o.Now
	if now == nil {
		now = time.Now
	}
	bar := progress.New(
		progress.WithSolidFill(palette.Accent),
		progress.WithColorProfile(o.Renderer.ColorProfile()),
		progress.WithoutPercentage(),
	)
	bar.EmptyColor = palette.Muted
	return Model{styles: theme.NewStylesFor(o.Renderer, palette), bar: bar, progress: o.Progress,
		stop: o.Stop, abandon: o.Abandon, now: now, width: 80}
}

// tickEvery is how often the screen reads the progress: smooth enough to
// watch, rare enough to cost nothing next to the requests.
const tickEvery = 200 * time.Millisecond

type tickMsg struct{}

// Finished ends the screen with the summary under the final bar.
type Finished struct{ Summary string }

// Interrupted tells the screen that a signal asked to stop (the terminal's
// Ctrl+C is a key, but SIGTERM or a signal from a pipe's side is not).
type Interrupted struct{}

func tick() tea.Cmd { return tea.Tick(tickEvery, func(time.Time) tea.Msg { return tickMsg{} }) }

func (m Model) Init() tea.Cmd {
	return tick()
}

func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width = msg.Width
	case tickMsg:
		if m.done {
			return m, nil
		}
		m.p = m.progress()
		return m, tick()
	case tea.KeyMsg:
		if msg.Type == tea.KeyCtrlC {
			m.interrupt()
		}
	case Interrupted:
		m.interrupt()
	case Finished:
		m.p = m.progress()
		m.summary = msg.Summary
		m.done = true
		return m, tea.Quit
	}
	return m, nil
}

func (m *Model) interrupt() {
	m.interrupts++
	switch m.interrupts {
	case 1:
		if m.stop != nil {
			m.stop()
		}
	case 2:
		if m.abandon != nil {
			m.abandon()
		}
	}
	m.p = m.progress()
}

func (m Model) View() string {
	s := m.styles
	p := m.p
	var b strings.Builder
	done := p.Created + p.Failed
	percent := 0.0
	if p.ToSend > 0 {
		percent = float64(done) / float64(p.ToSend)
	}
	// The counter keeps the width of the last count, so the bar does not
	// shrink a cell as the count gains a digit (9/200, 10/200).
	total := strconv.Itoa(p.ToSend)
	counter := fmt.Sprintf(" %*d/%s", len(total), done, total)
	m.bar.Width = max(min(m.width-len(counter)-1, 60), 10)
	b.WriteString(m.bar.ViewAs(percent) + s.Label.Render(counter) + "\n")
	width := max(m.width-1, 20)
	// Lines are wrapped to the terminal by the wizard's one rule (never
	// inside Retry-After or a flag): a line wider than it would leave the
	// next frame drawn one row off.
	line := func(text string, style lipgloss.Style) {
		for _, l := range strings.Split(wordwrap.Wrap(text, width, ""), "\n") {
			b.WriteString(style.Render(l) + "\n")
		}
	}
	b.WriteString(wordwrap.Wrap(StatusLine(p, s), width, "") + "\n")
	if p.LastError != "" {
		// The API's words, on one line cut to the width: the whole
		// message is in the results.
		b.WriteString(s.Error.Render(ansi.Truncate(termtext.Line("last error: "+p.LastError), width, "…")) + "\n")
	}
	if wait := p.HeldUntil.Sub(m.now()); wait > 0 && !m.done {
		line(fmt.Sprintf("waiting %s: the API asked to slow down (Retry-After); every worker waits", model.RoughDurationText(wait)), s.Warning)
	}
	switch {
	case m.done:
		// The last frame stays on the screen: cut to the width, as a
		// terminal draws it, it would lose its end (the rate).
		b.WriteString(wordwrap.Wrap(strings.TrimSuffix(m.summary, "\n"), width, "") + "\n")
	case m.interrupts >= 2:
		line(fmt.Sprintf("abandoning %d requests in flight", p.InFlight), s.Warning)
	case m.interrupts == 1 || p.Stopping:
		line(fmt.Sprintf("stopping: %d requests in flight finish (Ctrl+C again to abandon them)", p.InFlight), s.Warning)
	}
	return b.String()
}

// StatusLine says the counts, the rate and the time left in one line;
// styles colour the counts that matter (a zero Styles draws none).
func StatusLine(p batchrun.Progress, s theme.Styles) string {
	parts := []string{s.Success.Render(fmt.Sprintf("%d created", p.Created))}
	if p.Failed > 0 {
		parts = append(parts, s.Error.Render(fmt.Sprintf("%d failed", p.Failed)))
	} else {
		parts = append(parts, "0 failed")
	}
	parts = append(parts, fmt.Sprintf("%d left", p.Remaining()))
	if p.Invalid > 0 {
		parts = append(parts, s.Warning.Render(fmt.Sprintf("%d invalid, not sent", p.Invalid)))
	}
	if p.Skipped > 0 {
		parts = append(parts, fmt.Sprintf("%d done before", p.Skipped))
	}
	if p.Uncertain > 0 {
		parts = append(parts, s.Warning.Render(fmt.Sprintf("%d uncertain, not sent", p.Uncertain)))
	}
	if p.Rate > 0 {
		parts = append(parts, fmt.Sprintf("%.1f/s", p.Rate))
		if left := p.Left(); left > 0 && p.Remaining() > 0 {
			parts = append(parts, "about "+model.RoughDurationText(left)+" left")
		}
	}
	return strings.Join(parts, s.Muted.Render(" · "))
}
