package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/ui/lockedwriter"
)

func TestDemoServerServesUntilInterrupted(t *testing.T) {
	t.Parallel()
	outR, outW := io.Pipe()
	var stderr lockedwriter.Buffer
	a := newApp(&IOStreams{In: strings.NewReader(""), Out: outW, ErrOut: &stderr}, func(string) string { return "" })
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	code := make(chan int, 1)
	go func() {
		code <- a.run(ctx, []string{"demo-server", "--listen", "127.0.0.1:0"})
		outW.Close()
	}()

	line, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		t.Fatalf("no URL on stdout: %v (stderr: %s)", err, stderr.String())
	}
	base := strings.TrimSpace(line)
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("first stdout line = %q, want the server's URL", line)
	}

	c := client.New(client.WithBaseURL(base))
	res, err := c.Create(t.Context(), client.Credentials{APIKey: "any", AppID: "a", ConsumerID: "c"},
		model.Session{Theme: model.Theme{VaultName: "Demo"}})
	if err != nil {
		t.Fatalf("create on the demo server: %v", err)
	}
	if !strings.HasPrefix(res.URL, base+"/session/") {
		t.Errorf("session URL %q is not on the demo server", res.URL)
	}
	page, err := http.Get(res.URL)
	if err != nil {
		t.Fatal(err)
	}
	page.Body.Close()
	if page.StatusCode != http.StatusOK {
		t.Errorf("session page: %s", page.Status)
	}

	// `create` pointed at the demo server knows it made a demo session: the
	// demo API says so in a header, and the output says so to the script.
	r := newCLI(t).run("create", "--base-url", base, "--api-key", "demo", "--app-id", "a", "--consumer-id", "c", "--output", "json")
	var created map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &created); err != nil || r.code != exitOK {
		t.Fatalf("create on the demo server: exit %d, %v\n%s", r.code, err, r)
	}
	if created["demo"] != true || !strings.Contains(r.stderr, demoNotice) {
		t.Errorf("create on the demo server does not say it is a demo:\n%s", r)
	}

	cancel()
	select {
	case got := <-code:
		if got != exitOK {
			t.Errorf("exit %d after Ctrl+C, want 0", got)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("demo-server did not stop when its context ended")
	}
	log := stderr.String()
	for _, want := range []string{"DEMO API (not Apideck)", "POST /vault/sessions -> 200", "GET /session/[token] -> 200", "demo API stopped"} {
		if !strings.Contains(log, want) {
			t.Errorf("stderr lacks %q:\n%s", want, log)
		}
	}
	if strings.Contains(log, res.Token) {
		t.Errorf("the session token was logged:\n%s", log)
	}
}

func TestDemoServerBadAddressExitsOne(t *testing.T) {
	t.Parallel()
	r := newCLI(t).run("demo-server", "--listen", "256.0.0.1:99999")
	if r.code != exitError || !strings.Contains(r.stderr, "cannot listen on 256.0.0.1:99999") {
		t.Fatalf("want exit 1 naming the address:\n%s", r)
	}
}

func TestDemoNeverReceivesTheRealKey(t *testing.T) {
	t.Parallel()
	d := mock.NewDemo()
	defer d.Close()
	// The demo accepts any key but needs one; the user's is replaced.
	res, err := demoClient(d, "test").Create(t.Context(), client.Credentials{AppID: "a", ConsumerID: "c"}, model.Session{})
	if err != nil {
		t.Fatalf("demo without a key: %v", err)
	}
	if !d.Started() || !strings.HasPrefix(res.URL, "http://127.0.0.1:") {
		t.Fatalf("demo URL %q, started %t", res.URL, d.Started())
	}
}
