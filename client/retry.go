package client

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryPolicy decides whether and when to try again.
//
// Create retries answers 408, 429, 500, 502, 503 and 504 and requests that
// got no answer (connection refused or reset, closed before answering, no
// answer within the per-attempt timeout). It never retries once the
// caller's context is done. Retrying a POST is safe here: creating a session
// has no side effect besides the token it returns.
type RetryPolicy struct {
	MaxAttempts  int           // including the first; below 1 means 1
	InitialWait  time.Duration // first backoff
	Factor       float64       // growth of each wait; below 1 means 1
	MaxWait      time.Duration // cap of one wait, Retry-After included; 0: no cap
	Jitter       float64       // ±fraction, e.g. 0.25; not applied to Retry-After
	MaxTotalTime time.Duration // no attempt starts after it; 0: no limit
}

// DefaultRetryPolicy follows Apideck's Go SDK where it applies: first wait
// 500 ms, factor 1.5, cap 60 s, ±25 % jitter. Attempts and total time are
// bounded so a person at a terminal is not kept waiting for an hour.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{
		MaxAttempts:  4,
		InitialWait:  500 * time.Millisecond,
		Factor:       1.5,
		MaxWait:      60 * time.Second,
		Jitter:       0.25,
		MaxTotalTime: 2 * time.Minute,
	}
}

// NoRetry is a policy that tries once.
func NoRetry() RetryPolicy { return RetryPolicy{MaxAttempts: 1} }

func (p RetryPolicy) attempts() int { return max(p.MaxAttempts, 1) }

// backoff returns the wait before retry n (1 is the wait after the first
// attempt); random is in [0, 1) and places the jitter.
func (p RetryPolicy) backoff(n int, random float64) time.Duration {
	factor := max(p.Factor, 1)
	wait := float64(p.InitialWait) * math.Pow(factor, float64(max(n-1, 0)))
	if j := min(max(p.Jitter, 0), 1); j > 0 {
		wait *= 1 + j*(2*random-1)
	}
	if p.MaxWait > 0 {
		wait = min(wait, float64(p.MaxWait))
	}
	// Without a cap the power can outgrow a Duration; a day is plenty.
	wait = min(max(wait, 0), float64(24*time.Hour))
	return time.Duration(wait)
}

// capWait bounds a wait the server asked for by MaxWait.
func (p RetryPolicy) capWait(d time.Duration) time.Duration {
	if p.MaxWait > 0 {
		return min(d, p.MaxWait)
	}
	return d
}

// retryableStatus lists the answers worth asking again: timeouts, rate
// limits and the server-side failures a proxy or a deploy causes.
func retryableStatus(code int) bool {
	switch code {
	case http.StatusRequestTimeout, http.StatusTooManyRequests,
		http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryAfter returns the wait an answer asks for: retry-after-ms (which
// Apideck's SDKs prefer, being precise) or Retry-After in seconds or as an
// HTTP date. A date in the past means now.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	const maxSeconds = 24 * 60 * 60 // more is not a wait anyone means
	if v := strings.TrimSpace(h.Get("retry-after-ms")); v != "" {
		ms, err := strconv.ParseFloat(v, 64)
		if err == nil && ms >= 0 && ms <= maxSeconds*1000 {
			return time.Duration(ms * float64(time.Millisecond)), true
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.Duration(min(max(secs, 0), maxSeconds)) * time.Second, true
	}
	if at, err := http.ParseTime(v); err == nil {
		return min(max(at.Sub(now), 0), maxSeconds*time.Second), true
	}
	return 0, false
}

// Sleep waits d or until ctx is done, whichever comes first: the wait
// between retries, and the poller's between polls (client/watch).
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Retry is a failed attempt that Create is about to try again.
type Retry struct {
	Attempt     int           // the attempt that failed, from 1
	MaxAttempts int           // the policy's bound
	Wait        time.Duration // before the next attempt
	Err         error         // why: an *APIError or a *ConnectionError
}

// Reason is why the attempt failed, in the error's words without its count
// of attempts ("could not reach … (2 attempts)"): a report of the retry
// says which attempt it was.
func (r Retry) Reason() string {
	var conn *ConnectionError
	if errors.As(r.Err, &conn) {
		once := *conn
		once.Attempts = 0
		return once.Error()
	}
	if r.Err == nil {
		return "no reason given"
	}
	return r.Err.Error()
}

type retryObserverKey struct{}

// WithRetryObserver returns a context under which Create calls observe for
// each retry, before waiting, so a caller can say what is going on instead
// of leaving a spinner turning for a minute. observe runs on Create's
// goroutine and must not block.
func WithRetryObserver(ctx context.Context, observe func(Retry)) context.Context {
	return context.WithValue(ctx, retryObserverKey{}, observe)
}
