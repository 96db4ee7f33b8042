package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/triage"
	"github.com/apideck-samples/vault-session/model"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// defaultListTimeout is --timeout of `consumers list --all` when not given:
// ten thousand consumers with their counts is some twenty thousand
// requests, paced by the API's rate limit.
const defaultListTimeout = 30 * time.Minute

// newConsumersCmd is `vault-session consumers`: list and show.
func newConsumersCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "consumers COMMAND",
		Short: "look up the application's consumers (list, show)",
		Long: `Looks up the application's consumers: who they are, what they have
connected, how much they use it and what is failing.`,
		Example: `  vault-session consumers list --demo --search globex
  vault-session consumers show --demo globex-17`,
		Args: noArgs(a),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return &usageError{msg: fmt.Sprintf("consumers needs a command: list or show; see %s consumers --help", a.self())}
		},
	}
	cmd.AddCommand(newConsumersListCmd(a), newConsumersShowCmd(a))
	return cmd
}

type consumersListJob struct {
	readFlags
	search   string
	prefix   string
	limit    int
	all      bool
	counts   bool
	parallel int
}

func newConsumersListCmd(a *app) *cobra.Command {
	var job consumersListJob
	cmd := &cobra.Command{
		Use:   "list [--search TEXT] [--limit N | --all] [flags]",
		Short: "list the application's consumers, with their connections and requests",
		Long: `Lists the application's consumers (GET /vault/consumers): id, account,
user, email, how many connections and how many requests in the last 30 days
(one more request per consumer; --counts=false leaves them out). --search
matches the id, email, account and user name; --id-prefix the start of the id.
Pages are read as they are printed: --all lists ten thousand consumers in the
memory of one page.`,
		Example: `  # The demo application's consumers matching "globex", as JSON
  vault-session consumers list --demo --search globex --output json

  # Every consumer, one JSON object per line, without the request counts
  vault-session consumers list --demo --all --counts=false --output jsonl`,
		Annotations: map[string]string{
			annotationExitCodes: "0 listed, 1 API or network error, 2 bad usage, 130 interrupted.",
		},
		Args: noArgs(a),
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runConsumersList(cmd.Context(), cmd.Flags(), job) },
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	fs.StringVar(&job.search, "search", "", "only consumers whose id, email, account or user name contains TEXT")
	fs.StringVar(&job.prefix, "id-prefix", "", "only consumers whose id starts with ID")
	fs.IntVar(&job.limit, "limit", 20, "list at most N consumers (default 20)")
	fs.BoolVar(&job.all, "all", false, "list every consumer, page after page")
	fs.BoolVar(&job.counts, "counts", true, "read each consumer's requests of the last 30 days (--counts=false: one request less per consumer)")
	fs.IntVar(&job.parallel, "concurrency", triage.DefaultConcurrency, fmt.Sprintf("consumers whose counts are read at once (1 to %d)", maxLookups))
	registerOutput(fs, &job.output, `text (default): a table; json: an array of {"consumer_id", "application_id", "metadata", "services", "connections", "requests_30d": {"total", "unify", "proxy", "vault"}, "created", "modified"}; jsonl: one such object per line`)
	registerTimeout(fs, &job.timeout, "give up after this long, retries included (default 2m; 30m with --all); exit code 1")
	setArg(fs, "search", "TEXT")
	setArg(fs, "id-prefix", "ID")
	setArg(fs, "limit", "N")
	setArg(fs, "concurrency", "N")
	inGroup(fs, "Listing", "search", "id-prefix", "limit", "all", "counts", "concurrency", "output", "timeout")
	job.creds.register(fs)
	return cmd
}

// consumerJSON is one consumer of `consumers list --output json|jsonl`;
// scripts rely on it.
type consumerJSON struct {
	ConsumerID    string                 `json:"consumer_id"`
	ApplicationID string                 `json:"application_id"`
	Metadata      model.ConsumerMetadata `json:"metadata"`
	Services      []string               `json:"services"`
	Connections   int                    `json:"connections"`
	Requests30d   *requestsJSON          `json:"requests_30d,omitempty"`
	Created       *time.Time             `json:"created,omitempty"`
	Modified      *time.Time             `json:"modified,omitempty"`
}

type requestsJSON struct {
	Total int64 `json:"total"`
	Unify int64 `json:"unify"`
	Proxy int64 `json:"proxy"`
	Vault int64 `json:"vault"`
}

