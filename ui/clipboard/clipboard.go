// Package clipboard puts text on the user's clipboard by every way that can
// work from a terminal program, and says which did: the terminal itself,
// through an OSC 52 sequence, and a native clipboard tool (pbcopy,
// wl-copy, xclip, xsel, clip.exe) where one can reach the user's desktop.
//
// Only a tool that ran and succeeded proves the text arrived: a terminal
// answers nothing to OSC 52, so it is reported as sent, never as copied.
package clipboard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"time"

	"github.com/aymanbagabas/go-osc52/v2"
)

// Runner runs a command with stdin as its input and reports whether it
// succeeded. Tests replace it; Exec is the real one.
type Runner func(ctx context.Context, name string, args []string, stdin string) error

// Copier copies text. Every way of touching the world is a field, so a
// test sees what would be run and written.
type Copier struct {
	// Terminal receives the OSC 52 sequence: the program's output, the
	// terminal the user looks at. Nil sends none.
	Terminal io.Writer
	// Getenv reads the environment, to tell which desktop (if any) a
	// native tool would reach.
	Getenv func(string) string
	// GOOS is runtime.GOOS, or the system a test pretends to be on.
	GOOS string
	// LookPath finds a tool (exec.LookPath).
	LookPath func(string) (string, error)
	// Run runs a tool (Exec).
	Run Runner
}

// Tool is a native clipboard command that reads the text on stdin.
type Tool struct {
	Name string
	Args []string
}

// Report says what a copy did.
type Report struct {
	// Tool is the native tool that took the text; empty when none did.
	Tool string
	// Failed lists the tools that were tried and failed, with why.
	Failed []string
	// Terminal is true when the OSC 52 sequence was written.
	Terminal bool
	// TerminalErr is why it could not be written.
	TerminalErr error
}

// Copied reports whether the text certainly arrived: a tool said so.
func (r Report) Copied() bool { return r.Tool != "" }

// OK reports whether any way may have worked.
func (r Report) OK() bool { return r.Copied() || r.Terminal }

// Message says, in a sentence or two, what happened to what ("The URL").
func (r Report) Message(what string) string {
	var b strings.Builder
	switch {
	case r.Copied() && r.Terminal:
		fmt.Fprintf(&b, "%s copied with %s (and sent to the terminal's clipboard).", what, r.Tool)
	case r.Copied():
		fmt.Fprintf(&b, "%s copied with %s.", what, r.Tool)
	case r.Terminal:
		fmt.Fprintf(&b, "%s sent to the terminal's clipboard (OSC 52). No tool confirmed it: if your terminal blocks OSC 52, nothing was copied.", what)
	default:
		fmt.Fprintf(&b, "Could not copy %s", strings.ToLower(what[:1])+what[1:])
		if r.TerminalErr != nil {
			fmt.Fprintf(&b, ": the terminal did not take it (%v)", r.TerminalErr)
		}
		if len(r.Failed) == 0 {
			b.WriteString("; no clipboard tool (pbcopy, wl-copy, xclip, xsel, clip.exe) is usable here")
		}
		b.WriteString(".")
	}
	if len(r.Failed) > 0 {
		fmt.Fprintf(&b, " Tried: %s.", strings.Join(r.Failed, "; "))
	}
	return b.String()
}

// Copy puts text on the clipboard every way it can: the OSC 52 sequence,
// then the first native tool that works.
func (c Copier) Copy(ctx context.Context, text string) Report {
	var r Report
	if c.Terminal != nil {
		// A plain sequence, never wrapped for tmux passthrough: tmux takes
		// OSC 52 itself with set-clipboard on (and forwards it to the outer
		// terminal), and drops a wrapped one unless allow-passthrough is on.
		if _, err := io.WriteString(c.Terminal, osc52.New(text).String()); err != nil {
			r.TerminalErr = err
		} else {
			r.Terminal = true
		}
	}
	for _, t := range c.Tools() {
		if c.LookPath == nil || c.Run == nil {
			break
		}
		path, err := c.LookPath(t.Name)
		if err != nil {
			continue
		}
		if err := c.Run(ctx, path, t.Args, text); err != nil {
			r.Failed = append(r.Failed, t.Name+": "+err.Error())
			continue
		}
		r.Tool = t.Name
		break
	}
	return r
}

// Tools lists the native tools that could reach the user's clipboard, in
// the order they are tried. Over SSH only X tools with a forwarded display
// qualify: the others would fill the clipboard of the far machine.
func (c Copier) Tools() []Tool {
	getenv := c.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	remote := getenv("SSH_CONNECTION") != "" || getenv("SSH_TTY") != ""
	var tools []Tool
	if c.GOOS == "darwin" && !remote {
		tools = append(tools, Tool{Name: "pbcopy"})
	}
	if getenv("WAYLAND_DISPLAY") != "" && !remote {
		tools = append(tools, Tool{Name: "wl-copy"})
	}
	if getenv("DISPLAY") != "" {
		tools = append(tools,
			Tool{Name: "xclip", Args: []string{"-selection", "clipboard"}},
			Tool{Name: "xsel", Args: []string{"--clipboard", "--input"}})
	}
	// clip.exe is Windows' own; under WSL it reaches the Windows desktop.
	if (c.GOOS == "windows" || getenv("WSL_DISTRO_NAME") != "") && !remote {
		tools = append(tools, Tool{Name: "clip.exe"})
	}
	return tools
}

// toolTimeout bounds a tool that hangs (xclip waiting for an X server that
// does not answer, say).
const toolTimeout = 3 * time.Second

// Exec is the real Runner. The tool's output goes nowhere: xclip and
// wl-copy leave a process behind that serves the clipboard, and waiting
// for it to close a pipe would wait until the clipboard changes hands.
func Exec(ctx context.Context, name string, args []string, stdin string) error {
	ctx, cancel := context.WithTimeout(ctx, toolTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("no answer in %s", toolTimeout)
	}
	return err
}
