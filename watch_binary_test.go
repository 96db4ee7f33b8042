package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestBuiltBinaryWatchesTheDemo is the whole story with the real binary:
// `demo-server` runs, `create` makes a session, `watch --until
// callable:crm` starts, and only then the customer adds Salesforce through
// the demo's endpoint with the session token, as the Vault page does. The
// watch prints the journey and exits 0 once Salesforce is callable (the
// demo's schedule: 12 s); another watch for an API nobody connects exits 3
// at its --timeout.
func TestBuiltBinaryWatchesTheDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and waits for the demo's 12 s journey")
	}
	bin := builtBinary(t)
	env := []string{"HOME=" + t.TempDir(), "NO_COLOR=1"}

	server := exec.Command(bin, "demo-server", "--listen", "127.0.0.1:0")
	server.Env = env
	serverOut, err := server.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	server.Stderr = io.Discard
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		server.Process.Kill()
		server.Wait()
	})
	base, err := bufio.NewReader(serverOut).ReadString('\n')
	if err != nil {
		t.Fatalf("demo-server printed no URL: %v", err)
	}
	base = strings.TrimSpace(base)
	go io.Copy(io.Discard, serverOut)

	api := []string{"--base-url", base, "--api-key", "demo", "--app-id", "demo-app", "--consumer-id", "acme-42"}
	run := func(args ...string) *exec.Cmd {
		cmd := exec.Command(bin, append(args, api...)...)
		cmd.Env = env
		return cmd
	}

	var created struct{ Token string }
	out, err := run("create", "--unified-apis", "crm", "--output", "json").Output()
	if err != nil || json.Unmarshal(out, &created) != nil || created.Token == "" {
		t.Fatalf("create: %v\n%s", err, out)
	}

	watchCmd := run("watch", "--until", "callable:crm", "--interval", "1s", "--timeout", "1m")
	var watchOut, watchErr bytes.Buffer
	watchCmd.Stdout, watchCmd.Stderr = &watchOut, &watchErr
	if err := watchCmd.Start(); err != nil {
		t.Fatal(err)
	}
	// A second watch waits for an API this session does not even offer.
	lonely := run("watch", "--until", "callable:hris", "--interval", "1s", "--timeout", "3s")
	var lonelyErr bytes.Buffer
	lonely.Stderr = &lonelyErr
	if err := lonely.Start(); err != nil {
		t.Fatal(err)
	}

	time.Sleep(1500 * time.Millisecond) // the watch has seen nothing yet
	req, _ := http.NewRequest(http.MethodPost, base+"/vault/connections/crm/salesforce", strings.NewReader(`{}`))
	req.Header.Set("Authorization", "Bearer "+created.Token)
	req.Header.Set("x-apideck-auth-type", "JWT")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("adding the connection: %s", resp.Status)
	}

	code := exitCodeOf(t, watchCmd.Wait())
	if code != exitOK {
		t.Fatalf("watch: exit %d\n%s%s", code, watchOut.String(), watchErr.String())
	}
	lines := strings.Split(strings.TrimSpace(watchOut.String()), "\n")
	want := []string{
		"Salesforce (CRM): appeared as added, health needs_auth",
		"Salesforce (CRM): added → authorized, health needs_auth → ok",
		"Salesforce (CRM): authorized → callable",
	}
	if len(lines) != len(want) {
		t.Fatalf("watch printed:\n%s", watchOut.String())
	}
	for i, line := range lines {
		// "15:04:05 " then the change.
		if len(line) < 9 || line[8:] != " "+want[i] {
			t.Errorf("line %d = %q, want the time and %q", i+1, line, want[i])
		}
	}
	if !strings.Contains(watchErr.String(), "vault-session: Salesforce (CRM) is callable") {
		t.Errorf("stderr:\n%s", watchErr.String())
	}

	if code := exitCodeOf(t, lonely.Wait()); code != exitTimeout ||
		!strings.Contains(lonelyErr.String(), "callable:hris did not happen within 3s") {
		t.Errorf("the watch for hris: exit %d\n%s", code, lonelyErr.String())
	}

	table, err := run("connections").Output()
	if err != nil || !strings.Contains(string(table), "Salesforce") || !strings.Contains(string(table), "callable") {
		t.Errorf("connections: %v\n%s", err, table)
	}
}

func exitCodeOf(t *testing.T, err error) int {
	t.Helper()
	if err == nil {
		return 0
	}
	if exit, ok := err.(*exec.ExitError); ok {
		return exit.ExitCode()
	}
	t.Fatal(err)
	return -1
}
