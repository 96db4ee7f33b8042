package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/ui"
)

// runRoot is `vault-session [--from FILE] [flags]`: the wizard when stdin and
// stdout are terminals; without them, a session given with --from is created
// as `create` would (falling back to the demo API when no key is set), and
// anything else is a usage error: a prompt nobody can answer must not hang.
func (a *app) runRoot(ctx context.Context, args []string) error {
	var job createJob
	var displayFlags displayInput
	var showVersion bool
	fs := rootFlagSet(&job, &displayFlags, &showVersion)
	if err := a.parseFlags(fs, args, rootUsage()); err != nil {
		return err
	}
	if showVersion {
		fmt.Fprintf(a.streams.Out, "vault-session %s\n", a.version)
		return nil
	}
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
	if a.streams.IsStdinTTY() && a.streams.IsStdoutTTY() {
		return a.runWizard(ctx, job, disp)
	}
	if job.session.from == "" {
		return &usageError{msg: noTerminalMessage(a.streams)}
	}
	fmt.Fprintln(a.streams.ErrOut, "note: no terminal for the wizard; creating the session from --from as 'vault-session create' does")
	job.output = outputText
	job.demoWhenNoKey = true
	return a.create(ctx, job)
}

func rootFlagSet(job *createJob, disp *displayInput, showVersion *bool) *flag.FlagSet {
	fs := newFlagSet("vault-session")
	job.session.register(fs)
	job.creds.register(fs)
	disp.register(fs)
	fs.BoolVar(showVersion, "version", false, "")
	registerTimeout(fs, &job.timeout)
	return fs
}

func noTerminalMessage(s *IOStreams) string {
	which := "stdin is not a terminal"
	if s.IsStdinTTY() {
		which = "stdout is not a terminal"
	}
	return "the wizard needs a terminal, and " + which + ".\n" +
		"To create a session from a script, give it as a file or as flags:\n" +
		"  vault-session create --from session.json\n" +
		"  vault-session create --consumer-id CONSUMER --email name@example.com --unified-apis crm\n" +
		"See 'vault-session create --help'."
}

// runWizard hands over to the Bubble Tea wizard. The created URL is printed
// again once the wizard's alternate screen is gone, so it stays on screen
// and can be copied.
func (a *app) runWizard(ctx context.Context, job createJob, disp display) error {
	if job.session.from == "-" {
		return &usageError{msg: "--from - reads the session from stdin, which the wizard needs for the keyboard; give a file"}
	}
	session, err := job.session.load(ctx, a.streams.In)
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
	demo := newDemoAPI()
	defer demo.Close()
	opts := ui.Options{
		Request:    model.Request{AppID: creds.appID, ConsumerID: creds.consumerID, Session: session},
		APIKey:     creds.apiKey,
		DemoClient: demo.Client(a.version, a.clientOptions...),
		ForceDemo:  creds.demo,
		Version:    a.version,
		Timeout:    job.timeout,
		In:         a.streams.In,
		Out:        a.streams.Out,
		Getenv:     a.getenv,
		Theme:      disp.theme,
	}
	if !creds.demo {
		opts.Client = a.newClient(creds, nil)
	}
	outcome, err := a.wizard(ctx, opts)
	// outcome.Request is the session as the user left it, even when they
	// were interrupted: the place to keep a draft of it.
	if outcome.Created != nil {
		if outcome.Demo {
			fmt.Fprintln(a.streams.ErrOut, demoNotice)
		}
		fmt.Fprintln(a.streams.Out, escapeLines(outcome.Created.URL))
	}
	if outcome.Interrupted || ctx.Err() != nil {
		return errInterrupted
	}
	return err
}
