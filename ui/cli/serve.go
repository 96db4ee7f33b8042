package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/store"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/apideck-samples/vault-session/ui"
	"github.com/apideck-samples/vault-session/ui/sshserve"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	gossh "golang.org/x/crypto/ssh"
)

// serveJob is what `serve` was asked.
type serveJob struct {
	listen, authorizedKeys, hostKey, audit string
	creds                                  credentialInput
	limits                                 sshserve.Limits
	timeout                                time.Duration
	stopWithin                             time.Duration
}

// newServeCmd is `vault-session serve`: the SSH team server.
func newServeCmd(a *app) *cobra.Command {
	var job serveJob
	cmd := &cobra.Command{
		Use:   "serve --authorized-keys FILE [--listen ADDR] [flags]",
		Short: "serve the wizard over SSH to your team; the API key stays here",
		Long: `Serves the wizard over SSH, so the API key stays on one machine and support staff
create sessions with 'ssh -t HOST -p PORT', logged in with the SSH keys they
already have. Each connection gets a wizard of its own on its own terminal.

People: one line per key in the --authorized-keys file, its comment naming the
person ('ssh-ed25519 AAAA... hank@support'); a key without a comment is named
by its fingerprint. The file is read again when it changes. Lines with options
(from=, command=...) are not let in. Only public keys log in: no passwords, no
shell, no commands, no sftp, no port, agent or X11 forwarding.

The key never leaves the server: the API key, app ID and API come from this
command's environment (APIDECK_API_KEY, APIDECK_APP_ID, APIDECK_BASE_URL) or
flags, and the wizard shows the key as held by the server, with no way to
change it or the API. Each person's drafts and history are their own; presets
are the team's. Each session created is a line of the audit log (see
'vault-session audit'): who, from where, for which consumer, never the link.

The host key (ed25519) is made on the first start and kept 0600 in the state
folder (or --host-key); its fingerprint is printed at every start so people
can check what ssh shows them. SIGTERM or Ctrl+C tells everyone connected that
the server is stopping, keeps their drafts and exits 0.`,
		Example: `  # A demo team server on 127.0.0.1:2222 (no API key needed), for the people in
  # ./authorized_keys; then, in another terminal: ssh -t -p 2222 127.0.0.1
  vault-session serve --demo --authorized-keys authorized_keys

  # The real thing, on every address (the key in the environment, not on the
  # command line, where other users could read it)
  APIDECK_API_KEY=sk_live_... APIDECK_APP_ID=your-app \
    vault-session serve --listen :2222 --authorized-keys authorized_keys \
    --max-per-person 2`,
		Annotations: map[string]string{
			annotationExitCodes: "0 stopped by SIGTERM or Ctrl+C, 1 cannot listen or read its files, 2 bad usage.",
		},
		Args: noArgs(a),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runServe(cmd.Context(), cmd.Flags(), job)
		},
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	fs.StringVar(&job.listen, "listen", "127.0.0.1:2222", "address to listen on (default 127.0.0.1:2222; :2222 for every address)")
	fs.StringVar(&job.authorizedKeys, "authorized-keys", "", "the people let in: an authorized_keys file, one key a line, its comment naming the person (required)")
	fs.StringVar(&job.hostKey, "host-key", "", "the server's private host key, made on the first start (default: ssh_host_ed25519_key in the state folder)")
	fs.StringVar(&job.audit, "audit", "", "the audit log, one JSON line per session created (default: audit.jsonl in the state folder)")
	setArg(fs, "listen", "ADDR")
	setArg(fs, "authorized-keys", "FILE")
	setArg(fs, "host-key", "FILE")
	setArg(fs, "audit", "FILE")
	d := sshserve.DefaultLimits()
	fs.DurationVar(&job.limits.HandshakeTimeout, "handshake-timeout", d.HandshakeTimeout, "time to log in, and then to ask for the wizard (default 10s)")
	fs.DurationVar(&job.limits.IdleTimeout, "idle-timeout", d.IdleTimeout, "end a wizard nobody types in for this long, its draft kept (default 30m)")
	fs.IntVar(&job.limits.MaxConnections, "max-connections", d.MaxConnections, "the most wizards open at once (default 50)")
	fs.IntVar(&job.limits.MaxPerPerson, "max-per-person", d.MaxPerPerson, "the most wizards one person has open at once (default 3)")
	fs.IntVar(&job.limits.SessionsPerHour, "sessions-per-hour", d.SessionsPerHour, "the most sessions one person creates in an hour (default 60)")
	fs.DurationVar(&job.stopWithin, "stop-within", 4*time.Second, "on SIGTERM, how long wizards get to end before their connections are cut (default 4s)")
	setArg(fs, "max-connections", "N")
	setArg(fs, "max-per-person", "N")
	setArg(fs, "sessions-per-hour", "N")
	inGroup(fs, "Limits", "handshake-timeout", "idle-timeout", "max-connections", "max-per-person", "sessions-per-hour", "stop-within")
	registerTimeout(fs, &job.timeout, "give up on a create after this long, retries included (default 2m)")
	inGroup(fs, "Waiting", "timeout")
	// The credentials every command has, but the consumer: each person's
	// wizard asks for its own. --demo is said in the server's words.
	job.creds.registerWithoutConsumer(fs)
	fs.Lookup("demo").Usage = "serve the built-in demo API instead of a key: for trying the server out; every screen says DEMO"
	return cmd
}

