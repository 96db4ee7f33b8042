package sshserve

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/store"
	"github.com/apideck-samples/vault-session/ui"
	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// createSession drives the wizard the way a person does: a consumer ID,
// ctrl+s to the review, enter to create; it returns the session URL shown.
func createSession(t *testing.T, tm *terminal, consumer string) {
	t.Helper()
	tm.waitFor("Consumer ID")
	tm.send(consumer)
	tm.send(ctrlS)
	tm.waitFor("Review")
	tm.send(enter)
	tm.waitFor("Session ready")
}

func TestAPersonCreatesASessionAndTheKeyNeverReachesThem(t *testing.T) {
	t.Parallel()
	hank := newPerson(t, "hank@support")
	ts := startServer(t, []person{hank})
	tm := openTerminal(t, ts.login(hank), "xterm-256color", nil)
	tm.waitFor("held by the server")
	createSession(t, tm, "acme-42")
	tm.send("q")
	if code := tm.exit(); code != 0 {
		t.Errorf("exit status %d, want 0", code)
	}
	transcript := tm.out.Bytes()
	// Every byte the client was sent, the screens and the lines after them.
	if bytes.Contains(transcript, []byte(testKey)) {
		t.Fatal("the server's API key reached the client")
	}
	if !bytes.Contains(transcript, []byte("/session/")) {
		t.Errorf("no session URL listed after the wizard:\n%s", tail(string(transcript)))
	}
	entries := ts.auditEntries()
	if len(entries) != 1 {
		t.Fatalf("%d audit lines, want 1", len(entries))
	}
	e := entries[0]
	if e.Person != "hank@support" || e.KeyFingerprint != gossh.FingerprintSHA256(hank.signer.PublicKey()) ||
		e.ConsumerID != "acme-42" || e.AppID != "team-app" || e.SessionLength != "1h" || e.ExpiresAt == nil ||
		!strings.HasPrefix(e.RemoteAddr, "127.0.0.1:") {
		t.Errorf("audit line %+v", e)
	}
	raw := auditFile(t, ts)
	for _, secret := range []string{testKey, "/session/", "token", "eyJ"} {
		if strings.Contains(raw, secret) {
			t.Errorf("the audit log holds %q: %s", secret, raw)
		}
	}
	// Hank's history is his own.
	if n := historyLen(ts.store.ForPerson("hank@support")); n != 1 {
		t.Errorf("hank's history has %d entries, want 1", n)
	}
	if n := historyLen(ts.store); n != 0 {
		t.Errorf("the server's own history has %d entries, want none", n)
	}
	// The server's log counts it in words: "1 session", not "1 sessions".
	const ended = "hank@support (127.0.0.1:"
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(ts.log.String(), "wizard ended") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if log := ts.log.String(); !strings.Contains(log, ended) || !strings.Contains(log, "): wizard ended (done), 1 session created\n") {
		t.Errorf("the server's log of the wizard's end:\n%s", log)
	}
}

func historyLen(s *store.Store) int {
	n := 0
	s.WalkHistory(store.HistoryQuery{}, func(store.Entry) bool { n++; return true })
	return n
}

func auditFile(t *testing.T, ts *testServer) string {
	t.Helper()
	var b strings.Builder
	ts.audit.Walk(func(e store.AuditEntry) bool { fmt.Fprintf(&b, "%+v\n", e); return true })
	return b.String()
}

func TestOnlyAuthorizedKeysLogIn(t *testing.T) {
	t.Parallel()
	hank, stranger := newPerson(t, "hank@support"), newPerson(t, "stranger")
	ts := startServer(t, []person{hank})
	if _, err := ts.dial(gossh.PublicKeys(stranger.signer)); err == nil {
		t.Error("a key not in authorized_keys logged in")
	}
	if _, err := ts.dial(gossh.Password("hunter2")); err == nil {
		t.Error("a password logged in")
	}
	answered := false
	if _, err := ts.dial(gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) {
		answered = true
		return nil, nil
	})); err == nil || answered {
		t.Errorf("keyboard-interactive: err %v, challenged %v", err, answered)
	}
	if _, err := ts.dial(); err == nil {
		t.Error("no authentication at all logged in")
	}
}

