package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/triage"
	"github.com/apideck-samples/vault-session/client/watch"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

type consumersShowJob struct {
	readFlags
}

func newConsumersShowCmd(a *app) *cobra.Command {
	var job consumersShowJob
	cmd := &cobra.Command{
		Use:   "show ID [flags]",
		Short: "a consumer's card: connections, health, requests and failing calls",
		Long: `Shows one consumer: who it is, every connection with its state and health and,
when token refreshes fail, how long until Vault deletes its credentials; the
requests of the last 30 days; the last failing calls (method, path, status,
connector, time and error message only: logs can hold the customer's data);
and what needs doing, with the create command of the session that fixes it.`,
		Example: `  # The demo's Globex, whose QuickBooks refreshes have failed for 30 hours
  vault-session consumers show --demo globex-17

  # As JSON
  vault-session consumers show --demo initech-3 --output json`,
		Annotations: map[string]string{
			annotationExitCodes: "0 shown, 1 API or network error (404 when there is no such consumer), 2 bad usage, 130 interrupted.",
		},
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return &usageError{msg: "consumers show needs one consumer ID; see '" + a.commandLine(runSetting{}, "consumers show", "--help") + "'"}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runConsumersShow(cmd.Context(), cmd.Flags(), args[0], job)
		},
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	registerOutput(fs, &job.output, `text (default): the card; json: {"consumer", "requests_30d", "attention": [{"need", "summary", "unified_api", "service_id", "name", "state", "health", "credentials_expire_at"}], "last_failing_calls": [{"consumer_id", "timestamp", "http_method", "path", "status_code", "success", "unified_api", "service", "error_message"}], "fix": {"unified_apis", "allow_actions", "purpose"} or null}`)
	registerTimeout(fs, &job.timeout, "give up on the API after this long, retries included (default 2m); exit code 1")
	inGroup(fs, "Output", "output", "timeout")
	job.creds.register(fs)
	return cmd
}

// consumerCardJSON is `consumers show --output json`; scripts rely on it.
type consumerCardJSON struct {
	Consumer         client.Consumer `json:"consumer"`
	Requests30d      *requestsJSON   `json:"requests_30d"`
	Attention        []attentionJSON `json:"attention"`
	LastFailingCalls []client.Log    `json:"last_failing_calls"`
	// LastFailingCallsError says why the logs could not be read; absent
	// when they were.
	LastFailingCallsError string   `json:"last_failing_calls_error,omitempty"`
	Fix                   *fixJSON `json:"fix"`
}

// attentionJSON is a connection that needs something, in every command's
// JSON (show, health).
type attentionJSON struct {
	Need                triage.Need `json:"need"`
	Summary             string      `json:"summary"`
	UnifiedAPI          string      `json:"unified_api"`
	ServiceID           string      `json:"service_id"`
	Name                string      `json:"name"`
	State               string      `json:"state"`
	Health              string      `json:"health"`
	CredentialsExpireAt *time.Time  `json:"credentials_expire_at"`
}

func attentionOf(at triage.Attention, now time.Time) attentionJSON {
	c := at.Connection
	return attentionJSON{
		Need: at.Need, Summary: at.Describe(now), UnifiedAPI: c.UnifiedAPI, ServiceID: c.ServiceID,
		Name: c.DisplayName(), State: string(c.State), Health: string(c.Health),
		CredentialsExpireAt: timePtr(c.CredentialsExpireAt),
	}
}

type fixJSON struct {
	UnifiedAPIs  []string `json:"unified_apis"`
	AllowActions []string `json:"allow_actions"`
	Purpose      string   `json:"purpose"`
}

func (a *app) runConsumersShow(ctx context.Context, fs *pflag.FlagSet, id string, job consumersShowJob) error {
	format, err := job.check(outputText, outputJSON)
	if err != nil {
		return err
	}
	if strings.TrimSpace(id) == "" {
		return &usageError{msg: "consumers show: the consumer ID is empty"}
	}
	ctx, r, err := a.openReader(ctx, fs, job.creds, readsApplication, job.timeout)
	if err != nil {
		return err
	}
	defer r.stop()
	now := a.now()

	card, err := triage.ReadCard(ctx, r.client, r.api, id, now)
	if err == nil && card.LogsErr != nil && ctx.Err() != nil {
		err = card.LogsErr
	}
	if err != nil {
		return a.requestFailed(ctx, err, job.timeout)
	}
	// The card stands without the logs: a failure to read them is said in
	// its place.
	consumer, stats, failing, logsErr := card.Consumer, card.Requests, card.Failing, card.LogsErr
	attention := triage.NeedsAttention(consumer.Connections, now, 0)
	fix, fixable := triage.PlanFix(attention)

	if format == outputJSON {
		card := consumerCardJSON{Consumer: consumer, Requests30d: requestsOf(stats), Attention: []attentionJSON{}, LastFailingCalls: failing}
		if logsErr != nil {
			card.LastFailingCallsError = logsErr.Error()
		}
		if card.Consumer.Connections == nil {
			card.Consumer.Connections = []client.Connection{}
		}
		for _, at := range attention {
			card.Attention = append(card.Attention, attentionOf(at, now))
		}
		if fixable {
			s := fix.Apply(model.Session{}, consumer.Metadata)
			card.Fix = &fixJSON{UnifiedAPIs: s.Settings.UnifiedAPIs, AllowActions: s.Settings.AllowActions, Purpose: fix.Purpose()}
		}
		return writeJSON(a.streams.Out, card)
	}
	return a.writeConsumerCard(runSettingOf(fs), consumer, stats, attention, failing, logsErr, now)
}

