// Package client talks to the Apideck Vault API: it creates Hosted Vault
// sessions and reads a consumer's connections. It knows nothing of
// terminals.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/model"
)

// DefaultBaseURL is Apideck's production API.
const DefaultBaseURL = "https://unify.apideck.com"

// SessionsPath is the Create Session operation's path.
const SessionsPath = "/vault/sessions"

// OpCreateSession is Create's name for its request, in retry reports and
// in an *InvalidResponseError's Operation.
const OpCreateSession = "create session"

// DefaultTimeout bounds one attempt, as in Apideck's Go SDK.
const DefaultTimeout = 60 * time.Second

// Credentials authenticate a request and say whose Vault it opens.
type Credentials struct {
	APIKey     string
	AppID      string
	ConsumerID string
}

// Result is a created session.
type Result struct {
	URL   string
	Token string
	// ExpiresAt comes from the token's exp claim when the token is a JWT,
	// otherwise from the session length asked for.
	ExpiresAt time.Time
	// ExpiryFromToken is true when ExpiresAt is the token's own exp: what
	// Vault will hold to, whatever length was asked for.
	ExpiryFromToken bool
	// IssuedAt is the token's iat claim, when it has one; with ExpiresAt it
	// gives the length the API really granted.
	IssuedAt time.Time
	// Demo is true when the API said it is a demo (DemoHeader), as the
	// built-in demo API and `vault-session demo-server` do.
	Demo bool
}

// DemoHeader is the answer header by which a demo API says it is one
// (client/mock sets it). Apideck's API never sends it.
const DemoHeader = "X-Vault-Session-Demo"

// Granted is the session length the API gave: exp minus iat when the token
// carries both, otherwise 0 (unknown).
func (r Result) Granted() time.Duration {
	if !r.ExpiryFromToken || r.IssuedAt.IsZero() {
		return 0
	}
	return r.ExpiresAt.Sub(r.IssuedAt)
}

// ExpiryNote says, in the words every front end uses, when the session
// will not last the length asked for: Vault holds to the token's exp,
// whatever the request said ("asked 7d, the API gave 1h"). receivedAt is
// when the answer came, for a token with exp but no iat. "" when the
// length is the one asked for (to the minute).
func (r Result) ExpiryNote(asked model.SessionLength, receivedAt time.Time) string {
	if r.ExpiresAt.IsZero() {
		return ""
	}
	if !r.ExpiryFromToken {
		return "the token carries no expiry: this is the " + asked.String() + " asked for"
	}
	given := r.Granted()
	if given == 0 {
		given = r.ExpiresAt.Sub(receivedAt)
	}
	if d := given - asked.Duration(); d > time.Minute || d < -time.Minute {
		return "asked " + asked.String() + ", the API gave " + model.SessionLength(given.Round(time.Minute)).String()
	}
	return ""
}

// Client creates Vault sessions. Its zero value is not usable: call New.
// A Client is safe for concurrent use.
type Client struct {
	baseURL string
	hc      *http.Client
	timeout time.Duration
	retry   RetryPolicy
	version string
	gate    *Gate // nil: each request paces itself alone

	// Seams for tests: the clock, the backoff sleep and the jitter source.
	now    func() time.Time
	sleep  func(context.Context, time.Duration) error
	random func() float64
}

// Option configures a Client.
type Option func(*Client)

// New returns a client with sane defaults: DefaultBaseURL, a 60 s request
// timeout, DefaultRetryPolicy and a User-Agent naming the version.
func New(opts ...Option) *Client {
	c := &Client{
		baseURL: DefaultBaseURL,
		hc:      &http.Client{Transport: newTransport(http.ProxyFromEnvironment)},
		timeout: DefaultTimeout,
		retry:   DefaultRetryPolicy(),
		version: "dev",
		now:     time.Now,
		sleep:   Sleep,
		random:  rand.Float64,
	}
	for _, opt := range opts {
		opt(c)
	}
	return c
}

// WithBaseURL sets the API's base URL (no trailing path). Trailing slashes
// are dropped; an empty URL keeps DefaultBaseURL.
func WithBaseURL(url string) Option {
	return func(c *Client) {
		if u := strings.TrimRight(strings.TrimSpace(url), "/"); u != "" {
			c.baseURL = u
		}
	}
}

