package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/model"
)

const testKey = "sk_test_0123456789abcdef"

var testCreds = Credentials{APIKey: testKey, AppID: "app-123", ConsumerID: "consumer-42"}

// fakeClock stands in for time: sleeping records the wait and moves the
// clock on at once, so retry tests take no real time.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.waits = append(f.waits, d)
	f.now = f.now.Add(d)
	return nil
}

func (f *fakeClock) Waits() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.waits...)
}

// newTestClient returns a client for url on a fake clock, with the default
// retry policy and no jitter (random 0.5 places the wait at its centre).
func newTestClient(url string, opts ...Option) (*Client, *fakeClock) {
	clock := newFakeClock()
	c := New(append([]Option{WithBaseURL(url), WithVersion("1.2.3")}, opts...)...)
	c.now, c.sleep, c.random = clock.Now, clock.Sleep, func() float64 { return 0.5 }
	return c, clock
}

// sequence answers each request with the next handler, repeating the last.
type sequence struct {
	mu       sync.Mutex
	handlers []http.HandlerFunc
	calls    int
}

func (s *sequence) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	h := s.handlers[min(s.calls, len(s.handlers)-1)]
	s.calls++
	s.mu.Unlock()
	h(w, r)
}

func (s *sequence) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

func serve(t *testing.T, handlers ...http.HandlerFunc) (*httptest.Server, *sequence) {
	t.Helper()
	seq := &sequence{handlers: handlers}
	srv := httptest.NewServer(seq)
	t.Cleanup(srv.Close)
	return srv, seq
}

func reply(status int, contentType, body string, header ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

// hang never answers; it reads the body first so that net/http notices the
// client going away and cancels the request's context.
func hang(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, r.Body)
	<-r.Context().Done()
}

func created(uri, token string) http.HandlerFunc {
	body := fmt.Sprintf(`{"status_code":200,"status":"OK","data":{"session_uri":%q,"session_token":%q}}`, uri, token)
	return reply(http.StatusOK, "application/json", body)
}

// jwtWith builds an unsigned-looking JWT with the given payload.
func jwtWith(payload string) string {
	enc := func(s string) string { return b64url(s) }
	return enc(`{"alg":"HS256","typ":"JWT"}`) + "." + enc(payload) + ".c2lnbmF0dXJl"
}

func TestCreateSendsHeadersAndNormalizedBody(t *testing.T) {
	var got *http.Request
	var gotBody []byte
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		got = r.Clone(context.Background())
		gotBody, _ = io.ReadAll(r.Body)
		created("https://vault.apideck.com/session/tok", "tok")(w, r)
	})
	c, _ := newTestClient(srv.URL + "/") // trailing slash tolerated
	session := model.Session{
		ConsumerMetadata: model.ConsumerMetadata{AccountName: "  SpaceX ", Email: "elon@musk.com"},
		RedirectURI:      "https://mysaas.com/dashboard?a=1&b=2",
		Settings: model.Settings{
			UnifiedAPIs:   []string{"crm", "hris"},
			SessionLength: "1w",
			SandboxMode:   model.Bool(false),
			AllowActions:  []string{},
		},
		Theme:                  model.Theme{PrimaryColor: "NAVY", VaultName: "Intercom"},
		CustomConsumerSettings: json.RawMessage(`{"feature_flag_1":true}`),
	}
	if _, err := c.Create(context.Background(), testCreds, session); err != nil {
		t.Fatal(err)
	}

	if got.Method != http.MethodPost || got.URL.Path != SessionsPath {
		t.Errorf("request = %s %s, want POST %s", got.Method, got.URL.Path, SessionsPath)
	}
	wantHeaders := map[string]string{
		"Authorization":         "Bearer " + testKey,
		"X-Apideck-App-Id":      "app-123",
		"X-Apideck-Consumer-Id": "consumer-42",
		"Content-Type":          "application/json",
		"Accept":                "application/json",
		"User-Agent":            fmt.Sprintf("vault-session/1.2.3 (go; %s/%s)", runtime.GOOS, runtime.GOARCH),
	}
	for name, want := range wantHeaders {
		if v := got.Header.Get(name); v != want {
			t.Errorf("header %s = %q, want %q", name, v, want)
		}
	}

	// The body as --dry-run shows it (no \u0026 for &), and the same
	// object encoding/json writes.
	want, _ := json.Marshal(session.Normalized())
	if !bytes.Contains(gotBody, []byte("?a=1&b=2")) || !json.Valid(gotBody) {
		t.Errorf("body =\n%s", gotBody)
	}
	var sentObject, wantObject any
	if json.Unmarshal(gotBody, &sentObject) != nil || json.Unmarshal(want, &wantObject) != nil || !reflect.DeepEqual(sentObject, wantObject) {
		t.Errorf("body =\n%s\nwant\n%s", gotBody, want)
	}
	// Normalization really happened: colour, length, trimming, [] kept.
	var sent map[string]any
	json.Unmarshal(gotBody, &sent)
	if theme := sent["theme"].(map[string]any); theme["primary_color"] != "#000080" {
		t.Errorf("primary_color = %v, want #000080", theme["primary_color"])
	}
	settings := sent["settings"].(map[string]any)
	if settings["session_length"] != "7d" || settings["sandbox_mode"] != false {
		t.Errorf("settings = %v", settings)
	}
	if actions, ok := settings["allow_actions"].([]any); !ok || len(actions) != 0 {
		t.Errorf("allow_actions = %#v, want []", settings["allow_actions"])
	}
	if name := sent["consumer_metadata"].(map[string]any)["account_name"]; name != "SpaceX" {
		t.Errorf("account_name = %q", name)
	}
}

