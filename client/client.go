// Package client talks to the Apideck Vault API: it creates Hosted Vault
// sessions. It knows nothing of terminals.
package client

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/apideck-samples/vault-session/model"
)

// DefaultBaseURL is Apideck's production API.
const DefaultBaseURL = "https://unify.apideck.com"

// SessionsPath is the Create Session operation's path.
const SessionsPath = "/vault/sessions"

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
}

// Client creates Vault sessions. Its zero value is not usable: call New.
type Client struct {
	// filled in by the implementation
}

// Option configures a Client.
type Option func(*Client)

// New returns a client with sane defaults: DefaultBaseURL, a 60 s request
// timeout, DefaultRetryPolicy and a User-Agent naming the version.
func New(opts ...Option) *Client { panic("not implemented") }

// WithBaseURL sets the API's base URL (no trailing path).
func WithBaseURL(url string) Option { panic("not implemented") }

// WithHTTPClient sets the HTTP client (its Timeout is left as given).
func WithHTTPClient(hc *http.Client) Option { panic("not implemented") }

// WithTimeout bounds each attempt.
func WithTimeout(d time.Duration) Option { panic("not implemented") }

// WithRetryPolicy replaces the retry policy.
func WithRetryPolicy(p RetryPolicy) Option { panic("not implemented") }

// WithVersion sets the version named in the User-Agent.
func WithVersion(v string) Option { panic("not implemented") }

// BaseURL returns the base URL in use.
func (c *Client) BaseURL() string { panic("not implemented") }

// Create sends POST /vault/sessions.
// Errors: *APIError for a non-2xx answer; context errors when ctx ends;
// other errors for network failures after retries.
func (c *Client) Create(ctx context.Context, creds Credentials, s model.Session) (Result, error) {
	panic("not implemented")
}

// RetryPolicy decides whether and when to try again.
type RetryPolicy struct {
	MaxAttempts  int           // including the first
	InitialWait  time.Duration // first backoff
	Factor       float64
	MaxWait      time.Duration // cap of one wait
	Jitter       float64       // ±fraction, e.g. 0.25
	MaxTotalTime time.Duration // across all attempts and waits
}

// DefaultRetryPolicy follows Apideck's Go SDK where it applies.
func DefaultRetryPolicy() RetryPolicy { panic("not implemented") }

// APIError is every non-2xx answer.
type APIError struct {
	StatusCode int
	ErrorText  string // "error"
	TypeName   string // "type_name"
	Message    string // "message"
	Detail     any    // "detail": string or object (map[string]any) or nil
	Ref        string // "ref": documentation link
	Body       []byte // raw body, at most 1 MiB
}

func (e *APIError) Error() string { panic("not implemented") }

// DetailText renders Detail for people: the string, or indented JSON.
func (e *APIError) DetailText() string { panic("not implemented") }

// ParseAPIError builds an APIError from a status and a body; never fails.
func ParseAPIError(status int, body []byte) *APIError { panic("not implemented") }

// DescribedRequest is the request Create would send, for --dry-run and the
// wizard's review: headers with the API key redacted.
type DescribedRequest struct {
	Method  string
	URL     string
	Headers [][2]string // in a stable order
	Body    []byte      // indented JSON
}

// Describe returns the request Create would send, with the key redacted.
func (c *Client) Describe(creds Credentials, s model.Session) (DescribedRequest, error) {
	panic("not implemented")
}

// Curl renders d as a copy-pasteable curl command (key stays redacted).
func (d DescribedRequest) Curl() string { panic("not implemented") }

// DecodeJWTClaims decodes a JWT's payload without verifying it.
func DecodeJWTClaims(token string) (map[string]any, error) { panic("not implemented") }

var errNotImplemented = errors.New("not implemented")
