package client

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/model"
)

// ConnectionsPath is the Get All Connections operation's path.
const ConnectionsPath = "/vault/connections"

// ConsumersPath + "/{consumer_id}" is the Get Consumer operation's path.
const ConsumersPath = "/vault/consumers"

// ConnectionState is the spec's ConnectionState. A value this client does
// not know (from a newer API) is kept as it came: Known says which.
type ConnectionState string

// The spec's connection states, in the order a connection goes through
// them ("invalid" when its settings are missing or wrong).
const (
	StateAvailable  ConnectionState = "available"
	StateAdded      ConnectionState = "added"
	StateAuthorized ConnectionState = "authorized"
	StateCallable   ConnectionState = "callable"
	StateInvalid    ConnectionState = "invalid"
)

// Known reports whether s is one of the spec's values.
func (s ConnectionState) Known() bool {
	switch s {
	case StateAvailable, StateAdded, StateAuthorized, StateCallable, StateInvalid:
		return true
	}
	return false
}

// ConnectionHealth is the spec's ConnectionHealth, kept as it came like
// ConnectionState. Empty means the API did not say (older answers).
type ConnectionHealth string

// The spec's health values.
const (
	HealthOK                  ConnectionHealth = "ok"
	HealthPendingRefresh      ConnectionHealth = "pending_refresh"
	HealthNeedsAuth           ConnectionHealth = "needs_auth"
	HealthPendingConfirmation ConnectionHealth = "pending_confirmation"
	HealthNeedsConsent        ConnectionHealth = "needs_consent"
	HealthRevoked             ConnectionHealth = "revoked"
	HealthMissingSettings     ConnectionHealth = "missing_settings"
	HealthDegraded            ConnectionHealth = "degraded"
)

// Known reports whether h is one of the spec's values.
func (h ConnectionHealth) Known() bool {
	switch h {
	case HealthOK, HealthPendingRefresh, HealthNeedsAuth, HealthPendingConfirmation,
		HealthNeedsConsent, HealthRevoked, HealthMissingSettings, HealthDegraded:
		return true
	}
	return false
}

