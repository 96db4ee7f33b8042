// Package mock is a fake Apideck Vault API: POST /vault/sessions with the
// spec's validation, error bodies and HS256 session tokens, a small page
// at each session URL, and each consumer's connections in memory
// (/vault/connections, /vault/consumers/{id}), which wait, once added, for
// the customer to authorize them (an OAuth connector's authorize_url, the
// others' settings) and then move along a timeline. For support it lists
// consumers (GET /vault/consumers, with filters and cursor pages), counts
// their requests (/stats), serves their request logs (GET /vault/logs) and
// validates connections. It comes with a seeded application, DemoAppID
// (see seed.go), that demos and tests rely on. It backs the CLI's demo
// mode and the tests, which can also read what it received, script
// failures and script connection journeys.
package mock

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/theme"
)

// SessionsPath is the one operation the mock serves.
const SessionsPath = "/vault/sessions"

// SessionPagePath prefixes the session URLs the mock hands out.
const SessionPagePath = "/session/"

// DemoHeader is set on every answer so a person or a test can tell the demo
// API from Apideck's.
const DemoHeader = "X-Vault-Session-Demo"

// maxBody bounds a request body: the one limit on a session body, which
// --from reads and a create sends at most, so whatever passes the
// command's checks is taken here too. Over it, the answer is a 413 in the
// API's error shape.
const maxBody = model.MaxSessionBody

// maxRecorded and maxRecordedBytes bound the log of requests so a long
// demo does not grow: a thousand requests, their bodies 64 MiB in all.
const (
	maxRecorded      = 1000
	maxRecordedBytes = 64 << 20
)

// Server is the fake Vault API. It is an http.Handler; use it with
// httptest.NewServer or Start. It is safe for concurrent use.
type Server struct {
	secret  []byte
	now     func() time.Time
	baseURL string // empty: taken from each request's Host
	apiKey  string // empty: any non-empty key is accepted
	latency time.Duration
	// asApideck leaves out DemoHeader (WithoutDemoHeader).
	asApideck bool
	schema    property
	page      *theme.HTMLPage
	// authorizePage draws a connection's authorize_url (authorize.go).
	authorizePage *theme.AuthorizePage

	steps    []ConnectionStep
	services map[string][]service

	// keptBytes bounds the bodies' bytes in requests: maxRecordedBytes,
	// lowered by the package's tests only (export_test.go).
	keptBytes int

	mu            sync.Mutex
	requests      []Request
	recordedBytes int // the bodies' bytes in requests
	script        []Answer
	connScript    []Answer
	consumers     map[ownerKey]*consumerRecord
	consumerIDs   map[string]*consumerIndex // by application: the list's pages
	limit         *rateLimit                // nil: no rate limit
	seeded        int                       // consumers the seed made, beyond maxConsumers
	seedExtra     int                       // generated consumers to seed (WithSeededConsumers)
	noSeed        bool                      // WithoutDemoApplication
}

// Option configures a Server.
type Option func(*Server)

// WithClock sets the clock that stamps tokens (iat, exp) and judges expiry.
func WithClock(now func() time.Time) Option {
	return func(s *Server) {
		if now != nil {
			s.now = now
		}
	}
}

// WithFixedTime stops the clock at t, for reproducible tokens.
func WithFixedTime(t time.Time) Option {
	return WithClock(func() time.Time { return t })
}

// WithSecret sets the HS256 key tokens are signed with.
func WithSecret(secret []byte) Option {
	return func(s *Server) { s.secret = bytes.Clone(secret) }
}

// WithBaseURL sets the address session URLs start with; by default it is
// the address the request came to.
func WithBaseURL(url string) Option {
	return func(s *Server) { s.baseURL = strings.TrimRight(url, "/") }
}

// WithAPIKey makes the mock accept only this API key (401 otherwise).
func WithAPIKey(key string) Option {
	return func(s *Server) { s.apiKey = key }
}

// WithoutDemoHeader answers without DemoHeader, as Apideck's API does: for
// tests in which the mock stands in for the real API.
func WithoutDemoHeader() Option {
	return func(s *Server) { s.asApideck = true }
}

// WithLatency delays every session answer the mock makes by its own rules
// (scripted answers have their own Delay), so a spinner has time to show.
func WithLatency(d time.Duration) Option {
	return func(s *Server) { s.latency = d }
}

// New returns a mock with a fixed signing key and the real clock.
func New(opts ...Option) *Server {
	s := &Server{
		secret: []byte(defaultSecret),
		now:    time.Now,
		schema: sessionSchema(),
		page:   theme.NewHTMLPage(),

		authorizePage: theme.NewAuthorizePage(),

		steps:    DefaultConnectionSteps(),
		services: wellKnownServices(),

		keptBytes: maxRecordedBytes,
	}
	for _, opt := range opts {
		opt(s)
	}
	if !s.noSeed {
		s.seed(s.now())
	}
	return s
}

