package terminal

import (
	"strings"
	"sync"
	"testing"
	"time"
)

func TestFrameWritesOnlyWhatChanged(t *testing.T) {
	s := &Screen{}
	first := string(s.frame("one\ntwo\nthree", 10, 5, true))
	want := "\x1b[2J" + "\x1b[H" + "one\x1b[K" + "\x1b[2;1H" + "two\x1b[K" + "\x1b[3;1H" + "three\x1b[K"
	if first != want {
		t.Fatalf("first frame %q\nwant %q", first, want)
	}
	if got := string(s.frame("one\nTWO\nthree", 10, 5, false)); got != "\x1b[2;1H"+"TWO\x1b[K" {
		t.Errorf("one line changed: %q", got)
	}
	if got := string(s.frame("one\nTWO\nthree", 10, 5, false)); got != "" {
		t.Errorf("nothing changed, yet %q", got)
	}
	if got := string(s.frame("one", 10, 5, false)); got != "\x1b[2;1H\x1b[J" {
		t.Errorf("two lines fewer: %q", got)
	}
	// Cut to the width: a full line needs no erasing after it.
	if got := string(s.frame("0123456789abc", 10, 5, false)); got != "\x1b[H0123456789" {
		t.Errorf("a long line: %q", got)
	}
	// Taller than the screen: the top goes, as Bubble Tea does.
	if got := string(s.frame("a\nb\nc", 10, 2, true)); got != "\x1b[2J\x1b[Hb\x1b[K\x1b[2;1Hc\x1b[K" {
		t.Errorf("too tall: %q", got)
	}
}

// writes records what a Screen writes.
type writes struct {
	mu     sync.Mutex
	frames []string
}

func (w *writes) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.frames = append(w.frames, string(p))
	return len(p), nil
}

func (w *writes) all() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.frames...)
}

// waitFrames waits until n frames were written, at most 2 s.
func (w *writes) waitFrames(t *testing.T, n int) []string {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if got := w.all(); len(got) >= n {
			return got
		}
	}
	t.Fatalf("%d frames written, want %d", len(w.all()), n)
	return nil
}

// A still screen writes nothing: showing the same view again is not a
// frame, however often the wizard's View runs.
func TestStillScreenWritesNothing(t *testing.T) {
	out := &writes{}
	s := NewScreen(out, time.Millisecond)
	defer s.Close()
	s.Resize(20, 5)
	s.Show("hello")
	out.waitFrames(t, 1)
	for range 50 {
		s.Show("hello")
		time.Sleep(100 * time.Microsecond)
	}
	time.Sleep(20 * time.Millisecond)
	if got := out.all(); len(got) != 1 {
		t.Fatalf("the same view again wrote %d frames: %q", len(got)-1, got[1:])
	}
	s.Show("hello!")
	if got := out.waitFrames(t, 2); got[1] != "\x1b[Hhello!\x1b[K" {
		t.Errorf("the change: %q", got[1])
	}
}

// A burst of views within one interval is drawn as its first and its
// last: keys pasted fast are not drawn one by one.
func TestBurstIsOneFrame(t *testing.T) {
	out := &writes{}
	s := NewScreen(out, 300*time.Millisecond)
	defer s.Close()
	s.Resize(20, 5)
	s.Show("0")
	out.waitFrames(t, 1)
	for i := 1; i <= 100; i++ {
		s.Show(strings.Repeat("x", i%20))
	}
	out.waitFrames(t, 2)
	time.Sleep(50 * time.Millisecond)
	if got := out.all(); len(got) != 2 || !strings.Contains(got[1], "\x1b[H"+strings.Repeat("x", 100%20)) {
		t.Errorf("100 views in a burst wrote %d frames: %q", len(got), got)
	}
}

// Paused, nothing is written; resumed, the screen is drawn whole again.
func TestPauseAndResume(t *testing.T) {
	out := &writes{}
	s := NewScreen(out, time.Millisecond)
	s.Resize(20, 5)
	s.Show("a\nb")
	out.waitFrames(t, 1)
	s.Pause()
	s.Show("a\nc")
	time.Sleep(20 * time.Millisecond)
	if n := len(out.all()); n != 1 {
		t.Fatalf("%d frames while paused", n-1)
	}
	s.Resume()
	if got := out.waitFrames(t, 2); got[1] != "\x1b[2J\x1b[Ha\x1b[K\x1b[2;1Hc\x1b[K" {
		t.Errorf("after resuming: %q", got[1])
	}
	s.Close()
	s.Show("gone")
	time.Sleep(20 * time.Millisecond)
	if n := len(out.all()); n != 2 {
		t.Errorf("written after Close: %q", out.all()[2:])
	}
}
