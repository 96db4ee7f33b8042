package client

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"net/url"
	"time"
)

// ConsumerQuery narrows GET /vault/consumers.
type ConsumerQuery struct {
	// Search matches consumer id, email, account name and user name
	// (filter[search], a substring match on any of them).
	Search string
	// IDPrefix matches consumer ids that begin with it (filter[consumer_id]).
	IDPrefix string
	// Limit is the page size, 1 to MaxPageSize; 0 leaves the API's
	// default (20).
	Limit int
}

func (q ConsumerQuery) values(cursor string) url.Values {
	v := url.Values{}
	if q.Search != "" {
		v.Set("filter[search]", q.Search)
	}
	if q.IDPrefix != "" {
		v.Set("filter[consumer_id]", q.IDPrefix)
	}
	return pageQuery(v, cursor, q.Limit)
}

// appCreds is creds for an operation on the whole application: the
// consumer header is not one of its parameters.
func appCreds(creds Credentials) Credentials {
	creds.ConsumerID = ""
	return creds
}

// ConsumersPage sends GET /vault/consumers for one page, from cursor (""
// for the first). Each consumer has its services but no connections: get
// those with Consumer. Errors are Create's; a 2xx answer whose data is not
// a list is an *InvalidResponseError.
func (c *Client) ConsumersPage(ctx context.Context, creds Credentials, q ConsumerQuery, cursor string) (Page[Consumer], error) {
	target := c.baseURL + ConsumersPath + "?" + q.values(cursor).Encode()
	return callFor(c, ctx, "list consumers", http.MethodGet, target, appCreds(creds), nil, DecodeConsumerPage, listShape)
}

// ConsumerPages walks GET /vault/consumers page by page (see pages): a
// sweep of ten thousand consumers holds one page at a time.
//
//	for page, err := range c.ConsumerPages(ctx, creds, q) { ... }
func (c *Client) ConsumerPages(ctx context.Context, creds Credentials, q ConsumerQuery) iter.Seq2[Page[Consumer], error] {
	return pages(ctx, "list consumers", func(ctx context.Context, cursor string) (Page[Consumer], error) {
		return c.ConsumersPage(ctx, creds, q, cursor)
	})
}

// DecodeConsumerPage reads a GetConsumersResponse; false when data is not
// a list. Elements that are not objects are left out.
func DecodeConsumerPage(body []byte) (Page[Consumer], bool) {
	return decodePage(body, func(raw json.RawMessage) (Consumer, bool) {
		var consumer Consumer
		return consumer, consumer.UnmarshalJSON(raw) == nil
	})
}

// ConsumerStats is the spec's ConsumerRequestCountsInDateRange: the
// requests made for a consumer between two times.
type ConsumerStats struct {
	ConsumerID string        `json:"consumer_id"`
	Start      time.Time     `json:"start_datetime,omitzero"`
	End        time.Time     `json:"end_datetime,omitzero"`
	Total      int64         `json:"aggregated_request_count"`
	Counts     RequestCounts `json:"request_counts"`
}

// apiDateTime is how the spec writes the times it is sent.
const apiDateTime = "2006-01-02T15:04:05.000Z"

// ConsumerStats sends GET /vault/consumers/{consumer_id}/stats: the
// requests made between start and end.
func (c *Client) ConsumerStats(ctx context.Context, creds Credentials, consumerID string, start, end time.Time) (ConsumerStats, error) {
	q := url.Values{
		"start_datetime": {start.UTC().Format(apiDateTime)},
		"end_datetime":   {end.UTC().Format(apiDateTime)},
	}
	target := c.baseURL + ConsumersPath + "/" + url.PathEscape(consumerID) + "/stats?" + q.Encode()
	return callFor(c, ctx, "get consumer stats", http.MethodGet, target, appCreds(creds), nil, DecodeConsumerStats, `{"data":{"aggregated_request_count":...}}`)
}

// DecodeConsumerStats reads a ConsumerRequestCountsInDateRangeResponse;
// false when data is not an object.
func DecodeConsumerStats(body []byte) (ConsumerStats, bool) {
	data, ok := dataObject(body)
	if !ok {
		return ConsumerStats{}, false
	}
	return ConsumerStats{
		ConsumerID: jsonString(data["consumer_id"]),
		Start:      apiTime(data["start_datetime"]),
		End:        apiTime(data["end_datetime"]),
		Total:      jsonCount(data["aggregated_request_count"]),
		Counts:     decodeRequestCounts(data["request_counts"]),
	}, true
}
