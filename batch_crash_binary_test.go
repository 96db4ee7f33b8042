//go:build unix

package main

import (
	"bytes"
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
)

// holdingServer creates a session for every request, and from a point on
// holds the answer back, as an API whose answers are lost would: the
// session exists, and its link never reaches the batch. How many requests
// are held is counted, not timed; which rows they are depends on the order
// the workers' requests arrive in, so the server keeps their consumers.
type holdingServer struct {
	mu sync.Mutex
	// answerFirst is how many requests of this run are answered before
	// the rest are held; -1 answers every one.
	answerFirst int
	answered    int
	held        int
	created     map[string]int // sessions made, by consumer
	heldIDs     []string       // consumers whose answer was held, every run
}

func (s *holdingServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, r.Body)
	consumer := r.Header.Get("x-apideck-consumer-id")
	s.mu.Lock()
	s.created[consumer]++
	hold := s.answerFirst >= 0 && s.answered >= s.answerFirst
	if hold {
		s.held++
		s.heldIDs = append(s.heldIDs, consumer)
	} else {
		s.answered++
	}
	s.mu.Unlock()
	if hold {
		<-r.Context().Done() // the batch is killed: its connection closes
		return
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"status_code":200,"status":"OK","data":{"session_uri":"https://vault.apideck.com/session/%s","session_token":"t"}}`, consumer)
}

// phase starts a run: answer the first n requests, hold the rest (-1:
// answer all).
func (s *holdingServer) phase(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.answerFirst, s.answered, s.held = n, 0, 0
}

// heldRows is the row numbers (kc-N is row N) whose answer was held.
func (s *holdingServer) heldRows() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	var rows []int
	for _, id := range s.heldIDs {
		var n int
		fmt.Sscanf(id, "kc-%d", &n)
		rows = append(rows, n)
	}
	sort.Ints(rows)
	return rows
}

func (s *holdingServer) sessions() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{}
	for id, n := range s.created {
		out[id] = n
	}
	return out
}

// TestBuiltBinaryBatchKilledInFlightSendsNoRowTwice is the crash the
// journal's sent lines are for: a batch killed with SIGKILL (twice) while
// requests are in flight, whose sessions the API made and whose links
// never came back. The run after creates sessions only for the rows never
// sent: no consumer gets a second session, the uncertain rows are listed
// as FILE:LINE consumer_id with why, kept in the failed rows file, and the
// command exits 1. --resend-uncertain then sends them, knowingly. The
// results file never has a row twice.
func TestBuiltBinaryBatchKilledInFlightSendsNoRowTwice(t *testing.T) {
	t.Parallel()
	bin := builtBinary(t)
	dir := t.TempDir()
	server := &holdingServer{created: map[string]int{}}
	srv := httptest.NewServer(server)
	defer srv.Close()

	const rows, workers = 20, 4
	writeCustomers(t, filepath.Join(dir, "customers.csv"), "kc", rows)
	batch := func(extra ...string) *exec.Cmd {
		cmd := exec.Command(bin, append([]string{"batch", "customers.csv", "--base-url", srv.URL, "--api-key", "sk_test", "--app-id", "app",
			"--rate", "0", "--concurrency", fmt.Sprint(workers), "--results", "links.jsonl"}, extra...)...)
		cmd.Env, cmd.Dir = batchEnv(dir), dir
		return cmd
	}
	journaled := func() int { // outcome lines in the batch's journal
		paths, _ := filepath.Glob(filepath.Join(dir, "state", "vault-session", "batches", "*.jsonl"))
		n := 0
		for _, p := range paths {
			data, _ := os.ReadFile(p)
			n += bytes.Count(data, []byte(`"created":`))
		}
		return n
	}
	// killInFlight runs the batch until answer rows are journaled and
	// every worker waits on a held request, then kills it with SIGKILL.
	killInFlight := func(answer int) {
		t.Helper()
		before := journaled()
		server.phase(answer)
		cmd := batch()
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(time.Minute)
		for {
			server.mu.Lock()
			held := server.held
			server.mu.Unlock()
			if held == workers && journaled() == before+answer {
				break
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				t.Fatalf("no %d requests held and %d rows journaled after a minute (%d held, %d journaled):\n%s", workers, answer, held, journaled()-before, out.String())
			}
			time.Sleep(2 * time.Millisecond)
		}
		cmd.Process.Kill()
		cmd.Wait()
	}
	run := func(cmd *exec.Cmd) (int, string) {
		t.Helper()
		out, err := cmd.CombinedOutput()
		if exit, ok := err.(*exec.ExitError); ok {
			return exit.ExitCode(), string(out)
		} else if err != nil {
			t.Fatal(err)
		}
		return 0, string(out)
	}

	// Five rows get their link, four are in flight: kill. The run after
	// sends none of those four (held back), links five more, and four
	// more are in flight: kill again. Which rows they are is the order
	// the requests arrived in (with four workers, kc-6 can overtake kc-5).
	killInFlight(5)
	killInFlight(5)
	heldRows := server.heldRows()
	if len(heldRows) != 2*workers {
		t.Fatalf("%d requests held over the two kills, want %d: %v", len(heldRows), 2*workers, heldRows)
	}
	for id, n := range server.sessions() {
		if n != 1 {
			t.Fatalf("%s got %d sessions before the run after the kills", id, n)
		}
	}

	// --dry-run says so, and sends nothing.
	server.phase(-1)
	code, out := run(batch("--dry-run"))
	if code != 0 || !strings.Contains(out, "8 rows uncertain, not sent (--resend-uncertain sends them): the run before ended while their requests were in flight") ||
		!strings.Contains(out, "would send 2 sessions") {
		t.Errorf("--dry-run: exit %d\n%s", code, out)
	}
	if code, out = run(batch("--dry-run", "--resend-uncertain", "--output", "json")); code != 0 || !strings.Contains(out, `"uncertain": 8`) || !strings.Contains(out, `"to_send": 10`) {
		t.Errorf("--dry-run --resend-uncertain --output json: exit %d\n%s", code, out)
	}

	code, out = run(batch())
	if code != 1 {
		t.Fatalf("the run after two kills: exit %d, want 1 (rows not done)\n%s", code, out)
	}
	var listed []string
	for _, i := range heldRows {
		listed = append(listed, fmt.Sprintf("  customers.csv:%d kc-%d\n", i+1, i))
	}
	want := "vault-session: 8 rows are uncertain: the run before ended while their requests were in flight: a session may exist for them, but its link was never received.\n" +
		strings.Join(listed, "") +
		"They are not sent again, and go to customers.failed.csv; --resend-uncertain sends them"
	if !strings.Contains(out, want) || !strings.Contains(out, "Skipping 10 rows") || !strings.Contains(out, "Sending 2 rows of customers.csv") ||
		!strings.Contains(out, "2 created, 0 failed, 10 skipped (created in an earlier run), 8 uncertain (not sent)") ||
		!strings.Contains(out, "8 rows without a link: in customers.failed.csv") || !strings.Contains(out, "vault-session: 8 uncertain rows were not sent again") {
		t.Fatalf("the run after two kills says:\n%s\nwant:\n%s", out, want)
	}
	checkOneSessionEach(t, server.sessions(), rows)
	failed, _ := os.ReadFile(filepath.Join(dir, "customers.failed.csv"))
	var failedWant strings.Builder
	failedWant.WriteString(customersHeader)
	for _, l := range listed {
		var line, n int
		fmt.Sscanf(l, "  customers.csv:%d kc-%d", &line, &n)
		failedWant.WriteString(customerRow("kc", n))
	}
	if string(failed) != failedWant.String() {
		t.Errorf("customers.failed.csv:\n%s\nwant the uncertain rows:\n%s", failed, failedWant.String())
	}
	checkResultsOnce(t, filepath.Join(dir, "links.jsonl"), 12)

	// Knowingly: the eight are sent again, and their consumers have two
	// sessions.
	code, out = run(batch("--resend-uncertain"))
	if code != 0 || !strings.Contains(out, "They are sent again (--resend-uncertain)") || !strings.Contains(out, "8 created, 0 failed, 12 skipped") {
		t.Fatalf("--resend-uncertain: exit %d\n%s", code, out)
	}
	twice := 0
	for _, n := range server.sessions() {
		if n == 2 {
			twice++
		}
	}
	if twice != 8 {
		t.Errorf("%d consumers with two sessions after --resend-uncertain, want the 8 uncertain", twice)
	}
	if _, err := os.Stat(filepath.Join(dir, "customers.failed.csv")); !os.IsNotExist(err) {
		t.Errorf("the failed rows file is left once every row has its session: %v", err)
	}
	checkResultsOnce(t, filepath.Join(dir, "links.jsonl"), rows)

	// Nothing is left to do.
	code, out = run(batch())
	if code != 0 || !strings.Contains(out, "Skipping 20 rows") || strings.Contains(out, "uncertain") {
		t.Errorf("a run after: exit %d\n%s", code, out)
	}
}
