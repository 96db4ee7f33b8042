package mock

import (
	"context"
	"sync"
	"time"
)

// Clock is a time that a test moves by hand: the demo API's (WithClock(
// c.Now)) and whatever shares it, a poller, a command or the wizard. Sleep
// moves it by the wait instead of waiting, so minutes of watching a
// connection's journey take no time. It is safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a Clock standing at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Sleep is a wait on the clock: it moves the clock by d at once, unless
// ctx is already done.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.Advance(d)
	return nil
}