func TestCreateSendsEmptyKeyAndLeavesOutEmptyIDs(t *testing.T) {
	var header http.Header
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		header = r.Header.Clone()
		reply(401, "application/json", `{"status_code":401,"error":"Unauthorized","type_name":"UnauthorizedError","message":"Unauthorized Request","detail":"Missing authentication"}`)(w, r)
	})
	c, _ := newTestClient(srv.URL)
	_, err := c.Create(context.Background(), Credentials{}, model.Session{})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 401 {
		t.Fatalf("err = %v, want a 401 APIError", err)
	}
	if v, ok := header["Authorization"]; !ok || strings.TrimSpace(v[0]) != "Bearer" {
		t.Errorf("Authorization = %q, want a bare Bearer", v)
	}
	for _, name := range []string{"X-Apideck-App-Id", "X-Apideck-Consumer-Id"} {
		if _, ok := header[name]; ok {
			t.Errorf("%s sent although empty", name)
		}
	}
}

func TestCreateRefusesControlCharactersInCredentials(t *testing.T) {
	srv, seq := serve(t, created("https://v/session/t", "t"))
	c, _ := newTestClient(srv.URL)
	for _, creds := range []Credentials{
		{APIKey: "sk_secret\r\nX-Evil: 1", AppID: "a", ConsumerID: "c"},
		{APIKey: "k", AppID: "a\n", ConsumerID: "c"},
		{APIKey: "k", AppID: "a", ConsumerID: "c\x00"},
	} {
		_, err := c.Create(context.Background(), creds, model.Session{})
		var hErr *HeaderError
		if !errors.As(err, &hErr) {
			t.Fatalf("err = %v, want *HeaderError", err)
		}
		if strings.Contains(err.Error(), "sk_secret") {
			t.Errorf("error %q shows the key", err)
		}
	}
	if seq.Calls() != 0 {
		t.Errorf("%d requests sent, want none", seq.Calls())
	}
}

