package cli

import (
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/apideck-samples/vault-session/model/store"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/spf13/cobra"
)

// auditJob is `vault-session audit`'s flags.
type auditJob struct {
	since, person, output, file string
}

// newAuditCmd is `vault-session audit`: the team server's audit log.
func newAuditCmd(a *app) *cobra.Command {
	var job auditJob
	cmd := &cobra.Command{
		Use:   "audit [--since 7d] [--person NAME] [--output text|json]",
		Short: "the team server's sessions: who, when, for whom (no links)",
		Long: `Lists the sessions created through 'vault-session serve', newest first: when,
who (the comment of their SSH key, or its fingerprint), from which address,
for which consumer, the unified APIs, the session length and the expiry.
Never the API key, the token or the URL.

The log is --audit's file, by default audit.jsonl in the state folder
($XDG_STATE_HOME/vault-session, ~/.local/state/vault-session), one JSON object
a line, 0600; it keeps its newest 8 to 16 MiB (some fifty thousand sessions).`,
		Example: `  # The last week
  vault-session audit --since 7d

  # One person's sessions, as JSON
  vault-session audit --person hank@support --output json`,
		Annotations: map[string]string{
			annotationExitCodes: "0 listed, 1 the log cannot be read, 2 bad usage.",
		},
		Args: noArgs(a),
		RunE: func(*cobra.Command, []string) error { return a.runAudit(job) },
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	fs.StringVar(&job.since, "since", "", "only sessions created in this last while (30m, 24h, 7d) or since a time (2026-11-01T00:00:00Z)")
	fs.StringVar(&job.person, "person", "", "only this person's sessions (the key's comment, or its SHA256: fingerprint)")
	registerOutput(fs, &job.output, "text (default) or json (an array, one object a line)")
	fs.StringVar(&job.file, "audit", "", "the audit log serve writes (default: audit.jsonl in the state folder)")
	setArg(fs, "since", "WHEN")
	setArg(fs, "person", "NAME")
	setArg(fs, "audit", "FILE")
	return cmd
}

func (a *app) runAudit(job auditJob) error {
	format, err := parseOutputOf(job.output, outputText, outputJSON)
	if err != nil {
		return err
	}
	now := a.now()
	var since time.Time
	if job.since != "" {
		if since, err = parseSince(job.since, now); err != nil {
			return err // as logs reads it
		}
	}
	path := job.file
	if path == "" {
		st := a.openStore()
		if st == nil {
			return &usageError{msg: "the audit log has no home here: set XDG_STATE_HOME, or give --audit FILE"}
		}
		path = st.AuditPath()
	}
	var list auditList = &auditTable{tw: tabwriter.NewWriter(a.streams.Out, 0, 0, 2, ' ', 0), loc: now.Location()}
	if format == outputJSON {
		list = auditJSON{newJSONArray(a.streams.Out)}
	}
	shown := 0
	var writeErr error
	err = store.OpenAuditLog(path).Walk(func(e store.AuditEntry) bool {
		if !since.IsZero() && e.Time.Before(since) {
			return false // newest first: the rest is older still
		}
		if job.person != "" && e.Person != job.person && e.KeyFingerprint != job.person {
			return true
		}
		shown++
		writeErr = list.add(e)
		return writeErr == nil
	})
	if writeErr != nil {
		return writeErr
	}
	var skipped *store.SkippedLinesError
	switch {
	case errors.As(err, &skipped):
		a.warn(err) // the entries read are listed
	case err != nil:
		// A folder, a device or a file that cannot be opened is no log
		// with no sessions: exit 1, as the help says.
		if shown > 0 {
			list.end()
		}
		return err
	}
	if shown == 0 && format == outputText {
		fmt.Fprintf(a.streams.Out, "No sessions in the audit log (%s)%s.\n", termtext.Line(path), auditFilterText(job))
		return nil
	}
	return list.end()
}

func auditFilterText(job auditJob) string {
	var parts []string
	if job.since != "" {
		parts = append(parts, "since "+termtext.Line(job.since))
	}
	if job.person != "" {
		parts = append(parts, "for "+termtext.Line(job.person))
	}
	if len(parts) == 0 {
		return ""
	}
	return " " + strings.Join(parts, " ")
}

// auditList prints entries one at a time.
type auditList interface {
	add(store.AuditEntry) error
	end() error
}

// auditTable prints a table, flushed every auditTableBlock rows: memory
// holds a block, never the log.
type auditTable struct {
	tw    *tabwriter.Writer
	loc   *time.Location
	rows  int
	begun bool
}

const auditTableBlock = 256

func (t *auditTable) add(e store.AuditEntry) error {
	if !t.begun {
		t.begun = true
		fmt.Fprintln(t.tw, "CREATED\tPERSON\tFROM\tCONSUMER\tUNIFIED APIS\tLENGTH\tEXPIRES\tAPI")
	}
	expires, apis, api := sessionCells(e.ExpiresAt, e.UnifiedAPIs, e.APIHost, e.Demo, t.loc)
	from := e.RemoteAddr
	if host, _, ok := strings.Cut(from, ":"); ok && !strings.Contains(from, "[") {
		from = host
	}
	fmt.Fprintf(t.tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.Time.In(t.loc).Format(sessionTimeLayout),
		cell(e.Person), cell(from), cell(e.ConsumerID), apis, cell(e.SessionLength), expires, api)
	if t.rows++; t.rows%auditTableBlock == 0 {
		return t.tw.Flush()
	}
	return nil
}

func (t *auditTable) end() error { return t.tw.Flush() }

// auditJSON prints the entries as one JSON array, an element at a time.
type auditJSON struct{ array *jsonArray }

func (j auditJSON) add(e store.AuditEntry) error { return j.array.add(e) }

func (j auditJSON) end() error { return j.array.end("\n") }
