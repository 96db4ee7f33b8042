package client

import (
	"context"
	"sync"
	"time"
)

// Gate is shared by every request of a run that sends many (a sweep of all
// consumers, a batch of sessions): it paces them to a rate, and when one
// answer asks to wait (429 or 503 with Retry-After), it holds them all, not
// only the one that was told. Without a gate each request honours
// Retry-After alone while the others carry on into the same limit.
//
// A hold is not let go all at once: every worker waiting on it would start
// together, into a limit that has room for one, and be told to wait again
// (two or three 429s per answer against a rate-limited API). After a hold
// the starts are spaced by a pace learned from the API, the wait it asked
// for: the first request goes alone, the next one such wait later. Each
// answer that is not a hold shortens the learned pace by a sixteenth, so
// the run speeds up again; each hold at least doubles it, up to four
// times the longest wait the API asked for and never beyond
// maxLearnedPace. The requests then keep to the API's limit, going over
// it now and then, without a storm of 429s, whatever the gate's own rate.
//
// Give one Gate to every client (or copy of a client) of the run with
// WithGate. A Gate is safe for concurrent use; its zero value is not usable:
// call NewGate.
type Gate struct {
	interval time.Duration // between request starts; 0: no pacing

	// Seams for tests: the clock and the sleep.
	now   func() time.Time
	sleep func(context.Context, time.Duration) error

	mu   sync.Mutex
	next time.Time // the earliest start the pace allows
	held time.Time // no request starts before this (Retry-After)
	// learned is the pace the API's holds taught: starts are at least this
	// far apart, as well as interval; 0 once the answers say it is over.
	learned time.Duration
	// longestWait is the longest hold asked for: it bounds learned.
	longestWait time.Duration
}

// maxLearnedPace bounds the pace a hold teaches: a long Retry-After (a
// window of a minute to wait out) is a hold, not one request a minute.
const maxLearnedPace = time.Second

// paceBeyondWait bounds the learned pace to this many times the longest
// wait a hold asked for.
const paceBeyondWait = 4

// relaxBelow is the learned pace under which it is dropped: a pace of a
// few microseconds paces nothing.
const relaxBelow = 100 * time.Microsecond

// NewGate returns a gate letting at most perSecond requests start each
// second, evenly spaced; 0 or less does not pace, only holds.
func NewGate(perSecond float64) *Gate {
	g := &Gate{now: time.Now, sleep: Sleep}
	if perSecond > 0 {
		g.interval = time.Duration(float64(time.Second) / perSecond)
	}
	return g
}

// NewGateWithClock is NewGate on another clock: now tells the time and
// sleep waits, so a test whose clock moves by the wait (mock.Clock) runs
// a paced batch in no time.
func NewGateWithClock(perSecond float64, now func() time.Time, sleep func(context.Context, time.Duration) error) *Gate {
	g := NewGate(perSecond)
	g.now, g.sleep = now, sleep
	return g
}

// WithGate makes every attempt of the client wait at g first (Wait), and
// hold g when an answer asks for a wait (HoldFor).
func WithGate(g *Gate) Option {
	return func(c *Client) { c.gate = g }
}

// Wait blocks until a request may start: after any hold and at the gate's
// pace (the larger of its rate's and the one learned from holds). A caller
// whose turn has not come sleeps until the earliest start and looks again:
// no start is kept for a caller asleep, so a hold begun meanwhile, or
// another caller taking that start first, is seen, and n callers start a
// pace apart. It returns ctx's error when ctx ends first.
func (g *Gate) Wait(ctx context.Context) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		g.mu.Lock()
		now := g.now()
		start := now
		if g.next.After(start) {
			start = g.next
		}
		if g.held.After(start) {
			start = g.held
		}
		if !start.After(now) {
			g.next = now.Add(max(g.interval, g.learned))
			g.mu.Unlock()
			return nil
		}
		g.mu.Unlock()
		if err := g.sleep(ctx, start.Sub(now)); err != nil {
			return err
		}
	}
}

// HoldFor keeps every request from starting for d from now (a hold already
// longer is kept), and spaces the starts after it by at least d. A new hold
// (none was in force) at least doubles the pace learned so far (see Gate);
// the other requests in flight told to wait at the same time do not double
// it again. The pace is never more than paceBeyondWait times the longest
// wait asked for in the gate's life.
func (g *Gate) HoldFor(d time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	pace := max(d, g.learned)
	if !g.held.After(now) {
		pace = max(d, 2*g.learned)
	}
	// The longest wait the API asked for is about the limit's own
	// spacing (a wait is until the limit has room for one more, at most
	// one spacing): a pace far beyond it is one the doubling reached over
	// many brief, scattered holds, and would slow a run long after the API
	// has room again.
	g.longestWait = max(g.longestWait, d)
	g.learned = min(pace, paceBeyondWait*g.longestWait, maxLearnedPace)
	if until := now.Add(d); until.After(g.held) {
		g.held = until
	}
}

// Answered tells the gate a request was answered without a hold (any
// answer but a 429 or 503 that asks to wait): the learned pace shortens by
// a sixteenth.
func (g *Gate) Answered() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.learned -= g.learned / 16; g.learned < relaxBelow {
		g.learned = 0
	}
}

// HeldUntil is when the current hold ends; the zero time or a past one
// when nothing is held. A progress display says it.
func (g *Gate) HeldUntil() time.Time {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.held
}

// Interval is the pace asked for: the time between request starts (0:
// none), before any the API's holds teach.
func (g *Gate) Interval() time.Duration { return g.interval }
