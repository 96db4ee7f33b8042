package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// scaledClock runs time faster for every goroutine alike: a second of it
// passes in 1/factor of a real one. Unlike fakeClock it keeps concurrent
// workers and a server in one consistent time, which a test of many
// requests at once needs.
type scaledClock struct {
	start  time.Time
	base   time.Time
	factor float64
}

func newScaledClock(factor float64) *scaledClock {
	return &scaledClock{start: time.Now(), base: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC), factor: factor}
}

func (c *scaledClock) Now() time.Time {
	return c.base.Add(time.Duration(float64(time.Since(c.start)) * c.factor))
}

func (c *scaledClock) Sleep(ctx context.Context, d time.Duration) error {
	return Sleep(ctx, time.Duration(float64(d)/c.factor))
}

// since is how long since the clock started, in its own time.
func (c *scaledClock) since() time.Duration { return c.Now().Sub(c.base) }

// rateLimitedServer answers 429 with Retry-After: 2 until limitFor has
// passed on clock, then creates sessions; it logs when each request came
// and when each 429 went out.
type rateLimitedServer struct {
	clock    *scaledClock
	limitFor time.Duration

	mu       sync.Mutex
	arrivals []time.Duration
	told     []time.Duration // when a 429 was answered
	created  map[string]int  // consumer ID → sessions
}

