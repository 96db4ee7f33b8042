package ui

import (
	"context"
	"fmt"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
)

// creatingScreen is the spinner while the request is in flight: how long
// it has waited, and each failed attempt the client tries again.
type creatingScreen struct {
	// seq is the create call's number: retry reports of an earlier,
	// cancelled call are not shown for this one.
	seq     int
	cancel  context.CancelFunc
	spinner spinner.Model
	retries <-chan tea.Msg
	retry   *client.Retry // the latest retry of the call
	// started is when the call was sent, for the time the screen shows.
	started time.Time
	now     func() time.Time
}

func newCreatingScreen(w *wizard, cancel context.CancelFunc) *creatingScreen {
	return &creatingScreen{
		seq:     w.createSeq,
		cancel:  cancel,
		spinner: spinner.New(spinner.WithSpinner(spinner.Dot), spinner.WithStyle(w.st.styles.Cursor)),
		started: w.now(),
		// The wizard's clock, read at each frame.
		now: func() time.Time { return w.now() },
	}
}

func (c *creatingScreen) title() string    { return "Creating session" }
func (c *creatingScreen) afterSteps() bool { return true }
func (c *creatingScreen) stop()            { c.cancel() }

// back cancels the call: its failure brings the review back.
func (c *creatingScreen) back(*wizard) tea.Cmd {
	c.cancel()
	return nil
}

func (c *creatingScreen) bindings(st *state) []key.Binding {
	return []key.Binding{st.keys.Cancel, st.keys.Quit}
}

func (c *creatingScreen) update(msg tea.Msg, w *wizard) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if key.Matches(msg, w.st.keys.Cancel) {
			c.cancel()
		}
	case retryingMsg:
		if msg.seq != c.seq {
			return nil
		}
		r := msg.retry
		c.retry = &r
		return listenForRetries(c.retries)
	case spinner.TickMsg:
		var cmd tea.Cmd
		c.spinner, cmd = c.spinner.Update(msg)
		return cmd
	}
	return nil
}

func (c *creatingScreen) view(st *state, width int) (string, int) {
	s := st.styles
	consumer := termtext.Line(st.req.ConsumerID)
	out := "\n  " + c.spinner.View() + " " + truncate("Creating a Vault session for "+consumer+" at "+st.apiTarget()+"…", width-4) + "\n"
	out += "    " + s.Hint.Render(truncate(c.elapsedText(st), width-4)) + "\n"
	if r := c.retry; r != nil {
		// Say what failed and that it is being tried again, in the API's
		// words, rather than leave the spinner turning in silence.
		failed, again := retryWords(*r)
		why := s.Warning.Width(max(10, width-4)).Render("⚠ " + failed)
		again = s.Hint.Render(again)
		out += "\n" + indent(why, 4) + "\n    " + again + "\n"
	}
	return out + "\n  " + s.Hint.Render(st.keys.Cancel.Help().Key+" cancels and brings you back to the review"), 0
}

// elapsedText says how long the call has been waiting, and until when it
// will: the spinner alone does not tell a slow server from a stuck one.
// The spinner's ticks redraw it.
func (c *creatingScreen) elapsedText(st *state) string {
	waited := max(0, c.now().Sub(c.started)).Truncate(time.Second)
	text := "waiting " + waited.String()
	if st.timeout > 0 {
		text += " (gives up after " + model.DurationText(st.timeout) + ")"
	}
	return text
}

// retryWords say a failed attempt that is tried again, in the API's words:
// the creating screen and the plain prompts both say them.
func retryWords(r client.Retry) (failed, again string) {
	return fmt.Sprintf("Attempt %d of %d failed: %s", r.Attempt, r.MaxAttempts, termtext.Line(r.Err.Error())),
		fmt.Sprintf("Trying again in %s (attempt %d of %d).", r.Wait.Round(100*time.Millisecond), r.Attempt+1, r.MaxAttempts)
}
