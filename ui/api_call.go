package ui

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// apiCall is the one API call a screen or a field keeps running off the
// event loop: the consumer ID's lookups, the consumer panel's readings,
// the watch's polls. Its answer carries seq; after stop, an answer or a
// timer of an earlier seq is stale and dropped.
type apiCall struct {
	seq     int
	cancel  context.CancelFunc
	running bool
}

// stop cancels the call running and makes every answer due stale.
func (c *apiCall) stop() {
	if c.cancel != nil {
		c.cancel()
		c.cancel = nil
	}
	c.seq++
	c.running = false
}

// run marks a call running and returns the command that makes it, off
// the event loop: call on a context of its own (with a timeout when one
// is given, cancelled by stop), its answer numbered seq.
func (c *apiCall) run(timeout time.Duration, call func(ctx context.Context, seq int) tea.Msg) tea.Cmd {
	var ctx context.Context
	var cancel context.CancelFunc
	if timeout > 0 {
		ctx, cancel = context.WithTimeout(context.Background(), timeout)
	} else {
		ctx, cancel = context.WithCancel(context.Background())
	}
	c.cancel, c.running = cancel, true
	seq := c.seq
	return func() tea.Msg {
		defer cancel()
		return call(ctx, seq)
	}
}

// answered reports whether an answer numbered seq is the running call's,
// which then ends; false for a stale one.
func (c *apiCall) answered(seq int) bool {
	if seq != c.seq {
		return false
	}
	c.cancel, c.running = nil, false
	return true
}
