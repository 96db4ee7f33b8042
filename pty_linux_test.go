//go:build linux

package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/ui/lockedwriter"
)

// ptyRun is the command running under script(1), which gives it a
// pseudo-terminal for stdin and stdout and exits with its exit code.
type ptyRun struct {
	script   *exec.Cmd
	out      *lockedwriter.Buffer
	keyboard io.WriteCloser
	done     chan struct{}
}

// startInPTY runs bin with args under script(1) on a terminal that
// answers as a real one does; it skips when script is missing. stdin is a
// pipe that stays open, as a keyboard would.
func startInPTY(t *testing.T, bin string, env []string, args ...string) *ptyRun {
	t.Helper()
	return startInTerminal(t, bin, realTerminal, env, args...)
}

// startInTerminal is startInPTY on a terminal that gives answers to the
// questions the program asks.
func startInTerminal(t *testing.T, bin string, answers []terminalAnswer, env []string, args ...string) *ptyRun {
	t.Helper()
	scriptBin, err := exec.LookPath("script")
	if err != nil {
		t.Skip("script(1) is not installed")
	}
	cmdline := "exec " + shellQuote(bin)
	for _, a := range args {
		cmdline += " " + shellQuote(a)
	}
	cmd := exec.Command(scriptBin, "-qefc", cmdline, "/dev/null")
	cmd.Env = append([]string{"TERM=xterm-256color", "COLUMNS=100", "LINES=30", "HOME=" + t.TempDir()}, env...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	r := &ptyRun{script: cmd, out: &lockedwriter.Buffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = r.out, r.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		_ = cmd.Wait()
		close(r.done)
	}()
	go r.answerQueries(stdin, answers)
	r.keyboard = stdin
	return r
}

// stop closes the keyboard and kills what is still running.
func (r *ptyRun) stop() {
	r.keyboard.Close()
	select {
	case <-r.done:
		return
	default:
	}
	if pid, err := r.child(); err == nil {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	_ = r.script.Process.Kill()
	<-r.done
}

// terminalAnswer is what a terminal answers to one question.
type terminalAnswer struct{ query, answer string }

// The questions the wizard asks the terminal at start, in order, as
// terminals answer them.
var (
	// realTerminal answers each: the background colour (OSC 11), the
	// device attributes (DA1) and the cursor position.
	realTerminal = []terminalAnswer{
		{"\x1b]11;?", "\x1b]11;rgb:1e1e/1e1e/1e1e\x1b\\"},
		{"\x1b[c", "\x1b[?62;22c"},
		{"\x1b[6n", "\x1b[1;1R"},
	}
	// attributesOnly knows no OSC 11, as GNU screen or the Linux console.
	attributesOnly = []terminalAnswer{{"\x1b[c", "\x1b[?62;22c"}}
	// silentTerminal answers nothing at all.
	silentTerminal []terminalAnswer
)

// answerQueries answers each question the program asks the terminal, as
// it is asked, with answers.
func (r *ptyRun) answerQueries(keyboard io.Writer, answers []terminalAnswer) {
	answered := make([]bool, len(answers))
	for left := len(answers); left > 0; {
		out := r.out.String()
		for i, a := range answers {
			if !answered[i] && strings.Contains(out, a.query) {
				_, _ = io.WriteString(keyboard, a.answer)
				answered[i] = true
				left--
			}
		}
		select {
		case <-r.done:
			return
		case <-time.After(2 * time.Millisecond):
		}
	}
}

// waitFor waits until the output holds text, at most limit.
func (r *ptyRun) waitFor(text string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for !strings.Contains(r.out.String(), text) {
		if time.Now().After(deadline) {
			return fmt.Errorf("%q did not appear within %s; output ends %q", text, limit, tail(r.out.String(), 200))
		}
		select {
		case <-r.done:
			return fmt.Errorf("ended before %q appeared; output ends %q", text, tail(r.out.String(), 200))
		case <-time.After(10 * time.Millisecond):
		}
	}
	return nil
}

// see waits until the output holds text, at most limit; else the test
// ends.
func (r *ptyRun) see(t *testing.T, text string, limit time.Duration) {
	t.Helper()
	if err := r.waitFor(text, limit); err != nil {
		t.Fatal(err)
	}
}

// signal sends sig to the program (not to script(1)); else the test ends.
func (r *ptyRun) signal(t *testing.T, sig syscall.Signal) {
	t.Helper()
	pid, err := r.child()
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(pid, sig); err != nil {
		t.Fatal(err)
	}
}

// child is the pid of the program script(1) runs (script forks once and
// the shell execs the program).
func (r *ptyRun) child() (int, error) {
	pid := r.script.Process.Pid
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid))
	if err != nil {
		return 0, err
	}
	fields := strings.Fields(string(data))
	if len(fields) == 0 {
		return 0, errors.New("script has no child")
	}
	return strconv.Atoi(fields[0])
}

// exit waits at most limit for the run to end and returns its exit code.
func (r *ptyRun) exit(limit time.Duration) (int, bool) {
	select {
	case <-r.done:
		return r.script.ProcessState.ExitCode(), true
	case <-time.After(limit):
		return -1, false
	}
}

