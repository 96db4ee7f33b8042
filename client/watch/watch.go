// Package watch follows a consumer's connections over time: what changed
// between two polls, when to poll next (backing off on rate limits and
// errors), and whether a condition such as "a CRM connection is callable"
// holds. The wizard's watch screen and the headless watch command share
// it; it knows nothing of terminals.
package watch

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/client"
)

// DefaultInterval is how often a watch polls when all is well: the API is
// rate limited per minute and a person does not notice 5 s.
const DefaultInterval = 5 * time.Second

// MaxBackoff bounds the wait after errors that came without a Retry-After.
const MaxBackoff = time.Minute

// MaxRetryAfter bounds the wait a Retry-After can impose; more is not
// something a watcher should sit through silently.
const MaxRetryAfter = 10 * time.Minute

// NextPoll says how long to wait before the next poll. failures counts the
// polls that failed in a row, err being the last one's error (nil after a
// success). When the API said how long to wait (Retry-After on a 429 or
// 503) that is the wait, never shorter than interval nor longer than
// MaxRetryAfter: the server knows when its window resets. Otherwise the
// wait doubles from interval with each failure, up to MaxBackoff.
func NextPoll(interval time.Duration, failures int, err error) time.Duration {
	if interval <= 0 {
		interval = DefaultInterval
	}
	if err == nil || failures <= 0 {
		return interval
	}
	var apiErr *client.APIError
	if errors.As(err, &apiErr) && apiErr.RetryAfter > 0 {
		return max(interval, min(apiErr.RetryAfter, MaxRetryAfter))
	}
	wait := interval
	for i := 0; i < failures && wait < MaxBackoff; i++ {
		wait *= 2
	}
	return min(wait, max(MaxBackoff, interval))
}

// Permanent reports whether err will not go away by polling again: the
// API refused the request itself (a 4xx other than 408 and 429), answered
// in a shape that is not the API's, or the request could not be made.
// Rate limits, server errors and unreachable hosts are worth waiting out.
func Permanent(err error) bool {
	if err == nil {
		return false
	}
	var apiErr *client.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.StatusCode {
		case http.StatusRequestTimeout, http.StatusTooManyRequests:
			return false
		}
		return apiErr.StatusCode < 500
	}
	var connErr *client.ConnectionError
	if errors.As(err, &connErr) {
		return false
	}
	return !errors.Is(err, context.DeadlineExceeded)
}

// Added reports whether c is one of the consumer's own connections rather
// than an integration merely offered ("available").
func Added(c client.Connection) bool { return c.State != client.StateAvailable }

// Visible keeps the consumer's own connections, of the given unified APIs
// (all when apis is empty), ordered by unified API, then name.
func Visible(list []client.Connection, apis []string) []client.Connection {
	out := make([]client.Connection, 0, len(list))
	for _, c := range list {
		if Added(c) && (len(apis) == 0 || slices.Contains(apis, c.UnifiedAPI)) {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b client.Connection) int {
		return cmp.Or(strings.Compare(a.UnifiedAPI, b.UnifiedAPI),
			strings.Compare(strings.ToLower(a.DisplayName()), strings.ToLower(b.DisplayName())),
			strings.Compare(a.ServiceID, b.ServiceID))
	})
	return out
}

// Status is what a change is about: state, health and enabled.
type Status struct {
	State   client.ConnectionState  `json:"state"`
	Health  client.ConnectionHealth `json:"health,omitempty"`
	Enabled *bool                   `json:"enabled,omitempty"`
}

// StatusOf takes a connection's status; a connection not added has none.
func StatusOf(c client.Connection) Status {
	return Status{State: c.State, Health: c.Health, Enabled: c.Enabled}
}

func (s Status) equal(o Status) bool {
	return s.State == o.State && s.Health == o.Health &&
		(s.Enabled == nil) == (o.Enabled == nil) && (s.Enabled == nil || *s.Enabled == *o.Enabled)
}

// ChangeKind says how a connection changed between two polls.
type ChangeKind string

const (
	// Appeared: the consumer added it (it was absent or only available).
	Appeared ChangeKind = "added"
	// Changed: its state, health or enabled moved.
	Changed ChangeKind = "changed"
	// Removed: it is gone or back to available (deleted).
	Removed ChangeKind = "removed"
)

// Change is one connection's move between two polls. From is the zero
// Status for Appeared; To is the zero Status for Removed.
type Change struct {
	Kind       ChangeKind
	Connection client.Connection // as of the later poll (the earlier one for Removed)
	From, To   Status
}

