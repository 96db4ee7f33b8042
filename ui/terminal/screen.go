package terminal

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// FrameInterval is the least time between two frames: 60 a second, as
// Bubble Tea draws, so a burst of keys or a paste is drawn once per
// interval rather than once per key.
const FrameInterval = time.Second / 60

// Screen draws frames on an alternate screen, only when they change.
//
// Bubble Tea v1's renderer flushes on a 60 Hz ticker for the program's
// whole life: the screen is compared 60 times a second even when nothing
// changed, and each tick wakes several threads (about 300 wake-ups a
// second on an idle wizard). Here Show nudges a goroutine that sleeps until
// there is something to draw, and frames closer together than
// FrameInterval are drawn as one. A still screen costs nothing.
//
// Each frame writes only the lines that differ from what is on screen,
// each at its own row, so a cursor move in a text field rewrites one line.
type Screen struct {
	out      io.Writer
	interval time.Duration

	mu     sync.Mutex // guards view, width, height, clear
	view   string
	width  int
	height int
	clear  bool // the next frame clears the screen and draws every line

	writing sync.Mutex // held while a frame is built and written
	paused  bool       // under writing: nothing is written (another program has the terminal)
	drawn   []string   // under writing: the lines on screen

	wake    chan struct{} // buffered: a frame may be due
	stop    chan struct{}
	stopped chan struct{}
	once    sync.Once
}

// NewScreen starts drawing on out, which must already show an empty
// alternate screen, at most one frame per interval.
func NewScreen(out io.Writer, interval time.Duration) *Screen {
	s := &Screen{
		out:      out,
		interval: interval,
		wake:     make(chan struct{}, 1),
		stop:     make(chan struct{}),
		stopped:  make(chan struct{}),
	}
	go s.run()
	return s
}

// Show makes view the frame to draw. It never waits for the terminal.
func (s *Screen) Show(view string) {
	s.mu.Lock()
	due := view != s.view || s.clear
	s.view = view
	s.mu.Unlock()
	if due {
		s.nudge()
	}
}

// Resize sets the size frames are cut to; the next Show redraws
// everything, since the terminal may have reflowed what was there.
func (s *Screen) Resize(width, height int) {
	s.mu.Lock()
	if width != s.width || height != s.height {
		s.width, s.height = width, height
		s.clear = true
	}
	s.mu.Unlock()
}

// Pause stops drawing until Resume, once any frame being written is
// written: another program is about to use the terminal.
func (s *Screen) Pause() {
	s.writing.Lock()
	s.paused = true
	s.writing.Unlock()
}

// Resume draws again, every line on a cleared screen: the other program
// left the terminal in a state nobody knows.
func (s *Screen) Resume() {
	s.writing.Lock()
	s.paused = false
	s.writing.Unlock()
	s.mu.Lock()
	s.clear = true
	s.mu.Unlock()
	s.nudge()
}

// Close stops drawing; once it returns nothing more is written.
func (s *Screen) Close() {
	s.once.Do(func() { close(s.stop) })
	<-s.stopped
	s.writing.Lock() // a flush that raced the stop has finished
	s.paused = true
	s.writing.Unlock()
}

func (s *Screen) nudge() {
	select {
	case s.wake <- struct{}{}:
	default: // a frame is already due
	}
}

// run draws a frame each time one is due, at most one per interval, and
// otherwise sleeps: no ticker runs while the screen is still. A frame
// after a quiet spell is drawn at once; one that comes sooner than an
// interval after the last waits out the rest, taking every view shown
// meanwhile with it.
func (s *Screen) run() {
	defer close(s.stopped)
	var last time.Time
	for {
		select {
		case <-s.stop:
			return
		case <-s.wake:
		}
		if wait := s.interval - time.Since(last); wait > 0 {
			pause := time.NewTimer(wait)
			select {
			case <-s.stop:
				pause.Stop()
				return
			case <-pause.C:
			}
		}
		s.flush()
		last = time.Now()
	}
}

// flush writes what changed since the last frame.
func (s *Screen) flush() {
	s.writing.Lock()
	defer s.writing.Unlock()
	if s.paused {
		return
	}
	s.mu.Lock()
	view, width, height, clear := s.view, s.width, s.height, s.clear
	s.clear = false
	s.mu.Unlock()
	if frame := s.frame(view, width, height, clear); len(frame) > 0 {
		_, _ = s.out.Write(frame)
	}
}

// frame returns the bytes that turn the screen from s.drawn into view,
// and notes view as drawn. clear starts from an empty screen.
func (s *Screen) frame(view string, width, height int, clear bool) []byte {
	lines := strings.Split(view, "\n")
	if height > 0 && len(lines) > height {
		// The top lines go, as Bubble Tea's renderer does: the screen
		// cannot scroll back to show them.
		lines = lines[len(lines)-height:]
	}
	var b bytes.Buffer
	if clear {
		b.WriteString(ansi.EraseEntireScreen)
		s.drawn = nil
	}
	for i, line := range lines {
		if width > 0 {
			line = ansi.Truncate(line, width, "")
			lines[i] = line
		}
		if i < len(s.drawn) && s.drawn[i] == line {
			continue
		}
		b.WriteString(ansi.CursorPosition(1, i+1))
		b.WriteString(line)
		if width <= 0 || ansi.StringWidth(line) < width {
			b.WriteString(ansi.EraseLineRight) // what the line held before
		}
	}
	if len(lines) < len(s.drawn) {
		b.WriteString(ansi.CursorPosition(1, len(lines)+1))
		b.WriteString(ansi.EraseScreenBelow)
	}
	s.drawn = lines
	return b.Bytes()
}
