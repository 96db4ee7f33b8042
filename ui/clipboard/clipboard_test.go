package clipboard

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

const url = "https://vault.apideck.com/session/eyJhbGciOiJIUzI1NiJ9.e30.c2ln"

// env is a fake environment.
func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// fakeTools pretends the named tools are installed; run records the calls
// and fails the tools in fail.
type fakeTools struct {
	installed map[string]bool
	fail      map[string]error
	calls     []string // "name args… <stdin"
}

func (f *fakeTools) lookPath(name string) (string, error) {
	if f.installed[name] {
		return "/usr/bin/" + name, nil
	}
	return "", exec.ErrNotFound
}

func (f *fakeTools) run(_ context.Context, path string, args []string, stdin string) error {
	name := filepath.Base(path)
	f.calls = append(f.calls, strings.Join(append([]string{path}, args...), " ")+" <"+stdin)
	return f.fail[name]
}

func TestCopyWritesAPlainOSC52Sequence(t *testing.T) {
	var out bytes.Buffer
	// Inside tmux too: the sequence is never wrapped for passthrough.
	c := Copier{Terminal: &out, Getenv: env(map[string]string{"TMUX": "/tmp/tmux-1000/default,1,0", "TERM": "screen-256color"})}
	r := c.Copy(context.Background(), url)
	want := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(url)) + "\a"
	if out.String() != want {
		t.Fatalf("wrote %q, want %q", out.String(), want)
	}
	if !r.Terminal || r.Copied() {
		t.Fatalf("report %+v", r)
	}
	msg := r.Message("The URL")
	if msg != "The URL sent to the terminal's clipboard (OSC 52). No tool confirmed it: if your terminal blocks OSC 52, nothing was copied." {
		t.Fatalf("message %q", msg)
	}
}

func TestCopyUsesTheFirstToolThatWorks(t *testing.T) {
	var out bytes.Buffer
	tools := &fakeTools{
		installed: map[string]bool{"wl-copy": true, "xclip": true, "xsel": true},
		fail:      map[string]error{"wl-copy": errors.New("exit status 1")},
	}
	c := Copier{Terminal: &out, GOOS: "linux", Getenv: env(map[string]string{"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}),
		LookPath: tools.lookPath, Run: tools.run}
	r := c.Copy(context.Background(), url)
	wantCalls := []string{"/usr/bin/wl-copy <" + url, "/usr/bin/xclip -selection clipboard <" + url}
	if strings.Join(tools.calls, "\n") != strings.Join(wantCalls, "\n") {
		t.Fatalf("calls:\n%s", strings.Join(tools.calls, "\n"))
	}
	if r.Tool != "xclip" || !r.Copied() || !r.Terminal {
		t.Fatalf("report %+v", r)
	}
	msg := r.Message("The URL")
	for _, s := range []string{"The URL copied with xclip", "terminal's clipboard", "Tried: wl-copy: exit status 1."} {
		if !strings.Contains(msg, s) {
			t.Errorf("message %q lacks %q", msg, s)
		}
	}
}

func TestCopyWhenNothingWorksSaysSo(t *testing.T) {
	tools := &fakeTools{installed: map[string]bool{"xclip": true}, fail: map[string]error{"xclip": errors.New("exit status 1")}}
	c := Copier{Terminal: failingWriter{}, GOOS: "linux", Getenv: env(map[string]string{"DISPLAY": ":0"}),
		LookPath: tools.lookPath, Run: tools.run}
	r := c.Copy(context.Background(), url)
	if r.OK() || r.TerminalErr == nil {
		t.Fatalf("report %+v", r)
	}
	msg := r.Message("The message")
	for _, s := range []string{"Could not copy the message", "broken pipe", "Tried: xclip: exit status 1."} {
		if !strings.Contains(msg, s) {
			t.Errorf("message %q lacks %q", msg, s)
		}
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

func TestToolsFollowTheDesktop(t *testing.T) {
	names := func(c Copier) string {
		var out []string
		for _, t := range c.Tools() {
			out = append(out, t.Name)
		}
		return strings.Join(out, " ")
	}
	for _, tc := range []struct {
		goos string
		vars map[string]string
		want string
	}{
		{"darwin", nil, "pbcopy"},
		{"linux", map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, "wl-copy"},
		{"linux", map[string]string{"DISPLAY": ":0"}, "xclip xsel"},
		{"linux", map[string]string{"WSL_DISTRO_NAME": "Ubuntu"}, "clip.exe"},
		{"windows", nil, "clip.exe"},
		{"linux", nil, ""},
		// Over SSH a tool would fill the far machine's clipboard, unless
		// the display is forwarded.
		{"darwin", map[string]string{"SSH_CONNECTION": "10.0.0.1 22 10.0.0.2 22"}, ""},
		{"linux", map[string]string{"SSH_TTY": "/dev/pts/1", "WAYLAND_DISPLAY": "wayland-0", "DISPLAY": "localhost:10.0"}, "xclip xsel"},
	} {
		c := Copier{GOOS: tc.goos, Getenv: env(tc.vars)}
		if got := names(c); got != tc.want {
			t.Errorf("%s %v: tools %q, want %q", tc.goos, tc.vars, got, tc.want)
		}
	}
}

// The real runner, with a script standing in for xclip: it gets the text on
// stdin and its arguments, and its failure is reported.
func TestExecRunsTheTool(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("shell script")
	}
	dir := t.TempDir()
	got := filepath.Join(dir, "got")
	script := "#!/bin/sh\nprintf '%s|' \"$@\" > " + got + "\ncat >> " + got + "\n"
	if err := os.WriteFile(filepath.Join(dir, "xclip"), []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	lookIn := func(name string) (string, error) { return exec.LookPath(filepath.Join(dir, name)) }
	c := Copier{GOOS: "linux", Getenv: env(map[string]string{"DISPLAY": ":0"}), LookPath: lookIn, Run: Exec}
	r := c.Copy(context.Background(), url)
	if r.Tool != "xclip" {
		t.Fatalf("report %+v", r)
	}
	b, err := os.ReadFile(got)
	if err != nil {
		t.Fatal(err)
	}
	if want := "-selection|clipboard|" + url; string(b) != want {
		t.Fatalf("the tool got %q, want %q", b, want)
	}
	if err := os.WriteFile(filepath.Join(dir, "xclip"), []byte("#!/bin/sh\nexit 3\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	r = c.Copy(context.Background(), url)
	if r.Copied() || len(r.Failed) != 1 || !strings.Contains(r.Failed[0], "exit status 3") {
		t.Fatalf("report %+v", r)
	}
}
