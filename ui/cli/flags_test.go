package cli

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/model"
	"github.com/spf13/pflag"
)

func TestCommaList(t *testing.T) {
	t.Parallel()
	for in, want := range map[string][]string{
		"":              nil,
		" , ,":          nil,
		"crm":           {"crm"},
		" crm, hris ,,": {"crm", "hris"},
	} {
		if got := commaList(in); !reflect.DeepEqual(got, want) {
			t.Errorf("commaList(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAllowActionsFlag(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string // allow_actions as sent; "-" = not sent
	}{
		{nil, "-"},
		{[]string{"--allow-actions", "none"}, "[]"},
		{[]string{"--allow-actions", "NONE"}, "[]"},
		{[]string{"--allow-actions="}, "[]"},
		{[]string{"--allow-actions", "disconnect, reauthorize"}, `["disconnect","reauthorize"]`},
	} {
		fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
		var in sessionInput
		in.register(fs)
		if err := fs.Parse(tc.args); err != nil {
			t.Fatal(err)
		}
		s, err := in.load(t.Context(), strings.NewReader(""), nil)
		if err != nil {
			t.Fatal(err)
		}
		got := "-"
		if s.Settings.AllowActions != nil {
			data, _ := json.Marshal(s.Settings.AllowActions)
			got = string(data)
		}
		if got != tc.want {
			t.Errorf("%q: allow_actions %s, want %s", tc.args, got, tc.want)
		}
	}
}

func TestBoolFlagNames(t *testing.T) {
	t.Parallel()
	want := []string{"hide-resource-settings", "sandbox", "isolation", "show-logs", "show-suggestions", "show-sidebar", "auto-redirect", "hide-guides"}
	var got []string
	for _, b := range model.BoolSettings() {
		got = append(got, boolFlagName(b.Key))
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("boolean flags %q, want %q", got, want)
	}
}

// TestDescribeExpiry: how far away the expiry is, to the minute.
func TestDescribeExpiry(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{
		time.Hour - 2*time.Second:                  "in 1h",
		90 * time.Minute:                           "in 1h30m",
		7*24*time.Hour - time.Minute:               "in 6d23h59m",
		7 * 24 * time.Hour:                         "in 7d",
		20 * time.Second:                           "in under a minute",
		-5 * time.Minute:                           "already expired",
		24*time.Hour + 5*time.Minute + time.Second: "in 1d5m",
	} {
		now := fixedNow
		at := now.Add(d)
		if got, want := describeExpiry(at, now), "expires "+at.UTC().Format("2006-01-02 15:04 MST")+" ("+want+")"; got != want {
			t.Errorf("describeExpiry(now+%s) = %q, want %q", d, got, want)
		}
	}
}

// FuzzSessionFlag gives any text to any session flag: it must never panic,
// and a value the flag accepts must give a session that survives the trip
// through JSON and model.DecodeSession unchanged, as the API would read it.
func FuzzSessionFlag(f *testing.F) {
	fields := sessionFields()
	f.Add(0, "Acme")
	f.Add(5, "crm, hris,,")
	f.Add(7, "none")
	f.Add(7, "")
	f.Add(8, "false")
	f.Add(9, "maybe")
	f.Add(len(fields)-1, `{"a": 1.50, "b": [true, null]}`)
	f.Add(len(fields)-1, `[1]`)
	f.Add(len(fields)-2, "https://x.example/terms?a=1&b=<2>")
	f.Fuzz(func(t *testing.T, index int, value string) {
		if index < 0 {
			index = -index
		}
		field := fields[index%len(fields)]
		fs := pflag.NewFlagSet("fuzz", pflag.ContinueOnError)
		var in sessionInput
		in.register(fs)
		if err := fs.Set(field.name, value); err != nil {
			return // refused: the flag package reports it as a usage error
		}
		s, err := in.load(t.Context(), strings.NewReader(""), nil)
		if err != nil {
			t.Fatalf("--%s=%q accepted but not applied: %v", field.name, value, err)
		}
		var body bytes.Buffer
		enc := json.NewEncoder(&body)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatalf("--%s=%q: cannot encode: %v", field.name, value, err)
		}
		back, err := model.DecodeSession(body.Bytes())
		if err != nil {
			t.Fatalf("--%s=%q gives a body the strict decoder refuses: %v\n%s", field.name, value, err, body.String())
		}
		again, _ := json.Marshal(back)
		first, _ := json.Marshal(s)
		if !bytes.Equal(again, first) {
			t.Fatalf("--%s=%q does not round-trip:\n%s\n%s", field.name, value, first, again)
		}
	})
}
