package mock

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/theme"
)

// AuthorizePath prefixes a connection's authorize_url, as in the spec's
// example: AuthorizePath + "{service_id}/{application_id}?state=...".
// GET shows the connector's sign-in and consent screen (the demo's
// stand-in, marked DEMO); POST with the form field allow=1 authorizes the
// connection, so `curl -d allow=1 AUTHORIZE_URL` does what the customer's
// Allow does. A redirect_uri query parameter, the session page it came
// from, is where the browser goes back to.
const AuthorizePath = "/vault/authorize/"

// A connection waits for its customer from "+ Add" until they authorize
// it: an OAuth connector on its sign-in screen (authorize_url), the others
// by giving the settings its form_fields ask for. Then its timeline goes
// on: the steps from the first authorized (or callable) one play from
// that moment. ScriptConnection's journeys and the seed do not wait.

// gateSteps splits a timeline at the customer's part: the steps before it
// play from when the connection is added; those from the first authorized
// or callable step wait, counted from when the customer authorizes. A
// connector authorized by settings waits with health missing_settings.
func gateSteps(steps []ConnectionStep, svc service) (before, waiting []ConnectionStep) {
	gate := -1
	for i, st := range steps {
		if st.State == StateAuthorized || st.State == StateCallable {
			gate = i
			break
		}
	}
	if gate < 0 {
		return steps, nil
	}
	before = append([]ConnectionStep(nil), steps[:gate]...)
	if len(before) == 0 {
		before = []ConnectionStep{{State: StateAdded, Health: HealthNeedsAuth}}
	}
	if !svc.SignsInWithOAuth() {
		for i := range before {
			if before[i].Health == HealthNeedsAuth {
				before[i].Health = HealthMissing
			}
		}
	}
	from := steps[gate].After
	for _, st := range steps[gate:] {
		st.After -= from
		waiting = append(waiting, st)
	}
	return before, waiting
}

// authorizeLocked is the customer's part done: the waiting steps start
// now. false when the connection was not waiting. s.mu must be held.
func (c *storedConnection) authorizeLocked(now time.Time) bool {
	if c.waiting == nil {
		return false
	}
	for _, st := range c.waiting {
		st.After += now.Sub(c.start)
		c.steps = append(c.steps, st)
	}
	c.waiting = nil
	return true
}

// settingsGiven reports whether the settings hold a value for every field
// the connector asks for.
func (c *storedConnection) settingsGiven() bool {
	fields := c.service.SettingsFields()
	for _, f := range fields {
		v, _ := c.settings[f.ID].(string)
		if strings.TrimSpace(v) == "" {
			return false
		}
	}
	return len(fields) > 0
}

// authorizeURL is where the customer authorizes a connection added at
// start: the spec's /vault/authorize/{service_id}/{application_id} with a
// state that names the consumer and the connection, signed so that no
// other connection can be authorized with it, and spent when the
// connection is removed or added again (start changes).
func (s *Server) authorizeURL(base string, owner ownerKey, unifiedAPI, serviceID string, start time.Time) string {
	payload := owner.consumer + "\n" + unifiedAPI + "\n" + strconv.FormatInt(start.UnixNano(), 10)
	state := base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." +
		base64.RawURLEncoding.EncodeToString(s.stateMAC(owner.app, serviceID, payload))
	return base + AuthorizePath + url.PathEscape(serviceID) + "/" + url.PathEscape(owner.app) + "?state=" + state
}

func (s *Server) stateMAC(app, serviceID, payload string) []byte {
	h := hmac.New(sha256.New, s.secret)
	fmt.Fprintf(h, "authorize\n%s\n%s\n%s", app, serviceID, payload)
	return h.Sum(nil)[:16]
}

// readState checks a state against the path's app and service and
// returns the consumer, the unified API and the connection's start.
func (s *Server) readState(app, serviceID, state string) (consumer, unifiedAPI string, start int64, ok bool) {
	encoded, sig, found := strings.Cut(state, ".")
	payload, err1 := base64.RawURLEncoding.DecodeString(encoded)
	mac, err2 := base64.RawURLEncoding.DecodeString(sig)
	if !found || err1 != nil || err2 != nil || !hmac.Equal(mac, s.stateMAC(app, serviceID, string(payload))) {
		return "", "", 0, false
	}
	parts := strings.Split(string(payload), "\n")
	if len(parts) != 3 {
		return "", "", 0, false
	}
	start, err := strconv.ParseInt(parts[2], 10, 64)
	return parts[0], parts[1], start, err == nil
}

