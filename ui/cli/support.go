package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/spf13/pflag"
)

// The commands that read the API rather than create a session
// (connections, watch, and the support commands: consumers, logs, health,
// connections validate). What they share is here.

// exitAttention is health's and connections validate's "something needs
// attention": a cron job alerts on it.
const exitAttention = 4

// attentionError ends a command that ran well and found something that
// needs attention: exit code exitAttention, and nothing more is printed
// (the command said what it found).
type attentionError struct{ what string }

func (e *attentionError) Error() string { return e.what }

// maxLookups bounds --concurrency of the commands that look consumers up
// one request each (consumers list, health).
const maxLookups = 16

// readFlags are the flags every command that reads the API has.
type readFlags struct {
	creds   credentialInput
	output  string
	timeout time.Duration
}

// check reads --output among the command's formats, then --timeout.
func (f readFlags) check(formats ...outputFormat) (outputFormat, error) {
	format, err := parseOutputOf(f.output, formats...)
	if err != nil {
		return "", err
	}
	return format, checkTimeout(f.timeout)
}

// readScope is what a command reads: the whole application, or one
// consumer's part of it.
type readScope int

const (
	readsApplication readScope = iota // consumers, health: a key and an app ID
	readsConsumer                     // connections, watch, logs, connections validate: and a consumer
)

// apiReader is what a command that reads the API works with.
type apiReader struct {
	creds  credentialInput    // resolved from the flags and the environment
	api    client.Credentials // the headers every request carries
	client *client.Client
	stop   func() // ends the deadline and the built-in demo API, if --demo started one
}

// openReader is the start of every command that reads the API, once its own
// flags are checked: it resolves the credentials scope needs, makes the
// client and bounds ctx by timeout (0: no bound; watch and logs --follow
// run until stopped). With --demo the client talks to a fresh built-in
// demo API holding the seeded application (said on stderr), its times
// counted back from the command's own clock. The requests of one command
// share a client.Gate, so a 429 holds them all.
func (a *app) openReader(ctx context.Context, fs *pflag.FlagSet, in credentialInput, scope readScope, timeout time.Duration) (context.Context, apiReader, error) {
	creds, err := a.readingCredentials(fs, in, scope)
	if err != nil {
		return ctx, apiReader{}, err
	}
	r := apiReader{creds: creds, api: client.Credentials{APIKey: creds.apiKey, AppID: creds.appID, ConsumerID: creds.consumerID}}
	var demo *mock.Demo
	closeDemo := func() {}
	if creds.demo {
		demo = mock.NewDemo(mock.WithClock(a.now))
		closeDemo = demo.Close
		fmt.Fprintln(a.streams.ErrOut, demoReadNotice)
	}
	r.client = a.newClient(creds, demo).With(client.WithGate(client.NewGate(0)))
	r.stop = closeDemo
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		r.stop = func() { cancel(); closeDemo() }
	}
	return ctx, r, nil
}

// demoReadNotice marks what the demo API shows as not Apideck's.
const demoReadNotice = "DEMO: reading the built-in demo API, not Apideck: its application " + demoAppID + " is made up (see the README)"

// readingCredentials resolves the credentials of a command that reads the
// API: a key (or --demo), the consumer when scope needs one, and an app ID.
func (a *app) readingCredentials(fs *pflag.FlagSet, in credentialInput, scope readScope) (credentialInput, error) {
	creds, err := in.resolve(fs, a.getenv)
	if err != nil {
		return creds, err
	}
	if !creds.demo && creds.apiKey == "" {
		return creds, &usageError{msg: "no API key: pass --api-key or set " + envAPIKey +
			" (or pass --demo to try the built-in demo API)"}
	}
	if scope == readsConsumer && strings.TrimSpace(creds.consumerID) == "" {
		return creds, &usageError{msg: "no consumer: pass --consumer-id or set " + envConsumerID}
	}
	if strings.TrimSpace(creds.appID) == "" {
		return creds, &usageError{msg: "no app ID: pass --app-id or set " + envAppID}
	}
	return creds, nil
}

// errReadInterrupted ends a command that only reads the API (consumers,
// logs, health, connections) by Ctrl+C or SIGTERM: it says so, not that no
// session was created, which such a command never does.
var errReadInterrupted = &stoppedError{doing: "reading the API"}

// requestFailed is the error of a request that failed: interrupted when
// the person stopped it, the failure (named with its --timeout) otherwise.
func (a *app) requestFailed(ctx context.Context, err error, timeout time.Duration) error {
	if errors.Is(ctx.Err(), context.Canceled) {
		return errReadInterrupted
	}
	return &failedRequest{err: err, timeout: timeout}
}

// timeText is a time for a table: the date and the time of day in the
// clock's zone.
func timeText(t, now time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(now.Location()).Format("2006-01-02 15:04")
}

// whenText is a moment in a sentence, in UTC: "Tue 2 Jun 03:00 UTC".
func whenText(t time.Time) string {
	return t.UTC().Format("Mon 2 Jan 15:04 MST")
}

// tableCell makes an API value one safe table cell of at most width runes
// (0: not cut), cut as cutCell cuts.
func tableCell(s string, width int) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return "—"
	}
	safe := termtext.LineN(s, 0)
	if width <= 0 {
		return safe
	}
	return cutCell(safe, width)
}
