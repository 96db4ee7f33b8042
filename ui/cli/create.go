package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/apideck-samples/vault-session/ui/lockedwriter"
	"github.com/apideck-samples/vault-session/ui/qrtext"
	"github.com/apideck-samples/vault-session/ui/termbg"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// createJob is one headless creation, from `create` or from the bare
// command when there is no terminal for the wizard.
type createJob struct {
	session sessionInput
	creds   credentialInput
	dryRun  bool
	output  outputFormat
	// demoWhenNoKey lets the bare command fall back to the demo API when no
	// key is set anywhere; `create` is for scripts and asks for --demo.
	demoWhenNoKey bool
	// timeout bounds one whole create, retries included (--timeout).
	timeout time.Duration
	// noHistory is --no-history: the session is not added to the history.
	noHistory bool
	// again is --again CONSUMER_ID: send the last body the history holds
	// for that consumer.
	again string
	// qr is --qr: the URL is drawn as a QR code on stderr too.
	qr bool
}

// defaultTimeout is --timeout's default: long enough for the client's
// retries (its policy stops starting attempts after 2 minutes as well) and
// short enough that a person or a CI job waiting on a silent server is
// told within minutes rather than never.
const defaultTimeout = 2 * time.Minute

// registerTimeout adds --timeout to a command that talks to the API.
func registerTimeout(fs *pflag.FlagSet, d *time.Duration, usage string) {
	fs.DurationVar(d, "timeout", defaultTimeout, usage)
}

func checkTimeout(d time.Duration) error {
	if d <= 0 {
		return &usageError{msg: fmt.Sprintf("--timeout %s: give a positive duration such as 30s or 2m", d)}
	}
	return nil
}

// checkConcurrency reads --concurrency: 1 to most at once.
func checkConcurrency(n, most int) error {
	if n < 1 || n > most {
		return &usageError{msg: fmt.Sprintf("--concurrency %d: give 1 to %d", n, most)}
	}
	return nil
}

// newCreateCmd is `vault-session create`: one session, headlessly.
func newCreateCmd(a *app) *cobra.Command {
	var job createJob
	var output string
	cmd := &cobra.Command{
		Use:   "create [--from FILE] [flags]",
		Short: "create a session headlessly and print its URL",
		Long: `Creates one session and prints its URL on stdout (the expiry goes to stderr).
Flags override the file. No prompts: for scripts and CI.`,
		Example: `  # A session on the built-in demo API (no account needed), in a brand colour
  vault-session create --demo --consumer-id acme-42 --unified-apis crm,hris \
    --primary-color '#ff5a1f'

  # From a session file, with a flag over it, as JSON for a script
  vault-session create --demo --from testdata/session.example.json \
    --email jane@acme.example --output json

  # The request it would send, as a curl command (the key is redacted)
  vault-session create --dry-run --output curl --app-id my-app \
    --consumer-id acme-42 --sandbox

  # Start from a saved preset ('vault-session presets save acme-blue ...')
  vault-session create --demo --preset acme-blue --consumer-id acme-42

  # The same body as the last session for acme-42, a new token
  vault-session create --demo --again acme-42

  # With a QR code of the link, for a prospect to open on a phone
  vault-session create --demo --consumer-id acme-42 --qr`,
		Annotations: map[string]string{
			annotationExitCodes: "0 created, 1 API or network error, 2 bad usage or invalid session (every invalid field is listed), 130 interrupted.",
		},
		Args: noArgs(a),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runCreate(cmd.Context(), cmd.Flags(), job, output)
		},
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	registerOutput(fs, &output, `text (default): the URL; json: {"url","token","expires_at","demo"}; curl: with --dry-run only`)
	fs.BoolVar(&job.dryRun, "dry-run", false, "print the request instead of sending it (the API key is redacted)")
	registerTimeout(fs, &job.timeout, "give up on the API after this long, retries included (default 2m); exit code 1")
	fs.BoolVar(&job.qr, "qr", false, "also draw the URL as a QR code on stderr, for a phone to scan (black on white; with NO_COLOR, for a dark terminal unless "+termbg.EnvVar+"=light or COLORFGBG says light)")
	inGroup(fs, "Output", "output", "dry-run", "timeout", "qr")
	fs.StringVar(&job.again, "again", "", "send the last body the history holds for that consumer again (a new token); flags still apply")
	fs.BoolVar(&job.noHistory, "no-history", false, "do not add the session to the history (or set VAULT_SESSION_NO_HISTORY=1)")
	setArg(fs, "again", "CONSUMER_ID")
	inGroup(fs, "History", "again", "no-history")
	job.creds.register(fs)
	job.session.register(fs)
	return cmd
}

