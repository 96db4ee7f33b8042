package mock

import (
	"fmt"
	"net/http"
	"time"
)

// Answer is a scripted reply to the next request on /vault/sessions, for
// tests and demos of failures. Scripted answers are used in order, one per
// request, before the API's own rules.
type Answer struct {
	// Status to answer; 0 answers as the API would (after Delay, with
	// Header added).
	Status int
	// Header is added to the reply (e.g. Retry-After).
	Header http.Header
	// Body is sent as it is; nil sends ErrorBody(Status) as JSON. Set a
	// Content-Type in Header for bodies that are not JSON.
	Body []byte
	// Delay is waited before answering; a request cancelled meanwhile
	// gets nothing.
	Delay time.Duration
	// HangUp closes the connection without answering, as a crashing
	// server or a broken proxy would.
	HangUp bool
}

// Script queues answers for the next requests on /vault/sessions.
func (s *Server) Script(answers ...Answer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.script = append(s.script, answers...)
}

// FailNext makes the next n requests on /vault/sessions answer status with
// the spec's body for it. header is name/value pairs, e.g.
// FailNext(429, 1, "Retry-After", "2"); an odd count is a programming
// error and panics.
func (s *Server) FailNext(status, n int, header ...string) {
	s.Script(failures("mock.FailNext", status, n, header)...)
}

// ScriptConnections queues answers for the next requests on
// /vault/connections... and /vault/consumers/..., the way Script does for
// sessions: a watcher can be shown a 429, a 500 or a hang-up.
func (s *Server) ScriptConnections(answers ...Answer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.connScript = append(s.connScript, answers...)
}

// FailNextConnections is FailNext for the connection and consumer routes.
func (s *Server) FailNextConnections(status, n int, header ...string) {
	s.ScriptConnections(failures("mock.FailNextConnections", status, n, header)...)
}

func failures(caller string, status, n int, header []string) []Answer {
	if len(header)%2 != 0 {
		panic(fmt.Sprintf("%s: header needs name/value pairs, got %d strings", caller, len(header)))
	}
	h := http.Header{}
	for i := 0; i < len(header); i += 2 {
		h.Add(header[i], header[i+1])
	}
	answers := make([]Answer, n)
	for i := range answers {
		answers[i] = Answer{Status: status, Header: h}
	}
	return answers
}

// Pending returns how many scripted answers are still queued, for
// sessions and for the connection routes together.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.script) + len(s.connScript)
}

// answeredByScript plays the next answer of queue (s.script or
// s.connScript) or, with none queued, waits the demo's latency. It
// reports whether the request needs nothing more: answered, or cancelled
// while waiting. A scripted answer of Status 0 leaves it to the API's own
// rules at once.
func (s *Server) answeredByScript(w http.ResponseWriter, r *http.Request, queue *[]Answer) bool {
	if a, ok := s.pop(queue); ok {
		return a.play(w, r)
	}
	return !wait(r.Context(), s.latency)
}

func (s *Server) pop(queue *[]Answer) (Answer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(*queue) == 0 {
		return Answer{}, false
	}
	a := (*queue)[0]
	*queue = (*queue)[1:]
	return a, true
}

// play sends the scripted answer. It returns false when the request is
// still to be answered by the API's own rules (Status 0).
func (a Answer) play(w http.ResponseWriter, r *http.Request) bool {
	if !wait(r.Context(), a.Delay) {
		return true
	}
	if a.HangUp {
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
			return true
		}
		// Hijacking is not possible (HTTP/2): abort the handler instead,
		// which net/http turns into a reset stream.
		panic(http.ErrAbortHandler)
	}
	for name, values := range a.Header {
		for _, v := range values {
			w.Header().Add(name, v)
		}
	}
	if a.Status == 0 {
		return false
	}
	body := a.Body
	if body == nil {
		body = ErrorBody(a.Status)
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	}
	w.WriteHeader(a.Status)
	w.Write(body)
	return true
}
