package mock

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/theme"
)

// ConnectionsPath lists a consumer's connections; ConnectionsPath +
// "/{unified_api}/{service_id}" is one connection (GET, POST, PATCH,
// DELETE).
const ConnectionsPath = "/vault/connections"

// ConsumersPath + "/{consumer_id}" is one consumer (GET).
const ConsumersPath = "/vault/consumers"

// The spec's ConnectionState and ConnectionHealth values the demo uses.
const (
	StateAvailable  = "available"
	StateAdded      = "added"
	StateAuthorized = "authorized"
	StateCallable   = "callable"
	StateInvalid    = "invalid"

	HealthOK          = "ok"
	HealthNeedsAuth   = "needs_auth"
	HealthRevoked     = "revoked"
	HealthDegraded    = "degraded"
	HealthMissing     = "missing_settings"
	HealthRefresh     = "pending_refresh"
	HealthNeedConsent = "needs_consent"
	HealthPendingConf = "pending_confirmation"
)

// ConnectionStep is one point of a connection's timeline: from After
// (counted from when the connection was added or scripted) it is in State
// with Health. Before the first step it does not exist yet (a well-known
// connector shows as "available"). State and Health are sent as they are,
// so a test can also send values the spec does not know yet.
type ConnectionStep struct {
	After    time.Duration
	State    string
	Health   string
	Disabled bool // the connection reads enabled: false during this step
}

// DefaultConnectionSteps is the journey of a connection added through the
// demo endpoint: added, then authorized, then callable. The steps are
// further apart than the watcher's 5 s poll so a demo shows each of them.
func DefaultConnectionSteps() []ConnectionStep {
	return []ConnectionStep{
		{After: 0, State: StateAdded, Health: HealthNeedsAuth},
		{After: 6 * time.Second, State: StateAuthorized, Health: HealthOK},
		{After: 12 * time.Second, State: StateCallable, Health: HealthOK},
	}
}

// WithConnectionSteps sets the timeline of connections added with POST;
// DefaultConnectionSteps otherwise. Steps must be in order of After.
func WithConnectionSteps(steps ...ConnectionStep) Option {
	return func(s *Server) { s.steps = slices.Clone(steps) }
}

// Bounds that keep a long-running demo-server from growing without end.
const (
	maxConsumers           = 10000
	maxConnectionsPerOwner = 200
)

// ownerKey names a consumer within an application: Vault's connections
// belong to that pair.
type ownerKey struct{ app, consumer string }

type consumerRecord struct {
	metadata    model.ConsumerMetadata
	created     time.Time
	modified    time.Time
	connections map[string]*storedConnection // by "unified_api+service_id"
	// traffic is the requests the consumer makes through the unified APIs,
	// which GET /vault/logs and the request counts read (seeded consumers
	// only: the demo makes no such requests itself).
	traffic []*trafficSchedule
}

type storedConnection struct {
	unifiedAPI string
	service    service
	start      time.Time // the timeline's origin
	steps      []ConnectionStep
	enabled    bool // as POST or PATCH set it
	settings   map[string]any
	metadata   map[string]any
	patched    time.Time
	// lastRefreshFailure and lastDownstreamError are the latest failures a
	// validate met; a step in pending_refresh or degraded health counts
	// from its own start otherwise.
	lastRefreshFailure  time.Time
	lastDownstreamError time.Time
	// waiting are the steps that follow the customer's authorization,
	// counted from it (authorize.go); nil once authorized, and for
	// scripted and seeded connections, which do not wait.
	waiting []ConnectionStep
	// authorizeURL is where an OAuth connector is authorized, and
	// vaultTitle who asks ("Acme Vault"), as its sign-in screen says.
	authorizeURL string
	vaultTitle   string
}

func connectionID(unifiedAPI, serviceID string) string { return unifiedAPI + "+" + serviceID }

// at returns the step in force at now, or false before the first.
func (c *storedConnection) at(now time.Time) (ConnectionStep, bool) {
	step, _, ok := c.stepAt(now)
	return step, ok
}

// stepAt is at with the time the step began.
func (c *storedConnection) stepAt(now time.Time) (ConnectionStep, time.Time, bool) {
	var current ConnectionStep
	var since time.Time
	found := false
	for _, step := range c.steps {
		begins := c.start.Add(step.After)
		if now.Before(begins) {
			break
		}
		current, since, found = step, begins, true
	}
	return current, since, found
}

