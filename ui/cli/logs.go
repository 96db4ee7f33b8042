package cli

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/watch"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// errLogsInterrupted is `logs --follow` ended by Ctrl+C or SIGTERM.
var errLogsInterrupted = &stoppedError{doing: "following the logs"}

type logsJob struct {
	readFlags
	status   string
	since    string
	path     string
	method   string
	limit    int
	follow   bool
	interval time.Duration
}

func newLogsCmd(a *app) *cobra.Command {
	var job logsJob
	cmd := &cobra.Command{
		Use:   "logs --consumer-id ID [--status LIST] [--since WHEN] [flags]",
		Short: "a consumer's requests through Apideck, newest first",
		Long: `Lists the requests a consumer's software made through Apideck (GET /vault/logs),
newest first: time, method, path, status, connector and the error message.
Nothing else of a log is read or shown: logs can hold the customer's data.
--status takes codes (401) and classes (4xx); --follow keeps polling, as watch
does, and prints new requests as they come, oldest first.`,
		Example: `  # The demo's Globex: the QuickBooks calls refused with 401
  vault-session logs --demo --consumer-id globex-17 --status 401

  # Failing calls of the last day, as JSON lines
  vault-session logs --demo --consumer-id initech-3 --status 4xx,5xx \
    --since 24h --output jsonl`,
		Annotations: map[string]string{
			annotationExitCodes: "0 listed, 1 API or network error, 2 bad usage, 130 interrupted (the way --follow ends).",
		},
		Args: noArgs(a),
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runLogs(cmd.Context(), cmd.Flags(), job) },
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	fs.StringVar(&job.status, "status", "", "only these statuses, comma-separated: codes (401) and classes (4xx, 5xx)")
	fs.StringVar(&job.since, "since", "", "only requests of the last DURATION (30m, 24h, 7d) or since a time (2025-06-01T00:00:00Z)")
	fs.StringVar(&job.path, "path", "", "only requests whose path contains PATH (e.g. /accounting)")
	fs.StringVar(&job.method, "method", "", "only these HTTP methods, comma-separated (GET,POST)")
	fs.IntVar(&job.limit, "limit", 50, "at most N requests (default 50; 0 for all); with --follow, how many to start with")
	fs.BoolVar(&job.follow, "follow", false, "keep polling and print new requests as they come, until Ctrl+C")
	fs.DurationVar(&job.interval, "interval", watch.DefaultInterval, "with --follow, the time between polls (default 5s, at least 1s)")
	registerOutput(fs, &job.output, `text (default): one line per request; jsonl: one JSON object per line; json: an array (not with --follow). Each is {"consumer_id", "timestamp", "http_method", "path", "status_code", "success", "unified_api", "service": {"id", "name"}, "error_message"}`)
	registerTimeout(fs, &job.timeout, "without --follow, give up after this long, retries included (default 2m); exit code 1")
	setArg(fs, "status", "LIST")
	setArg(fs, "since", "WHEN")
	setArg(fs, "path", "PATH")
	setArg(fs, "method", "LIST")
	setArg(fs, "limit", "N")
	inGroup(fs, "Filters", "status", "since", "path", "method", "limit")
	inGroup(fs, "Output", "follow", "interval", "output", "timeout")
	job.creds.register(fs)
	return cmd
}

// statusFilter is --status: exact codes and classes (4 for 4xx).
type statusFilter struct {
	codes   []int
	classes []int
}

func parseStatusFilter(text string) (statusFilter, error) {
	var f statusFilter
	for _, part := range commaList(text) {
		p := strings.ToLower(part)
		if len(p) == 3 && p[1:] == "xx" && p[0] >= '1' && p[0] <= '5' {
			f.classes = append(f.classes, int(p[0]-'0'))
			continue
		}
		code, err := strconv.Atoi(p)
		if err != nil || code < 100 || code > 599 {
			return f, &usageError{msg: fmt.Sprintf("--status %q: give status codes (401) or classes (4xx), comma-separated", part)}
		}
		f.codes = append(f.codes, code)
	}
	return f, nil
}

func (f statusFilter) keeps(code int) bool {
	if len(f.codes) == 0 && len(f.classes) == 0 {
		return true
	}
	return slices.Contains(f.codes, code) || slices.Contains(f.classes, code/100)
}

// apiCodes are the codes to ask the API for: only when no class is given
// (the API takes codes, at most 50; classes are filtered here).
func (f statusFilter) apiCodes() []int {
	if len(f.classes) > 0 || len(f.codes) > client.MaxStatusCodes {
		return nil
	}
	return f.codes
}

// parseSince reads --since: a duration back from now (Go's, or whole days
// as 7d) or an RFC 3339 time.
func parseSince(text string, now time.Time) (time.Time, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return time.Time{}, nil
	}
	if days, ok := strings.CutSuffix(text, "d"); ok {
		if n, err := strconv.Atoi(days); err == nil && n > 0 && n <= 3650 {
			return now.Add(-time.Duration(n) * 24 * time.Hour), nil
		}
	}
	if d, err := time.ParseDuration(text); err == nil && d > 0 {
		return now.Add(-d), nil
	}
	if t, err := time.Parse(time.RFC3339, text); err == nil {
		return t, nil
	}
	return time.Time{}, &usageError{msg: fmt.Sprintf("--since %q: give a duration (30m, 24h, 7d) or a time (2025-06-01T00:00:00Z)", text)}
}

