package mock_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client/mock"
)

// conn is the part of the spec's Connection the tests look at.
type conn struct {
	ID         string  `json:"id"`
	ServiceID  string  `json:"service_id"`
	Name       string  `json:"name"`
	UnifiedAPI string  `json:"unified_api"`
	State      string  `json:"state"`
	Health     string  `json:"health"`
	Enabled    bool    `json:"enabled"`
	CreatedAt  int64   `json:"created_at"`
	UpdatedAt  *int64  `json:"updated_at"`
	AuthType   string  `json:"auth_type"`
	Authorize  *string `json:"authorize_url"`
}

func decodeEnvelope[T any](t *testing.T, a answer, status int) T {
	t.Helper()
	if a.status != status {
		t.Fatalf("status %d, want %d: %s", a.status, status, a.body)
	}
	var env struct {
		StatusCode *int    `json:"status_code"`
		Status     *string `json:"status"`
		Data       *T      `json:"data"`
	}
	if err := json.Unmarshal(a.body, &env); err != nil {
		t.Fatalf("body %s: %v", a.body, err)
	}
	// status_code, status and data are required by every response schema.
	if env.StatusCode == nil || *env.StatusCode != status || env.Status == nil || env.Data == nil {
		t.Fatalf("envelope %s lacks status_code/status/data", a.body)
	}
	return *env.Data
}

var keyHeaders = []string{
	"Authorization", "Bearer sk_test_key",
	"x-apideck-app-id", "app-1",
	"x-apideck-consumer-id", "consumer-1",
	"Content-Type", "application/json",
}

func added(list []conn) []conn {
	var out []conn
	for _, c := range list {
		if c.State != mock.StateAvailable {
			out = append(out, c)
		}
	}
	return out
}

