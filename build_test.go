package main

import (
	"bytes"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// TestBuiltBinary runs the command built with a version stamp, as a
// release is, for real: the stamp, main's wiring and the real terminal
// checks.
func TestBuiltBinary(t *testing.T) {
	t.Parallel()
	bin := builtBinary(t)

	runBin := func(stdin string, env []string, args ...string) (int, string, string) {
		cmd := exec.Command(bin, args...)
		cmd.Stdin = strings.NewReader(stdin) // a pipe: not a terminal
		cmd.Env = env
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		if exit, ok := err.(*exec.ExitError); ok {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return code, stdout.String(), stderr.String()
	}

	if code, out, _ := runBin("", nil, "--version"); code != 0 || out != "vault-session "+testVersion+"\n" {
		t.Errorf("--version: exit %d, %q", code, out)
	}
	// No terminal and no --from: a usage error at once, not a prompt.
	if code, _, errOut := runBin("", nil); code != exitUsage || !strings.Contains(errOut, "terminal") {
		t.Errorf("no terminal: exit %d, stderr %q", code, errOut)
	}
	code, out, errOut := runBin(`{"theme": {"vault_name": "Piped"}}`, []string{envAPIKey + "=" + testAPIKey},
		"create", "--from", "-", "--dry-run", "--app-id", "a", "--consumer-id", "c")
	if code != 0 || !strings.Contains(out, `"vault_name": "Piped"`) || !strings.Contains(out, "vault-session/"+testVersion) {
		t.Errorf("dry run from stdin: exit %d\n%s%s", code, out, errOut)
	}
	if strings.Contains(out+errOut, testAPIKey) {
		t.Error("the API key was printed")
	}

	// On a real terminal, start-up asks the terminal nothing: Bubble Tea's
	// init would send a background query (ui/quietstart stops it). script(1)
	// gives the command a pseudo-terminal and records what it writes.
	if scriptBin, err := exec.LookPath("script"); err == nil {
		cmd := exec.Command(scriptBin, "-qec", bin+" --version", "/dev/null")
		cmd.Stdin = strings.NewReader("")
		raw, err := cmd.Output()
		if err != nil {
			t.Fatalf("script: %v", err)
		}
		if !strings.Contains(string(raw), testVersion) {
			t.Fatalf("--version on a terminal printed %q", raw)
		}
		for _, query := range []string{"\x1b]11;?", "\x1b[6n"} {
			if strings.Contains(string(raw), query) {
				t.Errorf("start-up sent the terminal query %q", query)
			}
		}
		accessibleOnATerminal(t, scriptBin, bin)
	}
}

// accessibleOnATerminal runs the plain-prompt wizard through a whole
// session on a pseudo-terminal, answering every question with enter (the
// demo API, the values shown), a y to create and 6 of "What next?" to
// watch the connections (enter stops), and checks the transcript
// holds no cursor movement, screen clearing or alternate screen: only
// lines, as a screen reader or a braille display needs.
func accessibleOnATerminal(t *testing.T, scriptBin, bin string) {
	t.Helper()
	answers := strings.Repeat("\n", 3+5) + "1,crm\n" + strings.Repeat("\n", 1+8+1+1+8+1) + "\ny\n" + "6\n\n" + "q\n" // no preset, create; what next: watch and stop, quit
	cmd := exec.Command(scriptBin, "-qec", bin, "/dev/null")
	cmd.Stdin = strings.NewReader(answers)
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + t.TempDir(), "TERM=xterm-256color", "ACCESSIBLE=1"}
	raw, err := cmd.Output()
	if err != nil {
		t.Fatalf("accessible run: %v\n%s", err, raw)
	}
	transcript := string(raw)
	for _, want := range []string{"Step 1 of 7: Credentials", "Step 7 of 7: Review", "Session URL: http://127.0.0.1:", "Stopped watching."} {
		if !strings.Contains(transcript, want) {
			t.Errorf("the transcript lacks %q:\n%s", want, transcript)
		}
	}
	// CSI sequences that move the cursor, erase or scroll end in one of
	// these letters; ?1049h is the alternate screen; OSC 11 a query.
	csi := regexp.MustCompile(`\x1b\[[0-9;?]*[ABCDEFGHJKSTfsuhl]`)
	if m := csi.FindString(transcript); m != "" {
		t.Errorf("the accessible wizard wrote %q", m)
	}
	if strings.Contains(transcript, "\x1b]") || strings.Contains(transcript, "\x1bc") {
		t.Errorf("the accessible wizard wrote an OSC or reset sequence:\n%q", transcript)
	}
}
