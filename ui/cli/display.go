package cli

import (
	"strings"

	"github.com/apideck-samples/vault-session/ui/termbg"
	"github.com/spf13/pflag"
)

// displayInput is how the wizard is shown: its palette and whether it asks
// in plain lines instead of drawing screens.
type displayInput struct {
	theme      string
	accessible bool
	noBell     bool
}

// envAccessible is the variable huh's users already know.
const envAccessible = "ACCESSIBLE"

func (d *displayInput) register(fs *pflag.FlagSet) {
	fs.StringVar(&d.theme, "theme", "", "light, dark or auto (default: ask the terminal for its background, then COLORFGBG, then dark); or set "+termbg.EnvVar)
	fs.BoolVar(&d.accessible, "accessible", false, "plain line-by-line prompts for screen readers: no full-screen drawing, no colour needed (also ACCESSIBLE=1, or TERM=dumb)")
	fs.BoolVar(&d.noBell, "no-bell", false, "no terminal bell when a connection watched from the result screen (w) becomes callable")
	setArg(fs, "theme", "MODE")
	inGroup(fs, "Display", "theme", "accessible", "no-bell")
}

// display is the resolved displayInput.
type display struct {
	theme      termbg.Mode
	accessible bool
	// noBell: no terminal bell when a watched connection becomes callable.
	noBell bool
}

// resolve weighs the flags against the environment: --theme over
// VAULT_SESSION_THEME; --accessible, ACCESSIBLE or TERM=dumb (a terminal
// that cannot move its cursor) ask in plain lines.
func (d displayInput) resolve(fs *pflag.FlagSet, getenv func(string) string) (display, error) {
	given := fs.Changed
	out := display{accessible: d.accessible, noBell: d.noBell}
	if !given("accessible") {
		out.accessible = envOn(getenv(envAccessible)) || getenv("TERM") == "dumb"
	}
	value, from := d.theme, "--theme"
	if !given("theme") {
		value, from = getenv(termbg.EnvVar), termbg.EnvVar
	}
	mode, err := termbg.ParseMode(value)
	if err != nil {
		return out, &usageError{msg: from + ": " + err.Error()}
	}
	out.theme = mode
	return out, nil
}

// envOn reads a yes/no variable: set and not "0" or "false".
func envOn(v string) bool {
	v = strings.ToLower(strings.TrimSpace(v))
	return v != "" && v != "0" && v != "false" && v != "no"
}