// Start serves a new mock on a free port of 127.0.0.1. It returns the base
// URL to give the client and a stop function (safe to call more than once).
func Start(opts ...Option) (srv *Server, url string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", nil, fmt.Errorf("start demo API: %w", err)
	}
	url = "http://" + ln.Addr().String()
	srv = New(append([]Option{WithBaseURL(url)}, opts...)...)
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	var once sync.Once
	stop = func() {
		once.Do(func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			if hs.Shutdown(ctx) != nil {
				hs.Close()
			}
		})
	}
	return srv, url, stop, nil
}

// Request is one request the mock received.
type Request struct {
	Method string
	Path   string
	// Header is a copy of the request's headers with the Authorization
	// value masked, so it is safe to print or store in a golden file.
	Header http.Header
	// APIKey is the bearer token as received. It stays in memory: never
	// print it.
	APIKey string
	Body   []byte
	// Session is the body decoded, when it was a valid session.
	Session *model.Session
	// Status is the status the mock answered.
	Status int
}

// Requests returns copies of the requests received so far, oldest first
// (at most the last 1000).
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		out[i] = r.clone()
	}
	return out
}

func (r Request) clone() Request {
	r.Header = r.Header.Clone()
	r.Body = bytes.Clone(r.Body)
	if r.Session != nil {
		session := *r.Session
		r.Session = &session
	}
	return r
}

func (s *Server) record(r Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r)
	s.recordedBytes += len(r.Body)
	drop := 0
	for len(s.requests)-drop > 1 && (len(s.requests)-drop > maxRecorded || s.recordedBytes > s.keptBytes) {
		s.recordedBytes -= len(s.requests[drop].Body)
		drop++
	}
	if drop > 0 {
		s.requests = append(s.requests[:0], s.requests[drop:]...)
	}
}

// ServeHTTP answers POST /vault/sessions, GET /session/<token>, the
// connection routes under /vault/connections and GET
// /vault/consumers/{consumer_id}, with the spec's JSON error bodies
// everywhere else.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.asApideck {
		w.Header().Set(DemoHeader, "true")
	}
	rec := Request{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone()}
	rec.APIKey = bearer(r.Header.Get("Authorization"))
	if rec.Header.Get("Authorization") != "" {
		rec.Header.Set("Authorization", "Bearer ****")
	}
	sw := &statusWriter{ResponseWriter: w}
	defer func() {
		rec.Status = sw.status
		s.record(rec)
	}()

	switch {
	case r.URL.Path == SessionsPath:
		if !s.admit(sw) {
			return
		}
		s.serveSessions(sw, r, &rec)
	case r.URL.Path == ConnectionsPath || strings.HasPrefix(r.URL.Path, ConnectionsPath+"/") ||
		r.URL.Path == ConsumersPath || strings.HasPrefix(r.URL.Path, ConsumersPath+"/") || r.URL.Path == LogsPath:
		if !s.admit(sw) {
			return
		}
		s.serveConnections(sw, r, &rec)
	case strings.HasPrefix(r.URL.Path, AuthorizePath):
		s.serveAuthorize(sw, r, &rec)
	case strings.HasPrefix(r.URL.Path, SessionPagePath):
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			methodNotAllowed(sw, r, "GET, HEAD")
			return
		}
		s.servePage(sw, strings.TrimPrefix(r.URL.Path, SessionPagePath))
	default:
		writeError(sw, newErrorBody(http.StatusNotFound, "NotFoundError", "Unknown route",
			fmt.Sprintf("No route for %s %s: the demo API serves POST %s, %s, %s and %s",
				r.Method, r.URL.Path, SessionsPath, ConnectionsPath, ConsumersPath, LogsPath)))
	}
}

func methodNotAllowed(w http.ResponseWriter, r *http.Request, allow string) {
	w.Header().Set("Allow", allow)
	writeError(w, newErrorBody(http.StatusMethodNotAllowed, "MethodNotAllowedError", "Method Not Allowed",
		fmt.Sprintf("%s %s is not supported: use %s", r.Method, r.URL.Path, allow)))
}

