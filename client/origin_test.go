package client

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/apideck-samples/vault-session/model"
)

// keyCatcher is a server that must never be reached: it counts the
// requests it gets and those that carry the key.
type keyCatcher struct {
	*httptest.Server
	requests, withKey atomic.Int32
}

func newKeyCatcher(t *testing.T) *keyCatcher {
	k := &keyCatcher{}
	k.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		k.requests.Add(1)
		if strings.Contains(r.Header.Get("Authorization"), testKey) {
			k.withKey.Add(1)
		}
		created("https://vault.example/session/x", "x")(w, r)
	}))
	t.Cleanup(k.Close)
	return k
}

func redirectTo(location string, status int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", location)
		w.WriteHeader(status)
	}
}

// TestCreateRefusesRedirectsToAnotherOrigin: the key goes to the base URL's
// origin only, whatever the redirect and whatever Go would strip itself.
func TestCreateRefusesRedirectsToAnotherOrigin(t *testing.T) {
	catcher := newKeyCatcher(t)
	port := catcher.URL[strings.LastIndexByte(catcher.URL, ':')+1:]
	for _, tc := range []struct {
		name, location string
		status         int
		tls            bool
	}{
		{"307 to another port", catcher.URL + "/vault/sessions", http.StatusTemporaryRedirect, false},
		{"308 to another host", "http://localhost:" + port + "/vault/sessions", http.StatusPermanentRedirect, false},
		{"307 from https to http", catcher.URL + "/vault/sessions", http.StatusTemporaryRedirect, true},
		{"308 from https to http", catcher.URL + "/vault/sessions", http.StatusPermanentRedirect, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var api *httptest.Server
			if tc.tls {
				api = httptest.NewTLSServer(redirectTo(tc.location, tc.status))
			} else {
				api = httptest.NewServer(redirectTo(tc.location, tc.status))
			}
			defer api.Close()
			c, _ := newTestClient(api.URL, WithHTTPClient(api.Client()))
			_, err := c.Create(context.Background(), testCreds, model.Session{})
			var redirect *RedirectError
			if !errors.As(err, &redirect) {
				t.Fatalf("err = %v (%T), want a *RedirectError", err, err)
			}
			want := "the API redirected to " + tc.location + "; not following it with your key"
			if err.Error() != want {
				t.Errorf("err = %q\nwant  %q", err, want)
			}
			if n := catcher.requests.Load(); n != 0 {
				t.Errorf("the other origin got %d requests (%d with the key)", n, catcher.withKey.Load())
			}
		})
	}
}

func TestCreateFollowsRedirectsWithinTheOrigin(t *testing.T) {
	var gotKey atomic.Bool
	mux := http.NewServeMux()
	mux.HandleFunc("/vault/sessions", redirectTo("/v2/vault/sessions", http.StatusPermanentRedirect))
	mux.HandleFunc("/v2/vault/sessions", func(w http.ResponseWriter, r *http.Request) {
		gotKey.Store(r.Header.Get("Authorization") == "Bearer "+testKey)
		created("https://vault.example/session/x", "x")(w, r)
	})
	api := httptest.NewServer(mux)
	defer api.Close()
	c, _ := newTestClient(api.URL)
	if _, err := c.Create(context.Background(), testCreds, model.Session{}); err != nil {
		t.Fatal(err)
	}
	if !gotKey.Load() {
		t.Error("the redirect within the origin lost the key")
	}
}

