// Package sshserve is vault-session's SSH team server (vault-session
// serve): one machine holds the API key, and each person who connects with
// an authorized key gets a wizard of their own, on their own terminal.
//
// Like the terminal front end, it hands each connection a wizard (ui.Run)
// and owns nothing the wizard does. What it owns is the connection: who it
// is (the key that authenticated, never a key merely offered), refusing
// everything but the wizard (exec, subsystems such as sftp, port, agent
// and X11 forwarding), the person's terminal (its size, colours, keys and
// the plain prompts' line editing), each person's own drafts and history,
// the audit log, and the limits that keep the server up for everyone.
package sshserve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/apideck-samples/vault-session/model/store"
	"github.com/apideck-samples/vault-session/ui"
	"github.com/gliderlabs/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// Config is what a server is made of.
type Config struct {
	HostKey gossh.Signer
	People  *People
	// Wizard is what every connection's wizard starts from: the API
	// client, the server's key and app ID, the version, the timeout. Each
	// connection adds its terminal, its person and the limits.
	Wizard ui.Options
	// Run runs one wizard: ui.Run (tests replace it).
	Run func(context.Context, ui.Options) (ui.Outcome, error)
	// Store keeps each person's drafts and history (Store.ForPerson) and
	// the team's presets; nil keeps nothing.
	Store *store.Store
	// Audit records each session created; nil records nothing.
	Audit *store.AuditLog
	// Demo says the wizard sends sessions to the demo API: the server
	// says so before anyone logs in.
	Demo   bool
	Limits Limits
	// Log gets one line for each thing the operator may want to know:
	// connections, refusals, sessions created (never a URL or token).
	Log io.Writer
	Now func() time.Time
}

// Limits keep one person, or a flood of connections, from taking the
// server from everyone else.
type Limits struct {
	// HandshakeTimeout bounds the time from connecting to a wizard:
	// the SSH handshake and login, then the request for a terminal.
	HandshakeTimeout time.Duration
	// IdleTimeout ends a wizard nobody has typed in for this long (its
	// draft kept).
	IdleTimeout time.Duration
	// MaxConnections is the most wizards open at once, and the most
	// connections still logging in.
	MaxConnections int
	// MaxPerPerson is the most wizards one person has open at once.
	MaxPerPerson int
	// SessionsPerHour is the most sessions one person creates in an hour.
	SessionsPerHour int
}

// DefaultLimits are the limits serve's flags start from.
func DefaultLimits() Limits {
	return Limits{
		HandshakeTimeout: 10 * time.Second,
		IdleTimeout:      30 * time.Minute,
		MaxConnections:   50,
		MaxPerPerson:     3,
		SessionsPerHour:  60,
	}
}

// Server serves wizards over SSH.
type Server struct {
	cfg Config
	ssh *ssh.Server

	// stopping is done once Shutdown starts: every wizard is told.
	stopping context.Context
	stop     context.CancelFunc

	mu        sync.Mutex
	closing   bool
	open      int            // wizards running
	byPerson  map[string]int // wizards running, by person
	loggingIn int            // connections not yet authenticated
	created   map[string][]time.Time
	// creating counts, by person, the creates let go (mayCreate) and not
	// ended yet: they hold a place under SessionsPerHour.
	creating map[string]int
	wizards  sync.WaitGroup

	logMu sync.Mutex
}

