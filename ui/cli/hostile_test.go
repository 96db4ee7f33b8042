package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/model/termtext/termtexttest"
)

// hostileBodies are the answers a hostile server gives, with evil in every
// field a refusal has, and in bodies that are not the API's shape.
func hostileBodies(evil string) map[string]struct {
	contentType, body string
} {
	q := termtexttest.JSONString(evil)
	return map[string]struct{ contentType, body string }{
		"message":       {"application/json", `{"status_code":400,"error":"Bad Request","message":` + q + `}`},
		"error":         {"application/json", `{"status_code":400,"error":` + q + `}`},
		"type_name":     {"application/json", `{"type_name":` + q + `}`},
		"detail string": {"application/json", `{"message":"m","detail":` + q + `}`},
		"detail object": {"application/json", `{"message":"m","detail":{` + q + `:` + q + `}}`},
		"ref":           {"application/json", `{"message":"m","ref":` + q + `}`},
		"plain text":    {"text/plain", evil},
		"html title":    {"text/html", "<html><title>" + evil + "</title></html>"},
		"no type":       {"", evil},
	}
}

// TestHostileAnswersReachStderrEscaped: whatever a server answers, create
// prints nothing a terminal would obey.
func TestHostileAnswersReachStderrEscaped(t *testing.T) {
	t.Parallel()
	for _, sample := range termtexttest.Hostile {
		for shape, answer := range hostileBodies(sample.Text) {
			for _, status := range []int{400, 404, 422, 503} {
				hs := answering(t, status, answer.contentType, answer.body)
				c := newCLI(t)
				c.configured = func(a *app) {
					a.clientOptions = []client.Option{client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 2, InitialWait: 1})}
				}
				r := c.run("create", "--base-url", hs.URL, "--api-key", testAPIKey, "--app-id", "a", "--consumer-id", "c")
				hs.Close()
				what := fmt.Sprintf("%s in %s of a %d", sample.Name, shape, status)
				if r.code != exitError {
					t.Errorf("%s: exit %d, want 1\n%s", what, r.code, r)
				}
				termtexttest.Check(t, what+" (stdout)", r.stdout)
				termtexttest.Check(t, what+" (stderr)", r.stderr)
			}
		}
	}
}

// TestHostileSuccessIsEscaped: a session URL and token with escapes in them
// are printed escaped, and --output json stays the exact values.
func TestHostileSuccessIsEscaped(t *testing.T) {
	t.Parallel()
	for _, sample := range termtexttest.Hostile {
		evil := strings.ToValidUTF8(sample.Text, "\uFFFD")
		// A URL cannot hold ASCII controls (the client refuses it): the
		// bidi and C1 characters are what can get through in one.
		uri := "https://vault.example/session/\u202e\u009b2J" + strings.Map(func(r rune) rune {
			if r < 0x20 || r == 0x7f {
				return -1
			}
			return r
		}, evil)
		body, _ := json.Marshal(map[string]any{"data": map[string]string{"session_uri": uri, "session_token": evil}})
		hs := answering(t, http.StatusOK, "application/json", string(body))
		for _, output := range []string{"text", "json"} {
			r := newCLI(t).run("create", "--base-url", hs.URL, "--api-key", testAPIKey, "--app-id", "a", "--consumer-id", "c", "--output", output)
			if r.code != exitOK {
				t.Fatalf("%s: %s", sample.Name, r)
			}
			termtexttest.Check(t, sample.Name+" --output "+output+" (stdout)", r.stdout)
			termtexttest.Check(t, sample.Name+" --output "+output+" (stderr)", r.stderr)
			if output == "json" {
				var got createdJSON
				if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || got.URL != uri || got.Token != evil {
					t.Errorf("%s: the JSON output is not the exact values (%v):\n%s", sample.Name, err, r.stdout)
				}
			}
		}
		hs.Close()
	}
}