func (a *app) writeConsumerCard(setting runSetting, consumer client.Consumer, stats client.ConsumerStats, attention []triage.Attention, failing []client.Log, logsErr error, now time.Time) error {
	w := a.streams.Out
	m := consumer.Metadata
	fmt.Fprintf(w, "%s", termtext.Line(consumer.ConsumerID))
	if m.AccountName != "" {
		fmt.Fprintf(w, "  %s", termtext.Line(m.AccountName))
	}
	fmt.Fprintln(w)
	if who := personText(m.UserName, m.Email); who != "" {
		fmt.Fprintf(w, "  %s\n", who)
	}
	fmt.Fprintf(w, "  %d requests in the last 30 days (unify %d, proxy %d, vault %d)", stats.Total, stats.Counts.Unify, stats.Counts.Proxy, stats.Counts.Vault)
	if !consumer.Created.IsZero() {
		fmt.Fprintf(w, "; consumer since %s", timeText(consumer.Created, now))
	}
	fmt.Fprintln(w)

	fmt.Fprintln(w)
	if len(consumer.Connections) == 0 {
		fmt.Fprintln(w, "No connections.")
	} else {
		writeHealthTable(w, consumer.Connections, now)
	}

	fmt.Fprintln(w)
	switch {
	case len(failing) > 0:
		fmt.Fprintln(w, "LAST FAILING CALLS")
		lines := a.logLinesFor()
		for _, l := range failing {
			lines.print(l, now)
		}
		if logsErr != nil {
			fmt.Fprintf(w, "(the logs could not be read further: %s)\n", termtext.Line(logsErr.Error()))
		}
	case logsErr != nil:
		fmt.Fprintf(w, "The logs could not be read: %s\n", termtext.Line(logsErr.Error()))
	default:
		fmt.Fprintln(w, "No failing calls among the latest.")
	}

	if len(attention) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Needs attention:")
		for _, at := range attention {
			fmt.Fprintf(w, "  %s (%s): %s\n", termtext.Line(at.Connection.DisplayName()), strings.ToLower(at.Need.Title()), at.Need.Action())
		}
		if fix, ok := triage.PlanFix(attention); ok {
			s := fix.Apply(model.Session{}, consumer.Metadata)
			fmt.Fprintf(w, "  %s\n", a.fixCommand(setting, consumer.ConsumerID, s))
		}
	}
	return nil
}

// fixCommand is the create command of the session s that fixes a
// consumer's connections (triage.Fix.Apply made it), to run in setting.
func (a *app) fixCommand(setting runSetting, consumerID string, s model.Session) string {
	args := []string{"--consumer-id", consumerID}
	for _, f := range []struct{ flag, value string }{
		{"account-name", s.ConsumerMetadata.AccountName},
		{"user-name", s.ConsumerMetadata.UserName},
		{"email", s.ConsumerMetadata.Email},
		{"unified-apis", strings.Join(s.Settings.UnifiedAPIs, ",")},
		{"allow-actions", strings.Join(s.Settings.AllowActions, ",")},
	} {
		if f.value != "" {
			args = append(args, "--"+f.flag, f.value)
		}
	}
	return a.commandLine(setting, "create", args...)
}

func personText(name, email string) string {
	switch {
	case name != "" && email != "":
		return termtext.Line(name) + " <" + termtext.Line(email) + ">"
	case name != "":
		return termtext.Line(name)
	}
	return termtext.Line(email)
}

// writeHealthTable lists connections with what their health means.
func writeHealthTable(w io.Writer, list []client.Connection, now time.Time) {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CONNECTION\tUNIFIED API\tSTATE\tHEALTH\t")
	for _, c := range list {
		at := triage.Assess(c, now, 0)
		note := ""
		if at.Need != triage.NeedNone {
			note = at.Describe(now)
			if at.Left > 0 {
				note += " (" + whenText(c.CredentialsExpireAt) + ")"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", tableCell(c.DisplayName(), 40), tableCell(watch.APIName(c.UnifiedAPI), 30),
			tableCell(string(c.State), 30), tableCell(string(c.Health), 30), termtext.Line(note))
	}
	tw.Flush()
	for _, line := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
}

// logLines prints logs one per line: time, method, path, status,
// connector and error message, nothing else. On a terminal (width > 0) a
// line wider than it is cut with "…" instead of wrapping under the next
// columns, and the first cut is said once on notes.
type logLines struct {
	w, notes io.Writer
	width    int
	cut      bool
}

// logLinesFor prints to a's stdout, cut to its terminal's width if any.
func (a *app) logLinesFor() *logLines {
	l := &logLines{w: a.streams.Out, notes: a.streams.ErrOut}
	if w, _, ok := a.streams.TerminalSize(); ok && a.streams.IsStdoutTTY() {
		l.width = w
	}
	return l
}

func (p *logLines) print(l client.Log, now time.Time) error {
	line := logLine(l, now)
	if p.width > 0 && ansi.StringWidth(line) > p.width {
		line = ansi.Truncate(line, p.width, "…")
		if !p.cut {
			p.cut = true
			fmt.Fprintf(p.notes, "note: messages cut at %d columns; --output jsonl has them whole\n", p.width)
		}
	}
	_, err := fmt.Fprintln(p.w, line)
	return err
}

// logLine is one log as `logs` and the consumer card print it.
func logLine(l client.Log, now time.Time) string {
	line := fmt.Sprintf("%s  %-6s %-32s %3d  %s", timeText(l.Time, now), tableCell(l.Method, 7), tableCell(l.Path, 60),
		l.StatusCode, tableCell(l.Connector(), 30))
	if l.ErrorMessage != "" {
		line += "  " + termtext.LineN(l.ErrorMessage, 300)
	}
	return line
}
