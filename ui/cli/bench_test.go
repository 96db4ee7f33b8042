package cli

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/apideck-samples/vault-session/client/mock/mocktest"
)

// BenchmarkCreateCommand is one headless `create --output json` inside the
// process, against a local mock: the work the command does besides
// starting up. .ci/bench-create measures the whole process against curl.
func BenchmarkCreateCommand(b *testing.B) {
	_, base := mocktest.Start(b)
	benchRun(b, "create", "--base-url", base, "--api-key", "k", "--app-id", "a", "--consumer-id", "c",
		"--unified-apis", "crm,hris", "--primary-color", "#5d50ce", "--output", "json")
}

// BenchmarkStartupWork is what every run does before any I/O: reading the
// flags and building the request, with no server involved (--dry-run).
func BenchmarkStartupWork(b *testing.B) {
	benchRun(b, "create", "--dry-run", "--api-key", "k", "--app-id", "a", "--consumer-id", "c",
		"--from", exampleSession, "--output", "json")
}

// benchRun times whole runs of the command, output discarded.
func benchRun(b *testing.B, args ...string) {
	streams := &IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard}
	// The history every create appends to goes to a temporary directory,
	// not the home of whoever runs the benchmark.
	dirs := b.TempDir()
	a := newApp(streams, func(k string) string {
		if k == "XDG_CONFIG_HOME" || k == "XDG_STATE_HOME" {
			return dirs
		}
		return ""
	})
	b.ReportAllocs()
	for b.Loop() {
		if code := a.run(b.Context(), args); code != exitOK {
			b.Fatalf("exit %d", code)
		}
	}
}

// BenchmarkCreate1MB is `create --from FILE` with a 1 MB session file (a
// large custom_consumer_settings) against a server that reads the body and
// answers at once, so what is measured is the command's own work: reading,
// checking, encoding and sending the body. It reports the bytes allocated
// per MB of body (alloc-B/MB) beside the usual figures.
func BenchmarkCreate1MB(b *testing.B) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"status_code":201,"status":"Created","data":{"session_uri":"https://vault.apideck.com/session/t","session_token":"t"}}`)
	}))
	defer hs.Close()
	path := filepath.Join(b.TempDir(), "session.json")
	body := largeSession(1 << 20)
	if err := os.WriteFile(path, body, 0o600); err != nil {
		b.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	benchRun(b, "create", "--from", path, "--base-url", hs.URL, "--api-key", "k", "--app-id", "a", "--consumer-id", "c", "--output", "json")
	runtime.ReadMemStats(&after)
	mb := float64(len(body)) / (1 << 20)
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/mb, "alloc-B/MB")
}

// BenchmarkDryRun4MB is `create --dry-run --from FILE` with a session file
// at --from's limit (4 MiB): reading, checking and showing the request.
// alloc-B/MB is the bytes allocated per MB of body.
func BenchmarkDryRun4MB(b *testing.B) {
	path := filepath.Join(b.TempDir(), "session.json")
	body := largeSession(maxSessionFile - 100)
	if err := os.WriteFile(path, body, 0o600); err != nil {
		b.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	benchRun(b, "create", "--dry-run", "--from", path, "--api-key", "k", "--app-id", "a", "--consumer-id", "c")
	runtime.ReadMemStats(&after)
	mb := float64(len(body)) / (1 << 20)
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/mb, "alloc-B/MB")
}

// largeSession is a session body of about size bytes: a theme and a flat
// custom_consumer_settings of records with strings, exact numbers and a
// short list each, as a big real one would be.
func largeSession(size int) []byte {
	var b strings.Builder
	b.WriteString(`{"theme":{"vault_name":"Big"},"custom_consumer_settings":{`)
	for i := 0; b.Len() < size-200; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"record_%d":{"name":"customer record %d","limit":12345678901234567890,"ratio":0.1000000000000000055511151231257827,"tags":["a","b",%d]}`, i, i, i)
	}
	b.WriteString("}}")
	return []byte(b.String())
}
