package client

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/model"
)

// TestCallerDeadlineBoundsRetries: a server that keeps answering 503 would
// be retried for minutes; the caller's deadline (--timeout) ends the whole
// create, backoff waits included, and the error says what it waited for
// and what the last attempt got.
func TestCallerDeadlineBoundsRetries(t *testing.T) {
	srv, seq := serve(t, reply(503, "application/json", `{"message":"Try later"}`))
	policy := RetryPolicy{MaxAttempts: 100, InitialWait: 40 * time.Millisecond, Factor: 1}
	c := New(WithBaseURL(srv.URL), WithRetryPolicy(policy))
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Create(ctx, testCreds, model.Session{})
	took := time.Since(start)
	var deadline *DeadlineError
	if !errors.As(err, &deadline) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v (%T), want a DeadlineError", err, err)
	}
	if took > 2*time.Second {
		t.Errorf("took %s, far past the 300ms deadline", took)
	}
	var last *APIError
	// The deadline may fall while the last attempt is on its way: the
	// client counted it, the server's handler had not run yet.
	calls := seq.Calls()
	if deadline.Attempts < 2 || (calls != deadline.Attempts && calls != deadline.Attempts-1) || !errors.As(deadline.Last, &last) || last.StatusCode != 503 {
		t.Errorf("attempts %d (server saw %d), last %v", deadline.Attempts, calls, deadline.Last)
	}
	for _, want := range []string{"gave up waiting for " + srv.URL + SessionsPath, "attempts)", "the last attempt: ", "Try later"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

// TestCallerDeadlineDuringSilence: a server that never answers is given up
// on at the caller's deadline, not at the per-attempt timeout.
func TestCallerDeadlineDuringSilence(t *testing.T) {
	srv, _ := serve(t, hang)
	c := New(WithBaseURL(srv.URL))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.Create(ctx, testCreds, model.Session{})
	var deadline *DeadlineError
	if !errors.As(err, &deadline) || deadline.Attempts != 1 || deadline.Last != nil {
		t.Fatalf("err = %v, want a DeadlineError after 1 attempt", err)
	}
}

// TestCancelIsNotADeadline: a cancelled ctx (a signal) stays a
// cancellation, so the command exits 130 rather than 1.
func TestCancelIsNotADeadline(t *testing.T) {
	srv, _ := serve(t, hang)
	c := New(WithBaseURL(srv.URL))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err := c.Create(ctx, testCreds, model.Session{})
	var deadline *DeadlineError
	if errors.As(err, &deadline) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want a cancellation", err)
	}
}