func TestCreateResult(t *testing.T) {
	exp := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	jwt := jwtWith(fmt.Sprintf(`{"consumer_id":"c","iat":%d,"exp":%d}`, exp.Unix()-3600, exp.Unix()))

	t.Run("expiry from the JWT", func(t *testing.T) {
		srv, _ := serve(t, created("https://vault.apideck.com/session/"+jwt, jwt))
		c, _ := newTestClient(srv.URL)
		res, err := c.Create(context.Background(), testCreds, model.Session{})
		if err != nil {
			t.Fatal(err)
		}
		want := Result{URL: "https://vault.apideck.com/session/" + jwt, Token: jwt, ExpiresAt: exp,
			ExpiryFromToken: true, IssuedAt: exp.Add(-time.Hour)}
		if !reflect.DeepEqual(res, want) {
			t.Errorf("result = %+v, want %+v", res, want)
		}
		// Asked for the default, the API granted one hour: exp - iat.
		if res.Granted() != time.Hour || res.Demo {
			t.Errorf("granted %v, demo %v", res.Granted(), res.Demo)
		}
	})
	t.Run("expiry from the session length when the token is opaque", func(t *testing.T) {
		srv, _ := serve(t, created("https://vault.apideck.com/session/opaque", "opaque"))
		c, clock := newTestClient(srv.URL)
		res, err := c.Create(context.Background(), testCreds, model.Session{Settings: model.Settings{SessionLength: "30m"}})
		if err != nil {
			t.Fatal(err)
		}
		if want := clock.Now().Add(30 * time.Minute); !res.ExpiresAt.Equal(want) || res.ExpiryFromToken || res.Granted() != 0 {
			t.Errorf("ExpiresAt = %v (from token %v, granted %v), want %v", res.ExpiresAt, res.ExpiryFromToken, res.Granted(), want)
		}
	})
	t.Run("default length when none is asked for", func(t *testing.T) {
		noExp := jwtWith(`{"consumer_id":"c"}`)
		srv, _ := serve(t, created("https://vault.apideck.com/session/x", noExp))
		c, clock := newTestClient(srv.URL)
		res, err := c.Create(context.Background(), testCreds, model.Session{})
		if err != nil {
			t.Fatal(err)
		}
		if want := clock.Now().Add(time.Hour); !res.ExpiresAt.Equal(want) {
			t.Errorf("ExpiresAt = %v, want %v", res.ExpiresAt, want)
		}
	})
}

func TestCreateRefusesUnusableSuccess(t *testing.T) {
	for _, tc := range []struct {
		name, contentType, body, want string
	}{
		{"no session_uri", "application/json", `{"status_code":200,"status":"OK","data":{"session_token":"t"}}`, "no data.session_uri"},
		{"empty session_uri", "application/json", `{"status_code":200,"status":"OK","data":{"session_uri":"","session_token":"t"}}`, "no data.session_uri"},
		{"no data", "application/json", `{"status_code":200,"status":"OK"}`, "no data.session_uri"},
		{"data of the wrong type", "application/json", `{"data":"nope"}`, "not shaped as the spec says"},
		{"HTML", "text/html", "<html><title>Welcome</title></html>", "text/html, not JSON"},
		{"empty body", "application/json", "", "empty body"},
		{"truncated JSON", "application/json", `{"status_code":200,"data":{"session_uri":"https://v`, "malformed JSON"},
		{"not a web URL", "application/json", `{"data":{"session_uri":"javascript:alert(1)","session_token":"secret-token"}}`, "not an http(s) URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, seq := serve(t, reply(http.StatusOK, tc.contentType, tc.body))
			c, _ := newTestClient(srv.URL)
			_, err := c.Create(context.Background(), testCreds, model.Session{})
			var invalid *InvalidResponseError
			if !errors.As(err, &invalid) {
				t.Fatalf("err = %v (%T), want *InvalidResponseError", err, err)
			}
			if invalid.Operation != OpCreateSession {
				t.Errorf("Operation = %q, want %q", invalid.Operation, OpCreateSession)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "200 OK: ") {
				t.Errorf("error %q, want it to start with 200 OK and say %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "secret-token") {
				t.Errorf("error %q shows the token", err)
			}
			if seq.Calls() != 1 {
				t.Errorf("%d attempts, want 1 (a 2xx is not retried)", seq.Calls())
			}
		})
	}
}

