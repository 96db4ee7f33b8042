package sshserve

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/keptfile"
	"github.com/apideck-samples/vault-session/model/store"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/apideck-samples/vault-session/ui"
	"github.com/apideck-samples/vault-session/ui/termbg"
	"github.com/charmbracelet/x/ansi"
	"github.com/gliderlabs/ssh"
	"github.com/muesli/termenv"
	gossh "golang.org/x/crypto/ssh"
)

// Why a wizard was ended from outside.
var (
	errStopping = errors.New("the server is stopping")
	errIdle     = errors.New("idle")
	errCtrlC    = errors.New("interrupted")
)

// Exit statuses a connection ends with, as the wizard's own.
const (
	exitOK          = 0
	exitError       = 1
	exitInterrupted = 130
	// exitRefused is a command not run, as a shell says of one it cannot
	// execute.
	exitRefused = 126
)

// allowRequest says which session requests go on to the handler: a shell
// (the wizard) and an exec, whose command the handler reads as the
// wizard's options (`ssh -t host -- --accessible`) and refuses otherwise,
// saying so on stderr (an OpenSSH client drops what is said before an
// exec is refused outright). Every subsystem (sftp) is refused here.
func (s *Server) allowRequest(sess ssh.Session, kind string) bool {
	switch kind {
	case "shell", "exec":
		return true
	case "subsystem":
		s.logf("%s: refused the %s subsystem", sess.RemoteAddr(), termtext.LineN(sess.Subsystem(), 40))
		fmt.Fprintf(sess.Stderr(), "vault-session serve: no %s here: this server runs the wizard and nothing else\r\n", termtext.LineN(sess.Subsystem(), 40))
		return false
	}
	return false
}

// wizardArgs are the options a person may give after the host.
type wizardArgs struct {
	accessible bool
	theme      termbg.Mode
	noBell     bool
}

// parseWizardArgs reads `--accessible`, `--theme light|dark|auto` and
// `--no-bell`; anything else is a command this server does not run.
func parseWizardArgs(args []string) (wizardArgs, error) {
	var w wizardArgs
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--" && i == 0:
			// ssh host -- --accessible passes the -- on when ssh did not take it.
		case a == "--accessible":
			w.accessible = true
		case a == "--no-bell":
			w.noBell = true
		case a == "--theme" && i+1 < len(args), strings.HasPrefix(a, "--theme="):
			v, ok := strings.CutPrefix(a, "--theme=")
			if !ok {
				i++
				v = args[i]
			}
			m, err := termbg.ParseMode(v)
			if err != nil {
				return w, err
			}
			w.theme = m
		default:
			return w, fmt.Errorf("this server runs the wizard and nothing else, so %q is not run. "+
				"Connect with ssh -t HOST; its options: -- --accessible (plain prompts), --theme light|dark, --no-bell",
				termtext.LineN(strings.Join(args, " "), 80))
		}
	}
	return w, nil
}

// acceptedEnv are the variables a client may send (SendEnv, SetEnv) that
// the wizard reads: how the terminal draws, and the plain prompts. The
// rest (PATH, EDITOR, BROWSER…) never reach it.
var acceptedEnv = []string{"COLORTERM", "NO_COLOR", "COLORFGBG", "ACCESSIBLE", termbg.EnvVar}

// environment is the wizard's environment for one connection: TERM from
// the PTY request, and the accepted variables the client sent.
type environment map[string]string

func environmentOf(sess ssh.Session, term string) environment {
	env := environment{"TERM": term}
	for _, kv := range sess.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		for _, a := range acceptedEnv {
			if k == a {
				env[k] = v
			}
		}
	}
	return env
}

func (e environment) Getenv(k string) string { return e[k] }

func (e environment) Environ() []string {
	out := make([]string, 0, len(e))
	for k, v := range e {
		out = append(out, k+"="+v)
	}
	return out
}

// colorProfile is what the person's terminal can draw, from its TERM and
// COLORTERM. NO_COLOR is not part of it: the wizard reads it through
// Getenv, as it does at home, and keeps bold, reverse and the rest.
func (e environment) colorProfile() termenv.Profile {
	return termenv.NewOutput(io.Discard, termenv.WithEnvironment(e), termenv.WithTTY(true)).ColorProfile()
}