// hostileSessionFile writes a session whose free-text values are evil.
func hostileSessionFile(t *testing.T, evil string) string {
	t.Helper()
	q := termtexttest.JSONString(evil)
	session := `{"consumer_metadata":{"account_name":` + q + `,"user_name":` + q + `},` +
		`"theme":{"vault_name":` + q + `},"custom_consumer_settings":{` + q + `:` + q + `}}`
	path := filepath.Join(t.TempDir(), "session.json")
	if err := os.WriteFile(path, []byte(session), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestHostileSessionFileIsEscaped: values read from a session file or a flag
// reach the terminal escaped, in --dry-run's every format, in preview and
// in the errors that quote them.
func TestHostileSessionFileIsEscaped(t *testing.T) {
	t.Parallel()
	for _, sample := range termtexttest.Hostile {
		file := hostileSessionFile(t, sample.Text)
		runs := map[string][]string{
			"dry-run text": {"create", "--dry-run", "--from", file, "--app-id", "a", "--consumer-id", "c"},
			"dry-run curl": {"create", "--dry-run", "--output", "curl", "--from", file, "--app-id", "a", "--consumer-id", "c"},
			"dry-run json": {"create", "--dry-run", "--output", "json", "--from", file, "--app-id", "a", "--consumer-id", "c"},
			"preview":      {"preview", "--from", file, "--color", "never", "--width", "100", "--height", "30"},
			"flags":        {"create", "--dry-run", "--vault-name", sample.Text, "--app-id", "a\u202e", "--consumer-id", sample.Text},
			"bad flag":     {"create", "--dry-run", "--email", sample.Text, "--logo", sample.Text, "--unified-apis", sample.Text},
			"bad base URL": {"create", "--dry-run", "--base-url", "https://api.example/" + sample.Text},
		}
		for name, args := range runs {
			r := newCLI(t).run(args...)
			termtexttest.Check(t, sample.Name+" in "+name+" (stdout)", r.stdout)
			termtexttest.Check(t, sample.Name+" in "+name+" (stderr)", r.stderr)
		}
	}
}

// TestDryRunJSONKeepsHostileValuesExact: escaping for the terminal does not
// change what --dry-run --output json means.
func TestDryRunJSONKeepsHostileValuesExact(t *testing.T) {
	t.Parallel()
	const evil = "Ac\u007fme\u202e\u009b2J\u0085."
	r := newCLI(t).run("create", "--dry-run", "--output", "json", "--vault-name", evil, "--app-id", "a", "--consumer-id", "c")
	var got describedJSON
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("%v\n%s", err, r)
	}
	var body struct {
		Theme struct {
			VaultName string `json:"vault_name"`
		} `json:"theme"`
	}
	if err := json.Unmarshal(got.Body, &body); err != nil || body.Theme.VaultName != evil {
		t.Errorf("vault_name = %q (%v), want %q", body.Theme.VaultName, err, evil)
	}
	if !strings.Contains(r.stdout, `Ac\u007fme\u202e\u009b2J\u0085.`) {
		t.Errorf("want the characters as JSON escapes:\n%s", r.stdout)
	}
}

// TestDemoServerLogEscapesRequestPaths: anyone who reaches the demo server
// chooses the paths it logs.
func TestDemoServerLogEscapesRequestPaths(t *testing.T) {
	t.Parallel()
	var log bytes.Buffer
	srv := httptest.NewServer(logRequests(&log, mock.New()))
	defer srv.Close()
	for _, path := range []string{"/%1b]52;c;aGFja2Vk%07", "/%1b[2J", "/%1b]0;pwned%07", "/%e2%80%ae", "/%c2%9b2J", "/%ff%fe",
		"/" + strings.Repeat("A", 5000) + "%1b[2J"} {
		req, _ := http.NewRequestWithContext(context.Background(), "GET", srv.URL+path, nil)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	// A line is logged after the answer is sent: Close waits for every
	// handler to return, so the log is complete and no longer written.
	srv.Close()
	if n := strings.Count(log.String(), "\n"); n != 7 {
		t.Fatalf("%d lines logged, want 7:\n%s", n, log.String())
	}
	termtexttest.Check(t, "the demo server's log", log.String())
	if !strings.Contains(log.String(), `GET /\x1b]52;c;aGFja2Vk\x07 -> 404`) {
		t.Errorf("the log should show the path escaped:\n%s", log.String())
	}
}

// TestRedirectToAnotherOriginIsRefused: create names the redirect, exits 1
// and never sends the key to the other server.
func TestRedirectToAnotherOriginIsRefused(t *testing.T) {
	t.Parallel()
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the other origin got a request (Authorization %q)", r.Header.Get("Authorization"))
	}))
	defer other.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/steal", http.StatusTemporaryRedirect)
	}))
	defer api.Close()
	r := newCLI(t).run("create", "--base-url", api.URL, "--api-key", testAPIKey, "--app-id", "a", "--consumer-id", "c")
	want := "vault-session: the API redirected to " + other.URL + "/steal; not following it with your key\n" +
		"  hint: Your key was not sent there: check the base URL (--base-url or APIDECK_BASE_URL).\n"
	if r.code != exitError || r.stderr != want || r.stdout != "" {
		t.Errorf("got\n%s\nwant exit 1 and %q", r, want)
	}
}

