package triage

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/apideck-samples/vault-session/client"
)

// DefaultConcurrency is how many consumers a sweep looks up at once: enough
// to hide the round trips, few enough to stay within a rate limit that a
// Gate shares anyway.
const DefaultConcurrency = 4

// rateLimitedRounds bounds how many times a lookup that ran out of retries
// on 429 is started again.
const rateLimitedRounds = 10

// SweepOptions narrow and pace a Sweep.
type SweepOptions struct {
	// API keeps only connections of this unified API ("" for all).
	API string
	// Within bounds "credentials about to be deleted" (see Assess).
	Within time.Duration
	// Concurrency is how many consumers are looked up at once
	// (DefaultConcurrency when 0).
	Concurrency int
	// PageSize is how many consumers each list page holds
	// (client.MaxPageSize when 0).
	PageSize int
	// Now is the clock needs are judged by (time.Now when nil).
	Now func() time.Time
}

// Finding is one consumer with connections needing attention.
type Finding struct {
	Consumer client.Consumer
	// Attention is the consumer's connections that need something, most
	// urgent first.
	Attention []Attention
}

// Summary counts what a sweep looked at.
type Summary struct {
	Consumers   int // consumers listed
	LookedUp    int // consumers whose connections were read
	Connections int // connections read (of API, when set)
	// Needing is the number of connections per need.
	Needing map[Need]int
	// ConsumersNeeding is the number of consumers with at least one.
	ConsumersNeeding int
}

// Attention reports whether anything needs attention.
func (s Summary) Attention() bool { return s.ConsumersNeeding > 0 }

// Sweep walks every consumer of the application, a page at a time, reads
// the connections of each that has any (opts.Concurrency at a time), and
// calls visit, in the order the API lists consumers, for each consumer
// with a connection needing attention. Consumers the list shows with no
// services are not looked up. Memory holds one page of consumers
// and their connections, however many there are. A consumer that is gone
// by the time it is looked up (404) is skipped. It stops at the first
// other error, or the first error visit returns, and returns it.
//
// The client decides retries and waits (give it a client.Gate so that a
// 429 holds every lookup, not only the one told).
func Sweep(ctx context.Context, c *client.Client, creds client.Credentials, opts SweepOptions, visit func(Finding) error) (Summary, error) {
	sum := Summary{Needing: map[Need]int{}}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	workers := opts.Concurrency
	if workers <= 0 {
		workers = DefaultConcurrency
	}
	pageSize := opts.PageSize
	if pageSize <= 0 {
		pageSize = client.MaxPageSize
	}
	for page, err := range c.ConsumerPages(ctx, creds, client.ConsumerQuery{Limit: pageSize}) {
		if err != nil {
			return sum, err
		}
		sum.Consumers += len(page.Items)
		details, err := lookUp(ctx, c, creds, page.Items, workers)
		if err != nil {
			return sum, err
		}
		for _, d := range details {
			if d == nil {
				continue
			}
			sum.LookedUp++
			at := now()
			var kept []client.Connection
			for _, conn := range d.Connections {
				if opts.API == "" || conn.UnifiedAPI == opts.API {
					kept = append(kept, conn)
				}
			}
			sum.Connections += len(kept)
			attention := NeedsAttention(kept, at, opts.Within)
			if len(attention) == 0 {
				continue
			}
			sum.ConsumersNeeding++
			for _, a := range attention {
				sum.Needing[a.Need]++
			}
			if err := visit(Finding{Consumer: *d, Attention: attention}); err != nil {
				return sum, err
			}
		}
	}
	return sum, nil
}

// lookUp reads the consumers of one page that have services, workers at a
// time; the result keeps the page's order, nil where there was nothing to
// read or the consumer is gone.
func lookUp(ctx context.Context, c *client.Client, creds client.Credentials, page []client.Consumer, workers int) ([]*client.Consumer, error) {
	return Map(ctx, page, workers, func(ctx context.Context, consumer client.Consumer) (*client.Consumer, error) {
		if consumer.Services != nil && len(consumer.Services) == 0 {
			return nil, nil // the list says it has no connections
		}
		detail, err := RateLimited(ctx, func() (client.Consumer, error) { return c.Consumer(ctx, creds, consumer.ConsumerID) })
		var apiErr *client.APIError
		switch {
		case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound:
			return nil, nil
		case err != nil:
			return nil, err
		}
		return &detail, nil
	})
}

// RateLimited calls fn, and again while it ends in a 429 after the
// client's own retries (the others sharing its Gate were let through
// first), a bounded number of times.
func RateLimited[R any](ctx context.Context, fn func() (R, error)) (R, error) {
	r, err := fn()
	for round := 0; round < rateLimitedRounds && client.IsRateLimited(err) && ctx.Err() == nil; round++ {
		r, err = fn()
	}
	return r, err
}

// Map calls fn for each item, workers at a time, and returns the results
// in the items' order. It stops at the first error, which it returns, or
// when ctx ends.
func Map[T, R any](ctx context.Context, items []T, workers int, fn func(context.Context, T) (R, error)) ([]R, error) {
	out := make([]R, len(items))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int)
	var wg sync.WaitGroup
	var once sync.Once
	var firstErr error
	for range min(max(workers, 1), len(items)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				r, err := fn(ctx, items[i])
				if err != nil {
					once.Do(func() { firstErr = err; cancel() })
					continue
				}
				out[i] = r
			}
		}()
	}
feed:
	for i := range items {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
