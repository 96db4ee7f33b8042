package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/client/triage"
	"github.com/apideck-samples/vault-session/client/watch"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// defaultHealthTimeout bounds a sweep: ten thousand consumers are some ten
// thousand requests, paced by the API's rate limit.
const defaultHealthTimeout = 30 * time.Minute

// healthShownPerGroup bounds the lines each group prints as text, so the
// findings kept for grouping do not grow with the application: the JSON
// outputs stream every one.
const healthShownPerGroup = 50

type healthJob struct {
	readFlags
	api      string
	within   time.Duration
	parallel int
}

func newHealthCmd(a *app) *cobra.Command {
	var job healthJob
	cmd := &cobra.Command{
		Use:   "health [--api API] [--within 48h] [flags]",
		Short: "sweep every consumer's connections for what needs attention",
		Long: fmt.Sprintf(`Reads every consumer of the application and its connections, a page at a
time (ten thousand consumers in the memory of one page), and lists the
connections that need something, grouped by what needs doing: credentials
about to be deleted (token refreshes failing: Vault deletes the credentials
48 hours after they start to), reconnect (needs a new sign-in), settings,
consent, degraded. Rate limits (429 with Retry-After) pause every lookup.

Exit code %d means something needs attention, so a cron job can alert on it.`, exitAttention),
		Example: `  # The demo application: QuickBooks of globex-17 and HubSpot of initech-3
  # need attention (exit 4)
  vault-session health --demo

  # Only CRM connections, credentials going within 6 hours, as JSON lines
  # (exit 4: HubSpot)
  vault-session health --demo --api crm --within 6h --output jsonl`,
		Annotations: map[string]string{
			annotationExitCodes: fmt.Sprintf("0 nothing needs attention, %d something needs attention, 1 API or network error, 2 bad usage, 130 interrupted.", exitAttention),
		},
		Args: noArgs(a),
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runHealth(cmd.Context(), cmd.Flags(), job) },
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	fs.StringVar(&job.api, "api", "", "only connections of this unified API (e.g. crm)")
	fs.DurationVar(&job.within, "within", model.CredentialsRetention, "credentials deleted within this long count as about to be deleted (default 48h); later ones as refreshes failing")
	fs.IntVar(&job.parallel, "concurrency", triage.DefaultConcurrency, fmt.Sprintf("consumers looked up at once (1 to %d)", maxLookups))
	registerOutput(fs, &job.output, `text (default): grouped by what needs doing; jsonl: one line per connection needing attention, {"consumer_id", "account_name", "need", "summary", "unified_api", "service_id", "name", "state", "health", "credentials_expire_at"}, then {"summary": {...}}; json: {"attention": [...], "summary": {"consumers", "looked_up", "connections", "consumers_needing", "needing": {need: count}}}`)
	fs.DurationVar(&job.timeout, "timeout", defaultHealthTimeout, "give up after this long, retries included (default 30m); exit code 1")
	setArg(fs, "api", "API")
	setArg(fs, "within", "DURATION")
	setArg(fs, "concurrency", "N")
	inGroup(fs, "Sweep", "api", "within", "concurrency", "output", "timeout")
	job.creds.register(fs)
	return cmd
}

// healthLineJSON is one line of `health --output jsonl` and an element of
// json's "attention"; scripts rely on it.
type healthLineJSON struct {
	ConsumerID  string `json:"consumer_id"`
	AccountName string `json:"account_name,omitempty"`
	attentionJSON
}

type healthSummaryJSON struct {
	Consumers        int                 `json:"consumers"`
	LookedUp         int                 `json:"looked_up"`
	Connections      int                 `json:"connections"`
	ConsumersNeeding int                 `json:"consumers_needing"`
	Needing          map[triage.Need]int `json:"needing"`
}

