package cli

import (
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// runSetting is where this run's requests go, as much of it as a command
// line must say again: a line pasted in the same shell has the same
// environment (APIDECK_API_KEY, APIDECK_APP_ID, APIDECK_BASE_URL), so
// only what flags said, or what the run fell back to, is repeated. The
// consumer is not a setting: a suggestion names the one it is about.
type runSetting struct {
	demo    bool   // --demo, or the wizard's demo when nothing points at an API
	baseURL string // --base-url, when it is not the default
	appID   string // --app-id
}

// runSettingOf reads the setting from the flags of a command's run; nil
// (a command without them) is no setting.
func runSettingOf(fs *pflag.FlagSet) runSetting {
	var s runSetting
	if fs == nil {
		return s
	}
	given := func(name string) (string, bool) {
		f := fs.Lookup(name)
		if f == nil || !f.Changed {
			return "", false
		}
		return f.Value.String(), true
	}
	if v, ok := given("demo"); ok && v == "true" {
		s.demo = true
	}
	if v, ok := given("base-url"); ok && strings.TrimRight(v, "/") != client.DefaultBaseURL {
		s.baseURL = v
	}
	if v, ok := given("app-id"); ok {
		s.appID = v
	}
	return s
}

// commandLine is a command line the program tells a person to type next
// (a fix, a command to run again, a way to go on): pasted in the same
// shell, it runs where this run ran. It is the program as it was started
// (self: "vault-session", "go run ."), the command's words, the setting's
// flags that the command takes and args do not already say (--demo, or
// --base-url; --app-id), then args, each quoted for a shell where it needs
// it. The API key is never written: command lines are seen by others.
// Every command the program suggests is built here, and it is made safe
// for a terminal here (termtext.Line): flags' values and consumer IDs
// came from outside.
func (a *app) commandLine(s runSetting, command string, args ...string) string {
	words := []string{a.self()}
	path := strings.Fields(command)
	words = append(words, path...)
	takes := a.flagsOf(path)
	says := func(name string) bool {
		for _, arg := range args {
			if arg == "--"+name || strings.HasPrefix(arg, "--"+name+"=") {
				return true
			}
		}
		return false
	}
	if !says("demo") && !says("base-url") {
		switch {
		case s.demo && takes("demo"):
			words = append(words, "--demo")
		case s.baseURL != "" && !s.demo && takes("base-url"):
			words = append(words, "--base-url", shellWord(s.baseURL))
		}
	}
	if s.appID != "" && !says("app-id") && takes("app-id") {
		words = append(words, "--app-id", shellWord(s.appID))
	}
	for _, arg := range args {
		words = append(words, shellWord(arg))
	}
	return termtext.Line(strings.Join(words, " "))
}

// flagsOf says which flags the command at path takes.
func (a *app) flagsOf(path []string) func(name string) bool {
	var cmd *cobra.Command
	if a.tree != nil {
		if c, rest, err := a.tree.Find(path); err == nil && len(rest) == 0 {
			cmd = c
		}
	}
	return func(name string) bool {
		return cmd != nil && (cmd.Flags().Lookup(name) != nil || cmd.InheritedFlags().Lookup(name) != nil)
	}
}

// givenFlags are the flags given on this run but the setting's (which
// commandLine adds), the API key (never written) and those named in
// except, as arguments that give them again: a slice flag once per value,
// a true boolean bare, a duration as people write it.
func givenFlags(fs *pflag.FlagSet, except ...string) []string {
	skip := append([]string{"demo", "base-url", "app-id", "api-key"}, except...)
	var args []string
	fs.Visit(func(f *pflag.Flag) {
		for _, name := range skip {
			if f.Name == name {
				return
			}
		}
		switch v := f.Value.(type) {
		case pflag.SliceValue:
			for _, each := range v.GetSlice() {
				args = append(args, "--"+f.Name, each)
			}
		default:
			if f.Value.Type() == "bool" {
				if f.Value.String() == "true" {
					args = append(args, "--"+f.Name)
				} else {
					args = append(args, "--"+f.Name+"=false")
				}
				return
			}
			value := f.Value.String()
			if d, ok := f.Value.(interface{ Type() string }); ok && d.Type() == "duration" {
				if parsed, err := time.ParseDuration(value); err == nil {
					value = model.DurationText(parsed) // 24h, not 24h0m0s
				}
			}
			args = append(args, "--"+f.Name, value)
		}
	})
	return args
}