// WithHTTPClient sets the HTTP client (its Timeout is left as given; its
// CheckRedirect is not used: redirects always follow the client's own
// policy, which keeps the key with the base URL's origin). A nil client
// keeps the default.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) {
		if hc != nil {
			c.hc = hc
		}
	}
}

// WithTimeout bounds each attempt; 0 or less means no per-attempt bound
// (the caller's context still applies).
func WithTimeout(d time.Duration) Option {
	return func(c *Client) { c.timeout = d }
}

// WithRetryPolicy replaces the retry policy.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *Client) { c.retry = p }
}

// WithVersion sets the version named in the User-Agent.
func WithVersion(v string) Option {
	return func(c *Client) {
		if v = userAgentToken(v, 64); v != "" {
			c.version = v
		}
	}
}

// userAgentToken is v as one token of a User-Agent header: printable
// ASCII without spaces (anything else becomes "_"), at most limit bytes.
func userAgentToken(v string, limit int) string {
	v = strings.Map(func(r rune) rune {
		if r > ' ' && r < 0x7f {
			return r
		}
		return '_'
	}, strings.TrimSpace(v))
	return v[:min(len(v), limit)]
}

// With returns a copy of c with opts applied on top, e.g. a poller that
// does its own backing off takes c.With(WithRetryPolicy(NoRetry())).
func (c *Client) With(opts ...Option) *Client {
	clone := *c
	for _, opt := range opts {
		opt(&clone)
	}
	return &clone
}

// BaseURL returns the base URL in use.
func (c *Client) BaseURL() string { return c.baseURL }

// UserAgent returns the User-Agent header the client sends.
func (c *Client) UserAgent() string {
	return fmt.Sprintf("vault-session/%s (go; %s/%s)", c.version, runtime.GOOS, runtime.GOARCH)
}

func (c *Client) sessionsURL() string { return c.baseURL + SessionsPath }

// Create sends POST /vault/sessions.
// Errors: *APIError for a non-2xx answer; context errors when ctx ends;
// other errors for network failures after retries.
//
// A deadline on ctx bounds the whole create, retries and their waits
// included: when it passes, the error is a *DeadlineError.
//
// In more detail: a *HeaderError when a credential cannot be sent as a
// header; ctx.Err() (wrapped, errors.Is works) as soon as ctx is done, even
// during a backoff wait; *ConnectionError when no answer came; the last
// *APIError once retries are exhausted; *InvalidResponseError for a 2xx
// answer without a usable session URL. No error holds the API key.
func (c *Client) Create(ctx context.Context, creds Credentials, s model.Session) (Result, error) {
	if err := checkBaseURL(c.baseURL); err != nil {
		return Result{}, err
	}
	headers, err := c.headers(creds, "Bearer "+creds.APIKey)
	if err != nil {
		return Result{}, err
	}
	session := s.Normalized()
	// In pieces: a 1 MB custom_consumer_settings is sent from the
	// session's own bytes, not copied into a body first.
	body, err := session.BodyParts()
	if err != nil {
		return Result{}, fmt.Errorf("create session: cannot encode the body: %w", err)
	}
	if size := partsSize(body); size > model.MaxSessionBody {
		return Result{}, &BodyTooLargeError{Size: size}
	}

	got, err := c.exchange(ctx, OpCreateSession, http.MethodPost, c.sessionsURL(), headers, body, creds.APIKey)
	if err != nil {
		return Result{}, err
	}
	return c.result(got, session, creds.APIKey)
}

// partsSize is the length of a body sent in parts.
func partsSize(parts [][]byte) int {
	size := 0
	for _, part := range parts {
		size += len(part)
	}
	return size
}

