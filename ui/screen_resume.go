package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/model/keptfile"
	"github.com/apideck-samples/vault-session/model/store"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// resumeView is the first screen when drafts were left: the latest few,
// enter resumes the one under the cursor where it was left, n starts
// fresh, d discards one.
type resumeView struct {
	drafts []store.Draft
	cursor int
	now    func() time.Time // for "12 min ago"
}

func newResumeView(drafts []store.Draft, now func() time.Time) *resumeView {
	return &resumeView{drafts: drafts[:min(len(drafts), maxDraftsOffered)], now: now}
}

func (r *resumeView) title() string    { return "Unfinished sessions" }
func (r *resumeView) afterSteps() bool { return false }

// back starts fresh, as n does.
func (r *resumeView) back(w *wizard) tea.Cmd {
	w.startFresh()
	return nil
}

func (r *resumeView) bindings(st *state) []key.Binding {
	k := st.keys
	out := []key.Binding{k.Resume, k.StartFresh}
	if len(r.drafts) > 1 {
		out = append(out, relabel(k.Up, "choose"))
	}
	return append(out, k.Discard, k.Quit)
}

func (r *resumeView) update(msg tea.Msg, w *wizard) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	keys := w.st.keys
	switch {
	case key.Matches(k, keys.Resume):
		w.resumeDraft(r.drafts[r.cursor])
	case key.Matches(k, keys.StartFresh):
		w.startFresh()
	case key.Matches(k, keys.Up):
		r.cursor = max(0, r.cursor-1)
	case key.Matches(k, keys.Down):
		r.cursor = min(len(r.drafts)-1, r.cursor+1)
	case key.Matches(k, keys.Discard):
		d := r.drafts[r.cursor]
		r.drafts = append(r.drafts[:r.cursor:r.cursor], r.drafts[r.cursor+1:]...)
		r.cursor = min(r.cursor, max(0, len(r.drafts)-1))
		if len(r.drafts) == 0 {
			w.startFresh()
		}
		st := w.st.memory.store
		return func() tea.Msg {
			if err := st.DeleteDraft(d.ConsumerID); err != nil {
				return memoryErrMsg{err}
			}
			return nil
		}
	}
	return nil
}

// describeDraft says what a draft holds: "globex-17 (Globex, 3 APIs, 12 min
// ago)". Its text comes from a file, so it is made safe for the terminal.
func describeDraft(d store.Draft, now time.Time) string {
	id := d.ConsumerID
	if id == "" {
		id = "no consumer ID yet"
	}
	var about []string
	if name := d.Session.ConsumerMetadata.AccountName; name != "" {
		about = append(about, name)
	}
	switch n := len(d.Session.Settings.UnifiedAPIs); n {
	case 0:
		about = append(about, "all APIs")
	case 1:
		about = append(about, "1 API")
	default:
		about = append(about, fmt.Sprintf("%d APIs", n))
	}
	about = append(about, ago(now.Sub(d.SavedAt)))
	return termtext.LineN(id, 60) + " (" + termtext.LineN(strings.Join(about, ", "), 120) + ")"
}

// ago reads "just now", "12 min ago", "3 h ago", "2 days ago".
func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h ago", int(d/time.Hour))
	}
	return fmt.Sprintf("%d days ago", int(d/(24*time.Hour)))
}

func (r *resumeView) view(st *state, width int) (string, int) {
	s, k, now := st.styles, st.keys, r.now()
	var b strings.Builder
	cur := r.drafts[r.cursor]
	b.WriteString(s.Title.Render("Unfinished sessions") + "\n")
	question := "Resume the unfinished session for " + describeDraft(cur, now) + "?"
	b.WriteString(wrapIn(s.Description.Width(max(10, width-2)), question) + "\n\n")
	focus := 0
	if len(r.drafts) > 1 {
		for i, d := range r.drafts {
			marker := "  "
			line := describeDraft(d, now)
			if step := termtext.LineN(d.Step, 30); step != "" {
				line += " · " + step
			}
			if i == r.cursor {
				marker = s.Cursor.Render("› ")
				line = s.Selected.Render(truncate(line, width-4))
				focus = strings.Count(b.String(), "\n")
			} else {
				line = truncate(line, width-4)
			}
			b.WriteString(marker + line + "\n")
		}
		b.WriteString("\n")
	} else if cur.Step != "" {
		b.WriteString("  " + s.Hint.Render(truncate("It opens on the "+termtext.LineN(cur.Step, 30)+" step, with every value as it was left.", width-2)) + "\n\n")
	}
	keys := k.Resume.Help().Key + " resume · " + k.StartFresh.Help().Key + " start fresh · " + k.Discard.Help().Key + " discard this draft"
	b.WriteString("  " + s.Hint.Render(truncate(keys, width-2)) + "\n")
	return b.String(), focus
}