func (a *app) runServe(ctx context.Context, fs *pflag.FlagSet, job serveJob) error {
	if job.authorizedKeys == "" {
		return &usageError{msg: "serve needs --authorized-keys FILE: the people let in, one public key a line ('ssh-ed25519 AAAA... hank@support')"}
	}
	if err := checkTimeout(job.timeout); err != nil {
		return err
	}
	if err := checkLimits(job.limits); err != nil {
		return err
	}
	creds, err := job.creds.resolve(fs, a.getenv)
	if err != nil {
		return err
	}
	if !creds.demo {
		switch {
		case creds.apiKey == "":
			return &usageError{msg: "serve needs the API key the wizard uses: set " + envAPIKey + " (or --api-key), or try it with --demo"}
		case creds.appID == "":
			return &usageError{msg: "serve needs the app ID: set " + envAppID + " (or --app-id)"}
		}
	}
	people, err := sshserve.LoadPeople(job.authorizedKeys)
	if err != nil {
		return err
	}
	for _, why := range sshserve.SummariseSkipped(people.Skipped()) {
		a.warn(fmt.Errorf("%s: %s", job.authorizedKeys, why))
	}
	st := a.openStore()
	hostKeyPath, auditPath := job.hostKey, job.audit
	if st != nil {
		if hostKeyPath == "" {
			hostKeyPath = st.HostKeyPath()
		}
		if auditPath == "" {
			auditPath = st.AuditPath()
		}
	}
	if hostKeyPath == "" || auditPath == "" {
		return errors.New("serve has no state folder for its host key and audit log: set XDG_STATE_HOME, or give --host-key and --audit")
	}
	hostKey, created, err := sshserve.LoadHostKey(hostKeyPath)
	if err != nil {
		return err
	}
	audit := store.OpenAuditLog(auditPath)
	auditTightened, err := audit.MakePrivate()
	if err != nil {
		return err
	}

	demo := mock.NewDemo()
	defer demo.Close()
	wizard := ui.Options{
		Request:    model.Request{AppID: creds.appID},
		APIKey:     creds.apiKey,
		DemoClient: demoClient(demo, a.version.short, a.clientOptions...),
		ForceDemo:  creds.demo,
		Version:    a.version.short,
		Timeout:    job.timeout,
	}
	if !creds.demo {
		wizard.Client = a.newClient(creds, nil)
	}
	srv, err := sshserve.New(sshserve.Config{
		HostKey: hostKey,
		People:  people,
		Wizard:  wizard,
		Run:     a.wizard,
		Store:   st,
		Audit:   audit,
		Demo:    creds.demo,
		Limits:  job.limits,
		Log:     a.streams.ErrOut,
		Now:     a.now,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", job.listen)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", job.listen, err)
	}
	a.sayServing(ln.Addr(), hostKey, hostKeyPath, created, people, creds, auditPath, auditTightened)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(a.streams.ErrOut, "vault-session serve: stopping: telling everyone connected, keeping their drafts")
	stopCtx, cancel := context.WithTimeout(context.Background(), job.stopWithin)
	defer cancel()
	if err := srv.Shutdown(stopCtx); err != nil {
		fmt.Fprintf(a.streams.ErrOut, "vault-session serve: cut the connections still open after %s\n", job.stopWithin)
	}
	<-served
	fmt.Fprintln(a.streams.ErrOut, "vault-session serve: stopped")
	return nil
}