// New makes a server; Serve starts it.
func New(cfg Config) (*Server, error) {
	if cfg.HostKey == nil || cfg.People == nil || cfg.Run == nil {
		return nil, errors.New("sshserve: a host key, people and a wizard are needed")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	d := DefaultLimits()
	l := &cfg.Limits
	if l.HandshakeTimeout <= 0 {
		l.HandshakeTimeout = d.HandshakeTimeout
	}
	if l.IdleTimeout <= 0 {
		l.IdleTimeout = d.IdleTimeout
	}
	if l.MaxConnections <= 0 {
		l.MaxConnections = d.MaxConnections
	}
	if l.MaxPerPerson <= 0 {
		l.MaxPerPerson = d.MaxPerPerson
	}
	if l.SessionsPerHour <= 0 {
		l.SessionsPerHour = d.SessionsPerHour
	}
	s := &Server{cfg: cfg, byPerson: map[string]int{}, created: map[string][]time.Time{}, creating: map[string]int{}}
	s.stopping, s.stop = context.WithCancel(context.Background())
	s.ssh = &ssh.Server{
		Handler:                s.handle,
		HostSigners:            []ssh.Signer{cfg.HostKey},
		Version:                "vault-session",
		ConnCallback:           s.accept,
		ServerConfigCallback:   s.serverConfig,
		PublicKeyHandler:       s.offered,
		SessionRequestCallback: s.allowRequest,
		// Only session channels, one per connection: a direct-tcpip
		// (ssh -L) or any other kind of channel is refused.
		ChannelHandlers: map[string]ssh.ChannelHandler{"session": s.sessionChannel},
		// No global requests: tcpip-forward (ssh -R) is refused.
		RequestHandlers: map[string]ssh.RequestHandler{},
		// No subsystems: sftp is refused.
		SubsystemHandlers: map[string]ssh.SubsystemHandler{},
	}
	if cfg.Demo {
		s.ssh.Banner = "DEMO: this vault-session server sends sessions to a demo API, not Apideck; its links are for trying it out.\r\n"
	}
	return s, nil
}

// Serve accepts connections on ln until Shutdown; it then returns nil.
func (s *Server) Serve(ln net.Listener) error {
	err := s.ssh.Serve(ln)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops the server: no new connection is taken, every person
// connected is told the server is stopping and their wizard ends with its
// draft kept, and the connections close. It returns when all of that is
// done, or when ctx is, having closed whatever is left.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	s.mu.Unlock()
	s.stop()
	go s.ssh.Shutdown(ctx) //nolint:errcheck // closes the listeners now; Close below ends the rest
	done := make(chan struct{})
	go func() {
		s.wizards.Wait()
		close(done)
	}()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		err = ctx.Err()
	}
	s.ssh.Close()
	return err
}

// connState is what the server knows of one connection before it has a
// wizard.
type connState struct {
	authenticated atomic.Bool
	hasSession    atomic.Bool
	// wizardAsked is set once the session asks for a shell or a command:
	// a session channel alone starts nothing that a limit counts.
	wizardAsked atomic.Bool
	leftLogin   sync.Once
}

// connStateKey finds a connection's connState in its context.
type connStateKey struct{}

func stateOf(ctx ssh.Context) *connState {
	st, _ := ctx.Value(connStateKey{}).(*connState)
	return st
}

// accept takes a new connection unless too many are logging in already,
// and gives it HandshakeTimeout to log in and as long again to ask for
// its wizard.
func (s *Server) accept(ctx ssh.Context, conn net.Conn) net.Conn {
	s.mu.Lock()
	if s.closing || s.loggingIn >= s.cfg.Limits.MaxConnections {
		s.mu.Unlock()
		s.logf("%s: refused before login: too many connections logging in", conn.RemoteAddr())
		conn.Close()
		return nil
	}
	s.loggingIn++
	s.mu.Unlock()
	st := &connState{}
	ctx.SetValue(connStateKey{}, st)
	tracked := &trackedConn{Conn: conn, onClose: func() { s.leftLogin(st) }}
	limit := s.cfg.Limits.HandshakeTimeout
	var check func()
	checks := 0
	var timer *time.Timer
	check = func() {
		checks++
		switch {
		case !st.authenticated.Load():
			s.logf("%s: closed: no login within %s", conn.RemoteAddr(), limit)
			tracked.Close()
		case st.wizardAsked.Load():
		case checks == 1:
			timer.Reset(limit)
		default:
			s.logf("%s: closed: logged in but asked for no wizard within %s", conn.RemoteAddr(), limit)
			tracked.Close()
		}
	}
	timer = time.AfterFunc(limit, check)
	// The connection's context ends when it closes: a client that left is
	// not closed, and logged as silent, a while later.
	context.AfterFunc(ctx, func() { timer.Stop() })
	return tracked
}

