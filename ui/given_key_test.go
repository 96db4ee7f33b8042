package ui

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/model"
)

// withKeyFrom is st with its key given by the environment.
func withKeyFrom(st state, from string) state {
	st.keyFrom, st.givenKey = from, st.apiKey
	return st
}

// authorizations is an API that notes the Authorization header of each
// request it answers.
type authorizations struct {
	mu   sync.Mutex
	seen []string
}

func (a *authorizations) server(t *testing.T) *httptest.Server {
	api := mock.New(mock.WithFixedTime(fixedNow))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		a.seen = append(a.seen, r.Header.Get("Authorization"))
		a.mu.Unlock()
		api.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestKeyFromTheEnvironmentIsKept: with APIDECK_API_KEY set, the wizard
// starts on the consumer ID, says where the key came from, a stray key on
// the key's row edits nothing, and the key sent is the environment's.
func TestKeyFromTheEnvironmentIsKept(t *testing.T) {
	t.Parallel()
	var auth authorizations
	srv := auth.server(t)
	st := withKeyFrom(testState(model.Request{AppID: "app-1"}, "sk_test"), "APIDECK_API_KEY")
	h := newHarness(t, st, createWith(client.New(client.WithBaseURL(srv.URL))))
	h.golden("credentials_key_from_environment")
	mustContain(t, h.view(), "•••••••• from APIDECK_API_KEY", "ctrl+x type another key",
		"Sessions are created with the key from APIDECK_API_KEY at the Apideck API.")

	h.typeText("globex-17")
	if h.w.st.req.ConsumerID != "globex-17" || h.w.st.apiKey != "sk_test" {
		t.Fatalf("typed at start: consumer ID %q, key changed: %t", h.w.st.req.ConsumerID, h.w.st.apiKey != "sk_test")
	}
	// Up to the key's row: typing there changes nothing.
	h.press("shift+tab", "shift+tab")
	h.typeText("oops")
	h.press("backspace")
	if h.w.st.apiKey != "sk_test" {
		t.Fatal("a stray key edited the key from the environment")
	}
	mustContain(t, h.view(), "The key from APIDECK_API_KEY is used; ctrl+x types another")
	mustNotContain(t, h.view(), "DEMO")

	h.press("ctrl+s")
	mustContain(t, h.view(), "API key", "set (hidden), from APIDECK_API_KEY")
	h.press("enter")
	if h.w.phase() != phaseResult {
		t.Fatalf("no result:\n%s", h.view())
	}
	if len(auth.seen) != 1 || auth.seen[0] != "Bearer sk_test" {
		t.Fatalf("Authorization sent: %q, want the environment's key", auth.seen)
	}
}

// TestLeavingAGivenKeyForTheDemoIsNeverSilent: ctrl+x empties the key for
// another; left empty, going on asks first, and ctrl+x puts the key back.
func TestLeavingAGivenKeyForTheDemoIsNeverSilent(t *testing.T) {
	t.Parallel()
	st := withKeyFrom(testState(model.Request{AppID: "app-1", ConsumerID: "acme"}, "sk_test"), "APIDECK_API_KEY")
	h := newHarness(t, st, nil)
	h.press("esc") // the credentials were skipped: all given
	h.press("ctrl+x")
	if h.w.st.apiKey != "" {
		t.Fatal("ctrl+x kept the key in the field")
	}
	mustContain(t, unwrapped(h.view()), "DEMO API",
		"No API key: sessions would go to the built-in demo API instead of using the key from APIDECK_API_KEY.",
		"ctrl+x keep APIDECK_API_KEY")
	h.press("enter", "enter", "enter") // through the three fields
	if h.w.current != stepCredentials {
		t.Fatal("an emptied key went on to the demo API without a word")
	}
	h.golden("credentials_key_emptied")
	mustContain(t, unwrapped(h.view()), "enter again uses the demo API, ctrl+x keeps the key")

	// ctrl+x keeps the given key after all.
	h.press("ctrl+x")
	if h.w.st.apiKey != "sk_test" || len(h.w.st.errs) != 0 {
		t.Fatalf("ctrl+x again: key back %t, errors %v", h.w.st.apiKey == "sk_test", h.w.st.errs)
	}
	// Another key typed is used, and said to be this one.
	h.press("ctrl+x")
	h.typeText("sk_other")
	mustContain(t, h.view(), "Sessions are created with this key at the Apideck API.")
	if h.w.st.apiKey != "sk_other" {
		t.Fatal("the key typed is not used")
	}
	// Emptied again, the question is asked again; enter twice is the demo.
	h.press("ctrl+x", "ctrl+x", "enter", "enter", "enter")
	if h.w.current != stepCredentials {
		t.Fatal("went on to the demo API without asking")
	}
	h.press("enter")
	if h.w.current == stepCredentials || !h.w.st.demo() {
		t.Fatalf("enter again did not go on to the demo API: step %d, demo %t", h.w.current+1, h.w.st.demo())
	}
}

// TestPlainPromptsKeepAGivenKey: the plain prompts say where the key came
// from, keep it on enter, and ask before a dash leaves it for the demo.
func TestPlainPromptsKeepAGivenKey(t *testing.T) {
	t.Parallel()
	st := withKeyFrom(testState(model.Request{AppID: "app-1"}, "sk_test"), "APIDECK_API_KEY")
	answers := strings.Join([]string{"-", "n", "", "acme", "q"}, "\n") + "\n"
	r := runLines(t, st, answers, nil)
	mustContain(t, r.out,
		"API key: the key from APIDECK_API_KEY. Enter keeps it, a key typed replaces it, a dash (-) uses the built-in demo API.",
		"Sessions would go to the built-in demo API instead of using the key from APIDECK_API_KEY. Use the demo API?",
		"Sessions are created with the key from APIDECK_API_KEY at the Apideck API.")
	if r.outcome.Request.ConsumerID != "acme" {
		t.Fatalf("consumer ID = %q", r.outcome.Request.ConsumerID)
	}
}

// TestPlainPromptsSayWhereTheRequestGoes: the Review's plain words name the
// host of --base-url, not Apideck, and the demo API as the demo.
func TestPlainPromptsSayWhereTheRequestGoes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		apiName, key, from, want string
	}{
		{"127.0.0.1:8080", "sk_test", "", "It goes to 127.0.0.1:8080 (--base-url) with the key given."},
		{"127.0.0.1:8080", "sk_test", "APIDECK_API_KEY", "It goes to 127.0.0.1:8080 (--base-url) with the key from APIDECK_API_KEY."},
		{"Apideck", "sk_test", "", "It goes to the Apideck API with the key given."},
		{"127.0.0.1:8080", "", "", "It goes to the built-in demo API, not Apideck."},
	} {
		st := testState(model.Request{AppID: "app-1", ConsumerID: "acme"}, tc.key)
		st.apiName = tc.apiName
		if tc.from != "" {
			st = withKeyFrom(st, tc.from)
		}
		r := runLines(t, st, strings.Repeat("\n", 40)+"q\n", nil)
		mustContain(t, r.out, tc.want)
		if tc.apiName != "Apideck" {
			mustNotContain(t, r.out, "the Apideck API")
		}
	}
}
