package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/watch"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// defaultWatchTimeout is how long `watch` waits by default: a customer
// who was just sent a link may take a while.
const defaultWatchTimeout = 30 * time.Minute

// watchTimedOutError is a watch that ran out of --timeout.
type watchTimedOutError struct {
	timeout time.Duration
	until   string
}

func (e *watchTimedOutError) Error() string {
	if e.until == "" {
		return fmt.Sprintf("stopped watching after %s (--timeout)", model.DurationText(e.timeout))
	}
	return fmt.Sprintf("%s did not happen within %s (--timeout)", e.until, model.DurationText(e.timeout))
}

// errWatchInterrupted is a watch ended by Ctrl+C or SIGTERM.
var errWatchInterrupted = &stoppedError{doing: "watching"}

type watchJob struct {
	readFlags
	until    string
	interval time.Duration
}

// newWatchCmd is `vault-session watch`.
func newWatchCmd(a *app) *cobra.Command {
	var job watchJob
	cmd := &cobra.Command{
		Use:   "watch --consumer-id ID [--until CONDITION] [flags]",
		Short: "follow a consumer's connections live, until one is callable",
		Long: `Polls the consumer's connections and prints each change as it happens
("15:04:12 Salesforce (CRM): authorized → callable"), after a first line per
connection it already has. Rate limits (429, with Retry-After) and server or
network errors are waited out, backing off; status goes to stderr.`,
		Example: `  # Until a CRM connection can be called, on a demo-server on port 8080
  vault-session watch --base-url http://127.0.0.1:8080 --api-key demo \
    --app-id demo-app --consumer-id acme-42 --until callable:crm

  # Every change as a JSON line, for half an hour at most, on the demo API
  vault-session watch --demo --consumer-id acme-42 --output jsonl --timeout 30m`,
		Annotations: map[string]string{
			annotationExitCodes: "0 the --until condition holds, 1 an API error polling cannot fix (e.g. 401, 404), 2 bad usage, 3 --timeout passed, 130 interrupted.",
		},
		Args: noArgs(a),
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runWatch(cmd.Context(), cmd.Flags(), job) },
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	fs.StringVar(&job.until, "until", "", "stop with exit code 0 once it holds: callable (any connection), callable:crm (one of that unified API) or callable:crm/salesforce (that service); added, authorized or invalid work as well")
	fs.DurationVar(&job.timeout, "timeout", defaultWatchTimeout, "stop after this long (default 30m); exit code 3")
	fs.DurationVar(&job.interval, "interval", watch.DefaultInterval, "time between polls (default 5s, at least 1s); after errors it doubles up to 1m, and a Retry-After is honoured (up to 10m)")
	registerOutput(fs, &job.output, `text (default): one line per change; jsonl: one JSON object per line: {"time","event" (snapshot, added, changed, removed),"unified_api", "service_id","name","from","to"}, from and to being {"state","health","enabled"} or null`)
	setArg(fs, "until", "CONDITION")
	inGroup(fs, "Watching", "until", "timeout", "interval", "output")
	job.creds.register(fs)
	return cmd
}

// minWatchInterval keeps a watch from polling faster than the API's rate
// limit can bear.
const minWatchInterval = time.Second

