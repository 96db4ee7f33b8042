//go:build unix

package cli

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client/mock"
)

// TestSIGINTCancelsTheRequestAndExits130 sends the process a real SIGINT
// while a request is in flight. run has the signal routed to its context,
// so the test process itself is not stopped.
func TestSIGINTCancelsTheRequestAndExits130(t *testing.T) {
	srv := mock.New()
	srv.Script(mock.Answer{Delay: time.Hour})
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := syscall.Kill(syscall.Getpid(), syscall.SIGINT); err != nil {
			t.Errorf("kill: %v", err)
		}
		srv.ServeHTTP(w, r)
	}))
	defer hs.Close()

	var stdout, stderr bytes.Buffer
	streams := &IOStreams{In: strings.NewReader(""), Out: &stdout, ErrOut: &stderr}
	env := map[string]string{envAPIKey: testAPIKey, envAppID: "a", envConsumerID: "c", envBaseURL: hs.URL}
	code := run(newApp(streams, func(k string) string { return env[k] }), []string{"create"})
	if code != exitInterrupted || stdout.Len() != 0 || !strings.Contains(stderr.String(), "interrupted") {
		t.Fatalf("exit %d, stdout %q, stderr %q; want 130 and a note", code, stdout.String(), stderr.String())
	}
}
