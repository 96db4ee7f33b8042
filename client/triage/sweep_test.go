package triage_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/client/mock/mocktest"
	"github.com/apideck-samples/vault-session/client/triage"
)

var (
	now       = time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	demoCreds = client.Credentials{APIKey: "sk_demo", AppID: mock.DemoAppID}
)

func fastRetries() client.RetryPolicy {
	return client.RetryPolicy{MaxAttempts: 6, InitialWait: time.Millisecond, Factor: 1.5, MaxWait: 20 * time.Millisecond}
}

func demo(t testing.TB, opts ...mock.Option) (*mock.Server, *client.Client) {
	m, base := mocktest.Start(t, append([]mock.Option{mock.WithFixedTime(now)}, opts...)...)
	return m, client.New(client.WithBaseURL(base), client.WithRetryPolicy(fastRetries()))
}

type found struct {
	consumer, service string
	need              triage.Need
	left              time.Duration
}

func sweep(t *testing.T, c *client.Client, opts triage.SweepOptions) ([]found, triage.Summary) {
	t.Helper()
	var out []found
	opts.Now = func() time.Time { return now }
	sum, err := triage.Sweep(context.Background(), c, demoCreds, opts, func(f triage.Finding) error {
		for _, a := range f.Attention {
			out = append(out, found{f.Consumer.ConsumerID, a.Connection.ServiceID, a.Need, a.Left})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out, sum
}

// The demo application: QuickBooks of globex-17 (credentials go in 18 h)
// and HubSpot of initech-3 (needs a sign-in), nothing else.
func TestSweepTheDemoApplication(t *testing.T) {
	m, c := demo(t)
	got, sum := sweep(t, c, triage.SweepOptions{})
	want := []found{
		{mock.GlobexID, "quickbooks", triage.NeedCredentialsExpiring, 18 * time.Hour},
		{mock.InitechID, "hubspot", triage.NeedReconnect, 0},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("found %+v\nwant  %+v", got, want)
	}
	if sum.Consumers != 3 || sum.LookedUp != 2 || sum.Connections != 3 || sum.ConsumersNeeding != 2 || !sum.Attention() ||
		sum.Needing[triage.NeedCredentialsExpiring] != 1 || sum.Needing[triage.NeedReconnect] != 1 {
		t.Errorf("summary %+v", sum)
	}
	// umbrella-9 has no services: it is not looked up.
	for _, r := range m.Requests() {
		if r.Path == "/vault/consumers/umbrella-9" {
			t.Error("a consumer without services was looked up")
		}
	}

	got, sum = sweep(t, c, triage.SweepOptions{API: "crm"})
	if len(got) != 1 || got[0].service != "hubspot" || sum.Connections != 2 {
		t.Errorf("crm only: %+v %+v", got, sum)
	}
	got, _ = sweep(t, c, triage.SweepOptions{Within: 6 * time.Hour})
	if got[0].need != triage.NeedRefreshFailing {
		t.Errorf("18 h left is beyond a 6 h window: %+v", got[0])
	}
}

// After the fixes (QuickBooks and HubSpot authorized again through a
// session), the sweep finds nothing.
func TestSweepAfterTheFix(t *testing.T) {
	_, c := demo(t, mock.WithConnectionSteps(mock.ConnectionStep{State: "callable", Health: "ok"}))
	for _, fix := range []struct{ consumer, api, service string }{
		{mock.GlobexID, "accounting", "quickbooks"}, {mock.InitechID, "crm", "hubspot"},
	} {
		creds := demoCreds
		creds.ConsumerID = fix.consumer
		if err := reauthorize(c, creds, fix.api, fix.service); err != nil {
			t.Fatal(err)
		}
	}
	got, sum := sweep(t, c, triage.SweepOptions{})
	if len(got) != 0 || sum.Attention() {
		t.Errorf("after the fix: %+v %+v", got, sum)
	}
}

// reauthorize does what the Vault page's Re-authorize does on the demo
// API, for creds' consumer.
func reauthorize(c *client.Client, creds client.Credentials, api, service string) error {
	header := http.Header{}
	header.Set("Authorization", "Bearer "+creds.APIKey)
	header.Set("x-apideck-app-id", creds.AppID)
	header.Set("x-apideck-consumer-id", creds.ConsumerID)
	return mock.Reauthorize(context.Background(), c.BaseURL(), header, api, service)
}

func TestSweepGeneratedConsumersInOrder(t *testing.T) {
	_, c := demo(t, mock.WithSeededConsumers(600))
	got, sum := sweep(t, c, triage.SweepOptions{PageSize: 50, Concurrency: 8})
	if sum.Consumers != 603 || sum.ConsumersNeeding < 60 || len(got) < sum.ConsumersNeeding {
		t.Fatalf("summary %+v, %d found", sum, len(got))
	}
	if !slices.IsSortedFunc(got, func(a, b found) int {
		switch {
		case a.consumer < b.consumer:
			return -1
		case a.consumer > b.consumer:
			return 1
		}
		return 0
	}) {
		t.Error("findings are not in the list's order")
	}
	for _, need := range []triage.Need{triage.NeedCredentialsExpiring, triage.NeedReconnect, triage.NeedSettings, triage.NeedDegraded, triage.NeedConsent} {
		if sum.Needing[need] == 0 {
			t.Errorf("no %s among 600 generated consumers: %v", need, sum.Needing)
		}
	}
}

func TestSweepStopsAtTheFirstError(t *testing.T) {
	m, c := demo(t, mock.WithSeededConsumers(100))
	m.ScriptConnections(mock.Answer{}, mock.Answer{}, mock.Answer{Status: 401})
	var visits atomic.Int32
	_, err := triage.Sweep(context.Background(), c, demoCreds, triage.SweepOptions{Concurrency: 1, PageSize: 20}, func(triage.Finding) error {
		visits.Add(1)
		return nil
	})
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 401 {
		t.Errorf("err = %v", err)
	}
	stop := errors.New("enough")
	_, err = triage.Sweep(context.Background(), c, demoCreds, triage.SweepOptions{}, func(triage.Finding) error { return stop })
	if !errors.Is(err, stop) {
		t.Errorf("visit's error: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := triage.Sweep(ctx, c, demoCreds, triage.SweepOptions{}, func(triage.Finding) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// A consumer deleted between the list and its lookup is skipped.
func TestSweepSkipsAConsumerGone(t *testing.T) {
	m, c := demo(t)
	m.ScriptConnections(mock.Answer{}, mock.Answer{Status: 404})
	got, sum := sweep(t, c, triage.SweepOptions{Concurrency: 1})
	if len(got) != 1 || sum.LookedUp != 1 {
		t.Errorf("found %+v summary %+v", got, sum)
	}
}

// Rate limited, the sweep waits and misses nothing.
func TestSweepThroughARateLimit(t *testing.T) {
	m, base := mocktest.Start(t, mock.WithSeededConsumers(150))
	// Bursts of refusals, as a limit that the lookups ran into.
	for range 5 {
		m.ScriptConnections(mock.Answer{}, mock.Answer{}, mock.Answer{}, mock.Answer{}, mock.Answer{Status: 429,
			Header: http.Header{"Retry-After": {"1"}, "Retry-After-Ms": {"20"}}})
	}
	m.FailNextConnections(429, 12, "Retry-After-Ms", "5")
	policy := client.DefaultRetryPolicy()
	policy.MaxAttempts = 20
	c := client.New(client.WithBaseURL(base), client.WithRetryPolicy(policy), client.WithGate(client.NewGate(0)))
	var limited int
	_, sum := sweep(t, c, triage.SweepOptions{Concurrency: 8})
	for _, r := range m.Requests() {
		if r.Status == 429 {
			limited++
		}
	}
	_, c2 := demo(t, mock.WithSeededConsumers(150))
	_, want := sweep(t, c2, triage.SweepOptions{})
	if sum.Consumers != want.Consumers || sum.LookedUp != want.LookedUp || sum.ConsumersNeeding != want.ConsumersNeeding || limited != 17 {
		t.Errorf("rate limited %+v (%d answers 429), unlimited %+v", sum, limited, want)
	}
}

// BenchmarkSweep sweeps a demo application of 1,000 and of 10,000
// consumers, served by another process (this test binary, re-run as
// TestDemoServerProcess) so that only the sweep's memory is measured: the
// time per sweep, and the peak of the live heap above what was live
// before, sampled while sweeping 10,000 consumers after the timed sweeps
// (one sweep of 10,000, ten of 1,000). The peak must not grow with the
// count.
func BenchmarkSweep(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("consumers=%d", n), func(b *testing.B) {
			c := client.New(client.WithBaseURL(demoProcess(b, n)), client.WithRetryPolicy(fastRetries()))
			run := func() {
				sum, err := triage.Sweep(context.Background(), c, demoCreds, triage.SweepOptions{}, func(triage.Finding) error { return nil })
				if err != nil || sum.Consumers != n+3 {
					b.Fatalf("%+v %v", sum, err)
				}
			}
			for b.Loop() {
				run()
			}
			b.StopTimer()
			// As many consumers are swept while sampling whatever n is,
			// so that the peak is taken over as many samples.
			stop := sampleLiveHeap()
			for range 10000 / n {
				run()
			}
			b.ReportMetric(float64(stop())/(1<<20), "peak-live-heap-MB")
		})
	}
}

// demoProcess starts the demo API seeded with n consumers in a child
// process and returns its URL; it stops with the benchmark.
func demoProcess(b *testing.B, n int) string {
	cmd := exec.Command(os.Args[0], "-test.run=^TestDemoServerProcess$")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%d", demoSeedEnv, n))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { stdin.Close(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		b.Fatalf("the demo process said nothing: %v", err)
	}
	return strings.TrimSpace(line)
}

// demoSeedEnv makes TestDemoServerProcess serve the demo API.
const demoSeedEnv = "VAULT_SESSION_TEST_DEMO_SEED"

// TestDemoServerProcess is the demo API of BenchmarkSweep when run as its
// child (demoSeedEnv set): it prints its URL and serves until stdin closes.
// In a normal run it does nothing.
func TestDemoServerProcess(t *testing.T) {
	seed := os.Getenv(demoSeedEnv)
	if seed == "" {
		t.Skip("the demo API of BenchmarkSweep, run as its child process")
	}
	n, err := strconv.Atoi(seed)
	if err != nil {
		t.Fatal(err)
	}
	_, url, stop, err := mock.Start(mock.WithSeededConsumers(n))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	fmt.Println(url)
	io.Copy(io.Discard, os.Stdin)
}

// sampleLiveHeap measures the live heap (after a collection) every 10 ms
// until the returned function is called, which returns the peak above the
// first measure. Collecting first keeps garbage, which grows with the heap
// the collector lets build up, out of the figure.
func sampleLiveHeap() func() uint64 {
	read := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	base := read()
	var peak atomic.Uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if v := read(); v > base && v-base > peak.Load() {
					peak.Store(v - base)
				}
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-stopped
		return peak.Load()
	}
}