func find(t *testing.T, list []conn, id string) conn {
	t.Helper()
	for _, c := range list {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no %s in %+v", id, list)
	return conn{}
}

// authorizeAt posts the customer's answer to a connection's authorize_url,
// as `curl -d allow=1 AUTHORIZE_URL` does.
func authorizeAt(t *testing.T, srv http.Handler, authorizeURL, allow string) answer {
	t.Helper()
	path, ok := strings.CutPrefix(authorizeURL, "http://mock.test")
	if !ok || !strings.HasPrefix(path, mock.AuthorizePath) {
		t.Fatalf("authorize_url %q is not the demo's", authorizeURL)
	}
	return do(t, srv, "POST", path, "allow="+allow, "Content-Type", "application/x-www-form-urlencoded")
}

// A connection added through the API is added and stays so, however long
// it waits, until its customer authorizes it on its authorize_url (the
// spec's /vault/authorize/{service_id}/{application_id}?state=): a Deny
// leaves it waiting, an Allow (allow=1) authorizes it, and the connection
// check makes it callable 6 s later. The link is spent once the
// connection is removed.
func TestAddedConnectionWaitsForTheCustomer(t *testing.T) {
	t.Parallel()
	clock := mock.NewClock(fixedNow)
	srv := mock.New(mock.WithClock(clock.Now))

	c := decodeEnvelope[conn](t, do(t, srv, "POST", "/vault/connections/crm/salesforce", `{}`, keyHeaders...), 200)
	if c.ID != "crm+salesforce" || c.Name != "Salesforce" || c.UnifiedAPI != "crm" || c.State != "added" ||
		c.Health != "needs_auth" || !c.Enabled || c.CreatedAt != fixedNow.UnixMilli() || c.AuthType != "oauth2" ||
		c.Authorize == nil || !strings.HasPrefix(*c.Authorize, "http://mock.test/vault/authorize/salesforce/app-1?state=") {
		t.Fatalf("added = %+v (authorize_url %v)", c, c.Authorize)
	}
	state := func() conn {
		t.Helper()
		return find(t, decodeEnvelope[[]conn](t, do(t, srv, "GET", "/vault/connections", "", keyHeaders...), 200), "crm+salesforce")
	}
	clock.Advance(time.Hour)
	if got := state(); got.State != "added" || got.Health != "needs_auth" {
		t.Fatalf("an hour later, nobody having signed in: %s/%s, want added/needs_auth", got.State, got.Health)
	}

	// The sign-in screen, marked DEMO, says who asks for what.
	page := do(t, srv, "GET", strings.TrimPrefix(*c.Authorize, "http://mock.test"), "")
	if page.status != 200 || !strings.Contains(string(page.body), "Sign in to Salesforce to let Apideck Vault read your CRM") ||
		!strings.Contains(string(page.body), "<strong>DEMO</strong>") || !strings.Contains(string(page.body), `name="allow" value="1"`) {
		t.Errorf("authorize page: %d\n%s", page.status, page.body)
	}
	if a := authorizeAt(t, srv, *c.Authorize, "0"); a.status != 200 || state().State != "added" {
		t.Errorf("Deny: %d, state %s; want the connection still added", a.status, state().State)
	}
	got := decodeEnvelope[conn](t, authorizeAt(t, srv, *c.Authorize, "1"), 200)
	if got.State != "authorized" || got.Health != "ok" || got.Authorize != nil {
		t.Errorf("after Allow: %+v, want authorized with no authorize_url left", got)
	}
	for _, step := range []struct {
		after         time.Duration
		state, health string
	}{
		{5 * time.Second, "authorized", "ok"},
		{1 * time.Second, "callable", "ok"},
		{time.Hour, "callable", "ok"},
	} {
		clock.Advance(step.after)
		if got := state(); got.State != step.state || got.Health != step.health {
			t.Errorf("%s after Allow: %s/%s, want %s/%s", step.after, got.State, got.Health, step.state, step.health)
		}
	}
	one := decodeEnvelope[conn](t, do(t, srv, "GET", "/vault/connections/crm/salesforce", "", keyHeaders...), 200)
	if one.UpdatedAt == nil || *one.UpdatedAt != fixedNow.Add(time.Hour+6*time.Second).UnixMilli() {
		t.Errorf("updated_at = %v, want when it became callable", one.UpdatedAt)
	}

	// Allow again does nothing more; once the connection is removed the
	// link is spent.
	if a := authorizeAt(t, srv, *c.Authorize, "1"); a.status != 200 {
		t.Errorf("Allow twice: %d %s", a.status, a.body)
	}
	do(t, srv, "DELETE", "/vault/connections/crm/salesforce", "", keyHeaders...)
	if a := authorizeAt(t, srv, *c.Authorize, "1"); a.status != 404 {
		t.Errorf("Allow after DELETE: %d %s", a.status, a.body)
	}
	// A state made up, or moved to another connector, opens nothing.
	for _, forged := range []string{
		strings.Replace(*c.Authorize, "/salesforce/", "/hubspot/", 1),
		strings.Replace(*c.Authorize, "/app-1?", "/app-2?", 1),
		*c.Authorize + "x",
	} {
		if a := authorizeAt(t, srv, forged, "1"); a.status != 404 {
			t.Errorf("forged %s: %d", forged, a.status)
		}
	}
	if a := authorizeAt(t, srv, *c.Authorize, "yes"); a.status != 404 && a.status != 400 {
		t.Errorf("allow=yes: %d", a.status)
	}
}

// Through the Vault page's own route (the session token as the bearer),
// an OAuth connector stays unauthorized until its authorize_url page is
// completed, and the page named in redirect_uri gets the browser back; a
// connector with an API key waits with health missing_settings for its
// settings, which the page's form sends with PATCH.
func TestSessionAddedConnectionWaitsForItsAuthorizeStep(t *testing.T) {
	t.Parallel()
	clock := mock.NewClock(fixedNow)
	srv := mock.New(mock.WithClock(clock.Now))
	token := createSession(t, srv, `{"theme":{"vault_name":"Acme"},"settings":{"unified_apis":["crm","hris"]}}`)
	page := "http://mock.test" + mock.SessionPagePath + token
	session := []string{"Authorization", "Bearer " + token, "x-apideck-auth-type", "JWT", "Content-Type", "application/json"}

	c := decodeEnvelope[conn](t, do(t, srv, "POST", "/vault/connections/crm/salesforce", `{}`, session...), 200)
	clock.Advance(10 * time.Minute)
	if got := decodeEnvelope[conn](t, do(t, srv, "GET", "/vault/connections/crm/salesforce", "", session...), 200); got.State != "added" || c.Authorize == nil {
		t.Fatalf("ten minutes after + Add: %+v, want added with an authorize_url", got)
	}
	path := strings.TrimPrefix(*c.Authorize, "http://mock.test") + "&redirect_uri=" + url.QueryEscape(page)
	screen := do(t, srv, "GET", path, "")
	if !strings.Contains(string(screen.body), "Sign in to Salesforce to let Acme Vault read your CRM") {
		t.Errorf("the sign-in screen does not say who asks:\n%s", screen.body)
	}
	back := do(t, srv, "POST", path, "allow=1", "Content-Type", "application/x-www-form-urlencoded", "Accept", "text/html")
	if back.status != http.StatusSeeOther || back.header.Get("Location") != page {
		t.Errorf("Allow: %d to %q, want 303 back to the session page", back.status, back.header.Get("Location"))
	}
	if got := decodeEnvelope[conn](t, do(t, srv, "GET", "/vault/connections/crm/salesforce", "", session...), 200); got.State != "authorized" {
		t.Errorf("after Allow: %s, want authorized", got.State)
	}
	// A redirect_uri elsewhere is not followed.
	elsewhere := strings.TrimPrefix(*c.Authorize, "http://mock.test") + "&redirect_uri=" + url.QueryEscape("https://evil.example/")
	if a := do(t, srv, "POST", elsewhere, "allow=1", "Content-Type", "application/x-www-form-urlencoded", "Accept", "text/html"); a.status != 200 || a.header.Get("Location") != "" {
		t.Errorf("redirect_uri elsewhere: %d to %q, want the page itself", a.status, a.header.Get("Location"))
	}

	bamboo := decodeEnvelope[conn](t, do(t, srv, "POST", "/vault/connections/hris/bamboohr", `{}`, session...), 200)
	if bamboo.State != "added" || bamboo.Health != "missing_settings" || bamboo.Authorize != nil {
		t.Errorf("BambooHR added: %+v, want added, missing_settings, no authorize_url", bamboo)
	}
	if got := decodeEnvelope[conn](t, do(t, srv, "PATCH", "/vault/connections/hris/bamboohr", `{"settings":{"api_key":" "}}`, session...), 200); got.State != "added" {
		t.Errorf("a blank API key authorized it: %+v", got)
	}
	if got := decodeEnvelope[conn](t, do(t, srv, "PATCH", "/vault/connections/hris/bamboohr", `{"settings":{"api_key":"demo-key"}}`, session...), 200); got.State != "authorized" || got.Health != "ok" {
		t.Errorf("with its API key: %+v, want authorized", got)
	}
}

func TestConnectionListOffersWellKnownServicesByName(t *testing.T) {
	t.Parallel()
	srv := mock.New(mock.WithFixedTime(fixedNow))
	list := decodeEnvelope[[]conn](t, do(t, srv, "GET", "/vault/connections", "", keyHeaders...), 200)
	names := map[string]string{}
	for _, c := range list {
		if c.State != "available" || c.Enabled || c.UpdatedAt != nil {
			t.Errorf("fresh consumer has %+v", c)
		}
		names[c.ID] = c.Name
	}
	for id, name := range map[string]string{
		"crm+salesforce": "Salesforce", "crm+hubspot": "HubSpot", "crm+pipedrive": "Pipedrive",
		"hris+bamboohr": "BambooHR", "hris+personio": "Personio", "accounting+xero": "Xero",
		"accounting+quickbooks": "QuickBooks", "accounting+exact-online": "Exact Online",
		"file-storage+google-drive": "Google Drive",
	} {
		if names[id] != name {
			t.Errorf("%s is named %q, want %q", id, names[id], name)
		}
	}
	crm := decodeEnvelope[[]conn](t, do(t, srv, "GET", "/vault/connections?api=crm", "", keyHeaders...), 200)
	for _, c := range crm {
		if c.UnifiedAPI != "crm" {
			t.Errorf("api=crm lists %s", c.ID)
		}
	}
	if len(crm) == 0 || len(crm) >= len(list) {
		t.Errorf("api=crm: %d of %d", len(crm), len(list))
	}
	// A unified API with no connector is an empty list, as the spec's
	// array: null made the client say the answer could not be read.
	if a := do(t, srv, "GET", "/vault/connections?api=crn", "", keyHeaders...); a.status != 200 || !strings.Contains(string(a.body), `"data":[]`) {
		t.Errorf("api=crn: %d %s, want 200 and data []", a.status, a.body)
	}
	none := decodeEnvelope[[]conn](t, do(t, srv, "GET", "/vault/connections?configured=false", "", keyHeaders...), 200)
	if len(none) != 0 {
		t.Errorf("configured=false lists %d", len(none))
	}
	errorFields(t, do(t, srv, "GET", "/vault/connections?configured=maybe", "", keyHeaders...))
	// x-apideck-consumer-id is optional here: the app's integrations, none added.
	noConsumer := decodeEnvelope[[]conn](t, do(t, srv, "GET", "/vault/connections", "",
		"Authorization", "Bearer k", "x-apideck-app-id", "app-1"), 200)
	if len(noConsumer) != len(list) || len(added(noConsumer)) != 0 {
		t.Errorf("without a consumer: %d connections, %d added", len(noConsumer), len(added(noConsumer)))
	}
}

func TestAnyServiceIDOfAnAllowedAPI(t *testing.T) {
	t.Parallel()
	srv := mock.New(mock.WithFixedTime(fixedNow))
	c := decodeEnvelope[conn](t, do(t, srv, "POST", "/vault/connections/crm/acme-crm_2", `{"enabled":false}`, keyHeaders...), 200)
	if c.Name != "Acme Crm 2" || c.Enabled || c.State != "added" {
		t.Errorf("unknown service = %+v", c)
	}
	// hubspot is well known under crm; under lead it keeps its name.
	if c := decodeEnvelope[conn](t, do(t, srv, "POST", "/vault/connections/lead/hubspot", `{}`, keyHeaders...), 200); c.Name != "HubSpot" {
		t.Errorf("lead/hubspot named %q", c.Name)
	}
	list := decodeEnvelope[[]conn](t, do(t, srv, "GET", "/vault/connections", "", keyHeaders...), 200)
	if got := len(added(list)); got != 2 {
		t.Errorf("%d added, want 2", got)
	}
	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/vault/connections/telepathy/x", 404},
		{"/vault/connections/crm/Not%20An%20Id", 404},
		{"/vault/connections/crm/" + strings.Repeat("a", 65), 404},
		{"/vault/connections/crm", 404},
		{"/vault/connections/crm/salesforce/leads/config", 404},
	} {
		a := do(t, srv, "POST", tc.path, `{}`, keyHeaders...)
		if a.status != tc.status {
			t.Errorf("POST %s: %d, want %d", tc.path, a.status, tc.status)
		}
		errorFields(t, a)
	}
}