// exchange sends one request under the retry policy and returns the first
// 2xx answer. op names the operation in context errors ("create session").
// Errors are those Create documents; apiKey is masked in an *APIError.
func (c *Client) exchange(ctx context.Context, op, method, target string, headers [][2]string, body [][]byte, apiKey string) (answer, error) {
	policy := c.retry
	start := c.now()
	var lastFailure error // of the attempt before this one
	for attempt := 1; ; attempt++ {
		if c.gate != nil {
			if err := c.gate.Wait(ctx); err != nil {
				return answer{}, c.ended(ctx, op, target, attempt, start, lastFailure)
			}
		}
		if hook := beforeSend(ctx); hook != nil {
			// Nothing is sent once ctx has ended; the hook says it is.
			if ctx.Err() != nil {
				return answer{}, c.ended(ctx, op, target, attempt, start, lastFailure)
			}
			if err := hook(); err != nil {
				return answer{}, err
			}
		}
		got := c.send(ctx, method, target, headers, body)
		// An answer in hand is used even if ctx ended meanwhile: a created
		// session is not thrown away.
		if got.err != nil && ctx.Err() != nil {
			return answer{}, c.ended(ctx, op, target, attempt, start, lastFailure)
		}

		var lastErr error
		var wait time.Duration
		waitGiven := false
		switch {
		case got.redirect != nil:
			return answer{}, got.redirect
		case got.err != nil:
			lastErr = &ConnectionError{URL: target, Attempts: attempt, Timeout: got.timeout, Err: got.err}
			if got.permanent || !retryableTransportError(got.err) {
				return answer{}, lastErr
			}
		case got.status >= 200 && got.status < 300:
			if c.gate != nil {
				c.gate.Answered()
			}
			got.op = op
			return got, nil
		default:
			apiErr := ParseAPIError(got.status, got.body)
			apiErr.Truncated = apiErr.Truncated || got.truncated
			apiErr.ContentType = got.header.Get("Content-Type")
			apiErr.Attempts = attempt
			apiErr.redact(apiKey)
			wait, waitGiven = retryAfter(got.header, c.now())
			held := false
			if waitGiven {
				apiErr.RetryAfter = wait
				if c.gate != nil && (got.status == http.StatusTooManyRequests || got.status == http.StatusServiceUnavailable) {
					// Every request sharing the gate waits, not only this one.
					c.gate.HoldFor(policy.capWait(wait))
					held = true
				}
			}
			if c.gate != nil && !held {
				c.gate.Answered()
			}
			if !retryableStatus(got.status) {
				return answer{}, apiErr
			}
			lastErr = apiErr
		}

		if attempt >= policy.attempts() {
			return answer{}, lastErr
		}
		if waitGiven {
			wait = policy.capWait(wait)
		} else {
			wait = policy.backoff(attempt, c.random())
		}
		if policy.MaxTotalTime > 0 {
			remaining := policy.MaxTotalTime - c.now().Sub(start)
			if remaining <= 0 {
				return answer{}, lastErr
			}
			wait = min(wait, remaining)
		}
		if observe, ok := ctx.Value(retryObserverKey{}).(func(Retry)); ok {
			observe(Retry{Attempt: attempt, MaxAttempts: policy.attempts(), Wait: wait, Err: lastErr})
		}
		if err := c.sleep(ctx, wait); err != nil {
			return answer{}, c.ended(ctx, op, target, attempt, start, lastErr)
		}
		lastFailure = lastErr
	}
}

// answer is what one attempt got back: an HTTP answer or a transport error.
type answer struct {
	op        string // what was asked ("create session"), for errors
	status    int
	header    http.Header
	body      []byte
	truncated bool

	err       error
	redirect  *RedirectError // the API redirected to another origin
	permanent bool           // the request could not even be built
	timeout   time.Duration  // the per-attempt bound, when it is what ended the attempt
}

