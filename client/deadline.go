package client

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// DeadlineError is a create that the caller's deadline ended before any
// usable answer came, retries included (the command's --timeout). It says
// how long was waited and, when an attempt had failed before, how.
type DeadlineError struct {
	URL      string
	Attempts int
	Waited   time.Duration
	// Last is the failure of the last completed attempt, if any.
	Last error
}

func (e *DeadlineError) Error() string {
	msg := fmt.Sprintf("gave up waiting for %s after %s", RedactURL(e.URL), e.Waited.Round(100*time.Millisecond))
	if e.Attempts > 1 {
		msg += fmt.Sprintf(" (%d attempts)", e.Attempts)
	}
	if e.Last != nil {
		msg += "; the last attempt: " + e.Last.Error()
	}
	return msg
}

// Unwrap makes errors.Is(err, context.DeadlineExceeded) hold.
func (e *DeadlineError) Unwrap() error { return context.DeadlineExceeded }

// ended is the error for a create whose ctx is done: a *DeadlineError when
// its deadline passed, otherwise the cancellation, wrapped.
func (c *Client) ended(ctx context.Context, op, target string, attempt int, start time.Time, last error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &DeadlineError{URL: target, Attempts: attempt, Waited: c.now().Sub(start), Last: last}
	}
	return fmt.Errorf("%s: %w", op, ctx.Err())
}