func TestConnectionBodies(t *testing.T) {
	t.Parallel()
	srv := mock.New(mock.WithFixedTime(fixedNow))
	for _, tc := range []struct {
		body   string
		status int
	}{
		{"", 400},
		{"{", 400},
		{"[]", 422},
		{`{"enabled":"yes"}`, 422},
		{`{"settings":[1]}`, 422},
		{`{"metadata":"x"}`, 422},
	} {
		a := do(t, srv, "POST", "/vault/connections/crm/pipedrive", tc.body, keyHeaders...)
		if a.status != tc.status {
			t.Errorf("body %q: %d, want %d (%s)", tc.body, a.status, tc.status, a.body)
		}
		errorFields(t, a)
	}
	// What the spec's own example sends is accepted (read-only and
	// consent fields are ignored).
	example := `{"enabled":true,"settings":{"instance_url":"https://eu28.salesforce.com"},"metadata":{"plan":"enterprise"},
		"configuration":[{"resource":"leads","defaults":[]}],"custom_mappings":[{"value":"$.root"}],"consent_state":"granted"}`
	decodeEnvelope[conn](t, do(t, srv, "POST", "/vault/connections/crm/pipedrive", example, keyHeaders...), 200)
	again := do(t, srv, "POST", "/vault/connections/crm/pipedrive", `{}`, keyHeaders...)
	if again.status != 422 {
		t.Errorf("adding twice: %d", again.status)
	}
	errorFields(t, again)
}

