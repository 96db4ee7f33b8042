package terminal

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"golang.org/x/sys/unix"
)

// pty is a pseudo-terminal: the program under test gets tty; the test
// plays the terminal on the other side.
type pty struct {
	tty    *os.File
	master *os.File
	mu     sync.Mutex
	seen   bytes.Buffer // everything the program wrote
	closed chan struct{}
}

// openPTY opens a pseudo-terminal whose terminal side answers as answer
// says to each thing the program writes (nil: it never answers).
func openPTY(t *testing.T, answer func(written string) string) *pty {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(master.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(master.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	tty, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_ = unix.IoctlSetWinsize(int(tty.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: 24, Col: 80})
	p := &pty{tty: tty, master: master, closed: make(chan struct{})}
	go func() {
		defer close(p.closed)
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			if n > 0 {
				p.mu.Lock()
				p.seen.Write(buf[:n])
				p.mu.Unlock()
				if answer != nil {
					if reply := answer(string(buf[:n])); reply != "" {
						_, _ = master.WriteString(reply)
					}
				}
			}
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		tty.Close()
		master.Close()
		<-p.closed
	})
	return p
}

func (p *pty) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.seen.String()
}

// type_ types text on the terminal's keyboard.
func (p *pty) type_(t *testing.T, text string) {
	t.Helper()
	if _, err := p.master.WriteString(text); err != nil {
		t.Fatal(err)
	}
}

// waitOutput waits until the program wrote text, at most 2 s.
func (p *pty) waitOutput(t *testing.T, text string) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); !strings.Contains(p.output(), text); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%q never written; output %q", text, p.output())
		}
	}
}

const (
	backgroundQuery = "\x1b]11;?\x07"
	attributesQuery = "\x1b[c"
)

// answering is a terminal that answers DA1, and OSC 11 with colour
// when colour is not "".
func answering(colour string) func(string) string {
	return func(written string) string {
		reply := ""
		if colour != "" && strings.Contains(written, backgroundQuery) {
			reply += "\x1b]11;" + colour + "\x1b\\"
		}
		if strings.Contains(written, attributesQuery) {
			reply += "\x1b[?62;22c"
		}
		return reply
	}
}

// ask runs AskBackground and says how long it took; a hang fails the test
// (2 s), where a figure would only be noise on a busy machine.
func ask(t *testing.T, term *Terminal, ctx context.Context, limit time.Duration) (string, bool, time.Duration) {
	t.Helper()
	type answer struct {
		payload string
		ok      bool
	}
	got := make(chan answer, 1)
	start := time.Now()
	go func() {
		payload, ok := term.AskBackground(ctx, limit)
		got <- answer{payload, ok}
	}()
	select {
	case a := <-got:
		return a.payload, a.ok, time.Since(start)
	case <-time.After(2 * time.Second):
		t.Fatal("AskBackground still waiting after 2 s")
		return "", false, 0
	}
}

func openTerminal(t *testing.T, p *pty) *Terminal {
	t.Helper()
	term, err := Open(p.tty, p.tty)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { term.Close() })
	return term
}

// A terminal that answers nothing costs the limit, not more.
func TestAskBackgroundOfASilentTerminal(t *testing.T) {
	p := openPTY(t, nil)
	term := openTerminal(t, p)
	payload, ok, took := ask(t, term, context.Background(), 50*time.Millisecond)
	if ok || payload != "" {
		t.Errorf("a silent terminal gave %q", payload)
	}
	if took < 50*time.Millisecond {
		t.Errorf("gave up after %s, before the limit", took)
	}
	if !strings.Contains(p.output(), backgroundQuery+attributesQuery) {
		t.Errorf("asked %q, want OSC 11 then DA1", p.output())
	}
}

// One that answers only DA1 ends the wait at once: the limit here is
// longer than the test allows.
func TestAskBackgroundEndsWithTheAttributes(t *testing.T) {
	p := openPTY(t, answering(""))
	term := openTerminal(t, p)
	if payload, ok, took := ask(t, term, context.Background(), time.Minute); ok {
		t.Errorf("no colour answer, yet %q", payload)
	} else {
		t.Logf("DA1 only: %s", took)
	}
}

func TestAskBackgroundReadsTheColour(t *testing.T) {
	p := openPTY(t, answering("rgb:ffff/ffff/ffff"))
	term := openTerminal(t, p)
	if payload, ok, _ := ask(t, term, context.Background(), time.Minute); !ok || payload != "rgb:ffff/ffff/ffff" {
		t.Errorf("payload %q, %v", payload, ok)
	}
}