// Spec example bodies of each documented error status.
var specErrors = []struct {
	status      int
	body        string
	wantError   string
	wantDetail  string
	wantRetries bool
}{
	{400, `{"status_code":400,"error":"Bad Request","type_name":"RequestValidationError","message":"Invalid Params","detail":"Missing property foobar","ref":"https://developers.apideck.com/errors#requestvalidationerror"}`,
		"400 Bad Request: Invalid Params (RequestValidationError)", "Missing property foobar", false},
	{401, `{"status_code":401,"error":"Unauthorized","type_name":"UnauthorizedError","message":"Unauthorized Request","detail":"Missing authentication","ref":"https://developers.apideck.com/errors#unauthorizederror"}`,
		"401 Unauthorized: Unauthorized Request (UnauthorizedError)", "Missing authentication", false},
	{402, `{"status_code":402,"error":"Payment Required","type_name":"RequestLimitError","message":"Request Limit Reached","detail":"You have reached your limit of 2000","ref":"https://developers.apideck.com/errors#requestlimiterror"}`,
		"402 Payment Required: Request Limit Reached (RequestLimitError)", "You have reached your limit of 2000", false},
	{404, `{"status_code":404,"error":"Not Found","type_name":"EntityNotFoundError","message":"Unknown Widget","detail":{"not_found":{"entity":"widget","id":"123"}},"ref":"https://developers.apideck.com/errors#entitynotfounderror"}`,
		"404 Not Found: Unknown Widget (EntityNotFoundError)", "{\n  \"not_found\": {\n    \"entity\": \"widget\",\n    \"id\": \"123\"\n  }\n}", false},
	{422, `{"status_code":422,"error":"Unprocessable Entity","type_name":"InvalidStateError","message":"Invalid State","detail":{"error":"Unprocessable","message":"Unprocessable request, please verify your request headers and body."},"ref":"https://developers.apideck.com/errors#invalidstateerror"}`,
		"422 Unprocessable Entity: Invalid State (InvalidStateError)", "{\n  \"error\": \"Unprocessable\",\n  \"message\": \"Unprocessable request, please verify your request headers and body.\"\n}", false},
	{500, `{"status_code":500,"error":"Internal Server Error","type_name":"UnexpectedError","message":"Something went wrong","detail":"","ref":"https://developers.apideck.com/errors#unexpectederror"}`,
		"500 Internal Server Error: Something went wrong (UnexpectedError)", "", true},
}

func TestCreateErrorStatuses(t *testing.T) {
	for _, tc := range specErrors {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			srv, seq := serve(t, reply(tc.status, "application/json", tc.body))
			c, _ := newTestClient(srv.URL)
			_, err := c.Create(context.Background(), testCreds, model.Session{})
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v (%T), want *APIError", err, err)
			}
			if apiErr.StatusCode != tc.status || apiErr.Error() != tc.wantError || apiErr.DetailText() != tc.wantDetail {
				t.Errorf("got %d %q detail %q, want %d %q detail %q",
					apiErr.StatusCode, apiErr.Error(), apiErr.DetailText(), tc.status, tc.wantError, tc.wantDetail)
			}
			if string(apiErr.Body) != tc.body || apiErr.ContentType != "application/json" {
				t.Errorf("Body %q (%s), want the raw body", apiErr.Body, apiErr.ContentType)
			}
			wantCalls := 1
			if tc.wantRetries {
				wantCalls = DefaultRetryPolicy().MaxAttempts
			}
			if seq.Calls() != wantCalls {
				t.Errorf("%d attempts, want %d", seq.Calls(), wantCalls)
			}
		})
	}
}

func TestCreateErrorNeverShowsTheKey(t *testing.T) {
	echo := fmt.Sprintf(`{"status_code":401,"error":"Unauthorized","type_name":"UnauthorizedError","message":"Bad key %s","detail":{"key":"%s"}}`, testKey, testKey)
	srv, _ := serve(t, reply(401, "application/json", echo))
	c, _ := newTestClient(srv.URL)
	_, err := c.Create(context.Background(), testCreds, model.Session{})
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v", err)
	}
	for what, text := range map[string]string{"Error()": err.Error(), "DetailText()": apiErr.DetailText(), "Body": string(apiErr.Body)} {
		if strings.Contains(text, testKey) {
			t.Errorf("%s shows the API key: %q", what, text)
		}
		if !strings.Contains(text, "****") {
			t.Errorf("%s lost the masked key: %q", what, text)
		}
	}
}

func TestUnusableSuccessNeverShowsTheKey(t *testing.T) {
	srv, _ := serve(t, reply(http.StatusOK, "text/plain", "welcome "+testKey))
	c, _ := newTestClient(srv.URL)
	_, err := c.Create(context.Background(), testCreds, model.Session{})
	var invalid *InvalidResponseError
	if !errors.As(err, &invalid) {
		t.Fatalf("err = %v (%T)", err, err)
	}
	if want := `200 OK: the server answered text/plain, not JSON: "welcome ****"`; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err, want)
	}
	if strings.Contains(string(invalid.Body), testKey) {
		t.Errorf("Body keeps the key: %q", invalid.Body)
	}
}

