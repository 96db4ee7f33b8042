package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/apideck-samples/vault-session/ui"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// newWizardCmd is the root command, `vault-session [--from FILE] [flags]`:
// the wizard when stdin and stdout are terminals; without them, a session
// given with --from is created as `create` would (falling back to the demo
// API when no key is set), and anything else is a usage error: a prompt
// nobody can answer must not hang.
func newWizardCmd(a *app) *cobra.Command {
	var job createJob
	var displayFlags displayInput
	var showVersion bool
	cmd := &cobra.Command{
		Use:   "vault-session [--from FILE] [flags]",
		Short: "create Apideck Hosted Vault sessions",
		Long: `vault-session creates Apideck Hosted Vault sessions: a link a customer opens
to connect their integrations, themed and limited the way you choose.

Run without a command, it is a wizard (it needs a terminal). With no API key
anywhere (flags or APIDECK_API_KEY), the wizard uses the built-in demo API and
says so. Without a terminal, 'vault-session --from FILE' creates the session
as 'create' does; with neither a terminal nor --from it stops with exit code 2
instead of waiting for input.`,
		Example: `  # The wizard on the built-in demo API: no account needed
  vault-session --demo

  # The wizard as plain prompts for a screen reader, from a session file
  vault-session --demo --accessible --from testdata/session.example.json

  # Headless: print a session URL (see 'vault-session create --help')
  vault-session create --demo --consumer-id acme-42 --primary-color '#ff5a1f'`,
		Annotations: map[string]string{
			annotationExitCodes: "0 done, 1 API or network error, 2 bad usage or invalid session, 130 interrupted.",
		},
		Args: rootArgs(a),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if showVersion {
				fmt.Fprintf(a.streams.Out, "vault-session %s\n", a.version)
				return nil
			}
			return a.runRoot(cmd.Context(), cmd.Flags(), job, displayFlags)
		},
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	registerTimeout(fs, &job.timeout, "give up on a create after this long, retries included (default 2m)")
	inGroup(fs, "Waiting", "timeout")
	displayFlags.register(fs)
	fs.BoolVar(&job.noHistory, "no-history", false, "do not add created sessions to the history (or set VAULT_SESSION_NO_HISTORY=1)")
	fs.BoolVar(&showVersion, "version", false, "print the version and exit")
	inGroup(fs, "Other", "no-history", "version")
	job.creds.register(fs)
	job.session.register(fs)
	return cmd
}

func (a *app) runRoot(ctx context.Context, fs *pflag.FlagSet, job createJob, displayFlags displayInput) error {
	if err := checkTimeout(job.timeout); err != nil {
		return err
	}
	var err error
	if job.creds, err = job.creds.resolve(fs, a.getenv); err != nil {
		return err
	}
	disp, err := displayFlags.resolve(fs, a.getenv)
	if err != nil {
		return err
	}
	setting := runSettingOf(fs)
	if a.streams.IsStdinTTY() && a.streams.IsStdoutTTY() {
		// --from, --preset or --consumer-id already say what to make: a
		// draft of another consumer is not offered.
		said := fs.Changed("from") || fs.Changed("preset") || fs.Changed("consumer-id")
		return a.runWizard(ctx, job, disp, setting, said)
	}
	if job.session.from == "" {
		// The wizard would have run on the demo API, with nothing pointing
		// at a real one: so do the create commands it suggests instead.
		if job.creds.apiKey == "" && job.creds.baseURL == "" {
			setting.demo = true
		}
		consumer := ""
		switch {
		case fs.Changed("consumer-id"):
			consumer = job.creds.consumerID
		case job.creds.consumerID == "" && !setting.demo:
			consumer = "CONSUMER"
		}
		return &usageError{msg: a.noTerminalMessage(setting, consumer)}
	}
	fmt.Fprintf(a.streams.ErrOut, "note: no terminal for the wizard; creating the session from --from as '%s create' does\n", a.self())
	job.output = outputText
	job.demoWhenNoKey = true
	return a.create(ctx, job)
}

// noTerminalMessage says what to run instead of the wizard, in its
// setting. A session file names no consumer: consumer, when not "", is
// the one the file's command names (the run's --consumer-id, or a
// placeholder when neither the environment nor the demo gives one).
func (a *app) noTerminalMessage(setting runSetting, consumer string) string {
	which := "stdin is not a terminal"
	if a.streams.IsStdinTTY() {
		which = "stdout is not a terminal"
	}
	fromFile := []string{"--from", "session.json"}
	if consumer != "" {
		fromFile = append(fromFile, "--consumer-id", consumer)
	}
	return "the wizard needs a terminal, and " + which + ".\n" +
		"To create a session from a script, give it as a file or as flags:\n" +
		"  " + a.commandLine(setting, "create", fromFile...) + "\n" +
		"  " + a.commandLine(setting, "create", "--consumer-id", "CONSUMER", "--email", "name@example.com", "--unified-apis", "crm") + "\n" +
		"See '" + a.commandLine(runSetting{}, "create", "--help") + "'."
}