func (s *rateLimitedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, r.Body)
	now := s.clock.since()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.arrivals = append(s.arrivals, now)
	w.Header().Set("Content-Type", "application/json")
	if now < s.limitFor {
		s.told = append(s.told, now)
		w.Header().Set("Retry-After", "2")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"status_code":429,"error":"Too Many Requests","message":"slow down"}`)
		return
	}
	consumer := r.Header.Get("x-apideck-consumer-id")
	s.created[consumer]++
	fmt.Fprintf(w, `{"status_code":200,"status":"OK","data":{"session_uri":"https://vault.apideck.com/session/%s","session_token":"t"}}`, consumer)
}

func newSenderForTest(t *testing.T, srv *httptest.Server, clock *scaledClock, perSecond float64, opts ...Option) *Client {
	t.Helper()
	gate := NewGate(perSecond)
	gate.now, gate.sleep = clock.Now, clock.Sleep
	c := New(append([]Option{WithBaseURL(srv.URL), WithGate(gate)}, opts...)...)
	c.now, c.sleep, c.random = clock.Now, clock.Sleep, func() float64 { return 0.5 }
	return c
}

func jobsOf(n int) func() (Job, bool) {
	i := 0
	return func() (Job, bool) {
		if i == n {
			return Job{}, false
		}
		i++
		return Job{ID: i, Creds: Credentials{APIKey: testKey, AppID: "app", ConsumerID: fmt.Sprintf("c-%d", i)}}, true
	}
}

// A server that answers 429 Retry-After: 2 for its first 10 s: every job
// is created in the end, exactly once, and no request arrives while a
// Retry-After wait is on, whichever worker was told.
func TestSenderWaitsOutRetryAfterAsOneBatch(t *testing.T) {
	t.Run("default retries", func(t *testing.T) { testSenderWaitsOutRetryAfter(t) })
	// Told 429 on its only attempt, a job is sent again, not failed.
	t.Run("no retries", func(t *testing.T) { testSenderWaitsOutRetryAfter(t, WithRetryPolicy(NoRetry())) })
}

func testSenderWaitsOutRetryAfter(t *testing.T, opts ...Option) {
	clock := newScaledClock(10) // the server's 10 s pass in one real second
	server := &rateLimitedServer{clock: clock, limitFor: 10 * time.Second, created: map[string]int{}}
	srv := httptest.NewServer(server)
	defer srv.Close()
	// 5/s with 4 workers staggers the starts: a gate that held only the
	// worker told would let the others through during its wait.
	c := newSenderForTest(t, srv, clock, 5, opts...)

	const jobs = 30
	var outcomes []error
	ids := map[int]bool{}
	Sender{Client: c, Workers: 4}.Send(context.Background(), context.Background(), jobsOf(jobs), func(j Job, r Result, err error) {
		outcomes = append(outcomes, err)
		ids[j.ID] = true
	})

	if len(outcomes) != jobs || len(ids) != jobs {
		t.Fatalf("%d outcomes for %d jobs", len(outcomes), jobs)
	}
	for _, err := range outcomes {
		if err != nil {
			t.Errorf("a job failed: %v", err)
		}
	}
	server.mu.Lock()
	defer server.mu.Unlock()
	if len(server.created) != jobs {
		t.Errorf("%d consumers got sessions, want %d", len(server.created), jobs)
	}
	for id, n := range server.created {
		if n != 1 {
			t.Errorf("%s got %d sessions", id, n)
		}
	}
	if len(server.told) == 0 {
		t.Fatal("no 429 was answered: the test tests nothing")
	}
	// A request already on its way when a 429 went out may arrive just
	// after it: allow it 400 ms (40 ms of real time, for a loaded
	// machine). A gate that held only the worker told still shows: the
	// others' starts, 200 ms apart, fall inside the wait.
	const inFlight = 400 * time.Millisecond
	sort.Slice(server.arrivals, func(i, j int) bool { return server.arrivals[i] < server.arrivals[j] })
	for _, told := range server.told {
		for _, at := range server.arrivals {
			if at > told+inFlight && at < told+2*time.Second-inFlight {
				t.Errorf("a request arrived at %v, during the Retry-After wait of the 429 answered at %v", at, told)
			}
		}
	}
}

// Stopping stops new jobs and resending rate-limited ones, but a request
// in flight finishes and gets its done: a session created is never lost.
func TestSenderStopLetsRequestsInFlightFinish(t *testing.T) {
	release := make(chan struct{})
	arrived := make(chan struct{}, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		arrived <- struct{}{}
		<-release
		fmt.Fprintf(w, `{"data":{"session_uri":"https://vault.apideck.com/session/x","session_token":"t"}}`)
	}))
	defer srv.Close()
	c := New(WithBaseURL(srv.URL), WithGate(NewGate(0)))

	stop, stopNow := context.WithCancel(context.Background())
	var done []error
	finished := make(chan struct{})
	go func() {
		Sender{Client: c, Workers: 2}.Send(stop, context.Background(), jobsOf(100), func(j Job, r Result, err error) {
			done = append(done, err)
		})
		close(finished)
	}()
	<-arrived
	<-arrived
	stopNow()
	close(release)
	<-finished
	if len(done) != 2 {
		t.Fatalf("%d jobs done after stopping with 2 in flight, want 2", len(done))
	}
	for _, err := range done {
		if err != nil {
			t.Errorf("a request in flight when stopping: %v, want its session", err)
		}
	}
}

// A job told 429 when stop has ended is not sent again: its done has the
// 429, so the caller can keep the row for later.
func TestSenderStoppedGivesTheRateLimitedJobBack(t *testing.T) {
	stop, stopNow := context.WithCancel(context.Background())
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		stopNow() // the user pressed Ctrl+C while this was answered
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	c := New(WithBaseURL(srv.URL), WithGate(NewGate(0)), WithRetryPolicy(NoRetry()))
	var errs []error
	Sender{Client: c, Workers: 1}.Send(stop, context.Background(), jobsOf(5), func(j Job, r Result, err error) {
		errs = append(errs, err)
	})
	if len(errs) != 1 || !IsRateLimited(errs[0]) {
		t.Errorf("outcomes %v, want one 429", errs)
	}
}

// One job's failure does not stop the others.
func TestSenderFailureOfOneIsNotTheOthers(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if r.Header.Get("x-apideck-consumer-id") == "c-2" {
			w.WriteHeader(http.StatusUnprocessableEntity)
			io.WriteString(w, `{"message":"bad consumer"}`)
			return
		}
		io.WriteString(w, `{"data":{"session_uri":"https://vault.apideck.com/session/x","session_token":"t"}}`)
	}))
	defer srv.Close()
	c := New(WithBaseURL(srv.URL))
	failed := map[int]error{}
	n := 0
	Sender{Client: c, Workers: 3}.Send(context.Background(), context.Background(), jobsOf(6), func(j Job, r Result, err error) {
		n++
		if err != nil {
			failed[j.ID] = err
		}
	})
	var apiErr *APIError
	if n != 6 || len(failed) != 1 || !errors.As(failed[2], &apiErr) || apiErr.StatusCode != 422 {
		t.Errorf("%d done, failed %v; want 6 done, job 2 refused with 422", n, failed)
	}
}

// BeforeSend runs before each attempt of a job leaves, never after it: a
// job whose hook fails is not sent, and one abandoned while the gate still
// holds it is never hooked (nothing of it left).
func TestSenderBeforeSendComesBeforeEachAttempt(t *testing.T) {
	var mu sync.Mutex
	var events []string
	note := func(e string) { mu.Lock(); events = append(events, e); mu.Unlock() }
	attempts := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		id := r.Header.Get("x-apideck-consumer-id")
		note("arrived " + id)
		mu.Lock()
		attempts[id]++
		first := attempts[id] == 1
		mu.Unlock()
		if id == "c-1" && first {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, `{"data":{"session_uri":"https://vault.apideck.com/session/x","session_token":"t"}}`)
	}))
	defer srv.Close()
	c := New(WithBaseURL(srv.URL), WithGate(NewGate(0)))
	c.sleep = func(context.Context, time.Duration) error { return nil } // the retry's backoff
	full := errors.New("disk full")
	sender := Sender{Client: c, Workers: 1, BeforeSend: func(j Job) error {
		note("before " + j.Creds.ConsumerID)
		if j.Creds.ConsumerID == "c-3" {
			return full
		}
		return nil
	}}
	outcomes := map[string]error{}
	sender.Send(context.Background(), context.Background(), jobsOf(3), func(j Job, r Result, err error) {
		outcomes[j.Creds.ConsumerID] = err
	})
	want := "before c-1, arrived c-1, before c-1, arrived c-1, before c-2, arrived c-2, before c-3"
	if got := strings.Join(events, ", "); got != want {
		t.Errorf("events:\n%s\nwant\n%s", got, want)
	}
	if outcomes["c-1"] != nil || outcomes["c-2"] != nil || !errors.Is(outcomes["c-3"], full) {
		t.Errorf("outcomes %v: want c-3 ended by its hook's error", outcomes)
	}

	// One in 100 s: the second job waits at the gate, and is abandoned
	// there.
	events = nil
	c = New(WithBaseURL(srv.URL), WithGate(NewGate(0.01)))
	sender.Client, sender.Workers = c, 2
	ctx, abandon := context.WithCancel(context.Background())
	var abandoned []error
	sender.Send(context.Background(), ctx, jobsOf(2), func(j Job, r Result, err error) {
		if err == nil {
			abandon() // the first is answered: the second is at the gate
		} else {
			abandoned = append(abandoned, err)
		}
	})
	if got := strings.Join(events, ", "); len(abandoned) != 1 || strings.Count(got, "before") != 1 {
		t.Errorf("events %s, %d abandoned: want one job hooked and sent, one abandoned unhooked", got, len(abandoned))
	}
}
