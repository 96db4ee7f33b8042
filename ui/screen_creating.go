package ui

import (
	"context"
	"errors"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/apideck-samples/vault-session/ui/failure"
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
		failed, again := failure.RetryWords(*r)
		why := wrapIn(s.Warning.Width(max(10, width-4)), "⚠ "+failed)
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

// createFunc sends one request; the wizard never sees HTTP, only this.
type createFunc func(ctx context.Context, apiKey string, req model.Request, demo bool) (client.Result, error)

// Messages of the create round trip.
type (
	sessionCreatedMsg struct {
		result client.Result
		// req is the request as sent: who the session is for, and the
		// length asked for.
		req model.Request
		// demo is true when the built-in demo API answered.
		demo bool
	}
	sessionFailedMsg struct{ err error }
)

// startCreate sends the request from the Review: every step's problems
// first, then the call off the event loop, with the creating screen in
// front until its answer comes back as sessionCreatedMsg or
// sessionFailedMsg.
func (w *wizard) startCreate() tea.Cmd {
	// Every step validates again: a session loaded with --from may have
	// problems on steps the user never opened.
	if errs := w.st.req.Validate(); len(errs) > 0 {
		if i := w.stepFor(errs[0].Path); i >= 0 {
			w.jumpTo(i, errs[0].Path)
			w.st.errs = errorsFor(errs, w.steps[i].owns)
			return nil
		}
	}
	ctx, cancel := w.createContext(context.Background())
	w.createSeq++
	c := newCreatingScreen(w, cancel)
	w.screen = c
	// The client reports its retries on a channel that the screen
	// listens to, so the spinner can say what went wrong and when it tries
	// again. The channel closes when the call returns, ending the listener.
	retries := make(chan tea.Msg, 8)
	seq := c.seq
	ctx = client.WithRetryObserver(ctx, func(r client.Retry) {
		select {
		case retries <- retryingMsg{seq: seq, retry: r}:
		default: // the screen shows the latest; none is worth blocking for
		}
	})
	req, apiKey, demo, create := w.st.req, w.st.apiKey, w.st.demo(), w.create
	send := func() tea.Msg {
		defer close(retries)
		res, err := create(ctx, apiKey, req, demo)
		if err != nil {
			return sessionFailedMsg{err}
		}
		return sessionCreatedMsg{result: res, req: req, demo: demo}
	}
	c.retries = retries
	return tea.Batch(send, listenForRetries(retries), c.spinner.Tick)
}

// createContext is the context of one create, in either front end:
// --timeout bounds it, retries included.
func (w *wizard) createContext(parent context.Context) (context.Context, context.CancelFunc) {
	if w.st.timeout > 0 {
		return context.WithTimeout(parent, w.st.timeout)
	}
	return context.WithCancel(parent)
}

// retryingMsg is a failed attempt the client is about to try again.
type retryingMsg struct {
	seq   int // which create call it belongs to
	retry client.Retry
}

func listenForRetries(retries <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		if msg, ok := <-retries; ok {
			return msg
		}
		return nil
	}
}

func (w *wizard) created(msg sessionCreatedMsg) tea.Cmd {
	w.stopScreen()
	created := CreatedSession{
		ConsumerID:  msg.req.ConsumerID,
		AccountName: msg.req.Session.ConsumerMetadata.AccountName,
		Result:      msg.result,
		BuiltInDemo: msg.demo,
	}
	w.outcome.Sessions = append(w.outcome.Sessions, created)
	result := newResultView(created, msg.req, w.now)
	result.purpose = w.st.fixPurpose(msg.req)
	w.screen = result
	// That request exists now: only what is typed after it makes a draft.
	w.st.memory.start = requestKey(msg.req)
	return tea.Batch(w.effects.every(time.Second, countdownMsg{}),
		w.recordCreatedCmd(msg.req, msg.result.ExpiresAt, msg.demo || msg.result.Demo))
}

func (w *wizard) failed(err error) tea.Cmd {
	w.stopScreen()
	if errors.Is(err, context.Canceled) {
		// The user cancelled: back to the review, everything as it was.
		w.screen = nil
		w.goTo(w.review())
		w.st.apiNote = "Cancelled. Nothing was shown to the consumer; press " + w.st.keys.Create.Help().Key + " to try again."
		return nil
	}
	w.screen = newFailureView(err, w)
	return nil
}
