package mock_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/client/mock/mocktest"
	"github.com/apideck-samples/vault-session/model"
)

var fixedNow = time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)

type answer struct {
	status int
	header http.Header
	body   []byte
}

// post sends a session request the way the client does, with headers given
// as name/value pairs (a nil value leaves the header out).
func post(t *testing.T, h http.Handler, body string, headers ...string) answer {
	t.Helper()
	return do(t, h, http.MethodPost, mock.SessionsPath, body, headers...)
}

var goodHeaders = []string{
	"Authorization", "Bearer sk_test_key",
	"x-apideck-app-id", "app-1",
	"x-apideck-consumer-id", "consumer-1",
	"Content-Type", "application/json",
}

func do(t *testing.T, h http.Handler, method, path, body string, headers ...string) answer {
	t.Helper()
	req := httptest.NewRequest(method, "http://mock.test"+path, strings.NewReader(body))
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Header().Get(mock.DemoHeader) != "true" {
		t.Errorf("%s %s: no %s header", method, path, mock.DemoHeader)
	}
	return answer{rec.Code, rec.Header(), rec.Body.Bytes()}
}

// errorFields decodes an error body and checks it has the spec's shape.
func errorFields(t *testing.T, a answer) map[string]any {
	t.Helper()
	if ct := a.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q", ct)
	}
	var m map[string]any
	if err := json.Unmarshal(a.body, &m); err != nil {
		t.Fatalf("body %s: %v", a.body, err)
	}
	for _, key := range []string{"status_code", "error", "type_name", "message", "ref"} {
		if _, ok := m[key]; !ok {
			t.Errorf("error body %s has no %q", a.body, key)
		}
	}
	if m["status_code"] != float64(a.status) {
		t.Errorf("status_code %v in a %d answer", m["status_code"], a.status)
	}
	return m
}

func jsonEqual(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("got %s: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want %s: %v", want, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("body =\n%s\nwant\n%s", got, want)
	}
}

type created struct {
	StatusCode int    `json:"status_code"`
	Status     string `json:"status"`
	Data       struct {
		SessionURI   string `json:"session_uri"`
		SessionToken string `json:"session_token"`
	} `json:"data"`
}

func decodeCreated(t *testing.T, a answer) created {
	t.Helper()
	if a.status != http.StatusOK {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	var c created
	dec := json.NewDecoder(bytes.NewReader(a.body))
	dec.DisallowUnknownFields() // CreateSessionResponse is additionalProperties: false
	if err := dec.Decode(&c); err != nil {
		t.Fatalf("body %s: %v", a.body, err)
	}
	if c.StatusCode != 200 || c.Status != "OK" || c.Data.SessionToken == "" {
		t.Errorf("created = %+v", c)
	}
	return c
}

func TestCreateSession(t *testing.T) {
	t.Parallel()
	srv := mock.New(mock.WithFixedTime(fixedNow))
	body := `{
		"consumer_metadata": {"account_name": "SpaceX", "user_name": "Elon Musk", "email": "elon@musk.com", "image": "https://www.spacex.com/static/images/share.jpg"},
		"redirect_uri": "https://mysaas.com/dashboard",
		"settings": {"unified_apis": ["crm", "hris"], "session_length": "30m", "sandbox_mode": true, "show_logs": false, "allow_actions": []},
		"theme": {"vault_name": "Intercom", "primary_color": "#286efa"},
		"custom_consumer_settings": {"feature_flag_1": true, "tax_rates": [{"id": "6", "label": "6%"}]}
	}`
	c := decodeCreated(t, post(t, srv, body, goodHeaders...))
	if c.Data.SessionURI != "http://mock.test/session/"+c.Data.SessionToken {
		t.Errorf("session_uri = %q, want the mock's own address", c.Data.SessionURI)
	}
	claims, err := client.DecodeJWTClaims(c.Data.SessionToken)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"consumer_id":    "consumer-1",
		"application_id": "app-1",
		"consumer_metadata": map[string]any{
			"account_name": "SpaceX", "user_name": "Elon Musk", "email": "elon@musk.com",
			"image": "https://www.spacex.com/static/images/share.jpg",
		},
		"redirect_uri": "https://mysaas.com/dashboard",
		"theme":        map[string]any{"vault_name": "Intercom", "primary_color": "#286efa"},
		"settings": map[string]any{
			"unified_apis": []any{"crm", "hris"}, "session_length": "30m",
			"sandbox_mode": true, "show_logs": false, "allow_actions": []any{},
		},
		"iat": float64(fixedNow.Unix()),
		"exp": float64(fixedNow.Add(30 * time.Minute).Unix()),
	}
	if !reflect.DeepEqual(claims, want) {
		t.Errorf("claims =\n%#v\nwant\n%#v", claims, want)
	}
}