// runWatch is `vault-session watch`: it polls the consumer's connections
// and prints each change as it happens, until the --until condition holds
// (exit 0), --timeout passes (3), the API refuses in a way polling cannot
// fix (1), or Ctrl+C (130).
func (a *app) runWatch(ctx context.Context, fs *pflag.FlagSet, job watchJob) error {
	format, err := job.check(outputText, outputJSONL)
	if err != nil {
		return err
	}
	if job.interval < minWatchInterval {
		return &usageError{msg: fmt.Sprintf("--interval %s: give %s or more (the API is rate limited)", job.interval, minWatchInterval)}
	}
	var until *watch.Condition
	if job.until != "" {
		c, err := watch.ParseCondition(job.until)
		if err != nil {
			return &usageError{msg: "--until: " + err.Error()}
		}
		if err := checkUnifiedAPI("--until "+job.until, c.UnifiedAPI); err != nil {
			return err
		}
		until = &c
	}
	// The watch keeps its own deadline (below): exit code 3, not 1.
	_, r, err := a.openReader(ctx, fs, job.creds, readsConsumer, 0)
	if err != nil {
		return err
	}
	defer r.stop()
	c := pollingClient(r.client)

	target := ""
	if until != nil {
		target = " until " + until.String()
	}
	fmt.Fprintf(a.streams.ErrOut, "watching %s's connections every %s%s (at most %s; Ctrl+C stops)\n",
		termtext.Line(r.creds.consumerID), model.DurationText(job.interval), termtext.Line(target), model.DurationText(job.timeout))

	// The deadline is kept twice: by the context, which also ends a poll
	// or a wait in flight, and by the app's clock, which tests step.
	watchCtx, cancel := context.WithTimeout(ctx, job.timeout)
	defer cancel()
	deadline := a.now().Add(job.timeout)
	out := &watchPrinter{w: a.streams.Out, jsonl: format == outputJSONL}
	var stopErr error
	held := false
	poller := watch.Poller{
		Fetch:    func(ctx context.Context) ([]client.Connection, error) { return c.Connections(ctx, r.api, "") },
		Interval: job.interval,
		Now:      a.now,
		Sleep:    a.sleep,
	}
	runErr := poller.Run(watchCtx, func(p watch.Poll) bool {
		if p.Err != nil {
			if watch.Permanent(p.Err) {
				stopErr = p.Err
				return false
			}
			a.pollFailed(p.Failures, p.Err, p.Next)
			return a.now().Before(deadline)
		}
		if p.First {
			for _, conn := range watch.Visible(p.Connections, nil) {
				out.status(p.At, conn)
			}
		}
		for _, ch := range p.Changes {
			out.change(p.At, ch)
		}
		if until != nil {
			if conn, ok := until.Match(p.Connections); ok {
				fmt.Fprintf(a.streams.ErrOut, "vault-session: %s is %s\n", termtext.Line(watch.Subject(conn)), termtext.Line(string(conn.State)))
				held = true
				return false
			}
		}
		return a.now().Before(deadline)
	})
	switch {
	case stopErr != nil:
		return stopErr
	case held:
		return nil
	case ctx.Err() != nil:
		return errWatchInterrupted
	case runErr == nil || errors.Is(runErr, context.DeadlineExceeded):
		return &watchTimedOutError{timeout: job.timeout, until: job.until}
	}
	return runErr
}

// pollingClient is c for a loop that polls (watch, logs --follow): no gate
// and no retries inside a poll, so watch.NextPoll alone decides the pace.
func pollingClient(c *client.Client) *client.Client {
	return c.With(client.WithGate(nil), client.WithRetryPolicy(client.NoRetry()))
}

// pollFailed says on stderr that a poll failed and when the next one is.
func (a *app) pollFailed(failures int, err error, next time.Duration) {
	fmt.Fprintf(a.streams.ErrOut, "vault-session: poll failed (%d in a row): %s; next poll in %s\n",
		failures, termtext.Line(err.Error()), model.DurationText(next))
}

// watchPrinter writes what the watch sees on stdout: lines for people or
// JSON lines for scripts.
type watchPrinter struct {
	w     io.Writer
	jsonl bool
}

// watchEvent is one line of `watch --output jsonl`; scripts rely on it.
type watchEvent struct {
	Time       string        `json:"time"`
	Event      string        `json:"event"` // "snapshot", "added", "changed", "removed"
	UnifiedAPI string        `json:"unified_api"`
	ServiceID  string        `json:"service_id"`
	Name       string        `json:"name"`
	From       *watch.Status `json:"from"`
	To         *watch.Status `json:"to"`
}

func (p *watchPrinter) status(at time.Time, c client.Connection) {
	if p.jsonl {
		to := watch.StatusOf(c)
		writeJSONLine(p.w, watchEvent{Time: at.UTC().Format(time.RFC3339), Event: "snapshot", UnifiedAPI: c.UnifiedAPI,
			ServiceID: c.ServiceID, Name: c.Name, To: &to})
		return
	}
	fmt.Fprintln(p.w, termtext.Line(watch.StatusLine(at, c)))
}

func (p *watchPrinter) change(at time.Time, ch watch.Change) {
	if p.jsonl {
		e := watchEvent{Time: at.UTC().Format(time.RFC3339), Event: string(ch.Kind), UnifiedAPI: ch.Connection.UnifiedAPI,
			ServiceID: ch.Connection.ServiceID, Name: ch.Connection.Name}
		if ch.Kind != watch.Appeared {
			from := ch.From
			e.From = &from
		}
		if ch.Kind != watch.Removed {
			to := ch.To
			e.To = &to
		}
		writeJSONLine(p.w, e)
		return
	}
	fmt.Fprintln(p.w, termtext.Line(watch.LogLine(at, ch)))
}
