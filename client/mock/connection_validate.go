package mock

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"
)

// refreshCooldown is the wait Vault asks for between refresh attempts.
const refreshCooldown = 30 * time.Second

// validationBody is the data of the spec's ValidateConnectionStateResponse.
type validationBody struct {
	ID    string `json:"id"`
	State string `json:"state"`
}

// serveValidate is POST /vault/connections/{unified_api}/{service_id}/validate:
// Vault checks the connection now. In the demo a connection whose
// refreshes fail fails again (401, with when its credentials go), one that
// was degraded is reached again and is ok, and any other is found as it
// stands. A connection the customer authorized again (deleted and added
// through the session, as the page's Re-authorize does) validates.
func (s *Server) serveValidate(w http.ResponseWriter, r *http.Request, bearerToken, unifiedAPI, serviceID string, body []byte) {
	who, errBody := s.identifyFor(r, bearerToken, unifiedAPI)
	if errBody != nil {
		writeError(w, *errBody)
		return
	}
	// The spec's body is an empty object (additionalProperties: false),
	// and may be left out; credentials in it are refused.
	if trimmed := bytes.TrimSpace(body); len(trimmed) > 0 {
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(trimmed, &fields); err != nil {
			writeError(w, newErrorBody(http.StatusBadRequest, "RequestValidationError", "Invalid JSON body", "the body must be an empty JSON object: {}"))
			return
		}
		for key := range fields {
			writeError(w, *validationError(key, "unknown property: validate takes an empty object and changes nothing"))
			return
		}
	}

	s.mu.Lock()
	now := s.now()
	_, c := s.connectionLocked(who.owner, unifiedAPI, serviceID)
	st, exists := standing{}, false
	if c != nil {
		st, exists = c.standingAt(now)
	}
	if !exists {
		s.mu.Unlock()
		writeError(w, connectionNotFound(unifiedAPI, serviceID))
		return
	}
	switch st.health {
	case HealthRefresh:
		c.lastRefreshFailure = now
		s.mu.Unlock()
		writeError(w, refreshFailed(c.service.Name, st.credentialsExpireAt, now))
		return
	case HealthDegraded:
		// The connector answers again: the downstream error is over.
		c.moveTo(now, st.state, HealthOK)
		c.lastDownstreamError = time.Time{}
	}
	s.mu.Unlock()
	writeEnvelope(w, http.StatusOK, validationBody{ID: connectionID(unifiedAPI, serviceID), State: st.state})
}

// refreshFailed is the spec's 401 for a token refresh the connector
// refused: the detail says when the credentials go.
func refreshFailed(service string, expireAt, now time.Time) errorBody {
	return newErrorBody(http.StatusUnauthorized, "UnauthorizedError", "Unauthorized Request", map[string]any{
		"type":    "refresh_token_connector_error",
		"message": "Token refresh failed with 401 error",
		"debug": map[string]any{
			"response":                 map[string]any{"statusCode": 401, "data": map[string]any{"error": "invalid_grant"}},
			"message":                  service + " refused the refresh token: the customer must sign in again",
			"credentials_expire_at_ms": expireAt.UnixMilli(),
			"retry_after_ms":           now.Add(refreshCooldown).UnixMilli(),
			"cooldown_remaining_ms":    refreshCooldown.Milliseconds(),
		},
	})
}
