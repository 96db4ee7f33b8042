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
	changed := make(chan os.Signal, 1)
	signal.Notify(changed, syscall.SIGWINCH)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case <-changed:
				if width, height, err := term.GetSize(out.Fd()); err == nil {
					send(tea.WindowSizeMsg{Width: width, Height: height})
				}
			}
		}
	}()
	return func() {
		signal.Stop(changed)
		close(done)
	}
}
