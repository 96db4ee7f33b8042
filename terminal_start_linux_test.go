//go:build linux

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The wizard asks the terminal for its background colour before its first
// frame. A terminal that answers nothing (no OSC 11, no device attributes)
// used to hold it 5 s with nothing drawn; one that knows no OSC 11 but
// answers DA1 ends the question at once. Either way the first frame comes
// at once: the bound here only catches the old wait, the figures are
// .ci/silent-terminal's. These tests, and TestIdleWizardSleeps's count of
// wake-ups, are not parallel: they run before the package's parallel
// tests, whose binaries would load the machine they are timed on.
func TestTerminalsThatDoNotAnswerDrawAtOnce(t *testing.T) {
	bin := builtBinary(t)
	for _, tc := range []struct {
		name    string
		answers []terminalAnswer
	}{
		{"silent", silentTerminal},
		{"DA1 only", attributesOnly},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			r := startInTerminal(t, bin, tc.answers, []string{"APIDECK_API_KEY="}, "--demo")
			defer r.stop()
			r.see(t, "Account name", 2*time.Second)
			t.Logf("first frame after %s (script(1) included)", time.Since(start).Round(time.Millisecond))
			// The answer to DA1 is taken out of the keyboard's stream, not
			// typed into the focused field, which still shows its placeholder
			// (its first letter under the cursor).
			if err := r.waitFor(".g. SpaceX", 2*time.Second); err != nil {
				t.Error(err)
			}
			if out := r.out.String(); strings.Contains(out, "62;22c") {
				t.Errorf("the terminal's answer reached the screen: %q", tail(out, 300))
			}
		})
	}
}

// SIGTERM while the wizard waits for the terminal's answer ends it at once
// with 130 (it used to act only after the 5 s wait).
func TestSignalWhileAskingTheTerminal(t *testing.T) {
	bin := builtBinary(t)
	r := startInTerminal(t, bin, silentTerminal, []string{"APIDECK_API_KEY="}, "--demo")
	defer r.stop()
	r.see(t, "\x1b]11;?", 2*time.Second)
	sent := time.Now()
	r.signal(t, syscall.SIGTERM)
	code, ended := r.exit(2 * time.Second)
	if !ended || code != exitInterrupted {
		t.Fatalf("ended %v with %d, want 130; output ends %q", ended, code, tail(r.out.String(), 200))
	}
	out := r.out.String()
	t.Logf("exited %s after SIGTERM (screen entered first: %v)", time.Since(sent).Round(time.Millisecond), strings.Contains(out, "\x1b[?1049h"))
	if !strings.Contains(out, "interrupted") {
		t.Errorf("no note that it was interrupted: %q", tail(out, 200))
	}
}

// Keys typed while the terminal is asked reach the wizard (they used to
// be read and thrown away with the answer the query waited for).
func TestKeysTypedWhileAskingTheTerminalAreKept(t *testing.T) {
	bin := builtBinary(t)
	r := startInTerminal(t, bin, silentTerminal, []string{"APIDECK_API_KEY="}, "--demo")
	defer r.stop()
	r.see(t, "\x1b]11;?", 2*time.Second)
	if _, err := r.keyboard.Write([]byte("Zorro")); err != nil {
		t.Fatal(err)
	}
	r.see(t, "Zorro", 2*time.Second)
}

// A wizard waiting for a key sleeps: Bubble Tea's renderer used to wake
// 60 times a second to compare the screen with itself (about 300 thread
// wake-ups a second). Counted from the kernel's scheduler statistics, not
// timed: well under one wake-up per frame of the old ticker.
// .ci/idle-wakeups prints the figure for every screen.
func TestIdleWizardSleeps(t *testing.T) {
	bin := builtBinary(t)
	r := startInPTY(t, bin, []string{"APIDECK_API_KEY="}, "--demo")
	defer r.stop()
	r.see(t, "Account name", 5*time.Second)
	pid, err := r.child()
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // the start's own work settles
	before, err := timeslices(pid)
	if err != nil {
		t.Skipf("no scheduler statistics: %v", err)
	}
	time.Sleep(time.Second)
	after, err := timeslices(pid)
	if err != nil {
		t.Fatal(err)
	}
	woke := after - before
	t.Logf("%d wake-ups in 1 s on a still screen", woke)
	if woke >= 30 {
		t.Errorf("%d wake-ups in 1 s on a still screen, want a sleeping process (under 30)", woke)
	}
}

// timeslices is how many times pid's threads have been put on a CPU: the
// third field of each /proc/PID/task/TID/schedstat.
func timeslices(pid int) (int, error) {
	stats, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", pid))
	if err != nil || len(stats) == 0 {
		return 0, fmt.Errorf("no /proc/%d/task/*/schedstat", pid)
	}
	total := 0
	for _, path := range stats {
		data, err := os.ReadFile(path)
		if err != nil {
			continue // a thread that ended
		}
		fields := strings.Fields(string(data))
		if len(fields) < 3 {
			return 0, fmt.Errorf("%s: %q", path, data)
		}
		n, err := strconv.Atoi(fields[2])
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}
