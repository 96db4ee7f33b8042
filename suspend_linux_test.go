//go:build linux

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// TestCtrlZStopsTheWizardAndFgBringsItBack runs the wizard as a job of an
// interactive bash on a pseudo-terminal, as a person runs it. Ctrl+Z
// stops it as it stops any program there: the alternate screen left, the
// cursor shown, the job stopped and bash's prompt back; fg continues it on
// a screen drawn whole, with its keys read as before (a tab moves the
// focus without waiting for a newline). A stop it did not make (kill
// -TSTP) is taken back the same way on fg. Ctrl+C then exits 130.
func TestCtrlZStopsTheWizardAndFgBringsItBack(t *testing.T) {
	t.Parallel()
	bin := builtBinary(t)
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash to run the wizard as a job")
	}
	home := t.TempDir()
	r := startInTerminal(t, bash, realTerminal, []string{"PS1=$ ", "APIDECK_API_KEY=", "PATH=/usr/bin:/bin",
		"XDG_CONFIG_HOME=" + filepath.Join(home, "config"), "XDG_STATE_HOME=" + filepath.Join(home, "state")},
		"--norc", "--noprofile", "-i")
	defer r.stop()
	press := func(keys string) {
		t.Helper()
		if _, err := r.keyboard.Write([]byte(keys)); err != nil {
			t.Fatal(err)
		}
	}
	// after waits for text in what was written since mark, as written or
	// as it reads without its colours.
	after := func(mark int, text string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for since := r.out.String()[mark:]; !strings.Contains(since, text) && !strings.Contains(ansi.Strip(since), text); since = r.out.String()[mark:] {
			if time.Now().After(deadline) {
				t.Fatalf("%q did not appear; output since then: %q", text, tail(r.out.String()[mark:], 400))
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	mark := func() int { return len(r.out.String()) }

	r.see(t, "$ ", 10*time.Second)
	press(shellQuote(bin) + " --demo\n")
	r.see(t, "2/7 Consumer", 10*time.Second)
	wizard := jobPID(t, r)

	for _, stop := range []string{"ctrl+z", "kill -TSTP"} {
		m := mark()
		if stop == "ctrl+z" {
			press("\x1a")
		} else if err := syscall.Kill(wizard, syscall.SIGTSTP); err != nil {
			t.Fatal(err)
		}
		after(m, "Stopped")
		if state := procState(t, wizard); state != "T" {
			t.Errorf("%s: the wizard is %q, not stopped (T)", stop, state)
		}
		if stop == "ctrl+z" {
			// The wizard gave the terminal back before stopping.
			for _, want := range []string{"\x1b[?1049l", "\x1b[?25h"} {
				if !strings.Contains(r.out.String()[m:], want) {
					t.Errorf("ctrl+z: %q not written before the stop: %q", want, tail(r.out.String()[m:], 300))
				}
			}
		}
		m = mark()
		press("fg\n")
		after(m, "\x1b[?1049h")
		after(m, "2/7 Consumer") // drawn whole again
		// A key goes through at once: the terminal is raw again.
		m = mark()
		if stop == "ctrl+z" {
			press("\t")
			after(m, "› User name")
		} else {
			press("\x1b[Z") // shift+tab
			after(m, "› Account name")
		}
	}
	m := mark()
	press("\x03")
	after(m, "interrupted")
	press("echo rc=$?\n")
	after(m, "rc=130")
	press("exit\n")
}

// jobPID is the pid of the program bash runs as its job under script(1).
func jobPID(t *testing.T, r *ptyRun) int {
	t.Helper()
	shell, err := r.child()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", shell, shell))
	if err != nil {
		t.Fatal(err)
	}
	fields := strings.Fields(string(data))
	if len(fields) == 0 {
		t.Fatal("bash runs no job")
	}
	pid, err := strconv.Atoi(fields[0])
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

// procState is a process's state letter (R, S, T, ...) from /proc.
func procState(t *testing.T, pid int) string {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatal(err)
	}
	// pid (comm) state ...: the state follows the last ")".
	rest := string(data[strings.LastIndexByte(string(data), ')')+1:])
	return strings.Fields(rest)[0]
}
