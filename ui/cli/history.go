package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/apideck-samples/vault-session/model/store"
	"github.com/apideck-samples/vault-session/model/termtext"
)

// historyJob is `vault-session history`'s flags.
type historyJob struct {
	consumer string
	output   string
	limit    int
}

func historyFlagSet(job *historyJob) *flag.FlagSet {
	fs := newFlagSet("history")
	fs.StringVar(&job.consumer, "consumer", "", "")
	fs.StringVar(&job.output, "output", string(outputText), "")
	fs.IntVar(&job.limit, "limit", 0, "")
	return fs
}

// runHistory prints the sessions created so far, newest first: who got a
// link and when, never the link.
func (a *app) runHistory(_ context.Context, args []string) error {
	var job historyJob
	fs := historyFlagSet(&job)
	if err := a.parseFlags(fs, args, historyUsage()); err != nil {
		return err
	}
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