// runWizard hands over to the Bubble Tea wizard. The created URL is printed
// again once the wizard's alternate screen is gone, so it stays on screen
// and can be copied.
func (a *app) runWizard(ctx context.Context, job createJob, disp display, setting runSetting, saidOnCommandLine bool) error {
	if job.session.from == "-" {
		return &usageError{msg: "--from - reads the session from stdin, which the wizard needs for the keyboard; give a file"}
	}
	session, err := job.session.load(ctx, a.streams.In, a.findPreset())
	if err != nil {
		return err
	}
	creds := job.creds
	if creds.apiKey == "" && creds.baseURL == "" {
		// Nothing points at a real API, so the wizard will start on the
		// demo: fill in the IDs it accepts, so a newcomer can go straight
		// through. They stay editable, and a typed key means typing real
		// IDs too.
		creds = creds.withDemoIDs()
	}
	// The wizard falls back to the demo API whenever the key is left empty,
	// so it always gets a demo client; the demo server itself starts only if
	// a request is sent through it.
	demo := mock.NewDemo()
	defer demo.Close()
	opts := ui.Options{
		Request:      model.Request{AppID: creds.appID, ConsumerID: creds.consumerID, Session: session},
		APIKey:       creds.apiKey,
		APIKeySource: creds.apiKeyFrom,
		DemoClient:   demoClient(demo, a.version.short, a.clientOptions...),
		ForceDemo:    creds.demo,
		Version:      a.version.short,
		Timeout:      job.timeout,
		In:           a.streams.In,
		Out:          a.streams.Out,
		Getenv:       a.getenv,
		Theme:        disp.theme,
		Accessible:   disp.accessible,
		NoBell:       disp.noBell,
		Store:        a.openStore(),
		NoHistory:    a.historyOff(job.noHistory),
		Preset:       job.session.presetName,

		SaidOnCommandLine: saidOnCommandLine,
		CommandLine: func(command string, args ...string) string {
			return a.commandLine(setting, command, args...)
		},
	}
	if !creds.demo {
		opts.Client = a.newClient(creds, nil)
	}
	outcome, err := a.wizard(ctx, opts)
	a.warn(outcome.Problems...)
	if outcome.DraftSaved {
		fmt.Fprintf(a.streams.ErrOut, "vault-session: draft kept (without the key); '%s' offers to resume it\n", a.commandLine(setting, ""))
	}
	// Both front ends end alike: the full screen's links went with its
	// alternate screen, and the plain prompts' are scattered among the
	// answers; the list puts each in one place, and a demo link is said to
	// be dead now that the demo API stopped with the wizard.
	a.listSessions(outcome.Sessions)
	if outcome.Interrupted || ctx.Err() != nil {
		if len(outcome.Sessions) > 0 {
			return &interruptedAfterSessions{n: len(outcome.Sessions)}
		}
		return errInterrupted
	}
	return err
}

// listSessions prints every session the wizard created, once its screen is
// gone, so each link stays in the scrollback: who it is for and until when
// on one line, the URL whole on the next. Demo links die with the process,
// which is said, with the way to get links that last.
func (a *app) listSessions(sessions []ui.CreatedSession) {
	if len(sessions) == 0 {
		return
	}
	out := a.streams.Out
	if len(sessions) > 1 {
		fmt.Fprintf(out, "%d sessions created:\n\n", len(sessions))
	}
	builtInDemo := 0
	for i, s := range sessions {
		if i > 0 {
			fmt.Fprintln(out)
		}
		about := []string{termtext.Line(s.ConsumerID)}
		if name := strings.TrimSpace(s.AccountName); name != "" {
			about = append(about, termtext.Line(name))
		}
		if !s.Result.ExpiresAt.IsZero() {
			about = append(about, describeExpiry(s.Result.ExpiresAt, a.now()))
		}
		if s.BuiltInDemo || s.Result.Demo {
			about = append(about, "DEMO")
		}
		if s.BuiltInDemo {
			builtInDemo++
		}
		fmt.Fprintln(out, strings.Join(about, " · "))
		fmt.Fprintln(out, escapeLines(s.Result.URL))
	}
	if builtInDemo > 0 {
		fmt.Fprintln(a.streams.ErrOut, a.demoExitNotice(builtInDemo))
	}
}

// demoExitNotice says that links from the built-in demo API no longer
// work, and how to get demo links that do.
func (a *app) demoExitNotice(n int) string {
	which, it := "This link was", "it no longer opens"
	if n > 1 {
		which, it = fmt.Sprintf("These %d links were", n), "they no longer open"
	}
	return "DEMO: " + which + " made by the built-in demo API, which stopped when vault-session ended: " + it + ".\n" +
		"For demo links that last, keep a demo API running in another terminal and point the wizard at it:\n" +
		"  " + a.commandLine(runSetting{}, "demo-server", "--listen", "127.0.0.1:8080") + "\n" +
		"  APIDECK_API_KEY=demo " + a.commandLine(runSetting{}, "", "--base-url", "http://127.0.0.1:8080", "--app-id", demoAppID)
}

// interruptedAfterSessions is Ctrl+C after sessions were created: exit
// code 130, and a message that does not say nothing was created.
type interruptedAfterSessions struct{ n int }

func (e *interruptedAfterSessions) Error() string {
	if e.n == 1 {
		return "interrupted; the session created before is listed above"
	}
	return fmt.Sprintf("interrupted; the %d sessions created before are listed above", e.n)
}

func (e *interruptedAfterSessions) Is(target error) bool { return target == errInterrupted }