func TestCreateNonJSONErrors(t *testing.T) {
	huge := strings.Repeat("x", MaxBodySize+5000)
	for _, tc := range []struct {
		name, contentType, body string
		status                  int
		want                    string
		truncated               bool
	}{
		{"HTML from a proxy", "text/html; charset=utf-8", "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>", 502,
			`502 Bad Gateway: the server answered text/html, not JSON: "502 Bad Gateway"`, false},
		{"empty", "", "", 503, "503 Service Unavailable: the server answered with an empty body", false},
		{"truncated JSON", "application/json", `{"status_code":500,"error":"Internal Server Error","mess`, 500,
			"500 Internal Server Error: the server answered malformed JSON", false},
		{"plain text", "text/plain", "upstream connect error or disconnect/reset before headers.\nreset reason: connection termination", 503,
			`503 Service Unavailable: the server answered text/plain, not JSON: "upstream connect error or disconnect/reset before headers.\nreset reason: connection termination"`, false},
		{"huge", "text/plain", huge, 400,
			`400 Bad Request: the server answered text/plain, not JSON: "` + strings.Repeat("x", maxExcerptRunes) + `… (1048456 more characters)", and the answer is over 1 MiB: the rest was not read`, true},
		{"huge JSON", "application/json", `{"message":"` + huge + `"}`, 400,
			"400 Bad Request: the server's JSON answer is over 1 MiB and was cut off", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := serve(t, reply(tc.status, tc.contentType, tc.body))
			c, _ := newTestClient(srv.URL, WithRetryPolicy(NoRetry()))
			_, err := c.Create(context.Background(), testCreds, model.Session{})
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v (%T), want *APIError", err, err)
			}
			if err.Error() != tc.want {
				t.Errorf("Error() =\n%q\nwant\n%q", err.Error(), tc.want)
			}
			if apiErr.Truncated != tc.truncated || len(apiErr.Body) > MaxBodySize {
				t.Errorf("Truncated = %v with %d bytes, want %v", apiErr.Truncated, len(apiErr.Body), tc.truncated)
			}
			if tc.truncated && len(apiErr.Body) != MaxBodySize {
				t.Errorf("kept %d bytes, want %d", len(apiErr.Body), MaxBodySize)
			}
		})
	}
}

