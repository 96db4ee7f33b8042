package mock

import (
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
)

// DemoBaseURL is the base URL a client of a Demo is given. It names no
// real host: Demo routes its requests to the in-process server, which it
// starts on a free loopback port only when the first request is sent, so
// dry runs and wizards that never use the demo cost no server.
const DemoBaseURL = "http://demo-api.localhost"

// demoKey is the key every request to the demo API carries, whatever the
// user typed: the demo needs a key, and a real one has no business there.
const demoKey = "demo-key"

// Demo is the built-in demo API of a process: an http.RoundTripper that
// sends each request to a Server of its own, started on first use. Give a
// client DemoBaseURL and an http.Client with the Demo as its Transport;
// Close stops the server.
type Demo struct {
	opts      []Option
	transport *http.Transport

	once    sync.Once
	started atomic.Bool
	host    string // where it listens (127.0.0.1:port), once started
	stop    func()
	err     error
}

// NewDemo returns a demo API that starts nothing until a request is sent;
// opts configure its Server.
func NewDemo(opts ...Option) *Demo {
	return &Demo{opts: opts, transport: &http.Transport{MaxIdleConnsPerHost: 2}}
}

// Started reports whether a request has started the server.
func (d *Demo) Started() bool { return d.started.Load() }

func (d *Demo) start() error {
	d.once.Do(func() {
		var base string
		_, base, d.stop, d.err = Start(d.opts...)
		d.host = strings.TrimPrefix(base, "http://")
		d.started.Store(d.err == nil)
	})
	return d.err
}

// RoundTrip sends req to the demo server, starting it first if need be,
// with the demo's own key in place of whatever key req carries.
func (d *Demo) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := d.start(); err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	out := req.Clone(req.Context())
	out.URL.Scheme, out.URL.Host, out.Host = "http", d.host, ""
	out.Header.Set("Authorization", "Bearer "+demoKey)
	return d.transport.RoundTrip(out)
}

// Close stops the server if it was started; a request after Close fails.
func (d *Demo) Close() {
	// Running the once here means a later request cannot start a server
	// that nobody would stop.
	d.once.Do(func() { d.err = errors.New("the demo API is closed") })
	if d.stop != nil {
		d.stop()
	}
	d.transport.CloseIdleConnections()
}