// standing is where a connection stands at now, as the API reports it:
// the step's state and health, since when, and the times its health
// implies.
type standing struct {
	state, health       string
	since               time.Time // the step's start, or when the credentials went
	disabled            bool      // the step's Disabled
	credentialsExpireAt time.Time // pending_refresh: when the credentials go
	lastRefreshFailure  time.Time
	lastDownstreamError time.Time
}

// standingAt follows Vault's rules for failing refreshes: a connection in
// pending_refresh has had refreshes failing since its step began, and
// model.CredentialsRetention later its credentials are deleted: it is
// then only added, and needs the customer to sign in again.
func (c *storedConnection) standingAt(now time.Time) (standing, bool) {
	step, since, ok := c.stepAt(now)
	if !ok {
		return standing{}, false
	}
	st := standing{state: step.State, health: step.Health, since: since, disabled: step.Disabled}
	switch step.Health {
	case HealthRefresh:
		st.credentialsExpireAt = since.Add(model.CredentialsRetention)
		st.lastRefreshFailure = latest(since, c.lastRefreshFailure)
		if !now.Before(st.credentialsExpireAt) {
			st = standing{state: StateAdded, health: HealthNeedsAuth, since: st.credentialsExpireAt, disabled: step.Disabled}
		}
	case HealthDegraded:
		st.lastDownstreamError = latest(since, c.lastDownstreamError)
	}
	return st, true
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// moveTo starts a new step at now in state and health, keeping the steps
// before it (a copy: steps may be shared with other connections).
func (c *storedConnection) moveTo(now time.Time, state, health string) {
	c.steps = append(slices.Clip(c.steps), ConnectionStep{After: now.Sub(c.start), State: state, Health: health})
}

// ScriptConnection puts a connection of a consumer on a timeline that
// starts now (the server's clock), replacing any it had: a test can play
// any journey, e.g. added → invalid, or callable with health ok → revoked.
func (s *Server) ScriptConnection(appID, consumerID, unifiedAPI, serviceID string, steps ...ConnectionStep) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	owner := s.consumerLocked(ownerKey{appID, consumerID}, now)
	owner.connections[connectionID(unifiedAPI, serviceID)] = &storedConnection{
		unifiedAPI: unifiedAPI,
		service:    lookupService(s.services, unifiedAPI, serviceID),
		start:      now,
		steps:      slices.Clone(steps),
		enabled:    true,
	}
	owner.modified = now
}

// connectionLocked is the consumer key names and its stored connection of
// unifiedAPI and serviceID: nil for the consumer or the connection not
// stored. The caller holds s.mu.
func (s *Server) connectionLocked(key ownerKey, unifiedAPI, serviceID string) (*consumerRecord, *storedConnection) {
	owner := s.consumers[key]
	if owner == nil {
		return nil, nil
	}
	return owner, owner.connections[connectionID(unifiedAPI, serviceID)]
}

// consumerIndex is an application's consumer ids, which GET
// /vault/consumers pages through in order. They are sorted when a list
// asks, not as each comes: a seed of many consumers adds them at once.
type consumerIndex struct {
	ids      []string
	unsorted bool
}

// sorted returns the ids in order.
func (x *consumerIndex) sorted() []string {
	if x == nil {
		return nil
	}
	if x.unsorted {
		slices.Sort(x.ids)
		x.unsorted = false
	}
	return x.ids
}

// consumerLocked returns the consumer, creating it; s.mu must be held.
func (s *Server) consumerLocked(key ownerKey, now time.Time) *consumerRecord {
	if s.consumers == nil {
		s.consumers = map[ownerKey]*consumerRecord{}
		s.consumerIDs = map[string]*consumerIndex{}
	}
	c, ok := s.consumers[key]
	if !ok {
		c = &consumerRecord{created: now, modified: now, connections: map[string]*storedConnection{}}
		s.consumers[key] = c
		index := s.consumerIDs[key.app]
		if index == nil {
			index = &consumerIndex{}
			s.consumerIDs[key.app] = index
		}
		index.ids, index.unsorted = append(index.ids, key.consumer), true
	}
	return c
}

