//go:build unix

package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/ui/lockedwriter"
)

// startDemoServer starts the built binary's demo-server on a free port
// with args, and returns its URL and its log (stderr), stopped at the
// test's end.
func startDemoServer(t *testing.T, bin string, env []string, args ...string) (string, *lockedwriter.Buffer) {
	t.Helper()
	demo := exec.Command(bin, append([]string{"demo-server", "--listen", "127.0.0.1:0"}, args...)...)
	demo.Env = env
	demoLog := &lockedwriter.Buffer{}
	demo.Stderr = demoLog
	stdout, err := demo.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { demo.Process.Signal(os.Interrupt); demo.Wait() })
	base, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("demo-server printed no URL: %v\n%s", err, demoLog.String())
	}
	return strings.TrimSpace(base), demoLog
}

// batchEnv is a private home for one run of the built binary's batch.
func batchEnv(dir string) []string {
	return []string{"HOME=" + dir, "XDG_STATE_HOME=" + filepath.Join(dir, "state"),
		"XDG_CONFIG_HOME=" + filepath.Join(dir, "config"), "NO_COLOR=1"}
}

// writeCustomers writes a CSV of n customers named prefix-1 ... prefix-n.
func writeCustomers(t *testing.T, path, prefix string, n int) {
	t.Helper()
	var csv strings.Builder
	csv.WriteString(customersHeader)
	for i := 1; i <= n; i++ {
		csv.WriteString(customerRow(prefix, i))
	}
	if err := os.WriteFile(path, []byte(csv.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}

// customersHeader is the first line of writeCustomers' CSV, and of the
// failed rows file a batch of it writes.
const customersHeader = "consumer_id,user_name,email\n"

// customerRow is line i+1 of writeCustomers' CSV: customer prefix-i.
func customerRow(prefix string, i int) string {
	return fmt.Sprintf("%s-%d,User %d,u%d@acme.example\n", prefix, i, i, i)
}

// retryAfterServer is issue 20's server: it answers POST /vault/sessions
// with 429 and Retry-After: 2 for its first limitFor, then creates the
// sessions. It notes when each request arrived and when each 429 went out.
type retryAfterServer struct {
	start    time.Time
	limitFor time.Duration

	mu       sync.Mutex
	arrivals []time.Duration
	told     []time.Duration
	created  map[string]int
}

func (s *retryAfterServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, r.Body)
	now := time.Since(s.start)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.arrivals = append(s.arrivals, now)
	w.Header().Set("Content-Type", "application/json")
	if now < s.limitFor {
		s.told = append(s.told, now)
		w.Header().Set("Retry-After", "2")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"status_code":429,"error":"Too Many Requests","type_name":"TooManyRequestsError","message":"Rate limit exceeded, retry later"}`)
		return
	}
	consumer := r.Header.Get("x-apideck-consumer-id")
	s.created[consumer]++
	fmt.Fprintf(w, `{"status_code":200,"status":"OK","data":{"session_uri":"https://vault.apideck.com/session/%s","session_token":"t"}}`, consumer)
}

// TestBuiltBinaryBatchWaitsOutRetryAfter is issue 20's 429 story with the
// built binary: against a server that answers 429 with Retry-After: 2 for
// its first 10 s, every row completes, each consumer gets one session, and
// no request is sent during a Retry-After wait, whichever worker was told.
func TestBuiltBinaryBatchWaitsOutRetryAfter(t *testing.T) {
	t.Parallel()
	bin := builtBinary(t)
	dir := t.TempDir()
	server := &retryAfterServer{start: time.Now(), limitFor: 10 * time.Second, created: map[string]int{}}
	srv := httptest.NewServer(server)
	defer srv.Close()

	const rows = 24
	writeCustomers(t, filepath.Join(dir, "customers.csv"), "ra", rows)
	cmd := exec.Command(bin, "batch", "customers.csv", "--base-url", srv.URL, "--api-key", "sk_test", "--app-id", "app",
		"--rate", "0", "--concurrency", "4", "--results", "links.jsonl")
	cmd.Env, cmd.Dir = batchEnv(dir), dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("batch: %v\n%s", err, out)
	}
	if n := countLines(filepath.Join(dir, "links.jsonl")); n != rows {
		t.Errorf("%d result lines, want %d\n%s", n, rows, out)
	}

	server.mu.Lock()
	defer server.mu.Unlock()
	checkOneSessionEach(t, server.created, rows)
	if len(server.told) == 0 {
		t.Fatal("no 429 was answered: the test tests nothing")
	}
	// A request already on its way when a 429 went out may arrive just
	// after it; 300 ms allows for that on a loaded machine. A batch that
	// held only the worker told would show: the other three send within
	// the 2 s.
	const inFlight = 300 * time.Millisecond
	sort.Slice(server.arrivals, func(i, j int) bool { return server.arrivals[i] < server.arrivals[j] })
	for _, told := range server.told {
		for _, at := range server.arrivals {
			if at > told+inFlight && at < told+2*time.Second-inFlight {
				t.Errorf("a request arrived at %v, during the Retry-After wait of the 429 answered at %v", at.Round(time.Millisecond), told.Round(time.Millisecond))
			}
		}
	}
	t.Logf("%d requests, %d answered 429, the last row done at %v", len(server.arrivals), len(server.told), server.arrivals[len(server.arrivals)-1].Round(time.Millisecond))
}

// TestBuiltBinaryBatchAgainstARateLimitedDemo: `demo-server --rate-limit`
// limits creating sessions too, so a batch sent faster than the limit is
// told 429 and still ends with one session per consumer, exit 0.
func TestBuiltBinaryBatchAgainstARateLimitedDemo(t *testing.T) {
	t.Parallel()
	bin := builtBinary(t)
	dir := t.TempDir()
	env := batchEnv(dir)

	base, demoLog := startDemoServer(t, bin, env, "--rate-limit", "10")

	const rows = 40
	writeCustomers(t, filepath.Join(dir, "customers.csv"), "rl", rows)
	cmd := exec.Command(bin, "batch", "customers.csv", "--base-url", base, "--api-key", "demo", "--app-id", "demo-app",
		"--rate", "0", "--concurrency", "8", "--results", "links.jsonl")
	cmd.Env, cmd.Dir = env, dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("batch: %v\n%s\ndemo log:\n%s", err, out, demoLog.String())
	}
	log := demoLog.String()
	if !strings.Contains(log, "POST /vault/sessions -> 429") {
		t.Fatalf("the demo never answered 429 to a batch at --rate 0 against --rate-limit 10:\n%s", log)
	}
	checkOneSessionEach(t, demoSessions(log), rows)
	if n := countLines(filepath.Join(dir, "links.jsonl")); n != rows {
		t.Errorf("%d result lines, want %d\n%s", n, rows, out)
	}
}
