//go:build unix

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/ui/lockedwriter"
)

// TestBuiltBinaryBatch is issue 20's story with the real binaries: a
// `vault-session demo-server` whose log is read, a batch with a bad row
// that sends nothing, then 1,000 rows interrupted by SIGINT about halfway
// and run again: the demo's log shows exactly one session per consumer,
// and the results file has every row once, 0600.
func TestBuiltBinaryBatch(t *testing.T) {
	t.Parallel()
	bin := builtBinary(t)
	dir := t.TempDir()
	env := batchEnv(dir)
	base, demoLog := startDemoServer(t, bin, env)

	batch := func(args ...string) *exec.Cmd {
		cmd := exec.Command(bin, append([]string{"batch", "--base-url", base, "--api-key", "demo", "--app-id", "demo-app"}, args...)...)
		cmd.Env = env
		cmd.Dir = dir
		return cmd
	}
	run := func(cmd *exec.Cmd) (int, string) {
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		if exit, ok := err.(*exec.ExitError); ok {
			return exit.ExitCode(), out.String()
		} else if err != nil {
			t.Fatal(err)
		}
		return 0, out.String()
	}

	// A bad email and a duplicate ID: exit 2, FILE:LINE for each, and the
	// demo's log shows no request.
	os.WriteFile(filepath.Join(dir, "bad.csv"), []byte("consumer_id,email\nacme-1,ann@acme.example\nacme-2,ann@@acme\nacme-1,bob@acme.example\n"), 0o600)
	code, out := run(batch("bad.csv"))
	if code != 2 || !strings.Contains(out, "bad.csv:3: email: ") || !strings.Contains(out, `bad.csv:4: consumer_id: "acme-1" is given twice: first on line 2`) {
		t.Fatalf("bad rows: exit %d\n%s", code, out)
	}
	if strings.Contains(demoLog.String(), "/vault/sessions") {
		t.Fatalf("a request was sent for a batch with bad rows:\n%s", demoLog.String())
	}

	// 1,000 rows, SIGINT once about half have their link.
	const rows = 1000
	writeCustomers(t, filepath.Join(dir, "customers.csv"), "cust", rows)
	results := filepath.Join(dir, "links.jsonl")
	args := []string{"customers.csv", "--rate", "0", "--concurrency", "8", "--results", "links.jsonl"}

	first := batch(args...)
	var firstOut lockedwriter.Buffer
	first.Stdout, first.Stderr = &firstOut, &firstOut
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for countLines(results) < rows/2 {
		if time.Now().After(deadline) {
			first.Process.Kill()
			t.Fatalf("no half after a minute:\n%s", firstOut.String())
		}
		time.Sleep(2 * time.Millisecond)
	}
	first.Process.Signal(syscall.SIGINT)
	err := first.Wait()
	if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() != 130 {
		t.Fatalf("after SIGINT: %v, want exit 130\n%s", err, firstOut.String())
	}
	done := countLines(results)
	if done >= rows {
		t.Fatalf("SIGINT came after every row (%d)", done)
	}

	code, out = run(batch(args...))
	if code != 0 || !strings.Contains(out, fmt.Sprintf("Skipping %d rows that got their session in an earlier run", done)) {
		t.Fatalf("run again: exit %d\n%s", code, out)
	}

	checkOneSessionEach(t, demoSessions(demoLog.String()), rows)

	info, err := os.Stat(results)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("results: %v, %v; want 0600", info, err)
	}
	checkResultsOnce(t, results, rows)
}

// demoSessions counts the sessions a demo-server's log says it created,
// by consumer: one line per created session names its consumer.
func demoSessions(log string) map[string]int {
	created := map[string]int{}
	line := regexp.MustCompile(`POST /vault/sessions -> 200 \([^)]*\) consumer=(\S+)`)
	for _, m := range line.FindAllStringSubmatch(log, -1) {
		created[m[1]]++
	}
	return created
}

// checkOneSessionEach fails t unless created (sessions by consumer) holds
// rows consumers with one session each: none missed, none sent twice.
func checkOneSessionEach(t *testing.T, created map[string]int, rows int) {
	t.Helper()
	if len(created) != rows {
		t.Errorf("%d consumers got a session, want %d", len(created), rows)
	}
	for id, n := range created {
		if n != 1 {
			t.Errorf("%s got %d sessions", id, n)
		}
	}
}

// checkResultsOnce checks the results file has n lines, each a link, and
// no row twice.
func checkResultsOnce(t *testing.T, path string, n int) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var r struct {
			Row        int    `json:"row"`
			SessionURI string `json:"session_uri"`
		}
		if err := json.Unmarshal([]byte(l), &r); err != nil || r.SessionURI == "" {
			t.Fatalf("results line %q: %v", l, err)
		}
		if seen[r.Row] {
			t.Errorf("row %d twice in the results", r.Row)
		}
		seen[r.Row] = true
	}
	if len(seen) != n {
		t.Errorf("%d rows in the results, want %d:\n%s", len(seen), n, data)
	}
}

// countLines counts the complete lines of the file at path.
func countLines(path string) int {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	return bytes.Count(data, []byte("\n"))
}
