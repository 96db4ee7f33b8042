package mock

import (
	"encoding/base64"
	"fmt"
	"hash/fnv"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// LogsPath lists a consumer's requests (GET).
const LogsPath = "/vault/logs"

// logRetention is how far back GET /vault/logs reaches.
const logRetention = 30 * 24 * time.Hour

// trafficSchedule is a consumer's steady use of one connection through a
// unified API: a request every `every` from `from`, cycling through
// calls. Requests while it is failing answer the failure. The demo's logs
// and request counts are computed from schedules, not stored: ten thousand
// seeded consumers cost a few bytes each.
type trafficSchedule struct {
	consumerID string
	unifiedAPI string
	service    service
	calls      []trafficCall
	from       time.Time
	every      time.Duration
	failing    *trafficFailure // nil: every request succeeds
}

// trafficCall is one kind of request a schedule makes.
type trafficCall struct {
	method, path   string
	status         int // when it succeeds
	opID, opName   string
	resourceIDPath bool // path ends in an id made up per request
}

// trafficFailure is a window in which a schedule's requests fail.
type trafficFailure struct {
	from, until time.Time // until zero: failing still
	status      int
	message     string
}

// failingAt reports whether a request at t fails.
func (f *trafficFailure) failingAt(t time.Time) bool {
	return f != nil && !t.Before(f.from) && (f.until.IsZero() || t.Before(f.until))
}

// recover ends the schedule's failure at now (the customer signed in
// again): requests from now on succeed.
func (t *trafficSchedule) recover(now time.Time) {
	if t.failing != nil && t.failing.until.IsZero() && !now.Before(t.failing.from) {
		t.failing.until = now
	}
}

// span returns the first and last request numbers within [lo, hi], and
// false when there is none.
func (t *trafficSchedule) span(lo, hi time.Time) (int64, int64, bool) {
	if t.every <= 0 || hi.Before(t.from) || hi.Before(lo) {
		return 0, 0, false
	}
	first := int64(0)
	if lo.After(t.from) {
		d := lo.Sub(t.from)
		first = int64(d / t.every)
		if d%t.every != 0 {
			first++
		}
	}
	last := int64(hi.Sub(t.from) / t.every)
	return first, last, first <= last
}

// count is the number of requests within [lo, hi].
func (t *trafficSchedule) count(lo, hi time.Time) int64 {
	first, last, ok := t.span(lo, hi)
	if !ok {
		return 0
	}
	return last - first + 1
}

// logEntry is the spec's Log: every property it requires, and no other
// (the schema is closed).
type logEntry struct {
	APIStyle     string       `json:"api_style"`
	BaseURL      string       `json:"base_url"`
	ChildRequest bool         `json:"child_request"`
	ConsumerID   string       `json:"consumer_id"`
	Duration     float64      `json:"duration"`
	ErrorMessage *string      `json:"error_message"`
	Execution    int          `json:"execution"`
	HasChildren  bool         `json:"has_children"`
	HTTPMethod   string       `json:"http_method"`
	ID           string       `json:"id"`
	Latency      float64      `json:"latency"`
	Operation    logNamedPart `json:"operation"`
	ParentID     *string      `json:"parent_id"`
	Path         string       `json:"path"`
	Sandbox      bool         `json:"sandbox"`
	Service      logNamedPart `json:"service"`
	SourceIP     *string      `json:"source_ip"`
	StatusCode   int          `json:"status_code"`
	Success      bool         `json:"success"`
	Timestamp    string       `json:"timestamp"`
	UnifiedAPI   string       `json:"unified_api"`

	at time.Time // for ordering and filters
}

type logNamedPart struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// entry is request n of the schedule, made up the same way every time.
func (t *trafficSchedule) entry(n int64) logEntry {
	at := t.from.Add(time.Duration(n) * t.every)
	call := t.calls[int(n%int64(len(t.calls)))]
	h := fnv.New64a()
	fmt.Fprintf(h, "%s|%s|%s|%d", t.consumerID, t.unifiedAPI, t.service.ID, at.UnixMilli())
	sum := h.Sum64()
	path := call.path
	if call.resourceIDPath {
		path += "/" + strconv.FormatUint(sum%90000+10000, 10)
	}
	duration := 80 + float64(sum%1700) + float64(sum%1000)/1000
	latency := 12 + float64(sum>>20%4000)/100
	ip := fmt.Sprintf("203.0.113.%d", sum>>40%254+1) // a documentation address (RFC 5737)
	e := logEntry{
		APIStyle: "REST", BaseURL: "unify.apideck.com", ConsumerID: t.consumerID,
		Duration: duration, Execution: int(duration + latency), HTTPMethod: call.method,
		ID:      fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", uint32(sum>>32), uint16(sum>>16), sum>>4&0xfff, sum>>8&0xfff, sum&0xffffffffffff),
		Latency: latency, Operation: logNamedPart{call.opID, call.opName}, Path: path,
		Service: logNamedPart{t.service.ID, t.service.Name}, SourceIP: &ip,
		StatusCode: call.status, Success: true,
		Timestamp: at.UTC().Format(isoTime), UnifiedAPI: t.unifiedAPI, at: at,
	}
	if t.failing.failingAt(at) {
		msg := t.failing.message
		e.StatusCode, e.Success, e.ErrorMessage = t.failing.status, false, &msg
	}
	return e
}

// logFilter is the spec's LogsFilter, read from filter[...] parameters.
type logFilter struct {
	statusCodes []int
	path, mode  string
	methods     []string
	start, end  time.Time
	excluded    []string
}

func (f logFilter) keeps(e logEntry) bool {
	if len(f.statusCodes) > 0 && !slices.Contains(f.statusCodes, e.StatusCode) {
		return false
	}
	if len(f.methods) > 0 && !slices.Contains(f.methods, e.HTTPMethod) {
		return false
	}
	if slices.Contains(f.excluded, e.UnifiedAPI) {
		return false
	}
	if f.path != "" {
		switch f.mode {
		case "STARTS_WITH":
			return strings.HasPrefix(e.Path, f.path)
		case "ENDS_WITH":
			return strings.HasSuffix(e.Path, f.path)
		case "EXACT":
			return e.Path == f.path
		default:
			return strings.Contains(e.Path, f.path)
		}
	}
	return true
}

// filterValues returns the values of filter[name], whether sent once per
// value, as filter[name][], or comma-separated.
func filterValues(q url.Values, name string) []string {
	var out []string
	for _, key := range []string{"filter[" + name + "]", "filter[" + name + "][]"} {
		for _, v := range q[key] {
			for _, part := range strings.Split(v, ",") {
				if part = strings.TrimSpace(part); part != "" {
					out = append(out, part)
				}
			}
		}
	}
	return out
}

// parseLogFilter applies the spec to the filter: 400 with the spec's
// words for what it refuses.
func parseLogFilter(q url.Values) (logFilter, *errorBody) {
	var f logFilter
	bad := func(format string, args ...any) (logFilter, *errorBody) {
		b := newErrorBody(http.StatusBadRequest, "RequestValidationError", "Invalid Params", fmt.Sprintf(format, args...))
		return logFilter{}, &b
	}
	many := filterValues(q, "status_codes")
	if len(many) > 50 {
		return bad("filter[status_codes]: at most 50 status codes are allowed")
	}
	for _, c := range append(filterValues(q, "status_code"), many...) {
		code, err := strconv.ParseFloat(c, 64)
		if err != nil || code != float64(int(code)) || code < 100 || code > 599 {
			return bad("filter[status_codes]: %q is not a status code between 100 and 599", c)
		}
		f.statusCodes = append(f.statusCodes, int(code))
	}
	// One path, commas and all (filterValues would split it), under
	// either spelling of the key, as the other filters take.
	for _, key := range []string{"filter[path]", "filter[path][]"} {
		if f.path = q.Get(key); f.path != "" {
			break
		}
	}
	if mode := q.Get("filter[path_match_mode]"); mode != "" {
		if !slices.Contains([]string{"CONTAINS", "STARTS_WITH", "ENDS_WITH", "EXACT"}, mode) {
			return bad("filter[path_match_mode]: must be one of CONTAINS, STARTS_WITH, ENDS_WITH, EXACT")
		}
		f.mode = mode
	}
	for _, m := range append(filterValues(q, "http_method"), filterValues(q, "http_methods")...) {
		f.methods = append(f.methods, strings.ToUpper(m))
	}
	for _, d := range []struct {
		name string
		to   *time.Time
	}{{"start_date", &f.start}, {"end_date", &f.end}} {
		v := q.Get("filter[" + d.name + "]")
		if v == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return bad("filter[%s]: %q is not an ISO 8601 date-time", d.name, v)
		}
		*d.to = t
	}
	if !f.start.IsZero() && !f.end.IsZero() && f.end.Before(f.start) {
		return bad("filter[end_date]: must be on or after start_date")
	}
	f.excluded = filterValues(q, "exclude_unified_apis")
	// filter[connector_id] is accepted and, as the spec says of Apideck's
	// API ("not currently applied at the log query resolver"), not applied.
	return f, nil
}

