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
}

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
// pace. It takes the start it returns at, so n callers start n intervals
// apart. It returns ctx's error when ctx ends first.
func (g *Gate) Wait(ctx context.Context) error {
	for {
		g.mu.Lock()
		now := g.now()
		start := now
		if g.next.After(start) {
			start = g.next
		}
		if g.held.After(start) {
			start = g.held
		}
		g.next = start.Add(g.interval)
		g.mu.Unlock()

		if !start.After(now) {
			return ctx.Err()
		}
		if err := g.sleep(ctx, start.Sub(now)); err != nil {
			return err
		}
		// A hold that began while this caller slept moves it on.
		g.mu.Lock()
		held := g.held
		g.mu.Unlock()
		if !held.After(start) {
			return ctx.Err()
		}
	}
}

// HoldFor keeps every request from starting for d from now (a hold already
// longer is kept).
func (g *Gate) HoldFor(d time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if until := g.now().Add(d); until.After(g.held) {
		g.held = until
	}
}

// HeldUntil is when the current hold ends; the zero time or a past one
// when nothing is held. A progress display says it.
func (g *Gate) HeldUntil() time.Time {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.held
}

// Interval is the pace: the time between request starts (0: none).
func (g *Gate) Interval() time.Duration { return g.interval }