// send makes one attempt, bounded by the per-attempt timeout, reading at
// most MaxBodySize bytes of the answer.
func (c *Client) send(ctx context.Context, method, target string, headers [][2]string, body [][]byte) answer {
	attemptCtx, cancel := ctx, context.CancelFunc(func() {})
	if c.timeout > 0 {
		attemptCtx, cancel = context.WithTimeout(ctx, c.timeout)
	}
	defer cancel()
	failed := func(err error) answer {
		a := answer{err: err}
		if ctx.Err() == nil && errors.Is(attemptCtx.Err(), context.DeadlineExceeded) {
			a.timeout = c.timeout
		}
		return a
	}

	req, err := http.NewRequestWithContext(attemptCtx, method, target, nil)
	if err != nil {
		return answer{err: err, permanent: true}
	}
	if body != nil {
		// The pieces one after the other, as a same-origin 307 or 308
		// sends them again.
		size := partsSize(body)
		req.ContentLength = int64(size)
		req.GetBody = func() (io.ReadCloser, error) {
			if size == 0 {
				return http.NoBody, nil
			}
			readers := make([]io.Reader, len(body))
			for i, part := range body {
				readers[i] = bytes.NewReader(part)
			}
			return io.NopCloser(io.MultiReader(readers...)), nil
		}
		req.Body, _ = req.GetBody()
	}
	for _, h := range headers {
		req.Header.Set(h[0], h[1])
	}
	resp, err := withRedirectPolicy(c.hc).Do(req)
	if err != nil {
		var redirect *RedirectError
		if errors.As(err, &redirect) {
			return answer{redirect: redirect}
		}
		return failed(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxBodySize+1))
	if err != nil {
		return failed(err)
	}
	a := answer{status: resp.StatusCode, header: resp.Header, body: data}
	if len(data) > MaxBodySize {
		a.body, a.truncated = data[:MaxBodySize], true
	}
	return a
}

// result reads a 2xx answer. apiKey is masked in what an error keeps of the
// body, in case the server echoes it.
func (c *Client) result(a answer, session model.Session, apiKey string) (Result, error) {
	invalid := func(problem string) error {
		masked := &APIError{Body: a.body}
		masked.redact(apiKey)
		return &InvalidResponseError{Operation: a.op, StatusCode: a.status, Problem: problem, Body: masked.Body}
	}
	if !json.Valid(a.body) {
		described := &APIError{Body: a.body, Truncated: a.truncated, ContentType: a.header.Get("Content-Type")}
		described.redact(apiKey)
		return Result{}, invalid(described.describeBody())
	}
	var created struct {
		Data struct {
			SessionURI   string `json:"session_uri"`
			SessionToken string `json:"session_token"`
		} `json:"data"`
	}
	if err := json.Unmarshal(a.body, &created); err != nil {
		return Result{}, invalid("the answer is not shaped as the spec says: expected {\"data\":{\"session_uri\":...}}")
	}
	uri := strings.TrimSpace(created.Data.SessionURI)
	if uri == "" {
		return Result{}, invalid("the answer has no data.session_uri")
	}
	// The URL is opened in a browser: only a web address will do. The
	// message does not quote it because it holds the session token.
	if u, err := url.Parse(uri); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return Result{}, invalid("data.session_uri is not an http(s) URL")
	}
	res := Result{URL: uri, Token: created.Data.SessionToken, Demo: a.header.Get(DemoHeader) == "true"}
	if exp, err := JWTExpiry(res.Token); err == nil {
		res.ExpiresAt, res.ExpiryFromToken = exp, true
		if claims, err := DecodeJWTClaims(res.Token); err == nil {
			res.IssuedAt, _ = ClaimTime(claims, "iat")
		}
	} else {
		length, _ := session.Settings.EffectiveSessionLength()
		res.ExpiresAt = c.now().Add(length.Duration())
	}
	return res, nil
}

// headers lists the request's headers in the order Describe shows them.
// Empty app and consumer IDs are left out so the API names the missing
// header; an empty API key is sent, and the API answers 401.
func (c *Client) headers(creds Credentials, authorization string) ([][2]string, error) {
	for _, f := range []struct{ name, value string }{
		{"API key", creds.APIKey},
		{"app ID", creds.AppID},
		{"consumer ID", creds.ConsumerID},
	} {
		if strings.ContainsFunc(f.value, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return nil, &HeaderError{Field: f.name}
		}
	}
	h := [][2]string{{"Authorization", authorization}}
	if creds.AppID != "" {
		h = append(h, [2]string{"x-apideck-app-id", creds.AppID})
	}
	if creds.ConsumerID != "" {
		h = append(h, [2]string{"x-apideck-consumer-id", creds.ConsumerID})
	}
	return append(h,
		[2]string{"Content-Type", "application/json"},
		[2]string{"Accept", "application/json"},
		[2]string{"User-Agent", c.UserAgent()},
	), nil
}

func checkBaseURL(base string) error {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("base URL %q is not an http(s) URL such as %s", RedactURL(base), DefaultBaseURL)
	}
	return nil
}