// leftLogin counts a connection out of those logging in, once.
func (s *Server) leftLogin(st *connState) {
	st.leftLogin.Do(func() {
		s.mu.Lock()
		s.loggingIn--
		s.mu.Unlock()
	})
}

// trackedConn tells the server when it closes.
type trackedConn struct {
	net.Conn
	once    sync.Once
	onClose func()
}

func (c *trackedConn) Close() error {
	c.once.Do(c.onClose)
	return c.Conn.Close()
}

// Permissions extensions naming the person a connection authenticated as.
const (
	extPerson      = "vault-session-person"
	extFingerprint = "vault-session-fingerprint"
)

// offered answers whether a key offered would be let in. It is asked for
// every key a client offers, including keys it never proves it holds, so
// nothing is recorded here (CVE-2024-45337): the person is named by
// verified, below, for the key that authenticated.
func (s *Server) offered(_ ssh.Context, key ssh.PublicKey) bool {
	_, ok := s.cfg.People.Lookup(key)
	return ok
}

// serverConfig is the SSH configuration of one connection: public keys
// only (no password or keyboard-interactive handler is set), and the
// person recorded once the client has signed with their key.
func (s *Server) serverConfig(ctx ssh.Context) *gossh.ServerConfig {
	return &gossh.ServerConfig{
		MaxAuthTries: 6,
		VerifiedPublicKeyCallback: func(_ gossh.ConnMetadata, key gossh.PublicKey, _ *gossh.Permissions, _ string) (*gossh.Permissions, error) {
			who, ok := s.cfg.People.Lookup(key)
			if !ok {
				return nil, errNotAuthorized
			}
			if st := stateOf(ctx); st != nil {
				st.authenticated.Store(true)
				s.leftLogin(st)
			}
			// A new Permissions for this key alone: it becomes the
			// connection's, whatever keys were offered before.
			return &gossh.Permissions{Extensions: map[string]string{extPerson: who.Name, extFingerprint: who.Fingerprint}}, nil
		},
		AuthLogCallback: func(conn gossh.ConnMetadata, method string, err error) {
			if err != nil && method != "none" {
				s.logf("%s: login refused (%s)", conn.RemoteAddr(), method)
			}
		},
	}
}

// personOf is who authenticated on the session's connection.
func personOf(sess ssh.Session) (Person, bool) {
	conn, ok := sess.Context().Value(ssh.ContextKeyConn).(*gossh.ServerConn)
	if !ok || conn.Permissions == nil {
		return Person{}, false
	}
	name, fp := conn.Permissions.Extensions[extPerson], conn.Permissions.Extensions[extFingerprint]
	if name == "" || fp == "" {
		return Person{}, false
	}
	return Person{Name: name, Fingerprint: fp}, true
}

// sessionChannel takes one session channel a connection, with agent and
// X11 forwarding refused.
func (s *Server) sessionChannel(srv *ssh.Server, conn *gossh.ServerConn, newChan gossh.NewChannel, ctx ssh.Context) {
	if st := stateOf(ctx); st != nil && !st.hasSession.CompareAndSwap(false, true) {
		newChan.Reject(gossh.Prohibited, "one wizard per connection: connect again for another")
		return
	}
	ssh.DefaultSessionHandler(srv, conn, withoutForwarding{newChan}, ctx)
}

// withoutForwarding is a session channel whose agent and X11 forwarding
// requests are refused before the session sees them (gliderlabs/ssh would
// accept agent forwarding).
type withoutForwarding struct{ gossh.NewChannel }

func (c withoutForwarding) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := c.NewChannel.Accept()
	if err != nil {
		return ch, reqs, err
	}
	kept := make(chan *gossh.Request)
	go func() {
		defer close(kept)
		for req := range reqs {
			switch req.Type {
			case "auth-agent-req@openssh.com", "x11-req":
				if req.WantReply {
					req.Reply(false, nil)
				}
				continue
			}
			kept <- req
		}
	}()
	return ch, kept, nil
}

func (s *Server) logf(format string, args ...any) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	fmt.Fprintf(s.cfg.Log, "%s "+format+"\n", append([]any{s.cfg.Now().Format(time.RFC3339)}, args...)...)
}
