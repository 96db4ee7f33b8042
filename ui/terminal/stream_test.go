package terminal

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// A served wizard's program stops following the sizes when it ends
// (ui's Run calls stop after the program returns).
func TestFollowSizesSendsEachSizeUntilStopped(t *testing.T) {
	sizes := make(chan Size, 2)
	got := make(chan tea.Msg, 2)
	stop := FollowSizes(sizes, func(m tea.Msg) { got <- m })
	sizes <- Size{Width: 80, Height: 24}
	if m := <-got; m != (tea.WindowSizeMsg{Width: 80, Height: 24}) {
		t.Errorf("got %v", m)
	}
	stop()
	if FollowSizes(nil, func(tea.Msg) { t.Error("nil sizes sent a size") }) == nil {
		t.Error("no stop for nil sizes")
	}
}

func TestFollowSizesSendsEachSizeUntilClosed(t *testing.T) {
	sizes := make(chan Size, 2)
	got := make(chan tea.Msg, 2)
	FollowSizes(sizes, func(m tea.Msg) { got <- m })
	sizes <- Size{Width: 80, Height: 24}
	sizes <- Size{Width: 100, Height: 30}
	for _, want := range []tea.WindowSizeMsg{{Width: 80, Height: 24}, {Width: 100, Height: 30}} {
		if m := <-got; m != want {
			t.Errorf("got %v, want %v", m, want)
		}
	}
	close(sizes)
	select {
	case m := <-got:
		t.Errorf("a closed channel sent %v", m)
	case <-time.After(50 * time.Millisecond):
	}
	if FollowSizes(nil, func(tea.Msg) { t.Error("nil sizes sent a size") }) == nil {
		t.Error("no stop for nil sizes")
	}
}
