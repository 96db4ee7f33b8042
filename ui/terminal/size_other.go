//go:build !unix

package terminal

import (
	"os"

	tea "github.com/charmbracelet/bubbletea"
)

// followSize does nothing where there is no SIGWINCH (Open refuses those
// systems anyway).
func followSize(*os.File, func(tea.Msg)) (stop func()) { return func() {} }
