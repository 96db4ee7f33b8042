package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// specConsumers is a GetConsumersResponse from the spec's examples.
const specConsumers = `{
  "status_code": 200, "status": "OK",
  "data": [{
    "consumer_id": "test_consumer_id", "application_id": "1111",
    "metadata": {"account_name": "SpaceX", "user_name": "Elon Musk", "email": "elon@musk.com", "image": "https://www.spacex.com/static/images/share.jpg"},
    "aggregated_request_count": 101,
    "request_counts": {"unify": 100, "proxy": 10, "vault": 21},
    "created": "2021-05-07T12:55:42.242Z", "modified": "2021-05-07T12:55:42.242Z",
    "request_count_updated": "2021-05-07T12:55:42.242Z",
    "services": ["salesforce", "stripe"]
  }],
  "meta": {"items_on_page": 50, "cursors": {"previous": "em9oby1jcm06OnBhZ2U6OjE=", "current": "em9oby1jcm06OnBhZ2U6OjI=", "next": "em9oby1jcm06OnBhZ2U6OjM="}, "total_count": 1},
  "links": {"previous": "https://unify.apideck.com/crm/companies?cursor=em9oby1jcm06OnBhZ2U6OjE%3D", "current": "https://unify.apideck.com/crm/companies", "next": "https://unify.apideck.com/crm/companies?cursor=em9oby1jcm06OnBhZ2U6OjM"}
}`

// specStats is a ConsumerRequestCountsInDateRangeResponse from the spec's
// examples.
const specStats = `{
  "status_code": 200, "status": "OK",
  "data": {
    "application_id": "1111", "consumer_id": "test_user_id",
    "start_datetime": "2021-05-01T12:00:00.000Z", "end_datetime": "2021-05-10T12:00:00.000Z",
    "aggregated_request_count": 40,
    "request_counts": {"unify": 100, "proxy": 10, "vault": 21}
  }
}`

// recorder keeps the requests a test server received.
type recorder struct {
	mu       sync.Mutex
	requests []*http.Request
}

func (r *recorder) wrap(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.requests = append(r.requests, req.Clone(context.Background()))
		r.mu.Unlock()
		h(w, req)
	}
}

func (r *recorder) last() *http.Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.requests[len(r.requests)-1]
}

func TestConsumersPageSendsTheFilterAndReadsTheSpecShape(t *testing.T) {
	var rec recorder
	srv, _ := serve(t, rec.wrap(reply(200, "application/json", specConsumers)))
	c, _ := newTestClient(srv.URL)
	page, err := c.ConsumersPage(context.Background(), testCreds, ConsumerQuery{Search: "glob ex", IDPrefix: "acme-", Limit: 500}, "abc=")
	if err != nil {
		t.Fatal(err)
	}
	got := rec.last()
	q := got.URL.Query()
	if got.Method != http.MethodGet || got.URL.Path != "/vault/consumers" || q.Get("filter[search]") != "glob ex" ||
		q.Get("filter[consumer_id]") != "acme-" || q.Get("cursor") != "abc=" || q.Get("limit") != "200" {
		t.Errorf("request %s %s", got.Method, got.URL)
	}
	// Listing consumers is an operation on the application: no consumer header.
	if got.Header.Get("x-apideck-consumer-id") != "" || got.Header.Get("x-apideck-app-id") != "app-123" ||
		got.Header.Get("Authorization") != "Bearer "+testKey {
		t.Errorf("headers %v", got.Header)
	}
	if page.Next != "em9oby1jcm06OnBhZ2U6OjM=" || page.Total != 1 || len(page.Items) != 1 {
		t.Fatalf("page %+v", page)
	}
	consumer := page.Items[0]
	if consumer.ConsumerID != "test_consumer_id" || consumer.Metadata.Email != "elon@musk.com" ||
		consumer.AggregatedRequestCount != 101 || consumer.RequestCounts != (RequestCounts{100, 10, 21}) ||
		consumer.RequestCounts.Total() != 131 || !reflect.DeepEqual(consumer.Services, []string{"salesforce", "stripe"}) ||
		consumer.Connections != nil {
		t.Errorf("consumer %+v", consumer)
	}
}

// pagedServer serves consumers c-0 .. c-(n-1) in pages of size, counting
// the pages asked for.
func pagedServer(t *testing.T, n, size int) (*recorder, string) {
	var rec recorder
	srv, _ := serve(t, rec.wrap(func(w http.ResponseWriter, r *http.Request) {
		from := 0
		fmt.Sscan(r.URL.Query().Get("cursor"), &from)
		var items []string
		for i := from; i < min(from+size, n); i++ {
			items = append(items, fmt.Sprintf(`{"consumer_id":"c-%d"}`, i))
		}
		next := "null"
		if from+size < n {
			next = fmt.Sprintf(`"%d"`, from+size)
		}
		reply(200, "application/json", fmt.Sprintf(`{"data":[%s],"meta":{"cursors":{"next":%s}}}`, strings.Join(items, ","), next))(w, r)
	}))
	return &rec, srv.URL
}

