package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/apideck-samples/vault-session/model/store"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/spf13/cobra"
)

// historyJob is `vault-session history`'s flags.
type historyJob struct {
	consumer string
	output   string
	limit    int
}

// newHistoryCmd is `vault-session history`.
func newHistoryCmd(a *app) *cobra.Command {
	var job historyJob
	cmd := &cobra.Command{
		Use:   "history [--consumer ID] [--output text|json]",
		Short: "list the sessions created, newest first (never their URLs)",
		Long: `Lists the sessions created, newest first: when, consumer, account, unified
APIs, length, expiry, preset and API host. Never the key, the token or the URL.
The file is $XDG_STATE_HOME/vault-session/history.jsonl (default
~/.local/state/vault-session/history.jsonl), one JSON object a line.

'vault-session create --again ID' sends a consumer's last body again.
--no-history or VAULT_SESSION_NO_HISTORY=1 stops new sessions being added.`,
		Example: `  # The last ten sessions
  vault-session history --limit 10

  # One consumer's sessions, as JSON
  vault-session history --consumer acme-42 --output json`,
		Annotations: map[string]string{
			annotationExitCodes: "0 listed, 2 bad usage or no home for the history.",
		},
		Args: noArgs(a),
		RunE: func(*cobra.Command, []string) error { return a.runHistory(job) },
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	fs.StringVar(&job.consumer, "consumer", "", "only this consumer's sessions")
	fs.StringVar(&job.output, "output", string(outputText), "text (default) or json (an array)")
	fs.IntVar(&job.limit, "limit", 0, "at most N sessions (0: all)")
	setArg(fs, "consumer", "ID")
	setArg(fs, "output", "FORMAT")
	setArg(fs, "limit", "N")
	return cmd
}

// runHistory prints the sessions created so far, newest first: who got a
// link and when, never the link.
func (a *app) runHistory(job historyJob) error {
	format := outputFormat(strings.ToLower(job.output))
	if format != outputText && format != outputJSON {
		return &usageError{msg: fmt.Sprintf("--output %q: use text or json", job.output)}
	}
	if job.limit < 0 {
		return &usageError{msg: "--limit must be positive (0 shows everything)"}
	}
	st := a.openStore()
	if st == nil {
		return &usageError{msg: "the history has no home here: set XDG_STATE_HOME"}
	}
	if store.HistoryDisabled(a.getenv) {
		fmt.Fprintf(a.streams.ErrOut, "note: %s is set: new sessions are not added to the history\n", store.EnvNoHistory)
	}
	entries, problems := st.History()
	a.warn(problems...)
	var shown []store.Entry
	for _, e := range entries {
		if job.consumer != "" && e.ConsumerID != job.consumer {
			continue
		}
		shown = append(shown, e)
		if len(shown) == job.limit {
			break
		}
	}
	if format == outputJSON {
		if shown == nil {
			shown = []store.Entry{}
		}
		return writeJSON(a.streams.Out, shown)
	}
	if len(shown) == 0 {
		what := "No sessions"
		if job.consumer != "" {
			what = fmt.Sprintf("No sessions for %s", termtext.Line(job.consumer))
		}
		fmt.Fprintf(a.streams.Out, "%s in the history (%s).\n", what, termtext.Line(st.HistoryPath()))
		return nil
	}
	tw := tabwriter.NewWriter(a.streams.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CREATED\tCONSUMER\tACCOUNT\tUNIFIED APIS\tLENGTH\tEXPIRES\tPRESET\tAPI")
	loc := a.now().Location()
	for _, e := range shown {
		expires := "-"
		if e.ExpiresAt != nil {
			expires = e.ExpiresAt.In(loc).Format("2006-01-02 15:04")
		}
		apis := "all"
		if len(e.UnifiedAPIs) > 0 {
			apis = strings.Join(e.UnifiedAPIs, ",")
		}
		api := e.APIHost
		if e.Demo {
			api = "demo"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
			e.Time.In(loc).Format("2006-01-02 15:04"), cell(e.ConsumerID), cell(e.AccountName), cell(apis),
			cell(e.SessionLength), expires, cell(e.Preset), cell(api))
	}
	return tw.Flush()
}

// cell is one value of a table row: safe for the terminal, on one line,
// "-" when empty.
func cell(s string) string {
	if s == "" {
		return "-"
	}
	return termtext.LineN(s, 60) // tabs become \t: the columns hold
}
