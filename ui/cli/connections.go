package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/client/watch"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/apideck-samples/vault-session/ui"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// connectionsJob is one `vault-session connections`.
type connectionsJob struct {
	creds   credentialInput
	api     string
	output  string
	timeout time.Duration
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
	format, err := parseOutputOf(job.output, outputText, outputJSON)
	if err != nil {
		return err
	}
	if err := checkTimeout(job.timeout); err != nil {
		return err
	}
	creds, err := a.readerCredentials(fs, job.creds)
	if err != nil {
		return err
	}
	c, closeDemo := a.readerClient(creds)
	defer closeDemo()
	listCtx, cancel := context.WithTimeout(ctx, job.timeout)
	defer cancel()
	list, err := c.Connections(listCtx, client.Credentials{APIKey: creds.apiKey, AppID: creds.appID, ConsumerID: creds.consumerID}, job.api)
	if err != nil {
		if ctx.Err() != nil {
			return errInterrupted
		}
		return &failedRequest{err: err, timeout: job.timeout}
	}
	visible := watch.Visible(list, nil)
	if format == outputJSON {
		return writeJSON(a.streams.Out, connectionsJSON{ConsumerID: creds.consumerID, Connections: visible})
	}
	if len(visible) == 0 {
		fmt.Fprintf(a.streams.ErrOut, "%s has no connections yet", termtext.Line(creds.consumerID))
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

// readerClient is the client of the commands that read a consumer's
// connections; with no API key it talks to a fresh built-in demo API,
// said on stderr, which the returned func stops.
func (a *app) readerClient(creds credentialInput) (*client.Client, func()) {
	if !creds.demo {
		return a.newClient(creds, nil), func() {}
	}
	demo := mock.NewDemo()
	fmt.Fprintln(a.streams.ErrOut, demoReadNotice)
	return a.newClient(creds, demo), demo.Close
}

// demoReadNotice marks what the demo API shows as not Apideck's.
const demoReadNotice = "DEMO: reading the built-in demo API, not Apideck; it starts with no connections"

// readerCredentials resolves the credentials of a command that reads a
// consumer's connections: a key (or --demo) and a consumer are required.
func (a *app) readerCredentials(fs *pflag.FlagSet, in credentialInput) (credentialInput, error) {
	creds, err := in.resolve(fs, a.getenv)
	if err != nil {
		return creds, err
	}
	if !creds.demo && creds.apiKey == "" {
		return creds, &usageError{msg: "no API key: pass --api-key or set " + envAPIKey +
			" (or pass --demo to try the built-in demo API)"}
	}
	if strings.TrimSpace(creds.consumerID) == "" {
		return creds, &usageError{msg: "no consumer: pass --consumer-id or set " + envConsumerID}
	}
	if strings.TrimSpace(creds.appID) == "" {
		return creds, &usageError{msg: "no app ID: pass --app-id or set " + envAppID}
	}
	return creds, nil
}

// writeConnectionTable prints connections as aligned columns, laid out as
// the wizard's watch table lays them out.
func writeConnectionTable(w io.Writer, list []client.Connection, now time.Time) {
	for _, line := range ui.ConnectionLines(list, now, 40) {
		fmt.Fprintln(w, line)
	}
}
