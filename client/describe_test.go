package client

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/apideck-samples/vault-session/model"
)

func TestDescribe(t *testing.T) {
	c := New(WithBaseURL("https://unify.apideck.com/"), WithVersion("0.9.0"))
	s := model.Session{
		RedirectURI: "https://mysaas.com/done?a=1&b=<2>",
		Settings:    model.Settings{SessionLength: "1w", ShowLogs: model.Bool(false)},
		Theme:       model.Theme{PrimaryColor: "#ABC"},
	}
	d, err := c.Describe(testCreds, s)
	if err != nil {
		t.Fatal(err)
	}
	if d.Method != "POST" || d.URL != "https://unify.apideck.com/vault/sessions" {
		t.Errorf("request line = %s %s", d.Method, d.URL)
	}
	wantHeaders := [][2]string{
		{"Authorization", "Bearer ${APIDECK_API_KEY}"},
		{"x-apideck-app-id", "app-123"},
		{"x-apideck-consumer-id", "consumer-42"},
		{"Content-Type", "application/json"},
		{"Accept", "application/json"},
		{"User-Agent", fmt.Sprintf("vault-session/0.9.0 (go; %s/%s)", runtime.GOOS, runtime.GOARCH)},
	}
	if !reflect.DeepEqual(d.Headers, wantHeaders) {
		t.Errorf("headers =\n%q\nwant\n%q", d.Headers, wantHeaders)
	}
	wantBody := `{
  "redirect_uri": "https://mysaas.com/done?a=1&b=<2>",
  "settings": {
    "session_length": "7d",
    "show_logs": false
  },
  "theme": {
    "primary_color": "#aabbcc"
  }
}`
	if string(d.Body) != wantBody {
		t.Errorf("body =\n%s\nwant\n%s", d.Body, wantBody)
	}
	if strings.Contains(fmt.Sprint(d), testKey) || strings.Contains(d.Curl(), testKey) {
		t.Error("the description shows the API key")
	}
}

func TestDescribeRefusesControlCharacters(t *testing.T) {
	if _, err := New().Describe(Credentials{AppID: "a\r\nb"}, model.Session{}); err == nil {
		t.Error("no error for a line break in the app ID")
	}
}

func TestCurlText(t *testing.T) {
	d := DescribedRequest{
		Method: "POST",
		URL:    "https://unify.apideck.com/vault/sessions",
		Headers: [][2]string{
			{"Authorization", RedactedAuthorization},
			{"x-apideck-app-id", "app"},
			{"User-Agent", "vault-session/1"},
		},
		Body: []byte("{\n  \"a\": \"it's\"\n}"),
	}
	want := `curl --request 'POST' 'https://unify.apideck.com/vault/sessions' \
  --header "Authorization: Bearer ${APIDECK_API_KEY}" \
  --header 'x-apideck-app-id: app' \
  --data-raw '{
  "a": "it'\''s"
}'`
	if got := d.Curl(); got != want {
		t.Errorf("Curl() =\n%s\nwant\n%s", got, want)
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                                "'plain'",
		"it's":                                 `'it'\''s'`,
		"":                                     "''",
		"Bearer ${APIDECK_API_KEY}":            `"Bearer ${APIDECK_API_KEY}"`,
		"$x ${APIDECK_API_KEY} it's":           `'$x '"${APIDECK_API_KEY}"' it'\''s'`,
		"${APIDECK_API_KEY}${APIDECK_API_KEY}": `"${APIDECK_API_KEY}${APIDECK_API_KEY}"`,
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestCurlPastesIntoAShell runs the command in sh with curl replaced by a
// function that prints its arguments, so quoting is checked by a shell.
func TestCurlPastesIntoAShell(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	c := New(WithBaseURL("https://unify.apideck.com"))
	s := model.Session{
		ConsumerMetadata:       model.ConsumerMetadata{AccountName: `O'Brien & "Sons" $HOME` + "`id`", UserName: `back\slash!`},
		CustomConsumerSettings: json.RawMessage(`{"quote":"'","dollar":"$(whoami)"}`),
	}
	creds := Credentials{APIKey: "never-shown", AppID: "app'id", ConsumerID: "c $1"}
	d, err := c.Describe(creds, s)
	if err != nil {
		t.Fatal(err)
	}
	script := "curl() { for a in \"$@\"; do printf '%s\\0' \"$a\"; done; }\n" + d.Curl() + "\n"
	cmd := exec.Command(sh, "-c", script)
	cmd.Env = append(os.Environ(), "APIDECK_API_KEY=sk_from_env")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("sh: %v\n%s", err, script)
	}
	got := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	want := []string{
		"--request", "POST", "https://unify.apideck.com/vault/sessions",
		"--header", "Authorization: Bearer sk_from_env",
		"--header", "x-apideck-app-id: app'id",
		"--header", "x-apideck-consumer-id: c $1",
		"--header", "Content-Type: application/json",
		"--header", "Accept: application/json",
		"--data-raw", string(d.Body),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("arguments =\n%q\nwant\n%q", got, want)
	}
	if strings.Contains(d.Curl(), "never-shown") {
		t.Error("the command shows the key")
	}
}
