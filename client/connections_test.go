package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/model"
)

// specConnections is a GetConnectionsResponse built from the spec's own
// examples (what Prism's mock answers), with every field it shows.
const specConnections = `{
  "status_code": 200, "status": "OK",
  "data": [{
    "id": "crm+salesforce", "service_id": "salesforce", "name": "Salesforce",
    "tag_line": "CRM software solutions and enterprise cloud computing from Salesforce.",
    "unified_api": "crm", "state": "authorized", "integration_state": "configured",
    "auth_type": "oauth2", "oauth_grant_type": "authorization_code", "status": "live",
    "enabled": true, "website": "https://www.salesforce.com",
    "icon": "https://res.cloudinary.com/apideck/image/upload/v1529456047/catalog/salesforce/icon128x128.png",
    "logo": "https://c1.sfdcstatic.com/content/dam/web/en_us/www/images/home/logo-salesforce-m.svg",
    "authorize_url": "https://unify.apideck.com/vault/authorize/salesforce/<application-id>?state=<state>",
    "revoke_url": "https://unify.apideck.com/vault/revoke/salesforce/<application-id>?state=<state>",
    "settings": {"instance_url": "https://eu28.salesforce.com", "api_key": "12345xxxxxx"},
    "metadata": {"account": {"name": "My Company", "id": "c01458a5-7276-41ce-bc19-639906b0450a"}, "plan": "enterprise"},
    "form_fields": [{"id": "instance_url", "label": "Instance url", "type": "text", "required": true}],
    "configuration": [{"resource": "leads", "defaults": [{"id": "ProductInterest", "value": "GC5000 series"}]}],
    "configurable_resources": ["opportunities", "companies", "contacts", "leads"],
    "has_guide": true, "consent_state": "granted", "health": "ok",
    "credentials_expire_at": 1730172800000, "last_refresh_failed_at": 1730000000000,
    "last_downstream_error_at": 1730000000000,
    "created_at": 1615563533390, "updated_at": 1616662325753
  }],
  "_raw": null
}`

// specConsumer is a GetConsumerResponse from the spec's examples: its
// ConsumerConnection has ISO 8601 timestamps where Connection has numbers.
const specConsumer = `{
  "status_code": 200, "status": "OK",
  "data": {
    "consumer_id": "test_consumer_id", "application_id": "dSBdXd2H6Mqwfg0atXHXYcysLJE9qyn1VwBtXHX",
    "metadata": {"account_name": "SpaceX", "user_name": "Elon Musk", "email": "elon@musk.com", "image": "https://www.spacex.com/static/images/share.jpg"},
    "connections": [{
      "id": "1111+test_user_id", "name": "Salesforce", "service_id": "teamleader", "unified_api": "crm",
      "consumer_id": "test_user_id", "auth_type": "oauth2", "enabled": true,
      "settings": {"instance_url": "https://eu28.salesforce.com"},
      "created_at": "2020-09-19T12:18:37.071Z", "updated_at": "2020-09-19T12:18:37.071Z",
      "state": "authorized", "health": "ok", "credentials_expire_at": null, "last_refresh_failed_at": null
    }],
    "services": ["salesforce", "stripe"],
    "aggregated_request_count": 101,
    "request_counts": {"unify": 100, "proxy": 10, "vault": 21},
    "created": "2021-05-07T12:55:42.242Z", "modified": "2021-05-07T12:55:42.242Z",
    "request_count_updated": "2021-05-07T12:55:42.242Z"
  },
  "meta": {"items_on_page": 50}
}`

