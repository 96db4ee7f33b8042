package failure

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
)

// The kinds no httptest server produces easily; the others are driven
// through every front end by ui's TestFailureExplainedAlikeInEveryMode.
func TestExplainWithoutAServer(t *testing.T) {
	for name, tc := range map[string]struct {
		err                error
		opts               Options
		headline, hint     string
		fix, fixMessageHas string
	}{
		"proxy refusal": {
			err: &client.ConnectionError{URL: "https://unify.apideck.com/vault/sessions", Attempts: 1,
				Err: &client.ProxyError{Proxy: "http://proxy:3128", Target: "unify.apideck.com:443", StatusCode: 403, Status: "403 Forbidden\x1b[2J"}},
			headline: "Could not reach https://unify.apideck.com/vault/sessions: the proxy http://proxy:3128 refused to connect to unify.apideck.com:443 (403 Forbidden\\x1b[2J); this answer came from the proxy, not the API",
			hint:     "The refusal came from the proxy between you and the API (HTTPS_PROXY): the request did not reach the API.",
		},
		"body too large": {
			err:      &client.BodyTooLargeError{Size: 5 << 20},
			headline: "The session body is 5242880 bytes, over the 4 MiB a session body may be: make custom_consumer_settings smaller",
			fix:      "custom_consumer_settings", fixMessageHas: "too large to send",
		},
		"header": {
			err:      &client.HeaderError{Field: "consumer ID"},
			headline: "Consumer ID contains a line break or another control character, which an HTTP header cannot carry",
			fix:      "consumer_id", fixMessageHas: "cannot carry a line break",
		},
		"deadline with its bound": {
			err:      &client.DeadlineError{URL: "https://unify.apideck.com/vault/sessions", Attempts: 2, Waited: 2 * time.Minute},
			opts:     Options{Timeout: 2 * time.Minute},
			headline: "Gave up waiting for https://unify.apideck.com/vault/sessions after 2m0s (2 attempts)",
			hint:     "No usable answer came in the time allowed (--timeout 2m bounds the request, retries included): check your connection, or give it longer with --timeout 5m.",
		},
		"a field named in the message": {
			err:      &client.APIError{StatusCode: 400, Message: "Invalid session_length", Detail: "9w is over a week"},
			opts:     Options{IsField: func(p string) bool { return p == "settings.session_length" }},
			headline: "The API refused the request: 400 Bad Request: Invalid session_length",
			hint:     "The API named the field to fix: settings.session_length.",
			fix:      "settings.session_length", fixMessageHas: "9w is over a week",
		},
		"a gateway's page, sent once (no retry policy)": {
			err:      &client.APIError{StatusCode: 502, ContentType: "text/html", Body: []byte("<html>bad gateway</html>"), Attempts: 1},
			headline: "The API failed to handle the request: 502 Bad Gateway: the server answered text/html, not JSON",
			hint:     "The answer is not the API's own (a proxy or gateway in front of it may have sent it): try again later, and check the base URL (--base-url or APIDECK_BASE_URL) if you set one.",
		},
		"a 500 of the API, tried three times": {
			err:      &client.APIError{StatusCode: 500, Message: "Oops", Body: []byte(`{"message":"Oops"}`), Attempts: 3},
			headline: "The API failed to handle the request: 500 Internal Server Error: Oops",
			hint:     "The API failed on its side on all 3 attempts: try again later.",
		},
		"a consumer the API says it does not have": {
			err: &client.APIError{StatusCode: 404, Message: "Consumer not found", TypeName: "EntityNotFoundError",
				Detail: map[string]any{"not_found": map[string]any{"entity": "consumer", "id": "nobody"}}},
			headline: "The API refused the request: 404 Not Found: Consumer not found (EntityNotFoundError)",
			hint:     "The API has no such consumer.",
		},
	} {
		t.Run(name, func(t *testing.T) {
			x := Explain(tc.err, tc.opts)
			if x.Headline != tc.headline || x.Hint != tc.hint || x.Fix != tc.fix || !strings.Contains(x.FixMessage, tc.fixMessageHas) {
				t.Errorf("got %+v\nwant headline %q\nhint %q\nfix %q (%q)", x, tc.headline, tc.hint, tc.fix, tc.fixMessageHas)
			}
		})
	}
}

// A 10 MB page is shown as its start and the count of what is not shown.
func TestHugeBodySaysWhatIsLeftOut(t *testing.T) {
	e := client.ParseAPIError(502, []byte(strings.Repeat("x", 10<<20)))
	x := Explain(e, Options{})
	want := strings.Repeat("x", 500) + "… (" + strconv.Itoa(client.MaxBodySize-500) + " more characters)\n(the answer is over 1 MiB: the rest was not read)"
	if x.Body != want {
		t.Errorf("Body ends %q", x.Body[max(0, len(x.Body)-120):])
	}
}

func TestClauseFollowsTheProgramName(t *testing.T) {
	for headline, want := range map[string]string{
		"The API refused the request: 401": "the API refused the request: 401",
		"Could not reach x":                "could not reach x",
		"401 Unauthorized":                 "401 Unauthorized",
		"API key contains a line break":    "API key contains a line break",
		"":                                 "",
	} {
		if got := (Explanation{Headline: headline}).Clause(); got != want {
			t.Errorf("Clause(%q) = %q, want %q", headline, got, want)
		}
	}
}