// rememberConsumer is called for each session created: Vault upserts the
// consumer and keeps its metadata.
func (s *Server) rememberConsumer(appID, consumerID string, metadata model.ConsumerMetadata) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := ownerKey{appID, consumerID}
	if _, ok := s.consumers[key]; !ok && len(s.consumers) >= maxConsumers+s.seeded {
		return
	}
	now := s.now()
	c := s.consumerLocked(key, now)
	if metadata != (model.ConsumerMetadata{}) {
		c.metadata = metadata
	}
	c.modified = now
}

// caller is who a connection request is made for: the consumer of a
// session token, or the consumer named in x-apideck-consumer-id next to
// an API key.
type caller struct {
	owner ownerKey
	// apis are the unified APIs the session allows; nil allows all.
	apis []string
	// session: the bearer was a session token, which opens only its own
	// consumer.
	session bool
	// title is the session's "<vault_name> Vault", or Vault's own without
	// a session: who asks on an authorize screen.
	title string
}

func (c caller) allows(unifiedAPI string) bool {
	return len(c.apis) == 0 || slices.Contains(c.apis, unifiedAPI)
}

// identify reads the spec's headers. With a session token as the bearer
// (as the hosted Vault page sends it, with x-apideck-auth-type: JWT) the
// consumer and app come from the token, and headers that name others are
// refused; with an API key, x-apideck-app-id is required and so is
// x-apideck-consumer-id unless consumerOptional.
func (s *Server) identify(r *http.Request, bearerToken string, consumerOptional bool) (caller, *errorBody) {
	appID := strings.TrimSpace(r.Header.Get("x-apideck-app-id"))
	consumerID := strings.TrimSpace(r.Header.Get("x-apideck-consumer-id"))
	if bearerToken == "" {
		b := unauthorized("Missing authentication")
		return caller{}, &b
	}
	if claims, err := s.VerifyToken(bearerToken); err == nil {
		if s.now().Unix() >= claims.ExpiresAt {
			b := unauthorized("The session token has expired")
			return caller{}, &b
		}
		if (appID != "" && appID != claims.ApplicationID) || (consumerID != "" && consumerID != claims.ConsumerID) {
			b := unauthorized("The session token was issued for another application or consumer than the headers name")
			return caller{}, &b
		}
		return caller{owner: ownerKey{claims.ApplicationID, claims.ConsumerID}, apis: claims.Settings.UnifiedAPIs, session: true,
			title: theme.Effective(claims.Theme).VaultName + " Vault"}, nil
	}
	if strings.EqualFold(r.Header.Get("x-apideck-auth-type"), "JWT") {
		b := unauthorized("Invalid session token")
		return caller{}, &b
	}
	if s.apiKey != "" && bearerToken != s.apiKey {
		b := unauthorized("Invalid API key")
		return caller{}, &b
	}
	required := []struct{ name, value string }{{"x-apideck-app-id", appID}}
	if !consumerOptional {
		required = append(required, struct{ name, value string }{"x-apideck-consumer-id", consumerID})
	}
	var missing []map[string]string
	first := ""
	for _, h := range required {
		if h.value == "" {
			missing = append(missing, map[string]string{h.name: "required"})
			if first == "" {
				first = h.name
			}
		}
	}
	if missing != nil {
		b := newErrorBody(http.StatusBadRequest, "RequestHeadersValidationError",
			"Missing Header: "+first, map[string]any{"missing": missing})
		return caller{}, &b
	}
	return caller{owner: ownerKey{appID, consumerID}, title: theme.DefaultVaultName + " Vault"}, nil
}

// identifyFor is identify for the routes of one connection: a unified API
// Vault does not know is 404, one the session does not offer 422.
func (s *Server) identifyFor(r *http.Request, bearerToken, unifiedAPI string) (caller, *errorBody) {
	who, errBody := s.identify(r, bearerToken, false)
	if errBody != nil {
		return caller{}, errBody
	}
	if _, known := model.UnifiedAPIName(unifiedAPI); !known {
		b := newErrorBody(http.StatusNotFound, "EntityNotFoundError", "Unknown unified API",
			map[string]any{"not_found": map[string]string{"entity": "unified_api", "id": unifiedAPI}})
		return caller{}, &b
	}
	if !who.allows(unifiedAPI) {
		b := newErrorBody(http.StatusUnprocessableEntity, "InvalidStateError", "Unified API not allowed",
			fmt.Sprintf("This session only offers %s", strings.Join(who.apis, ", ")))
		return caller{}, &b
	}
	return who, nil
}

