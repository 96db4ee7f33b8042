package client

import (
	"context"
	"math"
	"net/http"
	"net/url"
	"time"
)

// Validation is what Vault found when asked to check a connection now
// (the spec's ValidateConnectionStateResponse).
type Validation struct {
	ID    string          `json:"id"`
	State ConnectionState `json:"state"`
}

// ValidateConnection sends POST
// /vault/connections/{unified_api}/{service_id}/validate for creds'
// consumer: Vault checks the connection's settings and, for OAuth
// connectors, refreshes its token whatever its expiry. A refresh that
// fails is an *APIError (usually 401) whose RefreshFailure says why and
// when the credentials go.
func (c *Client) ValidateConnection(ctx context.Context, creds Credentials, unifiedAPI, serviceID string) (Validation, error) {
	target := c.baseURL + ConnectionsPath + "/" + url.PathEscape(unifiedAPI) + "/" + url.PathEscape(serviceID) + "/validate"
	// The spec's body is an empty object: nothing is changed, only checked.
	return callFor(c, ctx, "validate connection", http.MethodPost, target, creds, []byte("{}"), DecodeValidation, `{"data":{"id":...,"state":...}}`)
}

// DecodeValidation reads a ValidateConnectionStateResponse; false when
// data is not an object.
func DecodeValidation(body []byte) (Validation, bool) {
	data, ok := dataObject(body)
	if !ok {
		return Validation{}, false
	}
	return Validation{ID: jsonString(data["id"]), State: ConnectionState(jsonString(data["state"]))}, true
}

// RefreshFailure is the detail of an answer to a failed token refresh
// (the spec's Unauthorized detail of type refresh_token_connector_error).
type RefreshFailure struct {
	Type    string // "refresh_token_connector_error"
	Message string // "Token refresh failed with 401 error"
	// CredentialsExpireAt is when the credentials are deleted unless the
	// customer signs in again; zero when the error is one Vault recovers
	// from (a network failure keeps them).
	CredentialsExpireAt time.Time
	// RetryAt is when Vault allows the next refresh attempt; zero when
	// not given.
	RetryAt time.Time
}

// RefreshFailure reads e's detail as a failed token refresh; false when
// the detail is not one.
func (e *APIError) RefreshFailure() (RefreshFailure, bool) {
	detail, ok := e.Detail.(map[string]any)
	if !ok {
		return RefreshFailure{}, false
	}
	typ, _ := detail["type"].(string)
	message, _ := detail["message"].(string)
	debug, _ := detail["debug"].(map[string]any)
	if typ == "" && debug == nil {
		return RefreshFailure{}, false
	}
	return RefreshFailure{
		Type:                typ,
		Message:             message,
		CredentialsExpireAt: millisTime(debug["credentials_expire_at_ms"]),
		RetryAt:             millisTime(debug["retry_after_ms"]),
	}, true
}

// millisTime reads a Unix time in milliseconds decoded from JSON; the zero
// time for anything else.
func millisTime(v any) time.Time {
	ms, ok := v.(float64)
	if !ok || math.IsNaN(ms) || ms <= 0 || ms > maxClaimSeconds*1000 {
		return time.Time{}
	}
	return time.UnixMilli(int64(ms)).UTC()
}
