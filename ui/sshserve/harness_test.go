package sshserve

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/client/mock/mocktest"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/store"
	"github.com/apideck-samples/vault-session/ui"
	"github.com/apideck-samples/vault-session/ui/lockedwriter"
	gossh "golang.org/x/crypto/ssh"
)

// testKey is the server's API key in every test: no byte sent to a client
// may hold it.
const testKey = "sk_test_THE_TEAMS_KEY_4f1d2c9a7b"

// person is a key of someone in the test's authorized_keys.
type person struct {
	name   string
	signer gossh.Signer
	key    ed25519.PrivateKey
}

func newPerson(t testing.TB, name string) person {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return person{name: name, signer: signer, key: priv}
}

func (p person) authorizedLine() string {
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(p.signer.PublicKey()))) + " " + p.name + "\n"
}

// testServer is a server on a loopback port, the mock API behind it.
type testServer struct {
	t      testing.TB
	srv    *Server
	addr   string
	hostPK gossh.PublicKey
	dir    string
	store  *store.Store
	audit  *store.AuditLog
	log    *lockedwriter.Buffer
	served chan error
}

type serverOption func(*Config)

// startServer serves the real wizard (ui.Run) for people, with the
// server's key sent to a mock API that accepts that key only.
func startServer(t testing.TB, people []person, opts ...serverOption) *testServer {
	t.Helper()
	dir := t.TempDir()
	var keys strings.Builder
	for _, p := range people {
		keys.WriteString(p.authorizedLine())
	}
	keysPath := filepath.Join(dir, "authorized_keys")
	if err := os.WriteFile(keysPath, []byte(keys.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	pp, err := LoadPeople(keysPath)
	if err != nil {
		t.Fatal(err)
	}
	hostKey, _, err := LoadHostKey(filepath.Join(dir, "state", "ssh_host_ed25519_key"))
	if err != nil {
		t.Fatal(err)
	}
	_, apiURL := mocktest.Start(t, mock.WithAPIKey(testKey), mock.WithoutDemoHeader())
	env := map[string]string{"XDG_STATE_HOME": filepath.Join(dir, "state"), "XDG_CONFIG_HOME": filepath.Join(dir, "config")}
	st, err := store.Open(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{t: t, dir: dir, store: st, audit: store.OpenAuditLog(st.AuditPath()), log: &lockedwriter.Buffer{}, hostPK: hostKey.PublicKey()}
	cfg := Config{
		HostKey: hostKey,
		People:  pp,
		Wizard: ui.Options{
			Request: model.Request{AppID: "team-app"},
			APIKey:  testKey,
			Client:  client.New(client.WithBaseURL(apiURL)),
			Version: "test",
			Timeout: 30 * time.Second,
		},
		Run:   ui.Run,
		Store: st,
		Audit: ts.audit,
		Log:   ts.log,
		Limits: Limits{
			HandshakeTimeout: 5 * time.Second,
			MaxConnections:   50,
			MaxPerPerson:     30,
			SessionsPerHour:  100,
		},
	}
	for _, o := range opts {
		o(&cfg)
	}
	ts.srv, err = New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts.addr = ln.Addr().String()
	ts.served = make(chan error, 1)
	go func() { ts.served <- ts.srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		ts.srv.Shutdown(ctx)
	})
	return ts
}

// dial logs in with auth (the person's key by default).
func (ts *testServer) dial(auth ...gossh.AuthMethod) (*gossh.Client, error) {
	return gossh.Dial("tcp", ts.addr, &gossh.ClientConfig{
		User:            "anyone",
		Auth:            auth,
		HostKeyCallback: gossh.FixedHostKey(ts.hostPK),
		Timeout:         5 * time.Second,
	})
}

func (ts *testServer) login(p person) *gossh.Client {
	ts.t.Helper()
	c, err := ts.dial(gossh.PublicKeys(p.signer))
	if err != nil {
		ts.t.Fatalf("%s cannot log in: %v", p.name, err)
	}
	ts.t.Cleanup(func() { c.Close() })
	return c
}

// terminal is a client's session with a PTY, and all it was sent.
type terminal struct {
	t       testing.TB
	sess    *gossh.Session
	stdin   io.WriteCloser
	out     *lockedwriter.Buffer
	done    chan error
	started time.Time
}

// openTerminal asks for a PTY of 100x30 and starts the wizard, with the
// command given (none: a shell).
func openTerminal(t testing.TB, c *gossh.Client, term string, env map[string]string, command ...string) *terminal {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range env {
		if err := sess.Setenv(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := sess.RequestPty(term, 30, 100, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	tm := &terminal{t: t, sess: sess, out: &lockedwriter.Buffer{}, done: make(chan error, 1)}
	sess.Stdout, sess.Stderr = tm.out, tm.out
	if tm.stdin, err = sess.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	tm.started = time.Now()
	if len(command) > 0 {
		err = sess.Start(strings.Join(command, " "))
	} else {
		err = sess.Shell()
	}
	if err != nil {
		t.Fatal(err)
	}
	go func() { tm.done <- sess.Wait() }()
	return tm
}

// waitFor waits until the transcript holds text, and returns how long it
// took since the session started.
func (tm *terminal) waitFor(text string) time.Duration {
	tm.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(tm.out.String(), text) {
			return time.Since(tm.started)
		}
		time.Sleep(5 * time.Millisecond)
	}
	tm.t.Fatalf("no %q after 15 s; the client got:\n%s", text, tail(tm.out.String()))
	return 0
}

func (tm *terminal) send(keys string) {
	tm.t.Helper()
	if _, err := io.WriteString(tm.stdin, keys); err != nil {
		tm.t.Fatal(err)
	}
}

// exit waits for the session's end and returns its exit status.
func (tm *terminal) exit() int {
	tm.t.Helper()
	select {
	case err := <-tm.done:
		var exit *gossh.ExitError
		switch {
		case err == nil:
			return 0
		case errors.As(err, &exit):
			return exit.ExitStatus()
		}
		tm.t.Fatalf("session ended without a status: %v", err)
	case <-time.After(15 * time.Second):
		tm.t.Fatalf("session did not end; the client got:\n%s", tail(tm.out.String()))
	}
	return -1
}

func tail(s string) string {
	if len(s) > 3000 {
		return "…" + s[len(s)-3000:]
	}
	return s
}

// auditEntries are the audit log's lines, oldest first.
func (ts *testServer) auditEntries() []store.AuditEntry {
	var out []store.AuditEntry
	if err := ts.audit.Walk(func(e store.AuditEntry) bool { out = append([]store.AuditEntry{e}, out...); return true }); err != nil {
		ts.t.Fatal(err)
	}
	return out
}

// Keys as a terminal sends them.
const (
	ctrlC = "\x03"
	ctrlS = "\x13"
	enter = "\r"
)

var _ = fmt.Sprintf
