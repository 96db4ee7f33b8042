package client

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/apideck-samples/vault-session/model"
)

// DefaultRate is the pace of a batch when none is given: 2 creates a
// second, 120 a minute. Apideck limits its API per minute (per application)
// and does not publish one figure for every plan; 120 a minute stays under
// the per-minute limits common on unified APIs' entry plans, and creates
// 1,000 sessions in about 8 minutes. Going over costs little: the first
// 429 holds the whole batch for its Retry-After (Gate), then it goes on.
const DefaultRate = 2.0

// DefaultWorkers is how many creates of a batch are in flight at once when
// none is said: enough to keep DefaultRate with a slow answer (a create
// takes well under 2 s), few enough that stopping waits on little.
const DefaultWorkers = 4

// Job is one session of many to create.
type Job struct {
	// ID is the caller's name for the job (a row number); Send does not
	// read it.
	ID      int
	Creds   Credentials
	Session model.Session
}

// Sender creates many sessions at once: Workers creates run side by side,
// and every attempt of every one passes the client's Gate (WithGate), so
// they keep to one pace and all of them wait out a Retry-After any one of
// them is told. Each create is retried as Create retries.
type Sender struct {
	// Client sends the creates; give it a Gate, or nothing paces them.
	Client *Client
	// Workers is how many creates may be in flight; below 1 means 1.
	Workers int
	// Timeout bounds one create, its retries included; 0: no bound.
	Timeout time.Duration
	// BeforeSend, when set, is called on the job's worker before each
	// attempt of its create is sent, once the gate lets it go: nothing of
	// that attempt has left yet, and nothing does until it returns. An
	// error ends the job unsent, with that error in its done. A batch
	// journals there that the row is about to be sent.
	BeforeSend func(Job) error
}

type beforeSendKey struct{}

// beforeSend is the hook a Sender gives exchange through ctx.
func beforeSend(ctx context.Context) func() error {
	hook, _ := ctx.Value(beforeSendKey{}).(func() error)
	return hook
}

// Send creates a session for each job next gives, until next reports false
// or stop ends, and calls done with each outcome, one call at a time, in
// the order they finish; a row's failure never stops the others. It
// returns when every job it took has had its done.
//
// Two contexts, because stopping is not abandoning: once stop ends, no job
// starts and none is sent again, but requests already sent run on under
// ctx, so a session the API created is never left without its done.
// Ending ctx abandons them (their done gets the context's error).
//
// A job still told 429 after the client's retries is not failed: being
// told to slow down says nothing about the job. It is sent again once the
// gate's hold is over, for as long as stop lasts; when stop ends first, its
// done gets the 429.
func (s Sender) Send(stop, ctx context.Context, next func() (Job, bool), done func(Job, Result, error)) {
	var takeMu, doneMu sync.Mutex
	take := func() (Job, bool) {
		takeMu.Lock()
		defer takeMu.Unlock()
		if stop.Err() != nil {
			return Job{}, false
		}
		return next()
	}
	var wg sync.WaitGroup
	for range max(s.Workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				// A hold is waited out here, where nothing has been sent
				// and stopping cannot lose a session; the gate's own wait,
				// inside Create, then only paces.
				if s.waitHold(stop) != nil {
					return
				}
				job, ok := take()
				if !ok {
					return
				}
				res, err := s.create(stop, ctx, job)
				doneMu.Lock()
				done(job, res, err)
				doneMu.Unlock()
			}
		}()
	}
	wg.Wait()
}

// create sends one job, again after each 429 the retries could not get
// past, until it is answered otherwise or stop ends.
func (s Sender) create(stop, ctx context.Context, job Job) (Result, error) {
	for {
		res, err := s.createOnce(ctx, job)
		if !IsRateLimited(err) || s.waitHold(stop) != nil || ctx.Err() != nil {
			return res, err
		}
	}
}

func (s Sender) createOnce(ctx context.Context, job Job) (Result, error) {
	if s.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.Timeout)
		defer cancel()
	}
	if s.BeforeSend != nil {
		ctx = context.WithValue(ctx, beforeSendKey{}, func() error { return s.BeforeSend(job) })
	}
	return s.Client.Create(ctx, job.Creds, job.Session)
}

// waitHold waits until the gate holds nothing, or stop ends.
func (s Sender) waitHold(stop context.Context) error {
	g := s.Client.gate
	if g == nil {
		return stop.Err()
	}
	for {
		now := g.now()
		until := g.HeldUntil()
		if !until.After(now) {
			return stop.Err()
		}
		if err := g.sleep(stop, until.Sub(now)); err != nil {
			return err
		}
	}
}

// IsRateLimited reports whether err is the API saying 429 Too Many Requests.
func IsRateLimited(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusTooManyRequests
}