// TestWizardExitsCleanlyOnSignals sends SIGTERM and SIGINT with kill(2) to
// the real wizard on a pseudo-terminal, many times, at different moments
// after its first frame. Each must end within a second, exit 130, leave the
// alternate screen and say it was interrupted. Bubble Tea's own signal
// handler used to race main's for the same signal and hang about half the
// time. SIGNAL_TRIES sets the number of tries (.ci/signal-exits uses it).
func TestWizardExitsCleanlyOnSignals(t *testing.T) {
	t.Parallel()
	bin := builtBinary(t)
	tries := 8
	if n, err := strconv.Atoi(os.Getenv("SIGNAL_TRIES")); err == nil && n > 0 {
		tries = n
	}
	clean := map[syscall.Signal]int{}
	sent := map[syscall.Signal]int{}
	for i := range tries {
		sig := syscall.SIGTERM
		if i%2 == 1 {
			sig = syscall.SIGINT
		}
		sent[sig]++
		if problem := signalTry(t, bin, sig, time.Duration(i%5)*10*time.Millisecond); problem != "" {
			t.Errorf("try %d, %s: %s", i+1, sig, problem)
			continue
		}
		clean[sig]++
	}
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Logf("%d of %d %s tries exited cleanly", clean[sig], sent[sig], signalName(sig))
	}
}

// signalTry starts the wizard, waits for its first frame and delay more,
// sends sig and says what went wrong, or "" for a clean exit.
func signalTry(t *testing.T, bin string, sig syscall.Signal, delay time.Duration) string {
	r := startInPTY(t, bin, []string{"APIDECK_API_KEY="}, "--demo")
	defer r.stop()
	if err := r.waitFor("vault-session", 10*time.Second); err != nil {
		return err.Error()
	}
	time.Sleep(delay)
	pid, err := r.child()
	if err != nil {
		return err.Error()
	}
	if err := syscall.Kill(pid, sig); err != nil {
		return err.Error()
	}
	code, ended := r.exit(time.Second)
	out := r.out.String()
	switch {
	case !ended:
		return fmt.Sprintf("still running 1 s later; output ends %q", tail(out, 200))
	case code != exitInterrupted:
		return fmt.Sprintf("exit %d, want %d", code, exitInterrupted)
	case !strings.Contains(out, "\x1b[?1049l"):
		return fmt.Sprintf("the alternate screen was not left: %q", tail(out, 200))
	case !strings.Contains(out, "interrupted"):
		return fmt.Sprintf("no note on stderr: %q", tail(out, 200))
	}
	return ""
}

func signalName(sig syscall.Signal) string {
	if sig == syscall.SIGINT {
		return "SIGINT"
	}
	return "SIGTERM"
}

// TestCtrlCKeyStillExits130 is the key, not the signal: the terminal is in
// raw mode, so Ctrl+C arrives as a key press.
func TestCtrlCKeyStillExits130(t *testing.T) {
	t.Parallel()
	bin := builtBinary(t)
	r := startInPTY(t, bin, []string{"APIDECK_API_KEY="}, "--demo")
	defer r.stop()
	r.see(t, "vault-session", 10*time.Second)
	if _, err := r.keyboard.Write([]byte{0x03}); err != nil {
		t.Fatal(err)
	}
	if code, ended := r.exit(2 * time.Second); !ended || code != exitInterrupted {
		t.Fatalf("ctrl+c: ended %v, exit %d; output ends %q", ended, code, tail(r.out.String(), 200))
	}
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// TestWaitingReadsEndOnSignals: --from on a FIFO nobody opens for writing,
// and --from - on a pipe nobody writes to, both wait in a system call that
// no signal interrupts. SIGINT and SIGTERM must still end them with 130,
// print nothing on stdout, and do so even if the data arrives afterwards.
func TestWaitingReadsEndOnSignals(t *testing.T) {
	t.Parallel()
	bin := builtBinary(t)
	fifo := filepath.Join(t.TempDir(), "session.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	for _, tc := range []struct {
		name string
		from string
		sig  syscall.Signal
	}{
		{"fifo SIGTERM", fifo, syscall.SIGTERM},
		{"fifo SIGINT", fifo, syscall.SIGINT},
		{"pipe SIGTERM", "-", syscall.SIGTERM},
		{"pipe SIGINT", "-", syscall.SIGINT},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(bin, "create", "--demo", "--dry-run", "--from", tc.from)
			stdin, err := cmd.StdinPipe() // a pipe that stays open and silent
			if err != nil {
				t.Fatal(err)
			}
			defer stdin.Close()
			var stdout, stderr lockedwriter.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			// A signal before main has set up its handling would only show
			// Go's default; wait until a thread waits on the pipe or FIFO.
			waitBlockedOnPipe(t, cmd.Process.Pid)
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			select {
			case err = <-done:
			case <-time.After(time.Second):
				_ = cmd.Process.Kill()
				<-done
				t.Fatalf("still waiting 1 s after %s", tc.sig)
			}
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != exitInterrupted {
				t.Errorf("after %s: %v, want exit %d; stderr %q", tc.sig, err, exitInterrupted, stderr.String())
			}
			if stdout.String() != "" {
				t.Errorf("printed on stdout after %s: %q", tc.sig, stdout.String())
			}
		})
	}
}

// waitBlockedOnPipe waits until one of pid's threads sleeps in the kernel
// on a pipe or FIFO (its wchan says so: anon_pipe_read, pipe_read,
// wait_for_partner, fifo_open), or 3 s, whichever comes first.
func waitBlockedOnPipe(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/wchan", pid))
		for _, task := range tasks {
			wchan, _ := os.ReadFile(task)
			if w := string(wchan); strings.Contains(w, "pipe") || strings.Contains(w, "fifo") || strings.Contains(w, "partner") {
				return
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Logf("pid %d never seen waiting on a pipe; signalling anyway", pid)
}
