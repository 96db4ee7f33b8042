package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/client/mock/mocktest"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/ui"
	"github.com/charmbracelet/x/exp/golden"
)

// exampleSession is the session file the README shows, at the top of the
// repository.
var exampleSession = filepath.Join("..", "..", "testdata", "session.example.json")

// exampleCustomers is the README's batch file.
var exampleCustomers = filepath.Join("..", "..", "testdata", "customers.example.csv")

// testAPIKey is the key the tests pass; no output may ever contain it.
const testAPIKey = "sk_test_DO_NOT_PRINT_9f8e7d6c5b4a"

// cliResult is what one run of the command printed and returned.
type cliResult struct {
	code           int
	stdout, stderr string
}

func (r cliResult) String() string {
	return "exit " + strconv.Itoa(r.code) + "\n--- stdout\n" + r.stdout + "--- stderr\n" + r.stderr
}

// cli is one way to run the command: its environment, stdin and terminals.
type cli struct {
	t        *testing.T
	env      map[string]string
	stdin    io.Reader
	terminal bool // stdin and stdout are terminals
	// stderrTerminal: stderr is a terminal (where batch draws its bar).
	stderrTerminal bool
	wizard         func(context.Context, ui.Options) (ui.Outcome, error)
	ctx            context.Context
	configured     func(*app)
	// xdgConfig and xdgState are the test's own XDG homes, used unless env
	// names others: no test writes the real home's files.
	xdgConfig, xdgState string
}

func newCLI(t *testing.T) *cli {
	t.Helper()
	root := t.TempDir()
	return &cli{t: t, env: map[string]string{}, stdin: strings.NewReader(""),
		xdgConfig: filepath.Join(root, "config"), xdgState: filepath.Join(root, "state")}
}

// getenv reads the test's environment, with its XDG homes by default.
func (c *cli) getenv(k string) string {
	if v, ok := c.env[k]; ok {
		return v
	}
	switch k {
	case "XDG_CONFIG_HOME":
		return c.xdgConfig
	case "XDG_STATE_HOME":
		return c.xdgState
	}
	return ""
}

func (c *cli) run(args ...string) cliResult {
	c.t.Helper()
	var stdout, stderr bytes.Buffer
	streams := &IOStreams{In: c.stdin, Out: &stdout, ErrOut: &stderr, stdinTTY: c.terminal, stdoutTTY: c.terminal, stderrTTY: c.stderrTerminal}
	a := newApp(streams, c.getenv)
	a.wizard = c.wizard
	if a.wizard == nil {
		a.wizard = func(context.Context, ui.Options) (ui.Outcome, error) {
			c.t.Errorf("the wizard was started for %q", args)
			return ui.Outcome{}, nil
		}
	}
	if c.configured != nil {
		c.configured(a)
	}
	ctx := c.ctx
	if ctx == nil {
		ctx = c.t.Context()
	}
	code := a.run(ctx, args)
	r := cliResult{code: code, stdout: stdout.String(), stderr: stderr.String()}
	if strings.Contains(r.stdout+r.stderr, testAPIKey) {
		c.t.Errorf("the API key was printed:\n%s", r)
	}
	return r
}

// requireGolden compares got with testdata/<test name>.golden (go test
// -update rewrites it), once the platform the User-Agent names is taken
// out; it never writes a golden file holding the API key.
func requireGolden(t *testing.T, got string) {
	t.Helper()
	got = strings.ReplaceAll(got, runtime.GOOS+"/"+runtime.GOARCH, "GOOS/GOARCH")
	if strings.Contains(got, testAPIKey) {
		t.Fatalf("refusing a golden file holding the API key")
	}
	golden.RequireEqual(t, []byte(got))
}

func TestVersionFlag(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.configured = func(a *app) { a.version = buildVersion{short: "v1.2.3"} }
	r := c.run("--version")
	if r.code != exitOK || r.stdout != "vault-session v1.2.3\n" || r.stderr != "" {
		t.Fatalf("--version:\n%s", r)
	}
}

func TestUnknownFlagAndCommandAreUsageErrors(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"--no-such-flag"},
		{"create", "--no-such-flag"},
		{"create", "--show-logs=maybe"},
		{"create", "--custom-consumer-settings", "[1]"},
		{"create", "stray-argument"},
		{"frobnicate"},
		{"create", "--output", "yaml"},
		{"create", "--output", "curl"}, // curl only describes a dry run
		{"create", "--demo", "--base-url", "http://127.0.0.1:1"},
		{"create", "--base-url", "ftp://example.com", "--api-key", testAPIKey},
		{"preview", "--width", "-3"},
		{"preview", "--color", "sometimes"},
	} {
		r := newCLI(t).run(args...)
		if r.code != exitUsage || r.stdout != "" || !strings.HasPrefix(r.stderr, "vault-session: ") {
			t.Errorf("%q: want exit 2 with the reason on stderr\n%s", args, r)
		}
	}
}