// TestBaseURLCredentialsAreNeverPrinted: a user:password@ in --base-url
// appears in no output: dry-run formats, errors, the usage error of a bad
// URL.
func TestBaseURLCredentialsAreNeverPrinted(t *testing.T) {
	t.Parallel()
	const user, password = "opsuser", "hunter2pw"
	refused := httptest.NewServer(http.NotFoundHandler())
	refused.Close()
	withCreds := strings.Replace(refused.URL, "http://", "http://"+user+":"+password+"@", 1)
	c := newCLI(t)
	c.configured = func(a *app) {
		a.clientOptions = []client.Option{client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 1})}
	}
	base := []string{"create", "--api-key", testAPIKey, "--app-id", "a", "--consumer-id", "c"}
	for name, extra := range map[string][]string{
		"dry-run text":   {"--dry-run", "--base-url", withCreds},
		"dry-run curl":   {"--dry-run", "--output", "curl", "--base-url", withCreds},
		"dry-run json":   {"--dry-run", "--output", "json", "--base-url", withCreds},
		"refused":        {"--base-url", withCreds},
		"not http(s)":    {"--base-url", "ftp://" + user + ":" + password + "@api.example"},
		"not a URL":      {"--base-url", "https://" + user + ":" + password + "@api.example:port/"},
		"with a space":   {"--base-url", "https://" + user + ":" + password + "@api example"},
		"unparsable pwd": {"--base-url", "https://" + user + ":" + password + "%zz@api.example"},
		"no scheme":      {"--base-url", user + ":" + password + "@://"},
		"no scheme curl": {"--dry-run", "--output", "curl", "--base-url", user + ":" + password + "@://"},
		"slash in pwd":   {"--base-url", "https://" + user + ":pa/" + password + "@api.example"},
		"env no scheme":  {"env", user + ":" + password + "@://"},
		"env dry-run":    {"env", user + ":" + password + "@://", "--dry-run", "--output", "curl"},
	} {
		delete(c.env, "APIDECK_BASE_URL")
		if extra[0] == "env" {
			c.env["APIDECK_BASE_URL"], extra = extra[1], extra[2:]
		}
		r := c.run(append(append([]string{}, base...), extra...)...)
		if strings.Contains(r.stdout+r.stderr, password) || strings.Contains(r.stdout+r.stderr, user) {
			t.Errorf("%s: the base URL's credentials were printed:\n%s", name, r)
		}
		if r.code == exitOK && !strings.Contains(r.stdout, "***@127.0.0.1") {
			t.Errorf("%s: want the URL shown with ***@:\n%s", name, r)
		}
	}
}

// TestNotFoundHintFollowsTheEntity: an unknown application is the app ID's
// fault; anything else that is not found points at the base URL.
func TestNotFoundHintFollowsTheEntity(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ detail, hint string }{
		{`{"not_found":{"entity":"application","id":"a"}}`, "hint: The API knows no application with this app ID.\n  fix: --app-id or APIDECK_APP_ID\n"},
		{`{"not_found":{"entity":"widget","id":"123"}}`, "hint: The API has no such address: check the base URL (--base-url or APIDECK_BASE_URL).\n"},
		{`"Unknown route"`, "hint: The API has no such address: check the base URL (--base-url or APIDECK_BASE_URL).\n"},
	} {
		hs := answering(t, http.StatusNotFound, "application/json",
			`{"status_code":404,"error":"Not Found","type_name":"EntityNotFoundError","message":"Unknown","detail":`+tc.detail+`}`)
		r := newCLI(t).run("create", "--base-url", hs.URL, "--api-key", testAPIKey, "--app-id", "a", "--consumer-id", "c")
		hs.Close()
		if r.code != exitError || !strings.HasSuffix(r.stderr, tc.hint) {
			t.Errorf("detail %s: want the hint %q\n%s", tc.detail, tc.hint, r)
		}
	}
}

