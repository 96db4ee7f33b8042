package main

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/apideck-samples/vault-session/client/mock"
)

// BenchmarkCreateCommand is one headless `create --output json` inside the
// process, against a local mock: the work the command does besides
// starting up. .ci/bench-create measures the whole process against curl.
func BenchmarkCreateCommand(b *testing.B) {
	hs := httptest.NewServer(mock.New())
	defer hs.Close()
	benchRun(b, "create", "--base-url", hs.URL, "--api-key", "k", "--app-id", "a", "--consumer-id", "c",
		"--unified-apis", "crm,hris", "--primary-color", "#5d50ce", "--output", "json")
}

// BenchmarkStartupWork is what every run does before any I/O: reading the
// flags and building the request, with no server involved (--dry-run).
func BenchmarkStartupWork(b *testing.B) {
	benchRun(b, "create", "--dry-run", "--api-key", "k", "--app-id", "a", "--consumer-id", "c",
		"--from", "testdata/session.example.json", "--output", "json")
}

// benchRun times whole runs of the command, output discarded.
func benchRun(b *testing.B, args ...string) {
	streams := &IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard}
	a := newApp(streams, func(string) string { return "" })
	b.ReportAllocs()
	for b.Loop() {
		if code := a.run(b.Context(), args); code != exitOK {
			b.Fatalf("exit %d", code)
		}
	}
}