// TestOutputNamesTheFormatsOfItsCommand: every command reads --output the
// same way (case and spaces aside) and, refused, names its own formats.
func TestOutputNamesTheFormatsOfItsCommand(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"create", "--output", "yaml"}, `--output "yaml": use text, json or curl`},
		{[]string{"create", "--output", "curl"}, "--output curl only goes with --dry-run"},
		{[]string{"batch", "--output", "curl", "rows.csv"}, `--output "curl": use text, jsonl or json`},
		{[]string{"history", "--output", "jsonl"}, `--output "jsonl": use text or json`},
		{[]string{"audit", "--output", "jsonl"}, `--output "jsonl": use text or json`},
		{[]string{"connections", "--output", "jsonl"}, `--output "jsonl": use text or json`},
		{[]string{"connections", "validate", "--output", "jsonl"}, `--output "jsonl": use text or json`},
		{[]string{"consumers", "show", "x", "--output", "jsonl"}, `--output "jsonl": use text or json`},
		{[]string{"watch", "--output", "json"}, `--output "json": use text or jsonl`},
		{[]string{"consumers", "list", "--output", "yaml"}, `--output "yaml": use text, json or jsonl`},
		{[]string{"logs", "--output", "yaml"}, `--output "yaml": use text, jsonl or json`},
		{[]string{"health", "--output", "yaml"}, `--output "yaml": use text, jsonl or json`},
	} {
		r := newCLI(t).run(tc.args...)
		if r.code != exitUsage || r.stdout != "" || !strings.HasPrefix(r.stderr, "vault-session: "+tc.want) {
			t.Errorf("%q: want exit 2 and %q\n%s", tc.args, tc.want, r)
		}
	}
	r := newCLI(t).run("history", "--output", " JSON ")
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "[") {
		t.Errorf("--output \" JSON \" is json:\n%s", r)
	}
}

func TestInvalidSessionListsEveryField(t *testing.T) {
	t.Parallel()
	r := newCLI(t).run("create", "--api-key", testAPIKey, "--app-id", "app", "--consumer-id", "c",
		"--email", "not-an-email", "--primary-color", "#12345", "--unified-apis", "crm,telepathy",
		"--session-length", "2w")
	if r.code != exitUsage || r.stdout != "" {
		t.Fatalf("want exit 2 and nothing on stdout:\n%s", r)
	}
	for _, field := range []string{
		"  consumer_metadata.email: ",
		"  settings.unified_apis[1]: ",
		"  settings.session_length: ",
		"  theme.primary_color: ",
	} {
		if !strings.Contains(r.stderr, "\n"+field) {
			t.Errorf("stderr does not list %q:\n%s", field, r.stderr)
		}
	}
	if strings.Contains(r.stderr, "unified_apis[0]") {
		t.Errorf("crm is valid but was listed:\n%s", r.stderr)
	}
}

func TestMissingHeadersAreListedWithWhereToSetThem(t *testing.T) {
	t.Parallel()
	r := newCLI(t).run("create", "--api-key", testAPIKey)
	want := "vault-session: the session is not valid:\n" +
		"  app_id: app ID is required (--app-id or APIDECK_APP_ID)\n" +
		"  consumer_id: consumer ID is required (--consumer-id or APIDECK_CONSUMER_ID)\n"
	if r.code != exitUsage || r.stderr != want {
		t.Fatalf("got\n%s\nwant stderr\n%s", r, want)
	}
}

func TestCreateWithoutKeyAsksForOneOrDemo(t *testing.T) {
	t.Parallel()
	r := newCLI(t).run("create", "--app-id", "a", "--consumer-id", "c")
	if r.code != exitUsage || !strings.Contains(r.stderr, "--api-key") || !strings.Contains(r.stderr, "--demo") {
		t.Fatalf("want exit 2 naming --api-key and --demo:\n%s", r)
	}
}

