package mock_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client/mock"
)

var appHeaders = []string{"Authorization", "Bearer sk_test_key", "x-apideck-app-id", mock.DemoAppID}

func consumerHeaders(id string) []string {
	return append(slices.Clone(appHeaders), "x-apideck-consumer-id", id)
}

// listPage is the part of a GetConsumersResponse or GetLogsResponse the
// tests read.
type listPage[T any] struct {
	Data []T `json:"data"`
	Meta struct {
		ItemsOnPage int `json:"items_on_page"`
		Cursors     struct {
			Next *string `json:"next"`
		} `json:"cursors"`
		TotalCount *int `json:"total_count"`
	} `json:"meta"`
	Links struct {
		Current string  `json:"current"`
		Next    *string `json:"next"`
	} `json:"links"`
}

type summary struct {
	ConsumerID string `json:"consumer_id"`
	Metadata   struct {
		AccountName string `json:"account_name"`
		UserName    string `json:"user_name"`
		Email       string `json:"email"`
	} `json:"metadata"`
	Aggregated    int64            `json:"aggregated_request_count"`
	RequestCounts map[string]int64 `json:"request_counts"`
	Services      []string         `json:"services"`
}

type consumerConnection struct {
	ID                  string  `json:"id"`
	State               string  `json:"state"`
	Health              string  `json:"health"`
	CredentialsExpireAt *string `json:"credentials_expire_at"`
	LastRefreshFailedAt *string `json:"last_refresh_failed_at"`
	UpdatedAt           *string `json:"updated_at"`
}

type logEntry map[string]any

func listOf[T any](t *testing.T, a answer) listPage[T] {
	t.Helper()
	if a.status != 200 {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	var page listPage[T]
	if err := json.Unmarshal(a.body, &page); err != nil {
		t.Fatal(err)
	}
	return page
}

func ids(list []summary) []string {
	var out []string
	for _, s := range list {
		out = append(out, s.ConsumerID)
	}
	return out
}

func TestDemoApplicationConsumers(t *testing.T) {
	t.Parallel()
	srv := mock.New(mock.WithFixedTime(fixedNow))
	page := listOf[summary](t, do(t, srv, "GET", "/vault/consumers", "", appHeaders...))
	if got := ids(page.Data); !slices.Equal(got, []string{mock.GlobexID, mock.InitechID, mock.UmbrellaID}) ||
		page.Meta.TotalCount == nil || *page.Meta.TotalCount != 3 || page.Meta.Cursors.Next != nil {
		t.Fatalf("consumers %v total %v", got, page.Meta.TotalCount)
	}
	globex := page.Data[0]
	if globex.Metadata.AccountName != "Globex" || globex.Metadata.UserName != "Hank Scorpio" ||
		globex.Metadata.Email != "hank@globex.example" || !slices.Equal(globex.Services, []string{"quickbooks", "salesforce"}) ||
		globex.Aggregated == 0 || globex.Aggregated != globex.RequestCounts["unify"] {
		t.Errorf("globex %+v", globex)
	}
	if u := page.Data[2]; u.Metadata.AccountName != "Umbrella Corp" || len(u.Services) != 0 || u.Services == nil || u.Aggregated != 0 {
		t.Errorf("umbrella %+v", u)
	}

	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"filter[search]=globex", []string{mock.GlobexID}},
		{"filter[search]=HANK", []string{mock.GlobexID}},             // user name and email, any case
		{"filter[search]=initech.example", []string{mock.InitechID}}, // email
		{"filter[search]=umbrella+corp", []string{mock.UmbrellaID}},  // account name
		{"filter[consumer_id]=glob", []string{mock.GlobexID}},
		{"filter[consumer_id]=lobex", nil}, // a prefix, not a substring
		{"filter[consumer_id]=i&filter[search]=bill", []string{mock.InitechID}},
		{"filter%5Bsearch%5D=umbrella", []string{mock.UmbrellaID}}, // brackets escaped, as Go's url package sends them
	} {
		got := ids(listOf[summary](t, do(t, srv, "GET", "/vault/consumers?"+tc.query, "", appHeaders...)).Data)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.query, got, tc.want)
		}
	}
}