func (a *app) runCreate(ctx context.Context, fs *pflag.FlagSet, job createJob, output string) error {
	var err error
	if job.output, err = parseOutput(output, job.dryRun); err != nil {
		return err
	}
	if job.qr && job.dryRun {
		return &usageError{msg: "--qr draws the created session's URL: --dry-run creates none"}
	}
	if err := checkTimeout(job.timeout); err != nil {
		return err
	}
	if job.creds, err = job.creds.resolve(fs, a.getenv); err != nil {
		return err
	}
	if job.again != "" {
		if err := a.prepareAgain(&job, fs.Changed("consumer-id")); err != nil {
			return err
		}
	}
	return a.create(ctx, job)
}

// prepareAgain starts the job from the last body the history holds for the
// consumer of --again, with that consumer and (unless given) its app ID.
// Session flags still apply over it; a preset or a file would be a second
// starting point, so they are refused.
func (a *app) prepareAgain(job *createJob, consumerFlagGiven bool) error {
	if job.session.preset != "" || job.session.from != "" {
		return &usageError{msg: "--again sends a body from the history: it cannot be combined with --preset or --from"}
	}
	if consumerFlagGiven && job.creds.consumerID != job.again {
		return &usageError{msg: fmt.Sprintf("--again %s and --consumer-id %s name different consumers", job.again, job.creds.consumerID)}
	}
	st := a.openStore()
	if st == nil {
		return &usageError{msg: "--again reads the history, which has no home here (set XDG_STATE_HOME)"}
	}
	entry, ok, problems := st.LastFor(job.again)
	a.warn(problems...)
	if !ok {
		return &usageError{msg: fmt.Sprintf("--again: no session for consumer %q in the history (%s); see '%s'", job.again, st.HistoryPath(), a.commandLine(runSetting{}, "history"))}
	}
	body, err := entry.SessionBody()
	if err != nil {
		return &usageError{msg: fmt.Sprintf("--again: cannot send the history's body for %q again: %v", job.again, err)}
	}
	job.session.base = body
	job.session.presetName = entry.Preset
	job.creds.consumerID = job.again
	if job.creds.appID == "" {
		job.creds.appID = entry.AppID
	}
	return nil
}