// serveConnections answers the connection and consumer routes: scripted
// answers first, then the demo's own rules.
func (s *Server) serveConnections(w *statusWriter, r *http.Request, rec *Request) {
	body, tooLarge := readBody(r)
	rec.Body = body
	if s.answeredByScript(w, r, &s.connScript) {
		return
	}

	if r.URL.Path == LogsPath || r.URL.Path == ConsumersPath || strings.HasPrefix(r.URL.Path, ConsumersPath+"/") {
		if r.Method != http.MethodGet {
			methodNotAllowed(w, r, http.MethodGet)
			return
		}
		s.serveSupport(w, r, rec.APIKey)
		return
	}
	if r.URL.Path == ConnectionsPath {
		if r.Method != http.MethodGet {
			methodNotAllowed(w, r, http.MethodGet)
			return
		}
		s.serveConnectionList(w, r, rec.APIKey)
		return
	}
	rest := strings.TrimPrefix(r.URL.Path, ConnectionsPath+"/")
	if connection, ok := strings.CutSuffix(rest, "/validate"); ok && strings.Count(connection, "/") == 1 {
		if r.Method != http.MethodPost {
			methodNotAllowed(w, r, http.MethodPost)
			return
		}
		unifiedAPI, serviceID, _ := strings.Cut(connection, "/")
		s.serveValidate(w, r, rec.APIKey, unifiedAPI, serviceID, body)
		return
	}
	unifiedAPI, serviceID, ok := strings.Cut(rest, "/")
	if !ok || unifiedAPI == "" || serviceID == "" || strings.Contains(serviceID, "/") {
		writeError(w, newErrorBody(http.StatusNotFound, "NotFoundError", "Unknown route",
			fmt.Sprintf("No route for %s %s: the demo API serves %s/{unified_api}/{service_id}", r.Method, r.URL.Path, ConnectionsPath)))
		return
	}
	switch r.Method {
	case http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete:
	default:
		methodNotAllowed(w, r, "GET, POST, PATCH, DELETE")
		return
	}
	who, errBody := s.identifyFor(r, rec.APIKey, unifiedAPI)
	if errBody != nil {
		writeError(w, *errBody)
		return
	}
	if !validServiceID(serviceID) {
		writeError(w, newErrorBody(http.StatusNotFound, "EntityNotFoundError", "Unknown service",
			map[string]any{"not_found": map[string]string{"entity": "service", "id": serviceID}}))
		return
	}
	if tooLarge {
		writeError(w, newErrorBody(http.StatusRequestEntityTooLarge, "RequestValidationError",
			"Request body too large", fmt.Sprintf("The body is over %d bytes", maxBody)))
		return
	}
	switch r.Method {
	case http.MethodGet:
		s.serveConnectionOne(w, who, unifiedAPI, serviceID)
	case http.MethodPost:
		s.addConnection(w, who, s.base(r), unifiedAPI, serviceID, body)
	case http.MethodPatch:
		s.updateConnection(w, who, unifiedAPI, serviceID, body)
	case http.MethodDelete:
		s.deleteConnection(w, who, unifiedAPI, serviceID)
	}
}

func (s *Server) serveConnectionList(w http.ResponseWriter, r *http.Request, bearerToken string) {
	who, errBody := s.identify(r, bearerToken, true)
	if errBody != nil {
		writeError(w, *errBody)
		return
	}
	q := r.URL.Query()
	api := q.Get("api")
	configured := true
	if v := q.Get("configured"); v != "" {
		switch v {
		case "true":
		case "false":
			configured = false
		default:
			writeError(w, newErrorBody(http.StatusBadRequest, "RequestValidationError", "Invalid Params",
				fmt.Sprintf("configured must be true or false, not %q", v)))
			return
		}
	}
	list := []connectionBody{}
	if configured { // every integration of the demo app is configured
		list = s.listConnections(who, api)
	}
	writeEnvelope(w, http.StatusOK, list)
}