// walkConsumers walks every page of consumers, as a sweep does: the ids
// met and the error that ended the walk (nil after the last page).
func walkConsumers(c *Client, q ConsumerQuery) (ids []string, last error) {
	for page, err := range c.ConsumerPages(context.Background(), testCreds, q) {
		if err != nil {
			return ids, err
		}
		for _, consumer := range page.Items {
			ids = append(ids, consumer.ConsumerID)
		}
	}
	return ids, nil
}

func TestConsumerPagesWalkEveryPage(t *testing.T) {
	rec, url := pagedServer(t, 45, 20)
	c, _ := newTestClient(url)
	ids, err := walkConsumers(c, ConsumerQuery{Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 45 || ids[0] != "c-0" || ids[44] != "c-44" || len(rec.requests) != 3 {
		t.Errorf("%d consumers over %d requests", len(ids), len(rec.requests))
	}
}

// Pages are fetched as the loop asks: one that stops after the first page
// costs one request, however long the list.
func TestConsumerPagesFetchOnlyWhatIsRead(t *testing.T) {
	rec, url := pagedServer(t, 10000, 200)
	c, _ := newTestClient(url)
	for page, err := range c.ConsumerPages(context.Background(), testCreds, ConsumerQuery{}) {
		if err != nil || len(page.Items) != 200 {
			t.Fatalf("page of %d, err %v", len(page.Items), err)
		}
		break
	}
	if len(rec.requests) != 1 {
		t.Errorf("%d requests for one page", len(rec.requests))
	}
}

func TestConsumerPagesStopAtACursorGivenBefore(t *testing.T) {
	srv, seq := serve(t,
		reply(200, "application/json", `{"data":[{"consumer_id":"a"}],"meta":{"cursors":{"next":"x"}}}`),
		reply(200, "application/json", `{"data":[{"consumer_id":"b"}],"meta":{"cursors":{"next":"y"}}}`),
		reply(200, "application/json", `{"data":[{"consumer_id":"c"}],"meta":{"cursors":{"next":"x"}}}`),
	)
	c, _ := newTestClient(srv.URL)
	seen, last := walkConsumers(c, ConsumerQuery{})
	var invalid *InvalidResponseError
	if !errors.As(last, &invalid) || invalid.Operation != "list consumers" || len(seen) != 3 || seq.Calls() != 3 {
		t.Errorf("saw %v in %d calls, then %v", seen, seq.Calls(), last)
	}
}

// A rate limit in the middle of a walk is waited out as the API asks and
// the walk goes on where it was.
func TestConsumerPagesHonourRetryAfter(t *testing.T) {
	srv, seq := serve(t,
		reply(200, "application/json", `{"data":[{"consumer_id":"a"}],"meta":{"cursors":{"next":"p2"}}}`),
		reply(429, "application/json", `{"status_code":429,"message":"Too Many Requests"}`, "Retry-After", "4"),
		reply(200, "application/json", `{"data":[{"consumer_id":"b"}],"meta":{"cursors":{"next":null}}}`),
	)
	c, clock := newTestClient(srv.URL)
	ids, err := walkConsumers(c, ConsumerQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ids, []string{"a", "b"}) || seq.Calls() != 3 || !reflect.DeepEqual(clock.Waits(), []time.Duration{4 * time.Second}) {
		t.Errorf("ids %v, %d calls, waits %v", ids, seq.Calls(), clock.Waits())
	}
}

func TestConsumerPagesEndWithTheError(t *testing.T) {
	srv, _ := serve(t, reply(401, "application/json", `{"status_code":401,"type_name":"UnauthorizedError","message":"Unauthorized Request"}`))
	c, _ := newTestClient(srv.URL)
	n := 0
	var last error
	for _, err := range c.ConsumerPages(context.Background(), testCreds, ConsumerQuery{}) {
		n++
		last = err
	}
	var apiErr *APIError
	if n != 1 || !errors.As(last, &apiErr) || apiErr.StatusCode != 401 {
		t.Errorf("%d yields ending in %v", n, last)
	}
}

func TestConsumerStats(t *testing.T) {
	var rec recorder
	srv, _ := serve(t, rec.wrap(reply(200, "application/json", specStats)))
	c, _ := newTestClient(srv.URL)
	start := time.Date(2021, 5, 1, 12, 0, 0, 0, time.UTC)
	end := time.Date(2021, 5, 30, 14, 0, 0, 0, time.FixedZone("CEST", 2*3600))
	stats, err := c.ConsumerStats(context.Background(), testCreds, "test user", start, end)
	if err != nil {
		t.Fatal(err)
	}
	got := rec.last()
	if got.URL.EscapedPath() != "/vault/consumers/test%20user/stats" ||
		got.URL.Query().Get("start_datetime") != "2021-05-01T12:00:00.000Z" ||
		got.URL.Query().Get("end_datetime") != "2021-05-30T12:00:00.000Z" {
		t.Errorf("request %s", got.URL)
	}
	want := ConsumerStats{ConsumerID: "test_user_id", Start: start, End: time.Date(2021, 5, 10, 12, 0, 0, 0, time.UTC),
		Total: 40, Counts: RequestCounts{100, 10, 21}}
	if !reflect.DeepEqual(stats, want) {
		t.Errorf("stats %+v\nwant  %+v", stats, want)
	}
	srv2, _ := serve(t, reply(200, "application/json", `{"data":[]}`))
	c2, _ := newTestClient(srv2.URL)
	var invalid *InvalidResponseError
	if _, err := c2.ConsumerStats(context.Background(), testCreds, "x", start, end); !errors.As(err, &invalid) || invalid.Operation != "get consumer stats" {
		t.Errorf("a list as data: %v", err)
	}
}

// A consumer's connection says when its credentials go; an unknown health
// value is kept as it came.
func TestConsumerConnectionRefreshFields(t *testing.T) {
	body := `{"data":{"consumer_id":"globex-17","connections":[
		{"id":"accounting+quickbooks","service_id":"quickbooks","unified_api":"accounting","consumer_id":"globex-17","auth_type":"oauth2",
		 "state":"callable","health":"pending_refresh","credentials_expire_at":"2025-03-02T06:00:00.000Z","last_refresh_failed_at":"2025-02-28T06:00:00.000Z"},
		{"id":"crm+salesforce","state":"callable","health":"quarantined","credentials_expire_at":null}]}}`
	srv, _ := serve(t, reply(200, "application/json", body))
	c, _ := newTestClient(srv.URL)
	consumer, err := c.Consumer(context.Background(), testCreds, "globex-17")
	if err != nil {
		t.Fatal(err)
	}
	qb, sf := consumer.Connections[0], consumer.Connections[1]
	if qb.Health != HealthPendingRefresh || qb.ConsumerID != "globex-17" || qb.AuthType != "oauth2" ||
		!qb.CredentialsExpireAt.Equal(time.Date(2025, 3, 2, 6, 0, 0, 0, time.UTC)) ||
		!qb.LastRefreshFailedAt.Equal(time.Date(2025, 2, 28, 6, 0, 0, 0, time.UTC)) {
		t.Errorf("quickbooks %+v", qb)
	}
	if sf.Health != "quarantined" || sf.Health.Known() || !sf.CredentialsExpireAt.IsZero() || sf.UnifiedAPI != "crm" {
		t.Errorf("salesforce %+v", sf)
	}
}

// The Connection schema sends the same times as Unix milliseconds, 0 for
// none; the application-wide list sends no consumer header.
func TestConnectionsApplicationWide(t *testing.T) {
	var rec recorder
	srv, _ := serve(t, rec.wrap(reply(200, "application/json", specConnections)))
	c, _ := newTestClient(srv.URL)
	creds := testCreds
	creds.ConsumerID = ""
	list, err := c.Connections(context.Background(), creds, "")
	if err != nil {
		t.Fatal(err)
	}
	if h := rec.last().Header; h.Get("x-apideck-consumer-id") != "" || len(h.Values("x-apideck-consumer-id")) != 0 {
		t.Errorf("the application-wide list sent a consumer header: %v", h)
	}
	sf := list[0]
	if !sf.CredentialsExpireAt.Equal(time.UnixMilli(1730172800000).UTC()) || !sf.LastRefreshFailedAt.Equal(time.UnixMilli(1730000000000).UTC()) ||
		!sf.LastDownstreamErrorAt.Equal(time.UnixMilli(1730000000000).UTC()) || sf.AuthType != "oauth2" {
		t.Errorf("connection %+v", sf)
	}
	srv2, _ := serve(t, reply(200, "application/json", `{"data":[{"id":"crm+x","credentials_expire_at":0,"last_refresh_failed_at":0}]}`))
	c2, _ := newTestClient(srv2.URL)
	list, _ = c2.Connections(context.Background(), creds, "")
	if !list[0].CredentialsExpireAt.IsZero() || !list[0].LastRefreshFailedAt.IsZero() {
		t.Errorf("0 must read as no time: %+v", list[0])
	}
}

func TestConsumerQueryLeavesOutWhatIsNotSet(t *testing.T) {
	if got := (ConsumerQuery{}).values("").Encode(); got != "" {
		t.Errorf("empty query encodes as %q", got)
	}
	got, _ := url.ParseQuery(ConsumerQuery{Search: "a&b=c"}.values("").Encode())
	if got.Get("filter[search]") != "a&b=c" || len(got) != 1 {
		t.Errorf("search is not one escaped value: %v", got)
	}
}

// A static mock answers every page with the same example, its next cursor
// included: the second page, its own next, is not read as new.
func TestConsumerPagesStopAtAPageThatNamesItselfNext(t *testing.T) {
	srv, seq := serve(t, reply(200, "application/json", specConsumers))
	c, _ := newTestClient(srv.URL)
	ids, last := walkConsumers(c, ConsumerQuery{})
	var invalid *InvalidResponseError
	if len(ids) != 1 || seq.Calls() != 2 || !errors.As(last, &invalid) {
		t.Errorf("ids %v after %d calls, then %v", ids, seq.Calls(), last)
	}
}