func requestsOf(s client.ConsumerStats) *requestsJSON {
	return &requestsJSON{Total: s.Total, Unify: s.Counts.Unify, Proxy: s.Counts.Proxy, Vault: s.Counts.Vault}
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func (a *app) runConsumersList(ctx context.Context, fs *pflag.FlagSet, job consumersListJob) error {
	if job.all && !fs.Changed("timeout") {
		job.timeout = defaultListTimeout
	}
	format, err := job.check(outputText, outputJSON, outputJSONL)
	if err != nil {
		return err
	}
	if job.all && fs.Changed("limit") {
		return &usageError{msg: "--limit and --all cannot be used together: --all lists every consumer"}
	}
	if !job.all && job.limit < 1 {
		return &usageError{msg: fmt.Sprintf("--limit %d: give 1 or more, or --all", job.limit)}
	}
	if err := checkConcurrency(job.parallel, maxLookups); err != nil {
		return err
	}
	ctx, r, err := a.openReader(ctx, fs, job.creds, readsApplication, job.timeout)
	if err != nil {
		return err
	}
	defer r.stop()
	query := client.ConsumerQuery{Search: job.search, IDPrefix: job.prefix, Limit: client.MaxPageSize}
	if !job.all {
		query.Limit = min(job.limit, client.MaxPageSize)
	}
	now := a.now()

	out := &consumerPrinter{w: a.streams.Out, format: format, counts: job.counts, now: now, array: newJSONArray(a.streams.Out)}
	listed, total := 0, -1
	for page, err := range r.client.ConsumerPages(ctx, r.api, query) {
		if err != nil {
			return a.requestFailed(ctx, err, job.timeout)
		}
		total = page.Total
		items := page.Items
		if !job.all {
			items = items[:min(len(items), job.limit-listed)]
		}
		var stats []client.ConsumerStats
		if job.counts {
			stats, err = triage.Map(ctx, items, job.parallel, func(ctx context.Context, consumer client.Consumer) (client.ConsumerStats, error) {
				return triage.RateLimited(ctx, func() (client.ConsumerStats, error) {
					return r.client.ConsumerStats(ctx, r.api, consumer.ConsumerID, now.Add(-triage.CountsWindow), now)
				})
			})
			if err != nil {
				return a.requestFailed(ctx, err, job.timeout)
			}
		}
		if err := out.page(items, stats); err != nil {
			return err
		}
		listed += len(items)
		if !job.all && listed >= job.limit {
			break
		}
	}
	if err := out.end(); err != nil {
		return err
	}
	switch {
	case listed == 0 && format == outputText:
		fmt.Fprintln(a.streams.ErrOut, "no consumers match")
	case total > listed && !job.all:
		fmt.Fprintf(a.streams.ErrOut, "%d of %d consumers; --all lists every one\n", listed, total)
	}
	return nil
}

// consumerPrinter writes consumers as they come: a table whose columns are
// as wide as the first page needs (later rows are cut to fit), a JSON
// array written element by element, or JSON lines.
type consumerPrinter struct {
	w      io.Writer
	format outputFormat
	counts bool
	now    time.Time

	widths []int      // of the text columns, set by the first page
	array  *jsonArray // with --output json
}

// Column caps of the consumers table.
var consumerColumnCaps = []int{24, 24, 22, 32}

func consumerCells(c client.Consumer) []string {
	return []string{c.ConsumerID, c.Metadata.AccountName, c.Metadata.UserName, c.Metadata.Email}
}

// page writes one page of consumers; stats is nil without counts.
func (p *consumerPrinter) page(items []client.Consumer, stats []client.ConsumerStats) error {
	if p.format == outputText && p.widths == nil && len(items) > 0 {
		p.widths = make([]int, len(consumerColumnCaps))
		for i, h := range []string{"ID", "ACCOUNT", "USER", "EMAIL"} {
			p.widths[i] = len(h)
		}
		for _, c := range items {
			for i, v := range consumerCells(c) {
				p.widths[i] = max(p.widths[i], min(len([]rune(tableCell(v, 0))), consumerColumnCaps[i]))
			}
		}
		header := p.row([]string{"ID", "ACCOUNT", "USER", "EMAIL"}, "CONNECTIONS", "REQUESTS 30 DAYS")
		if _, err := fmt.Fprintln(p.w, header); err != nil {
			return err
		}
	}
	for i, c := range items {
		var s *client.ConsumerStats
		if stats != nil {
			s = &stats[i]
		}
		if err := p.consumer(c, s); err != nil {
			return err
		}
	}
	return nil
}

// row lays out one line of the table.
func (p *consumerPrinter) row(cells []string, connections, requests string) string {
	var line strings.Builder
	for i, v := range cells {
		line.WriteString(v)
		line.WriteString(strings.Repeat(" ", max(p.widths[i]-len([]rune(v)), 0)+2))
	}
	fmt.Fprintf(&line, "%11s", connections)
	if p.counts {
		fmt.Fprintf(&line, "  %16s", requests)
	}
	return line.String()
}

func (p *consumerPrinter) consumer(c client.Consumer, stats *client.ConsumerStats) error {
	if p.format == outputText {
		cells := consumerCells(c)
		for i, v := range cells {
			cells[i] = tableCell(v, p.widths[i])
		}
		requests := "—"
		if stats != nil {
			requests = fmt.Sprint(stats.Total)
		}
		_, err := fmt.Fprintln(p.w, p.row(cells, fmt.Sprint(len(c.Services)), requests))
		return err
	}
	v := consumerJSON{
		ConsumerID: c.ConsumerID, ApplicationID: c.ApplicationID, Metadata: c.Metadata,
		Services: c.Services, Connections: len(c.Services), Created: timePtr(c.Created), Modified: timePtr(c.Modified),
	}
	if v.Services == nil {
		v.Services = []string{}
	}
	if stats != nil {
		v.Requests30d = requestsOf(*stats)
	}
	if p.format == outputJSONL {
		return writeJSONLine(p.w, v)
	}
	return p.array.add(v)
}

// end closes the JSON array.
func (p *consumerPrinter) end() error {
	if p.format != outputJSON {
		return nil
	}
	return p.array.end("\n")
}

// shellWord quotes s for a POSIX shell when it needs it.
func shellWord(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-:/@+=,", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
