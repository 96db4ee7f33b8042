package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/watch"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/apideck-samples/vault-session/ui"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// connectionsJob is one `vault-session connections`.
type connectionsJob struct {
	readFlags
	api string
}

// newConnectionsCmd is `vault-session connections`: the consumer's
// connections once, as a table or as JSON.
func newConnectionsCmd(a *app) *cobra.Command {
	var job connectionsJob
	cmd := &cobra.Command{
		Use:   "connections --consumer-id ID [--api API] [flags]",
		Short: "list a consumer's connections once",
		Long: `Lists the consumer's connections once (GET /vault/connections): integration,
unified API, state, health, enabled and when it last changed. Integrations the
consumer has not added are left out.`,
		Example: `  # On the built-in demo API, which starts with no connections
  vault-session connections --demo --consumer-id acme-42

  # Only the CRM connections, as JSON, from a demo-server running on port 8080
  vault-session connections --base-url http://127.0.0.1:8080 --api-key demo \
    --app-id demo-app --consumer-id acme-42 --api crm --output json`,
		Annotations: map[string]string{
			annotationExitCodes: "0 listed, 1 API or network error, 2 bad usage, 130 interrupted.",
		},
		Args: noArgs(a),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runConnections(cmd.Context(), cmd.Flags(), job)
		},
	}
	cmd.AddCommand(newConnectionsValidateCmd(a))
	fs := cmd.Flags()
	fs.SortFlags = false
	fs.StringVar(&job.api, "api", "", "only this unified API (e.g. crm)")
	registerOutput(fs, &job.output, `text (default): a table; json: {"consumer_id", "connections":[{"id","service_id","name", "unified_api","state","health","enabled", "created_at","updated_at"}]}`)
	registerTimeout(fs, &job.timeout, "give up on the API after this long, retries included (default 2m); exit code 1")
	setArg(fs, "api", "API")
	inGroup(fs, "Output", "api", "output", "timeout")
	job.creds.register(fs)
	return cmd
}

// runConnections lists the connections.
func (a *app) runConnections(ctx context.Context, fs *pflag.FlagSet, job connectionsJob) error {
	format, err := job.check(outputText, outputJSON)
	if err != nil {
		return err
	}
	if err := checkUnifiedAPI("--api", job.api); err != nil {
		return err
	}
	ctx, r, err := a.openReader(ctx, fs, job.creds, readsConsumer, job.timeout)
	if err != nil {
		return err
	}
	defer r.stop()
	list, err := r.client.Connections(ctx, r.api, job.api)
	if err != nil {
		return a.requestFailed(ctx, err, job.timeout)
	}
	visible := watch.Visible(list, nil)
	if format == outputJSON {
		return writeJSON(a.streams.Out, connectionsJSON{ConsumerID: r.creds.consumerID, Connections: visible})
	}
	if len(visible) == 0 {
		fmt.Fprintf(a.streams.ErrOut, "%s has no connections yet", termtext.Line(r.creds.consumerID))
		if job.api != "" {
			fmt.Fprintf(a.streams.ErrOut, " in %s", termtext.Line(job.api))
		}
		fmt.Fprintln(a.streams.ErrOut)
		return nil
	}
	writeConnectionTable(a.streams.Out, visible, a.now())
	return nil
}

// connectionsJSON is `connections --output json`; scripts rely on it.
type connectionsJSON struct {
	ConsumerID  string              `json:"consumer_id"`
	Connections []client.Connection `json:"connections"`
}

// writeConnectionTable prints connections as aligned columns, laid out as
// the wizard's watch table lays them out.
func writeConnectionTable(w io.Writer, list []client.Connection, now time.Time) {
	for _, line := range ui.ConnectionLines(list, now, 40) {
		fmt.Fprintln(w, line)
	}
}
