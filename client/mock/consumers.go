package mock

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/model"
)

// isoTime is how the spec writes times in strings.
const isoTime = "2006-01-02T15:04:05.000Z"

func isoMillis(ms int64) string {
	return time.UnixMilli(ms).UTC().Format(isoTime)
}

// consumerSummary is an element of the spec's GetConsumersResponse.
type consumerSummary struct {
	ConsumerID             string                 `json:"consumer_id"`
	ApplicationID          string                 `json:"application_id"`
	Metadata               model.ConsumerMetadata `json:"metadata"`
	AggregatedRequestCount int64                  `json:"aggregated_request_count"`
	RequestCounts          requestCounts          `json:"request_counts"`
	Created                string                 `json:"created"`
	Modified               string                 `json:"modified"`
	RequestCountUpdated    string                 `json:"request_count_updated"`
	Services               []string               `json:"services"`
}

// consumerBody is the spec's Consumer.
type consumerBody struct {
	consumerSummary
	Connections []consumerConnection `json:"connections"`
}

// requestCounts is the spec's RequestCountAllocation.
type requestCounts struct {
	Unify int64 `json:"unify"`
	Proxy int64 `json:"proxy"`
	Vault int64 `json:"vault"`
}

func (c requestCounts) total() int64 { return c.Unify + c.Proxy + c.Vault }

// consumerConnection is the spec's ConsumerConnection: unlike Connection
// its timestamps are ISO 8601 strings, and the refresh times are only
// present while refreshes fail.
type consumerConnection struct {
	ID                  string         `json:"id"`
	Name                string         `json:"name"`
	Website             string         `json:"website,omitempty"`
	ServiceID           string         `json:"service_id"`
	UnifiedAPI          string         `json:"unified_api"`
	ConsumerID          string         `json:"consumer_id"`
	AuthType            string         `json:"auth_type"`
	Enabled             bool           `json:"enabled"`
	Settings            map[string]any `json:"settings"`
	Metadata            map[string]any `json:"metadata"`
	CreatedAt           string         `json:"created_at"`
	UpdatedAt           *string        `json:"updated_at"`
	State               string         `json:"state"`
	Health              string         `json:"health,omitempty"`
	CredentialsExpireAt *string        `json:"credentials_expire_at,omitempty"`
	LastRefreshFailedAt *string        `json:"last_refresh_failed_at,omitempty"`
}

// requestCountsOf counts the consumer's requests within [lo, hi], by
// kind; s.mu must be held.
func requestCountsOf(rec *consumerRecord, lo, hi time.Time) requestCounts {
	var counts requestCounts
	for _, t := range rec.traffic {
		n := t.count(lo, hi)
		switch t.unifiedAPI {
		case "proxy":
			counts.Proxy += n
		case "vault":
			counts.Vault += n
		default:
			counts.Unify += n
		}
	}
	return counts
}

// summaryLocked is the list's view of a consumer; s.mu must be held.
func (s *Server) summaryLocked(key ownerKey, rec *consumerRecord, now time.Time) consumerSummary {
	counts := requestCountsOf(rec, time.Time{}, now)
	out := consumerSummary{
		ConsumerID:             key.consumer,
		ApplicationID:          key.app,
		Metadata:               rec.metadata,
		AggregatedRequestCount: counts.total(),
		RequestCounts:          counts,
		Created:                rec.created.UTC().Format(isoTime),
		Modified:               rec.modified.UTC().Format(isoTime),
		RequestCountUpdated:    now.UTC().Format(isoTime),
		Services:               []string{},
	}
	for _, c := range rec.connections {
		if _, ok := c.at(now); ok && !slices.Contains(out.Services, c.service.ID) {
			out.Services = append(out.Services, c.service.ID)
		}
	}
	slices.Sort(out.Services)
	return out
}

// matchesSearch is filter[search]: a substring of the consumer id, email,
// account name or user name, ignoring case.
func matchesSearch(id string, m model.ConsumerMetadata, search string) bool {
	search = strings.ToLower(search)
	for _, field := range []string{id, m.Email, m.AccountName, m.UserName} {
		if strings.Contains(strings.ToLower(field), search) {
			return true
		}
	}
	return false
}

