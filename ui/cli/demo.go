package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/model/termtext"
)

// demoBaseURL is the base URL demo clients are given. It names no real
// host: demoAPI routes its requests to the in-process server, which it
// starts on a free loopback port only when the first request is sent. Dry
// runs and wizards that never use the demo cost no server.
const demoBaseURL = "http://demo-api.localhost"

// demoAPIKey is the key every request to the demo API carries, whatever the
// user typed: the demo needs a key, and a real one has no business there.
const demoAPIKey = "demo-key"

// demoAPI is the built-in demo API, started lazily. It is the transport of
// the clients it makes.
type demoAPI struct {
	opts      []mock.Option
	transport *http.Transport

	once    sync.Once
	started atomic.Bool
	url     string // where it listens, once started
	stop    func()
	err     error
}

func newDemoAPI(opts ...mock.Option) *demoAPI {
	return &demoAPI{opts: opts, transport: &http.Transport{MaxIdleConnsPerHost: 2}}
}

// Client returns a client whose requests go to the demo API; opts are
// applied after the demo's own.
func (d *demoAPI) Client(version string, opts ...client.Option) *client.Client {
	return client.New(append([]client.Option{
		client.WithBaseURL(demoBaseURL),
		client.WithHTTPClient(&http.Client{Transport: d}),
		client.WithVersion(version),
	}, opts...)...)
}

// Started reports whether a request has started the server.
func (d *demoAPI) Started() bool { return d.started.Load() }

func (d *demoAPI) start() error {
	d.once.Do(func() {
		_, d.url, d.stop, d.err = mock.Start(d.opts...)
		d.started.Store(d.err == nil)
	})
	return d.err
}

// RoundTrip sends req to the demo server, starting it first if need be.
func (d *demoAPI) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := d.start(); err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	target, err := url.Parse(d.url)
	if err != nil {
		return nil, err
	}
	out := req.Clone(req.Context())
	out.URL.Scheme, out.URL.Host, out.Host = target.Scheme, target.Host, ""
	out.Header.Set("Authorization", "Bearer "+demoAPIKey)
	return d.transport.RoundTrip(out)
}

// Close stops the server if it was started.
func (d *demoAPI) Close() {
	// Running the once here means a later request cannot start a server
	// that nobody would stop.
	d.once.Do(func() { d.err = errors.New("the demo API is closed") })
	if d.stop != nil {
		d.stop()
	}
	d.transport.CloseIdleConnections()
}

func demoServerFlagSet(listen *string) *flag.FlagSet {
	fs := newFlagSet("demo-server")
	fs.StringVar(listen, "listen", "127.0.0.1:8080", "")
	return fs
}

// runDemoServer is `vault-session demo-server`: the demo API on a chosen
// address, for demos and for measuring `create`. Its URL is the first line
// on stdout so scripts can read it; Ctrl+C stops it (exit 0: that is how it
// is meant to end).
func (a *app) runDemoServer(ctx context.Context, args []string) error {
	var listen string
	fs := demoServerFlagSet(&listen)
	if err := a.parseFlags(fs, args, demoServerUsage()); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", listen, err)
	}
	base := "http://" + ln.Addr().String()
	srv := &http.Server{
		Handler:           logRequests(a.streams.ErrOut, mock.New(mock.WithBaseURL(base))),
		ReadHeaderTimeout: 10 * time.Second,
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	fmt.Fprintln(a.streams.Out, base)
	fmt.Fprintf(a.streams.ErrOut, "DEMO API (not Apideck) listening on %s; it accepts any API key. Try:\n"+
		"  vault-session create --base-url %s --api-key demo --app-id %s --consumer-id %s\n"+
		"Ctrl+C stops it.\n", base, base, demoAppID, demoConsumerID)

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		srv.Close()
	}
	fmt.Fprintln(a.streams.ErrOut, "demo API stopped")
	return nil
}

// logRequests writes one line per request, so a demo shows what arrived.
// Session page paths hold the session token, which is left out.
func logRequests(w io.Writer, next http.Handler) http.Handler {
	var mu sync.Mutex
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusRecorder{ResponseWriter: rw, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		mu.Lock()
		defer mu.Unlock()
		path := r.URL.Path
		if strings.HasPrefix(path, mock.SessionPagePath) {
			path = mock.SessionPagePath + "[token]"
		}
		// The path is decoded (%1b is ESC) and, like the method, anyone who
		// can reach the port chooses it.
		fmt.Fprintf(w, "%s %s %s -> %d (%s)\n", start.Format("15:04:05"),
			termtext.LineN(r.Method, 40), termtext.LineN(path, 200), sw.status, time.Since(start).Round(time.Microsecond))
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(status int) {
	s.status = status
	s.ResponseWriter.WriteHeader(status)
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
