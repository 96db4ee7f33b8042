package client

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"sync"
	"testing"
	"time"
)

// newTestGate returns a gate on clock, so waits are recorded, not slept.
func newTestGate(perSecond float64, clock *fakeClock) *Gate {
	g := NewGate(perSecond)
	g.now, g.sleep = clock.Now, clock.Sleep
	return g
}

func TestGatePacesStarts(t *testing.T) {
	clock := newFakeClock()
	g := newTestGate(10, clock)
	for range 3 {
		if err := g.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	want := []time.Duration{100 * time.Millisecond, 100 * time.Millisecond}
	if !reflect.DeepEqual(clock.Waits(), want) {
		t.Errorf("waits = %v, want %v", clock.Waits(), want)
	}
}

func TestGateWithoutRateOnlyHolds(t *testing.T) {
	clock := newFakeClock()
	g := newTestGate(0, clock)
	for range 3 {
		g.Wait(context.Background())
	}
	if len(clock.Waits()) != 0 {
		t.Errorf("an unpaced gate waited %v", clock.Waits())
	}
	g.HoldFor(2 * time.Second)
	g.HoldFor(time.Second) // a shorter hold does not shorten it
	if got := g.HeldUntil(); !got.Equal(clock.Now().Add(2 * time.Second)) {
		t.Errorf("held until %v, want 2 s from now", got)
	}
	g.Wait(context.Background())
	if want := []time.Duration{2 * time.Second}; !reflect.DeepEqual(clock.Waits(), want) {
		t.Errorf("waits = %v, want %v", clock.Waits(), want)
	}
}

func TestGateHoldDuringAWaitMovesItOn(t *testing.T) {
	clock := newFakeClock()
	g := newTestGate(0, clock)
	g.HoldFor(time.Second)
	extended := false
	g.sleep = func(ctx context.Context, d time.Duration) error {
		err := clock.Sleep(ctx, d)
		if !extended {
			// Another request was told to wait 5 s while this one slept.
			extended = true
			g.HoldFor(5 * time.Second)
		}
		return err
	}
	g.Wait(context.Background())
	if want := []time.Duration{time.Second, 5 * time.Second}; !reflect.DeepEqual(clock.Waits(), want) {
		t.Errorf("waits = %v, want %v", clock.Waits(), want)
	}
}

func TestGateWaitEndsWithTheContext(t *testing.T) {
	g := NewGate(0)
	g.HoldFor(time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := g.Wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the deadline", err)
	}
}

func TestGateSpacesConcurrentCallers(t *testing.T) {
	g := NewGate(200) // 5 ms apart
	var mu sync.Mutex
	var starts []time.Time
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g.Wait(context.Background())
			mu.Lock()
			starts = append(starts, time.Now())
			mu.Unlock()
		}()
	}
	wg.Wait()
	first, last := starts[0], starts[0]
	for _, s := range starts {
		if s.Before(first) {
			first = s
		}
		if s.After(last) {
			last = s
		}
	}
	// 8 starts 5 ms apart span at least 35 ms, however they were scheduled.
	if span := last.Sub(first); span < 30*time.Millisecond {
		t.Errorf("8 starts at 200/s spanned %v, want at least 35 ms", span)
	}
}

// A 429 with Retry-After told to one client holds every client sharing
// the gate: the next request, whoever sends it, waits it out.
func TestGateRetryAfterHoldsEveryClient(t *testing.T) {
	srv, seq := serve(t,
		reply(429, "application/json", `{"message":"slow down"}`, "Retry-After", "3"),
		reply(200, "application/json", `{"status_code":200,"status":"OK","data":[]}`),
	)
	clock := newFakeClock()
	gate := newTestGate(0, clock)
	told, _ := newTestClient(srv.URL, WithGate(gate), WithRetryPolicy(NoRetry()))
	other, _ := newTestClient(srv.URL, WithGate(gate))
	told.now, told.sleep = clock.Now, clock.Sleep
	other.now, other.sleep = clock.Now, clock.Sleep

	var apiErr *APIError
	if _, err := told.Connections(context.Background(), testCreds, ""); !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("err = %v, want the 429", err)
	}
	if _, err := other.Connections(context.Background(), testCreds, ""); err != nil {
		t.Fatal(err)
	}
	if want := []time.Duration{3 * time.Second}; !reflect.DeepEqual(clock.Waits(), want) || seq.Calls() != 2 {
		t.Errorf("waits %v over %d requests, want %v over 2", clock.Waits(), seq.Calls(), want)
	}
}

// The client told to wait waits once: its own retry wait covers the hold.
func TestGateRetryAfterIsWaitedOnceByTheClientTold(t *testing.T) {
	srv, seq := serve(t,
		reply(503, "application/json", `{"message":"busy"}`, "Retry-After", "2"),
		reply(200, "application/json", `{"status_code":200,"status":"OK","data":[]}`),
	)
	clock := newFakeClock()
	c, _ := newTestClient(srv.URL, WithGate(newTestGate(0, clock)))
	c.now, c.sleep = clock.Now, clock.Sleep
	if _, err := c.Connections(context.Background(), testCreds, ""); err != nil {
		t.Fatal(err)
	}
	if want := []time.Duration{2 * time.Second}; !reflect.DeepEqual(clock.Waits(), want) || seq.Calls() != 2 {
		t.Errorf("waits %v over %d requests, want %v over 2", clock.Waits(), seq.Calls(), want)
	}
}

// After a hold the starts are spaced by the wait the API asked for, and
// many brief holds (each doubling the pace) never space them more than
// four times the longest wait asked for: 17 holds of 5 ms after one of
// 10 ms pace at 40 ms, not the second the doubling alone reaches. Answers
// shorten the pace again.
func TestGatePaceAfterHoldsIsBoundedByTheWaitsAsked(t *testing.T) {
	clock := newFakeClock()
	g := newTestGate(0, clock)
	lastWait := func() time.Duration {
		t.Helper()
		if err := g.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		waits := clock.Waits()
		if len(waits) == 0 {
			return 0
		}
		return waits[len(waits)-1]
	}
	g.HoldFor(10 * time.Millisecond)
	if got := lastWait(); got != 10*time.Millisecond {
		t.Fatalf("the first start after a hold of 10ms waited %v", got)
	}
	if got := lastWait(); got != 10*time.Millisecond {
		t.Fatalf("the second start waited %v, want the 10ms the API asked for", got)
	}
	for range 17 {
		g.HoldFor(5 * time.Millisecond)
		lastWait()
	}
	if got := lastWait(); got != 40*time.Millisecond {
		t.Errorf("after 17 brief holds a start waited %v, want 40ms (4 × the longest wait asked)", got)
	}
	for range 16 {
		g.Answered()
	}
	lastWait() // the start after is spaced at the pace when it was taken
	if got := lastWait(); got >= 20*time.Millisecond || got < 10*time.Millisecond {
		t.Errorf("after 16 answers a start waited %v, want the pace shortened by a sixteenth each (about 14ms)", got)
	}
}