func (e environment) accessible() bool {
	switch strings.ToLower(e["ACCESSIBLE"]) {
	case "1", "true", "yes":
		return true
	}
	return e["TERM"] == "dumb"
}

// handle runs one connection's wizard.
func (s *Server) handle(sess ssh.Session) {
	if st := stateOf(sess.Context()); st != nil {
		st.wizardAsked.Store(true)
	}
	defer s.closeAfterWizard(sess)
	who, ok := personOf(sess)
	if !ok {
		sess.Exit(exitError)
		return
	}
	// The wizard's place is given back only once the exit status is sent:
	// Shutdown waits for the places, then closes every connection, and a
	// status sent after that would never reach the person.
	var release func()
	code := s.serveWizard(sess, who, &release)
	sess.Exit(code)
	if release != nil {
		release()
	}
}

// closeAfterWizard closes the connection HandshakeTimeout after its
// wizard ended, unless the client has closed it by then (as ssh does once
// its session ends): a connection has one wizard, and one kept open after
// it would hold a place no limit counts.
func (s *Server) closeAfterWizard(sess ssh.Session) {
	conn, ok := sess.Context().Value(ssh.ContextKeyConn).(*gossh.ServerConn)
	if !ok {
		return
	}
	linger := time.AfterFunc(s.cfg.Limits.HandshakeTimeout, func() { conn.Close() })
	context.AfterFunc(sess.Context(), func() { linger.Stop() })
}

// noTerminal is said to a connection without a PTY.
const noTerminal = "vault-session serve: the wizard needs a terminal: connect with ssh -t (add -- --accessible for plain prompts)\r\n"

// serveWizard runs the wizard for who on sess and returns the exit status.
// A panic in it ends this connection only. The wizard's place, once it has
// one, is left in *release for the caller to give back.
func (s *Server) serveWizard(sess ssh.Session, who Person, release *func()) (code int) {
	defer func() {
		if r := recover(); r != nil {
			s.logf("%s (%s): the wizard stopped on a panic: %s\n%s", who.Name, sess.RemoteAddr(), termtext.Line(fmt.Sprint(r)), debug.Stack())
			io.WriteString(sess, ansi.ResetModeAltScreenSaveCursor+ansi.ShowCursor+
				"\r\nvault-session: the wizard stopped on an error of the server's; what you typed is kept as a draft. Connect again to resume it.\r\n")
			code = exitError
		}
	}()
	args, err := parseWizardArgs(sess.Command())
	if err != nil {
		s.logf("%s (%s): refused a command", who.Name, sess.RemoteAddr())
		fmt.Fprintf(sess.Stderr(), "vault-session serve: %v\r\n", err)
		return exitRefused
	}
	pty, windows, isPTY := sess.Pty()
	if !isPTY {
		io.WriteString(sess.Stderr(), noTerminal)
		return exitError
	}
	place, err := s.admit(who)
	if err != nil {
		s.logf("%s (%s): refused: %v", who.Name, sess.RemoteAddr(), err)
		fmt.Fprintf(sess.Stderr(), "vault-session serve: %v\r\n", err)
		return exitError
	}
	*release = place
	s.logf("%s (%s, %s): wizard started", who.Name, sess.RemoteAddr(), who.Fingerprint)

	ctx, cancel := context.WithCancelCause(sess.Context())
	defer cancel(nil)
	stopWatching := context.AfterFunc(s.stopping, func() { cancel(errStopping) })
	defer stopWatching()
	idleLimit := s.cfg.Limits.IdleTimeout
	idle := time.AfterFunc(idleLimit, func() { cancel(errIdle) })
	defer idle.Stop()
	in := newInput(sess, func() { idle.Reset(idleLimit) })
	defer in.Close()

	env := environmentOf(sess, pty.Term)
	out := &keyScrubber{w: sess, key: []byte(s.cfg.Wizard.APIKey)}
	opts := s.cfg.Wizard
	opts.In, opts.Out, opts.Getenv = in, out, env.Getenv
	opts.Remote, opts.KeyHeldByServer = true, true
	opts.Accessible = args.accessible || env.accessible()
	opts.NoBell = opts.NoBell || args.noBell
	opts.Theme = args.theme
	if opts.Theme == "" || opts.Theme == termbg.Auto {
		opts.Theme, _ = termbg.ParseMode(env[termbg.EnvVar])
	}
	profile := env.colorProfile()
	opts.ColorProfile = &profile
	opts.WindowSizes = followWindow(windows)
	if opts.Accessible {
		opts.In = newLineDiscipline(in, out, func() { cancel(errCtrlC) })
	}
	if s.cfg.Store != nil {
		opts.Store = s.cfg.Store.ForPerson(who.Name)
	}
	opts.Creating = func(model.Request) error { return s.mayCreate(who) }
	opts.Created = func(req model.Request, res client.Result) { s.recordCreated(who, sess.RemoteAddr().String(), req, res) }
	opts.NotCreated = func(model.Request) { s.createEnded(who.Name) }

	outcome, err := s.cfg.Run(ctx, opts)
	cause := context.Cause(ctx)
	s.logf("%s (%s): wizard ended (%s), %s created", who.Name, sess.RemoteAddr(), endReason(cause, err), count(len(outcome.Sessions), "session"))
	listSessions(out, outcome.Sessions) // after the plain prompts too, as the terminal front end does
	switch {
	case errors.Is(cause, errStopping):
		io.WriteString(out, "\r\nvault-session: the server is stopping. What you typed is kept as a draft: connect again later to resume it.\r\n")
		return exitInterrupted
	case errors.Is(cause, errIdle):
		fmt.Fprintf(out, "\r\nvault-session: closed after %s without a key. What you typed is kept as a draft: connect again to resume it.\r\n", model.FormatDuration(idleLimit, model.DurationFormat{Smallest: time.Second}))
		return exitInterrupted
	case err != nil:
		fmt.Fprintf(out, "\r\nvault-session: %s\r\n", termtext.Line(keptfile.ErrorText(err)))
		return exitError
	case outcome.Interrupted || cause != nil:
		return exitInterrupted
	}
	return exitOK
}

