package client

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// LogsPath is the Get All Consumer Request Logs operation's path.
const LogsPath = "/vault/logs"

// MaxStatusCodes is how many codes filter[status_codes] may hold.
const MaxStatusCodes = 50

// Log is one request a consumer made through Apideck: only what support
// needs to see where it failed. A log can hold the customer's data, so the
// client keeps no more than this of it (no source IP, no operation or
// request ids, no timings): the method, path, status, connector, time and
// error message. The text fields are as the API sent them: show them
// through model/termtext.
type Log struct {
	ConsumerID string    `json:"consumer_id"`
	Time       time.Time `json:"timestamp,omitzero"`
	Method     string    `json:"http_method"`
	Path       string    `json:"path"`
	StatusCode int       `json:"status_code"`
	// Success is the API's own verdict; Failed combines it with the status.
	Success bool `json:"success"`
	// UnifiedAPI is kept as it came, a value the spec does not list too.
	UnifiedAPI   string     `json:"unified_api"`
	Service      LogService `json:"service"`
	ErrorMessage string     `json:"error_message,omitempty"`
}

// LogService is the connector a request went to.
type LogService struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Failed reports whether the request failed: the API says so, or its
// status is 400 or above.
func (l Log) Failed() bool { return !l.Success || l.StatusCode >= 400 }

// Connector names the connector for people: its name, else its id.
func (l Log) Connector() string {
	if strings.TrimSpace(l.Service.Name) != "" {
		return l.Service.Name
	}
	return l.Service.ID
}

// UnmarshalJSON reads the fields Log keeps and nothing else; a field of
// an unexpected type is left empty.
func (l *Log) UnmarshalJSON(data []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*l = Log{
		ConsumerID:   jsonString(raw["consumer_id"]),
		Time:         apiTime(raw["timestamp"]),
		Method:       jsonString(raw["http_method"]),
		Path:         jsonString(raw["path"]),
		StatusCode:   int(min(jsonCount(raw["status_code"]), 999)),
		UnifiedAPI:   jsonString(raw["unified_api"]),
		ErrorMessage: jsonString(raw["error_message"]),
	}
	json.Unmarshal(raw["success"], &l.Success)
	var service map[string]json.RawMessage
	if json.Unmarshal(raw["service"], &service) == nil {
		l.Service = LogService{ID: jsonString(service["id"]), Name: jsonString(service["name"])}
	}
	return nil
}

// LogQuery narrows GET /vault/logs (the spec's LogsFilter). Zero fields
// do not filter.
type LogQuery struct {
	// ConsumerID is whose requests: the spec requires the consumer header
	// on this operation, so it replaces the credentials' consumer id when
	// set.
	ConsumerID string
	// StatusCodes are exact codes (at most MaxStatusCodes). Classes such
	// as 4xx are for the caller to filter: the API takes codes only.
	StatusCodes []int
	Path        string
	// PathMatch is how Path matches: CONTAINS (the API's default),
	// STARTS_WITH, ENDS_WITH or EXACT.
	PathMatch string
	// Methods are HTTP methods; one is sent as filter[http_method].
	Methods []string
	// Since and Until bound the request times, both inclusive.
	Since, Until time.Time
	// ConnectorID is "unified_api+service_id", e.g. accounting+quickbooks.
	ConnectorID        string
	ExcludeUnifiedAPIs []string
	// Limit is the page size, 1 to MaxPageSize; 0 leaves the API's default.
	Limit int
}

// values encodes the filter as the spec's deepObject: filter[name]=value,
// a list as one key per value.
func (q LogQuery) values(cursor string) url.Values {
	v := url.Values{}
	switch len(q.StatusCodes) {
	case 0:
	case 1:
		v.Set("filter[status_code]", strconv.Itoa(q.StatusCodes[0]))
	default:
		for _, code := range q.StatusCodes[:min(len(q.StatusCodes), MaxStatusCodes)] {
			v.Add("filter[status_codes]", strconv.Itoa(code))
		}
	}
	if q.Path != "" {
		v.Set("filter[path]", q.Path)
		if q.PathMatch != "" {
			v.Set("filter[path_match_mode]", q.PathMatch)
		}
	}
	switch len(q.Methods) {
	case 0:
	case 1:
		v.Set("filter[http_method]", strings.ToUpper(q.Methods[0]))
	default:
		for _, m := range q.Methods {
			v.Add("filter[http_methods]", strings.ToUpper(m))
		}
	}
	if !q.Since.IsZero() {
		v.Set("filter[start_date]", q.Since.UTC().Format(apiDateTime))
	}
	if !q.Until.IsZero() {
		v.Set("filter[end_date]", q.Until.UTC().Format(apiDateTime))
	}
	if q.ConnectorID != "" {
		v.Set("filter[connector_id]", q.ConnectorID)
	}
	if len(q.ExcludeUnifiedAPIs) > 0 {
		v.Set("filter[exclude_unified_apis]", strings.Join(q.ExcludeUnifiedAPIs, ","))
	}
	return pageQuery(v, cursor, q.Limit)
}

// LogsPage sends GET /vault/logs for one page, newest requests first, from
// cursor ("" for the first).
func (c *Client) LogsPage(ctx context.Context, creds Credentials, q LogQuery, cursor string) (Page[Log], error) {
	if q.ConsumerID != "" {
		creds.ConsumerID = q.ConsumerID
	}
	target := c.baseURL + LogsPath + "?" + q.values(cursor).Encode()
	return callFor(c, ctx, "list logs", http.MethodGet, target, creds, nil, DecodeLogPage, listShape)
}

// LogPages walks GET /vault/logs page by page (see pages).
func (c *Client) LogPages(ctx context.Context, creds Credentials, q LogQuery) iter.Seq2[Page[Log], error] {
	return pages(ctx, "list logs", func(ctx context.Context, cursor string) (Page[Log], error) {
		return c.LogsPage(ctx, creds, q, cursor)
	})
}

// DecodeLogPage reads a GetLogsResponse; false when data is not a list.
// Elements that are not objects are left out.
func DecodeLogPage(body []byte) (Page[Log], bool) {
	return decodePage(body, func(raw json.RawMessage) (Log, bool) {
		var l Log
		return l, l.UnmarshalJSON(raw) == nil
	})
}