// resumeDraft puts a draft back: its request (the key stays as given now),
// its preset, custom settings as typed, and the step it was left on.
func (w *wizard) resumeDraft(d store.Draft) {
	w.screen = nil
	w.presetOffered = true
	w.st.req.ConsumerID = d.ConsumerID
	if d.AppID != "" && !w.st.keyHeld { // a held app ID is the server's
		w.st.req.AppID = d.AppID
	}
	w.st.req.Session = d.Session
	w.st.memory.preset = d.Preset
	if w.st.memory.drafter != nil {
		w.st.memory.drafter.adopt(d.ConsumerID)
	}
	to := w.credentials()
	for i, s := range w.steps {
		c, ok := s.(*customSettingsStep)
		if ok && d.CustomSettingsText != "" {
			c.setText(d.CustomSettingsText)
			c.loaded = true
			c.save(&w.st)
		}
		if s.title() == d.Step {
			to = i
		}
	}
	w.goTo(to)
}

// startFresh leaves the drafts where they are and starts as if there were
// none.
func (w *wizard) startFresh() {
	w.screen = nil
	w.offerPresetsAtStart()
}

// runAccessible is the resume screen as a question, asked at the start when
// drafts were left. It drives the screen's own resumeView with the keys the
// answer stands for, so resuming, starting fresh and discarding do exactly
// what they do there: a resumed draft puts back every value and the
// questions start at the step it was left on.
func (r *resumeView) runAccessible(lw *lineWizard) error {
	a, w := lw.ask, lw.w
	resumed := false
	for w.screen == r {
		now := w.now()
		a.say("")
		if len(r.drafts) > 1 {
			a.say("Unfinished sessions:")
			for i, d := range r.drafts {
				line := fmt.Sprintf("%d %s", i+1, describeDraft(d, now))
				if step := termtext.LineN(d.Step, 30); step != "" {
					line += ", left on the " + step + " step"
				}
				a.say("%s", line)
			}
		}
		cur := r.drafts[r.cursor]
		if step := termtext.LineN(cur.Step, 30); step != "" && len(r.drafts) == 1 {
			a.say("It opens on the %s step, with every value as it was left.", step)
		}
		choices := "[enter] resume, n start fresh, d discard"
		if len(r.drafts) > 1 {
			choices = fmt.Sprintf("[enter] resume, a number 1 to %d resumes that one, n start fresh, d discard (d2 discards the second)", len(r.drafts))
		}
		ans, err := orQuit(a.ask("Resume the unfinished session for " + describeDraft(cur, now) + "? " + choices + ": "))
		if err != nil {
			return err
		}
		ans = strings.ToLower(ans)
		switch {
		case ans == "":
			r.press(lw, w.st.keys.Resume)
			resumed = true
		case ans == "n":
			r.press(lw, w.st.keys.StartFresh)
		case strings.HasPrefix(ans, "d"):
			n := r.cursor
			if rest := strings.TrimSpace(strings.TrimPrefix(ans, "d")); rest != "" {
				i, ok := listNumber(rest, len(r.drafts))
				if !ok {
					a.say("Please type d alone, or d and a number from 1 to %d.", len(r.drafts))
					continue
				}
				n = i
			}
			r.cursor = n
			gone := describeDraft(r.drafts[n], now)
			r.press(lw, w.st.keys.Discard)
			a.say("Discarded the draft for %s.", gone)
		default:
			n, ok := listNumber(ans, len(r.drafts))
			if !ok {
				a.say("Please press enter, or type n, d or a draft's number.")
				continue
			}
			r.cursor = n
			r.press(lw, w.st.keys.Resume)
			resumed = true
		}
	}
	if resumed {
		who := termtext.LineN(w.st.req.ConsumerID, 60)
		if who == "" {
			who = "no consumer ID yet"
		}
		a.say("Resumed the session for %s at step %d, %s: enter keeps each value as it was left.",
			who, w.current+1, w.steps[w.current].title())
	}
	return nil
}

// press gives the resume screen one key, and runs what it asks for (the
// discard's file deletion) at once: the prompts have no event loop.
func (r *resumeView) press(lw *lineWizard, b key.Binding) {
	if cmd := r.update(keyPress(b), lw.w); cmd != nil {
		if m, ok := cmd().(memoryErrMsg); ok {
			lw.w.outcome.Problems = append(lw.w.outcome.Problems, m.err)
			lw.ask.say("Error: %s.", termtext.Line(keptfile.ErrorText(m.err)))
		}
	}
}
