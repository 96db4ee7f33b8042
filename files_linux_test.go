package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/model/keptfile/keptfiletest"
)

// binRun is one run of the built binary.
type binRun struct {
	code           int
	stdout, stderr string
	took           time.Duration
}

// runWithin runs the binary with env (and nothing of the test's own
// environment but PATH) and fails the test if it is still running after
// limit; it is killed at 10 s so that a hang fails instead of stalling.
func runWithin(t *testing.T, limit time.Duration, env []string, args ...string) binRun {
	t.Helper()
	cmd := exec.Command(builtBinary(t), args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "NO_COLOR=1"}, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killer := time.AfterFunc(10*time.Second, func() { cmd.Process.Kill() })
	defer killer.Stop()
	err := cmd.Wait()
	r := binRun{code: cmd.ProcessState.ExitCode(), stdout: stdout.String(), stderr: stderr.String(), took: time.Since(start)}
	if r.took > limit {
		t.Errorf("vault-session %s took %v (still waiting on a special file?); stderr %q", strings.Join(args, " "), r.took.Round(time.Millisecond), tail(r.stderr, 300))
	} else if err != nil && r.code < 0 {
		t.Errorf("vault-session %s: %v", strings.Join(args, " "), err)
	}
	return r
}

// hostileHomes makes the XDG homes and a shared presets folder, each with
// a good file and a FIFO, a symlink to a FIFO, a symlink to /dev/zero, a
// socket and a folder named like its files; the history is a FIFO. It
// returns the environment and the special files by folder.
func hostileHomes(t *testing.T) (env []string, special map[string][]string, history string) {
	root := t.TempDir()
	config, state, shared := filepath.Join(root, "config"), filepath.Join(root, "state"), filepath.Join(root, "shared")
	presets := filepath.Join(config, "vault-session", "presets")
	drafts := filepath.Join(state, "vault-session", "drafts")
	special = map[string][]string{}
	for _, dir := range []string{presets, shared, drafts} {
		paths, _ := keptfiletest.Kinds(t, dir)
		special[dir] = paths[:4]
	}
	os.WriteFile(filepath.Join(presets, "good.json"), []byte(`{"theme": {"vault_name": "Good"}}`), 0o600)
	os.WriteFile(filepath.Join(shared, "team.json"), []byte(`{"theme": {"vault_name": "Team"}}`), 0o600)
	history = keptfiletest.FIFO(t, filepath.Join(state, "vault-session", "history.jsonl"))
	env = []string{"HOME=" + root, "XDG_CONFIG_HOME=" + config, "XDG_STATE_HOME=" + state, "VAULT_SESSION_PRESETS=" + shared}
	return env, special, history
}