func (a *app) create(ctx context.Context, job createJob) error {
	session, err := job.session.load(ctx, a.streams.In, a.findPreset())
	if err != nil {
		return err
	}
	creds := job.creds
	if !creds.demo && creds.apiKey == "" && job.demoWhenNoKey && creds.baseURL == "" {
		creds = creds.asDemo()
	}
	if !creds.demo && creds.apiKey == "" && !job.dryRun {
		return &usageError{msg: "no API key: pass --api-key or set " + envAPIKey +
			" (or pass --demo to try the built-in demo API)"}
	}
	req := model.Request{AppID: creds.appID, ConsumerID: creds.consumerID, Session: session.Normalized()}
	if errs := req.Validate(); errs != nil {
		return &invalidSessionError{errs: errs}
	}

	var demo *mock.Demo
	if creds.demo {
		demo = mock.NewDemo()
		defer demo.Close()
	}
	c := a.newClient(creds, demo)
	apiCreds := client.Credentials{APIKey: creds.apiKey, AppID: req.AppID, ConsumerID: req.ConsumerID}

	if job.dryRun {
		if creds.apiKey == "" && !creds.demo {
			fmt.Fprintln(a.streams.ErrOut, "note: no API key is set; the API would refuse this request")
		}
		described, err := c.Describe(apiCreds, req.Session)
		if err != nil {
			return err
		}
		return writeDescribed(a.streams.Out, described, job.output)
	}

	if ctx.Err() != nil {
		return errInterrupted
	}
	// A script's log should say why a create is slow: each retry, on stderr.
	errOut := lockedwriter.New(a.streams.ErrOut)
	ctx = client.WithRetryObserver(ctx, func(r client.Retry) {
		// The screen's words (failure.RetryWords), in a log line's case.
		fmt.Fprintf(errOut, "vault-session: attempt %d of %d failed: %s; trying again in %s\n",
			r.Attempt, r.MaxAttempts, termtext.Line(r.Reason()), model.RoughDurationText(r.Wait))
	})
	timeout := job.timeout
	if timeout <= 0 {
		timeout = defaultTimeout
	}
	createCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	stopNotice := a.noticeWaiting(errOut, waitingFor(c, creds.demo), timeout)
	result, err := c.Create(createCtx, apiCreds, req.Session)
	stopNotice()
	if err != nil {
		if ctx.Err() != nil {
			return errInterrupted
		}
		return &failedRequest{err: err, timeout: timeout}
	}
	isDemo := creds.demo || result.Demo
	if !a.historyOff(job.noHistory) {
		apiBase := c.BaseURL()
		if isDemo {
			apiBase = "" // the demo's port changes every run: Demo says it all
		}
		a.recordCreated(req, result, job.session.presetName, apiBase, isDemo)
	}
	// A demo API says so (client.DemoHeader): --base-url may point at a
	// running `vault-session demo-server`.
	if err := a.writeCreated(result, isDemo, job.output); err != nil {
		return err
	}
	if job.qr {
		if err := a.writeQR(result.URL); err != nil {
			return err
		}
	}
	asked, _ := req.Session.Settings.EffectiveSessionLength()
	if note := result.ExpiryNote(asked, a.now()); note != "" {
		fmt.Fprintf(a.streams.ErrOut, "note: %s\n", note)
	}
	return nil
}

// asDemo switches to the built-in demo API, filling in the identifying
// headers it needs but does not check.
func (c credentialInput) asDemo() credentialInput {
	c.demo = true
	c.baseURL = ""
	return c.withDemoIDs()
}

// withDemoIDs fills in the app and consumer IDs that are not set with the
// demo's.
func (c credentialInput) withDemoIDs() credentialInput {
	if c.appID == "" {
		c.appID = demoAppID
	}
	if c.consumerID == "" {
		c.consumerID = demoConsumerID
	}
	return c
}

// newClient returns a client for the real API, or for the demo API when
// demo is set.
func (a *app) newClient(creds credentialInput, demo *mock.Demo) *client.Client {
	if demo != nil {
		return demoClient(demo, a.version.short, a.clientOptions...)
	}
	opts := []client.Option{client.WithVersion(a.version.short)}
	if creds.baseURL != "" {
		opts = append(opts, client.WithBaseURL(strings.TrimRight(creds.baseURL, "/")))
	}
	return client.New(append(opts, a.clientOptions...)...)
}

// demoNotice says, on stderr, that a session is not a real one.
const demoNotice = "DEMO: created against the built-in demo API, not Apideck"

// createdJSON is the shape of `--output json`; scripts rely on it.
type createdJSON struct {
	URL       string  `json:"url"`
	Token     string  `json:"token"`
	ExpiresAt *string `json:"expires_at"`
	Demo      bool    `json:"demo"`
}

