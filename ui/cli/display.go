package cli

import (
	"flag"
	"strings"

	"github.com/apideck-samples/vault-session/ui/termbg"
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

func (d *displayInput) register(fs *flag.FlagSet) {
	fs.StringVar(&d.theme, "theme", "", "")
	fs.BoolVar(&d.accessible, "accessible", false, "")
	fs.BoolVar(&d.noBell, "no-bell", false, "")
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
func (d displayInput) resolve(fs *flag.FlagSet, getenv func(string) string) (display, error) {
	given := givenFlags(fs)
	out := display{accessible: d.accessible, noBell: d.noBell}
	if !given["accessible"] {
		out.accessible = envOn(getenv(envAccessible)) || getenv("TERM") == "dumb"
	}
	value, from := d.theme, "--theme"
	if !given["theme"] {
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
