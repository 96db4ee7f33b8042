package ui_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/ui"
	"github.com/apideck-samples/vault-session/ui/cli"
)

const failureKey = "sk_test_failure_modes"

// failureKind is one way a create fails, served by an httptest server, and
// the explanation every front end must give of it.
type failureKind struct {
	name string
	// serve answers every request; nil serves nothing (the address is
	// closed).
	serve func(w http.ResponseWriter, r *http.Request)
	// timeout bounds the create (--timeout); 0 is the default.
	timeout time.Duration
	// want are the explanation's sentences, whole; base stands for the
	// server's URL.
	want func(base string) []string
}

func apiAnswer(status int, header map[string]string, body string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		for k, v := range header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}
}

func failureKinds(other *httptest.Server) []failureKind {
	fixed := func(lines ...string) func(string) []string { return func(string) []string { return lines } }
	return []failureKind{
		{name: "401", serve: apiAnswer(401, nil, `{"status_code":401,"error":"Unauthorized","type_name":"UnauthorizedError","message":"Unauthorized Request","detail":"Invalid API key","ref":"https://developers.apideck.com/errors#unauthorizederror"}`),
			want: fixed("The API refused the request: 401 Unauthorized: Unauthorized Request (UnauthorizedError)",
				"Invalid API key", "https://developers.apideck.com/errors#unauthorizederror",
				"The API did not accept the API key.")},
		{name: "403", serve: apiAnswer(403, nil, `{"status_code":403,"error":"Forbidden","type_name":"ForbiddenError","message":"Not allowed for this application"}`),
			want: fixed("The API refused the request: 403 Forbidden: Not allowed for this application (ForbiddenError)",
				"The API key may not act for this application: check that the app ID belongs to the key.")},
		{name: "404 of the application", serve: apiAnswer(404, nil, `{"status_code":404,"error":"Not Found","type_name":"EntityNotFoundError","message":"Unknown application","detail":{"not_found":{"entity":"application","id":"app-1"}}}`),
			want: fixed("The API refused the request: 404 Not Found: Unknown application (EntityNotFoundError)",
				`{ "not_found": { "entity": "application", "id": "app-1" } }`,
				"The API knows no application with this app ID.")},
		{name: "422 with detail", serve: apiAnswer(422, nil, `{"status_code":422,"error":"Unprocessable Entity","type_name":"ValidationError","message":"Invalid settings.session_length","detail":"session length \"9w\" is over 1 week","ref":"https://developers.apideck.com/errors#validationerror"}`),
			want: fixed("The API refused the request: 422 Unprocessable Entity: Invalid settings.session_length (ValidationError)",
				`session length "9w" is over 1 week`, "https://developers.apideck.com/errors#validationerror",
				"The API named the field to fix: settings.session_length.")},
		{name: "429 after every retry", serve: apiAnswer(429, map[string]string{"Retry-After": "0"}, `{"status_code":429,"error":"Too Many Requests","type_name":"RateLimitError","message":"Rate limit reached"}`),
			want: fixed("The API refused the request: 429 Too Many Requests: Rate limit reached (RateLimitError)",
				"The API is limiting how often it is called and refused all 4 attempts: wait a minute, then try again.")},
		{name: "5xx HTML", serve: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(502)
			fmt.Fprint(w, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>")
		}, want: fixed(`The API failed to handle the request: 502 Bad Gateway: the server answered text/html, not JSON: "502 Bad Gateway"`,
			"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
			"The answer is not the API's own (a proxy or gateway in front of it may have sent it), and all 4 attempts failed: try again later, and check the base URL (--base-url or APIDECK_BASE_URL) if you set one.")},
		{name: "5xx JSON", serve: apiAnswer(503, map[string]string{"Retry-After": "0"}, `{"status_code":503,"error":"Service Unavailable","type_name":"ServiceUnavailableError","message":"Try again soon"}`),
			want: fixed("The API failed to handle the request: 503 Service Unavailable: Try again soon (ServiceUnavailableError)",
				"The API failed on its side on all 4 attempts: try again later.")},
		{name: "200 without session_uri", serve: apiAnswer(200, nil, `{"status_code":200,"status":"OK","data":{}}`),
			want: fixed("The API answered 200 OK but not with a usable session: the answer has no data.session_uri",
				"The API answered, but not with a usable session URL: check that the base URL (--base-url or APIDECK_BASE_URL) points at the Vault API.")},
		{name: "timeout", timeout: 300 * time.Millisecond, serve: func(w http.ResponseWriter, r *http.Request) {
			// Read to the end: only then does net/http watch the
			// connection and end r's context when the client gives up.
			io.Copy(io.Discard, r.Body)
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}, want: func(base string) []string {
			return []string{"Gave up waiting for " + base + "/vault/sessions after",
				"No usable answer came in the time allowed (--timeout 300ms bounds the request, retries included): check your connection, or give it longer with --timeout 5m."}
		}},
		{name: "connection refused", want: func(base string) []string {
			return []string{"Could not reach " + base + "/vault/sessions: connection refused (is the address right, and is the server running?) (4 attempts)",
				"The request did not reach the API or got no answer: check your connection, or the base URL (--base-url or APIDECK_BASE_URL) if you set one."}
		}},
		{name: "refused redirect", serve: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+"/elsewhere", http.StatusTemporaryRedirect)
		}, want: fixed("The API redirected to "+other.URL+"/elsewhere; not following it with your key",
			"Your key was not sent there: check the base URL (--base-url or APIDECK_BASE_URL).")},
	}
}

