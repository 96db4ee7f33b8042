// Package termbg decides whether the wizard draws for a light or a dark
// terminal: from --theme or VAULT_SESSION_THEME when set, else from the
// terminal's own answer to the OSC 11 background query, else from
// COLORFGBG, else dark (most terminals are).
package termbg

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/theme"
	"github.com/apideck-samples/vault-session/ui/terminal"
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

// AskLimit bounds the wait for the terminal's answer: a terminal that
// answers does so in a few milliseconds (its answer to the device
// attributes query that follows ends the wait), so only one that answers
// nothing waits this long, and the first frame still comes within 150 ms.
const AskLimit = 100 * time.Millisecond

// Ask asks the terminal on f (a terminal open for reading and writing, as
// stderr usually is) for its background, as the wizard does before its
// first frame, and returns it as "#rrggbb". It waits at most AskLimit, and
// not at all once ctx is done. For a program that does not otherwise read
// the terminal: a key typed during the question is not kept.
func Ask(ctx context.Context, f *os.File) (string, bool) {
	t, err := terminal.Open(f, f)
	if err != nil {
		return "", false
	}
	defer t.Close()
	payload, ok := t.AskBackground(ctx, AskLimit)
	if !ok {
		return "", false
	}
	return ColorFromReply(payload)
}

// ColorFromReply reads a terminal's answer to OSC 11, what follows "11;":
// "rgb:RRRR/GGGG/BBBB" with 1 to 4 hex digits a channel (xterm's form;
// "rgba:" with a fourth channel too). It returns "#rrggbb".
func ColorFromReply(payload string) (string, bool) {
	space, channels, ok := strings.Cut(payload, ":")
	if !ok || (space != "rgb" && space != "rgba") {
		return "", false
	}
	parts := strings.Split(channels, "/")
	if len(parts) != 3 && !(space == "rgba" && len(parts) == 4) {
		return "", false
	}
	hex := "#"
	for _, p := range parts[:3] {
		if len(p) < 1 || len(p) > 4 {
			return "", false
		}
		v, err := strconv.ParseUint(p, 16, 16)
		if err != nil {
			return "", false
		}
		scale := uint64(1)<<(4*len(p)) - 1 // "f" is full, as is "ffff"
		hex += fmt.Sprintf("%02x", (v*255+scale/2)/scale)
	}
	return hex, true
}