// serveConsumerList is GET /vault/consumers: the application's consumers
// in order of id, filter[consumer_id] as a prefix, filter[search] as a
// substring, a page at a time.
func (s *Server) serveConsumerList(w http.ResponseWriter, r *http.Request, bearerToken string) {
	who, q, ok := s.keyedQuery(w, r, bearerToken, true)
	if !ok {
		return
	}
	limit, errBody := pageLimit(q)
	if errBody != nil {
		writeError(w, *errBody)
		return
	}
	after := ""
	if c := q.Get("cursor"); c != "" {
		raw, err := base64.RawURLEncoding.DecodeString(c)
		if err != nil || len(raw) == 0 {
			writeError(w, newErrorBody(http.StatusBadRequest, "RequestValidationError", "Invalid Params", "cursor: not a cursor this API gave"))
			return
		}
		after = string(raw)
	}
	prefix, search := q.Get("filter[consumer_id]"), q.Get("filter[search]")

	s.mu.Lock()
	now := s.now()
	// The ids with the prefix stand together in the sorted list; of
	// those the search keeps, the page is the first limit after the
	// cursor, and one more says another page follows.
	all := s.consumerIDs[who.owner.app].sorted()
	from, _ := slices.BinarySearch(all, prefix)
	to := from + sort.Search(len(all)-from, func(i int) bool { return !strings.HasPrefix(all[from+i], prefix) })
	matching := all[from:to]
	var ids []string
	total := len(matching)
	if search == "" {
		start, found := slices.BinarySearch(matching, after)
		if found {
			start++
		}
		ids = matching[start:min(start+limit+1, len(matching))]
	} else {
		total = 0
		for _, id := range matching {
			if !matchesSearch(id, s.consumers[ownerKey{who.owner.app, id}].metadata, search) {
				continue
			}
			total++
			if id > after && len(ids) <= limit {
				ids = append(ids, id)
			}
		}
	}
	page := make([]consumerSummary, 0, min(limit, len(ids)))
	for _, id := range ids[:min(limit, len(ids))] {
		key := ownerKey{who.owner.app, id}
		page = append(page, s.summaryLocked(key, s.consumers[key], now))
	}
	s.mu.Unlock()

	next := ""
	if len(ids) > limit {
		next = base64.RawURLEncoding.EncodeToString([]byte(page[len(page)-1].ConsumerID))
	}
	writeListPageTotal(w, r, s.base(r), page, next, total)
}

// serveConsumer is GET /vault/consumers/{consumer_id}.
func (s *Server) serveConsumer(w http.ResponseWriter, r *http.Request, bearerToken, consumerID string) {
	who, errBody := s.identify(r, bearerToken, true)
	if errBody != nil {
		writeError(w, *errBody)
		return
	}
	// A session token only opens its own consumer.
	if who.session && who.owner.consumer != consumerID {
		writeError(w, consumerNotFound(consumerID))
		return
	}
	s.mu.Lock()
	now := s.now()
	key := ownerKey{who.owner.app, consumerID}
	rec := s.consumers[key]
	if rec == nil {
		s.mu.Unlock()
		writeError(w, consumerNotFound(consumerID))
		return
	}
	out := consumerBody{consumerSummary: s.summaryLocked(key, rec, now), Connections: []consumerConnection{}}
	for _, c := range rec.connections {
		b, ok := c.body(now)
		if !ok {
			continue
		}
		cc := consumerConnection{
			ID: b.ID, Name: b.Name, Website: b.Website, ServiceID: b.ServiceID, UnifiedAPI: b.UnifiedAPI,
			ConsumerID: consumerID, AuthType: b.AuthType, Enabled: b.Enabled, Settings: b.Settings,
			Metadata: b.Metadata, CreatedAt: isoMillis(b.CreatedAt), State: b.State, Health: b.Health,
		}
		if b.UpdatedAt != nil {
			u := isoMillis(*b.UpdatedAt)
			cc.UpdatedAt = &u
		}
		if b.CredentialsExpireAt != 0 {
			expire, failed := isoMillis(b.CredentialsExpireAt), isoMillis(b.LastRefreshFailedAt)
			cc.CredentialsExpireAt, cc.LastRefreshFailedAt = &expire, &failed
		}
		out.Connections = append(out.Connections, cc)
	}
	s.mu.Unlock()
	slices.SortFunc(out.Connections, func(a, b consumerConnection) int { return strings.Compare(a.ID, b.ID) })
	writeEnvelope(w, http.StatusOK, out)
}

func consumerNotFound(consumerID string) errorBody {
	return newErrorBody(http.StatusNotFound, "EntityNotFoundError", "Consumer not found",
		map[string]any{"not_found": map[string]string{"entity": "consumer", "id": consumerID}})
}

// consumerStatsBody is the spec's ConsumerRequestCountsInDateRange.
type consumerStatsBody struct {
	ApplicationID          string        `json:"application_id"`
	ConsumerID             string        `json:"consumer_id"`
	StartDatetime          string        `json:"start_datetime"`
	EndDatetime            string        `json:"end_datetime"`
	AggregatedRequestCount int64         `json:"aggregated_request_count"`
	RequestCounts          requestCounts `json:"request_counts"`
}

