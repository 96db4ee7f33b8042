package watch

import (
	"context"
	"time"

	"github.com/apideck-samples/vault-session/client"
)

// Poller polls a consumer's connections: the headless watch's loop. The
// wizard polls with tea commands instead, using the same NextPoll and
// Diff.
type Poller struct {
	// Fetch gets the full connection list once (a client without retries
	// of its own, so that NextPoll alone decides the pace).
	Fetch    func(context.Context) ([]client.Connection, error)
	Interval time.Duration // DefaultInterval when 0

	// Seams for tests; the real clock when nil.
	Now   func() time.Time
	Sleep func(context.Context, time.Duration) error
}

// Poll is one poll's outcome.
type Poll struct {
	At          time.Time
	First       bool                // the first successful poll: Changes is nil
	Connections []client.Connection // nil when Err is set
	Changes     []Change            // since the last successful poll
	Err         error
	Failures    int           // failed polls in a row, this one included
	Next        time.Duration // the wait before the next poll
}

// Run polls until ctx ends (returning its error) or visit returns false
// (returning nil). The wait between polls is counted from the end of one
// to the start of the next.
func (p Poller) Run(ctx context.Context, visit func(Poll) bool) error {
	now, sleep := p.Now, p.Sleep
	if now == nil {
		now = time.Now
	}
	if sleep == nil {
		sleep = client.Sleep
	}
	var last []client.Connection
	seen := false
	failures := 0
	for {
		at := now()
		list, err := p.Fetch(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		poll := Poll{At: at, Err: err}
		if err != nil {
			failures++
		} else {
			failures = 0
			poll.Connections, poll.First = list, !seen
			if seen {
				poll.Changes = Diff(last, list)
			}
			last, seen = list, true
		}
		poll.Failures = failures
		poll.Next = NextPoll(p.Interval, failures, err)
		if !visit(poll) {
			return nil
		}
		if err := sleep(ctx, poll.Next); err != nil {
			return err
		}
	}
}