func TestPatchAndDeleteConnection(t *testing.T) {
	t.Parallel()
	clock := mock.NewClock(fixedNow)
	srv := mock.New(mock.WithClock(clock.Now))
	if a := do(t, srv, "PATCH", "/vault/connections/crm/hubspot", `{"enabled":false}`, keyHeaders...); a.status != 404 {
		t.Errorf("PATCH before POST: %d", a.status)
	}
	hubspot := decodeEnvelope[conn](t, do(t, srv, "POST", "/vault/connections/crm/hubspot", `{}`, keyHeaders...), 200)
	authorizeAt(t, srv, *hubspot.Authorize, "1")
	clock.Advance(20 * time.Second)
	c := decodeEnvelope[conn](t, do(t, srv, "PATCH", "/vault/connections/crm/hubspot", `{"enabled":false}`, keyHeaders...), 200)
	if c.Enabled || c.State != "callable" || c.UpdatedAt == nil || *c.UpdatedAt != clock.Now().UnixMilli() {
		t.Errorf("patched = %+v", c)
	}
	a := do(t, srv, "DELETE", "/vault/connections/crm/hubspot", "", keyHeaders...)
	if a.status != http.StatusNoContent || len(a.body) != 0 {
		t.Errorf("DELETE: %d %s", a.status, a.body)
	}
	if c := decodeEnvelope[conn](t, do(t, srv, "GET", "/vault/connections/crm/hubspot", "", keyHeaders...), 200); c.State != "available" {
		t.Errorf("after DELETE: %+v", c)
	}
	if a := do(t, srv, "DELETE", "/vault/connections/crm/hubspot", "", keyHeaders...); a.status != 404 {
		t.Errorf("second DELETE: %d", a.status)
	}
	if a := do(t, srv, "GET", "/vault/connections/crm/nobody-knows", "", keyHeaders...); a.status != 404 {
		t.Errorf("GET of an unknown service not added: %d", a.status)
	}
	if a := do(t, srv, "PUT", "/vault/connections/crm/hubspot", "{}", keyHeaders...); a.status != 405 || a.header.Get("Allow") == "" {
		t.Errorf("PUT: %d Allow %q", a.status, a.header.Get("Allow"))
	}
	if a := do(t, srv, "POST", "/vault/connections", "{}", keyHeaders...); a.status != 405 {
		t.Errorf("POST list: %d", a.status)
	}
}