// parseQuery reads the query, refusing one that is malformed (Go's
// r.URL.Query drops what it cannot read, which would widen the filter).
func parseQuery(r *http.Request) (url.Values, *errorBody) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		b := newErrorBody(http.StatusBadRequest, "RequestValidationError", "Invalid Params", "the query string is malformed: "+err.Error())
		return nil, &b
	}
	return q, nil
}

// pageLimit reads limit as the spec bounds it: 1 to 200, 20 by default.
func pageLimit(q url.Values) (int, *errorBody) {
	v := q.Get("limit")
	if v == "" {
		return 20, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 200 {
		b := newErrorBody(http.StatusBadRequest, "RequestValidationError", "Invalid Params",
			fmt.Sprintf("limit: %q is not a number from 1 to 200", v))
		return 0, &b
	}
	return n, nil
}

// logCursor is where a page of logs ends: the next page starts after it
// in the order newest first (then by id).
func logCursor(e logEntry) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(e.at.UnixNano(), 10) + "|" + e.ID))
}

func parseLogCursor(c string) (time.Time, string, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return time.Time{}, "", false
	}
	ns, id, ok := strings.Cut(string(raw), "|")
	n, err := strconv.ParseInt(ns, 10, 64)
	if !ok || err != nil {
		return time.Time{}, "", false
	}
	return time.Unix(0, n), id, true
}