// TestSpecialFilesNeverTrapTheBinary is issue 17's first item on the real
// binary: a FIFO in a presets folder made `presets`, `--preset NAME` and
// the wizard's start wait in open(2) for ever, deaf to every signal but
// SIGKILL. With a FIFO, a symlink to one, a device, a socket and a folder
// in the user's presets, VAULT_SESSION_PRESETS and the drafts, and a FIFO
// for the history, every command ends within two seconds, names each
// special file in a warning, and leaves them as they were.
func TestSpecialFilesNeverTrapTheBinary(t *testing.T) {
	t.Parallel()
	env, special, history := hostileHomes(t)
	const limit = 2 * time.Second

	r := runWithin(t, limit, env, "presets")
	if r.code != exitOK || !strings.Contains(r.stdout, "good") || !strings.Contains(r.stdout, "team") {
		t.Errorf("presets: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for dir, paths := range special {
		if strings.HasSuffix(dir, "drafts") {
			continue
		}
		for _, p := range paths {
			if !strings.Contains(r.stderr, "warning: "+p+" is a") {
				t.Errorf("presets: no warning names %s:\n%s", p, r.stderr)
			}
		}
	}

	for _, name := range []string{"fifo", "fifo-link", "zero"} {
		r = runWithin(t, limit, env, "create", "--demo", "--preset", name, "--consumer-id", "acme", "--dry-run")
		if r.code != exitUsage || !strings.Contains(r.stderr, "not a regular file") {
			t.Errorf("--preset %s: exit %d, %s", name, r.code, r.stderr)
		}
	}
	r = runWithin(t, limit, env, "presets", "show", "fifo")
	if r.code != exitUsage || !strings.Contains(r.stderr, "named pipe (FIFO), not a regular file") {
		t.Errorf("presets show fifo: exit %d, %s", r.code, r.stderr)
	}

	// The history is a FIFO: the session is created, the history is not
	// written into the pipe, and the warning says why.
	r = runWithin(t, limit, env, "create", "--demo", "--preset", "good", "--consumer-id", "acme")
	if r.code != exitOK || !strings.Contains(r.stderr, "not added to the history") || !strings.Contains(r.stderr, history+" is a named pipe") {
		t.Errorf("create with a FIFO history: exit %d\n%s", r.code, r.stderr)
	}
	r = runWithin(t, limit, env, "history")
	if r.code != exitOK || !strings.Contains(r.stderr, history+" is a named pipe") {
		t.Errorf("history: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runWithin(t, limit, env, "create", "--demo", "--again", "acme")
	if r.code != exitUsage {
		t.Errorf("create --again: exit %d\n%s", r.code, r.stderr)
	}

	// A page for a FIFO nobody reads is refused at once, not waited on.
	page := keptfiletest.FIFO(t, filepath.Join(t.TempDir(), "page.html"))
	r = runWithin(t, limit, env, "preview", "--preset", "good", "--html", page)
	if r.code == exitOK || !strings.Contains(r.stderr, "no program is reading") {
		t.Errorf("preview --html FIFO: exit %d, %s", r.code, r.stderr)
	}

	for _, paths := range special {
		for _, p := range paths {
			if info, err := os.Lstat(p); err != nil || info.Mode().IsRegular() {
				t.Errorf("%s became a regular file (%v)", p, err)
			}
		}
	}
	for _, fifo := range []string{history, page} {
		if info, err := os.Lstat(fifo); err != nil || info.Mode()&fs.ModeNamedPipe == 0 {
			t.Errorf("the FIFO %s was replaced", fifo)
		}
	}
}

// TestWizardStartsPastSpecialFiles: the wizard's start reads the presets,
// the drafts and the history; with the hostile folders it draws its first
// frame within two seconds, and SIGTERM ends it with 130.
func TestWizardStartsPastSpecialFiles(t *testing.T) {
	t.Parallel()
	env, _, _ := hostileHomes(t)
	r := startInPTY(t, builtBinary(t), append(env, "APIDECK_API_KEY="), "--demo")
	defer r.stop()
	r.see(t, "vault-session", 2*time.Second)
	r.signal(t, syscall.SIGTERM)
	if code, ended := r.exit(time.Second); !ended || code != exitInterrupted {
		t.Fatalf("SIGTERM: ended %v, exit %d; output ends %q", ended, code, tail(r.out.String(), 300))
	}
}

// TestPreviewHTMLWritesIntoADevice: `preview --html` naming a device (as
// root, /dev/null) writes the page into it, as a shell's > would, and the
// device stays a device: it used to be renamed over.
func TestPreviewHTMLWritesIntoADevice(t *testing.T) {
	t.Parallel()
	null := keptfiletest.NullDevice(t, filepath.Join(t.TempDir(), "null"))
	r := runWithin(t, 2*time.Second, []string{"HOME=" + t.TempDir()}, "preview", "--primary-color", "#5d50ce", "--html", null)
	if info, err := os.Lstat(null); err != nil || info.Mode()&fs.ModeCharDevice == 0 {
		t.Fatalf("the device became %v (exit %d, %s)", info.Mode(), r.code, r.stderr)
	}
	if r.code != exitOK && !strings.Contains(r.stderr, "permission denied") { // a nodev mount
		t.Errorf("exit %d, %s", r.code, r.stderr)
	}
}

// TestConcurrentPresetSavesOneWins: ten `presets save shared` at once into
// an empty folder: exactly one says "saved", the nine others that the
// preset exists, and none overwrote another. Each reads its session from
// a FIFO (--from waits for a writer), and the test writes to the ten only
// once all ten wait: they go on together, as close as processes can, so a
// check for the file followed by a write lets several say "saved".
func TestConcurrentPresetSavesOneWins(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + root,
		"XDG_CONFIG_HOME=" + filepath.Join(root, "config"), "XDG_STATE_HOME=" + filepath.Join(root, "state")}
	type save struct {
		cmd            *exec.Cmd
		stdout, stderr bytes.Buffer
		fifo           *os.File
	}
	saves := make([]*save, 10)
	for i := range saves {
		fifo := keptfiletest.FIFO(t, filepath.Join(root, fmt.Sprint("session-", i, ".json")))
		s := &save{cmd: exec.Command(builtBinary(t), "presets", "save", "shared", "--from", fifo)}
		s.cmd.Env = env
		s.cmd.Stdout, s.cmd.Stderr = &s.stdout, &s.stderr
		if err := s.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer s.cmd.Process.Kill()
		saves[i] = s
	}
	// Opening a FIFO to write waits for its reader: once every open has
	// returned, all ten processes are at their read.
	var opened sync.WaitGroup
	for _, s := range saves {
		opened.Add(1)
		go func() {
			defer opened.Done()
			s.fifo, _ = os.OpenFile(s.cmd.Args[len(s.cmd.Args)-1], os.O_WRONLY, 0)
		}()
	}
	all := make(chan struct{})
	go func() { opened.Wait(); close(all) }()
	select {
	case <-all:
	case <-time.After(10 * time.Second):
		// A save that ended before reading leaves its FIFO's writer
		// waiting: a reader of our own lets it go, and the test fails.
		t.Error("not every save opened its --from within 10 s")
		for _, s := range saves {
			if r, err := os.OpenFile(s.cmd.Args[len(s.cmd.Args)-1], os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
				defer r.Close()
			}
		}
		<-all
	}
	for i, s := range saves {
		fmt.Fprintf(s.fifo, `{"theme": {"vault_name": "Writer %d"}}`, i)
	}
	for _, s := range saves {
		s.fifo.Close()
	}
	won := -1
	for i, s := range saves {
		s.cmd.Wait()
		code := s.cmd.ProcessState.ExitCode()
		switch {
		case code == exitOK && strings.Contains(s.stdout.String(), "saved preset shared"):
			if won >= 0 {
				t.Errorf("writers %d and %d both saved", won, i)
			}
			won = i
		case code != exitUsage || !strings.Contains(s.stderr.String(), `preset "shared" exists`):
			t.Errorf("writer %d: exit %d\n%s%s", i, code, s.stdout.String(), s.stderr.String())
		}
	}
	data, _ := os.ReadFile(filepath.Join(root, "config", "vault-session", "presets", "shared.json"))
	if won < 0 || !strings.Contains(string(data), fmt.Sprintf(`"Writer %d"`, won)) {
		t.Errorf("writer %d won; the preset holds %s", won, data)
	}
}

// TestFullDiskLeavesTheHistoryWhole is the reproduction: the state
// folder on a 64 KiB tmpfs, creates with a 9 KB body until one cannot be
// recorded. That one exits 0 with a warning, and the history is
// byte-identical to before it: no torn line.
func TestFullDiskLeavesTheHistoryWhole(t *testing.T) {
	t.Parallel()
	disk := keptfiletest.Tmpfs(t, "64k")
	body := filepath.Join(t.TempDir(), "big.json")
	os.WriteFile(body, []byte(`{"custom_consumer_settings": {"blob": "`+strings.Repeat("x", 9000)+`"}}`), 0o600)
	env := []string{"HOME=" + t.TempDir(), "XDG_STATE_HOME=" + disk, "XDG_CONFIG_HOME=" + t.TempDir()}
	history := filepath.Join(disk, "vault-session", "history.jsonl")
	for i := range 20 {
		before, _ := os.ReadFile(history)
		r := runWithin(t, 5*time.Second, env, "create", "--demo", "--from", body, "--consumer-id", fmt.Sprint("c", i))
		if r.code != exitOK {
			t.Fatalf("create %d: exit %d, %s", i, r.code, r.stderr)
		}
		if !strings.Contains(r.stderr, "not added to the history") {
			continue
		}
		if !strings.Contains(r.stderr, "no space left") {
			t.Errorf("the warning does not say why: %s", r.stderr)
		}
		if after, _ := os.ReadFile(history); !bytes.Equal(after, before) {
			t.Fatalf("after the failed append the history is %d bytes, was %d; it ends %q", len(after), len(before), tail(string(after), 60))
		}
		return
	}
	t.Fatal("the disk never filled")
}
