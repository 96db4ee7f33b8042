package cli

import (
	"io"
	"os"

	"github.com/charmbracelet/x/term"
)

// IOStreams are the three standard streams and what is known about them.
// It is the only place that asks whether a stream is a terminal, so commands
// can be run in tests with buffers and a chosen answer.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY  bool
	stdoutTTY bool
	stderrTTY bool
	// colorEnabled is decided once: stdout is a terminal, NO_COLOR is unset
	// and TERM is not "dumb" (https://no-color.org).
	colorEnabled bool
	// terminalSize asks stdout's terminal for its size; nil when stdout is
	// not a terminal.
	terminalSize func() (width, height int, err error)
}

// SystemStreams returns the process's own streams. Deciding terminal-ness is
// four ioctl calls; nothing here queries the terminal itself, so start-up
// stays cheap for headless runs.
func SystemStreams() *IOStreams {
	stdoutTTY := isTerminal(os.Stdout)
	s := &IOStreams{
		In:           os.Stdin,
		Out:          os.Stdout,
		ErrOut:       os.Stderr,
		stdinTTY:     isTerminal(os.Stdin),
		stdoutTTY:    stdoutTTY,
		stderrTTY:    isTerminal(os.Stderr),
		colorEnabled: colorAllowed(stdoutTTY, os.Getenv),
	}
	if stdoutTTY {
		s.terminalSize = func() (int, int, error) { return term.GetSize(os.Stdout.Fd()) }
	}
	return s
}

func isTerminal(f *os.File) bool { return term.IsTerminal(f.Fd()) }

func colorAllowed(stdoutTTY bool, getenv func(string) string) bool {
	return stdoutTTY && getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
}

// IsStdinTTY reports whether standard input is a terminal.
func (s *IOStreams) IsStdinTTY() bool { return s.stdinTTY }

// IsStdoutTTY reports whether standard output is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.stdoutTTY }

// IsStderrTTY reports whether standard error is a terminal, where a person
// reads progress notes that a script's log does not want.
func (s *IOStreams) IsStderrTTY() bool { return s.stderrTTY }

// ColorEnabled reports whether output to stdout may be coloured.
func (s *IOStreams) ColorEnabled() bool { return s.colorEnabled }

// TerminalSize returns the size of stdout's terminal; ok is false when
// stdout is not a terminal or the size is unknown.
func (s *IOStreams) TerminalSize() (width, height int, ok bool) {
	if s.terminalSize == nil {
		return 0, 0, false
	}
	w, h, err := s.terminalSize()
	if err != nil || w <= 0 || h <= 0 {
		return 0, 0, false
	}
	return w, h, true
}