func TestBadSessionFileIsUsageErrorWithPosition(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "s.json")
	if err := os.WriteFile(path, []byte("{\n  \"settings\": {\"show_logz\": true}\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := newCLI(t).run("create", "--demo", "--from", path)
	if r.code != exitUsage || !strings.Contains(r.stderr, path+": line ") || !strings.Contains(r.stderr, "show_logz") {
		t.Fatalf("want exit 2 naming the file, line and key:\n%s", r)
	}
	r = newCLI(t).run("create", "--demo", "--from", filepath.Join(dir, "missing.json"))
	if r.code != exitUsage || !strings.Contains(r.stderr, "missing.json") {
		t.Fatalf("missing file: want exit 2 naming it:\n%s", r)
	}
}

func TestNoTerminalAndNoFromStopsWithoutReading(t *testing.T) {
	t.Parallel()
	// stdin never delivers anything: reading it would hang the test.
	pr, pw := io.Pipe()
	defer pw.Close()
	c := newCLI(t)
	c.stdin = pr
	done := make(chan cliResult, 1)
	go func() { done <- c.run("--email", "jane@acme.example") }()
	select {
	case r := <-done:
		if r.code != exitUsage || r.stdout != "" {
			t.Fatalf("want exit 2:\n%s", r)
		}
		// No key and no --base-url: the wizard would have run on the demo,
		// and so do the commands suggested instead.
		for _, want := range []string{"terminal", "vault-session create --demo --from"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("stderr does not mention %q:\n%s", want, r.stderr)
			}
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the command waited for input without a terminal")
	}
}

// fixedNow is the clock of the tests' mock API and of the command.
var fixedNow = time.Date(2026, 11, 26, 14, 4, 0, 0, time.UTC)

// startAPI serves a fresh mock Vault API for one test; the command is
// pointed at it with --base-url.
func startAPI(t *testing.T, opts ...mock.Option) (*mock.Server, string) {
	t.Helper()
	// It stands in for Apideck's API, so it does not say it is a demo.
	return mocktest.Start(t, append([]mock.Option{mock.WithFixedTime(fixedNow), mock.WithoutDemoHeader()}, opts...)...)
}

// clockedAPI is a mock API and a command line sharing one stepped clock:
// what the API's scripts and seeds do in minutes happens at once.
type clockedAPI struct {
	clock *mock.Clock
	api   *mock.Server
	base  string
	cli   *cli
}

// newClockedAPI starts the API with opts; configure sets the rest of the
// command's app.
func newClockedAPI(t *testing.T, configure func(*app), opts ...mock.Option) clockedAPI {
	c := clockedAPI{clock: mock.NewClock(fixedNow)}
	c.api, c.base = mocktest.Start(t, append([]mock.Option{mock.WithClock(c.clock.Now)}, opts...)...)
	c.cli = newCLI(t)
	c.cli.configured = func(a *app) {
		a.now, a.sleep = c.clock.Now, c.clock.Sleep
		configure(a)
	}
	return c
}

// answering serves one answer to every request, for a test's whole run
// (or until it closes the server): the status, the Content-Type (none
// when empty) and the body.
func answering(t *testing.T, status int, contentType, body string) *httptest.Server {
	t.Helper()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(hs.Close)
	return hs
}

// onlyRequest returns the one request the mock received.
func onlyRequest(t *testing.T, srv *mock.Server) mock.Request {
	t.Helper()
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("the API received %d requests, want 1", len(reqs))
	}
	return reqs[0]
}

func newTestCLI(t *testing.T) *cli {
	c := newCLI(t)
	c.configured = func(a *app) {
		a.now = func() time.Time { return fixedNow.Add(2 * time.Second) }
		a.version = buildVersion{short: "v0.0.0-test"}
	}
	return c
}

func TestCreatePrintsURLOnStdoutAndExpiryOnStderr(t *testing.T) {
	t.Parallel()
	srv, base := startAPI(t)
	r := newTestCLI(t).run("create", "--base-url", base, "--api-key", testAPIKey,
		"--app-id", "app-1", "--consumer-id", "consumer-1", "--unified-apis", "crm, hris")
	if r.code != exitOK {
		t.Fatalf("want exit 0:\n%s", r)
	}
	url := strings.TrimSuffix(r.stdout, "\n")
	if !strings.HasPrefix(url, base+"/session/") || strings.Contains(url, "\n") {
		t.Fatalf("stdout should be the session URL alone:\n%s", r)
	}
	if want := "expires 2026-11-26 15:04 UTC (in 1h)\n"; r.stderr != want {
		t.Errorf("stderr = %q, want %q", r.stderr, want)
	}
	got := onlyRequest(t, srv)
	if got.APIKey != testAPIKey || got.Header.Get("x-apideck-app-id") != "app-1" || got.Header.Get("x-apideck-consumer-id") != "consumer-1" {
		t.Errorf("credentials sent: key ok=%t app=%q consumer=%q", got.APIKey == testAPIKey,
			got.Header.Get("x-apideck-app-id"), got.Header.Get("x-apideck-consumer-id"))
	}
	if got.Session == nil || strings.Join(got.Session.Settings.UnifiedAPIs, ",") != "crm,hris" {
		t.Errorf("body sent: %s", got.Body)
	}
}

func TestCreateOutputJSON(t *testing.T) {
	t.Parallel()
	srv, base := startAPI(t)
	r := newTestCLI(t).run("create", "--base-url", base, "--api-key", testAPIKey,
		"--app-id", "app-1", "--consumer-id", "consumer-1", "--session-length", "30m", "--output", "json")
	if r.code != exitOK || r.stderr != "" {
		t.Fatalf("want exit 0 and a quiet stderr:\n%s", r)
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, r.stdout)
	}
	keys := make([]string, 0, len(out))
	for k := range out {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if strings.Join(keys, ",") != "demo,expires_at,token,url" {
		t.Fatalf("keys = %v, want demo, expires_at, token, url", keys)
	}
	token, _ := out["token"].(string)
	if _, err := srv.VerifyToken(token); err != nil {
		t.Errorf("token is not the one the API issued: %v", err)
	}
	if url, _ := out["url"].(string); url != base+"/session/"+token {
		t.Errorf("url = %q", url)
	}
	if out["expires_at"] != "2026-11-26T14:34:00Z" || out["demo"] != false {
		t.Errorf("expires_at = %v, demo = %v; want 2026-11-26T14:34:00Z, false", out["expires_at"], out["demo"])
	}
}