func TestTokenIsHS256(t *testing.T) {
	t.Parallel()
	secret := []byte("test-secret")
	srv := mock.New(mock.WithSecret(secret), mock.WithFixedTime(fixedNow))
	token := decodeCreated(t, post(t, srv, "", goodHeaders...)).Data.SessionToken
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts", len(parts))
	}
	header, _ := base64.RawURLEncoding.DecodeString(parts[0])
	var h map[string]any
	if json.Unmarshal(header, &h) != nil || h["alg"] != "HS256" || h["typ"] != "JWT" {
		t.Errorf("header = %s", header)
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(parts[0] + "." + parts[1]))
	if want := base64.RawURLEncoding.EncodeToString(mac.Sum(nil)); parts[2] != want {
		t.Errorf("signature %s, want HMAC-SHA256 %s", parts[2], want)
	}
	if _, err := srv.VerifyToken(token); err != nil {
		t.Errorf("VerifyToken: %v", err)
	}
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"consumer_id":"evil"}`)) + "." + parts[2]
	if _, err := srv.VerifyToken(tampered); err == nil {
		t.Error("VerifyToken accepted a changed payload")
	}
	if _, err := mock.New().VerifyToken(token); err == nil {
		t.Error("a mock with another key accepted the token")
	}
	// The fixed clock makes tokens reproducible.
	again := decodeCreated(t, post(t, mock.New(mock.WithSecret(secret), mock.WithFixedTime(fixedNow)), "", goodHeaders...))
	if again.Data.SessionToken != token {
		t.Error("same clock, key and request gave another token")
	}
}

func TestExpiryFollowsSessionLength(t *testing.T) {
	t.Parallel()
	srv := mock.New(mock.WithFixedTime(fixedNow))
	for _, tc := range []struct {
		body string
		want time.Duration
	}{
		{``, time.Hour},
		{`{}`, time.Hour},
		{`{"settings":{}}`, time.Hour},
		{`{"settings":{"session_length":"30m"}}`, 30 * time.Minute},
		{`{"settings":{"session_length":"1h30m"}}`, 90 * time.Minute},
		{`{"settings":{"session_length":"1d"}}`, 24 * time.Hour},
		{`{"settings":{"session_length":"1w"}}`, 7 * 24 * time.Hour},
	} {
		token := decodeCreated(t, post(t, srv, tc.body, goodHeaders...)).Data.SessionToken
		claims, err := srv.VerifyToken(token)
		if err != nil {
			t.Fatal(err)
		}
		if got := time.Duration(claims.ExpiresAt-claims.IssuedAt) * time.Second; got != tc.want || claims.IssuedAt != fixedNow.Unix() {
			t.Errorf("%s: iat %d, exp-iat %v; want %d, %v", tc.body, claims.IssuedAt, got, fixedNow.Unix(), tc.want)
		}
	}
}

func TestUnauthorized(t *testing.T) {
	t.Parallel()
	const spec = `{"status_code":401,"error":"Unauthorized","type_name":"UnauthorizedError","message":"Unauthorized Request","detail":"Missing authentication","ref":"https://developers.apideck.com/errors#unauthorizederror"}`
	srv := mock.New()
	for _, auth := range []string{"", "Bearer", "Bearer   ", "Basic dXNlcjpwYXNz", "sk_test_key"} {
		a := post(t, srv, "{}", "Authorization", auth, "x-apideck-app-id", "a", "x-apideck-consumer-id", "c")
		if a.status != 401 {
			t.Errorf("Authorization %q: status %d, want 401", auth, a.status)
			continue
		}
		errorFields(t, a)
		jsonEqual(t, a.body, spec)
	}
	// The scheme is case-insensitive, as in HTTP.
	if a := post(t, srv, "{}", "Authorization", "bearer k", "x-apideck-app-id", "a", "x-apideck-consumer-id", "c"); a.status != 200 {
		t.Errorf("lower-case bearer: status %d", a.status)
	}

	only := mock.New(mock.WithAPIKey("sk_right"))
	if a := post(t, only, "{}", "Authorization", "Bearer sk_wrong", "x-apideck-app-id", "a", "x-apideck-consumer-id", "c"); a.status != 401 {
		t.Errorf("wrong key: status %d, want 401", a.status)
	} else if m := errorFields(t, a); m["type_name"] != "UnauthorizedError" {
		t.Errorf("wrong key: %s", a.body)
	}
	if a := post(t, only, "{}", "Authorization", "Bearer sk_right", "x-apideck-app-id", "a", "x-apideck-consumer-id", "c"); a.status != 200 {
		t.Errorf("right key: status %d", a.status)
	}
}

func TestMissingHeaders(t *testing.T) {
	t.Parallel()
	srv := mock.New()
	for _, tc := range []struct {
		headers []string
		message string
		missing []string
	}{
		{[]string{"Authorization", "Bearer k", "x-apideck-consumer-id", "c"}, "Missing Header: x-apideck-app-id", []string{"x-apideck-app-id"}},
		{[]string{"Authorization", "Bearer k", "x-apideck-app-id", "a"}, "Missing Header: x-apideck-consumer-id", []string{"x-apideck-consumer-id"}},
		{[]string{"Authorization", "Bearer k", "x-apideck-app-id", " ", "x-apideck-consumer-id", "c"}, "Missing Header: x-apideck-app-id", []string{"x-apideck-app-id"}},
		{[]string{"Authorization", "Bearer k"}, "Missing Header: x-apideck-app-id", []string{"x-apideck-app-id", "x-apideck-consumer-id"}},
	} {
		a := post(t, srv, "{}", tc.headers...)
		if a.status != 400 {
			t.Errorf("%v: status %d, want 400", tc.headers, a.status)
			continue
		}
		m := errorFields(t, a)
		if m["type_name"] != "RequestHeadersValidationError" || m["message"] != tc.message {
			t.Errorf("%v: %s", tc.headers, a.body)
		}
		var missing []string
		for _, entry := range m["detail"].(map[string]any)["missing"].([]any) {
			for name, v := range entry.(map[string]any) {
				if v == "required" {
					missing = append(missing, name)
				}
			}
		}
		if !reflect.DeepEqual(missing, tc.missing) {
			t.Errorf("%v: detail names %v, want %v", tc.headers, missing, tc.missing)
		}
	}
}

func TestInvalidJSON(t *testing.T) {
	t.Parallel()
	srv := mock.New()
	for _, body := range []string{`{`, `{"settings": }`, `{"a":1}}`, "not json", `{"redirect_uri": "x",}`} {
		a := post(t, srv, body, goodHeaders...)
		if a.status != 400 {
			t.Errorf("%q: status %d, want 400", body, a.status)
			continue
		}
		m := errorFields(t, a)
		if m["type_name"] != "RequestValidationError" || m["message"] != "Invalid JSON body" {
			t.Errorf("%q: %s", body, a.body)
		}
		if d, _ := m["detail"].(string); !strings.Contains(d, "line 1") && !strings.Contains(d, "JSON") {
			t.Errorf("%q: detail %q does not say where", body, d)
		}
	}
}

func TestValidation(t *testing.T) {
	t.Parallel()
	srv := mock.New()
	for _, tc := range []struct {
		body    string
		path    string
		message string // part of the problem's message
	}{
		// Unknown properties at every closed level.
		{`{"foo": 1}`, "foo", "unknown property"},
		{`{"consumer_metadata": {"phone": "1"}}`, "consumer_metadata.phone", "unknown property"},
		{`{"settings": {"hide_consumer_card": true}}`, "settings.hide_consumer_card", "unknown property"},
		{`{"theme": {"font": "Inter"}}`, "theme.font", "unknown property"},
		// Wrong types.
		{`[]`, "body", "expected an object, got an array"},
		{`"x"`, "body", "expected an object, got a string"},
		{`null`, "body", "expected an object, got null"},
		{`{"redirect_uri": 5}`, "redirect_uri", "expected a string, got a number"},
		{`{"settings": {"sandbox_mode": "yes"}}`, "settings.sandbox_mode", "expected true or false, got a string"},
		{`{"settings": {"unified_apis": "crm"}}`, "settings.unified_apis", "expected an array, got a string"},
		{`{"settings": {"unified_apis": [1]}}`, "settings.unified_apis[0]", "expected a string, got a number"},
		{`{"theme": null}`, "theme", "expected an object, got null"},
		{`{"settings": {"session_length": 3600}}`, "settings.session_length", "expected a string, got a number"},
		{`{"custom_consumer_settings": [1]}`, "custom_consumer_settings", "expected an object, got an array"},
		// Enums and the session length.
		{`{"settings": {"unified_apis": ["crm", "crn"]}}`, "settings.unified_apis[1]", `"crn" is not a unified API id`},
		{`{"settings": {"allow_actions": ["delete", "remove"]}}`, "settings.allow_actions[1]", `"remove" is not one of delete, disconnect, reauthorize, disable`},
		{`{"settings": {"session_length": "2w"}}`, "settings.session_length", "over 1 week"},
		{`{"settings": {"session_length": "soon"}}`, "settings.session_length", "not understood"},
	} {
		a := post(t, srv, tc.body, goodHeaders...)
		if a.status != 422 {
			t.Errorf("%s: status %d, want 422 (%s)", tc.body, a.status, a.body)
			continue
		}
		m := errorFields(t, a)
		msg, _ := m["message"].(string)
		if m["type_name"] != "ValidationError" || m["error"] != "Unprocessable Entity" || !strings.HasPrefix(msg, tc.path+": ") || !strings.Contains(msg, tc.message) {
			t.Errorf("%s: type %v, message %q; want ValidationError naming %s and saying %q", tc.body, m["type_name"], msg, tc.path, tc.message)
		}
		problems := m["detail"].(map[string]any)["errors"].([]any)
		if first := problems[0].(map[string]any); first["path"] != tc.path {
			t.Errorf("%s: detail %v, want path %s", tc.body, problems, tc.path)
		}
	}
}

func TestValidationReportsEveryProblem(t *testing.T) {
	t.Parallel()
	a := post(t, mock.New(), `{"settings": {"x": 1, "unified_apis": ["nope"]}, "theme": {"y": 2}}`, goodHeaders...)
	m := errorFields(t, a)
	var paths []string
	for _, p := range m["detail"].(map[string]any)["errors"].([]any) {
		paths = append(paths, p.(map[string]any)["path"].(string))
	}
	want := []string{"settings.unified_apis[0]", "settings.x", "theme.y"}
	if !reflect.DeepEqual(paths, want) || !strings.HasSuffix(m["message"].(string), "(and 2 more)") {
		t.Errorf("paths %v, message %q; want %v and a count", paths, m["message"], want)
	}
}

func TestAcceptsWhatTheSpecAllows(t *testing.T) {
	t.Parallel()
	srv := mock.New()
	for _, body := range []string{
		``, ` `, `{}`,
		`{"custom_consumer_settings": {"anything": {"nested": [1, null, true]}}}`,
		`{"settings": {"unified_apis": [], "allow_actions": []}}`,
		`{"settings": {"hide_resource_settings": false, "isolation_mode": true, "show_suggestions": true, "show_sidebar": false, "auto_redirect": true, "hide_guides": true}}`,
		`{"theme": {"favicon": "f", "logo": "l", "primary_color": "red", "sidepanel_background_color": "#fff", "sidepanel_text_color": "#000", "privacy_url": "p", "terms_url": "t"}}`,
	} {
		if a := post(t, srv, body, goodHeaders...); a.status != 200 {
			t.Errorf("%s: status %d: %s", body, a.status, a.body)
		}
	}
}

func TestRoutes(t *testing.T) {
	t.Parallel()
	srv := mock.New()
	for _, tc := range []struct {
		method, path string
		status       int
		allow        string
	}{
		{"GET", "/", 404, ""},
		{"POST", "/vault/session", 404, ""},
		{"POST", "/vault/sessions/x", 404, ""},
		{"GET", "/vault/sessions", 405, "POST"},
		{"PUT", "/vault/sessions", 405, "POST"},
		{"DELETE", "/vault/sessions", 405, "POST"},
		{"POST", "/session/abc", 405, "GET, HEAD"},
	} {
		a := do(t, srv, tc.method, tc.path, "{}", goodHeaders...)
		if a.status != tc.status || a.header.Get("Allow") != tc.allow {
			t.Errorf("%s %s: %d Allow %q, want %d Allow %q", tc.method, tc.path, a.status, a.header.Get("Allow"), tc.status, tc.allow)
			continue
		}
		errorFields(t, a)
	}
}

// The demo takes a body up to the one limit on session bodies, what
// --from reads and a create sends, and answers 413 over it.
func TestRequestBodyTooLarge(t *testing.T) {
	t.Parallel()
	srv := mock.New()
	for _, tc := range []struct {
		size   int
		status int
	}{
		{model.MaxSessionBody, http.StatusOK},
		{model.MaxSessionBody + 1, http.StatusRequestEntityTooLarge},
	} {
		prefix, suffix := `{"custom_consumer_settings":{"x":"`, `"}}`
		body := prefix + strings.Repeat("a", tc.size-len(prefix)-len(suffix)) + suffix
		if a := post(t, srv, body, goodHeaders...); a.status != tc.status {
			t.Errorf("a body of %d bytes: status %d, want %d", len(body), a.status, tc.status)
		}
	}
}

// The log of requests keeps at most 64 MiB of bodies: a long demo of
// large bodies does not grow without bound.
// The log keeps 64 MiB of bodies, sixteen of the largest (4 MiB). The
// bound is the same code at any size, so a 64 KiB bound is filled with
// 4 KiB bodies: sixteen kept out of twenty, as before, for a thousandth of
// the JSON to decode (80 MiB took 14 s under -race).
func TestRequestLogIsBounded(t *testing.T) {
	t.Parallel()
	if got := mock.New().KeptBytes(); got != 64<<20 {
		t.Errorf("the log keeps %d bytes of bodies, want 64 MiB", got)
	}
	const kept = 64 << 10
	srv := mock.New(mock.WithKeptBytes(kept))
	body := `{"custom_consumer_settings":{"x":"` + strings.Repeat("a", 4<<10-40) + `"}}`
	for range 20 {
		post(t, srv, body, goodHeaders...)
	}
	total := 0
	for _, r := range srv.Requests() {
		total += len(r.Body)
	}
	if n := len(srv.Requests()); total > kept || n != 16 {
		t.Errorf("%d requests of %d KiB kept, %d bytes in all; want the last 16", n, len(body)>>10, total)
	}
}

func TestSessionPage(t *testing.T) {
	t.Parallel()
	now := fixedNow
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	srv := mock.New(mock.WithClock(clock))
	c := decodeCreated(t, post(t, srv, `{"theme":{"vault_name":"Acme <b>"}}`, goodHeaders...))
	path := strings.TrimPrefix(c.Data.SessionURI, "http://mock.test")

	page := do(t, srv, "GET", path, "")
	html := string(page.body)
	if page.status != 200 || !strings.HasPrefix(page.header.Get("Content-Type"), "text/html") {
		t.Fatalf("status %d, %s", page.status, page.header.Get("Content-Type"))
	}
	for _, want := range []string{`<meta name="vault-session" content="demo">`, "DEMO: not Apideck", "consumer-1",
		"<title>Acme &lt;b&gt; Vault</title>", "Manage your integrations", "What this session carries"} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q:\n%s", want, html)
		}
	}
	if strings.Contains(html, "<b>") {
		t.Error("the page does not escape the token's text")
	}
	if strings.Contains(html, c.Data.SessionToken) {
		t.Error("the page holds the session token; its script reads it from the URL")
	}
	if !strings.Contains(html, `id="expired-modal" hidden`) {
		t.Error("a fresh session's page shows the expired modal")
	}
	if page.header.Get("Referrer-Policy") != "no-referrer" {
		t.Error("links from the page would send the session URL (with its token) as Referer")
	}

	if a := do(t, srv, "GET", "/session/not-a-token", ""); a.status != 401 || !strings.Contains(string(a.body), "Session invalid") {
		t.Errorf("bad token: %d %s", a.status, a.body)
	}
	mu.Lock()
	now = now.Add(2 * time.Hour)
	mu.Unlock()
	if a := do(t, srv, "GET", path, ""); a.status != 401 || !strings.Contains(string(a.body), "Session expired") || strings.Contains(string(a.body), `id="expired-modal" hidden`) {
		t.Errorf("expired token: %d %s", a.status, a.body)
	}
}

func TestRequestsAreRecorded(t *testing.T) {
	t.Parallel()
	srv := mock.New()
	post(t, srv, `{"redirect_uri":"https://x.example"}`, goodHeaders...)
	post(t, srv, `{"nope":1}`, goodHeaders...)
	do(t, srv, "GET", "/elsewhere", "")

	reqs := srv.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests recorded, want 3", len(reqs))
	}
	first := reqs[0]
	if first.Method != "POST" || first.Path != mock.SessionsPath || first.Status != 200 ||
		first.APIKey != "sk_test_key" || first.Header.Get("Authorization") != "Bearer ****" ||
		first.Header.Get("X-Apideck-App-Id") != "app-1" || string(first.Body) != `{"redirect_uri":"https://x.example"}` ||
		first.Session == nil || first.Session.RedirectURI != "https://x.example" {
		t.Errorf("first request = %+v", first)
	}
	if reqs[1].Status != 422 || reqs[1].Session != nil {
		t.Errorf("second request = %+v", reqs[1])
	}
	if reqs[2].Status != 404 || reqs[2].Method != "GET" || reqs[2].APIKey != "" {
		t.Errorf("third request = %+v", reqs[2])
	}
	for _, r := range reqs {
		if strings.Contains(fmt.Sprint(r.Header), "sk_test_key") {
			t.Errorf("recorded headers show the key: %v", r.Header)
		}
	}
	// Copies: changing them changes nothing in the mock.
	reqs[0].Body[0] = 'X'
	reqs[0].Header.Set("X-Apideck-App-Id", "changed")
	reqs[0].Session.RedirectURI = "changed"
	again := srv.Requests()[0]
	if again.Body[0] != '{' || again.Header.Get("X-Apideck-App-Id") != "app-1" || again.Session.RedirectURI != "https://x.example" {
		t.Error("Requests returned shared data")
	}
}

func TestConcurrentRequests(t *testing.T) {
	t.Parallel()
	srv, base := mocktest.Start(t)
	srv.FailNext(503, 5)
	var wg sync.WaitGroup
	statuses := make(chan int, 20)
	for range 20 {
		wg.Go(func() {
			req, _ := http.NewRequest("POST", base+mock.SessionsPath, strings.NewReader("{}"))
			for i := 0; i < len(goodHeaders); i += 2 {
				req.Header.Set(goodHeaders[i], goodHeaders[i+1])
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			statuses <- resp.StatusCode
			srv.Requests()
			srv.Pending()
		})
	}
	wg.Wait()
	close(statuses)
	count := map[int]int{}
	for s := range statuses {
		count[s]++
	}
	if count[503] != 5 || count[200] != 15 || len(srv.Requests()) != 20 {
		t.Errorf("statuses %v with %d recorded, want 5×503 and 15×200", count, len(srv.Requests()))
	}
}

func TestScript(t *testing.T) {
	t.Parallel()
	srv := mock.New()
	srv.FailNext(429, 1, "Retry-After", "2")
	srv.Script(
		mock.Answer{Status: 502, Header: http.Header{"Content-Type": {"text/html"}}, Body: []byte("<html>bad gateway</html>")},
		mock.Answer{Header: http.Header{"X-Extra": {"1"}}}, // answered normally
	)
	srv.FailNext(422, 1)
	if srv.Pending() != 4 {
		t.Errorf("Pending = %d, want 4", srv.Pending())
	}

	a := post(t, srv, "{}", goodHeaders...)
	if a.status != 429 || a.header.Get("Retry-After") != "2" {
		t.Errorf("first: %d Retry-After %q", a.status, a.header.Get("Retry-After"))
	}
	jsonEqual(t, a.body, string(mock.ErrorBody(429)))

	a = post(t, srv, "{}", goodHeaders...)
	if a.status != 502 || a.header.Get("Content-Type") != "text/html" || string(a.body) != "<html>bad gateway</html>" {
		t.Errorf("second: %d %s %s", a.status, a.header.Get("Content-Type"), a.body)
	}
	a = post(t, srv, "{}", goodHeaders...)
	if a.status != 200 || a.header.Get("X-Extra") != "1" {
		t.Errorf("third: %d X-Extra %q", a.status, a.header.Get("X-Extra"))
	}
	// A scripted answer comes before the API's own rules, even for a
	// request they would refuse.
	a = post(t, srv, "{}")
	if a.status != 422 {
		t.Errorf("fourth: %d, want the scripted 422", a.status)
	}
	jsonEqual(t, a.body, string(mock.ErrorBody(422)))
	if a := post(t, srv, "{}"); a.status != 401 || srv.Pending() != 0 {
		t.Errorf("after the script: %d with %d pending, want 401 and 0", a.status, srv.Pending())
	}
	// The session page does not use up scripted answers.
	srv.FailNext(500, 1)
	do(t, srv, "GET", "/session/x", "")
	if srv.Pending() != 1 {
		t.Error("a page request used a scripted answer")
	}
}

func TestFailNextOddHeaderPanics(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Error("no panic for an odd header list")
		}
	}()
	mock.New().FailNext(503, 1, "Retry-After")
}

func TestScriptedHangUpAndDelay(t *testing.T) {
	t.Parallel()
	srv, base := mocktest.Start(t)
	c := client.New(client.WithBaseURL(base), client.WithRetryPolicy(client.NoRetry()))
	creds := client.Credentials{APIKey: "k", AppID: "a", ConsumerID: "c"}

	srv.Script(mock.Answer{HangUp: true})
	_, err := c.Create(context.Background(), creds, model.Session{})
	var connErr *client.ConnectionError
	if !errors.As(err, &connErr) {
		t.Errorf("hang-up: err = %v (%T), want a ConnectionError", err, err)
	}

	srv.Script(mock.Answer{Delay: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := c.Create(ctx, creds, model.Session{}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("delay: err = %v, want the deadline", err)
	}
}

func TestErrorBodiesFollowTheSpec(t *testing.T) {
	t.Parallel()
	for status, want := range map[int]string{
		400: `{"status_code":400,"error":"Bad Request","type_name":"RequestValidationError","message":"Invalid Params","detail":"Missing property foobar","ref":"https://developers.apideck.com/errors#requestvalidationerror"}`,
		401: `{"status_code":401,"error":"Unauthorized","type_name":"UnauthorizedError","message":"Unauthorized Request","detail":"Missing authentication","ref":"https://developers.apideck.com/errors#unauthorizederror"}`,
		402: `{"status_code":402,"error":"Payment Required","type_name":"RequestLimitError","message":"Request Limit Reached","detail":"You have reached your limit of 2000","ref":"https://developers.apideck.com/errors#requestlimiterror"}`,
		404: `{"status_code":404,"error":"Not Found","type_name":"EntityNotFoundError","message":"Unknown Widget","detail":"Could not find widget with id: '123'","ref":"https://developers.apideck.com/errors#entitynotfounderror"}`,
		422: `{"status_code":422,"error":"Unprocessable Entity","type_name":"InvalidStateError","message":"Invalid State","detail":{"error":"Unprocessable","message":"Unprocessable request, please verify your request headers and body."},"ref":"https://developers.apideck.com/errors#invalidstateerror"}`,
	} {
		jsonEqual(t, mock.ErrorBody(status), want)
	}
	for _, status := range []int{408, 429, 500, 502, 503, 504, 599} {
		var m map[string]any
		if err := json.Unmarshal(mock.ErrorBody(status), &m); err != nil || m["status_code"] != float64(status) || m["type_name"] == "" || m["message"] == "" {
			t.Errorf("ErrorBody(%d) = %s", status, mock.ErrorBody(status))
		}
	}
}

func TestStart(t *testing.T) {
	t.Parallel()
	srv, url, stop, err := mock.Start(mock.WithFixedTime(fixedNow))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Errorf("url = %q", url)
	}
	c := client.New(client.WithBaseURL(url), client.WithRetryPolicy(client.NoRetry()))
	res, err := c.Create(context.Background(), client.Credentials{APIKey: "k", AppID: "a", ConsumerID: "c"}, model.Session{})
	if err != nil {
		t.Fatal(err)
	}
	if res.URL != url+"/session/"+res.Token || len(srv.Requests()) != 1 {
		t.Errorf("URL %q, %d requests", res.URL, len(srv.Requests()))
	}
	resp, err := http.Get(res.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("session page: %d", resp.StatusCode)
	}

	stop()
	stop() // twice is fine
	_, err = c.Create(context.Background(), client.Credentials{APIKey: "k", AppID: "a", ConsumerID: "c"}, model.Session{})
	if !errors.As(err, new(*client.ConnectionError)) {
		t.Errorf("after stop: err = %v, want a ConnectionError", err)
	}
}

func BenchmarkStart(b *testing.B) {
	for b.Loop() {
		_, _, stop, err := mock.Start()
		if err != nil {
			b.Fatal(err)
		}
		stop()
	}
}

func BenchmarkCreateSession(b *testing.B) {
	srv := mock.New()
	body := `{"settings":{"unified_apis":["crm"],"session_length":"30m"},"theme":{"vault_name":"Acme"}}`
	for b.Loop() {
		req := httptest.NewRequest("POST", mock.SessionsPath, strings.NewReader(body))
		for i := 0; i < len(goodHeaders); i += 2 {
			req.Header.Set(goodHeaders[i], goodHeaders[i+1])
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}

// FuzzSessionBody checks the mock answers any body with 200, 400 or 422,
// and that a 200 carries a token it can verify.
func FuzzSessionBody(f *testing.F) {
	for _, seed := range []string{
		``, `{}`, `{"settings":{"session_length":"1w"}}`, `{"settings":{"unified_apis":["crm",1]}}`,
		`{"theme":{"x":null}}`, `[`, `{"custom_consumer_settings":{"a":1e999}}`, `{"redirect_uri":"\u0000"}`,
		`{"settings":{"allow_actions":null}}`, `{"consumer_metadata":{"email":"a@b.c"}} `,
	} {
		f.Add(seed)
	}
	srv := mock.New()
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", mock.SessionsPath, strings.NewReader(body))
		for i := 0; i < len(goodHeaders); i += 2 {
			req.Header.Set(goodHeaders[i], goodHeaders[i+1])
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		switch rec.Code {
		case 200:
			var c created
			if err := json.Unmarshal(rec.Body.Bytes(), &c); err != nil {
				t.Fatalf("200 body %s: %v", rec.Body, err)
			}
			if _, err := srv.VerifyToken(c.Data.SessionToken); err != nil {
				t.Fatalf("token: %v", err)
			}
		case 400, 422:
			var m map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil || m["message"] == "" {
				t.Fatalf("%d body %s", rec.Code, rec.Body)
			}
		default:
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
	})
}

// Standing in for Apideck's API, the mock does not say it is a demo.
func TestWithoutDemoHeader(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	mock.New(mock.WithoutDemoHeader()).ServeHTTP(rec, httptest.NewRequest("GET", "http://mock.test/nowhere", nil))
	if v, ok := rec.Header()[mock.DemoHeader]; ok {
		t.Fatalf("%s: %q", mock.DemoHeader, v)
	}
}
