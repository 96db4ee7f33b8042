// Package terminal owns the terminal the wizard runs on, from the question
// it asks before the first frame to the mode it restores after the last:
// raw mode, the alternate screen, the keyboard and the frames.
//
// Two things Bubble Tea v1 does are done here instead:
//
//   - Drawing (Screen): its renderer compares the screen on a 60 Hz ticker
//     that never stops, so an idle wizard woke the machine about 300 times
//     a second. A Screen draws when the view changes and sleeps otherwise.
//   - Reading the keyboard: the terminal is read here and what was typed
//     is handed to Bubble Tea through a pipe. So the terminal can be asked
//     for its background before Bubble Tea starts without losing the keys
//     typed meanwhile, and the terminal's answers are taken out of the
//     stream wherever they arrive, never typed into a field.
//
// Bubble Tea still runs the model: messages, commands and key parsing.
package terminal

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"runtime"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"
	"github.com/muesli/cancelreader"
)

// ErrNotTerminal is Open's answer when input or output is not a terminal
// this package can drive.
var ErrNotTerminal = errors.New("not a terminal")

// The modes the wizard's screen is drawn in, and their undoing.
const (
	enterScreen = ansi.SetModeAltScreenSaveCursor + ansi.EraseEntireScreen + ansi.CursorHomePosition +
		ansi.HideCursor + ansi.SetModeBracketedPaste
	leaveScreen = ansi.ResetModeBracketedPaste + ansi.ShowCursor + ansi.ResetModeAltScreenSaveCursor
)

// Terminal is a terminal in raw mode, from Open to Close.
type Terminal struct {
	in, out *os.File
	cooked  *term.State // the mode to restore
	// remote is set by OpenStream: a terminal on another machine, in and
	// out nil (see stream.go).
	remote *stream

	// keys is the pipe Bubble Tea reads the keyboard from; keysIn its
	// write end.
	keys, keysIn *os.File
	replies      chan reply

	keyboard *keyboard // nil while another program has the terminal
	screen   *Screen   // set by Run
	entered  bool      // the alternate screen is showing

	// ownStop is set while the wizard stops itself (Suspend), so that the
	// SIGCONT that ends it is not taken for someone else's.
	ownStop atomic.Bool
}

// Open puts the terminal of in and out in raw mode and starts reading its
// keyboard. Close gives it back as it was.
func Open(in, out *os.File) (*Terminal, error) {
	if runtime.GOOS == "windows" || !term.IsTerminal(in.Fd()) || !term.IsTerminal(out.Fd()) {
		// Windows consoles send keys as records, which Bubble Tea reads
		// itself; a pipe would lose them.
		return nil, ErrNotTerminal
	}
	cooked, err := term.MakeRaw(in.Fd())
	if err != nil {
		return nil, err
	}
	keys, keysIn, err := os.Pipe()
	if err != nil {
		_ = term.Restore(in.Fd(), cooked)
		return nil, err
	}
	t := &Terminal{in: in, out: out, cooked: cooked, keys: keys, keysIn: keysIn, replies: make(chan reply, 8)}
	if err := t.startKeyboard(); err != nil {
		keys.Close()
		keysIn.Close()
		_ = term.Restore(in.Fd(), cooked)
		return nil, err
	}
	return t, nil
}

// AskBackground asks the terminal for its background colour (OSC 11) and
// then for its device attributes (DA1), which every terminal answers, in
// order: once that answer is in, no colour answer is coming. It waits at
// most limit, and not at all once ctx is done. The payload is what the
// colour answer says ("rgb:1e1e/1e1e/1e1e"); ok is false without one.
// Keys typed meanwhile stay queued for the wizard.
func (t *Terminal) AskBackground(ctx context.Context, limit time.Duration) (payload string, ok bool) {
	for drained := false; !drained; { // answers to questions nobody asked
		select {
		case <-t.replies:
		default:
			drained = true
		}
	}
	if _, err := io.WriteString(t.writer(), ansi.RequestBackgroundColor+ansi.RequestPrimaryDeviceAttributes); err != nil {
		return "", false
	}
	wait := time.NewTimer(limit)
	defer wait.Stop()
	for {
		select {
		case <-ctx.Done():
			return payload, ok
		case <-wait.C:
			return payload, ok
		case r := <-t.replies:
			switch r.kind {
			case backgroundReply:
				payload, ok = r.payload, true
			case attributesReply:
				return payload, ok
			}
		}
	}
}