func TestAPIErrorsExitOneWithTheAPIsWords(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		status int
		opts   []mock.Option
	}{
		{name: "error-401", opts: []mock.Option{mock.WithAPIKey("sk_live_the_right_one")}},
		{name: "error-422", status: http.StatusUnprocessableEntity},
		{name: "error-402", status: http.StatusPaymentRequired},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, base := startAPI(t, tc.opts...)
			if tc.status != 0 {
				srv.FailNext(tc.status, 1)
			}
			r := newTestCLI(t).run("create", "--base-url", base, "--api-key", testAPIKey, "--app-id", "a", "--consumer-id", "c")
			if r.code != exitError || r.stdout != "" {
				t.Fatalf("want exit 1 and nothing on stdout:\n%s", r)
			}
			if !strings.Contains(r.stderr, "  ref: https://developers.apideck.com/errors#") {
				t.Errorf("the API's ref is missing:\n%s", r.stderr)
			}
			requireGolden(t, r.stderr)
		})
	}
}

func TestNetworkErrorExitsOne(t *testing.T) {
	t.Parallel()
	hs := httptest.NewServer(http.NotFoundHandler())
	base := hs.URL
	hs.Close() // nothing listens there any more
	c := newTestCLI(t)
	c.configured = func(a *app) {
		a.clientOptions = []client.Option{client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 1})}
	}
	r := c.run("create", "--base-url", base, "--api-key", testAPIKey, "--app-id", "a", "--consumer-id", "c")
	if r.code != exitError || !strings.Contains(r.stderr, "could not reach "+base) {
		t.Fatalf("want exit 1 naming the address:\n%s", r)
	}
}

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestFlagsOverrideTheFile(t *testing.T) {
	t.Parallel()
	srv, base := startAPI(t)
	file := writeFile(t, "s.json", `{
		"consumer_metadata": {"email": "file@acme.example", "user_name": "From File"},
		"settings": {"show_logs": true, "unified_apis": ["ats"], "allow_actions": ["delete"]},
		"theme": {"primary_color": "red"}
	}`)
	r := newTestCLI(t).run("create", "--base-url", base, "--api-key", testAPIKey, "--app-id", "a", "--consumer-id", "c",
		"--from", file, "--email", "flag@acme.example", "--show-logs=false", "--sandbox",
		"--unified-apis", "crm", "--allow-actions", "none", "--primary-color", "#ABC")
	if r.code != exitOK {
		t.Fatalf("want exit 0:\n%s", r)
	}
	var body map[string]any
	if err := json.Unmarshal(onlyRequest(t, srv).Body, &body); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"consumer_metadata": map[string]any{"email": "flag@acme.example", "user_name": "From File"},
		"settings": map[string]any{"show_logs": false, "sandbox_mode": true,
			"unified_apis": []any{"crm"}, "allow_actions": []any{}},
		"theme": map[string]any{"primary_color": "#aabbcc"},
	}
	if !reflect.DeepEqual(body, want) {
		t.Errorf("body sent:\n%v\nwant:\n%v", body, want)
	}
}

func TestUnsetBooleansAndActionsAreNotSent(t *testing.T) {
	t.Parallel()
	srv, base := startAPI(t)
	r := newTestCLI(t).run("create", "--base-url", base, "--api-key", testAPIKey, "--app-id", "a", "--consumer-id", "c",
		"--vault-name", "Acme")
	if r.code != exitOK {
		t.Fatalf("want exit 0:\n%s", r)
	}
	if body := string(onlyRequest(t, srv).Body); body != `{"theme":{"vault_name":"Acme"}}` {
		t.Errorf("body sent: %s", body)
	}
}

func TestSessionFromStdin(t *testing.T) {
	t.Parallel()
	srv, base := startAPI(t)
	c := newTestCLI(t)
	c.stdin = strings.NewReader(`{"consumer_metadata": {"account_name": "Stdin Ltd"}}`)
	r := c.run("create", "--from", "-", "--base-url", base, "--api-key", testAPIKey, "--app-id", "a", "--consumer-id", "c")
	if r.code != exitOK {
		t.Fatalf("want exit 0:\n%s", r)
	}
	if s := onlyRequest(t, srv).Session; s == nil || s.ConsumerMetadata.AccountName != "Stdin Ltd" {
		t.Errorf("session sent: %+v", s)
	}
}