func TestConnectionsReadsTheSpecShape(t *testing.T) {
	var got *http.Request
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		got = r.Clone(context.Background())
		reply(200, "application/json", specConnections)(w, r)
	})
	c, _ := newTestClient(srv.URL)
	list, err := c.Connections(context.Background(), testCreds, "crm")
	if err != nil {
		t.Fatal(err)
	}
	if got.Method != http.MethodGet || got.URL.Path != "/vault/connections" || got.URL.RawQuery != "api=crm" {
		t.Errorf("request %s %s", got.Method, got.URL)
	}
	for name, want := range map[string]string{
		"Authorization":         "Bearer " + testKey,
		"x-apideck-app-id":      "app-123",
		"x-apideck-consumer-id": "consumer-42",
		"Accept":                "application/json",
		"User-Agent":            c.UserAgent(),
	} {
		if v := got.Header.Get(name); v != want {
			t.Errorf("%s = %q, want %q", name, v, want)
		}
	}
	if len(list) != 1 {
		t.Fatalf("%d connections", len(list))
	}
	want := Connection{
		ID: "crm+salesforce", ServiceID: "salesforce", Name: "Salesforce", UnifiedAPI: "crm",
		State: StateAuthorized, Health: HealthOK, Enabled: model.Bool(true),
		CreatedAt: time.UnixMilli(1615563533390).UTC(), UpdatedAt: time.UnixMilli(1616662325753).UTC(),
	}
	if !equalConnection(list[0], want) {
		t.Errorf("got  %+v\nwant %+v", list[0], want)
	}
	if list[0].Key() != "crm/salesforce" || !list[0].Since().Equal(want.UpdatedAt) {
		t.Errorf("Key %q Since %v", list[0].Key(), list[0].Since())
	}
}

func equalConnection(a, b Connection) bool {
	if (a.Enabled == nil) != (b.Enabled == nil) || (a.Enabled != nil && *a.Enabled != *b.Enabled) {
		return false
	}
	a.Enabled, b.Enabled = nil, nil
	return a.CreatedAt.Equal(b.CreatedAt) && a.UpdatedAt.Equal(b.UpdatedAt) &&
		a.ID == b.ID && a.ServiceID == b.ServiceID && a.Name == b.Name && a.UnifiedAPI == b.UnifiedAPI &&
		a.State == b.State && a.Health == b.Health
}

func TestConsumerReadsTheSpecShape(t *testing.T) {
	var path string
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		path = r.URL.EscapedPath()
		reply(200, "application/json", specConsumer)(w, r)
	})
	c, _ := newTestClient(srv.URL)
	got, err := c.Consumer(context.Background(), testCreds, "acct/42 x")
	if err != nil {
		t.Fatal(err)
	}
	if path != "/vault/consumers/acct%2F42%20x" {
		t.Errorf("path %q: the consumer id must be one escaped segment", path)
	}
	iso := time.Date(2020, 9, 19, 12, 18, 37, 71e6, time.UTC)
	if got.ConsumerID != "test_consumer_id" || got.Metadata.AccountName != "SpaceX" || len(got.Services) != 2 ||
		!got.Created.Equal(time.Date(2021, 5, 7, 12, 55, 42, 242e6, time.UTC)) || len(got.Connections) != 1 {
		t.Fatalf("consumer = %+v", got)
	}
	cc := got.Connections[0]
	if cc.State != StateAuthorized || cc.Health != HealthOK || !cc.CreatedAt.Equal(iso) || !cc.UpdatedAt.Equal(iso) ||
		cc.Enabled == nil || !*cc.Enabled || cc.ServiceID != "teamleader" {
		t.Errorf("connection = %+v", cc)
	}
}