// Run runs model on the alternate screen until it quits or ctx is done,
// and returns the model as it last was. Signals are the caller's: ctx
// ends the program.
func (t *Terminal) Run(ctx context.Context, model tea.Model) (tea.Model, error) {
	if _, err := io.WriteString(t.writer(), enterScreen); err != nil {
		return model, err
	}
	t.entered = true
	t.screen = NewScreen(t.writer(), FrameInterval)
	var sized tea.Cmd
	if width, height, err := t.size(); err == nil {
		// The model knows the size before its first frame, so that frame
		// is drawn once, at the right size.
		t.screen.Resize(width, height)
		model, sized = model.Update(tea.WindowSizeMsg{Width: width, Height: height})
	}
	p := tea.NewProgram(onScreen{model: model, t: t, init: sized},
		tea.WithContext(ctx),
		tea.WithoutSignalHandler(),
		tea.WithoutRenderer(),
		tea.WithInput(t.input()),
		tea.WithOutput(t.writer()),
	)
	stop := t.followSize(p.Send)
	defer stop()
	stopContinued := t.watchContinued(func(msg any) { p.Send(msg) })
	defer stopContinued()
	final, err := p.Run()
	if m, ok := final.(onScreen); ok {
		return m.model, err
	}
	return model, err
}

// Suspend is Ctrl+Z as a shell knows it, for tea.Exec to run: the
// terminal given back as Open found it, the process stopped as the shell's
// job, and once it is continued (fg) the terminal taken again and the
// screen drawn whole. Nil where nothing could continue it: a terminal on
// another machine, or no shell with job control (see jobControl).
func (t *Terminal) Suspend() tea.ExecCommand {
	if t.remote != nil || !jobControl() {
		return nil
	}
	return &stopping{t: t}
}

// stopping is Suspend's command.
type stopping struct{ t *Terminal }

func (s *stopping) SetStdin(io.Reader)  {}
func (s *stopping) SetStdout(io.Writer) {}
func (s *stopping) SetStderr(io.Writer) {}

func (s *stopping) Run() error {
	if err := s.t.suspend(); err != nil {
		return err
	}
	s.t.stopJob()
	return s.t.resume()
}

// continued is SIGCONT: the process was stopped and is going on.
type continued struct{}

// retake takes the terminal back after a stop the wizard did not make
// itself (kill -TSTP, Ctrl+Z in $EDITOR): the shell has put its own mode
// on the terminal and drawn on the screen.
func (t *Terminal) retake() {
	if t.ownStop.Swap(false) || t.keyboard == nil {
		return // Suspend's own stop, or another program has the terminal
	}
	_, _ = term.MakeRaw(t.in.Fd())
	t.screen.Pause()
	_, _ = io.WriteString(t.out, enterScreen)
	t.screen.Resume()
}

// Exec is cmd as tea.Exec runs it: on this terminal in its own mode, on
// the normal screen, with nothing read from the keyboard here meanwhile.
// (tea.ExecProcess would hand it Bubble Tea's input, the pipe.)
func (t *Terminal) Exec(cmd *exec.Cmd) tea.ExecCommand { return &handover{t: t, cmd: cmd} }

// Close leaves the alternate screen, stops reading the keyboard and puts
// the terminal back in the mode Open found it in.
func (t *Terminal) Close() error {
	if t.screen != nil {
		t.screen.Close()
	}
	if t.entered {
		_, _ = io.WriteString(t.writer(), leaveScreen)
		t.entered = false
	}
	t.stopKeyboard()
	t.keys.Close()
	t.keysIn.Close()
	if t.remote != nil {
		return nil // the other machine's terminal is its own to restore
	}
	return term.Restore(t.in.Fd(), t.cooked)
}

