package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/spf13/pflag"
)

// The support commands (consumers, logs, health, connections validate)
// read the application rather than one session. What they share is here.

// exitAttention is health's and connections validate's "something needs
// attention": a cron job alerts on it.
const exitAttention = 4

// attentionError ends a command that ran well and found something that
// needs attention: exit code exitAttention, and nothing more is printed
// (the command said what it found).
type attentionError struct{ what string }

func (e *attentionError) Error() string { return e.what }

// appCredentials resolves the credentials of a command that reads the
// whole application: a key (or --demo) and an app ID; the consumer, when
// one is needed, is the command's to check.
func (a *app) appCredentials(fs *pflag.FlagSet, in credentialInput) (credentialInput, error) {
	creds, err := in.resolve(fs, a.getenv)
	if err != nil {
		return creds, err
	}
	if !creds.demo && creds.apiKey == "" {
		return creds, &usageError{msg: "no API key: pass --api-key or set " + envAPIKey +
			" (or pass --demo to try the built-in demo API)"}
	}
	if strings.TrimSpace(creds.appID) == "" {
		return creds, &usageError{msg: "no app ID: pass --app-id or set " + envAppID}
	}
	return creds, nil
}

// supportClient is the client of the support commands: with --demo, a
// fresh built-in demo API holding the seeded application (said on stderr),
// which the returned func stops. Every request of one command shares a
// client.Gate, so a 429 holds them all.
func (a *app) supportClient(creds credentialInput) (*client.Client, func()) {
	gate := client.WithGate(client.NewGate(0))
	if !creds.demo {
		return a.newClient(creds, nil).With(gate), func() {}
	}
	// The demo's seeded times count back from the command's own clock.
	demo := mock.NewDemo(mock.WithClock(a.now))
	fmt.Fprintln(a.streams.ErrOut, demoSupportNotice)
	return a.newClient(creds, demo).With(gate), demo.Close
}

// demoSupportNotice marks what the demo API shows as not Apideck's.
const demoSupportNotice = "DEMO: reading the built-in demo API, not Apideck: its application " + demoAppID + " is made up (see the README)"

func apiCredentials(creds credentialInput) client.Credentials {
	return client.Credentials{APIKey: creds.apiKey, AppID: creds.appID, ConsumerID: creds.consumerID}
}

// timeText is a time for a table: the date and the time of day in the
// clock's zone.
func timeText(t, now time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(now.Location()).Format("2006-01-02 15:04")
}

// whenText is a moment in a sentence, in UTC: "Tue 2 Jun 03:00 UTC".
func whenText(t time.Time) string {
	return t.UTC().Format("Mon 2 Jan 15:04 MST")
}

// tableCell makes an API value one safe table cell of at most width runes.
func tableCell(s string, width int) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return "—"
	}
	safe := termtext.LineN(s, 0)
	if r := []rune(safe); width > 0 && len(r) > width {
		return string(r[:width-1]) + "…"
	}
	return safe
}