// createSession makes a session for app-1/consumer-1 and returns its token.
func createSession(t *testing.T, srv http.Handler, body string) string {
	t.Helper()
	return decodeCreated(t, post(t, srv, body, goodHeaders...)).Data.SessionToken
}

// The hosted Vault page calls the API with the session token as bearer;
// the consumer and the allowed unified APIs come from the token.
func TestSessionTokenOpensItsConsumer(t *testing.T) {
	t.Parallel()
	clock := mock.NewClock(fixedNow)
	srv := mock.New(mock.WithClock(clock.Now))
	token := createSession(t, srv, `{"settings":{"unified_apis":["crm"],"session_length":"30m"}}`)
	pageHeaders := []string{
		"Authorization", "Bearer " + token,
		"x-apideck-app-id", "app-1", "x-apideck-consumer-id", "consumer-1",
		"x-apideck-auth-type", "JWT", "Content-Type", "application/json",
	}
	onlyToken := []string{"Authorization", "Bearer " + token}

	decodeEnvelope[conn](t, do(t, srv, "POST", "/vault/connections/crm/hubspot", `{}`, pageHeaders...), 200)
	decodeEnvelope[conn](t, do(t, srv, "POST", "/vault/connections/crm/salesforce", `{}`, onlyToken...), 200)
	if a := do(t, srv, "POST", "/vault/connections/hris/bamboohr", `{}`, onlyToken...); a.status != 422 {
		t.Errorf("API outside the session: %d %s", a.status, a.body)
	}
	viaToken := decodeEnvelope[[]conn](t, do(t, srv, "GET", "/vault/connections", "", onlyToken...), 200)
	for _, c := range viaToken {
		if c.UnifiedAPI != "crm" {
			t.Errorf("the session offers crm only, the list has %s", c.ID)
		}
	}
	// The API key sees the same consumer's connections.
	viaKey := decodeEnvelope[[]conn](t, do(t, srv, "GET", "/vault/connections", "", keyHeaders...), 200)
	if got := len(added(viaKey)); got != 2 {
		t.Errorf("via the API key: %d added, want 2", got)
	}
	other := append([]string{}, keyHeaders...)
	other[5] = "consumer-2"
	if got := len(added(decodeEnvelope[[]conn](t, do(t, srv, "GET", "/vault/connections", "", other...), 200))); got != 0 {
		t.Errorf("another consumer sees %d", got)
	}

	for name, headers := range map[string][]string{
		"other consumer header": {"Authorization", "Bearer " + token, "x-apideck-consumer-id", "consumer-2"},
		"other app header":      {"Authorization", "Bearer " + token, "x-apideck-app-id", "app-2"},
		"forged token":          {"Authorization", "Bearer " + token[:len(token)-2] + "xx", "x-apideck-auth-type", "JWT"},
		"no bearer":             {"x-apideck-app-id", "app-1", "x-apideck-consumer-id", "consumer-1"},
	} {
		a := do(t, srv, "GET", "/vault/connections", "", headers...)
		if a.status != 401 {
			t.Errorf("%s: %d", name, a.status)
		}
		errorFields(t, a)
	}
	if a := do(t, srv, "GET", "/vault/consumers/consumer-2", "", onlyToken...); a.status != 404 {
		t.Errorf("a token reading another consumer: %d", a.status)
	}
	clock.Advance(31 * time.Minute)
	a := do(t, srv, "GET", "/vault/connections", "", onlyToken...)
	if a.status != 401 || !strings.Contains(string(a.body), "expired") {
		t.Errorf("expired token: %d %s", a.status, a.body)
	}
}