func TestCredentialsComeFromFlagsThenEnvironment(t *testing.T) {
	t.Parallel()
	srv, base := startAPI(t)
	c := newTestCLI(t)
	c.env = map[string]string{
		envAPIKey: testAPIKey, envAppID: "env-app", envConsumerID: "env-consumer", envBaseURL: base,
	}
	if r := c.run("create"); r.code != exitOK {
		t.Fatalf("env only: want exit 0:\n%s", r)
	}
	got := onlyRequest(t, srv)
	if got.APIKey != testAPIKey || got.Header.Get("x-apideck-app-id") != "env-app" || got.Header.Get("x-apideck-consumer-id") != "env-consumer" {
		t.Errorf("from the environment: app=%q consumer=%q", got.Header.Get("x-apideck-app-id"), got.Header.Get("x-apideck-consumer-id"))
	}

	other, otherBase := startAPI(t)
	if r := c.run("create", "--consumer-id", "flag-consumer", "--base-url", otherBase); r.code != exitOK {
		t.Fatalf("flags over env: want exit 0:\n%s", r)
	}
	got = onlyRequest(t, other)
	if got.Header.Get("x-apideck-consumer-id") != "flag-consumer" || got.Header.Get("x-apideck-app-id") != "env-app" {
		t.Errorf("flag should win for the consumer, env still give the app: app=%q consumer=%q",
			got.Header.Get("x-apideck-app-id"), got.Header.Get("x-apideck-consumer-id"))
	}
	if len(srv.Requests()) != 1 {
		t.Errorf("--base-url should have beaten %s", envBaseURL)
	}

	// An empty flag still wins: a script can blank an inherited key.
	if r := c.run("create", "--api-key="); r.code != exitUsage || !strings.Contains(r.stderr, "no API key") {
		t.Errorf("--api-key= should blank the environment's key:\n%s", r)
	}
}

func TestDryRunGoldens(t *testing.T) {
	t.Parallel()
	for _, format := range []string{"text", "curl", "json"} {
		t.Run(format, func(t *testing.T) {
			c := newTestCLI(t)
			c.env = map[string]string{envAPIKey: testAPIKey + "-from-env"}
			r := c.run("create", "--dry-run", "--output", format, "--api-key", testAPIKey,
				"--app-id", "app-123", "--consumer-id", "consumer-42",
				"--from", exampleSession,
				"--email", "override@acme.example", "--primary-color", "RebeccaPurple")
			if r.code != exitOK || r.stderr != "" {
				t.Fatalf("want exit 0 and a quiet stderr:\n%s", r)
			}
			requireGolden(t, r.stdout)
		})
	}
}

func TestDryRunSendsNothing(t *testing.T) {
	t.Parallel()
	srv, base := startAPI(t)
	r := newTestCLI(t).run("create", "--dry-run", "--base-url", base, "--api-key", testAPIKey, "--app-id", "a", "--consumer-id", "c")
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "POST "+base+"/vault/sessions\n") {
		t.Fatalf("want the request on stdout:\n%s", r)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("a dry run sent %d requests", n)
	}
}

func TestDemoFlagUsesTheBuiltInAPI(t *testing.T) {
	t.Parallel()
	c := newTestCLI(t)
	c.env = map[string]string{envBaseURL: "https://unify.apideck.com"} // ignored with --demo
	r := c.run("create", "--demo", "--output", "json")
	if r.code != exitOK || r.stderr != demoNotice+"\n" {
		t.Fatalf("want exit 0 and the demo notice:\n%s", r)
	}
	var out createdJSON
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatal(err)
	}
	if !out.Demo || !strings.HasPrefix(out.URL, "http://127.0.0.1:") || out.Token == "" {
		t.Errorf("demo result: %+v", out)
	}
	claims, err := client.DecodeJWTClaims(out.Token)
	if err != nil {
		t.Fatal(err)
	}
	if claims["application_id"] != demoAppID || claims["consumer_id"] != demoConsumerID {
		t.Errorf("demo defaults not sent: %v", claims)
	}
}

func TestBareCommandWithoutTerminalCreatesFromFileOnTheDemo(t *testing.T) {
	t.Parallel()
	r := newTestCLI(t).run("--from", exampleSession)
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "http://127.0.0.1:") {
		t.Fatalf("want exit 0 and a demo URL:\n%s", r)
	}
	if !strings.Contains(r.stderr, demoNotice) || !strings.Contains(r.stderr, "no terminal") {
		t.Errorf("stderr should say why there is no wizard and that this is a demo:\n%s", r.stderr)
	}

	// With a key, the same command goes to the API it names.
	srv, base := startAPI(t)
	c := newTestCLI(t)
	c.env = map[string]string{envAPIKey: testAPIKey, envAppID: "a", envConsumerID: "c", envBaseURL: base}
	r = c.run("--from", exampleSession)
	if r.code != exitOK || strings.Contains(r.stderr, "DEMO") || len(srv.Requests()) != 1 {
		t.Fatalf("want the session created on %s:\n%s", base, r)
	}
}

