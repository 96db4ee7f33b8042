package cli

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/termtext"
)

// waitingNoticeAfter is how long a create waits in silence before a person
// at a terminal is told what it is waiting for.
const waitingNoticeAfter = 3 * time.Second

// waitingNoticeEvery repeats the notice while the wait goes on.
const waitingNoticeEvery = 15 * time.Second

// noticeWaiting starts telling a person at a terminal, on stderr, what a
// create is waiting for once it has waited a few seconds; scripts, whose
// stderr is a file or a pipe, get only the retries. It returns the function
// that stops it, which waits for a notice being written to finish.
func (a *app) noticeWaiting(w io.Writer, what string, timeout time.Duration) (stop func()) {
	if !a.streams.IsStderrTTY() {
		return func() {}
	}
	after := a.waitingNoticeAfter
	if after <= 0 {
		after = waitingNoticeAfter
	}
	start := a.now()
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		timer := time.NewTimer(after)
		defer timer.Stop()
		for {
			select {
			case <-done:
				return
			case <-timer.C:
			}
			waited := a.now().Sub(start).Round(time.Second)
			fmt.Fprintf(w, "vault-session: waiting for %s to answer (%s so far; gives up after %s; Ctrl+C cancels)\n",
				what, model.DurationText(waited), model.DurationText(timeout))
			timer.Reset(waitingNoticeEvery)
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() { close(done) })
		<-finished
	}
}

// waitingFor names what a create sends to: the API's host (never the
// user:password a base URL may carry), or the demo API.
func waitingFor(c *client.Client, demo bool) string {
	if demo {
		return "the built-in demo API"
	}
	if host := c.Host(); host != "" {
		return termtext.Line(host)
	}
	return "the API"
}