// A signal (ctx) ends the wait at once.
func TestAskBackgroundEndsWithTheContext(t *testing.T) {
	p := openPTY(t, nil)
	term := openTerminal(t, p)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	if _, ok, _ := ask(t, term, ctx, time.Minute); ok {
		t.Error("a colour from a silent terminal")
	}
}

// Keys typed while the terminal is asked reach the program, in order; the
// terminal's answers, even late ones, never do.
func TestKeysTypedWhileAskingAreKept(t *testing.T) {
	p := openPTY(t, nil)
	term := openTerminal(t, p)
	typed := make(chan struct{})
	go func() {
		p.waitOutput(t, attributesQuery)
		p.type_(t, "Ze")
		close(typed)
	}()
	ask(t, term, context.Background(), 100*time.Millisecond)
	<-typed
	p.type_(t, "\x1b]11;rgb:0000/0000/0000\x07\x1b[?62;22cd")
	got := make([]byte, 0, 8)
	buf := make([]byte, 8)
	_ = term.keys.SetReadDeadline(time.Now().Add(2 * time.Second))
	for len(got) < 3 {
		n, err := term.keys.Read(buf)
		if err != nil {
			t.Fatalf("read %q, then %v", got, err)
		}
		got = append(got, buf[:n]...)
	}
	if string(got) != "Zed" {
		t.Errorf("the program reads %q, want %q", got, "Zed")
	}
}

// Close gives the terminal back in the mode Open found it in.
func TestCloseRestoresTheMode(t *testing.T) {
	p := openPTY(t, nil)
	before, err := unix.IoctlGetTermios(int(p.tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	term, err := Open(p.tty, p.tty)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := unix.IoctlGetTermios(int(p.tty.Fd()), unix.TCGETS)
	if raw.Lflag&unix.ICANON != 0 || raw.Lflag&unix.ECHO != 0 {
		t.Errorf("Open left the terminal cooked: lflag %#x", raw.Lflag)
	}
	if err := term.Close(); err != nil {
		t.Fatal(err)
	}
	after, _ := unix.IoctlGetTermios(int(p.tty.Fd()), unix.TCGETS)
	if *after != *before {
		t.Errorf("after Close: %+v\nbefore Open: %+v", after, before)
	}
}

// editorModel runs one command with tea.Exec, then quits.
type editorModel struct {
	run  tea.ExecCommand
	done *error
}

type editorDone struct{ err error }

func (m editorModel) Init() tea.Cmd {
	return tea.Exec(m.run, func(err error) tea.Msg { return editorDone{err} })
}

func (m editorModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case editorDone:
		*m.done = msg.err
	case tea.KeyMsg:
		if msg.String() == "q" {
			return m, tea.Quit
		}
	}
	return m, nil
}

func (m editorModel) View() string { return "the wizard" }

// A command run with Exec ($EDITOR) gets the terminal itself, in its
// normal mode and on the normal screen; the wizard's screen comes back
// after it, drawn whole, and keys typed after it reach the wizard.
func TestExecHandsTheTerminalOver(t *testing.T) {
	p := openPTY(t, answering(""))
	term := openTerminal(t, p)
	report := filepath.Join(t.TempDir(), "editor")
	// The "editor" checks its stdin is a terminal in canonical mode with
	// echo, as an editor expects to find it.
	cmd := exec.Command("sh", "-c", `test -t 0 && stty -a | grep -q -- " icanon" && stty -a | grep -q -- " echo " && echo ok > "$0"`, report)
	var cmdErr error
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	go func() {
		// The wizard drawn again after the editor, a key quits it.
		for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			if strings.Count(p.output(), "the wizard") >= 2 {
				break
			}
		}
		_, _ = p.master.WriteString("q")
	}()
	if _, err := term.Run(ctx, editorModel{run: term.Exec(cmd), done: &cmdErr}); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(report); cmdErr != nil || string(data) != "ok\n" {
		t.Fatalf("the editor ran with %v and reported %q", cmdErr, data)
	}
	out := p.output()
	leave := strings.Index(out, "\x1b[?1049l")
	enter := strings.LastIndex(out, "\x1b[?1049h")
	if leave < 0 || enter < leave || !strings.Contains(out[enter:], "\x1b[2J") || !strings.Contains(out[enter:], "the wizard") {
		t.Errorf("the screen was not left for the editor and drawn whole after it: %q", out)
	}
}