// listConnections is every connection the caller may see: the consumer's
// own (whatever their service id) and the well-known connectors not added
// yet, as "available", ordered by unified API then name.
func (s *Server) listConnections(who caller, api string) []connectionBody {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	owner := s.consumers[who.owner]
	seen := map[string]bool{}
	out := []connectionBody{} // [] for no connection: the spec's array, not null
	if who.owner.consumer != "" && owner != nil {
		for id, c := range owner.connections {
			if (api != "" && c.unifiedAPI != api) || !who.allows(c.unifiedAPI) {
				continue
			}
			if body, ok := c.body(now); ok {
				out = append(out, body)
				seen[id] = true
			}
		}
	}
	for _, unified := range model.UnifiedAPIs() {
		if (api != "" && unified.ID != api) || !who.allows(unified.ID) {
			continue
		}
		for _, svc := range s.services[unified.ID] {
			if !seen[connectionID(unified.ID, svc.ID)] {
				out = append(out, availableBody(unified.ID, svc))
			}
		}
	}
	order := map[string]int{}
	for i, unified := range model.UnifiedAPIs() {
		order[unified.ID] = i
	}
	slices.SortFunc(out, func(a, b connectionBody) int {
		if d := order[a.UnifiedAPI] - order[b.UnifiedAPI]; d != 0 {
			return d
		}
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	return out
}

func (s *Server) serveConnectionOne(w http.ResponseWriter, who caller, unifiedAPI, serviceID string) {
	s.mu.Lock()
	now := s.now()
	var body connectionBody
	found := false
	if _, c := s.connectionLocked(who.owner, unifiedAPI, serviceID); c != nil {
		body, found = c.body(now)
	}
	if !found {
		for _, svc := range s.services[unifiedAPI] {
			if svc.ID == serviceID {
				body, found = availableBody(unifiedAPI, svc), true
			}
		}
	}
	s.mu.Unlock()
	if !found {
		writeError(w, connectionNotFound(unifiedAPI, serviceID))
		return
	}
	writeEnvelope(w, http.StatusOK, body)
}

func connectionNotFound(unifiedAPI, serviceID string) errorBody {
	return newErrorBody(http.StatusNotFound, "EntityNotFoundError", "Connection not found",
		map[string]any{"not_found": map[string]string{"entity": "connection", "id": connectionID(unifiedAPI, serviceID)}})
}

// addConnection is the "+ Add" of the Vault page: the connection starts the
// server's timeline, added until the customer authorizes it (on its
// authorize_url, or with its settings), then authorized → callable by
// default.
func (s *Server) addConnection(w http.ResponseWriter, who caller, base, unifiedAPI, serviceID string, raw []byte) {
	fields, errBody := decodeConnectionFields(raw)
	if errBody != nil {
		writeError(w, *errBody)
		return
	}
	s.mu.Lock()
	now := s.now()
	if _, ok := s.consumers[who.owner]; !ok && len(s.consumers) >= maxConsumers+s.seeded {
		s.mu.Unlock()
		writeError(w, newErrorBody(http.StatusPaymentRequired, "RequestLimitError", "Request Limit Reached",
			fmt.Sprintf("The demo API keeps at most %d consumers", maxConsumers)))
		return
	}
	owner := s.consumerLocked(who.owner, now)
	id := connectionID(unifiedAPI, serviceID)
	if c := owner.connections[id]; c != nil {
		if _, exists := c.at(now); exists {
			s.mu.Unlock()
			writeError(w, newErrorBody(http.StatusUnprocessableEntity, "InvalidStateError", "Connection already added",
				fmt.Sprintf("%s is already added for this consumer: PATCH it or DELETE it first", id)))
			return
		}
	}
	if len(owner.connections) >= maxConnectionsPerOwner {
		s.mu.Unlock()
		writeError(w, newErrorBody(http.StatusPaymentRequired, "RequestLimitError", "Request Limit Reached",
			fmt.Sprintf("The demo API keeps at most %d connections per consumer", maxConnectionsPerOwner)))
		return
	}
	c := &storedConnection{
		unifiedAPI: unifiedAPI,
		service:    lookupService(s.services, unifiedAPI, serviceID),
		start:      now,
		enabled:    true,
		vaultTitle: who.title,
	}
	c.steps, c.waiting = gateSteps(s.steps, c.service)
	if c.service.SignsInWithOAuth() {
		c.authorizeURL = s.authorizeURL(base, who.owner, unifiedAPI, serviceID, now)
	}
	fields.apply(c, now)
	if c.settingsGiven() {
		c.authorizeLocked(now) // an API key given with the POST
	}
	c.patched = time.Time{}
	owner.connections[id] = c
	owner.modified = now
	// Added again (the page's Re-authorize): its requests work again.
	for _, t := range owner.traffic {
		if t.unifiedAPI == unifiedAPI && t.service.ID == serviceID {
			t.recover(now)
		}
	}
	body, _ := c.body(now)
	s.mu.Unlock()
	writeEnvelope(w, http.StatusOK, body)
}

func (s *Server) updateConnection(w http.ResponseWriter, who caller, unifiedAPI, serviceID string, raw []byte) {
	fields, errBody := decodeConnectionFields(raw)
	if errBody != nil {
		writeError(w, *errBody)
		return
	}
	s.mu.Lock()
	now := s.now()
	owner, c := s.connectionLocked(who.owner, unifiedAPI, serviceID)
	if c != nil {
		if _, exists := c.at(now); !exists {
			c = nil
		} else {
			owner.modified = now
		}
	}
	if c == nil {
		s.mu.Unlock()
		writeError(w, connectionNotFound(unifiedAPI, serviceID))
		return
	}
	fields.apply(c, now)
	if !c.service.SignsInWithOAuth() && c.settingsGiven() {
		c.authorizeLocked(now) // the settings form of the Vault page
	}
	body, _ := c.body(now)
	s.mu.Unlock()
	writeEnvelope(w, http.StatusOK, body)
}

func (s *Server) deleteConnection(w http.ResponseWriter, who caller, unifiedAPI, serviceID string) {
	s.mu.Lock()
	found := false
	if owner, c := s.connectionLocked(who.owner, unifiedAPI, serviceID); c != nil {
		_, found = c.at(s.now())
		delete(owner.connections, connectionID(unifiedAPI, serviceID))
		owner.modified = s.now()
	}
	s.mu.Unlock()
	if !found {
		writeError(w, connectionNotFound(unifiedAPI, serviceID))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// connectionFields are the writable fields of the spec's Connection the
// demo keeps; the others (readOnly, or about resources and consent) are
// accepted and ignored.
type connectionFields struct {
	Enabled  *bool          `json:"enabled"`
	Settings map[string]any `json:"settings"`
	Metadata map[string]any `json:"metadata"`
	hasSet   bool
	hasMeta  bool
}

func (f connectionFields) apply(c *storedConnection, now time.Time) {
	if f.Enabled != nil {
		c.enabled = *f.Enabled
	}
	if f.hasSet {
		c.settings = f.Settings
	}
	if f.hasMeta {
		c.metadata = f.Metadata
	}
	c.patched = now
}

// decodeConnectionFields applies the spec to a POST or PATCH body: it is
// required (400 without it, or when it is not JSON) and must be a
// Connection object (422 for wrong types). {} is a valid body.
func decodeConnectionFields(raw []byte) (connectionFields, *errorBody) {
	var f connectionFields
	if len(bytes.TrimSpace(raw)) == 0 {
		b := newErrorBody(http.StatusBadRequest, "RequestValidationError", "Request body is required",
			"Send a JSON object with the connection's fields, e.g. {} or {\"enabled\":true}")
		return f, &b
	}
	if !json.Valid(raw) {
		b := newErrorBody(http.StatusBadRequest, "RequestValidationError", "Invalid JSON body", "the body is not valid JSON")
		return f, &b
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return f, validationError("body", "must be a JSON object (a Connection)")
	}
	if v, ok := fields["enabled"]; ok {
		var enabled bool
		if json.Unmarshal(v, &enabled) != nil {
			return f, validationError("enabled", "must be a boolean")
		}
		f.Enabled = &enabled
	}
	for _, key := range []string{"settings", "metadata"} {
		v, ok := fields[key]
		if !ok {
			continue
		}
		var m map[string]any // null decodes to nil, which the spec allows
		if json.Unmarshal(v, &m) != nil {
			return f, validationError(key, "must be an object or null")
		}
		if key == "settings" {
			f.Settings, f.hasSet = m, true
		} else {
			f.Metadata, f.hasMeta = m, true
		}
	}
	return f, nil
}

func validationError(path, message string) *errorBody {
	b := newErrorBody(http.StatusUnprocessableEntity, "ValidationError", path+": "+message,
		map[string]any{"errors": []problem{{path, message}}})
	return &b
}

// connectionBody is the spec's Connection as the demo fills it.
type connectionBody struct {
	ID                    string         `json:"id"`
	ServiceID             string         `json:"service_id"`
	Name                  string         `json:"name"`
	UnifiedAPI            string         `json:"unified_api"`
	State                 string         `json:"state"`
	IntegrationState      string         `json:"integration_state"`
	AuthType              string         `json:"auth_type"`
	Status                string         `json:"status"`
	Enabled               bool           `json:"enabled"`
	Website               string         `json:"website,omitempty"`
	AuthorizeURL          *string        `json:"authorize_url"`
	RevokeURL             *string        `json:"revoke_url"`
	Settings              map[string]any `json:"settings"`
	Metadata              map[string]any `json:"metadata"`
	FormFields            []formField    `json:"form_fields"`
	Configuration         []any          `json:"configuration"`
	ConfigurableResources []string       `json:"configurable_resources"`
	Health                string         `json:"health,omitempty"`
	// The spec's Unix milliseconds, 0 for none.
	CredentialsExpireAt   int64  `json:"credentials_expire_at"`
	LastRefreshFailedAt   int64  `json:"last_refresh_failed_at"`
	LastDownstreamErrorAt int64  `json:"last_downstream_error_at"`
	CreatedAt             int64  `json:"created_at,omitempty"`
	UpdatedAt             *int64 `json:"updated_at"`
}

// formField is the spec's FormField, as far as the demo fills it: the
// settings a connector that does not sign in with OAuth asks for.
type formField struct {
	ID          string `json:"id"`
	Label       string `json:"label"`
	Type        string `json:"type"`
	Required    bool   `json:"required"`
	Sensitive   bool   `json:"sensitive"`
	Mask        bool   `json:"mask"`
	Placeholder string `json:"placeholder"`
}

func formFields(svc service) []formField {
	out := []formField{}
	for _, f := range svc.SettingsFields() {
		secret := f.Type == "password"
		out = append(out, formField{ID: f.ID, Label: f.Label, Type: f.Type, Required: true, Sensitive: secret, Mask: secret})
	}
	return out
}

// millis is t in Unix milliseconds, 0 for the zero time.
func millis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func availableBody(unifiedAPI string, svc service) connectionBody {
	return connectionBody{
		ID:                    connectionID(unifiedAPI, svc.ID),
		ServiceID:             svc.ID,
		Name:                  svc.Name,
		UnifiedAPI:            unifiedAPI,
		State:                 StateAvailable,
		IntegrationState:      "configured",
		AuthType:              svc.AuthType,
		Status:                "live",
		Website:               svc.Website,
		FormFields:            formFields(svc),
		Configuration:         []any{},
		ConfigurableResources: []string{},
	}
}

// body is the connection as the API shows it at now; false before its
// first step.
func (c *storedConnection) body(now time.Time) (connectionBody, bool) {
	st, ok := c.standingAt(now)
	if !ok {
		return connectionBody{}, false
	}
	b := availableBody(c.unifiedAPI, c.service)
	b.State, b.Health = st.state, st.health
	b.CredentialsExpireAt = millis(st.credentialsExpireAt)
	b.LastRefreshFailedAt = millis(st.lastRefreshFailure)
	b.LastDownstreamErrorAt = millis(st.lastDownstreamError)
	b.Enabled = c.enabled && !st.disabled
	b.Settings, b.Metadata = c.settings, c.metadata
	if c.waiting != nil && c.authorizeURL != "" {
		u := c.authorizeURL
		b.AuthorizeURL = &u
	}
	b.CreatedAt = c.start.Add(c.steps[0].After).UnixMilli()
	updated := st.since
	if c.patched.After(updated) {
		updated = c.patched
	}
	ms := updated.UnixMilli()
	b.UpdatedAt = &ms
	return b, true
}

// envelope is the spec's Get/Create/UpdateConnection(s)Response and
// GetConsumerResponse: status_code, status, data.
type envelope struct {
	StatusCode int    `json:"status_code"`
	Status     string `json:"status"`
	Data       any    `json:"data"`
}

func writeEnvelope(w http.ResponseWriter, status int, data any) {
	body, err := json.Marshal(envelope{StatusCode: status, Status: http.StatusText(status), Data: data})
	if err != nil {
		writeError(w, newErrorBody(http.StatusInternalServerError, "UnexpectedError", "Cannot encode the answer", err.Error()))
		return
	}
	writeJSON(w, status, body)
}