func TestGlobexQuickBooksRefreshFailing(t *testing.T) {
	t.Parallel()
	clock := mock.NewClock(fixedNow)
	srv := mock.New(mock.WithClock(clock.Now))
	type consumerDetail struct {
		Connections []consumerConnection `json:"connections"`
	}
	detail := decodeEnvelope[consumerDetail](t, do(t, srv, "GET", "/vault/consumers/globex-17", "", appHeaders...), 200)
	if len(detail.Connections) != 2 {
		t.Fatalf("connections %+v", detail.Connections)
	}
	qb, sf := detail.Connections[0], detail.Connections[1]
	iso := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
	if qb.ID != "accounting+quickbooks" || qb.State != "callable" || qb.Health != "pending_refresh" ||
		qb.CredentialsExpireAt == nil || *qb.CredentialsExpireAt != iso(fixedNow.Add(18*time.Hour)) ||
		qb.LastRefreshFailedAt == nil || *qb.LastRefreshFailedAt != iso(fixedNow.Add(-30*time.Hour)) {
		t.Errorf("quickbooks %+v", qb)
	}
	if sf.ID != "crm+salesforce" || sf.Health != "ok" || sf.CredentialsExpireAt != nil || sf.LastRefreshFailedAt != nil {
		t.Errorf("salesforce %+v", sf)
	}

	// The Connection schema says the same in milliseconds, 0 for none.
	type msConn struct {
		ID                  string `json:"id"`
		Health              string `json:"health"`
		CredentialsExpireAt int64  `json:"credentials_expire_at"`
		LastRefreshFailedAt int64  `json:"last_refresh_failed_at"`
	}
	list := decodeEnvelope[[]msConn](t, do(t, srv, "GET", "/vault/connections?api=accounting", "", consumerHeaders(mock.GlobexID)...), 200)
	for _, c := range list {
		want := int64(0)
		if c.ID == "accounting+quickbooks" {
			want = fixedNow.Add(18 * time.Hour).UnixMilli()
		}
		if c.CredentialsExpireAt != want {
			t.Errorf("%s credentials_expire_at %d, want %d", c.ID, c.CredentialsExpireAt, want)
		}
	}

	// 18 hours on, Vault has deleted the credentials: a new sign-in is needed.
	clock.Advance(18 * time.Hour)
	detail = decodeEnvelope[consumerDetail](t, do(t, srv, "GET", "/vault/consumers/globex-17", "", appHeaders...), 200)
	if qb := detail.Connections[0]; qb.State != "added" || qb.Health != "needs_auth" || qb.CredentialsExpireAt != nil {
		t.Errorf("after 48 hours of failures: %+v", qb)
	}
	// It changed when the credentials went, not when refreshes began to fail.
	if qb := detail.Connections[0]; qb.UpdatedAt == nil || *qb.UpdatedAt != iso(fixedNow.Add(18*time.Hour)) {
		t.Errorf("updated_at after the credentials went: %v, want %s", qb.UpdatedAt, iso(fixedNow.Add(18*time.Hour)))
	}
}

// specLogFields are the properties of the spec's Log: all required except
// error_message and source_ip, and no other allowed.
var specLogFields = []string{"api_style", "base_url", "child_request", "consumer_id", "duration", "error_message", "execution",
	"has_children", "http_method", "id", "latency", "operation", "parent_id", "path", "sandbox", "service", "source_ip",
	"status_code", "success", "timestamp", "unified_api"}