func TestCreateRetriesThenSucceeds(t *testing.T) {
	fail := reply(503, "application/json", `{"status_code":503,"error":"Service Unavailable","message":"busy"}`)
	srv, seq := serve(t, fail, fail, created("https://vault.apideck.com/session/t", "t"))
	c, clock := newTestClient(srv.URL)
	res, err := c.Create(context.Background(), testCreds, model.Session{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Token != "t" || seq.Calls() != 3 {
		t.Errorf("token %q after %d attempts, want t after 3", res.Token, seq.Calls())
	}
	want := []time.Duration{500 * time.Millisecond, 750 * time.Millisecond}
	if !reflect.DeepEqual(clock.Waits(), want) {
		t.Errorf("waits = %v, want %v", clock.Waits(), want)
	}
}

func TestCreateRetriesEachRetryableStatus(t *testing.T) {
	for _, status := range []int{408, 429, 500, 502, 503, 504} {
		srv, seq := serve(t, reply(status, "", ""), created("https://v.example/session/t", "t"))
		c, _ := newTestClient(srv.URL)
		if _, err := c.Create(context.Background(), testCreds, model.Session{}); err != nil || seq.Calls() != 2 {
			t.Errorf("%d: err %v after %d attempts, want success after 2", status, err, seq.Calls())
		}
	}
	for _, status := range []int{400, 401, 402, 403, 404, 409, 422, 501} {
		srv, seq := serve(t, reply(status, "", ""), created("https://v.example/session/t", "t"))
		c, _ := newTestClient(srv.URL)
		_, err := c.Create(context.Background(), testCreds, model.Session{})
		var apiErr *APIError
		if !errors.As(err, &apiErr) || seq.Calls() != 1 || apiErr.Attempts != 1 {
			t.Errorf("%d: err %v after %d attempts, want the error after 1", status, err, seq.Calls())
		}
	}
	// Every attempt failed: the error says how many were made.
	fail := reply(502, "text/html", "<html>bad gateway</html>")
	srv, seq := serve(t, fail, fail, fail, fail)
	c, _ := newTestClient(srv.URL)
	_, err := c.Create(context.Background(), testCreds, model.Session{})
	if apiErr := (*APIError)(nil); !errors.As(err, &apiErr) || apiErr.Attempts != 4 || seq.Calls() != 4 {
		t.Errorf("after %d calls: %v (%+v), want an APIError of 4 attempts", seq.Calls(), err, apiErr)
	}
}

func TestCreateHonoursRetryAfter(t *testing.T) {
	clockNow := newFakeClock().Now()
	for _, tc := range []struct {
		name   string
		header []string
		want   time.Duration
	}{
		{"seconds", []string{"Retry-After", "3"}, 3 * time.Second},
		{"HTTP date", []string{"Retry-After", clockNow.Add(7 * time.Second).Format(http.TimeFormat)}, 7 * time.Second},
		{"date in the past", []string{"Retry-After", clockNow.Add(-time.Hour).Format(http.TimeFormat)}, 0},
		{"ms preferred", []string{"Retry-After", "9", "retry-after-ms", "1250"}, 1250 * time.Millisecond},
		{"capped by MaxWait", []string{"Retry-After", "3600"}, 60 * time.Second},
		{"garbage falls back to backoff", []string{"Retry-After", "soon"}, 500 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, seq := serve(t, reply(429, "application/json", `{"message":"slow down"}`, tc.header...), created("https://v.example/session/t", "t"))
			c, clock := newTestClient(srv.URL)
			if _, err := c.Create(context.Background(), testCreds, model.Session{}); err != nil {
				t.Fatal(err)
			}
			if got := clock.Waits(); seq.Calls() != 2 || len(got) != 1 || got[0] != tc.want {
				t.Errorf("waits %v after %d attempts, want [%v] after 2", got, seq.Calls(), tc.want)
			}
		})
	}
}

func TestCreateRetryAfterCappedByTotalTime(t *testing.T) {
	srv, seq := serve(t, reply(503, "", "", "Retry-After", "50"))
	policy := DefaultRetryPolicy()
	policy.MaxTotalTime = 70 * time.Second
	policy.MaxAttempts = 10
	c, clock := newTestClient(srv.URL, WithRetryPolicy(policy))
	_, err := c.Create(context.Background(), testCreds, model.Session{})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 {
		t.Fatalf("err = %v, want the 503", err)
	}
	// 50 s, then what is left of 70 s, then the budget is spent.
	want := []time.Duration{50 * time.Second, 20 * time.Second}
	if !reflect.DeepEqual(clock.Waits(), want) || seq.Calls() != 3 {
		t.Errorf("waits %v after %d attempts, want %v after 3", clock.Waits(), seq.Calls(), want)
	}
}

func TestCreateExhaustedRetriesReturnLastAPIError(t *testing.T) {
	srv, seq := serve(t,
		reply(502, "text/html", "<html>bad gateway</html>"),
		reply(503, "application/json", `{"status_code":503,"error":"Service Unavailable","type_name":"UnavailableError","message":"Try later"}`),
	)
	c, clock := newTestClient(srv.URL)
	_, err := c.Create(context.Background(), testCreds, model.Session{})
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v (%T)", err, err)
	}
	if seq.Calls() != 4 || apiErr.StatusCode != 503 || apiErr.Message != "Try later" {
		t.Errorf("%d attempts ending in %v, want 4 ending in the last 503", seq.Calls(), err)
	}
	want := []time.Duration{500 * time.Millisecond, 750 * time.Millisecond, 1125 * time.Millisecond}
	if !reflect.DeepEqual(clock.Waits(), want) {
		t.Errorf("waits = %v, want %v", clock.Waits(), want)
	}
}

