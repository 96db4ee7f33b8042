package cli

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/spf13/cobra"
)

// demoClient returns a client whose requests go to the demo API; opts
// are applied after the demo's own.
func demoClient(demo *mock.Demo, version string, opts ...client.Option) *client.Client {
	return client.New(append([]client.Option{
		client.WithBaseURL(mock.DemoBaseURL),
		client.WithHTTPClient(&http.Client{Transport: demo}),
		client.WithVersion(version),
	}, opts...)...)
}

// newDemoServerCmd is `vault-session demo-server`: the demo API on a chosen
// address, for demos and for measuring `create`. Its URL is the first line
// on stdout so scripts can read it; Ctrl+C stops it (exit 0: that is how it
// is meant to end).
func newDemoServerCmd(a *app) *cobra.Command {
	var listen string
	var seed int
	var rate float64
	cmd := &cobra.Command{
		Use:   "demo-server [--listen ADDR]",
		Short: "serve the built-in demo API until Ctrl+C",
		Long: `Serves the built-in demo API, a stand-in for Apideck's Vault API that needs no
account, and prints its URL. Point other tools at it with --base-url or
APIDECK_BASE_URL. Stops on Ctrl+C.`,
		Example: `  # On port 8080, then, in another terminal, a session on it
  vault-session demo-server
  vault-session create --base-url http://127.0.0.1:8080 --api-key demo \
    --app-id demo-app --consumer-id acme-42

  # On a free port (the URL is the first line printed)
  vault-session demo-server --listen 127.0.0.1:0

  # With 10,000 more consumers, rate limited to 50 requests a second
  vault-session demo-server --seed-consumers 10000 --rate-limit 50

  # A batch against a limit: 429s with Retry-After pause the whole batch
  vault-session demo-server --listen 127.0.0.1:8080 --rate-limit 5
  vault-session batch testdata/customers.example.csv --api-key demo \
    --base-url http://127.0.0.1:8080 --app-id demo-app --rate 0`,
		Annotations: map[string]string{
			annotationExitCodes: "0 stopped by Ctrl+C, 1 the address cannot be listened on, 2 bad usage.",
		},
		Args: noArgs(a),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if seed < 0 || seed > 200000 {
				return &usageError{msg: fmt.Sprintf("--seed-consumers %d: give 0 to 200000", seed)}
			}
			if rate < 0 {
				return &usageError{msg: fmt.Sprintf("--rate-limit %g: give 0 (no limit) or more", rate)}
			}
			return a.runDemoServer(cmd.Context(), listen, mock.WithSeededConsumers(seed), mock.WithRateLimit(rate, max(int(rate), 1)))
		},
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	fs.StringVar(&listen, "listen", "127.0.0.1:8080", "address to listen on (default 127.0.0.1:8080; 127.0.0.1:0 picks a free port)")
	fs.IntVar(&seed, "seed-consumers", 0, "add N generated consumers (cust-00001 ...) to the demo application "+demoAppID+", in a mix of states")
	fs.Float64Var(&rate, "rate-limit", 0, "answer 429 with Retry-After beyond R requests a second to the API (sessions, consumers, connections, logs), as a rate-limited application sees it (0: no limit)")
	setArg(fs, "listen", "ADDR")
	setArg(fs, "seed-consumers", "N")
	setArg(fs, "rate-limit", "R")
	return cmd
}

func (a *app) runDemoServer(ctx context.Context, listen string, opts ...mock.Option) error {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", listen, err)
	}
	base := "http://" + ln.Addr().String()
	srv := &http.Server{
		Handler:           logRequests(a.streams.ErrOut, mock.New(append([]mock.Option{mock.WithBaseURL(base)}, opts...)...)),
		ReadHeaderTimeout: 10 * time.Second,
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	fmt.Fprintln(a.streams.Out, base)
	// The lines to try name this server, not the setting this command ran in.
	here := []string{"--base-url", base, "--api-key", "demo", "--app-id", demoAppID}
	fmt.Fprintf(a.streams.ErrOut, "DEMO API (not Apideck) listening on %s; it accepts any API key. Try:\n"+
		"  %s\n"+
		"Its application %s has consumers to look up: %s\n"+
		"Ctrl+C stops it.\n", base, a.commandLine(runSetting{}, "create", append(here, "--consumer-id", demoConsumerID)...),
		demoAppID, a.commandLine(runSetting{}, "consumers list", here...))

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
		// The consumer a request is for (never the key): a batch's log then
		// shows whose session each line created.
		consumer := ""
		if id := r.Header.Get("x-apideck-consumer-id"); id != "" {
			consumer = " consumer=" + termtext.LineN(id, 100)
		}
		fmt.Fprintf(w, "%s %s %s -> %d (%s)%s\n", start.Format("15:04:05"),
			termtext.LineN(r.Method, 40), termtext.LineN(path, 200), sw.status, time.Since(start).Round(time.Microsecond), consumer)
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