func TestCancelledBeforeSendingExits130(t *testing.T) {
	t.Parallel()
	srv, base := startAPI(t)
	c := newTestCLI(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	c.ctx = ctx
	r := c.run("create", "--base-url", base, "--api-key", testAPIKey, "--app-id", "a", "--consumer-id", "c")
	if r.code != exitInterrupted || r.stdout != "" || !strings.Contains(r.stderr, "interrupted") {
		t.Fatalf("want exit 130:\n%s", r)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent after the interrupt", n)
	}
}

func TestInterruptDuringRequestCancelsIt(t *testing.T) {
	t.Parallel()
	srv := mock.New()
	srv.Script(mock.Answer{Delay: time.Hour}) // answers only if never cancelled
	arrived := make(chan struct{}, 1)
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		srv.ServeHTTP(w, r)
	}))
	defer hs.Close()

	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		<-arrived
		cancel()
	}()
	c := newTestCLI(t)
	c.ctx = ctx
	r := c.run("create", "--base-url", hs.URL, "--api-key", testAPIKey, "--app-id", "a", "--consumer-id", "c")
	if r.code != exitInterrupted || r.stdout != "" {
		t.Fatalf("want exit 130:\n%s", r)
	}
}

// fakeWizard records the options the wizard was started with.
type fakeWizard struct {
	opts    ui.Options
	outcome func(ui.Options) (ui.Outcome, error)
}

func (f *fakeWizard) run(_ context.Context, opts ui.Options) (ui.Outcome, error) {
	f.opts = opts
	return f.outcome(opts)
}

func TestWizardStartsOnTerminalsWithThePrefilledRequest(t *testing.T) {
	t.Parallel()
	srv, base := startAPI(t)
	fw := &fakeWizard{outcome: func(opts ui.Options) (ui.Outcome, error) {
		res, err := opts.Client.Create(t.Context(), client.Credentials{APIKey: opts.APIKey,
			AppID: opts.Request.AppID, ConsumerID: opts.Request.ConsumerID}, opts.Request.Session)
		return ui.Outcome{Sessions: []ui.CreatedSession{{ConsumerID: opts.Request.ConsumerID, Result: res}}}, err
	}}
	c := newTestCLI(t)
	c.terminal = true
	c.wizard = fw.run
	c.env = map[string]string{envAPIKey: testAPIKey, envAppID: "env-app", envBaseURL: base}
	r := c.run("--from", exampleSession, "--consumer-id", "cons-9", "--vault-name", "Flag Vault")
	if r.code != exitOK {
		t.Fatalf("want exit 0:\n%s", r)
	}
	o := fw.opts
	if o.APIKeySource != envAPIKey {
		t.Errorf("APIKeySource = %q, want %s: the wizard says where the key came from", o.APIKeySource, envAPIKey)
	}
	if o.APIKey != testAPIKey || o.Request.AppID != "env-app" || o.Request.ConsumerID != "cons-9" || o.ForceDemo {
		t.Errorf("credentials: app=%q consumer=%q forceDemo=%t key ok=%t", o.Request.AppID, o.Request.ConsumerID, o.ForceDemo, o.APIKey == testAPIKey)
	}
	if o.Request.Session.Theme.VaultName != "Flag Vault" || o.Request.Session.ConsumerMetadata.AccountName != "Acme Corporation" {
		t.Errorf("session not prefilled from file and flags: %+v", o.Request.Session)
	}
	if o.Client == nil || o.Client.BaseURL() != base || o.DemoClient == nil || o.Version == "" || o.In == nil || o.Out == nil || o.Getenv == nil {
		t.Errorf("options incomplete: %+v", o)
	}
	onlyRequest(t, srv)
	if lines := strings.Split(r.stdout, "\n"); len(lines) != 3 || lines[0] != "cons-9 · expires 2026-11-26 15:04 UTC (in 1h)" ||
		!strings.HasPrefix(lines[1], base+"/session/") || strings.Contains(r.stdout+r.stderr, "DEMO") {
		t.Errorf("the created URL should be printed after the wizard:\n%s", r)
	}
}

// TestWizardOffersOnlyTheNamedConsumersDraft: --from, --preset and
// --consumer-id tell the wizard to offer no draft of another consumer;
// APIDECK_CONSUMER_ID and no flag at all do not.
func TestWizardOffersOnlyTheNamedConsumersDraft(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		env  map[string]string
		said bool
	}{
		{args: []string{"--consumer-id", "initech-3"}, said: true},
		{args: []string{"--from", exampleSession}, said: true},
		{args: nil, said: false},
		{args: nil, env: map[string]string{envConsumerID: "initech-3"}, said: false},
	} {
		fw := &fakeWizard{outcome: func(ui.Options) (ui.Outcome, error) { return ui.Outcome{}, nil }}
		c := newTestCLI(t)
		c.terminal = true
		c.wizard = fw.run
		c.env = tc.env
		if r := c.run(append([]string{"--demo"}, tc.args...)...); r.code != exitOK {
			t.Fatalf("%v: want exit 0:\n%s", tc.args, r)
		}
		if fw.opts.SaidOnCommandLine != tc.said {
			t.Errorf("%v %v: SaidOnCommandLine = %t, want %t", tc.args, tc.env, fw.opts.SaidOnCommandLine, tc.said)
		}
	}
}

