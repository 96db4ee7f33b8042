package mock

import (
	"math"
	"net/http"
	"strconv"
	"time"
)

// rateLimit is a token bucket over the API's routes (sessions,
// connections, consumers, logs), so clients can be tested against a
// limit they must honour. The session page is not the API and is not
// limited.
type rateLimit struct {
	perSecond float64
	burst     float64
	tokens    float64
	last      time.Time
}

// WithRateLimit answers 429 with Retry-After, in the spec's error shape,
// once requests to the API's routes (POST /vault/sessions and the
// connection, consumer and log routes) come faster than perSecond on
// average (burst at once), as one limit for the application, as
// Apideck's is. 0 or less: no limit.
func WithRateLimit(perSecond float64, burst int) Option {
	return func(s *Server) {
		if perSecond <= 0 {
			s.limit = nil
			return
		}
		b := math.Max(float64(burst), 1)
		s.limit = &rateLimit{perSecond: perSecond, burst: b, tokens: b}
	}
}

// admit takes a token, or answers 429 and returns false.
func (s *Server) admit(w http.ResponseWriter) bool {
	s.mu.Lock()
	l := s.limit
	if l == nil {
		s.mu.Unlock()
		return true
	}
	now := s.now()
	if !l.last.IsZero() {
		l.tokens = math.Min(l.burst, l.tokens+now.Sub(l.last).Seconds()*l.perSecond)
	}
	l.last = now
	if l.tokens >= 1 {
		l.tokens--
		s.mu.Unlock()
		return true
	}
	wait := (1 - l.tokens) / l.perSecond
	s.mu.Unlock()
	// Retry-After has whole seconds only; retry-after-ms, which Apideck's
	// SDKs prefer, says the wait precisely.
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait))))
	w.Header().Set("retry-after-ms", strconv.Itoa(int(math.Ceil(wait*1000))))
	writeJSON(w, http.StatusTooManyRequests, ErrorBody(http.StatusTooManyRequests))
	return false
}