func TestConnectionHeaders(t *testing.T) {
	t.Parallel()
	srv := mock.New(mock.WithAPIKey("sk_right"))
	a := do(t, srv, "POST", "/vault/connections/crm/hubspot", `{}`, "Authorization", "Bearer sk_right", "x-apideck-app-id", "app-1")
	m := errorFields(t, a)
	if a.status != 400 || m["message"] != "Missing Header: x-apideck-consumer-id" {
		t.Errorf("no consumer: %d %v", a.status, m["message"])
	}
	if a := do(t, srv, "GET", "/vault/connections", "", "Authorization", "Bearer sk_wrong", "x-apideck-app-id", "app-1"); a.status != 401 {
		t.Errorf("wrong key: %d", a.status)
	}
	if a := do(t, srv, "GET", "/vault/connections", "", "Authorization", "Bearer sk_right"); a.status != 400 {
		t.Errorf("no app: %d", a.status)
	}
}

type consumerConn struct {
	ID        string  `json:"id"`
	Name      string  `json:"name"`
	State     string  `json:"state"`
	Health    string  `json:"health"`
	CreatedAt string  `json:"created_at"`
	UpdatedAt *string `json:"updated_at"`
}

type consumer struct {
	ConsumerID    string            `json:"consumer_id"`
	ApplicationID string            `json:"application_id"`
	Metadata      map[string]string `json:"metadata"`
	Connections   []consumerConn    `json:"connections"`
	Services      []string          `json:"services"`
}

func TestConsumer(t *testing.T) {
	t.Parallel()
	clock := mock.NewClock(fixedNow)
	srv := mock.New(mock.WithClock(clock.Now))
	a := do(t, srv, "GET", "/vault/consumers/consumer-1", "", keyHeaders...)
	if a.status != 404 {
		t.Fatalf("unknown consumer: %d", a.status)
	}
	errorFields(t, a)
	createSession(t, srv, `{"consumer_metadata":{"account_name":"Acme","user_name":"Jane"}}`)
	srv.ScriptConnection("app-1", "consumer-1", "hris", "personio",
		mock.ConnectionStep{State: "added", Health: "needs_auth"},
		mock.ConnectionStep{After: time.Minute, State: "callable", Health: "ok"})
	clock.Advance(2 * time.Minute)
	c := decodeEnvelope[consumer](t, do(t, srv, "GET", "/vault/consumers/consumer-1", "", "Authorization", "Bearer k", "x-apideck-app-id", "app-1"), 200)
	if c.ConsumerID != "consumer-1" || c.ApplicationID != "app-1" || c.Metadata["account_name"] != "Acme" ||
		len(c.Connections) != 1 || len(c.Services) != 1 || c.Services[0] != "personio" {
		t.Fatalf("consumer = %+v", c)
	}
	cc := c.Connections[0]
	if cc.Name != "Personio" || cc.State != "callable" || cc.CreatedAt != "2025-06-01T09:00:00.000Z" ||
		cc.UpdatedAt == nil || *cc.UpdatedAt != "2025-06-01T09:01:00.000Z" {
		t.Errorf("consumer connection = %+v", cc)
	}
	if a := do(t, srv, "POST", "/vault/consumers/consumer-1", "{}", keyHeaders...); a.status != 405 {
		t.Errorf("POST consumer: %d", a.status)
	}
}