// serveAuthorize is a connection's authorize_url: its sign-in and consent
// screen on GET, the customer's answer on POST (allow=1 or allow=0).
func (s *Server) serveAuthorize(w *statusWriter, r *http.Request, rec *Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodPost {
		methodNotAllowed(w, r, "GET, HEAD, POST")
		return
	}
	serviceID, app, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, AuthorizePath), "/")
	consumer, unifiedAPI, start, valid := s.readState(app, serviceID, r.URL.Query().Get("state"))
	if !ok || !valid {
		writeError(w, newErrorBody(http.StatusNotFound, "NotFoundError", "Unknown authorization",
			"This is not an authorize_url the demo API gave: take it from the connection (GET /vault/connections)"))
		return
	}
	allow := ""
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, 4096)
		if err := r.ParseForm(); err != nil {
			writeError(w, newErrorBody(http.StatusBadRequest, "RequestValidationError", "Invalid form", err.Error()))
			return
		}
		rec.Body = []byte(r.PostForm.Encode())
		if allow = r.PostForm.Get("allow"); allow != "1" && allow != "0" {
			writeError(w, newErrorBody(http.StatusBadRequest, "RequestValidationError", "allow must be 1 or 0",
				"Post the form field allow=1 to authorize the connection (curl -d allow=1 AUTHORIZE_URL), allow=0 to deny"))
			return
		}
	}

	s.mu.Lock()
	now := s.now()
	owner, c := s.connectionLocked(ownerKey{app, consumer}, unifiedAPI, serviceID)
	if c != nil && c.start.UnixNano() != start {
		c = nil // removed and added again since: this link is spent
	}
	if c != nil && allow == "1" && c.authorizeLocked(now) {
		owner.modified = now
	}
	var body connectionBody
	step := theme.AuthorizeStep{Denied: allow == "0"}
	if c != nil {
		body, _ = c.body(now)
		step.ServiceID, step.Connector, step.VaultTitle, step.Done = serviceID, c.service.Name, c.vaultTitle, c.waiting == nil
	}
	s.mu.Unlock()
	if c == nil {
		writeError(w, connectionNotFound(unifiedAPI, serviceID))
		return
	}
	step.API, _ = model.UnifiedAPIName(unifiedAPI)
	if back := r.URL.Query().Get("redirect_uri"); back != "" && strings.HasPrefix(back, s.base(r)+SessionPagePath) {
		step.ReturnURL = back
	}

	switch {
	case r.Method == http.MethodPost && step.ReturnURL != "":
		// Back to the Vault page, as an OAuth provider sends the browser
		// back to the redirect_uri.
		http.Redirect(w, r, step.ReturnURL, http.StatusSeeOther)
	case r.Method == http.MethodPost && !strings.Contains(r.Header.Get("Accept"), "text/html"):
		writeEnvelope(w, http.StatusOK, body) // a script (curl -d allow=1): the connection
	default:
		var page bytes.Buffer
		if err := s.authorizePage.Render(&page, step); err != nil {
			writeError(w, newErrorBody(http.StatusInternalServerError, "UnexpectedError", "Cannot draw the page", err.Error()))
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
		w.Header().Set("Referrer-Policy", "no-referrer")
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			w.Write(page.Bytes())
		}
	}
}

// Connect does what a customer does on the Vault page to add a connection
// and sign in: POST /vault/connections/{unified_api}/{service_id}, then
// Allow on the authorize_url it answers with. header authenticates the
// request, with an API key (Authorization, x-apideck-app-id and
// x-apideck-consumer-id) or a session's token (Authorization and
// x-apideck-auth-type: JWT). For tests and scripts that play the customer.
func Connect(ctx context.Context, baseURL string, header http.Header, unifiedAPI, serviceID string) error {
	resp, err := connectionRequest(ctx, http.MethodPost, baseURL, header, unifiedAPI, serviceID)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var added struct {
		Data struct {
			AuthorizeURL string `json:"authorize_url"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&added); err != nil {
		return fmt.Errorf("adding %s/%s: %w", unifiedAPI, serviceID, err)
	}
	// Added, it waits for the customer to sign in.
	return Allow(ctx, added.Data.AuthorizeURL)
}

// Reauthorize does what the Vault page's Re-authorize does: it deletes the
// connection and Connects it again.
func Reauthorize(ctx context.Context, baseURL string, header http.Header, unifiedAPI, serviceID string) error {
	resp, err := connectionRequest(ctx, http.MethodDelete, baseURL, header, unifiedAPI, serviceID)
	if err != nil {
		return err
	}
	resp.Body.Close()
	return Connect(ctx, baseURL, header, unifiedAPI, serviceID)
}

// connectionRequest sends method to one connection; an answer other than
// 2xx is an error.
func connectionRequest(ctx context.Context, method, baseURL string, header http.Header, unifiedAPI, serviceID string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, baseURL+"/vault/connections/"+unifiedAPI+"/"+serviceID, strings.NewReader("{}"))
	if err != nil {
		return nil, err
	}
	req.Header = header.Clone()
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		resp.Body.Close()
		return nil, fmt.Errorf("%s %s: %s", method, req.URL, resp.Status)
	}
	return resp, nil
}

// Allow does what a customer's Allow does on a connection's authorize_url:
// it posts allow=1 there, as `curl -d allow=1 AUTHORIZE_URL` does. For
// tests and scripts that play the customer.
func Allow(ctx context.Context, authorizeURL string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, authorizeURL, strings.NewReader("allow=1"))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("allow at %s: %s", authorizeURL, resp.Status)
	}
	return nil
}
