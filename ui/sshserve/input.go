package sshserve

import (
	"io"
	"os"
	"sync"
	"time"
)

// input is what the person types, read off the SSH channel by a goroutine
// of its own. A channel read cannot be abandoned, and the wizard needs
// reads that can: the terminal's answer is waited for at most a moment,
// and the wizard's end must stop its reader at once. Here a read gives up
// at its deadline or when the input is closed, and what it did not take
// waits for the next read.
type input struct {
	chunks chan []byte // filled by pump; closed when the channel ends
	closed chan struct{}
	once   sync.Once
	// typed is called for each chunk the person sends (the idle timer).
	typed func()

	mu       sync.Mutex
	pending  []byte // taken from chunks, not yet read
	deadline time.Time
}

// newInput starts reading r.
func newInput(r io.Reader, typed func()) *input {
	in := &input{chunks: make(chan []byte), closed: make(chan struct{}), typed: typed}
	go in.pump(r)
	return in
}

func (in *input) pump(r io.Reader) {
	defer close(in.chunks)
	buf := make([]byte, 4096)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			if in.typed != nil {
				in.typed()
			}
			select {
			case in.chunks <- append([]byte(nil), buf[:n]...):
			case <-in.closed:
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// Read returns what was typed; io.EOF once the channel ended or the input
// was closed, os.ErrDeadlineExceeded when the deadline passed first.
func (in *input) Read(p []byte) (int, error) {
	in.mu.Lock()
	if len(in.pending) > 0 {
		n := copy(p, in.pending)
		in.pending = in.pending[n:]
		in.mu.Unlock()
		return n, nil
	}
	deadline := in.deadline
	in.mu.Unlock()
	var expired <-chan time.Time
	if !deadline.IsZero() {
		t := time.NewTimer(time.Until(deadline))
		defer t.Stop()
		expired = t.C
	}
	select {
	case chunk, ok := <-in.chunks:
		if !ok {
			return 0, io.EOF
		}
		n := copy(p, chunk)
		in.mu.Lock()
		in.pending = chunk[n:]
		in.mu.Unlock()
		return n, nil
	case <-expired:
		return 0, os.ErrDeadlineExceeded
	case <-in.closed:
		return 0, io.EOF
	}
}

// SetReadDeadline bounds the reads that follow; the zero time removes the
// bound.
func (in *input) SetReadDeadline(t time.Time) error {
	in.mu.Lock()
	in.deadline = t
	in.mu.Unlock()
	return nil
}

// Unread puts b back before anything not yet read: keys typed while the
// terminal was asked a question belong to the wizard.
func (in *input) Unread(b []byte) {
	if len(b) == 0 {
		return
	}
	in.mu.Lock()
	in.pending = append(append([]byte(nil), b...), in.pending...)
	in.mu.Unlock()
}

// Close ends every read, now and later, with io.EOF.
func (in *input) Close() error {
	in.once.Do(func() { close(in.closed) })
	return nil
}
