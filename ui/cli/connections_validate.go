package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/triage"
	"github.com/apideck-samples/vault-session/client/watch"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

type validateJob struct {
	readFlags
	api     string
	service string
}

func newConnectionsValidateCmd(a *app) *cobra.Command {
	var job validateJob
	cmd := &cobra.Command{
		Use:   "validate --api API --service SERVICE [flags]",
		Short: "ask Vault to check a connection now, and say what it found",
		Long: fmt.Sprintf(`Asks Vault to check one of the consumer's connections now
(POST /vault/connections/{unified_api}/{service_id}/validate): for OAuth
connectors it refreshes the token whatever its expiry, for others it checks
the settings. Says what it found: the connection works, or why not and what
to do (a refused refresh names when Vault deletes the credentials).

Exit code %d means the check found something that needs attention.`, exitAttention),
		Example: `  # The demo's Globex: QuickBooks' refresh is refused (exit 4)
  vault-session connections validate --demo --consumer-id globex-17 \
    --api accounting --service quickbooks

  # Salesforce works, said as JSON
  vault-session connections validate --demo --consumer-id globex-17 \
    --api crm --service salesforce --output json`,
		Annotations: map[string]string{
			annotationExitCodes: fmt.Sprintf("0 the connection works, %d it needs attention (e.g. the token refresh was refused), 1 API or network error (404: no such connection), 2 bad usage, 130 interrupted.", exitAttention),
		},
		Args: noArgs(a),
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runValidate(cmd.Context(), cmd.Flags(), job) },
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	fs.StringVar(&job.api, "api", "", "the connection's unified API (e.g. accounting)")
	fs.StringVar(&job.service, "service", "", "the connection's service ID (e.g. quickbooks)")
	registerOutput(fs, &job.output, `text (default): what Vault found; json: {"consumer_id", "unified_api", "service_id", "name", "ok", "state", "health", "summary", "refresh_failure": {"message", "credentials_expire_at"} or null}`)
	registerTimeout(fs, &job.timeout, "give up on the API after this long, retries included (default 2m); exit code 1")
	setArg(fs, "api", "API")
	setArg(fs, "service", "SERVICE")
	inGroup(fs, "Connection", "api", "service", "output", "timeout")
	job.creds.register(fs)
	return cmd
}

// validationJSON is `connections validate --output json`; scripts rely on
// it.
type validationJSON struct {
	ConsumerID     string              `json:"consumer_id"`
	UnifiedAPI     string              `json:"unified_api"`
	ServiceID      string              `json:"service_id"`
	Name           string              `json:"name"`
	OK             bool                `json:"ok"`
	State          string              `json:"state"`
	Health         string              `json:"health"`
	Summary        string              `json:"summary"`
	RefreshFailure *refreshFailureJSON `json:"refresh_failure"`
}

type refreshFailureJSON struct {
	Message             string     `json:"message"`
	CredentialsExpireAt *time.Time `json:"credentials_expire_at"`
}

func (a *app) runValidate(ctx context.Context, fs *pflag.FlagSet, job validateJob) error {
	format, err := job.check(outputText, outputJSON)
	if err != nil {
		return err
	}
	if strings.TrimSpace(job.api) == "" || strings.TrimSpace(job.service) == "" {
		return &usageError{msg: "connections validate needs --api and --service (e.g. --api accounting --service quickbooks)"}
	}
	if err := checkUnifiedAPI("--api", job.api); err != nil {
		return err
	}
	ctx, r, err := a.openReader(ctx, fs, job.creds, readsConsumer, job.timeout)
	if err != nil {
		return err
	}
	defer r.stop()

	result := validationJSON{ConsumerID: r.creds.consumerID, UnifiedAPI: job.api, ServiceID: job.service, Name: job.service}
	v, err := r.client.ValidateConnection(ctx, r.api, job.api, job.service)
	var apiErr *client.APIError
	var refused *client.RefreshFailure
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusUnauthorized {
		if f, ok := apiErr.RefreshFailure(); ok {
			refused = &f
			err = nil
		}
	}
	if err != nil {
		return a.requestFailed(ctx, err, job.timeout)
	}
	// What the connection is now, with its health, as the API lists it.
	now := a.now()
	list, err := r.client.Connections(ctx, r.api, job.api)
	if err != nil {
		return a.requestFailed(ctx, err, job.timeout)
	}
	conn := client.Connection{UnifiedAPI: job.api, ServiceID: job.service, State: v.State}
	for _, l := range list {
		if l.ServiceID == job.service && l.UnifiedAPI == job.api {
			conn = l
		}
	}
	at := triage.Assess(conn, now, 0)
	result.Name, result.State, result.Health = conn.DisplayName(), string(conn.State), string(conn.Health)
	result.OK = refused == nil && at.Need == triage.NeedNone && (conn.State == client.StateCallable || conn.State == client.StateAuthorized)
	result.Summary = validationSummary(conn, at, refused, now)
	if refused != nil {
		result.RefreshFailure = &refreshFailureJSON{Message: refused.Message, CredentialsExpireAt: timePtr(refused.CredentialsExpireAt)}
	}

	if format == outputJSON {
		if err := writeJSON(a.streams.Out, result); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(a.streams.Out, "%s (%s) of %s: %s\n", termtext.Line(conn.DisplayName()), termtext.Line(watch.APIName(job.api)),
			termtext.Line(r.creds.consumerID), termtext.Line(result.Summary))
		if !result.OK {
			if fix, ok := triage.PlanFix([]triage.Attention{fixAttention(at, refused)}); ok {
				s := fix.Apply(model.Session{}, model.ConsumerMetadata{})
				fmt.Fprintf(a.streams.Out, "Fix: %s\n", a.fixCommand(runSettingOf(fs), r.creds.consumerID, s))
			}
		}
	}
	if !result.OK {
		return &attentionError{what: "the connection needs attention"}
	}
	return nil
}

// fixAttention is what the check says needs doing: a refused refresh is a
// new sign-in, whatever the health read before.
func fixAttention(at triage.Attention, refused *client.RefreshFailure) triage.Attention {
	if refused != nil && !at.Need.CustomerAction() {
		at.Need = triage.NeedReconnect
	}
	return at
}

// validationSummary says what the check found.
func validationSummary(conn client.Connection, at triage.Attention, refused *client.RefreshFailure, now time.Time) string {
	if refused != nil {
		text := "Vault could not refresh the token"
		if refused.Message != "" {
			text += " (" + refused.Message + ")"
		}
		if !refused.CredentialsExpireAt.IsZero() {
			left := refused.CredentialsExpireAt.Sub(now)
			if left > 0 {
				text += fmt.Sprintf("; its credentials are deleted %s (in %s) unless the customer signs in again", whenText(refused.CredentialsExpireAt), triage.LeftText(left))
			} else {
				text += "; its credentials are deleted: the customer must sign in again"
			}
		}
		return text
	}
	if at.Need != triage.NeedNone {
		return fmt.Sprintf("checked: %s (%s)", at.Describe(now), conn.Health)
	}
	switch conn.State {
	case client.StateCallable, client.StateAuthorized:
		return "checked: it works (" + string(conn.State) + ")"
	}
	return fmt.Sprintf("checked: it is %s, not callable yet", conn.State)
}