// A scripted journey can visit every state and every health value of the
// spec, and values the spec does not have yet.
func TestScriptedJourney(t *testing.T) {
	t.Parallel()
	clock := mock.NewClock(fixedNow)
	srv := mock.New(mock.WithClock(clock.Now))
	journey := []mock.ConnectionStep{
		{After: 10 * time.Second, State: "added", Health: "needs_auth"},
		{After: 20 * time.Second, State: "invalid", Health: "missing_settings"},
		{After: 30 * time.Second, State: "authorized", Health: "needs_consent"},
		{After: 40 * time.Second, State: "authorized", Health: "pending_confirmation"},
		{After: 50 * time.Second, State: "callable", Health: "ok"},
		{After: 60 * time.Second, State: "callable", Health: "pending_refresh"},
		{After: 70 * time.Second, State: "callable", Health: "degraded"},
		{After: 80 * time.Second, State: "callable", Health: "revoked", Disabled: true},
		{After: 90 * time.Second, State: "paused", Health: "on_fire"},
	}
	srv.ScriptConnection("app-1", "consumer-1", "accounting", "xero", journey...)
	got := find(t, decodeEnvelope[[]conn](t, do(t, srv, "GET", "/vault/connections", "", keyHeaders...), 200), "accounting+xero")
	if got.State != "available" {
		t.Errorf("before its first step: %+v", got)
	}
	for _, step := range journey {
		clock.Advance(10 * time.Second)
		got := find(t, decodeEnvelope[[]conn](t, do(t, srv, "GET", "/vault/connections?api=accounting", "", keyHeaders...), 200), "accounting+xero")
		if got.State != step.State || got.Health != step.Health || got.Enabled == step.Disabled {
			t.Errorf("at %s: %s/%s enabled %v, want %+v", step.After, got.State, got.Health, got.Enabled, step)
		}
	}
}

func TestScriptedConnectionFailures(t *testing.T) {
	t.Parallel()
	srv := mock.New(mock.WithFixedTime(fixedNow))
	srv.FailNextConnections(429, 1, "Retry-After", "7")
	srv.ScriptConnections(mock.Answer{Status: 503})
	a := do(t, srv, "GET", "/vault/connections", "", keyHeaders...)
	if a.status != 429 || a.header.Get("Retry-After") != "7" {
		t.Errorf("first: %d Retry-After %q", a.status, a.header.Get("Retry-After"))
	}
	errorFields(t, a)
	if a := do(t, srv, "GET", "/vault/consumers/consumer-1", "", keyHeaders...); a.status != 503 {
		t.Errorf("second: %d", a.status)
	}
	// Session scripts and connection scripts do not take each other's turn.
	srv.FailNext(500, 1)
	decodeEnvelope[[]conn](t, do(t, srv, "GET", "/vault/connections", "", keyHeaders...), 200)
	if srv.Pending() != 1 {
		t.Errorf("pending = %d", srv.Pending())
	}
}

func TestConnectionsConcurrently(t *testing.T) {
	t.Parallel()
	srv := mock.New()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			service := "svc-" + string(rune('a'+i))
			do(t, srv, "POST", "/vault/connections/crm/"+service, `{}`, keyHeaders...)
			do(t, srv, "GET", "/vault/connections", "", keyHeaders...)
			do(t, srv, "PATCH", "/vault/connections/crm/"+service, `{"enabled":false}`, keyHeaders...)
		}()
	}
	wg.Wait()
	list := decodeEnvelope[[]conn](t, do(t, srv, "GET", "/vault/connections", "", keyHeaders...), 200)
	if got := len(added(list)); got != 8 {
		t.Errorf("%d added, want 8", got)
	}
}

// FuzzConnectionBody: whatever a POST or PATCH carries, the demo answers
// as the spec says (200, or a 400/422 error body), never 5xx or a panic.
func FuzzConnectionBody(f *testing.F) {
	for _, s := range []string{"", "{}", `{"enabled":false}`, `{"settings":null,"metadata":{}}`, "[]", "{", `{"enabled":"x"}`, "null", `"str"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		srv := mock.New(mock.WithFixedTime(fixedNow))
		for _, method := range []string{"POST", "PATCH"} {
			a := do(t, srv, method, "/vault/connections/crm/salesforce", body, keyHeaders...)
			switch a.status {
			case 200:
				decodeEnvelope[conn](t, a, 200)
			case 400, 422:
				errorFields(t, a)
			default:
				t.Fatalf("%s %q: %d %s", method, body, a.status, a.body)
			}
		}
	})
}
