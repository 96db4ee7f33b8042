package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apideck-samples/vault-session/model"
)

// Every limit on a session body is one: what --from reads, what a create
// sends and what the demo API takes. A file just under it goes through
// on the demo API (it used to pass every check and then get a 413).
func TestLargestSessionFileIsCreatedOnTheDemo(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "big.json")
	if err := os.WriteFile(path, largeSession(model.MaxSessionBody-100), 0o600); err != nil {
		t.Fatal(err)
	}
	r := newTestCLI(t).run("create", "--demo", "--from", path, "--output", "json")
	if r.code != exitOK || !strings.Contains(r.stdout, `"url"`) {
		t.Fatalf("a %d-byte file on the demo API:\n%s", model.MaxSessionBody-100, tail(r.String(), 400))
	}
}

// A body over the limit (here from --custom-consumer-settings, which no
// file limit bounds) is refused before anything is sent, saying why, in
// a dry run as in a create.
func TestBodyOverTheLimitIsRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	srv, base := startAPI(t)
	settings := `{"x":"` + strings.Repeat("a", model.MaxSessionBody) + `"}`
	for _, extra := range [][]string{nil, {"--dry-run"}} {
		args := append([]string{"create", "--base-url", base, "--api-key", testAPIKey, "--app-id", "a", "--consumer-id", "c",
			"--custom-consumer-settings", settings}, extra...)
		r := newTestCLI(t).run(args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "the session body is ") || !strings.Contains(r.stderr, "bytes, over the 4 MiB a session body may be") {
			t.Errorf("%q: want exit 2 saying the body is too large:\n%s", extra, tail(r.String(), 400))
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
