package ui

import (
	"fmt"
	"strings"

	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/charmbracelet/bubbles/key"
)

// offerDrafts is the resume screen as a question, asked at the start when
// drafts were left. It drives the screen's own resumeView with the keys the
// answer stands for, so resuming, starting fresh and discarding do exactly
// what they do there: a resumed draft puts back every value and the
// questions start at the step it was left on.
func (lw *lineWizard) offerDrafts() error {
	a, w := lw.ask, lw.w
	resumed := false
	for {
		r, ok := w.screen.(*resumeView)
		if !ok {
			break
		}
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
		ans, err := a.ask("Resume the unfinished session for " + describeDraft(cur, now) + "? " + choices + ": ")
		if err != nil {
			return err
		}
		ans = strings.ToLower(ans)
		switch {
		case ans == "":
			lw.press(r, w.st.keys.Resume)
			resumed = true
		case ans == "n":
			lw.press(r, w.st.keys.StartFresh)
		case isQuit(ans):
			return errQuit
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
			lw.press(r, w.st.keys.Discard)
			a.say("Discarded the draft for %s.", gone)
		default:
			n, ok := listNumber(ans, len(r.drafts))
			if !ok {
				a.say("Please press enter, or type n, d or a draft's number.")
				continue
			}
			r.cursor = n
			lw.press(r, w.st.keys.Resume)
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
func (lw *lineWizard) press(r *resumeView, b key.Binding) {
	if cmd := r.update(keyPress(b), lw.w); cmd != nil {
		if m, ok := cmd().(memoryErrMsg); ok {
			lw.w.outcome.Problems = append(lw.w.outcome.Problems, m.err)
			lw.ask.say("Error: %s.", termtext.Line(m.err.Error()))
		}
	}
}