// serveConsumerStats is GET /vault/consumers/{consumer_id}/stats: the
// requests made between start_datetime and end_datetime (both required).
func (s *Server) serveConsumerStats(w http.ResponseWriter, r *http.Request, bearerToken, consumerID string) {
	who, q, ok := s.keyedQuery(w, r, bearerToken, true)
	if !ok {
		return
	}
	var bounds [2]time.Time
	for i, name := range []string{"start_datetime", "end_datetime"} {
		v := q.Get(name)
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			detail := fmt.Sprintf("%s: %q is not an ISO 8601 date-time", name, v)
			if v == "" {
				detail = name + " is required"
			}
			writeError(w, newErrorBody(http.StatusBadRequest, "RequestValidationError", "Invalid Params", detail))
			return
		}
		bounds[i] = t
	}
	s.mu.Lock()
	rec := s.consumers[ownerKey{who.owner.app, consumerID}]
	var counts requestCounts
	if rec != nil {
		counts = requestCountsOf(rec, bounds[0], minTime(bounds[1], s.now()))
	}
	s.mu.Unlock()
	if rec == nil {
		writeError(w, consumerNotFound(consumerID))
		return
	}
	writeEnvelope(w, http.StatusOK, consumerStatsBody{
		ApplicationID: who.owner.app, ConsumerID: consumerID,
		StartDatetime: bounds[0].UTC().Format(isoTime), EndDatetime: bounds[1].UTC().Format(isoTime),
		AggregatedRequestCount: counts.total(), RequestCounts: counts,
	})
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// listPage is the spec's GetConsumersResponse and GetLogsResponse:
// status_code, status, data, meta (items, cursors, total) and links.
type listPage struct {
	StatusCode int    `json:"status_code"`
	Status     string `json:"status"`
	Data       any    `json:"data"`
	Meta       struct {
		ItemsOnPage int `json:"items_on_page"`
		Cursors     struct {
			Previous *string `json:"previous"`
			Current  *string `json:"current"`
			Next     *string `json:"next"`
		} `json:"cursors"`
		TotalCount *int `json:"total_count,omitempty"`
	} `json:"meta"`
	Links struct {
		Previous *string `json:"previous"`
		Current  string  `json:"current"`
		Next     *string `json:"next"`
	} `json:"links"`
}

func writeListPage[T any](w http.ResponseWriter, r *http.Request, base string, items []T, next string) {
	writeListPageTotal(w, r, base, items, next, -1)
}

// writeListPageTotal writes a page of items; next is the next page's
// cursor ("" on the last), total the number of items in all pages (-1:
// not said); links start with base.
func writeListPageTotal[T any](w http.ResponseWriter, r *http.Request, base string, items []T, next string, total int) {
	var page listPage
	page.StatusCode, page.Status, page.Data = http.StatusOK, "OK", items
	page.Meta.ItemsOnPage = len(items)
	if total >= 0 {
		page.Meta.TotalCount = &total
	}
	link := func(cursor string) string {
		q := r.URL.Query()
		q.Del("cursor")
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		u := url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
		return base + u.String()
	}
	if c := r.URL.Query().Get("cursor"); c != "" {
		page.Meta.Cursors.Current = &c
	}
	page.Links.Current = link(r.URL.Query().Get("cursor"))
	if next != "" {
		page.Meta.Cursors.Next = &next
		l := link(next)
		page.Links.Next = &l
	}
	data, err := json.Marshal(page)
	if err != nil {
		writeError(w, newErrorBody(http.StatusInternalServerError, "UnexpectedError", "Cannot encode the answer", err.Error()))
		return
	}
	writeJSON(w, http.StatusOK, data)
}

// serveSupport routes the support operations: GET /vault/logs,
// /vault/consumers, /vault/consumers/{consumer_id} and its /stats. The
// consumer id is one path segment, escaped as needed ("acct%2F42").
func (s *Server) serveSupport(w http.ResponseWriter, r *http.Request, bearerToken string) {
	switch r.URL.Path {
	case LogsPath:
		s.serveLogs(w, r, bearerToken)
		return
	case ConsumersPath:
		s.serveConsumerList(w, r, bearerToken)
		return
	}
	rest := strings.TrimPrefix(r.URL.EscapedPath(), ConsumersPath+"/")
	segments := strings.Split(rest, "/")
	id, err := url.PathUnescape(segments[0])
	if err != nil || id == "" || len(segments) > 2 || (len(segments) == 2 && segments[1] != "stats") {
		writeError(w, newErrorBody(http.StatusNotFound, "NotFoundError", "Unknown route",
			fmt.Sprintf("No route for GET %s: the demo API serves %s/{consumer_id} and %s/{consumer_id}/stats", r.URL.Path, ConsumersPath, ConsumersPath)))
		return
	}
	if len(segments) == 2 {
		s.serveConsumerStats(w, r, bearerToken, id)
		return
	}
	s.serveConsumer(w, r, bearerToken, id)
}
