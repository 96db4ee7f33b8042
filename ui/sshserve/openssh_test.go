package sshserve

import (
	"bytes"
	"encoding/pem"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/ui/lockedwriter"
	gossh "golang.org/x/crypto/ssh"
)

// needOpenSSH returns the path of an OpenSSH client tool, skipping the test
// without one (and failing under CI=true, where it must run).
func needOpenSSH(t *testing.T, tool string) string {
	t.Helper()
	path, err := exec.LookPath(tool)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is needed under CI=true: apt-get install openssh-client", tool)
		}
		t.Skipf("no %s here: install openssh-client to run this test", tool)
	}
	return path
}

// openSSHFiles writes p's private key and a known_hosts naming the
// server's host key, and returns the options every OpenSSH call takes.
func openSSHFiles(t *testing.T, ts *testServer, p person, key []byte) []string {
	t.Helper()
	dir := t.TempDir()
	keyPath := filepath.Join(dir, "id_ed25519")
	if err := os.WriteFile(keyPath, key, 0o600); err != nil {
		t.Fatal(err)
	}
	host, port, _ := strings.Cut(ts.addr, ":")
	known := "[" + host + "]:" + port + " " + string(gossh.MarshalAuthorizedKey(ts.hostPK))
	knownPath := filepath.Join(dir, "known_hosts")
	if err := os.WriteFile(knownPath, []byte(known), 0o600); err != nil {
		t.Fatal(err)
	}
	return []string{"-F", "/dev/null", "-i", keyPath, "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
		"-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + knownPath, "-o", "ConnectTimeout=5"}
}

// personWithKeyFile is a person whose private key is also written out in
// OpenSSH's format.
func personWithKeyFile(t *testing.T, name string) (person, []byte) {
	t.Helper()
	p := newPerson(t, name)
	block, err := gossh.MarshalPrivateKey(p.key, name)
	if err != nil {
		t.Fatal(err)
	}
	return p, pem.EncodeToMemory(block)
}

func TestOpenSSHClient(t *testing.T) {
	t.Parallel()
	sshPath := needOpenSSH(t, "ssh")
	hank, hankKey := personWithKeyFile(t, "hank@support")
	stranger, strangerKey := personWithKeyFile(t, "stranger")
	ts := startServer(t, []person{hank})
	_, port, _ := strings.Cut(ts.addr, ":")
	opts := openSSHFiles(t, ts, hank, hankKey)
	ssh := func(extra ...string) *exec.Cmd {
		return exec.Command(sshPath, append(append(append([]string{}, opts...), "-p", port), append(extra, "127.0.0.1")...)...)
	}

	t.Run("ssh -tt shows the wizard and creates a session", func(t *testing.T) {
		cmd := ssh("-tt")
		stdin, _ := cmd.StdinPipe()
		out := &lockedwriter.Buffer{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		tm := &terminal{t: t, out: out, stdin: stdin, started: time.Now()}
		tm.waitFor("held by the server")
		tm.send("acme-42")
		tm.send(ctrlS)
		tm.waitFor("Review")
		tm.send(enter)
		tm.waitFor("Session ready")
		tm.send("q")
		if err := cmd.Wait(); err != nil {
			t.Errorf("ssh: %v\n%s", err, tail(out.String()))
		}
		if bytes.Contains(out.Bytes(), []byte(testKey)) {
			t.Error("the key reached the OpenSSH client")
		}
		if e := ts.auditEntries(); len(e) != 1 || e[0].Person != "hank@support" {
			t.Errorf("audit: %+v", e)
		}
	})
	t.Run("ssh host echo hi", func(t *testing.T) {
		cmd := exec.Command(sshPath, append(append(append([]string{}, opts...), "-p", port), "127.0.0.1", "echo", "hi")...)
		out, err := cmd.CombinedOutput()
		if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() != exitRefused || !strings.Contains(string(out), "is not run") {
			t.Errorf("echo hi: %v\n%s", err, out)
		}
	})
	t.Run("a key not in the file", func(t *testing.T) {
		o := openSSHFiles(t, ts, stranger, strangerKey)
		out, err := exec.Command(sshPath, append(append(o, "-p", port), "127.0.0.1")...).CombinedOutput()
		if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() != 255 || !strings.Contains(string(out), "Permission denied (publickey)") {
			t.Errorf("stranger: %v\n%s", err, out)
		}
	})
	t.Run("sftp", func(t *testing.T) {
		sftpPath := needOpenSSH(t, "sftp")
		args := append(append([]string{}, opts...), "-P", port, "-b", "-", "127.0.0.1")
		cmd := exec.Command(sftpPath, args...)
		cmd.Stdin = strings.NewReader("ls\n")
		out, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(out), "subsystem request failed") {
			t.Errorf("sftp: %v\n%s", err, out)
		}
	})
}

// ssh -N -L: the login asks for no wizard and a forwarding; OpenSSH's
// forwarded connection is refused by the server (no channel but the
// wizard's), and the login is closed after the handshake timeout.
func TestOpenSSHPortForwardingIsRefused(t *testing.T) {
	t.Parallel()
	sshPath := needOpenSSH(t, "ssh")
	hank, hankKey := personWithKeyFile(t, "hank@support")
	ts := startServer(t, []person{hank}, func(c *Config) { c.Limits.HandshakeTimeout = 2 * time.Second })
	_, port, _ := strings.Cut(ts.addr, ":")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	local := ln.Addr().String()
	ln.Close()

	args := append(openSSHFiles(t, ts, hank, hankKey), "-p", port, "-N", "-L", local+":127.0.0.1:9", "127.0.0.1")
	cmd := exec.Command(sshPath, args...)
	out := &lockedwriter.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	// The client listens on local once logged in; what it forwards gets
	// nothing back.
	var conn net.Conn
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if conn, err = net.Dial("tcp", local); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("ssh -N -L never listened on %s: %v\n%s", local, err, out.String())
		}
	}
	conn.SetReadDeadline(time.Now().Add(3 * time.Second))
	if n, err := conn.Read(make([]byte, 64)); n > 0 || err == nil {
		t.Errorf("the forwarded connection got %d bytes (%v): it was let through", n, err)
	}
	conn.Close()

	select {
	case err := <-exited:
		if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() != 255 {
			t.Errorf("ssh -N -L ended with %v, want exit 255 (closed by the server)\n%s", err, out.String())
		}
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("ssh -N -L was kept open\n%s", out.String())
	}
	if !strings.Contains(out.String(), "open failed") {
		t.Errorf("OpenSSH does not say the forwarding was refused:\n%s", out.String())
	}
	if !strings.Contains(ts.log.String(), "asked for no wizard") {
		t.Errorf("the server's log does not say why it closed the login:\n%s", ts.log.String())
	}
}