func endReason(cause, err error) string {
	switch {
	case cause == nil && err == nil:
		return "done"
	case errors.Is(cause, context.Canceled):
		return "connection closed"
	case cause != nil:
		return cause.Error()
	}
	return termtext.Line(keptfile.ErrorText(err)) // the log is the operator's terminal
}

// followWindow relays the client's window sizes to the wizard, the first
// at once. It always takes what the client sends, so the SSH request loop
// never waits on a wizard that is busy; a size not yet taken is replaced
// by the newer one.
func followWindow(windows <-chan ssh.Window) <-chan ui.WindowSize {
	sizes := make(chan ui.WindowSize, 1)
	go func() {
		for w := range windows {
			size := ui.WindowSize{Width: w.Width, Height: w.Height}
			select {
			case sizes <- size:
			default:
				select {
				case <-sizes:
				default:
				}
				sizes <- size
			}
		}
	}()
	return sizes
}

// listSessions says every session created once the wizard's screen is
// gone, as the terminal front end does, so each link stays in the
// person's scrollback.
func listSessions(w io.Writer, sessions []ui.CreatedSession) {
	for _, c := range sessions {
		about := termtext.Line(c.ConsumerID)
		if !c.Result.ExpiresAt.IsZero() {
			about += " · expires " + c.Result.ExpiresAt.UTC().Format("2006-01-02 15:04 MST")
		}
		if c.Result.Demo || c.BuiltInDemo {
			about += " · DEMO"
		}
		fmt.Fprintf(w, "%s\r\n%s\r\n", about, termtext.Line(c.Result.URL))
	}
}

// keyScrubber is the connection's output. The wizard never shows the
// server's key; this is the second lock on that door: a write that holds
// the key (an API's error echoing it back, say) goes out with it
// withheld.
type keyScrubber struct {
	w   io.Writer
	key []byte
}