// serveSessions plays the scripted answer, if any, or the API's own rules:
// method, authentication, headers, body.
func (s *Server) serveSessions(w *statusWriter, r *http.Request, rec *Request) {
	body, tooLarge := readBody(r)
	rec.Body = body

	if s.answeredByScript(w, r, &s.script) {
		return
	}

	if r.Method != http.MethodPost {
		methodNotAllowed(w, r, http.MethodPost)
		return
	}
	if rec.APIKey == "" {
		writeError(w, unauthorized("Missing authentication"))
		return
	}
	if s.apiKey != "" && rec.APIKey != s.apiKey {
		writeError(w, unauthorized("Invalid API key"))
		return
	}
	appID := strings.TrimSpace(r.Header.Get("x-apideck-app-id"))
	consumerID := strings.TrimSpace(r.Header.Get("x-apideck-consumer-id"))
	if appID == "" || consumerID == "" {
		var missing []map[string]string
		first := ""
		for _, h := range []struct{ name, value string }{
			{"x-apideck-app-id", appID}, {"x-apideck-consumer-id", consumerID},
		} {
			if h.value == "" {
				missing = append(missing, map[string]string{h.name: "required"})
				if first == "" {
					first = h.name
				}
			}
		}
		writeError(w, newErrorBody(http.StatusBadRequest, "RequestHeadersValidationError",
			"Missing Header: "+first, map[string]any{"missing": missing}))
		return
	}
	if tooLarge {
		writeError(w, newErrorBody(http.StatusRequestEntityTooLarge, "RequestValidationError",
			"Request body too large", fmt.Sprintf("The body is over %d bytes", maxBody)))
		return
	}

	session, errBody := s.decodeSession(body)
	if errBody != nil {
		writeError(w, *errBody)
		return
	}
	rec.Session = &session
	s.rememberConsumer(appID, consumerID, session.ConsumerMetadata)

	token, err := s.issue(appID, consumerID, session)
	if err != nil {
		writeError(w, newErrorBody(http.StatusInternalServerError, "UnexpectedError", "Cannot sign the token", err.Error()))
		return
	}
	var created createdBody
	created.StatusCode, created.Status = http.StatusOK, "OK"
	created.Data.SessionURI = s.base(r) + SessionPagePath + token
	created.Data.SessionToken = token
	data, _ := json.Marshal(created)
	writeJSON(w, http.StatusOK, data)
}

// createdBody is the spec's CreateSessionResponse, in the spec's order.
type createdBody struct {
	StatusCode int    `json:"status_code"`
	Status     string `json:"status"`
	Data       struct {
		SessionURI   string `json:"session_uri"`
		SessionToken string `json:"session_token"`
	} `json:"data"`
}

// decodeSession applies the spec to a body: 400 for text that is not JSON,
// 422 for JSON that breaks the Session schema.
func (s *Server) decodeSession(body []byte) (model.Session, *errorBody) {
	if len(bytes.TrimSpace(body)) == 0 {
		return model.Session{}, nil // the request body is optional
	}
	if !json.Valid(body) {
		detail := "the body is not valid JSON"
		if _, err := model.DecodeSession(body); err != nil {
			detail = err.Error()
		}
		b := newErrorBody(http.StatusBadRequest, "RequestValidationError", "Invalid JSON body", detail)
		return model.Session{}, &b
	}
	problems := checkBody(s.schema, body)
	if len(problems) == 0 {
		session, err := model.DecodeSession(body)
		if err == nil {
			return session, nil
		}
		// The schema above and the model disagree; report the model's view.
		problems = []problem{{"body", err.Error()}}
	}
	message := problems[0].Path + ": " + problems[0].Message
	if n := len(problems) - 1; n > 0 {
		message += fmt.Sprintf(" (and %d more)", n)
	}
	b := newErrorBody(http.StatusUnprocessableEntity, "ValidationError", message, map[string]any{"errors": problems})
	return model.Session{}, &b
}

// issue signs the token of a new session: exp is iat plus the session
// length asked for (1h by default).
func (s *Server) issue(appID, consumerID string, session model.Session) (string, error) {
	length, _ := session.Settings.EffectiveSessionLength()
	iat := s.now().Unix()
	return signHS256(s.secret, Claims{
		ConsumerID:       consumerID,
		ApplicationID:    appID,
		ConsumerMetadata: session.ConsumerMetadata,
		RedirectURI:      session.RedirectURI,
		Theme:            session.Theme,
		Settings:         session.Settings,
		IssuedAt:         iat,
		ExpiresAt:        iat + int64(length.Duration()/time.Second),
	})
}

// VerifyToken checks that token was issued by this mock (signature and
// algorithm) and returns its claims. It does not check expiry.
func (s *Server) VerifyToken(token string) (Claims, error) {
	return verifyHS256(s.secret, token)
}

func (s *Server) base(r *http.Request) string {
	if s.baseURL != "" {
		return s.baseURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func bearer(authorization string) string {
	scheme, token, ok := strings.Cut(strings.TrimSpace(authorization), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// readBody reads at most maxBody bytes and says whether there was more.
func readBody(r *http.Request) ([]byte, bool) {
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil && !errors.Is(err, io.EOF) {
		return data, false
	}
	if len(data) > maxBody {
		return data[:maxBody], true
	}
	return data, false
}

// wait sleeps d unless the request is cancelled first; false means it was.
func wait(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// statusWriter remembers the status for the request log and lets scripted
// answers hang up.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(p)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