func TestOrigin(t *testing.T) {
	same := [][2]string{
		{"https://api.example", "https://API.example:443/x"},
		{"http://api.example/a", "http://api.example:80/b?c"},
	}
	different := [][2]string{
		{"https://api.example", "http://api.example"},
		{"https://api.example:443", "http://api.example:443"},
		{"https://api.example", "https://api.example:8443"},
		{"https://api.example", "https://other.example"},
		{"https://api.example", "https://api.example.evil"},
	}
	parse := func(s string) *url.URL {
		u, err := url.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	for _, p := range same {
		if origin(parse(p[0])) != origin(parse(p[1])) {
			t.Errorf("%s and %s should be one origin", p[0], p[1])
		}
	}
	for _, p := range different {
		if origin(parse(p[0])) == origin(parse(p[1])) {
			t.Errorf("%s and %s should be different origins", p[0], p[1])
		}
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://user:secret@api.example/x?a=b@c": "https://***@api.example/x?a=b@c",
		"https://token@api.example":               "https://***@api.example",
		"http://a:b@c:d@host:8080":                "http://***@host:8080",
		"https://api.example/path@x":              "https://api.example/path@x",
		"user:secret@api.example/x":               "***@api.example/x",
		"//user:secret@api.example":               "//***@api.example",
		"not a url at all":                        "not a url at all",
		// Text Go cannot parse as a URL with a host: everything before
		// the last @ may be credentials, whatever else it looks like.
		"u:SECRETPW@://":         "***@://",
		"https://u:pa/ss@host":   "https://***@host",
		"https://u:p?w@host/x":   "https://***@host/x",
		"https://u:SECRET@[::1":  "https://***@[::1",
		"1ab://u:SECRET@h":       "***@h",
		"mailto:me@example.com":  "***@example.com",
		"http//u:SECRET@host/x":  "***@host/x",
		"https://u:SECRET@h\x7f": "https://***@h\x7f",
	} {
		if got := RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestBaseURLCredentialsNeverShown: a user:password@ in the base URL is left
// out of everything the client says.
func TestBaseURLCredentialsNeverShown(t *testing.T) {
	const secret = "hunter2secret"
	srv, _ := serve(t, reply(http.StatusNotFound, "application/json", `{"message":"nope"}`))
	refused := srv.URL
	srv.Close()
	withUser := strings.Replace(refused, "http://", "http://admin:"+secret+"@", 1)

	c, _ := newTestClient(withUser, WithRetryPolicy(RetryPolicy{MaxAttempts: 1}))
	d, err := c.Describe(testCreds, model.Session{})
	if err != nil {
		t.Fatal(err)
	}
	_, createErr := c.Create(context.Background(), testCreds, model.Session{})
	_, badErr := New(WithBaseURL("ftp://admin:"+secret+"@api.example")).Create(context.Background(), testCreds, model.Session{})
	for what, text := range map[string]string{
		"describe URL": d.URL, "curl": d.Curl(), "connection error": createErr.Error(),
		"bad base URL": badErr.Error(), "API name": c.APIName(), "API host": c.Host(),
	} {
		if strings.Contains(text, secret) || strings.Contains(text, "admin") {
			t.Errorf("%s shows the credentials: %s", what, text)
		}
	}
	if want := strings.TrimPrefix(refused, "http://"); c.Host() != want {
		t.Errorf("Host() = %q, want %q", c.Host(), want)
	}
	if !strings.Contains(d.URL, "***@127.0.0.1") {
		t.Errorf("describe URL = %q, want the credentials marked as ***@", d.URL)
	}
}

func TestAPIName(t *testing.T) {
	for base, want := range map[string]string{
		"":                                "Apideck",
		"https://unify.apideck.com":       "Apideck",
		"https://sandbox.Apideck.com":     "Apideck",
		"https://apideck.com.evil.test":   "apideck.com.evil.test",
		"http://127.0.0.1:8080":           "127.0.0.1:8080",
		"https://me:pw@gateway.corp:8443": "gateway.corp:8443",
	} {
		if got := New(WithBaseURL(base)).APIName(); got != want {
			t.Errorf("APIName for %q = %q, want %q", base, got, want)
		}
	}
}

// TestProxyRefusalSaysItCameFromTheProxy: a CONNECT refused by a proxy is
// not an answer of the API, and is not retried.
func TestProxyRefusalSaysItCameFromTheProxy(t *testing.T) {
	var connects atomic.Int32
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodConnect {
			connects.Add(1)
		}
		w.Header().Set("Proxy-Authenticate", `Basic realm="corp"`)
		w.WriteHeader(http.StatusProxyAuthRequired)
	}))
	defer proxy.Close()
	proxyURL, _ := url.Parse(strings.Replace(proxy.URL, "http://", "http://me:proxypass@", 1))

	c, _ := newTestClient("https://api.example.test",
		WithHTTPClient(&http.Client{Transport: newTransport(http.ProxyURL(proxyURL))}))
	_, err := c.Create(context.Background(), testCreds, model.Session{})
	var proxyErr *ProxyError
	if !errors.As(err, &proxyErr) || proxyErr.StatusCode != http.StatusProxyAuthRequired {
		t.Fatalf("err = %v, want a *ProxyError with 407", err)
	}
	for _, want := range []string{"the proxy http://***@127.0.0.1", "refused to connect to api.example.test:443",
		"407 Proxy Authentication Required", "came from the proxy, not the API"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("err = %q, want it to say %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "proxypass") {
		t.Errorf("the proxy's password was shown: %v", err)
	}
	if n := connects.Load(); n != 1 {
		t.Errorf("%d CONNECTs, want 1: a refusal is not retried", n)
	}
}

func hasPassword(u *url.Userinfo) bool {
	_, ok := u.Password()
	return ok
}

// FuzzRedactURL: whatever the user info holds, none of it is left. Go's
// parser is the oracle where it finds a host: the redacted URL is the same
// URL with "***" as its user. Where it does not (the text of an error
// message), the password is gone and what follows the last @ is kept.
func FuzzRedactURL(f *testing.F) {
	f.Add("https", "user", "secret", "api.example:8443", "/x?a=b@c#d")
	f.Add("http", "", "p@ss", "h", "")
	f.Add("", "a:b", "c", "host", "//x")
	f.Add("https", "u", "pa/ss", "host", "")
	f.Fuzz(func(t *testing.T, scheme, user, password, host, rest string) {
		prefix := ""
		if scheme != "" {
			prefix = scheme + "://"
		}
		in := prefix + user + ":" + password + "@" + host + rest
		got := RedactURL(in)
		if u, err := url.Parse(in); err == nil && u.Host != "" {
			if u.User == nil {
				if got != in {
					t.Fatalf("RedactURL(%q) = %q, but it has no user info", in, got)
				}
				return
			}
			r, err := url.Parse(got)
			if err != nil || r.User.Username() != "***" || hasPassword(r.User) || r.Scheme != u.Scheme || r.Host != u.Host ||
				r.EscapedPath() != u.EscapedPath() || r.RawQuery != u.RawQuery || r.EscapedFragment() != u.EscapedFragment() {
				t.Fatalf("RedactURL(%q) = %q: not the same URL with *** as its user (%v)", in, got, err)
			}
			return
		}
		last := strings.LastIndexByte(in, '@')
		if !strings.HasSuffix(got, "***"+in[last:]) {
			t.Fatalf("RedactURL(%q) = %q, want it to end with %q", in, got, "***"+in[last:])
		}
		// Short passwords can be any part of the URL's own text.
		if shown := strings.Replace(got, "***"+in[last:], "", 1); len(password) >= 3 && strings.Contains(shown, password) {
			t.Fatalf("RedactURL(%q) = %q shows the password", in, got)
		}
	})
}