func TestWizardDemoClientStartsTheDemoOnlyWhenUsed(t *testing.T) {
	t.Parallel()
	var demoURL string
	fw := &fakeWizard{outcome: func(opts ui.Options) (ui.Outcome, error) {
		if opts.Client != nil && !opts.ForceDemo {
			t.Errorf("--demo: Client = %v, want nil with ForceDemo", opts.Client)
		}
		// The user typed a key; the demo must not receive it.
		res, err := opts.DemoClient.Create(t.Context(), client.Credentials{APIKey: testAPIKey,
			AppID: opts.Request.AppID, ConsumerID: opts.Request.ConsumerID}, opts.Request.Session)
		if err != nil {
			return ui.Outcome{}, err
		}
		demoURL = res.URL
		return ui.Outcome{Sessions: []ui.CreatedSession{{ConsumerID: "c1", Result: res, BuiltInDemo: true}}}, nil
	}}
	c := newTestCLI(t)
	c.terminal = true
	c.wizard = fw.run
	r := c.run("--demo")
	if r.code != exitOK || !strings.HasSuffix(r.stdout, "\n"+demoURL+"\n") || r.stderr != (&app{selfName: "vault-session"}).demoExitNotice(1)+"\n" {
		t.Fatalf("want the demo URL and the notice:\n%s", r)
	}
	if !strings.HasPrefix(r.stderr, "DEMO: This link was made by the built-in demo API, which stopped when vault-session ended: it no longer opens.\n") {
		t.Errorf("one link is spoken of in the singular:\n%s", r.stderr)
	}
	if fw.opts.Request.AppID != demoAppID || fw.opts.Request.ConsumerID != demoConsumerID {
		t.Errorf("--demo should prefill the demo IDs: %+v", fw.opts.Request)
	}

	// Unused, the demo client starts nothing.
	d := mock.NewDemo()
	_ = demoClient(d, "test")
	if d.Started() {
		t.Error("making a demo client started the demo server")
	}
	d.Close()
	once := client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 1})
	if _, err := demoClient(d, "test", once).Create(t.Context(), client.Credentials{AppID: "a", ConsumerID: "c"}, model.Session{}); err == nil || d.Started() {
		t.Errorf("a closed demo must not start: err=%v started=%t", err, d.Started())
	}
}

func TestWizardInterruptedExits130(t *testing.T) {
	t.Parallel()
	c := newTestCLI(t)
	c.terminal = true
	c.wizard = (&fakeWizard{outcome: func(ui.Options) (ui.Outcome, error) { return ui.Outcome{Interrupted: true}, nil }}).run
	if r := c.run(); r.code != exitInterrupted || r.stdout != "" {
		t.Fatalf("want exit 130:\n%s", r)
	}
}

func TestWizardRefusesStdinAsTheSessionFile(t *testing.T) {
	t.Parallel()
	c := newTestCLI(t)
	c.terminal = true
	if r := c.run("--from", "-"); r.code != exitUsage || !strings.Contains(r.stderr, "give a file") {
		t.Fatalf("want exit 2:\n%s", r)
	}
}

func TestWizardWithoutAnyKeyStartsWithTheDemoIDs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name          string
		env           map[string]string
		app, consumer string
	}{
		{"nothing set", nil, demoAppID, demoConsumerID},
		{"app ID set", map[string]string{envAppID: "my-app"}, "my-app", demoConsumerID},
		{"key set", map[string]string{envAPIKey: testAPIKey}, "", ""},
		{"endpoint set", map[string]string{envBaseURL: "https://api.example.com"}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fw := &fakeWizard{outcome: func(ui.Options) (ui.Outcome, error) { return ui.Outcome{}, nil }}
			c := newTestCLI(t)
			c.terminal = true
			c.wizard = fw.run
			c.env = tc.env
			if r := c.run(); r.code != exitOK || r.stdout != "" {
				t.Fatalf("want exit 0 and no URL (none created):\n%s", r)
			}
			got := fw.opts.Request
			if got.AppID != tc.app || got.ConsumerID != tc.consumer || fw.opts.ForceDemo {
				t.Errorf("app %q consumer %q forceDemo %t; want %q %q false", got.AppID, got.ConsumerID, fw.opts.ForceDemo, tc.app, tc.consumer)
			}
		})
	}
}