func (a *app) runLogs(ctx context.Context, fs *pflag.FlagSet, job logsJob) error {
	format, err := parseOutputOf(job.output, outputText, outputJSONL, outputJSON)
	if err != nil {
		return err
	}
	if job.follow && format == outputJSON {
		return &usageError{msg: "--output json is one array, which --follow never ends: use --output jsonl"}
	}
	if err := checkTimeout(job.timeout); err != nil {
		return err
	}
	if job.limit < 0 {
		return &usageError{msg: fmt.Sprintf("--limit %d: give 0 (all) or more", job.limit)}
	}
	if job.follow && job.interval < minWatchInterval {
		return &usageError{msg: fmt.Sprintf("--interval %s: give %s or more (the API is rate limited)", job.interval, minWatchInterval)}
	}
	status, err := parseStatusFilter(job.status)
	if err != nil {
		return err
	}
	now := a.now()
	since, err := parseSince(job.since, now)
	if err != nil {
		return err
	}
	timeout := job.timeout
	if job.follow {
		timeout = 0 // it follows until stopped
	}
	ctx, r, err := a.openReader(ctx, fs, job.creds, readsConsumer, timeout)
	if err != nil {
		return err
	}
	defer r.stop()
	query := client.LogQuery{
		ConsumerID: r.creds.consumerID, StatusCodes: status.apiCodes(), Path: job.path,
		Methods: commaList(strings.ToUpper(job.method)), Since: since, Limit: client.MaxPageSize,
	}
	out := &logPrinter{a: a, format: format, array: newJSONArray(a.streams.Out)}
	if !job.follow {
		n := 0
		for page, err := range r.client.LogPages(ctx, r.api, query) {
			if err != nil {
				return a.requestFailed(ctx, err, job.timeout)
			}
			for _, l := range page.Items {
				if !status.keeps(l.StatusCode) {
					continue
				}
				if err := out.log(l); err != nil {
					return err
				}
				if n++; job.limit > 0 && n == job.limit {
					break
				}
			}
			if job.limit > 0 && n == job.limit {
				break
			}
		}
		if n == 0 && format == outputText {
			fmt.Fprintf(a.streams.ErrOut, "no requests of %s match\n", termtext.Line(r.creds.consumerID))
		}
		return out.end()
	}
	return a.followLogs(ctx, pollingClient(r.client), r.api, query, status, job, out)
}

// logPrinter writes logs for people or programs.
type logPrinter struct {
	a      *app
	format outputFormat
	array  *jsonArray // with --output json
	lines  *logLines  // text
}

func (p *logPrinter) log(l client.Log) error {
	switch p.format {
	case outputJSONL:
		return writeJSONLine(p.a.streams.Out, l)
	case outputJSON:
		return p.array.add(l)
	}
	if p.lines == nil {
		p.lines = p.a.logLinesFor()
	}
	return p.lines.print(l, p.a.now())
}

func (p *logPrinter) end() error {
	if p.format != outputJSON {
		return nil
	}
	return p.array.end("\n")
}

// logKey tells logs apart without an id (the client keeps none): the
// same request is never printed twice by --follow.
func logKey(l client.Log) string {
	return fmt.Sprintf("%d|%s|%s|%d|%s|%s", l.Time.UnixNano(), l.Method, l.Path, l.StatusCode, l.Service.ID, l.ErrorMessage)
}

// followLogs prints the newest job.limit requests, oldest first, then
// polls every interval for newer ones. Errors a poll can outlive (rate
// limits, server and network failures) are said and waited out; others
// end it.
func (a *app) followLogs(ctx context.Context, c *client.Client, creds client.Credentials, query client.LogQuery, status statusFilter, job logsJob, out *logPrinter) error {
	sleep := a.sleep
	if sleep == nil {
		sleep = client.Sleep
	}
	fmt.Fprintf(a.streams.ErrOut, "following %s's requests every %s (Ctrl+C stops)\n", termtext.Line(query.ConsumerID), model.DurationText(job.interval))
	var watermark time.Time
	seen := map[string]bool{} // keys of the logs printed at the watermark
	first := true
	failures := 0
	for {
		q := query
		if !watermark.IsZero() {
			q.Since = watermark
		}
		var fresh []client.Log
		var pollErr error
		for page, err := range c.LogPages(ctx, creds, q) {
			if err != nil {
				pollErr = err
				break
			}
			done := false
			for _, l := range page.Items {
				if !watermark.IsZero() && l.Time.Before(watermark) {
					done = true
					break
				}
				if l.Time.Equal(watermark) && seen[logKey(l)] {
					continue // printed by the last poll
				}
				if status.keeps(l.StatusCode) {
					fresh = append(fresh, l)
				}
				if first && job.limit > 0 && len(fresh) == job.limit {
					done = true
					break
				}
			}
			if done {
				break
			}
		}
		if ctx.Err() != nil {
			return errLogsInterrupted
		}
		wait := job.interval
		if pollErr != nil {
			if watch.Permanent(pollErr) {
				return &failedRequest{err: pollErr}
			}
			failures++
			wait = watch.NextPoll(job.interval, failures, pollErr)
			a.pollFailed(failures, pollErr, wait)
		} else {
			failures = 0
			first = false
			// Newest first from the API: printed oldest first.
			for i := len(fresh) - 1; i >= 0; i-- {
				l := fresh[i]
				if err := out.log(l); err != nil {
					return err
				}
				if l.Time.After(watermark) {
					watermark = l.Time
					clear(seen)
				}
				if l.Time.Equal(watermark) {
					seen[logKey(l)] = true
				}
			}
			if watermark.IsZero() {
				watermark = a.now()
			}
		}
		if err := sleep(ctx, wait); err != nil {
			return errLogsInterrupted
		}
	}
}