func TestCreatePerAttemptTimeout(t *testing.T) {
	srv, seq := serve(t, hang)
	policy := RetryPolicy{MaxAttempts: 2, InitialWait: time.Millisecond}
	c, _ := newTestClient(srv.URL, WithTimeout(20*time.Millisecond), WithRetryPolicy(policy))
	_, err := c.Create(context.Background(), testCreds, model.Session{})
	var connErr *ConnectionError
	if !errors.As(err, &connErr) || connErr.Timeout != 20*time.Millisecond {
		t.Fatalf("err = %v (%T), want a ConnectionError with the timeout", err, err)
	}
	want := fmt.Sprintf("no answer from %s%s within 20ms (2 attempts)", srv.URL, SessionsPath)
	if err.Error() != want || seq.Calls() != 2 {
		t.Errorf("error %q after %d attempts, want %q after 2", err, seq.Calls(), want)
	}
}

func TestCreateCallerDeadlineIsNotRetried(t *testing.T) {
	srv, seq := serve(t, hang)
	c, _ := newTestClient(srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err := c.Create(ctx, testCreds, model.Session{})
	if !errors.Is(err, context.DeadlineExceeded) || seq.Calls() != 1 {
		t.Errorf("err %v after %d attempts, want DeadlineExceeded after 1", err, seq.Calls())
	}
}

func TestCreateCancelDuringRequest(t *testing.T) {
	started := make(chan struct{})
	srv, seq := serve(t, func(w http.ResponseWriter, r *http.Request) {
		close(started)
		hang(w, r)
	})
	c, _ := newTestClient(srv.URL)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-started; cancel() }()
	_, err := c.Create(ctx, testCreds, model.Session{})
	if !errors.Is(err, context.Canceled) || seq.Calls() != 1 {
		t.Errorf("err %v after %d attempts, want Canceled after 1", err, seq.Calls())
	}
}

func TestCreateCancelDuringBackoff(t *testing.T) {
	srv, seq := serve(t, reply(503, "", ""))
	// The real sleep and an hour's wait: only cancellation can end it.
	policy := RetryPolicy{MaxAttempts: 3, InitialWait: time.Hour}
	c := New(WithBaseURL(srv.URL), WithRetryPolicy(policy))
	ctx, cancel := context.WithCancel(context.Background())
	waiting := make(chan struct{})
	c.sleep = func(ctx context.Context, d time.Duration) error {
		close(waiting)
		return Sleep(ctx, d)
	}
	go func() { <-waiting; cancel() }()
	_, err := c.Create(ctx, testCreds, model.Session{})
	if !errors.Is(err, context.Canceled) || seq.Calls() != 1 {
		t.Errorf("err %v after %d attempts, want Canceled after 1", err, seq.Calls())
	}
}

func TestCreateConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	c, clock := newTestClient(url)
	_, err = c.Create(context.Background(), testCreds, model.Session{})
	var connErr *ConnectionError
	if !errors.As(err, &connErr) {
		t.Fatalf("err = %v (%T), want *ConnectionError", err, err)
	}
	want := "could not reach " + url + SessionsPath + ": connection refused (is the address right, and is the server running?) (4 attempts)"
	if runtime.GOOS == "windows" { // Winsock's errors do not match syscall.ECONNREFUSED
		want = err.Error()
	}
	if err.Error() != want || connErr.Attempts != 4 || len(clock.Waits()) != 3 {
		t.Errorf("error %q after %d waits, want %q after 3", err, len(clock.Waits()), want)
	}
}

func TestCreateRetriesHangUps(t *testing.T) {
	var hangups atomic.Int32
	hangUp := func(w http.ResponseWriter, r *http.Request) {
		hangups.Add(1)
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		conn.Close()
	}
	srv, _ := serve(t, hangUp, created("https://v.example/session/t", "t"))
	c, _ := newTestClient(srv.URL)
	if _, err := c.Create(context.Background(), testCreds, model.Session{}); err != nil || hangups.Load() != 1 {
		t.Errorf("err %v after %d hang-ups, want success after 1", err, hangups.Load())
	}
}

func TestCreateBadBaseURL(t *testing.T) {
	c := New(WithBaseURL("unify.apideck.com"))
	_, err := c.Create(context.Background(), testCreds, model.Session{})
	if err == nil || !strings.Contains(err.Error(), "not an http(s) URL") {
		t.Errorf("err = %v, want a base URL error", err)
	}
}

func TestCreateDoesNotFollowRedirectsThatDropThePOST(t *testing.T) {
	srv, seq := serve(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere", http.StatusMovedPermanently)
	})
	c, _ := newTestClient(srv.URL)
	_, err := c.Create(context.Background(), testCreds, model.Session{})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 301 || seq.Calls() != 1 {
		t.Errorf("err %v after %d requests, want the 301 after 1", err, seq.Calls())
	}
}