// A newer API may send states and health values this client does not know,
// or leave fields out or null: the list still reads, and what came is kept.
func TestConnectionsKeepUnknownValues(t *testing.T) {
	body := `{"status_code":200,"status":"OK","data":[
		{"id":"crm+x","service_id":"x","unified_api":"crm","state":"paused","health":"on_fire","enabled":null,"created_at":null,"updated_at":"not a time"},
		{"id":"hris+personio","state":7,"name":["not","text"],"created_at":-5},
		"not an object",
		{"id":"crm+y","state":"callable","health":"ok","enabled":false,"created_at":0,"updated_at":"2025-01-02"}
	]}`
	srv, _ := serve(t, reply(200, "application/json", body))
	c, _ := newTestClient(srv.URL)
	list, err := c.Connections(context.Background(), testCreds, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 3 {
		t.Fatalf("%d connections: %+v", len(list), list)
	}
	if list[0].State != "paused" || list[0].State.Known() || list[0].Health != "on_fire" || list[0].Health.Known() ||
		list[0].Enabled != nil || !list[0].CreatedAt.IsZero() || !list[0].UpdatedAt.IsZero() {
		t.Errorf("unknown values: %+v", list[0])
	}
	if list[1].State != "" || list[1].Name != "" || list[1].UnifiedAPI != "hris" || list[1].ServiceID != "personio" ||
		list[1].DisplayName() != "personio" || !list[1].CreatedAt.IsZero() {
		t.Errorf("wrong types: %+v", list[1])
	}
	if !list[2].State.Known() || list[2].Enabled == nil || *list[2].Enabled || !list[2].CreatedAt.IsZero() ||
		!list[2].UpdatedAt.Equal(time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("third: %+v", list[2])
	}
}

func TestConnectionsErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
		check   func(error) bool
	}{
		{"401", reply(401, "application/json", `{"status_code":401,"error":"Unauthorized","type_name":"UnauthorizedError","message":"Unauthorized Request","detail":"Invalid key `+testKey+`"}`),
			func(err error) bool {
				var e *APIError
				return errors.As(err, &e) && e.StatusCode == 401 && !strings.Contains(string(e.Body), testKey) && !strings.Contains(e.DetailText(), testKey)
			}},
		{"html 200", reply(200, "text/html", "<html><title>Proxy login</title></html>"),
			func(err error) bool {
				var e *InvalidResponseError
				return errors.As(err, &e) && strings.Contains(e.Error(), "Proxy login")
			}},
		{"data not a list", reply(200, "application/json", `{"data":{"id":"x"}}`),
			func(err error) bool {
				var e *InvalidResponseError
				return errors.As(err, &e) && e.Operation == "list connections"
			}},
		{"no data", reply(200, "application/json", `{"status_code":200}`),
			func(err error) bool { var e *InvalidResponseError; return errors.As(err, &e) }},
		{"too large", reply(200, "application/json", `{"data":[`+strings.Repeat(`{"id":"a"},`, MaxBodySize/10)+`{}]}`),
			func(err error) bool { var e *InvalidResponseError; return errors.As(err, &e) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := serve(t, tc.handler)
			c, _ := newTestClient(srv.URL, WithRetryPolicy(NoRetry()))
			_, err := c.Connections(context.Background(), testCreds, "")
			if err == nil || !tc.check(err) {
				t.Errorf("err = %T %v", err, err)
			}
		})
	}
}

func TestConnectionsRetryLikeCreate(t *testing.T) {
	srv, seq := serve(t,
		reply(503, "application/json", `{}`),
		reply(429, "application/json", `{}`, "Retry-After", "3"),
		reply(200, "application/json", `{"data":[]}`),
	)
	c, clock := newTestClient(srv.URL)
	list, err := c.Connections(context.Background(), testCreds, "")
	if err != nil || len(list) != 0 || list == nil {
		t.Fatalf("list %v err %v", list, err)
	}
	if seq.Calls() != 3 {
		t.Errorf("%d calls", seq.Calls())
	}
	if w := clock.Waits(); len(w) != 2 || w[0] != 500*time.Millisecond || w[1] != 3*time.Second {
		t.Errorf("waits %v", w)
	}
}

// A poller that does its own backing off takes a copy without retries and
// reads the wait the API asked for from the error.
func TestWithNoRetryKeepsRetryAfter(t *testing.T) {
	srv, seq := serve(t, reply(429, "application/json", `{"status_code":429}`, "Retry-After", "60"))
	base, _ := newTestClient(srv.URL)
	poller := base.With(WithRetryPolicy(NoRetry()))
	_, err := poller.Connections(context.Background(), testCreds, "")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.RetryAfter != time.Minute || seq.Calls() != 1 {
		t.Errorf("err %v RetryAfter %v calls %d", err, apiErr, seq.Calls())
	}
	if base.retry.MaxAttempts != DefaultRetryPolicy().MaxAttempts {
		t.Error("With changed the original client")
	}
}

