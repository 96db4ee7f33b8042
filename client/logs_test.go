package client

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// specLogs is a GetLogsResponse from the spec's Log example, with every
// field the schema requires.
const specLogs = `{
  "status_code": 200, "status": "OK",
  "data": [{
    "api_style": "REST", "base_url": "unify.apideck.com", "child_request": false,
    "consumer_id": "test-consumer", "duration": 2220.379304, "error_message": "Refresh token is invalid",
    "execution": 2248, "has_children": false, "http_method": "GET",
    "id": "0b5f7480-5550-4f5c-a5fc-3c01ac43dd0f", "latency": 27.620695999999953,
    "operation": {"id": "connectionsAll", "name": "Get All Connections"},
    "parent_id": "0b5f7480-5550-4f5c-a5fc-3c01ac43dd0f", "path": "/vault/connections", "sandbox": false,
    "service": {"id": "apideck-vault", "name": "Apideck Vault"}, "source_ip": "94.227.131.238",
    "status_code": 200, "success": true, "timestamp": "2021-07-12T14:26:17.420Z", "unified_api": "vault"
  }],
  "meta": {"items_on_page": 50, "cursors": {"previous": null, "current": "em9oby1jcm06OnBhZ2U6OjI=", "next": "em9oby1jcm06OnBhZ2U6OjM="}},
  "links": {"previous": null, "current": "https://unify.apideck.com/vault/logs", "next": "https://unify.apideck.com/vault/logs?cursor=em9oby1jcm06OnBhZ2U6OjM"}
}`

func TestLogsPageSendsTheFilter(t *testing.T) {
	var rec recorder
	srv, _ := serve(t, rec.wrap(reply(200, "application/json", specLogs)))
	c, _ := newTestClient(srv.URL)
	since := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	q := LogQuery{
		ConsumerID: "globex-17", StatusCodes: []int{401, 500}, Path: "/accounting", PathMatch: "STARTS_WITH",
		Methods: []string{"get"}, Since: since, Until: since.Add(24 * time.Hour), ConnectorID: "accounting+quickbooks",
		ExcludeUnifiedAPIs: []string{"vault", "proxy"}, Limit: 50,
	}
	if _, err := c.LogsPage(context.Background(), testCreds, q, "c1"); err != nil {
		t.Fatal(err)
	}
	got := rec.last()
	want := map[string][]string{
		"filter[status_codes]":         {"401", "500"},
		"filter[path]":                 {"/accounting"},
		"filter[path_match_mode]":      {"STARTS_WITH"},
		"filter[http_method]":          {"GET"},
		"filter[start_date]":           {"2024-01-01T00:00:00.000Z"},
		"filter[end_date]":             {"2024-01-02T00:00:00.000Z"},
		"filter[connector_id]":         {"accounting+quickbooks"},
		"filter[exclude_unified_apis]": {"vault,proxy"},
		"cursor":                       {"c1"},
		"limit":                        {"50"},
	}
	if got.URL.Path != "/vault/logs" || !reflect.DeepEqual(map[string][]string(got.URL.Query()), want) {
		t.Errorf("query %v\nwant  %v", got.URL.Query(), want)
	}
	// The spec requires the consumer header on logs: the query's consumer.
	if got.Header.Get("x-apideck-consumer-id") != "globex-17" {
		t.Errorf("consumer header %q", got.Header.Get("x-apideck-consumer-id"))
	}

	one := LogQuery{StatusCodes: []int{401}, Methods: []string{"GET", "post"}}
	if _, err := c.LogsPage(context.Background(), testCreds, one, ""); err != nil {
		t.Fatal(err)
	}
	got = rec.last()
	if q := got.URL.Query(); q.Get("filter[status_code]") != "401" || q["filter[status_codes]"] != nil ||
		!reflect.DeepEqual(q["filter[http_methods]"], []string{"GET", "POST"}) {
		t.Errorf("query %v", q)
	}
	if got.Header.Get("x-apideck-consumer-id") != testCreds.ConsumerID {
		t.Errorf("without a consumer in the query the credentials' is sent, got %q", got.Header.Get("x-apideck-consumer-id"))
	}
}

