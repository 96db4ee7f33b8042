//go:build unix

package terminal

import (
	"os"
	"os/signal"
	"syscall"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/term"
)

// followSize sends the terminal's size each time it changes (SIGWINCH), as
// Bubble Tea does for its own renderer, until stop is called.
func followSize(out *os.File, send func(tea.Msg)) (stop func()) {
	return onSignal(syscall.SIGWINCH, func() {
		if width, height, err := term.GetSize(out.Fd()); err == nil {
			send(tea.WindowSizeMsg{Width: width, Height: height})
		}
	})
}

// onSignal calls f each time the process gets sig, until stop is called.
func onSignal(sig os.Signal, f func()) (stop func()) {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, sig)
	stopRelay := relay(signals, func(os.Signal) { f() })
	return func() {
		signal.Stop(signals)
		stopRelay()
	}
}