func TestConsumerErrors(t *testing.T) {
	srv, _ := serve(t, reply(404, "application/json", `{"status_code":404,"type_name":"EntityNotFoundError","message":"Consumer not found"}`))
	c, _ := newTestClient(srv.URL)
	_, err := c.Consumer(context.Background(), testCreds, "nobody")
	var e *APIError
	if !errors.As(err, &e) || e.StatusCode != 404 {
		t.Errorf("err = %v", err)
	}
	srv2, _ := serve(t, reply(200, "application/json", `{"data":null}`))
	c2, _ := newTestClient(srv2.URL)
	if _, err := c2.Consumer(context.Background(), testCreds, "x"); err == nil {
		t.Error("data null accepted")
	}
}

func TestConnectionMarshalsForScripts(t *testing.T) {
	c := Connection{ID: "crm+x", ServiceID: "x", UnifiedAPI: "crm", State: "paused", Enabled: model.Bool(false),
		UpdatedAt: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"crm+x","service_id":"x","name":"","unified_api":"crm","state":"paused","enabled":false,"updated_at":"2025-01-02T03:04:05Z"}`
	if string(data) != want {
		t.Errorf("got  %s\nwant %s", data, want)
	}
}

func FuzzDecodeConnections(f *testing.F) {
	f.Add([]byte(specConnections))
	f.Add([]byte(specConsumer))
	f.Add([]byte(`{"data":[{"created_at":1e400,"updated_at":"9999-99-99","enabled":"yes"}]}`))
	f.Add([]byte(`{"data":[null,1,"x",{"id":"+"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var envelope struct {
			Data []json.RawMessage `json:"data"`
		}
		if json.Unmarshal(body, &envelope) != nil {
			return
		}
		for _, c := range decodeConnections(envelope.Data) {
			if _, err := json.Marshal(c); err != nil {
				t.Fatalf("a decoded connection does not encode: %v", err)
			}
			_ = c.Since()
			_ = c.DisplayName()
		}
		var consumer Consumer
		_ = consumer.UnmarshalJSON(body)
	})
}

// BenchmarkDecodeConnectionList reads a list of 85 connections as the spec
// shows them, what every poll of a watch and every consumer of health
// reads.
func BenchmarkDecodeConnectionList(b *testing.B) {
	var envelope struct{ Data []json.RawMessage }
	if err := json.Unmarshal([]byte(specConnections), &envelope); err != nil {
		b.Fatal(err)
	}
	items := make([]string, 85)
	for i := range items {
		items[i] = string(envelope.Data[0])
	}
	body := []byte(`{"status_code":200,"status":"OK","data":[` + strings.Join(items, ",") + `]}`)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if list, ok := decodeConnectionList(body); !ok || len(list) != 85 {
			b.Fatal(ok, len(list))
		}
	}
}

// jsonString reads a plain ASCII string without encoding/json; whatever
// the bytes, it says what encoding/json says (a value that is not a
// string is "").
func FuzzJSONString(f *testing.F) {
	for _, s := range []string{`"abc"`, `""`, `"a\"b"`, `"a\\b"`, `"é"`, `"\u00e9"`, "\"tab\t\"", `"\ud800"`,
		`null`, `12`, `"x`, ` "x"`, `"x" `, `"a" "b"`, "\"\x7f\"", "\"\xff\""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var want string
		if json.Unmarshal(raw, &want) != nil {
			want = ""
		}
		if got := jsonString(raw); got != want {
			t.Errorf("jsonString(%q) = %q, encoding/json reads %q", raw, got, want)
		}
	})
}