// A log keeps the fields support needs and nothing else of what came: no
// source IP, no request ids, no timings.
func TestLogKeepsOnlyWhatIsShown(t *testing.T) {
	page, ok := DecodeLogPage([]byte(specLogs))
	if !ok || len(page.Items) != 1 || page.Next != "em9oby1jcm06OnBhZ2U6OjM=" {
		t.Fatalf("page %+v ok %v", page, ok)
	}
	l := page.Items[0]
	want := Log{
		ConsumerID: "test-consumer", Time: time.Date(2021, 7, 12, 14, 26, 17, 420e6, time.UTC), Method: "GET",
		Path: "/vault/connections", StatusCode: 200, Success: true, UnifiedAPI: "vault",
		Service: LogService{ID: "apideck-vault", Name: "Apideck Vault"}, ErrorMessage: "Refresh token is invalid",
	}
	if !reflect.DeepEqual(l, want) {
		t.Errorf("log %+v\nwant %+v", l, want)
	}
	data, _ := json.Marshal(l)
	for _, kept := range []string{"94.227.131.238", "source_ip", "0b5f7480", "latency", "operation", "Get All Connections"} {
		if strings.Contains(string(data), kept) {
			t.Errorf("the log's JSON keeps %q: %s", kept, data)
		}
	}
	if l.Failed() || l.Connector() != "Apideck Vault" {
		t.Errorf("Failed %v Connector %q", l.Failed(), l.Connector())
	}
}

func TestLogFailedAndUnknownValues(t *testing.T) {
	page, _ := DecodeLogPage([]byte(`{"data":[
		{"status_code":401,"success":false,"unified_api":"accounting","service":{"id":"quickbooks"}},
		{"status_code":200,"success":false,"unified_api":"spaceships"},
		{"status_code":"500","success":"no","timestamp":12},
		7
	]}`))
	if len(page.Items) != 3 {
		t.Fatalf("%d logs", len(page.Items))
	}
	if !page.Items[0].Failed() || page.Items[0].Connector() != "quickbooks" {
		t.Errorf("first %+v", page.Items[0])
	}
	if !page.Items[1].Failed() || page.Items[1].UnifiedAPI != "spaceships" {
		t.Errorf("an unknown unified API is kept: %+v", page.Items[1])
	}
	if l := page.Items[2]; l.StatusCode != 0 || l.Success || !l.Time.Equal(time.UnixMilli(12).UTC()) {
		t.Errorf("wrong types read empty: %+v", l)
	}
}

func TestLogPagesWalkAndStop(t *testing.T) {
	srv, seq := serve(t,
		reply(200, "application/json", `{"data":[{"status_code":401}],"meta":{"cursors":{"next":"2"}}}`),
		reply(200, "application/json", `{"data":[{"status_code":200}],"meta":{"cursors":{"next":null}}}`),
	)
	c, _ := newTestClient(srv.URL)
	var codes []int
	for page, err := range c.LogPages(context.Background(), testCreds, LogQuery{}) {
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range page.Items {
			codes = append(codes, l.StatusCode)
		}
	}
	if !reflect.DeepEqual(codes, []int{401, 200}) || seq.Calls() != 2 {
		t.Errorf("codes %v over %d calls", codes, seq.Calls())
	}
}

func TestLogsPageErrors(t *testing.T) {
	srv, _ := serve(t, reply(400, "application/json",
		`{"status_code":400,"error":"Bad Request","type_name":"RequestHeadersValidationError","message":"Missing Header: x-apideck-consumer-id"}`))
	c, _ := newTestClient(srv.URL)
	_, err := c.LogsPage(context.Background(), Credentials{APIKey: testKey, AppID: "a"}, LogQuery{}, "")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || !strings.Contains(err.Error(), "x-apideck-consumer-id") {
		t.Errorf("err = %v", err)
	}
	srv2, _ := serve(t, reply(200, "application/json", `{"data":{}}`))
	c2, _ := newTestClient(srv2.URL)
	var invalid *InvalidResponseError
	if _, err := c2.LogsPage(context.Background(), testCreds, LogQuery{}, ""); !errors.As(err, &invalid) {
		t.Errorf("an object as data: %v", err)
	}
}

func TestLogQueryCapsStatusCodes(t *testing.T) {
	var codes []int
	for c := 100; c < 200; c++ {
		codes = append(codes, c)
	}
	if n := len(LogQuery{StatusCodes: codes}.values("")["filter[status_codes]"]); n != MaxStatusCodes {
		t.Errorf("%d codes sent, the spec allows %d", n, MaxStatusCodes)
	}
}
