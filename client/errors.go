package client

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"syscall"
	"time"

	"github.com/apideck-samples/vault-session/model"
)

// ConnectionError is a request that got no HTTP answer after every attempt:
// the connection was refused, reset or closed, or no answer came in time.
type ConnectionError struct {
	URL      string
	Attempts int
	// Timeout is the per-attempt bound when the last attempt ran out of
	// it; zero otherwise.
	Timeout time.Duration
	Err     error
}

func (e *ConnectionError) Error() string {
	var msg string
	target := RedactURL(e.URL)
	if e.Timeout > 0 {
		msg = fmt.Sprintf("no answer from %s within %s", target, e.Timeout)
	} else {
		msg = fmt.Sprintf("could not reach %s: %s", target, connectionProblem(e.Err))
	}
	if e.Attempts > 1 {
		msg += fmt.Sprintf(" (%d attempts)", e.Attempts)
	}
	return msg
}

func (e *ConnectionError) Unwrap() error { return e.Err }

// connectionProblem names the usual failures in words and otherwise gives
// the transport's own message without the repeated method and URL.
func connectionProblem(err error) string {
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var proxyErr *ProxyError
	switch {
	case errors.As(err, &proxyErr):
		return proxyErr.Error()
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused (is the address right, and is the server running?)"
	case errors.Is(err, syscall.ECONNRESET):
		return "the connection was reset"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the server closed the connection without answering"
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return "unknown host " + dnsErr.Name
	case errors.As(err, &certErr):
		return "the server's TLS certificate is not trusted: " + certErr.Err.Error()
	}
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		return urlErr.Err.Error()
	}
	return err.Error()
}

// retryableTransportError is false for failures a second attempt cannot
// fix: an unknown host, an untrusted certificate, TLS spoken to a plain
// HTTP server.
func retryableTransportError(err error) bool {
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var tlsHeader tls.RecordHeaderError
	var proxyErr *ProxyError
	switch {
	case errors.As(err, &proxyErr):
		// A proxy that refuses the tunnel (403, 407) will refuse it again;
		// one that is overloaded (5xx) may not.
		return proxyErr.StatusCode >= 500
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound,
		errors.As(err, &certErr), errors.As(err, &unknownAuthority),
		errors.As(err, &hostname), errors.As(err, &invalid),
		errors.As(err, &tlsHeader):
		return false
	}
	return true
}

// HeaderError is a credential that cannot be sent as an HTTP header value.
// It names the field, never the value.
type HeaderError struct {
	Field string // "API key", "app ID" or "consumer ID"
}

func (e *HeaderError) Error() string {
	return e.Field + " contains a line break or another control character, which an HTTP header cannot carry"
}

// BodyTooLargeError is a session body over model.MaxSessionBody, refused
// before anything is sent (flags can add to what a file gave).
type BodyTooLargeError struct {
	Size int // bytes
}

func (e *BodyTooLargeError) Error() string {
	return fmt.Sprintf("the session body is %d bytes, over the %d MiB a session body may be: make custom_consumer_settings smaller",
		e.Size, model.MaxSessionBody>>20)
}

// InvalidResponseError is a 2xx answer that cannot be used: not JSON, or
// not shaped as the spec says.
type InvalidResponseError struct {
	// Operation is what was asked, as retries name it: OpCreateSession,
	// "list connections", "get consumer"...
	Operation  string
	StatusCode int
	Problem    string
	Body       []byte // at most MaxBodySize bytes
}

func (e *InvalidResponseError) Error() string {
	return fmt.Sprintf("%d %s: %s", e.StatusCode, http.StatusText(e.StatusCode), e.Problem)
}

// RedirectError is a redirect to another origin than the base URL's. It is
// not followed: the request carries the API key, which goes to the base
// URL's origin (scheme, host and port) and nowhere else.
type RedirectError struct {
	// Location is where the API redirected to, credentials left out.
	Location string
}

func (e *RedirectError) Error() string {
	return "the API redirected to " + e.Location + "; not following it with your key"
}

// ProxyError is a proxy's refusal to open a tunnel to the API (its answer
// to CONNECT): the request never reached the API.
type ProxyError struct {
	Proxy      string // the proxy's URL, credentials left out
	Target     string // the host:port the tunnel was asked for
	StatusCode int
	Status     string // the proxy's status line, "407 Proxy Authentication Required"
}

func (e *ProxyError) Error() string {
	return fmt.Sprintf("the proxy %s refused to connect to %s (%s); this answer came from the proxy, not the API",
		e.Proxy, e.Target, oneLine(e.Status, 80))
}