func (k *keyScrubber) Write(p []byte) (int, error) {
	out := p
	if len(k.key) >= 8 && bytes.Contains(p, k.key) {
		out = bytes.ReplaceAll(p, k.key, []byte("[the server's key]"))
	}
	if _, err := k.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// count says n things: "1 session", "2 sessions".
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// admit takes a place for who's wizard, or says why there is none.
func (s *Server) admit(who Person) (release func(), err error) {
	l := s.cfg.Limits
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closing:
		return nil, errStopping
	case s.open >= l.MaxConnections:
		return nil, fmt.Errorf("the server has %d wizards open, the most it runs at once; try again in a minute", s.open)
	case s.byPerson[who.Name] >= l.MaxPerPerson:
		return nil, fmt.Errorf("you have %s open already, the most for one person; close one first", count(s.byPerson[who.Name], "wizard"))
	}
	s.open++
	s.byPerson[who.Name]++
	s.wizards.Add(1)
	return func() {
		s.mu.Lock()
		s.open--
		if s.byPerson[who.Name]--; s.byPerson[who.Name] == 0 {
			delete(s.byPerson, who.Name)
		}
		s.mu.Unlock()
		s.wizards.Done()
	}, nil
}

// mayCreate says whether who may create a session now: at most
// SessionsPerHour in any hour. A create it lets go holds its place until
// it ends (recordCreated, createEnded), so wizards of one person creating
// at once cannot together pass the limit.
func (s *Server) mayCreate(who Person) error {
	now := s.cfg.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	recent := s.recentCreates(who.Name, now)
	if len(recent)+s.creating[who.Name] >= s.cfg.Limits.SessionsPerHour {
		if len(recent) == 0 {
			return fmt.Errorf("your other wizards are creating %s now, the most this server allows one person in an hour",
				count(s.creating[who.Name], "session"))
		}
		next := recent[0].Add(time.Hour)
		return fmt.Errorf("you have created %s in the last hour, the most this server allows one person; the next can be created at %s (in %s)",
			count(len(recent)+s.creating[who.Name], "session"), next.UTC().Format("15:04 UTC"), model.FormatDuration(next.Sub(now), model.DurationFormat{Smallest: time.Minute}))
	}
	s.creating[who.Name]++
	return nil
}

// createEnded gives back the place a create held (mayCreate). The caller
// does not hold s.mu.
func (s *Server) createEnded(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.endCreate(name)
}

// endCreate is createEnded for a caller holding s.mu.
func (s *Server) endCreate(name string) {
	if s.creating[name]--; s.creating[name] <= 0 {
		delete(s.creating, name)
	}
}

// recentCreates are who's creates in the hour before now, oldest first;
// older ones are forgotten. The caller holds s.mu.
func (s *Server) recentCreates(name string, now time.Time) []time.Time {
	times := s.created[name]
	i := 0
	for i < len(times) && now.Sub(times[i]) >= time.Hour {
		i++
	}
	times = times[i:]
	if len(times) == 0 {
		delete(s.created, name)
	} else {
		s.created[name] = times
	}
	return times
}

// recordCreated counts a session against who's hourly limit and appends
// it to the audit log: who, from where, for which consumer, what it
// opens and until when; never its URL or token.
func (s *Server) recordCreated(who Person, remote string, req model.Request, res client.Result) {
	now := s.cfg.Now()
	s.mu.Lock()
	s.endCreate(who.Name)
	s.created[who.Name] = append(s.recentCreates(who.Name, now), now)
	s.mu.Unlock()
	session := req.Session.Normalized()
	length, _ := session.Settings.EffectiveSessionLength()
	e := store.AuditEntry{
		Time:           now.UTC(),
		Person:         who.Name,
		KeyFingerprint: who.Fingerprint,
		RemoteAddr:     remote,
		ConsumerID:     req.ConsumerID,
		AppID:          req.AppID,
		UnifiedAPIs:    session.Settings.UnifiedAPIs,
		SessionLength:  length.String(),
		APIHost:        s.apiHost(),
		Demo:           s.cfg.Demo || res.Demo,
	}
	if !res.ExpiresAt.IsZero() {
		exp := res.ExpiresAt.UTC()
		e.ExpiresAt = &exp
	}
	s.logf("%s (%s): created a session for %s", who.Name, remote, termtext.LineN(req.ConsumerID, 80))
	if s.cfg.Audit == nil {
		return
	}
	if err := s.cfg.Audit.Append(e); err != nil {
		s.logf("the audit log: %s", keptfile.ErrorText(err))
	}
}

// apiHost is the host sessions are created at.
func (s *Server) apiHost() string {
	c := s.cfg.Wizard.Client
	if s.cfg.Wizard.ForceDemo || c == nil {
		c = s.cfg.Wizard.DemoClient
	}
	if c == nil {
		return ""
	}
	return c.Host()
}