// before reports whether a comes before b in the logs' order.
func (a logEntry) before(b logEntry) bool {
	if !a.at.Equal(b.at) {
		return a.at.After(b.at)
	}
	return a.ID < b.ID
}

func (s *Server) serveLogs(w http.ResponseWriter, r *http.Request, bearerToken string) {
	who, q, ok := s.keyedQuery(w, r, bearerToken, false)
	if !ok {
		return
	}
	filter, errBody := parseLogFilter(q)
	if errBody == nil {
		var limit int
		limit, errBody = pageLimit(q)
		if errBody == nil {
			s.writeLogPage(w, r, who.owner, filter, limit)
			return
		}
	}
	writeError(w, *errBody)
}

func (s *Server) writeLogPage(w http.ResponseWriter, r *http.Request, owner ownerKey, filter logFilter, limit int) {
	q := r.URL.Query()
	var after logEntry
	if c := q.Get("cursor"); c != "" {
		at, id, ok := parseLogCursor(c)
		if !ok {
			writeError(w, newErrorBody(http.StatusBadRequest, "RequestValidationError", "Invalid Params", "cursor: not a cursor this API gave"))
			return
		}
		after = logEntry{at: at, ID: id}
	}
	s.mu.Lock()
	now := s.now()
	lo, hi := now.Add(-logRetention), now
	if filter.start.After(lo) {
		lo = filter.start
	}
	if !filter.end.IsZero() && filter.end.Before(hi) {
		hi = filter.end
	}
	entries := []logEntry{} // data is a list, empty when there is nothing
	if rec := s.consumers[owner]; rec != nil {
		for _, t := range rec.traffic {
			first, last, ok := t.span(lo, hi)
			for n := last; ok && n >= first; n-- {
				e := t.entry(n)
				if (after.ID == "" || after.before(e)) && filter.keeps(e) {
					entries = append(entries, e)
				}
			}
		}
	}
	s.mu.Unlock()
	slices.SortFunc(entries, func(a, b logEntry) int {
		if a.before(b) {
			return -1
		}
		if b.before(a) {
			return 1
		}
		return 0
	})
	page := entries[:min(limit, len(entries))]
	next := ""
	if len(entries) > len(page) {
		next = logCursor(page[len(page)-1])
	}
	writeListPage(w, r, s.base(r), page, next)
}

// keyedQuery reads who asks a support endpoint, with the application's API
// key (a session token is refused), and the query; false when it wrote
// the error instead. consumerOptional is identify's.
func (s *Server) keyedQuery(w http.ResponseWriter, r *http.Request, bearerToken string, consumerOptional bool) (caller, url.Values, bool) {
	who, errBody := s.identify(r, bearerToken, consumerOptional)
	if errBody == nil && who.session {
		errBody = needsAPIKey()
	}
	var q url.Values
	if errBody == nil {
		q, errBody = parseQuery(r)
	}
	if errBody != nil {
		writeError(w, *errBody)
		return caller{}, nil, false
	}
	return who, q, true
}

// needsAPIKey is the answer to a session token on an operation of the
// application (consumers, logs): the hosted Vault page never calls them.
func needsAPIKey() *errorBody {
	b := unauthorized("This operation needs the application's API key, not a session token")
	return &b
}
