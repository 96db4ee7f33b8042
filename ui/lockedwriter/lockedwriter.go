// Package lockedwriter is a writer that several goroutines share, each
// Write whole: the lines of a create and of its waiting notices on stderr,
// the plain prompts' answers and the watch's polls on the terminal.
package lockedwriter

import (
	"io"
	"sync"
)

// Writer serialises the writes to w: a line written in one Write never
// mixes with another.
type Writer struct {
	mu sync.Mutex
	w  io.Writer
}

// New returns a Writer to w.
func New(w io.Writer) *Writer { return &Writer{w: w} }

func (l *Writer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// Do runs f between two writes: a terminal bell rung straight to the
// terminal, never in the middle of a line.
func (l *Writer) Do(f func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f()
}
