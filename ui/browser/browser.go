// Package browser opens a URL in the user's browser: the commands of
// $BROWSER first, read as other Unix tools read it, then the system's own
// opener. It says what it tried, so a failure can be explained.
package browser

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// Launcher starts a command and reports whether it failed to start or
// failed soon after. Tests replace it; Launch is the real one.
type Launcher func(name string, args []string) error

// Opener opens URLs. Every way of touching the world is a field.
type Opener struct {
	// Getenv reads $BROWSER.
	Getenv func(string) string
	// Launch runs one $BROWSER command (Launch).
	Launch Launcher
	// System is the system's opener (github.com/pkg/browser's OpenURL:
	// open, xdg-open, start), tried when $BROWSER is unset or all of it
	// failed. Nil skips it.
	System func(url string) error
	// SystemName names System in messages ("xdg-open"); empty says "the
	// system opener".
	SystemName string
}

// Error is a URL no way could open.
type Error struct {
	// Tried says what was tried and how each failed, in order.
	Tried []string
}

func (e *Error) Error() string {
	if len(e.Tried) == 0 {
		return "no way to open a browser here"
	}
	return "tried " + strings.Join(e.Tried, "; ")
}

// Open opens url and returns what opened it ("$BROWSER: firefox", "the
// system opener").
func (o Opener) Open(url string) (string, error) {
	var tried []string
	for _, cmd := range Commands(o.getenv("BROWSER"), url) {
		if o.Launch == nil {
			break
		}
		if err := o.Launch(cmd[0], cmd[1:]); err != nil {
			tried = append(tried, fmt.Sprintf("$BROWSER %s (%v)", cmd[0], err))
			continue
		}
		return "$BROWSER: " + cmd[0], nil
	}
	if o.System != nil {
		name := o.SystemName
		if name == "" {
			name = "the system opener"
		}
		if err := o.System(url); err != nil {
			tried = append(tried, fmt.Sprintf("%s (%v)", name, err))
		} else {
			return name, nil
		}
	}
	return "", &Error{Tried: tried}
}

func (o Opener) getenv(k string) string {
	if o.Getenv == nil {
		return ""
	}
	return o.Getenv(k)
}

// Commands reads $BROWSER: commands separated by ":", each a program and
// its arguments separated by spaces; "%s" stands for the URL, which is
// added as the last argument when no "%s" is given. No shell is involved,
// so nothing in the URL is ever interpreted.
func Commands(browserEnv, url string) [][]string {
	var out [][]string
	for _, entry := range strings.Split(browserEnv, ":") {
		fields := strings.Fields(entry)
		if len(fields) == 0 {
			continue
		}
		placed := false
		for i, f := range fields[1:] {
			if strings.Contains(f, "%s") {
				fields[i+1] = strings.ReplaceAll(f, "%s", url)
				placed = true
			}
		}
		if !placed {
			fields = append(fields, url)
		}
		out = append(out, fields)
	}
	return out
}

// SystemName names what github.com/pkg/browser runs on goos.
func SystemName(goos string) string {
	switch goos {
	case "darwin":
		return "open"
	case "windows":
		return "rundll32 url.dll"
	default:
		return "xdg-open"
	}
}

// startGrace is how long Launch waits for a command to fail. A browser
// that is already running hands the URL over and exits at once; one that
// starts fresh keeps running, which is success too.
const startGrace = 1500 * time.Millisecond

// Launch is the real Launcher. The command gets no terminal: a browser
// must not draw over the wizard or read its keys (a terminal browser in
// $BROWSER fails here, and the next way is tried).
func Launch(name string, args []string) error {
	return launch(name, args, startGrace)
}

func launch(name string, args []string, grace time.Duration) error {
	cmd := exec.Command(name, args...)
	if err := cmd.Start(); err != nil {
		var notFound *exec.Error
		if errors.As(err, &notFound) {
			return notFound.Err
		}
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(grace):
		// Still running: the browser is up. The goroutine reaps it later.
		return nil
	}
}