// Diff lists what changed from prev to next, both full answers of the
// connection list (available ones included, they are skipped), in the
// order of Visible.
func Diff(prev, next []client.Connection) []Change {
	before := map[string]client.Connection{}
	for _, c := range prev {
		if Added(c) {
			before[c.Key()] = c
		}
	}
	var out []Change
	for _, c := range Visible(next, nil) {
		old, ok := before[c.Key()]
		delete(before, c.Key())
		switch {
		case !ok:
			out = append(out, Change{Kind: Appeared, Connection: c, To: StatusOf(c)})
		case !StatusOf(old).equal(StatusOf(c)):
			out = append(out, Change{Kind: Changed, Connection: c, From: StatusOf(old), To: StatusOf(c)})
		}
	}
	gone := make([]client.Connection, 0, len(before))
	for _, c := range before {
		gone = append(gone, c)
	}
	for _, c := range Visible(gone, nil) {
		out = append(out, Change{Kind: Removed, Connection: c, From: StatusOf(c)})
	}
	return out
}

// Describe puts a change in words, without a time: "authorized → callable",
// "health ok → revoked", "appeared as added, health needs_auth",
// "removed (was callable, health ok)".
// The words are the API's own values: show them through model/termtext.
func (ch Change) Describe() string {
	switch ch.Kind {
	case Appeared:
		return "appeared as " + describeStatus(ch.To)
	case Removed:
		return "removed (was " + describeStatus(ch.From) + ")"
	}
	var parts []string
	if ch.From.State != ch.To.State {
		parts = append(parts, orNone(string(ch.From.State))+" → "+orNone(string(ch.To.State)))
	}
	if ch.From.Health != ch.To.Health {
		parts = append(parts, "health "+orNone(string(ch.From.Health))+" → "+orNone(string(ch.To.Health)))
	}
	if enabledText(ch.From.Enabled) != enabledText(ch.To.Enabled) {
		parts = append(parts, enabledText(ch.To.Enabled))
	}
	return strings.Join(parts, ", ")
}

func describeStatus(s Status) string {
	text := orNone(string(s.State))
	if s.Health != "" {
		text += ", health " + string(s.Health)
	}
	if s.Enabled != nil && !*s.Enabled {
		text += ", disabled"
	}
	return text
}

func enabledText(b *bool) string {
	switch {
	case b == nil:
		return "enabled unknown"
	case *b:
		return "enabled"
	}
	return "disabled"
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// Condition is what `watch --until` waits for: a connection in a state,
// optionally of one unified API, optionally of one service.
type Condition struct {
	State      client.ConnectionState
	UnifiedAPI string
	ServiceID  string
}

// ParseCondition reads "callable", "callable:crm" or
// "callable:crm/salesforce". Any state of the spec may be waited for
// ("authorized:hris").
func ParseCondition(s string) (Condition, error) {
	state, target, hasTarget := strings.Cut(strings.TrimSpace(s), ":")
	c := Condition{State: client.ConnectionState(state)}
	if !c.State.Known() || c.State == client.StateAvailable {
		return Condition{}, fmt.Errorf("%q is not a condition: use callable, callable:API or callable:API/SERVICE (the state may also be added, authorized or invalid)", s)
	}
	if hasTarget {
		api, service, hasService := strings.Cut(target, "/")
		if api == "" || (hasService && service == "") || strings.Contains(service, "/") {
			return Condition{}, fmt.Errorf("%q is not a condition: after %q comes a unified API (crm) or API/SERVICE (crm/salesforce)", s, state+":")
		}
		c.UnifiedAPI, c.ServiceID = api, service
	}
	return c, nil
}

func (c Condition) String() string {
	s := string(c.State)
	if c.UnifiedAPI != "" {
		s += ":" + c.UnifiedAPI
	}
	if c.ServiceID != "" {
		s += "/" + c.ServiceID
	}
	return s
}

// Match returns the first connection (in Visible order) that satisfies c.
func (c Condition) Match(list []client.Connection) (client.Connection, bool) {
	for _, conn := range Visible(list, nil) {
		if conn.State == c.State &&
			(c.UnifiedAPI == "" || conn.UnifiedAPI == c.UnifiedAPI) &&
			(c.ServiceID == "" || conn.ServiceID == c.ServiceID) {
			return conn, true
		}
	}
	return client.Connection{}, false
}
