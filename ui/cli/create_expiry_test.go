package cli

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// An API that gives one hour whatever is asked: create says so on stderr
// in the wizard's words ("asked 7d, the API gave 1h"), the URL alone on
// stdout; given the length asked for, it says nothing.
func TestCreateSaysWhenTheAPIGaveAnotherLength(t *testing.T) {
	t.Parallel()
	issued := time.Now().Truncate(time.Second)
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		enc := base64.RawURLEncoding.EncodeToString
		token := enc([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." +
			enc(fmt.Appendf(nil, `{"iat":%d,"exp":%d}`, issued.Unix(), issued.Add(time.Hour).Unix())) + ".c2ln"
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"status_code":200,"status":"OK","data":{"session_uri":"https://vault.example/session/%s","session_token":%q}}`, token, token)
	}))
	t.Cleanup(hs.Close)
	for _, tc := range []struct{ length, note string }{
		{"7d", "note: asked 7d, the API gave 1h\n"},
		{"1h", ""},
	} {
		r := newCLI(t).run("create", "--base-url", hs.URL, "--api-key", testAPIKey, "--app-id", "a", "--consumer-id", "c",
			"--session-length", tc.length)
		if r.code != exitOK || !strings.HasPrefix(r.stdout, "https://vault.example/session/") || strings.Count(r.stdout, "\n") != 1 {
			t.Fatalf("--session-length %s: %s", tc.length, r)
		}
		if got := strings.Contains(r.stderr, "the API gave"); got != (tc.note != "") || !strings.Contains(r.stderr, tc.note) {
			t.Errorf("--session-length %s: stderr %q, want %q", tc.length, r.stderr, tc.note)
		}
	}
}