// Connection is one of a consumer's connections: the fields of the spec's
// Connection (and ConsumerConnection) that say where it stands. The text
// fields are as the API sent them: show them through model/termtext.
type Connection struct {
	ID         string           `json:"id"`
	ServiceID  string           `json:"service_id"`
	Name       string           `json:"name"`
	UnifiedAPI string           `json:"unified_api"`
	State      ConnectionState  `json:"state"`
	Health     ConnectionHealth `json:"health,omitempty"`
	// Enabled is nil when the answer does not say.
	Enabled *bool `json:"enabled,omitempty"`
	// ConsumerID is the consumer the connection belongs to, when the
	// answer says (ConsumerConnection does; Connection does not).
	ConsumerID string `json:"consumer_id,omitempty"`
	AuthType   string `json:"auth_type,omitempty"`
	// CreatedAt and UpdatedAt are zero when absent, null or unreadable.
	CreatedAt time.Time `json:"created_at,omitzero"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
	// CredentialsExpireAt is when Vault deletes the credentials if token
	// refreshes keep failing (48 hours after they started to); zero when
	// no such window runs. LastRefreshFailedAt is the last failed refresh,
	// LastDownstreamErrorAt the last time the connector could not be
	// reached (health "degraded"); zero when none.
	CredentialsExpireAt   time.Time `json:"credentials_expire_at,omitzero"`
	LastRefreshFailedAt   time.Time `json:"last_refresh_failed_at,omitzero"`
	LastDownstreamErrorAt time.Time `json:"last_downstream_error_at,omitzero"`
}

// Key identifies a connection within a consumer: unified API and service.
func (c Connection) Key() string { return c.UnifiedAPI + "/" + c.ServiceID }

// DisplayName is the name, or the service id when the API sent no name.
func (c Connection) DisplayName() string {
	if strings.TrimSpace(c.Name) != "" {
		return c.Name
	}
	return c.ServiceID
}

// Since is when the connection last changed, as well as the answer says.
func (c Connection) Since() time.Time {
	if !c.UpdatedAt.IsZero() {
		return c.UpdatedAt
	}
	return c.CreatedAt
}

// UnmarshalJSON reads a Connection leniently: timestamps may be Unix
// milliseconds (Connection) or ISO 8601 strings (ConsumerConnection), and
// a field of an unexpected type is left empty rather than failing the
// whole list.
func (c *Connection) UnmarshalJSON(data []byte) error {
	// Sized for the spec's connection (35 fields), so it is not grown
	// field by field.
	raw := make(map[string]json.RawMessage, 40)
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*c = Connection{
		ID:         jsonString(raw["id"]),
		ServiceID:  jsonString(raw["service_id"]),
		Name:       jsonString(raw["name"]),
		UnifiedAPI: jsonString(raw["unified_api"]),
		State:      ConnectionState(jsonString(raw["state"])),
		Health:     ConnectionHealth(jsonString(raw["health"])),
		ConsumerID: jsonString(raw["consumer_id"]),
		AuthType:   jsonString(raw["auth_type"]),
		CreatedAt:  apiTime(raw["created_at"]),
		UpdatedAt:  apiTime(raw["updated_at"]),

		CredentialsExpireAt:   apiTime(raw["credentials_expire_at"]),
		LastRefreshFailedAt:   apiTime(raw["last_refresh_failed_at"]),
		LastDownstreamErrorAt: apiTime(raw["last_downstream_error_at"]),
	}
	var enabled bool
	if v, ok := raw["enabled"]; ok && json.Unmarshal(v, &enabled) == nil && string(bytes.TrimSpace(v)) != "null" {
		c.Enabled = &enabled
	}
	if c.ServiceID == "" && c.UnifiedAPI == "" {
		// The id is "unified_api+service_id" in the spec's examples.
		if api, service, ok := strings.Cut(c.ID, "+"); ok {
			c.UnifiedAPI, c.ServiceID = api, service
		}
	}
	return nil
}

func jsonString(raw json.RawMessage) string {
	// Most values are plain ASCII strings with nothing escaped: those are
	// their bytes between the quotes, without a second walk by
	// encoding/json (a watch reads a dozen per connection every poll).
	if n := len(raw); n >= 2 && raw[0] == '"' && raw[n-1] == '"' {
		inner := raw[1 : n-1]
		plain := true
		for _, c := range inner {
			if c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
				plain = false
				break
			}
		}
		if plain {
			return string(inner)
		}
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// apiTime reads a timestamp as the spec gives them: a number of Unix
// milliseconds, or an ISO 8601 string. Anything else is the zero time.
func apiTime(raw json.RawMessage) time.Time {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return time.Time{}
	}
	if raw[0] == '"' {
		s := jsonString(raw)
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02"} {
			if t, err := time.Parse(layout, s); err == nil {
				return t.UTC()
			}
		}
		return time.Time{}
	}
	ms, err := strconv.ParseFloat(string(raw), 64)
	// 0 means "never" in the spec's millisecond fields; beyond year 9999
	// is not a time anyone means.
	if err != nil || ms <= 0 || ms > maxClaimSeconds*1000 {
		return time.Time{}
	}
	return time.UnixMilli(int64(ms)).UTC()
}

// Consumer is the spec's Consumer: who it is and a summary of its
// connections. In a list (ConsumersPage) Connections is nil: the list
// names only the Services. Services is nil when the answer does not say,
// and empty when it says there are none.
type Consumer struct {
	ConsumerID    string                 `json:"consumer_id"`
	ApplicationID string                 `json:"application_id"`
	Metadata      model.ConsumerMetadata `json:"metadata"`
	Connections   []Connection           `json:"connections"`
	Services      []string               `json:"services"`
	// AggregatedRequestCount is every request made for the consumer, as
	// the API counts them; RequestCounts splits it by kind.
	AggregatedRequestCount int64         `json:"aggregated_request_count"`
	RequestCounts          RequestCounts `json:"request_counts"`
	Created                time.Time     `json:"created,omitzero"`
	Modified               time.Time     `json:"modified,omitzero"`
}

// RequestCounts is the spec's RequestCountAllocation: requests to the
// unified APIs, through the proxy and to Vault.
type RequestCounts struct {
	Unify int64 `json:"unify"`
	Proxy int64 `json:"proxy"`
	Vault int64 `json:"vault"`
}

// Total is the sum of the three kinds.
func (r RequestCounts) Total() int64 { return r.Unify + r.Proxy + r.Vault }

// decodeRequestCounts reads a RequestCountAllocation; counts that are not
// numbers read 0.
func decodeRequestCounts(raw json.RawMessage) RequestCounts {
	var counts struct {
		Unify, Proxy, Vault json.RawMessage
	}
	if json.Unmarshal(raw, &counts) != nil {
		return RequestCounts{}
	}
	return RequestCounts{Unify: jsonCount(counts.Unify), Proxy: jsonCount(counts.Proxy), Vault: jsonCount(counts.Vault)}
}

// jsonCount reads a count sent as a JSON number (the spec's "number", so
// 101.0 too); anything else, negative or beyond 2^53 reads 0.
func jsonCount(raw json.RawMessage) int64 {
	var f float64
	if json.Unmarshal(raw, &f) != nil || f < 0 || f > 1<<53 {
		return 0
	}
	return int64(f)
}

// UnmarshalJSON reads a Consumer as leniently as a Connection.
func (c *Consumer) UnmarshalJSON(data []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*c = Consumer{
		ConsumerID:    jsonString(raw["consumer_id"]),
		ApplicationID: jsonString(raw["application_id"]),
		Created:       apiTime(raw["created"]),
		Modified:      apiTime(raw["modified"]),

		AggregatedRequestCount: jsonCount(raw["aggregated_request_count"]),
		RequestCounts:          decodeRequestCounts(raw["request_counts"]),
	}
	var meta struct {
		AccountName json.RawMessage `json:"account_name"`
		UserName    json.RawMessage `json:"user_name"`
		Email       json.RawMessage `json:"email"`
		Image       json.RawMessage `json:"image"`
	}
	if json.Unmarshal(raw["metadata"], &meta) == nil {
		c.Metadata = model.ConsumerMetadata{
			AccountName: jsonString(meta.AccountName), UserName: jsonString(meta.UserName),
			Email: jsonString(meta.Email), Image: jsonString(meta.Image),
		}
	}
	var conns []json.RawMessage
	if json.Unmarshal(raw["connections"], &conns) == nil && conns != nil {
		c.Connections = decodeConnections(conns)
	}
	var services []json.RawMessage
	if json.Unmarshal(raw["services"], &services) == nil && services != nil {
		// [] is kept as an empty list: "no services" is not "not said".
		c.Services = make([]string, 0, len(services))
		for _, s := range services {
			if id := jsonString(s); id != "" {
				c.Services = append(c.Services, id)
			}
		}
	}
	return nil
}

// decodeConnections keeps every element that is an object.
func decodeConnections(items []json.RawMessage) []Connection {
	out := make([]Connection, 0, len(items))
	for _, item := range items {
		var c Connection
		if c.UnmarshalJSON(item) == nil {
			out = append(out, c)
		}
	}
	return out
}

// Connections sends GET /vault/connections for creds' consumer; api, when
// not empty, scopes the answer to one unified API. Without a consumer id
// (creds.ConsumerID "") it is the application-wide list: every
// integration the application offers, each as "available" or as
// configured, with no consumer's state. It has Create's headers,
// retry policy, size cap and errors; a 2xx answer whose data is not a list
// is an *InvalidResponseError.
func (c *Client) Connections(ctx context.Context, creds Credentials, api string) ([]Connection, error) {
	target := c.baseURL + ConnectionsPath
	if api != "" {
		target += "?" + url.Values{"api": {api}}.Encode()
	}
	return callFor(c, ctx, "list connections", http.MethodGet, target, creds, nil, decodeConnectionList, listShape)
}

// decodeConnectionList reads a GetConnectionsResponse; false when data is
// not a list.
func decodeConnectionList(body []byte) ([]Connection, bool) {
	var envelope struct {
		Data []json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &envelope); err != nil || envelope.Data == nil {
		return nil, false
	}
	return decodeConnections(envelope.Data), true
}

// Consumer sends GET /vault/consumers/{consumer_id} (creds.ConsumerID is
// not needed: the path names the consumer).
func (c *Client) Consumer(ctx context.Context, creds Credentials, consumerID string) (Consumer, error) {
	target := c.baseURL + ConsumersPath + "/" + url.PathEscape(consumerID)
	return callFor(c, ctx, "get consumer", http.MethodGet, target, appCreds(creds), nil, decodeConsumer, `{"data":{"consumer_id":...}}`)
}

// decodeConsumer reads a GetConsumerResponse; false when data is not an
// object.
func decodeConsumer(body []byte) (Consumer, bool) {
	var envelope struct {
		Data *Consumer `json:"data"`
	}
	if err := json.Unmarshal(body, &envelope); err != nil || envelope.Data == nil {
		return Consumer{}, false
	}
	return *envelope.Data, true
}

// call sends one request of the support operations through exchange, as
// Create does, and checks that a 2xx answer is JSON.
func (c *Client) call(ctx context.Context, op, method, target string, creds Credentials, body []byte) (answer, error) {
	if err := checkBaseURL(c.baseURL); err != nil {
		return answer{}, err
	}
	headers, err := c.headers(creds, "Bearer "+creds.APIKey)
	if err != nil {
		return answer{}, err
	}
	var parts [][]byte
	if body != nil {
		parts = [][]byte{body}
	}
	got, err := c.exchange(ctx, op, method, target, headers, parts, creds.APIKey)
	if err != nil {
		return answer{}, err
	}
	if !json.Valid(got.body) {
		described := &APIError{Body: got.body, Truncated: got.truncated, ContentType: got.header.Get("Content-Type")}
		described.redact(creds.APIKey)
		return answer{}, c.invalid(got, creds.APIKey, described.describeBody())
	}
	return got, nil
}

// callFor sends one request (see call) and reads the answer with decode:
// an answer decode refuses is an *InvalidResponseError saying the shape
// the spec gives it.
func callFor[T any](c *Client, ctx context.Context, op, method, target string, creds Credentials, body []byte, decode func([]byte) (T, bool), shape string) (T, error) {
	var zero T
	got, err := c.call(ctx, op, method, target, creds, body)
	if err != nil {
		return zero, err
	}
	v, ok := decode(got.body)
	if !ok {
		return zero, c.invalid(got, creds.APIKey, "the answer is not shaped as the spec says: expected "+shape)
	}
	return v, nil
}

// dataObject reads the members of an answer's data; false when data is not
// an object.
func dataObject(body []byte) (map[string]json.RawMessage, bool) {
	var env struct {
		Data map[string]json.RawMessage `json:"data"`
	}
	if json.Unmarshal(body, &env) != nil || env.Data == nil {
		return nil, false
	}
	return env.Data, true
}

// listShape is the shape of every list answer.
const listShape = `{"data":[...]}`

func (c *Client) invalid(a answer, apiKey, problem string) error {
	masked := &APIError{Body: a.body}
	masked.redact(apiKey)
	return &InvalidResponseError{Operation: a.op, StatusCode: a.status, Problem: problem, Body: masked.Body}
}