func TestOptions(t *testing.T) {
	c := New()
	if c.BaseURL() != DefaultBaseURL || c.timeout != DefaultTimeout || c.retry != DefaultRetryPolicy() {
		t.Errorf("defaults: %q %v %+v", c.BaseURL(), c.timeout, c.retry)
	}
	if want := fmt.Sprintf("vault-session/dev (go; %s/%s)", runtime.GOOS, runtime.GOARCH); c.UserAgent() != want {
		t.Errorf("UserAgent = %q, want %q", c.UserAgent(), want)
	}
	hc := &http.Client{Timeout: time.Second}
	c = New(WithBaseURL("http://localhost:8080///"), WithHTTPClient(hc), WithTimeout(5*time.Second), WithVersion("v1.0.0\n"))
	if c.BaseURL() != "http://localhost:8080" || c.hc != hc || c.hc.Timeout != time.Second || c.timeout != 5*time.Second {
		t.Errorf("options not applied: %q %v %v", c.BaseURL(), c.hc, c.timeout)
	}
	if !strings.HasPrefix(c.UserAgent(), "vault-session/v1.0.0 (go; ") {
		t.Errorf("UserAgent = %q", c.UserAgent())
	}
	if New(WithBaseURL("")).BaseURL() != DefaultBaseURL {
		t.Error("an empty base URL should keep the default")
	}
}

func TestCreateReportsEachRetryToTheObserver(t *testing.T) {
	srv, _ := serve(t,
		reply(503, "application/json", `{"status_code":503,"error":"Service Unavailable","message":"Try later"}`),
		reply(502, "text/html", "<html>bad gateway</html>"),
	)
	c, clock := newTestClient(srv.URL)
	var seen []Retry
	ctx := WithRetryObserver(context.Background(), func(r Retry) { seen = append(seen, r) })
	_, err := c.Create(ctx, testCreds, model.Session{})
	if err == nil {
		t.Fatal("want the last error")
	}
	if len(seen) != 3 {
		t.Fatalf("observed %d retries, want 3 (4 attempts)", len(seen))
	}
	for i, r := range seen {
		var apiErr *APIError
		if r.Attempt != i+1 || r.MaxAttempts != 4 || r.Wait != clock.Waits()[i] || !errors.As(r.Err, &apiErr) {
			t.Errorf("retry %d = %+v", i, r)
		}
	}
	var first *APIError
	errors.As(seen[0].Err, &first)
	if first.StatusCode != 503 || first.Message != "Try later" {
		t.Errorf("first retry's error = %v", seen[0].Err)
	}
}

// ExpiryNote is the one sentence every front end says when the token will
// not last what was asked for.
func TestResultExpiryNote(t *testing.T) {
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	day, hour := model.SessionLength(24*time.Hour), model.SessionLength(time.Hour)
	for _, tc := range []struct {
		res   Result
		asked model.SessionLength
		want  string
	}{
		{Result{ExpiresAt: at.Add(time.Hour), IssuedAt: at, ExpiryFromToken: true}, day, "asked 1d, the API gave 1h"},
		{Result{ExpiresAt: at.Add(7 * 24 * time.Hour), IssuedAt: at, ExpiryFromToken: true}, hour, "asked 1h, the API gave 7d"},
		{Result{ExpiresAt: at.Add(time.Hour + 30*time.Second), IssuedAt: at, ExpiryFromToken: true}, hour, ""},
		// No iat: measured from when the answer came.
		{Result{ExpiresAt: at.Add(time.Hour), ExpiryFromToken: true}, day, "asked 1d, the API gave 1h"},
		{Result{ExpiresAt: at.Add(24 * time.Hour), ExpiryFromToken: true}, day, ""},
		{Result{ExpiresAt: at.Add(time.Hour)}, hour, "the token carries no expiry: this is the 1h asked for"},
		{Result{}, day, ""},
	} {
		if got := tc.res.ExpiryNote(tc.asked, at); got != tc.want {
			t.Errorf("%+v asked %v: %q, want %q", tc.res, tc.asked, got, tc.want)
		}
	}
}