func (a *app) runHealth(ctx context.Context, fs *pflag.FlagSet, job healthJob) error {
	format, err := job.check(outputText, outputJSONL, outputJSON)
	if err != nil {
		return err
	}
	if job.within <= 0 || job.within > model.CredentialsRetention {
		return &usageError{msg: fmt.Sprintf("--within %s: give a duration up to %s (Vault keeps failing credentials %s)", job.within, model.DurationText(model.CredentialsRetention), model.DurationText(model.CredentialsRetention))}
	}
	if err := checkConcurrency(job.parallel, maxLookups); err != nil {
		return err
	}
	if err := checkUnifiedAPI("--api", job.api); err != nil {
		return err
	}
	sweepCtx, r, err := a.openReader(ctx, fs, job.creds, readsApplication, job.timeout)
	if err != nil {
		return err
	}
	defer r.stop()

	out := a.streams.Out
	groups := map[triage.Need][]healthLineJSON{}
	more := map[triage.Need]int{}
	// With --output json, the findings are the array "attention" of one
	// object, written as they come; "summary" follows it.
	attention := &jsonArray{w: out, head: "{\n  \"attention\": ", indent: "    "}
	visit := func(f triage.Finding) error {
		now := a.now()
		for _, at := range f.Attention {
			line := healthLineJSON{ConsumerID: f.Consumer.ConsumerID, AccountName: f.Consumer.Metadata.AccountName, attentionJSON: attentionOf(at, now)}
			switch format {
			case outputJSONL:
				if err := writeJSONLine(out, line); err != nil {
					return err
				}
			case outputJSON:
				if err := attention.add(line); err != nil {
					return err
				}
			default:
				if len(groups[at.Need]) < healthShownPerGroup {
					groups[at.Need] = append(groups[at.Need], line)
				} else {
					more[at.Need]++
				}
			}
		}
		return nil
	}
	sum, err := triage.Sweep(sweepCtx, r.client, r.api, triage.SweepOptions{
		API: job.api, Within: job.within, Concurrency: job.parallel, Now: a.now,
	}, visit)
	if err != nil {
		return a.requestFailed(sweepCtx, err, job.timeout)
	}
	summary := healthSummaryJSON{Consumers: sum.Consumers, LookedUp: sum.LookedUp, Connections: sum.Connections,
		ConsumersNeeding: sum.ConsumersNeeding, Needing: sum.Needing}
	switch format {
	case outputJSONL:
		err = writeJSONLine(out, struct {
			Summary healthSummaryJSON `json:"summary"`
		}{summary})
	case outputJSON:
		var data string
		if data, err = jsonLine(summary); err == nil {
			if err = attention.end(",\n"); err == nil {
				_, err = fmt.Fprint(out, "  \"summary\": "+data+"\n}\n")
			}
		}
	default:
		// Every finding's lines and the fix of one consumer, as commands
		// that run where this sweep ran.
		setting := runSettingOf(fs)
		everyOne := a.commandLine(setting, "health", append(givenFlags(fs, "output"), "--output", "jsonl")...)
		a.writeHealthGroups(groups, more, everyOne)
		if id, ok := firstNeeding(groups); ok {
			fmt.Fprintf(out, "\nEach consumer's card ends with the command that fixes it: %s\n",
				a.commandLine(setting, "consumers show", id))
		}
		err = nil
	}
	if err != nil {
		return err
	}
	scope := ""
	if job.api != "" {
		scope = " " + watch.APIName(job.api)
	}
	fmt.Fprintf(a.streams.ErrOut, "%d consumers, %d%s connections: ", sum.Consumers, sum.Connections, termtext.Line(scope))
	if !sum.Attention() {
		fmt.Fprintln(a.streams.ErrOut, "nothing needs attention")
		return nil
	}
	fmt.Fprintf(a.streams.ErrOut, "%d of %d consumers need attention (exit code %d)\n", sum.ConsumersNeeding, sum.Consumers, exitAttention)
	return &attentionError{what: "something needs attention"}
}

// writeHealthGroups prints the findings grouped by what needs doing, the
// most urgent first.
func (a *app) writeHealthGroups(groups map[triage.Need][]healthLineJSON, more map[triage.Need]int, everyOne string) {
	w := a.streams.Out
	first := true
	for _, need := range triage.Needs() {
		lines := groups[need]
		if len(lines) == 0 {
			continue
		}
		if !first {
			fmt.Fprintln(w)
		}
		first = false
		fmt.Fprintf(w, "%s (%d): %s\n", need.Title(), len(lines)+more[need], need.Action())
		idWidth, accountWidth := 0, 0
		for _, l := range lines {
			idWidth = max(idWidth, len([]rune(tableCell(l.ConsumerID, 24))))
			accountWidth = max(accountWidth, len([]rune(tableCell(l.AccountName, 24))))
		}
		for _, l := range lines {
			id, account := tableCell(l.ConsumerID, 24), tableCell(l.AccountName, 24)
			conn := tableCell(l.Name, 30) + " (" + tableCell(watch.APIName(l.UnifiedAPI), 30) + ")"
			fmt.Fprintf(w, "  %s%s  %s%s  %s: %s\n", id, strings.Repeat(" ", idWidth-len([]rune(id))),
				account, strings.Repeat(" ", accountWidth-len([]rune(account))), conn, termtext.Line(l.Summary))
		}
		if more[need] > 0 {
			fmt.Fprintf(w, "  … and %d more ('%s' lists every one)\n", more[need], everyOne)
		}
	}
}

// firstNeeding is the consumer of the most urgent finding.
func firstNeeding(groups map[triage.Need][]healthLineJSON) (string, bool) {
	for _, need := range triage.Needs() {
		if lines := groups[need]; len(lines) > 0 {
			return lines[0].ConsumerID, true
		}
	}
	return "", false
}
