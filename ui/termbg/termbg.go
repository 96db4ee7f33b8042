// Package termbg decides whether the wizard draws for a light or a dark
// terminal: from --theme or VAULT_SESSION_THEME when set, else from the
// terminal's own answer to the OSC 11 background query, else from
// COLORFGBG, else dark (most terminals are).
package termbg

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/apideck-samples/vault-session/theme"
	"github.com/muesli/termenv"
)

// Mode is what the user asked for.
type Mode string

// The modes --theme and VAULT_SESSION_THEME accept.
const (
	Auto  Mode = "auto"
	Light Mode = "light"
	Dark  Mode = "dark"
)

// EnvVar overrides the detection when --theme is not given.
const EnvVar = "VAULT_SESSION_THEME"

// ParseMode reads a --theme value; "" means Auto.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(strings.ToLower(strings.TrimSpace(s))); m {
	case "":
		return Auto, nil
	case Auto, Light, Dark:
		return m, nil
	}
	return "", fmt.Errorf("%q is not a theme: use light, dark or auto", s)
}

// Answer is the decision and what it was based on.
type Answer struct {
	Dark bool
	// From says where the answer came from: "--theme", "terminal",
	// "COLORFGBG" or "default".
	From string
}

// Decide picks the background. mode has already weighed --theme against
// VAULT_SESSION_THEME; query asks the terminal (it is not called unless
// needed, so a forced mode sends nothing to the terminal).
func Decide(mode Mode, query func() (hex string, ok bool), getenv func(string) string) Answer {
	switch mode {
	case Light:
		return Answer{Dark: false, From: "--theme"}
	case Dark:
		return Answer{Dark: true, From: "--theme"}
	}
	if query != nil {
		if hex, ok := query(); ok {
			if dark, ok := darkColor(hex); ok {
				return Answer{Dark: dark, From: "terminal"}
			}
		}
	}
	if dark, ok := fromColorFGBG(getenv("COLORFGBG")); ok {
		return Answer{Dark: dark, From: "COLORFGBG"}
	}
	return Answer{Dark: true, From: "default"}
}

// darkColor reports whether text in black would read worse than text in
// white on hex: the WCAG midpoint, not HSL lightness, so a mid blue counts
// as dark.
func darkColor(hex string) (dark, ok bool) {
	onWhite, err := theme.ContrastRatio(hex, "#ffffff")
	if err != nil {
		return false, false
	}
	onBlack, _ := theme.ContrastRatio(hex, "#000000")
	return onWhite > onBlack, true
}

// fromColorFGBG reads the "fg;bg" (or "fg;default;bg") variable rxvt and
// Konsole set; the background is an ANSI colour number. 7 and 9–15 are
// light; the rest dark.
func fromColorFGBG(v string) (dark, ok bool) {
	parts := strings.Split(v, ";")
	if len(parts) < 2 {
		return false, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(parts[len(parts)-1]))
	if err != nil || n < 0 || n > 15 {
		return false, false
	}
	return !(n == 7 || n >= 9), true
}

// Query asks the terminal on f for its background colour with OSC 11 and
// returns it as "#rrggbb". It waits at most termenv's timeout (a terminal
// that ignores OSC 11 still answers the cursor query sent after it, so
// the wait is short).
//
// termenv refuses to ask under tmux or screen, fearing several clients;
// tmux answers with the pane's own background, which is what the wizard
// draws on, so the question is asked there too.
func Query(f *os.File, getenv func(string) string) (string, bool) {
	out := termenv.NewOutput(f, termenv.WithEnvironment(queryEnv{getenv}))
	if rgb, ok := out.BackgroundColor().(termenv.RGBColor); ok {
		return strings.ToLower(string(rgb)), true
	}
	return "", false // no answer: termenv fell back to an ANSI colour
}

// queryEnv is the environment termenv sees while asking: TERM says plain
// xterm inside tmux or screen, and COLORFGBG is hidden so that "no answer"
// is told apart from an answer (Decide reads COLORFGBG itself).
type queryEnv struct{ getenv func(string) string }

func (e queryEnv) Getenv(key string) string {
	switch key {
	case "COLORFGBG":
		return ""
	case "TERM":
		t := e.getenv("TERM")
		if strings.HasPrefix(t, "screen") || strings.HasPrefix(t, "tmux") {
			return "xterm-256color"
		}
		return t
	}
	return e.getenv(key)
}

func (e queryEnv) Environ() []string {
	var out []string
	for _, k := range []string{"TERM", "COLORTERM", "TERM_PROGRAM", "CI"} {
		if v := e.Getenv(k); v != "" {
			out = append(out, k+"="+v)
		}
	}
	return out
}