// failingSigner offers a key it cannot sign with.
type failingSigner struct{ gossh.Signer }

func (failingSigner) Sign(io.Reader, []byte) (*gossh.Signature, error) {
	return nil, errors.New("this key is only offered")
}

func TestThePersonIsTheKeyThatAuthenticatedNotAKeyOffered(t *testing.T) {
	t.Parallel()
	hank, ida := newPerson(t, "hank@support"), newPerson(t, "ida@support")
	ts := startServer(t, []person{hank, ida}, func(c *Config) {
		c.Run = func(_ context.Context, opts ui.Options) (ui.Outcome, error) {
			opts.Created(model.Request{AppID: "team-app", ConsumerID: "who-am-i"}, client.Result{})
			return ui.Outcome{}, nil
		}
	})
	// Hank's key is offered first (the server says it would take it), but
	// the client cannot sign with it; Ida's key then logs in.
	offers := 0
	c, err := gossh.Dial("tcp", ts.addr, &gossh.ClientConfig{
		User:            "anyone",
		HostKeyCallback: gossh.FixedHostKey(ts.hostPK),
		AuthCallback: func(ctx *gossh.ClientAuthContext) (gossh.AuthMethod, error) {
			offers++
			switch offers {
			case 1:
				return gossh.PublicKeys(failingSigner{hank.signer}), nil
			case 2:
				return gossh.PublicKeys(ida.signer), nil
			}
			return nil, errors.New("out of keys")
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	tm := openTerminal(t, c, "xterm", nil)
	tm.exit()
	entries := ts.auditEntries()
	if len(entries) != 1 || entries[0].Person != "ida@support" ||
		entries[0].KeyFingerprint != gossh.FingerprintSHA256(ida.signer.PublicKey()) {
		t.Fatalf("recorded %+v, want ida@support", entries)
	}
	if offers < 2 {
		t.Fatalf("hank's key was never offered (%d offers)", offers)
	}
	if !strings.Contains(ts.log.String(), "ida@support") || strings.Contains(ts.log.String(), "hank@support") {
		t.Errorf("the server's log names the wrong person:\n%s", ts.log.String())
	}
}

func TestEverythingButTheWizardIsRefused(t *testing.T) {
	t.Parallel()
	hank := newPerson(t, "hank@support")
	ran := make(chan struct{}, 10)
	ts := startServer(t, []person{hank}, func(c *Config) {
		c.Run = func(ctx context.Context, opts ui.Options) (ui.Outcome, error) {
			ran <- struct{}{}
			<-ctx.Done()
			return ui.Outcome{}, nil
		}
	})
	c := ts.login(hank)

	t.Run("exec", func(t *testing.T) {
		sess, _ := c.NewSession()
		defer sess.Close()
		out, err := sess.CombinedOutput("echo hi")
		var exit *gossh.ExitError
		if !errors.As(err, &exit) || exit.ExitStatus() != exitRefused || strings.Contains(string(out), "hi\n") ||
			!strings.Contains(string(out), `"echo hi" is not run`) {
			t.Errorf("echo hi: %v, %q", err, out)
		}
	})
	t.Run("sftp", func(t *testing.T) {
		c := ts.login(hank)
		sess, _ := c.NewSession()
		defer sess.Close()
		if err := sess.RequestSubsystem("sftp"); err == nil {
			t.Error("the sftp subsystem was granted")
		}
	})
	t.Run("ssh -L", func(t *testing.T) {
		if conn, err := c.Dial("tcp", "127.0.0.1:22"); err == nil {
			conn.Close()
			t.Error("a direct-tcpip channel was opened")
		}
	})
	t.Run("ssh -R", func(t *testing.T) {
		if ln, err := c.Listen("tcp", "127.0.0.1:0"); err == nil {
			ln.Close()
			t.Error("tcpip-forward was granted")
		}
	})
	t.Run("agent and X11", func(t *testing.T) {
		c := ts.login(hank)
		sess, _ := c.NewSession()
		defer sess.Close()
		if err := agent.RequestAgentForwarding(sess); err == nil {
			t.Error("agent forwarding was granted")
		}
		ok, err := sess.SendRequest("x11-req", true, gossh.Marshal(struct {
			Single           bool
			Protocol, Cookie string
			Screen           uint32
		}{false, "MIT-MAGIC-COOKIE-1", "00", 0}))
		if ok || err != nil {
			t.Errorf("x11-req: granted %v, %v", ok, err)
		}
		if ok, _, err := c.SendRequest("no-more-sessions@openssh.com", true, nil); ok || err != nil {
			t.Errorf("a global request was granted (%v, %v)", ok, err)
		}
	})
	t.Run("no PTY", func(t *testing.T) {
		c := ts.login(hank)
		sess, _ := c.NewSession()
		defer sess.Close()
		out, err := sess.CombinedOutput("")
		var exit *gossh.ExitError
		if !errors.As(err, &exit) || exit.ExitStatus() != exitError || !strings.Contains(string(out), "connect with ssh -t") ||
			strings.Count(strings.TrimSpace(string(out)), "\n") != 0 {
			t.Errorf("no PTY: %v, %q", err, out)
		}
	})
	t.Run("a second session on one connection", func(t *testing.T) {
		c := ts.login(hank)
		tm := openTerminal(t, c, "xterm", nil)
		<-ran
		if _, err := c.NewSession(); err == nil {
			t.Error("a second session channel was opened")
		}
		tm.sess.Close()
	})
	select {
	case <-ran:
		t.Error("a refused request ran the wizard")
	default:
	}
}

func TestLimitsPerPersonAndPerHour(t *testing.T) {
	t.Parallel()
	hank, ida := newPerson(t, "hank@support"), newPerson(t, "ida@support")
	ts := startServer(t, []person{hank, ida}, func(c *Config) {
		c.Limits.MaxPerPerson = 1
		c.Limits.SessionsPerHour = 2
		c.Run = func(ctx context.Context, opts ui.Options) (ui.Outcome, error) {
			for i := range 3 {
				req := model.Request{AppID: "team-app", ConsumerID: fmt.Sprint("c", i)}
				if err := opts.Creating(req); err != nil {
					fmt.Fprintf(opts.Out, "refused: %v\r\n", err)
					continue
				}
				opts.Created(req, client.Result{})
				fmt.Fprintf(opts.Out, "created c%d\r\n", i)
			}
			<-ctx.Done()
			return ui.Outcome{}, nil
		}
	})
	first := openTerminal(t, ts.login(hank), "xterm", nil)
	first.waitFor("created c1")
	first.waitFor("refused: you have created 2 sessions in the last hour, the most this server allows one person; the next can be created at ")
	first.waitFor(" UTC (in 1h)")
	// A second wizard for Hank is refused; Ida still gets hers.
	second := openTerminal(t, ts.login(hank), "xterm", nil)
	second.waitFor("you have 1 wizard open already")
	if code := second.exit(); code != exitError {
		t.Errorf("second wizard: exit %d", code)
	}
	openTerminal(t, ts.login(ida), "xterm", nil).waitFor("created c1")
	if n := len(ts.auditEntries()); n != 4 {
		t.Errorf("%d sessions recorded, want 2 each", n)
	}
}

// Creates under way hold their place under the hourly limit: wizards of
// one person creating at once cannot together pass it, and a create that
// ends without a session gives its place back.
func TestCreatesUnderWayCountAgainstTheHourlyLimit(t *testing.T) {
	t.Parallel()
	jo := newPerson(t, "jo@support")
	ts := startServer(t, []person{jo}, func(c *Config) {
		c.Limits.SessionsPerHour = 2
		c.Run = func(ctx context.Context, opts ui.Options) (ui.Outcome, error) {
			try := func(id string) bool {
				if err := opts.Creating(model.Request{AppID: "team-app", ConsumerID: id}); err != nil {
					fmt.Fprintf(opts.Out, "%s refused: %v\r\n", id, err)
					return false
				}
				fmt.Fprintf(opts.Out, "%s let go\r\n", id)
				return true
			}
			try("a") // under way, as another wizard's would be
			try("b") // under way
			try("c") // refused: two are under way
			opts.NotCreated(model.Request{ConsumerID: "b"})
			if try("d") {
				opts.Created(model.Request{ConsumerID: "d"}, client.Result{})
			}
			fmt.Fprintf(opts.Out, "done\r\n")
			<-ctx.Done()
			return ui.Outcome{}, nil
		}
	})
	term := openTerminal(t, ts.login(jo), "xterm", nil)
	term.waitFor("c refused: your other wizards are creating 2 sessions now, the most this server allows one person in an hour")
	term.waitFor("d let go")
	term.waitFor("done")
}

func TestAPanicEndsItsConnectionOnly(t *testing.T) {
	t.Parallel()
	hank, ida := newPerson(t, "hank@support"), newPerson(t, "ida@support")
	ts := startServer(t, []person{hank, ida}, func(c *Config) {
		real := c.Run
		c.Run = func(ctx context.Context, opts ui.Options) (ui.Outcome, error) {
			if opts.Store.DraftDir() == c.Store.ForPerson("hank@support").DraftDir() {
				panic("hank's wizard broke")
			}
			return real(ctx, opts)
		}
	})
	ida1 := openTerminal(t, ts.login(ida), "xterm", nil)
	ida1.waitFor("Consumer ID")
	hank1 := openTerminal(t, ts.login(hank), "xterm", nil)
	hank1.waitFor("the wizard stopped on an error of the server's")
	if code := hank1.exit(); code != exitError {
		t.Errorf("hank's exit %d", code)
	}
	if !strings.Contains(ts.log.String(), "hank's wizard broke") {
		t.Errorf("the panic is not in the server's log:\n%s", ts.log.String())
	}
	createSession(t, ida1, "still-here")
	if e := ts.auditEntries(); len(e) != 1 || e[0].Person != "ida@support" {
		t.Errorf("after hank's panic: %+v", e)
	}
}

func TestShutdownTellsEveryoneKeepsDraftsAndEnds(t *testing.T) {
	t.Parallel()
	people := []person{newPerson(t, "hank@support"), newPerson(t, "ida@support"), newPerson(t, "joe@support")}
	ts := startServer(t, people)
	var terms []*terminal
	for i, p := range people {
		tm := openTerminal(t, ts.login(p), "xterm-256color", nil)
		tm.waitFor("Consumer ID")
		tm.send(fmt.Sprint("draft-", i))
		tm.waitFor(fmt.Sprint("draft-", i))
		terms = append(terms, tm)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	if err := ts.srv.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	took := time.Since(start)
	if took > 5*time.Second {
		t.Errorf("shutdown took %s", took)
	}
	for i, tm := range terms {
		tm.waitFor("the server is stopping")
		if code := tm.exit(); code != exitInterrupted {
			t.Errorf("%s: exit %d", people[i].name, code)
		}
		drafts, _ := ts.store.ForPerson(people[i].name).Drafts()
		if len(drafts) != 1 || drafts[0].ConsumerID != fmt.Sprint("draft-", i) {
			t.Errorf("%s's drafts: %+v", people[i].name, drafts)
		}
	}
	if err := <-ts.served; err != nil {
		t.Errorf("Serve: %v", err)
	}
	if _, err := ts.dial(gossh.PublicKeys(people[0].signer)); err == nil {
		t.Error("the stopped server took a connection")
	}
}

func TestAWizardNobodyTypesInEnds(t *testing.T) {
	t.Parallel()
	hank := newPerson(t, "hank@support")
	ts := startServer(t, []person{hank}, func(c *Config) { c.Limits.IdleTimeout = 300 * time.Millisecond })
	tm := openTerminal(t, ts.login(hank), "xterm", nil)
	tm.waitFor("Consumer ID")
	tm.send("idle-1")
	tm.waitFor("closed after")
	if code := tm.exit(); code != exitInterrupted {
		t.Errorf("exit %d", code)
	}
	if d, _ := ts.store.ForPerson("hank@support").Drafts(); len(d) != 1 {
		t.Errorf("drafts after the idle end: %+v", d)
	}
}

func TestAConnectionThatDoesNotLogInIsClosed(t *testing.T) {
	t.Parallel()
	ts := startServer(t, []person{newPerson(t, "hank@support")}, func(c *Config) { c.Limits.HandshakeTimeout = 200 * time.Millisecond })
	conn, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetReadDeadline(time.Now().Add(3 * time.Second))
	start := time.Now()
	_, err = io.Copy(io.Discard, conn) // the server's version line, then nothing
	if err != nil || time.Since(start) > 2*time.Second {
		t.Errorf("the silent connection was not closed in time: %v after %s", err, time.Since(start))
	}
}

func TestTheWizardGetsTheClientsTerminal(t *testing.T) {
	t.Parallel()
	hank := newPerson(t, "hank@support")
	got := make(chan ui.Options, 1)
	sizes := make(chan ui.WindowSize, 4)
	ts := startServer(t, []person{hank}, func(c *Config) {
		c.Run = func(ctx context.Context, opts ui.Options) (ui.Outcome, error) {
			got <- opts
			for {
				select {
				case s := <-opts.WindowSizes:
					sizes <- s
				case <-ctx.Done():
					return ui.Outcome{}, nil
				}
			}
		}
	})
	for _, tc := range []struct {
		term       string
		env        map[string]string
		command    []string
		accessible bool
	}{
		{"xterm-256color", nil, nil, false},
		{"dumb", nil, nil, true},
		{"xterm", map[string]string{"ACCESSIBLE": "1"}, nil, true},
		{"xterm", nil, []string{"--", "--accessible"}, true},
	} {
		tm := openTerminal(t, ts.login(hank), tc.term, tc.env, tc.command...)
		opts := <-got
		if opts.Accessible != tc.accessible || !opts.Remote || !opts.KeyHeldByServer || opts.Getenv("TERM") != tc.term {
			t.Errorf("%s %v %v: accessible %v, remote %v, held %v, TERM %q", tc.term, tc.env, tc.command,
				opts.Accessible, opts.Remote, opts.KeyHeldByServer, opts.Getenv("TERM"))
		}
		if opts.Getenv("PATH") != "" {
			t.Error("the wizard sees variables it does not need")
		}
		if s := <-sizes; s != (ui.WindowSize{Width: 100, Height: 30}) {
			t.Errorf("first size %v", s)
		}
		if err := tm.sess.WindowChange(40, 120); err != nil {
			t.Fatal(err)
		}
		if s := <-sizes; s != (ui.WindowSize{Width: 120, Height: 40}) {
			t.Errorf("resized to %v", s)
		}
		tm.sess.Close()
	}
}

func TestColourProfileFollowsTheClientsTerminal(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		env  environment
		want string
	}{
		{environment{"TERM": "xterm-256color"}, "ANSI256"},
		{environment{"TERM": "xterm-256color", "COLORTERM": "truecolor"}, "TrueColor"},
		{environment{"TERM": "xterm"}, "ANSI"},
		// NO_COLOR is the wizard's to apply (ui.Run): it keeps attributes.
		{environment{"TERM": "xterm-256color", "NO_COLOR": "1"}, "ANSI256"},
		{environment{"TERM": "dumb"}, "Ascii"},
	} {
		if got := tc.env.colorProfile().Name(); got != tc.want {
			t.Errorf("%v: %s, want %s", tc.env, got, tc.want)
		}
	}
}

func TestPlainPromptsEchoWhatIsTypedAndCtrlCLeaves(t *testing.T) {
	t.Parallel()
	hank := newPerson(t, "hank@support")
	ts := startServer(t, []person{hank})
	tm := openTerminal(t, ts.login(hank), "xterm", nil, "--", "--accessible")
	tm.waitFor("plain prompts")
	tm.waitFor("Consumer ID")
	tm.send("acme-4x\x7f2" + enter)
	tm.waitFor("acme-4x\b \b2\r\n")
	tm.send(ctrlC)
	if code := tm.exit(); code != exitInterrupted {
		t.Errorf("exit %d after Ctrl+C", code)
	}
	if bytes.Contains(tm.out.Bytes(), []byte(testKey)) {
		t.Error("the plain prompts sent the key")
	}
	if d, _ := ts.store.ForPerson("hank@support").Drafts(); len(d) != 1 || d[0].ConsumerID != "acme-42" {
		t.Errorf("drafts after Ctrl+C: %+v", d)
	}
}

func TestTwentyPeopleCreateSessionsAtOnce(t *testing.T) {
	t.Parallel()
	var people []person
	for i := range 20 {
		people = append(people, newPerson(t, fmt.Sprintf("agent%02d@support", i)))
	}
	ts := startServer(t, people)
	var wg sync.WaitGroup
	for i, p := range people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := ts.dial(gossh.PublicKeys(p.signer))
			if err != nil {
				t.Error(err)
				return
			}
			defer c.Close()
			tm := openTerminal(t, c, "xterm-256color", nil)
			createSession(t, tm, fmt.Sprintf("consumer-%02d", i))
			tm.send("q")
			if code := tm.exit(); code != 0 {
				t.Errorf("%s: exit %d", p.name, code)
			}
			if bytes.Contains(tm.out.Bytes(), []byte(testKey)) {
				t.Errorf("%s was sent the key", p.name)
			}
		}()
	}
	wg.Wait()
	entries := ts.auditEntries()
	seen := map[string]bool{}
	for _, e := range entries {
		seen[e.Person+" "+e.ConsumerID] = true
	}
	if len(entries) != 20 || len(seen) != 20 {
		t.Errorf("%d audit lines, %d distinct; want 20", len(entries), len(seen))
	}
}

func TestTheBackgroundIsAskedOverTheChannel(t *testing.T) {
	t.Parallel()
	hank := newPerson(t, "hank@support")
	ts := startServer(t, []person{hank})
	frames := map[string]string{}
	for name, rgb := range map[string]string{"light": "ffff/ffff/ffff", "dark": "1e1e/1e1e/1e1e"} {
		tm := openTerminal(t, ts.login(hank), "xterm-256color", nil)
		tm.waitFor("\x1b]11;?")
		// Keys typed before the answer reach the wizard; the answer (the
		// colour, then the device attributes) is never typed into a field.
		tm.send("acme")
		tm.send("\x1b]11;rgb:" + rgb + "\x1b\\" + "\x1b[?62;22c")
		tm.waitFor("Consumer ID")
		tm.waitFor("acme")
		frames[name] = tm.out.String()
		if strings.Contains(tm.out.String(), "rgb:") || strings.Contains(tm.out.String(), "62;22c") {
			t.Errorf("%s: the terminal's answer was typed into the wizard", name)
		}
		tm.sess.Close()
	}
	if frames["light"] == frames["dark"] {
		t.Error("a light and a dark terminal got the same screen: the answer was not used")
	}
}

// The logins below get a second (a loaded machine under -race took over
// 200 ms for one) and are closed after two.
func TestALoginThatAsksForNoWizardIsClosed(t *testing.T) {
	t.Parallel()
	hank := newPerson(t, "hank@support")
	ts := startServer(t, []person{hank}, func(c *Config) { c.Limits.HandshakeTimeout = time.Second })
	c := ts.login(hank) // as ssh -N does: logged in, no session
	done := make(chan error, 1)
	go func() { done <- c.Wait() }()
	select {
	case <-done:
	case <-time.After(8 * time.Second):
		t.Fatal("a connection with no wizard was kept open")
	}
	if !strings.Contains(ts.log.String(), "asked for no wizard") {
		t.Errorf("the log does not say why:\n%s", ts.log.String())
	}
}

// TestPlainPromptsEndWithTheSessionsCreated: after the plain prompts, as
// after the full screen, the connection ends with each session created,
// its link whole on a line of its own.
func TestPlainPromptsEndWithTheSessionsCreated(t *testing.T) {
	t.Parallel()
	hank := newPerson(t, "hank@support")
	ts := startServer(t, []person{hank}, func(c *Config) {
		c.Run = func(_ context.Context, opts ui.Options) (ui.Outcome, error) {
			return ui.Outcome{Sessions: []ui.CreatedSession{{ConsumerID: "acme-42",
				Result: client.Result{URL: "https://vault.apideck.com/session/tok42"}}}}, nil
		}
	})
	for _, term := range []string{"xterm-256color", "dumb"} {
		tm := openTerminal(t, ts.login(hank), term, nil)
		if code := tm.exit(); code != 0 {
			t.Errorf("TERM=%s: exit %d", term, code)
		}
		if !bytes.Contains(tm.out.Bytes(), []byte("acme-42\r\nhttps://vault.apideck.com/session/tok42\r\n")) {
			t.Errorf("TERM=%s: the session is not listed at the end:\n%q", term, tm.out.String())
		}
	}
}

// TestAConnectionThatLeavesIsNotTimedOutLater: the login timer of a
// connection is stopped when the connection closes, so a client that
// left is not said, a while later, to have been closed for its silence.
func TestAConnectionThatLeavesIsNotTimedOutLater(t *testing.T) {
	t.Parallel()
	ts := startServer(t, []person{newPerson(t, "hank@support")}, func(c *Config) { c.Limits.HandshakeTimeout = 100 * time.Millisecond })
	conn, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	conn.Close()
	time.Sleep(500 * time.Millisecond) // past both of the login's limits
	if log := ts.log.String(); strings.Contains(log, "closed:") {
		t.Errorf("a connection that left was logged as closed by the server:\n%s", log)
	}
}

// TestAWizardErrorReachesTheLogSafely: the server's log is the operator's
// terminal, so a wizard's error, which may carry an API's words, is made
// safe there as it is on the person's screen.
func TestAWizardErrorReachesTheLogSafely(t *testing.T) {
	t.Parallel()
	hank := newPerson(t, "hank@support")
	ts := startServer(t, []person{hank}, func(c *Config) {
		c.Run = func(context.Context, ui.Options) (ui.Outcome, error) {
			return ui.Outcome{}, errors.New("the API said \x1b]0;owned\x07 no")
		}
	})
	tm := openTerminal(t, ts.login(hank), "xterm", nil)
	tm.waitFor("the API said")
	if code := tm.exit(); code != exitError {
		t.Errorf("exit %d", code)
	}
	log := ts.log.String()
	if !strings.Contains(log, "the API said") || strings.ContainsAny(log, "\x1b\x07") {
		t.Errorf("the wizard's error in the log: %q", log)
	}
}

// TestASessionThatAsksForNoWizardIsClosed: a session channel opened with
// no shell asked for (the wizard never starts, so no limit counts it)
// holds its connection no longer than a login that opens none.
func TestASessionThatAsksForNoWizardIsClosed(t *testing.T) {
	t.Parallel()
	hank := newPerson(t, "hank@support")
	ts := startServer(t, []person{hank}, func(c *Config) { c.Limits.HandshakeTimeout = time.Second })
	c := ts.login(hank)
	sess, err := c.NewSession() // a channel, and no pty-req or shell
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	done := make(chan error, 1)
	go func() { done <- c.Wait() }()
	select {
	case <-done:
	case <-time.After(8 * time.Second):
		t.Fatal("a connection whose session asked for no wizard was kept open")
	}
	if !strings.Contains(ts.log.String(), "asked for no wizard") {
		t.Errorf("the log does not say why:\n%s", ts.log.String())
	}
}

// TestAConnectionIsClosedAfterItsWizard: one wizard a connection, so a
// client that keeps the connection once its wizard has ended (here a
// refused command) is closed, and no limit is dodged by lingering.
func TestAConnectionIsClosedAfterItsWizard(t *testing.T) {
	t.Parallel()
	hank := newPerson(t, "hank@support")
	ts := startServer(t, []person{hank}, func(c *Config) { c.Limits.HandshakeTimeout = time.Second })
	c := ts.login(hank)
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var exit *gossh.ExitError
	if err := sess.Run("cat /etc/passwd"); !errors.As(err, &exit) || exit.ExitStatus() != exitRefused {
		t.Fatalf("the command: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- c.Wait() }()
	select {
	case <-done:
	case <-time.After(8 * time.Second):
		t.Fatal("a connection whose wizard ended was kept open")
	}
}