// TestUnusableSuccessSaysWhatWasAsked: a 200 that cannot be used is the
// API answering, not failing to be reached; and the words name what was
// asked: a 200 to the connections list that cannot be read is not "not a
// usable session", no session was asked for.
func TestUnusableSuccessSaysWhatWasAsked(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		command, body, want, notSaid string
	}{
		{"create", `{"status_code":200,"data":{"session_uri":"javascript:alert(1)"}}`,
			"vault-session: the API answered 200 OK but not with a usable session: data.session_uri is not an http(s) URL\n", "reach"},
		{"connections", `{"status_code":200,"data":{"id":"not a list"}}`,
			"vault-session: the API answered 200 OK to list connections, but the answer cannot be read: the answer is not shaped as the spec says: expected {\"data\":[...]}\n", "usable session"},
	} {
		hs := answering(t, http.StatusOK, "application/json", tc.body)
		r := newCLI(t).run(tc.command, "--base-url", hs.URL, "--api-key", testAPIKey, "--app-id", "a", "--consumer-id", "c")
		if r.code != exitError || !strings.HasPrefix(r.stderr, tc.want) || strings.Contains(r.stderr, tc.notSaid) {
			t.Errorf("%s: got\n%s\nwant exit 1 starting %q, never %q", tc.command, r, tc.want, tc.notSaid)
		}
	}
}

// TestHugeErrorBodySaysWhatIsLeftOut: a 10 MB error page is shown as its
// start, with the count of what is not shown, as the README promises.
func TestHugeErrorBodySaysWhatIsLeftOut(t *testing.T) {
	t.Parallel()
	hs := answering(t, http.StatusBadRequest, "text/plain", strings.Repeat("x", 10<<20))
	r := newCLI(t).run("create", "--base-url", hs.URL, "--api-key", testAPIKey, "--app-id", "a", "--consumer-id", "c")
	want := "  body: " + strings.Repeat("x", 500) + "… (" + strconv.Itoa(client.MaxBodySize-500) + " more characters)\n    (the answer is over 1 MiB: the rest was not read)\n"
	if r.code != exitError || !strings.Contains(r.stderr, want) {
		t.Errorf("got\n%s\nwant the line %q", r, want)
	}
}

// TestRetryLinesShowControlsAsTheFinalErrorDoes: one rule for an answer's
// text, whether a retry line or the final report shows it.
func TestRetryLinesShowControlsAsTheFinalErrorDoes(t *testing.T) {
	t.Parallel()
	hs := answering(t, http.StatusServiceUnavailable, "application/json", `{"message":"busy\u001b[31m now"}`)
	c := newCLI(t)
	c.configured = func(a *app) {
		a.clientOptions = []client.Option{client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 2, InitialWait: time.Millisecond})}
	}
	r := c.run("create", "--base-url", hs.URL, "--api-key", testAPIKey, "--app-id", "a", "--consumer-id", "c")
	for _, want := range []string{
		`vault-session: attempt 1 of 2 failed: 503 Service Unavailable: busy\x1b[31m now; trying again in 1ms`,
		`vault-session: the API failed to handle the request: 503 Service Unavailable: busy\x1b[31m now`,
	} {
		if !strings.Contains(r.stderr, want+"\n") {
			t.Errorf("want the line %q:\n%s", want, r)
		}
	}
}

// TestProxyRefusalIsReportedAsTheProxys: the words come from the client's
// ProxyError, through the connection error create reports.
func TestProxyRefusalIsReportedAsTheProxys(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	err := &client.ConnectionError{URL: "https://unify.apideck.com/vault/sessions", Attempts: 1,
		Err: &client.ProxyError{Proxy: "http://***@proxy.corp:3128", Target: "unify.apideck.com:443", StatusCode: 403, Status: "403 Forbidden\x1b[2J"}}
	reportError(context.Background(), &out, err)
	want := `vault-session: could not reach https://unify.apideck.com/vault/sessions: the proxy http://***@proxy.corp:3128 refused to connect to unify.apideck.com:443 (403 Forbidden\x1b[2J); this answer came from the proxy, not the API` + "\n" +
		"  hint: The refusal came from the proxy between you and the API (HTTPS_PROXY): the request did not reach the API.\n"
	if out.String() != want || exitCode(context.Background(), err) != exitError {
		t.Errorf("got  %q\nwant %q", out.String(), want)
	}
}
