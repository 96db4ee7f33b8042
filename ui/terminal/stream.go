package terminal

import (
	"errors"
	"io"
	"os"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/term"
)

// Size is a terminal's size in cells.
type Size struct{ Width, Height int }

// stream is a terminal on another machine, reached through a stream: the
// SSH team server's connections. The person's own terminal is raw already
// (their ssh client made it so) and is restored by that client; its size
// comes with the stream, not from an ioctl; and its keyboard is read from
// the stream, whose Close ends a read in progress.
type stream struct {
	in    io.ReadCloser
	out   io.Writer
	sizes <-chan Size
}

// OpenStream is Open for a terminal on another machine: keys come from in
// and frames go to out, as they would on a local terminal, the background
// asked through them the same way; sizes gives the terminal's size, a
// first one at once and then one per resize. Closing in must end a Read
// in progress (with io.EOF), which is how the keyboard stops. Close leaves
// the alternate screen and stops reading; it does not close out.
func OpenStream(in io.ReadCloser, out io.Writer, sizes <-chan Size) (*Terminal, error) {
	keys, keysIn, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	t := &Terminal{keys: keys, keysIn: keysIn, replies: make(chan reply, 8),
		remote: &stream{in: in, out: out, sizes: sizes}}
	if err := t.startKeyboard(); err != nil {
		keys.Close()
		keysIn.Close()
		return nil, err
	}
	return t, nil
}

// writer is where frames and questions go.
func (t *Terminal) writer() io.Writer {
	if t.remote != nil {
		return t.remote.out
	}
	return t.out
}

// input is the keyboard as Bubble Tea reads it. For a stream it is the
// pipe as a plain reader: Bubble Tea then reads it without epoll, and a
// wizard ended from outside (the connection dropped, the server stopping)
// has its reader end when Close closes the pipe, instead of Bubble Tea
// closing the file under its own epoll read (a data race). A stream's
// wizard runs no other program, which is what epoll's cancelling is for.
func (t *Terminal) input() io.Reader {
	if t.remote != nil {
		return struct{ io.Reader }{t.keys}
	}
	return t.keys
}

// errNoSize is a stream that said no size before the wizard started.
var errNoSize = errors.New("the terminal has not said its size")

// firstSizeWait is how long Run waits for a stream's first size: an SSH
// client sends it with its request for a terminal, before the wizard is
// started, so it is there already.
const firstSizeWait = time.Second

// size is the terminal's size now.
func (t *Terminal) size() (width, height int, err error) {
	if t.remote == nil {
		return termSize(t.out)
	}
	select {
	case s, ok := <-t.remote.sizes:
		if ok {
			return s.Width, s.Height, nil
		}
	case <-time.After(firstSizeWait):
	}
	return 0, 0, errNoSize
}

func termSize(f *os.File) (width, height int, err error) { return term.GetSize(f.Fd()) }

// followSize sends each new size to the program until stop is called.
func (t *Terminal) followSize(send func(tea.Msg)) (stop func()) {
	if t.remote == nil {
		return followSize(t.out, send)
	}
	return FollowSizes(t.remote.sizes, send)
}

// FollowSizes hands each size from sizes (an SSH client's window changes)
// to the program until sizes is closed or stop is called. A nil sizes
// sends nothing.
func FollowSizes(sizes <-chan Size, send func(tea.Msg)) (stop func()) {
	if sizes == nil {
		return func() {}
	}
	return relay(sizes, func(s Size) { send(tea.WindowSizeMsg{Width: s.Width, Height: s.Height}) })
}

// keyboard reads the stream; cancelling closes it, which ends the read.
func (s *stream) keyboard() *streamReader { return &streamReader{ReadCloser: s.in} }

// streamReader is a stream's input as a cancelreader.CancelReader.
type streamReader struct{ io.ReadCloser }

func (r *streamReader) Cancel() bool {
	_ = r.ReadCloser.Close()
	return true
}