// checkLimits refuses limits that would let no one in.
func checkLimits(l sshserve.Limits) error {
	for _, d := range []struct {
		flag string
		v    time.Duration
	}{{"--handshake-timeout", l.HandshakeTimeout}, {"--idle-timeout", l.IdleTimeout}} {
		if d.v <= 0 {
			return &usageError{msg: fmt.Sprintf("%s %s: give a positive duration such as 10s or 30m", d.flag, d.v)}
		}
	}
	for _, n := range []struct {
		flag string
		v    int
	}{{"--max-connections", l.MaxConnections}, {"--max-per-person", l.MaxPerPerson}, {"--sessions-per-hour", l.SessionsPerHour}} {
		if n.v <= 0 {
			return &usageError{msg: fmt.Sprintf("%s %d: give a number above 0", n.flag, n.v)}
		}
	}
	return nil
}

// sayServing tells the operator what is served and how to check it: the
// address on stdout (for scripts, as demo-server does), the rest on stderr.
func (a *app) sayServing(addr net.Addr, hostKey gossh.Signer, hostKeyPath string, created bool, people *sshserve.People,
	creds credentialInput, auditPath string, auditTightened bool) {
	fmt.Fprintln(a.streams.Out, addr.String())
	w := a.streams.ErrOut
	made := ""
	if created {
		made = ", made now"
	}
	port := ""
	if _, p, err := net.SplitHostPort(addr.String()); err == nil && p != "22" {
		port = " -p " + p
	}
	fmt.Fprintf(w, "vault-session serve listening on %s: connect with ssh -t%s HOST\n", addr, port)
	fmt.Fprintf(w, "host key %s (ed25519, %s%s): people check ssh shows this fingerprint on their first connection\n",
		gossh.FingerprintSHA256(hostKey.PublicKey()), termtext.Line(hostKeyPath), made)
	keys := fmt.Sprintf("%d keys", people.Count())
	if people.Count() == 1 {
		keys = "1 key"
	}
	fmt.Fprintf(w, "%s let in from the authorized keys file (read again when it changes)\n", keys)
	if creds.demo {
		fmt.Fprintln(w, "DEMO: sessions go to the built-in demo API, not Apideck; no API key is used")
	} else {
		api := "the Apideck API"
		if creds.baseURL != "" {
			api = termtext.Line(client.RedactURL(strings.TrimRight(creds.baseURL, "/")))
		}
		fmt.Fprintf(w, "sessions go to %s for app %s; the API key stays on this machine\n", api, termtext.Line(creds.appID))
	}
	private := ""
	if auditTightened {
		private = " (it was readable by others: now 0600)"
	}
	fmt.Fprintf(w, "audit log %s%s; SIGTERM or Ctrl+C stops the server\n", termtext.Line(auditPath), private)
}