// TestFailureExplainedAlikeInEveryMode drives each kind of failure through
// the headless create, the full-screen wizard and the plain prompts,
// against the same server, and finds the same explanation in each: the
// headline with the API's words, its detail and reference, and the hint.
func TestFailureExplainedAlikeInEveryMode(t *testing.T) {
	t.Parallel()
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the redirect was followed to %s", r.URL)
	}))
	t.Cleanup(other.Close)
	for _, kind := range failureKinds(other) {
		t.Run(kind.name, func(t *testing.T) {
			t.Parallel()
			var base string
			if kind.serve == nil {
				closed := httptest.NewServer(http.NotFoundHandler())
				base = closed.URL
				closed.Close()
			} else {
				srv := httptest.NewServer(http.HandlerFunc(kind.serve))
				t.Cleanup(srv.Close)
				base = srv.URL
			}
			timeout := kind.timeout
			if timeout == 0 {
				timeout = 2 * time.Minute
			}
			// The wizard's client as Run makes it, waits shortened: the
			// attempts are the default policy's.
			policy := client.DefaultRetryPolicy()
			policy.InitialWait, policy.MaxWait = time.Millisecond, time.Millisecond
			c := client.New(client.WithBaseURL(base), client.WithRetryPolicy(policy))

			modes := map[string]string{
				"headless create": headlessCreate(t, base, timeout),
				"full screen":     ui.FailureScreen(t, c, failureKey, timeout),
				"plain prompts":   ui.FailurePrompts(t, c, failureKey, timeout),
			}
			for mode, said := range modes {
				text := strings.Join(strings.Fields(said), " ")
				for _, want := range kind.want(base) {
					want = strings.Join(strings.Fields(want), " ")
					// The command line writes its errors after
					// "vault-session: ", with a small first letter.
					if !strings.Contains(text, want) && !strings.Contains(text, lowerFirst(want)) {
						t.Errorf("%s does not say %q:\n%s", mode, want, said)
					}
				}
				// A failure after retries: the prompts said each retry as
				// the creating screen does, the command line as its log.
				if kind.name == "429 after every retry" && mode != "full screen" &&
					!strings.Contains(strings.ToLower(text), "attempt 3 of 4 failed: 429 too many requests") {
					t.Errorf("%s does not say the retries:\n%s", mode, said)
				}
				if strings.Contains(said, failureKey) {
					t.Errorf("%s shows the API key", mode)
				}
			}
		})
	}
}

// headlessCreate runs `vault-session create` against base and returns
// what it wrote; it must exit 1 with nothing on stdout.
func headlessCreate(t *testing.T, base string, timeout time.Duration) string {
	t.Helper()
	var out, errOut bytes.Buffer
	home := t.TempDir()
	getenv := func(k string) string {
		if k == "HOME" {
			return home
		}
		return ""
	}
	code := cli.Main([]string{"vault-session", "create", "--base-url", base, "--api-key", failureKey,
		"--app-id", ui.FailureRequest.AppID, "--consumer-id", ui.FailureRequest.ConsumerID,
		"--timeout", timeout.String(), "--no-history"},
		getenv, &cli.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, "test")
	if code != 1 || out.Len() != 0 {
		t.Errorf("create: exit %d, stdout %q; want exit 1 and nothing", code, out.String())
	}
	return errOut.String()
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