func TestKeyThatNoHeaderCanCarryIsAUsageError(t *testing.T) {
	t.Parallel()
	srv, base := startAPI(t)
	c := newTestCLI(t)
	c.env = map[string]string{envAPIKey: testAPIKey + "\nsecond-line"}
	r := c.run("create", "--base-url", base, "--app-id", "a", "--consumer-id", "c")
	if r.code != exitUsage || !strings.Contains(r.stderr, "API key") || strings.Contains(r.stderr, "second-line") {
		t.Fatalf("want exit 2 naming the key, not showing it:\n%s", r)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// A create that has to retry says so on stderr, then succeeds.
func TestCreateReportsRetriesOnStderr(t *testing.T) {
	t.Parallel()
	srv, base := startAPI(t)
	srv.FailNext(http.StatusServiceUnavailable, 1)
	c := newTestCLI(t)
	configured := c.configured
	c.configured = func(a *app) {
		configured(a)
		a.clientOptions = append(a.clientOptions, client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 2, InitialWait: time.Millisecond}))
	}
	r := c.run("create", "--base-url", base, "--api-key", testAPIKey, "--app-id", "a", "--consumer-id", "c")
	if r.code != exitOK || !strings.HasPrefix(r.stdout, base+"/session/") {
		t.Fatalf("want the URL after a retry:\n%s", r)
	}
	if !strings.Contains(r.stderr, "vault-session: attempt 1 of 2 failed: 503 Service Unavailable") ||
		!strings.Contains(r.stderr, "trying again in 1ms") {
		t.Errorf("the retry is not reported:\n%s", r.stderr)
	}
}

// Every session the wizard created is listed once its screen is gone, with
// who it is for and until when, each URL whole on its own line.
func TestWizardListsEverySessionCreated(t *testing.T) {
	t.Parallel()
	at := func(h int) client.Result {
		return client.Result{URL: fmt.Sprintf("https://vault.apideck.com/session/tok%d", h), ExpiresAt: fixedNow.Add(time.Duration(h) * time.Hour)}
	}
	sessions := []ui.CreatedSession{
		{ConsumerID: "acme-42", AccountName: "Acme Inc", Result: at(1)},
		{ConsumerID: "globex\x1b[31m", AccountName: "", Result: at(24)},
	}
	want := "2 sessions created:\n\n" +
		"acme-42 · Acme Inc · expires 2026-11-26 15:04 UTC (in 1h)\n" +
		"https://vault.apideck.com/session/tok1\n\n" +
		"globex\\x1b[31m · expires 2026-11-27 14:04 UTC (in 1d)\n" +
		"https://vault.apideck.com/session/tok24\n"
	// The plain prompts end as the full screen does.
	for _, mode := range [][]string{nil, {"--accessible"}} {
		for _, interrupted := range []bool{false, true} {
			c := newTestCLI(t)
			c.terminal = true
			c.configured = func(a *app) { a.now = func() time.Time { return fixedNow } }
			c.wizard = (&fakeWizard{outcome: func(ui.Options) (ui.Outcome, error) {
				return ui.Outcome{Sessions: sessions, Interrupted: interrupted}, nil
			}}).run
			r := c.run(mode...)
			if r.stdout != want {
				t.Errorf("%v interrupted=%v: stdout\n%s\nwant\n%s", mode, interrupted, r.stdout, want)
			}
			if !interrupted && (r.code != exitOK || r.stderr != "") {
				t.Errorf("%v quit: want exit 0 and a quiet stderr:\n%s", mode, r)
			}
			// Ctrl+C after creating sessions: 130, and nothing says none was made.
			if interrupted && (r.code != exitInterrupted || strings.Contains(r.stderr, "no session") ||
				!strings.Contains(r.stderr, "the 2 sessions created before are listed above")) {
				t.Errorf("%v ctrl+c: want exit 130 and the listing:\n%s", mode, r)
			}
		}
	}
}

// Demo links die with the process: the exit text says so, and how to get
// links that last, after the full screen and the plain prompts alike.
func TestWizardSaysDemoLinksStoppedWorking(t *testing.T) {
	t.Parallel()
	for _, mode := range [][]string{nil, {"--accessible"}} {
		c := newTestCLI(t)
		c.terminal = true
		c.wizard = (&fakeWizard{outcome: func(ui.Options) (ui.Outcome, error) {
			return ui.Outcome{Interrupted: true, Sessions: []ui.CreatedSession{
				{ConsumerID: "a", Result: client.Result{URL: "http://127.0.0.1:1/session/x", Demo: true}, BuiltInDemo: true},
				{ConsumerID: "b", Result: client.Result{URL: "http://127.0.0.1:1/session/y", Demo: true}, BuiltInDemo: true},
			}}, nil
		}}).run
		r := c.run(mode...)
		for _, s := range []string{"a · DEMO\nhttp://127.0.0.1:1/session/x\n", "b · DEMO\nhttp://127.0.0.1:1/session/y\n"} {
			if !strings.Contains(r.stdout, s) {
				t.Errorf("%v: stdout lacks %q:\n%s", mode, s, r)
			}
		}
		for _, s := range []string{"These 2 links were made by the built-in demo API, which stopped when vault-session ended: they no longer open.",
			"vault-session demo-server", "--base-url http://127.0.0.1:8080", "the 2 sessions created before are listed above"} {
			if !strings.Contains(r.stderr, s) {
				t.Errorf("%v: stderr lacks %q:\n%s", mode, s, r)
			}
		}
	}
}
