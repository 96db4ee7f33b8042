package ui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/termtext/termtexttest"
	tea "github.com/charmbracelet/bubbletea"
)

// hostileAnswers are refusals with evil in each field the wizard shows, and
// bodies that are not the API's shape.
func hostileAnswers(evil string) map[string]string {
	q := termtexttest.JSONString(evil)
	return map[string]string{
		"message":       `{"status_code":400,"error":"Bad Request","message":` + q + `}`,
		"error":         `{"error":` + q + `}`,
		"detail string": `{"message":"Invalid value for theme.vault_name","detail":` + q + `}`,
		"detail object": `{"message":"m","detail":{` + q + `:` + q + `,"errors":[{"path":"theme.vault_name","message":` + q + `}]}}`,
		"ref":           `{"message":"m","ref":` + q + `}`,
		"not JSON":      evil,
	}
}

// clientCreate sends the wizard's requests to url through the real client.
func clientCreate(url string, policy client.RetryPolicy) createFunc {
	return createWith(client.New(client.WithBaseURL(url), client.WithRetryPolicy(policy)))
}

func serveAnswer(t *testing.T, status int, body string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestHostileRefusalsAreEscapedOnEveryScreen: the failure screen, the
// banner and field errors after "fix", and the retry screen show a hostile
// answer's text escaped.
func TestHostileRefusalsAreEscapedOnEveryScreen(t *testing.T) {
	t.Parallel()
	for _, sample := range termtexttest.Hostile {
		for shape, body := range hostileAnswers(sample.Text) {
			for _, status := range []int{400, 404, 422} {
				what := fmt.Sprintf("%s in %s of a %d", sample.Name, shape, status)
				srv := serveAnswer(t, status, body)
				h := newHarness(t, testState(model.Request{AppID: "app", ConsumerID: "acme"}, "sk_test_key"),
					clientCreate(srv.URL, client.RetryPolicy{MaxAttempts: 1}))
				h.w.jumpTo(stepReview, "")
				h.press("enter")
				if h.w.phase() != phaseFailed {
					t.Fatalf("%s: phase %d, want the failure screen", what, h.w.phase())
				}
				termtexttest.Check(t, what+" on the failure screen", h.view())
				h.press("enter") // fix, where there is a field to fix
				termtexttest.Check(t, what+" after enter", h.view())
			}
		}
	}
}

func TestHostileRetriesAreEscaped(t *testing.T) {
	t.Parallel()
	for _, sample := range termtexttest.Hostile {
		for shape, body := range hostileAnswers(sample.Text) {
			srv := serveAnswer(t, http.StatusServiceUnavailable, body)
			h := newHarness(t, testState(model.Request{AppID: "app", ConsumerID: "acme"}, "k"),
				clientCreate(srv.URL, client.RetryPolicy{MaxAttempts: 2, InitialWait: time.Minute}))
			h.w.jumpTo(stepReview, "")
			results := createUntilRetry(t, h)
			if screenOf[*creatingScreen](h.w).retry == nil {
				t.Fatalf("%s in %s: no retry shown", sample.Name, shape)
			}
			termtexttest.Check(t, sample.Name+" in "+shape+" on the retry screen", h.view())
			cancelCreate(t, h, results)
		}
	}
}

// TestHostileSessionIsEscapedOnTheResultScreen: the URL and the token
// (shown with t) come from the API.
func TestHostileSessionIsEscapedOnTheResultScreen(t *testing.T) {
	t.Parallel()
	for _, sample := range termtexttest.Hostile {
		// Go's URL parser refuses ASCII controls, so the client would too:
		// what gets through in a URL is bidi, C1 and invalid UTF-8.
		uri := "https://vault.example/session/\u202e\u009b2J" + strings.Map(func(r rune) rune {
			if r < 0x20 || r == 0x7f {
				return -1
			}
			return r
		}, sample.Text)
		body := `{"status_code":200,"data":{"session_uri":` + termtexttest.JSONString(uri) + `,"session_token":` + termtexttest.JSONString(sample.Text) + `}}`
		srv := serveAnswer(t, http.StatusOK, body)
		h := newHarness(t, testState(model.Request{AppID: "app", ConsumerID: "acme"}, "k"),
			clientCreate(srv.URL, client.RetryPolicy{MaxAttempts: 1}))
		h.w.jumpTo(stepReview, "")
		h.press("enter")
		if h.w.phase() != phaseResult {
			t.Fatalf("%s: phase %d, want the result:\n%s", sample.Name, h.w.phase(), h.view())
		}
		termtexttest.Check(t, sample.Name+" on the result screen", h.view())
		h.press("t")
		termtexttest.Check(t, sample.Name+" in the token shown with t", h.view())
		// $BROWSER is named in what o says, opened or not.
		h.openErr = errors.New("tried $BROWSER " + sample.Text + " (exit status 1)")
		h.press("o")
		termtexttest.Check(t, sample.Name+" in $BROWSER's failure", h.view())
	}
}

// hostileSession is a session file whose every free-text value is evil.
func hostileSession(t *testing.T, evil string) model.Session {
	t.Helper()
	q := termtexttest.JSONString(evil)
	file := `{"consumer_metadata":{"account_name":` + q + `,"user_name":` + q + `,"email":` + q + `,"image":` + q + `},` +
		`"redirect_uri":` + q + `,"settings":{"unified_apis":[` + q + `],"session_length":` + q + `,"allow_actions":[` + q + `]},` +
		`"theme":{"vault_name":` + q + `,"primary_color":` + q + `,"logo":` + q + `,"privacy_url":` + q + `},` +
		`"custom_consumer_settings":{` + q + `:` + q + `}}`
	s, err := model.DecodeSession([]byte(file))
	if err != nil {
		// A strict reader may refuse the file (invalid UTF-8); the values
		// can still arrive by flags.
		s = model.Session{}
		s.ConsumerMetadata.AccountName, s.ConsumerMetadata.UserName, s.RedirectURI = evil, evil, evil
		s.Settings.UnifiedAPIs, s.Settings.SessionLength, s.Settings.AllowActions = []string{evil}, evil, []string{evil}
		s.Theme.VaultName, s.Theme.PrimaryColor, s.Theme.Logo = evil, evil, evil
		s.CustomConsumerSettings, _ = json.Marshal(map[string]string{evil: evil})
	}
	return s
}

// TestHostileSessionIsEscapedOnEveryStep: values from a session file or
// flags reach every step, the review (with its preview, body and curl) and
// the creating screen escaped.
func TestHostileSessionIsEscapedOnEveryStep(t *testing.T) {
	t.Parallel()
	for _, sample := range termtexttest.Hostile {
		req := model.Request{AppID: "app\u202e", ConsumerID: sample.Text, Session: hostileSession(t, sample.Text)}
		h := newHarness(t, testState(req, "k"), nil)
		h.send(tea.WindowSizeMsg{Width: 120, Height: 400}) // the whole review at once
		for i := range h.w.steps {
			h.w.jumpTo(i, "")
			termtexttest.Check(t, fmt.Sprintf("%s on step %d (%s)", sample.Name, i+1, h.w.steps[i].title()), h.view())
		}
		h.w.screen = newCreatingScreen(h.w, func() {})
		termtexttest.Check(t, sample.Name+" on the creating screen", h.view())
	}
}

// TestWordsAreTrue: the wizard names the API it talks to, says a 200 it
// cannot use came from the API, shows a 422's detail in the banner, and
// points a 404 at what was not found.
func TestWordsAreTrue(t *testing.T) {
	t.Parallel()
	t.Run("at the base URL's host", func(t *testing.T) {
		st := testState(model.Request{AppID: "app", ConsumerID: "acme"}, "k")
		st.apiName = "127.0.0.1:8080"
		h := newHarness(t, st, nil)
		h.w.jumpTo(stepCredentials, "")
		mustContain(t, h.view(), "Sessions are created with this key at 127.0.0.1:8080 (--base-url).")
		mustNotContain(t, h.view(), "Apideck API")
		h.w.screen = newCreatingScreen(h.w, func() {})
		mustContain(t, h.view(), "Creating a Vault session for acme at 127.0.0.1:8080…")
		h.w.st.apiName = "Apideck"
		mustContain(t, h.view(), "Creating a Vault session for acme at Apideck…")
	})
	t.Run("200 without a usable session", func(t *testing.T) {
		srv := serveAnswer(t, http.StatusOK, `{"data":{"session_uri":"javascript:alert(1)"}}`)
		h := newHarness(t, testState(model.Request{AppID: "app", ConsumerID: "acme"}, "k"),
			clientCreate(srv.URL, client.RetryPolicy{MaxAttempts: 1}))
		h.w.jumpTo(stepReview, "")
		h.press("enter")
		mustContain(t, unwrapped(h.view()), "The API answered 200 OK but not with a usable session: data.session_uri is not an http(s) URL",
			"The API answered, but not with a usable session URL")
		mustNotContain(t, h.view(), "did not reach")
		h.golden("failed_unusable_success")
	})
	for name, detail := range map[string]string{
		"422 string detail": `"vault_name is too long"`,
		"422 object detail": `{"field":"theme.vault_name","rule":"max 40"}`,
	} {
		t.Run(name, func(t *testing.T) {
			srv := serveAnswer(t, 422, `{"status_code":422,"error":"Unprocessable Entity","type_name":"ValidationError","message":"Invalid theme.vault_name","detail":`+detail+`}`)
			h := newHarness(t, testState(model.Request{AppID: "app", ConsumerID: "acme"}, "k"),
				clientCreate(srv.URL, client.RetryPolicy{MaxAttempts: 1}))
			h.w.jumpTo(stepReview, "")
			h.press("enter", "enter")
			if h.w.current != h.w.stepFor("theme.vault_name") {
				t.Fatalf("fix went to step %d", h.w.current)
			}
			want := strings.Trim(detail, `"`)
			if strings.HasPrefix(detail, "{") {
				want = `{"field":"theme.vault_name","rule":"max 40"}`
			}
			mustContain(t, h.w.st.apiNote, "The API refused the request: 422 Unprocessable Entity: Invalid theme.vault_name (ValidationError) — "+want)
		})
	}
	t.Run("404 of the application", func(t *testing.T) {
		srv := serveAnswer(t, 404, `{"status_code":404,"error":"Not Found","type_name":"EntityNotFoundError","message":"Unknown application","detail":{"not_found":{"entity":"application","id":"app"}}}`)
		h := newHarness(t, testState(model.Request{AppID: "app", ConsumerID: "acme"}, "k"),
			clientCreate(srv.URL, client.RetryPolicy{MaxAttempts: 1}))
		h.w.jumpTo(stepReview, "")
		h.press("enter")
		mustContain(t, h.view(), "enter takes you to Credentials")
		h.press("enter")
		if h.w.current != stepCredentials {
			t.Fatalf("fix went to step %d", h.w.current)
		}
		mustContain(t, h.view(), "the API knows no application with this ID")
	})
	t.Run("404 of anything else", func(t *testing.T) {
		srv := serveAnswer(t, 404, `{"status_code":404,"error":"Not Found","type_name":"NotFoundError","message":"Unknown route","detail":{"not_found":{"entity":"route"}}}`)
		h := newHarness(t, testState(model.Request{AppID: "app", ConsumerID: "acme"}, "k"),
			clientCreate(srv.URL, client.RetryPolicy{MaxAttempts: 1}))
		h.w.jumpTo(stepReview, "")
		h.press("enter")
		mustContain(t, h.view(), "check the base URL (--base-url or APIDECK_BASE_URL)", "r tries again")
		mustNotContain(t, h.view(), "Credentials")
	})
	t.Run("redirect to another origin", func(t *testing.T) {
		other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			t.Error("the other origin was reached")
		}))
		defer other.Close()
		srv := httptest.NewServer(http.RedirectHandler(other.URL+"/x", http.StatusTemporaryRedirect))
		defer srv.Close()
		h := newHarness(t, testState(model.Request{AppID: "app", ConsumerID: "acme"}, "k"),
			clientCreate(srv.URL, client.RetryPolicy{MaxAttempts: 1}))
		h.w.jumpTo(stepReview, "")
		h.press("enter")
		mustContain(t, unwrapped(h.view()), "The API redirected to "+other.URL+"/x; not following it with your key",
			"Your key was not sent there")
	})
	t.Run("proxy refusal", func(t *testing.T) {
		h := newHarness(t, testState(model.Request{AppID: "app", ConsumerID: "acme"}, "k"),
			func(context.Context, string, model.Request, bool) (client.Result, error) {
				return client.Result{}, &client.ConnectionError{URL: "https://unify.apideck.com/vault/sessions", Attempts: 1,
					Err: &client.ProxyError{Proxy: "http://proxy.corp:3128", Target: "unify.apideck.com:443", StatusCode: 407, Status: "407 Proxy Authentication Required"}}
			})
		h.w.jumpTo(stepReview, "")
		h.press("enter")
		mustContain(t, h.view(), "refused to connect to unify.apideck.com:443 (407 Proxy Authentication Required); this answer",
			"came from the proxy, not the API", "The refusal came from the proxy")
	})
}