// suspend gives the terminal to another program.
func (t *Terminal) suspend() error {
	t.screen.Pause()
	_, _ = io.WriteString(t.out, leaveScreen)
	t.stopKeyboard()
	return term.Restore(t.in.Fd(), t.cooked)
}

// resume takes the terminal back and redraws the screen whole.
func (t *Terminal) resume() error {
	if _, err := term.MakeRaw(t.in.Fd()); err != nil {
		return err
	}
	_, _ = io.WriteString(t.out, enterScreen)
	err := t.startKeyboard()
	t.screen.Resume()
	return err
}

// handover is a command run on the terminal while the wizard waits.
type handover struct {
	t   *Terminal
	cmd *exec.Cmd
}

// Bubble Tea would hand the command its own input and output; the
// command gets the terminal itself.
func (h *handover) SetStdin(io.Reader)  {}
func (h *handover) SetStdout(io.Writer) {}
func (h *handover) SetStderr(io.Writer) {}

func (h *handover) Run() error {
	if err := h.t.suspend(); err != nil {
		return err
	}
	if h.cmd.Stdin == nil {
		h.cmd.Stdin = h.t.in
	}
	if h.cmd.Stdout == nil {
		h.cmd.Stdout = h.t.out
	}
	if h.cmd.Stderr == nil {
		h.cmd.Stderr = os.Stderr
	}
	err := h.cmd.Run()
	if rerr := h.t.resume(); err == nil {
		err = rerr
	}
	return err
}

// keyboard copies what the terminal sends to the pipe Bubble Tea reads,
// without the terminal's answers.
type keyboard struct {
	reader cancelreader.CancelReader
	done   chan struct{}
}

func (t *Terminal) startKeyboard() error {
	var reader cancelreader.CancelReader
	var err error
	if t.remote != nil {
		reader = t.remote.keyboard()
	} else if reader, err = cancelreader.NewReader(t.in); err != nil {
		return err
	}
	k := &keyboard{reader: reader, done: make(chan struct{})}
	t.keyboard = k
	go t.forward(k)
	return nil
}

func (t *Terminal) forward(k *keyboard) {
	defer close(k.done)
	var scanner replyScanner
	buf := make([]byte, 4096)
	for {
		n, err := k.reader.Read(buf)
		if n > 0 {
			keys, replies := scanner.scan(buf[:n])
			for _, r := range replies {
				select {
				case t.replies <- r:
				default: // nobody is asking
				}
			}
			if len(keys) > 0 {
				if _, werr := t.keysIn.Write(keys); werr != nil {
					return
				}
			}
		}
		if err != nil {
			return
		}
	}
}

// stopKeyboard stops reading the terminal, and returns once nothing more
// will be read from it.
func (t *Terminal) stopKeyboard() {
	k := t.keyboard
	if k == nil {
		return
	}
	t.keyboard = nil
	k.reader.Cancel()
	// A write into a pipe nobody empties (Bubble Tea has stopped reading)
	// must not hold the keyboard open.
	_ = t.keysIn.SetWriteDeadline(time.Now())
	<-k.done
	_ = t.keysIn.SetWriteDeadline(time.Time{})
	_ = k.reader.Close()
}

// onScreen is the model as Bubble Tea runs it: its frames go to the
// terminal's Screen; a continue after a stop is answered here.
type onScreen struct {
	model tea.Model
	t     *Terminal
	init  tea.Cmd // from the size the model was given before the start
}

func (m onScreen) Init() tea.Cmd { return tea.Batch(m.init, m.model.Init()) }

func (m onScreen) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.t.screen.Resize(msg.Width, msg.Height)
	case continued:
		m.t.retake()
		return m, nil
	}
	var cmd tea.Cmd
	m.model, cmd = m.model.Update(msg)
	return m, cmd
}

// View draws; Bubble Tea has no renderer to give the text to.
func (m onScreen) View() string {
	m.t.screen.Show(m.model.View())
	return ""
}