func (a *app) writeCreated(r client.Result, demo bool, format outputFormat) error {
	if demo {
		fmt.Fprintln(a.streams.ErrOut, demoNotice)
	}
	if format == outputJSON {
		out := createdJSON{URL: r.URL, Token: r.Token, Demo: demo}
		if !r.ExpiresAt.IsZero() {
			at := r.ExpiresAt.UTC().Format(time.RFC3339)
			out.ExpiresAt = &at
		}
		return writeJSON(a.streams.Out, out)
	}
	// The URL is the API's text: a script reads it back, so it is escaped
	// rather than cut.
	fmt.Fprintln(a.streams.Out, escapeLines(r.URL))
	if !r.ExpiresAt.IsZero() {
		fmt.Fprintln(a.streams.ErrOut, describeExpiry(r.ExpiresAt, a.now()))
	}
	return nil
}

// writeQR draws url as a QR code on stderr, where a person reads (stdout
// keeps the URL alone for scripts): black on white where colour is
// allowed, else block characters for the terminal's background, which
// VAULT_SESSION_THEME or COLORFGBG tell (dark without a word: most
// terminals are; the terminal itself is not asked).
func (a *app) writeQR(url string) error {
	code, err := qrtext.Encode(url, qrtext.DefaultMaxRows)
	if err != nil {
		return fmt.Errorf("--qr: %w", err)
	}
	mode, err := termbg.ParseMode(a.getenv(termbg.EnvVar))
	if err != nil {
		mode = termbg.Auto
	}
	dark := termbg.Decide(mode, nil, a.getenv).Dark
	color := colorAllowed(a.streams.IsStderrTTY(), a.getenv)
	fmt.Fprintf(a.streams.ErrOut, "%s\nQR code of the URL above (%d lines): scan it with a phone's camera to open the session.\n",
		code.Text(color, dark), code.Rows())
	return nil
}

// describeExpiry reads "expires 2026-11-26 15:04 UTC (in 1h)", to the
// minute: a token issued a moment ago for one hour reads "in 1h".
func describeExpiry(at, now time.Time) string {
	left := at.Sub(now).Round(time.Minute)
	until := "in " + model.FormatDuration(left, model.DurationFormat{Smallest: time.Minute})
	switch {
	case left < 0:
		until = "already expired"
	case left == 0:
		until = "in under a minute"
	}
	return fmt.Sprintf("expires %s (%s)", at.UTC().Format("2006-01-02 15:04 MST"), until)
}

// describedJSON is `--dry-run --output json`.
type describedJSON struct {
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
	Body    json.RawMessage   `json:"body"`
}

// writeDescribed prints a request that was not sent. The client has already
// redacted the key. Its values come from the session file and flags, so
// every format is escaped for the terminal (never cut: the output is meant
// to be used as it is).
func writeDescribed(w io.Writer, d client.DescribedRequest, format outputFormat) error {
	switch format {
	case outputCurl:
		_, err := fmt.Fprintln(w, escapeLines(strings.TrimRight(d.Curl(), "\n")))
		return err
	case outputJSON:
		headers := make(map[string]string, len(d.Headers))
		for _, h := range d.Headers {
			headers[h[0]] = h[1]
		}
		body := json.RawMessage(d.Body)
		if len(d.Body) == 0 {
			body = json.RawMessage("null")
		}
		return writeJSON(w, describedJSON{Method: d.Method, URL: d.URL, Headers: headers, Body: body})
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", d.Method, d.URL)
	for _, h := range d.Headers {
		fmt.Fprintf(&b, "%s: %s\n", h[0], h[1])
	}
	if len(d.Body) > 0 {
		b.WriteString("\n")
	}
	if _, err := io.WriteString(w, escapeLines(b.String())); err != nil || len(d.Body) == 0 {
		return err
	}
	// The body is most of a large request: written from its own bytes,
	// and copied only to escape it when it holds what a terminal obeys.
	body := bytes.TrimRight(d.Body, "\n")
	if !termtext.IsSafe(string(body)) {
		body = []byte(escapeLines(string(body)))
	}
	if _, err := w.Write(body); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// escapeLines makes text for a terminal that a program or a person will use
// as it is: every line goes through termtext whole, never cut, and the line
// breaks are kept.
func escapeLines(s string) string {
	if termtext.IsSafe(s) {
		return s // the same text, without a copy of every line
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = termtext.LineN(l, 0)
	}
	return strings.Join(lines, "\n")
}