func TestLogsOfGlobex(t *testing.T) {
	t.Parallel()
	srv := mock.New(mock.WithFixedTime(fixedNow))
	page := listOf[logEntry](t, do(t, srv, "GET", "/vault/logs?filter[status_code]=401&limit=200", "", consumerHeaders(mock.GlobexID)...))
	// QuickBooks is called every 4 hours and has failed for 30: 7 or 8 401s.
	if n := len(page.Data); n < 7 || n > 8 {
		t.Fatalf("%d 401s", n)
	}
	for _, l := range page.Data {
		keys := make([]string, 0, len(l))
		for k := range l {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if !slices.Equal(keys, specLogFields) {
			t.Fatalf("log fields %v, want the spec's %v", keys, specLogFields)
		}
		service := l["service"].(map[string]any)
		at, _ := time.Parse(time.RFC3339, l["timestamp"].(string))
		if service["id"] != "quickbooks" || l["status_code"] != 401.0 || l["success"] != false ||
			!strings.Contains(l["error_message"].(string), "invalid_grant") || at.Before(fixedNow.Add(-30*time.Hour)) {
			t.Errorf("log %v", l)
		}
	}

	all := walkLogs(t, srv, mock.GlobexID, "limit=37")
	var fails, ok int
	for i, l := range all {
		if i > 0 && l["timestamp"].(string) > all[i-1]["timestamp"].(string) {
			t.Fatalf("logs not newest first at %d", i)
		}
		if l["success"] == true {
			ok++
		} else {
			fails++
		}
	}
	if fails != len(page.Data) || ok < 10*fails {
		t.Errorf("%d failing among %d healthy calls; want the 401s among many healthy calls", fails, ok)
	}
	// The counts say the same as the logs over the same 30 days.
	q := url.Values{"start_datetime": {fixedNow.Add(-30 * 24 * time.Hour).Format(time.RFC3339)}, "end_datetime": {fixedNow.Format(time.RFC3339)}}
	stats := decodeEnvelope[struct {
		Aggregated int `json:"aggregated_request_count"`
	}](t, do(t, srv, "GET", "/vault/consumers/globex-17/stats?"+q.Encode(), "", appHeaders...), 200)
	if stats.Aggregated != len(all) {
		t.Errorf("stats count %d requests in 30 days, logs show %d", stats.Aggregated, len(all))
	}
	if logs := walkLogs(t, srv, mock.UmbrellaID, ""); len(logs) != 0 {
		t.Errorf("umbrella has %d logs", len(logs))
	}
	if a := do(t, srv, "GET", "/vault/logs", "", consumerHeaders(mock.UmbrellaID)...); !strings.Contains(string(a.body), `"data":[]`) {
		t.Errorf("no logs is an empty list: %s", a.body)
	}
}

// walkLogs follows the cursors to the end, checking no log comes twice.
func walkLogs(t *testing.T, srv *mock.Server, consumer, query string) []logEntry {
	t.Helper()
	var all []logEntry
	seen := map[string]bool{}
	cursor := ""
	for range 1000 {
		q := query
		if cursor != "" {
			q += "&cursor=" + url.QueryEscape(cursor)
		}
		page := listOf[logEntry](t, do(t, srv, "GET", "/vault/logs?"+q, "", consumerHeaders(consumer)...))
		for _, l := range page.Data {
			if id := l["id"].(string); seen[id] {
				t.Fatalf("log %s came twice", id)
			} else {
				seen[id] = true
			}
		}
		all = append(all, page.Data...)
		if page.Meta.Cursors.Next == nil {
			return all
		}
		cursor = *page.Meta.Cursors.Next
	}
	t.Fatal("the cursors never ended")
	return nil
}

func TestLogFilters(t *testing.T) {
	t.Parallel()
	srv := mock.New(mock.WithFixedTime(fixedNow))
	h := consumerHeaders(mock.GlobexID)
	count := func(query string) int { return len(walkLogs(t, srv, mock.GlobexID, query)) }
	all := count("limit=200")
	since := url.QueryEscape(fixedNow.Add(-24 * time.Hour).Format(time.RFC3339))
	for _, tc := range []struct {
		query string
		check func(logEntry) bool
	}{
		{"filter[http_method]=post", func(l logEntry) bool { return l["http_method"] == "POST" }},
		{"filter[http_methods]=POST&filter[http_methods]=PATCH", func(l logEntry) bool { return l["http_method"] != "GET" }},
		{"filter[status_codes]=401,201", func(l logEntry) bool { return l["status_code"] == 401.0 || l["status_code"] == 201.0 }},
		{"filter[path]=/accounting&filter[path_match_mode]=STARTS_WITH", func(l logEntry) bool { return strings.HasPrefix(l["path"].(string), "/accounting") }},
		{"filter[path]=invoices&filter[path_match_mode]=ENDS_WITH", func(l logEntry) bool { return strings.HasSuffix(l["path"].(string), "invoices") }},
		{"filter[path]=/crm/leads&filter[path_match_mode]=EXACT", func(l logEntry) bool { return l["path"] == "/crm/leads" }},
		{"filter[path]=contacts", func(l logEntry) bool { return strings.Contains(l["path"].(string), "contacts") }},
		{"filter[path][]=contacts", func(l logEntry) bool { return strings.Contains(l["path"].(string), "contacts") }},
		{"filter[exclude_unified_apis]=crm", func(l logEntry) bool { return l["unified_api"] != "crm" }},
		{"filter[start_date]=" + since, func(l logEntry) bool {
			return l["timestamp"].(string) >= fixedNow.Add(-24*time.Hour).Format("2006-01-02T15:04")
		}},
	} {
		logs := walkLogs(t, srv, mock.GlobexID, tc.query+"&limit=200")
		if len(logs) == 0 || len(logs) == all {
			t.Errorf("%s kept %d of %d", tc.query, len(logs), all)
		}
		for _, l := range logs {
			if !tc.check(l) {
				t.Errorf("%s kept %v %v %v", tc.query, l["http_method"], l["path"], l["status_code"])
				break
			}
		}
	}
	for _, query := range []string{
		"limit=0", "limit=201", "limit=x", "cursor=%%%", "filter[status_code]=700", "filter[status_codes]=abc",
		"filter[start_date]=yesterday", "filter[path]=x&filter[path_match_mode]=FUZZY",
		"filter[start_date]=2025-02-01T00:00:00Z&filter[end_date]=2025-01-01T00:00:00Z",
	} {
		a := do(t, srv, "GET", "/vault/logs?"+query, "", h...)
		if a.status != 400 {
			t.Errorf("%s: %d, want 400", query, a.status)
		} else if fields := errorFields(t, a); fields["type_name"] != "RequestValidationError" {
			t.Errorf("%s: %s", query, a.body)
		}
	}
	// The spec requires the consumer header on logs.
	if a := do(t, srv, "GET", "/vault/logs", "", appHeaders...); a.status != 400 || !strings.Contains(string(a.body), "x-apideck-consumer-id") {
		t.Errorf("without a consumer: %d %s", a.status, a.body)
	}
}

func TestValidateInTheDemo(t *testing.T) {
	t.Parallel()
	clock := mock.NewClock(fixedNow)
	srv := mock.New(mock.WithClock(clock.Now), mock.WithConnectionSteps(mock.ConnectionStep{State: "callable", Health: "ok"}))
	globex := consumerHeaders(mock.GlobexID)

	a := do(t, srv, "POST", "/vault/connections/accounting/quickbooks/validate", "{}", globex...)
	fields := errorFields(t, a)
	detail, _ := fields["detail"].(map[string]any)
	debug, _ := detail["debug"].(map[string]any)
	if a.status != 401 || detail["type"] != "refresh_token_connector_error" ||
		debug["credentials_expire_at_ms"] != float64(fixedNow.Add(18*time.Hour).UnixMilli()) {
		t.Fatalf("validate quickbooks: %d %s", a.status, a.body)
	}
	v := decodeEnvelope[map[string]string](t, do(t, srv, "POST", "/vault/connections/crm/salesforce/validate", "", globex...), 200)
	if v["id"] != "crm+salesforce" || v["state"] != "callable" {
		t.Errorf("validate salesforce %v", v)
	}
	v = decodeEnvelope[map[string]string](t, do(t, srv, "POST", "/vault/connections/crm/hubspot/validate", "{}", consumerHeaders(mock.InitechID)...), 200)
	if v["state"] != "invalid" {
		t.Errorf("validate hubspot %v", v)
	}
	for _, tc := range []struct {
		path, body string
		status     int
	}{
		{"/vault/connections/crm/pipedrive/validate", "{}", 404},
		{"/vault/connections/nope/x/validate", "{}", 404},
		{"/vault/connections/crm/salesforce/validate", `{"access_token":"x"}`, 422},
		{"/vault/connections/crm/salesforce/validate", `[`, 400},
	} {
		if a := do(t, srv, "POST", tc.path, tc.body, globex...); a.status != tc.status {
			t.Errorf("%s %s: %d %s, want %d", tc.path, tc.body, a.status, a.body, tc.status)
		}
	}
	if a := do(t, srv, "GET", "/vault/connections/crm/salesforce/validate", "", globex...); a.status != 405 {
		t.Errorf("GET validate: %d", a.status)
	}

	// The fix: the customer authorizes QuickBooks again through the session
	// (the page's Re-authorize deletes and adds the connection).
	clock.Advance(time.Minute)
	if a := do(t, srv, "DELETE", "/vault/connections/accounting/quickbooks", "", globex...); a.status != 204 {
		t.Fatalf("delete: %d %s", a.status, a.body)
	}
	added := decodeEnvelope[conn](t, do(t, srv, "POST", "/vault/connections/accounting/quickbooks", "{}", globex...), 200)
	if added.Authorize == nil {
		t.Fatalf("QuickBooks added again without an authorize_url: %+v", added)
	}
	authorizeAt(t, srv, *added.Authorize, "1")
	clock.Advance(time.Minute)
	v = decodeEnvelope[map[string]string](t, do(t, srv, "POST", "/vault/connections/accounting/quickbooks/validate", "{}", globex...), 200)
	if v["state"] != "callable" {
		t.Errorf("after re-authorizing: %v", v)
	}
	// Its requests work again: the newest QuickBooks log is a success.
	clock.Advance(5 * time.Hour)
	logs := listOf[logEntry](t, do(t, srv, "GET", "/vault/logs?limit=1&filter[path]=/accounting&filter[path_match_mode]=STARTS_WITH", "", globex...))
	if len(logs.Data) != 1 || logs.Data[0]["success"] != true {
		t.Errorf("the newest QuickBooks request after the fix: %v", logs.Data)
	}
}

func TestDegradedRecoversOnValidate(t *testing.T) {
	t.Parallel()
	srv := mock.New(mock.WithFixedTime(fixedNow), mock.WithSeededConsumers(300))
	// Find a degraded connection among the generated consumers.
	for i := 1; i <= 300; i++ {
		id := fmt.Sprintf("cust-%05d", i)
		type detail struct {
			Connections []struct {
				ServiceID  string `json:"service_id"`
				UnifiedAPI string `json:"unified_api"`
				Health     string `json:"health"`
			} `json:"connections"`
		}
		d := decodeEnvelope[detail](t, do(t, srv, "GET", "/vault/consumers/"+id, "", appHeaders...), 200)
		for _, c := range d.Connections {
			if c.Health != "degraded" {
				continue
			}
			path := "/vault/connections/" + c.UnifiedAPI + "/" + c.ServiceID
			decodeEnvelope[map[string]string](t, do(t, srv, "POST", path+"/validate", "{}", consumerHeaders(id)...), 200)
			after := decodeEnvelope[conn](t, do(t, srv, "GET", path, "", consumerHeaders(id)...), 200)
			if after.Health != "ok" {
				t.Errorf("%s %s after validate: %s", id, path, after.Health)
			}
			return
		}
	}
	t.Fatal("no degraded connection among 300 generated consumers")
}

// Pages of a filtered list hold every consumer the filter keeps, each
// once, in order, whatever the page size; total_count counts them all.
func TestConsumerListPagesAFilter(t *testing.T) {
	t.Parallel()
	srv := mock.New(mock.WithFixedTime(fixedNow), mock.WithSeededConsumers(250))
	for _, tc := range []struct {
		query string
		want  func(summary) bool
	}{
		{"filter[consumer_id]=cust-001", func(c summary) bool { return strings.HasPrefix(c.ConsumerID, "cust-001") }},
		{"filter[search]=ada", func(c summary) bool {
			return strings.Contains(strings.ToLower(c.ConsumerID+" "+c.Metadata.Email+" "+c.Metadata.AccountName+" "+c.Metadata.UserName), "ada")
		}},
		{"filter[consumer_id]=cust-0&filter[search]=grace", func(c summary) bool {
			return strings.HasPrefix(c.ConsumerID, "cust-0") && strings.Contains(strings.ToLower(c.Metadata.UserName+" "+c.Metadata.Email), "grace")
		}},
	} {
		// What the filter should keep, read from the whole list.
		var want []string
		every, _ := walkConsumers(t, srv, "limit=200")
		for _, c := range every {
			if tc.want(c) {
				want = append(want, c.ConsumerID)
			}
		}
		if len(want) < 2 {
			t.Fatalf("%s: %d consumers to find, too few to page", tc.query, len(want))
		}
		found, totals := walkConsumers(t, srv, tc.query+"&limit=7")
		var got []string
		for _, c := range found {
			got = append(got, c.ConsumerID)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: pages of 7 held\n%v\nwant\n%v", tc.query, got, want)
		}
		for _, n := range totals {
			if n != len(want) {
				t.Errorf("%s: total_count %v, want %d on every page", tc.query, totals, len(want))
				break
			}
		}
	}
}

// walkConsumers follows GET /vault/consumers?query to the last page and
// returns every consumer and each page's total_count (-1 for none).
func walkConsumers(t *testing.T, srv *mock.Server, query string) ([]summary, []int) {
	t.Helper()
	var all []summary
	var totals []int
	cursor := ""
	for pages := 0; pages < 1000; pages++ {
		q := query
		if cursor != "" {
			q += "&cursor=" + url.QueryEscape(cursor)
		}
		page := listOf[summary](t, do(t, srv, "GET", "/vault/consumers?"+q, "", appHeaders...))
		all = append(all, page.Data...)
		total := -1
		if page.Meta.TotalCount != nil {
			total = *page.Meta.TotalCount
		}
		totals = append(totals, total)
		if page.Meta.Cursors.Next == nil {
			return all, totals
		}
		cursor = *page.Meta.Cursors.Next
	}
	t.Fatalf("%s: the cursors never ended", query)
	return nil, nil
}

func TestSeededConsumersMixStates(t *testing.T) {
	t.Parallel()
	srv := mock.New(mock.WithFixedTime(fixedNow), mock.WithSeededConsumers(1000))
	var all []summary
	cursor := ""
	for {
		q := "limit=200"
		if cursor != "" {
			q += "&cursor=" + cursor
		}
		page := listOf[summary](t, do(t, srv, "GET", "/vault/consumers?"+q, "", appHeaders...))
		if *page.Meta.TotalCount != 1003 {
			t.Fatalf("total_count %d", *page.Meta.TotalCount)
		}
		all = append(all, page.Data...)
		if page.Meta.Cursors.Next == nil {
			break
		}
		if page.Links.Next == nil || !strings.Contains(*page.Links.Next, "cursor=") || !strings.HasPrefix(*page.Links.Next, "http://mock.test/vault/consumers?") {
			t.Errorf("links.next %v", page.Links.Next)
		}
		cursor = url.QueryEscape(*page.Meta.Cursors.Next)
	}
	if len(all) != 1003 || !slices.IsSortedFunc(all, func(a, b summary) int { return strings.Compare(a.ConsumerID, b.ConsumerID) }) {
		t.Fatalf("%d consumers", len(all))
	}
	health := map[string]int{}
	for i := 1; i <= 1000; i += 7 {
		type detail struct {
			Connections []consumerConnection `json:"connections"`
		}
		d := decodeEnvelope[detail](t, do(t, srv, "GET", fmt.Sprintf("/vault/consumers/cust-%05d", i), "", appHeaders...), 200)
		if len(d.Connections) == 0 {
			health["none"]++
		}
		for _, c := range d.Connections {
			health[c.Health]++
		}
	}
	for _, h := range []string{"none", "ok", "pending_refresh", "needs_auth", "degraded", "missing_settings"} {
		if health[h] == 0 {
			t.Errorf("no %s among the generated consumers: %v", h, health)
		}
	}
	if health["ok"] < len(all)/7/2 {
		t.Errorf("most generated connections should be healthy: %v", health)
	}
	// Consumer 5 is the same whatever the seed's size.
	small := mock.New(mock.WithFixedTime(fixedNow), mock.WithSeededConsumers(5))
	a := do(t, srv, "GET", "/vault/consumers/cust-00005", "", appHeaders...)
	b := do(t, small, "GET", "/vault/consumers/cust-00005", "", appHeaders...)
	if string(a.body) != string(b.body) {
		t.Errorf("cust-00005 differs between seeds:\n%s\n%s", a.body, b.body)
	}
}

func TestConsumersJoinFromSessions(t *testing.T) {
	t.Parallel()
	srv := mock.New(mock.WithFixedTime(fixedNow))
	h := consumerHeaders("acme-1")
	if a := post(t, srv, `{"consumer_metadata":{"account_name":"Acme","email":"wile@acme.example"}}`, append(h, "Content-Type", "application/json")...); a.status != 200 {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	got := listOf[summary](t, do(t, srv, "GET", "/vault/consumers?filter[search]=acme", "", appHeaders...))
	if len(got.Data) != 1 || got.Data[0].ConsumerID != "acme-1" || got.Data[0].Metadata.Email != "wile@acme.example" {
		t.Errorf("after a session: %+v", got.Data)
	}
	if n := len(listOf[summary](t, do(t, srv, "GET", "/vault/consumers", "", appHeaders...)).Data); n != 4 {
		t.Errorf("%d consumers, want the 3 seeded and acme-1", n)
	}
}

func TestSupportRoutesRefuse(t *testing.T) {
	t.Parallel()
	srv := mock.New(mock.WithFixedTime(fixedNow))
	created := decodeCreated(t, post(t, srv, `{}`, append(consumerHeaders(mock.GlobexID), "Content-Type", "application/json")...))
	session := []string{"Authorization", "Bearer " + created.Data.SessionToken}
	for _, tc := range []struct {
		method, path string
		headers      []string
		status       int
	}{
		{"GET", "/vault/consumers", nil, 401},
		{"GET", "/vault/consumers", []string{"Authorization", "Bearer k"}, 400}, // no app id
		{"GET", "/vault/consumers", session, 401},
		{"GET", "/vault/logs", session, 401},
		{"GET", "/vault/consumers/globex-17/stats?start_datetime=2025-01-01T00:00:00Z&end_datetime=2025-02-01T00:00:00Z", session, 401},
		{"GET", "/vault/consumers/globex-17", session, 200}, // its own consumer
		{"GET", "/vault/consumers/initech-3", session, 404},
		{"POST", "/vault/consumers", appHeaders, 405},
		{"GET", "/vault/consumers?limit=0", appHeaders, 400},
		{"GET", "/vault/consumers?limit=500", appHeaders, 400},
		{"GET", "/vault/consumers?cursor=***", appHeaders, 400},
		{"GET", "/vault/consumers/nobody", appHeaders, 404},
		{"GET", "/vault/consumers/globex-17/stats", appHeaders, 400},
		{"GET", "/vault/consumers/globex-17/stats?start_datetime=x&end_datetime=y", appHeaders, 400},
		{"GET", "/vault/consumers/nobody/stats?start_datetime=2025-01-01T00:00:00Z&end_datetime=2025-02-01T00:00:00Z", appHeaders, 404},
		{"GET", "/vault/consumers/globex-17/other", appHeaders, 404},
	} {
		a := do(t, srv, tc.method, tc.path, "", tc.headers...)
		if a.status != tc.status {
			t.Errorf("%s %s: %d %s, want %d", tc.method, tc.path, a.status, a.body, tc.status)
		}
		if a.status >= 400 {
			errorFields(t, a)
		}
	}
	// A consumer id with a slash is one escaped path segment.
	srv2 := mock.New(mock.WithFixedTime(fixedNow))
	post(t, srv2, `{}`, append(consumerHeaders("acct/42"), "Content-Type", "application/json")...)
	got := decodeEnvelope[summary](t, do(t, srv2, "GET", "/vault/consumers/acct%2F42", "", appHeaders...), 200)
	if got.ConsumerID != "acct/42" {
		t.Errorf("consumer %q", got.ConsumerID)
	}
}

func TestWithoutDemoApplication(t *testing.T) {
	t.Parallel()
	srv := mock.New(mock.WithoutDemoApplication())
	page := listOf[summary](t, do(t, srv, "GET", "/vault/consumers", "", appHeaders...))
	if len(page.Data) != 0 || page.Data == nil || *page.Meta.TotalCount != 0 {
		t.Errorf("an empty application lists %s", do(t, srv, "GET", "/vault/consumers", "", appHeaders...).body)
	}
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	clock := mock.NewClock(fixedNow)
	srv := mock.New(mock.WithClock(clock.Now), mock.WithRateLimit(2, 2))
	var statuses []int
	for range 3 {
		statuses = append(statuses, do(t, srv, "GET", "/vault/consumers", "", appHeaders...).status)
	}
	limited := do(t, srv, "GET", "/vault/consumers", "", appHeaders...)
	if !slices.Equal(statuses, []int{200, 200, 429}) || limited.status != 429 || limited.header.Get("Retry-After") != "1" {
		t.Fatalf("statuses %v then %d Retry-After %q", statuses, limited.status, limited.header.Get("Retry-After"))
	}
	errorFields(t, limited)
	clock.Advance(time.Second)
	if a := do(t, srv, "GET", "/vault/consumers", "", appHeaders...); a.status != 200 {
		t.Errorf("after the wait: %d", a.status)
	}
	// Creating sessions counts against the same limit (a batch is tried
	// against it: vault-session demo-server --rate-limit).
	clock.Advance(time.Second)
	var sessions []int
	for range 3 {
		sessions = append(sessions, post(t, srv, `{}`, append(consumerHeaders("x"), "Content-Type", "application/json")...).status)
	}
	if !slices.Equal(sessions, []int{200, 200, 429}) {
		t.Errorf("sessions: %v, want 200, 200, 429", sessions)
	}
	clock.Advance(time.Second)
	if a := post(t, srv, `{}`, append(consumerHeaders("x"), "Content-Type", "application/json")...); a.status != 200 {
		t.Errorf("a session after the wait: %d", a.status)
	}
	// The session page is not the API: never limited.
	for range 5 {
		if a := do(t, srv, "GET", "/session/x", ""); a.status == 429 {
			t.Fatal("the session page was rate limited")
		}
	}
}

// Any query on the support routes is answered 200 or with the spec's 400,
// never a 5xx or a crash.
func FuzzSupportQueries(f *testing.F) {
	for _, q := range []string{
		"filter[status_codes]=401,500&filter[path]=/crm&filter[path_match_mode]=EXACT&limit=5",
		"filter[start_date]=2025-05-31T00:00:00Z&filter[end_date]=2025-06-01T00:00:00Z&cursor=MTc0ODY2OTgyMDAwMDAwMDAwMHx4",
		"filter[search]=glob&filter[consumer_id]=g&limit=200&cursor=Z2xvYmV4LTE3",
		"start_datetime=2025-01-01T00:00:00Z&end_datetime=2025-06-01T00:00:00Z",
		"limit=-1&cursor=%zz", "filter[status_code]=1e3", "filter[http_methods][]=get",
	} {
		f.Add(q)
	}
	srv := mock.New(mock.WithFixedTime(fixedNow), mock.WithSeededConsumers(20))
	f.Fuzz(func(t *testing.T, query string) {
		u, err := url.Parse("http://mock.test/vault/logs")
		if err != nil {
			t.Fatal(err)
		}
		u.RawQuery = query
		for _, path := range []string{"/vault/logs", "/vault/consumers", "/vault/consumers/globex-17/stats"} {
			u.Path = path
			req := httptest.NewRequest("GET", "http://mock.test/", nil)
			req.URL = u
			for i := 0; i+1 < len(consumerHeaders(mock.GlobexID)); i += 2 {
				req.Header.Set(consumerHeaders(mock.GlobexID)[i], consumerHeaders(mock.GlobexID)[i+1])
			}
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code != 200 && rec.Code != 400 {
				t.Fatalf("%s?%s: %d %s", path, query, rec.Code, rec.Body)
			}
			if !json.Valid(rec.Body.Bytes()) {
				t.Fatalf("%s?%s: not JSON", path, query)
			}
		}
	})
}
