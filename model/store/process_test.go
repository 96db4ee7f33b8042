package store

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/keptfile"
)

// The tests below start this test binary again as other processes: a
// writer killed halfway, and writers appending at the same time.
const helperEnv = "STORE_TEST_HELPER"

func TestMain(m *testing.M) {
	switch os.Getenv(helperEnv) {
	case "":
		os.Exit(m.Run())
	case "write-half":
		helperWriteHalf(os.Args[len(os.Args)-1])
	case "append":
		helperAppend(os.Args[len(os.Args)-2], os.Args[len(os.Args)-1])
	}
	os.Exit(3)
}

// helperWriteHalf starts replacing path, says so, and waits to be killed
// with half of the new content written.
func helperWriteHalf(path string) {
	_ = writeFileFunc(path, func(w io.Writer) error {
		if _, err := w.Write([]byte(`{"theme": {"vault_name": "ha`)); err != nil {
			return err
		}
		if f, ok := w.(*os.File); ok {
			f.Sync()
		}
		fmt.Println("halfway")
		time.Sleep(time.Minute)
		return nil
	})
}

// helperAppend appends entries to the history of the store at root, each
// with a body far larger than a pipe buffer, so a torn write would show.
func helperAppend(root, who string) {
	env := map[string]string{"XDG_CONFIG_HOME": filepath.Join(root, "config"), "XDG_STATE_HOME": filepath.Join(root, "state")}
	s, err := Open(func(k string) string { return env[k] })
	if err != nil {
		os.Exit(4)
	}
	for i := range appendsPerWriter {
		e, _ := NewEntry(bigRequest(fmt.Sprintf("%s-%d", who, i)), time.Now(), time.Time{}, "", "https://unify.apideck.com", false)
		if err := s.AppendHistory(e); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(5)
		}
	}
	os.Exit(0)
}

const appendsPerWriter = 5

func bigRequest(consumer string) model.Request {
	return model.Request{AppID: "app", ConsumerID: consumer, Session: model.Session{
		CustomConsumerSettings: json.RawMessage(`{"padding":"` + strings.Repeat(consumer+" ", 2000) + `"}`),
	}}
}

func helper(t *testing.T, mode string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^$"}, args...)...)
	// Under -race a process sleeps 1 s at exit for races still to report;
	// a helper's are reported as they happen (and fail it), so it ends at
	// once.
	cmd.Env = append(os.Environ(), helperEnv+"="+mode, "GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	return cmd
}

// TestWriterKilledHalfwayLeavesTheOldFile kills (SIGKILL, no clean-up) a
// process in the middle of replacing a preset: the preset still reads as
// it was, and the half-written temporary file is never listed.
func TestWriterKilledHalfwayLeavesTheOldFile(t *testing.T) {
	s, _ := testStore(t)
	path, err := s.SavePreset("acme", model.Session{Theme: model.Theme{VaultName: "Old"}})
	if err != nil {
		t.Fatal(err)
	}
	cmd := helper(t, "write-half", path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	if line != "halfway\n" {
		cmd.Process.Kill()
		t.Fatalf("helper said %q", line)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	leftovers, _ := filepath.Glob(filepath.Join(s.PresetDir(), keptfile.TempPrefix+"*"))
	if len(leftovers) != 1 {
		t.Fatalf("want the killed writer's temporary file left over, found %v", leftovers)
	}
	p, err := s.FindPreset("acme")
	if err != nil || p.Session.Theme.VaultName != "Old" {
		t.Fatalf("after the kill: %+v, %v; want the old preset", p.Session.Theme, err)
	}
	presets, problems := s.Presets()
	if len(presets) != 1 || len(problems) != 0 {
		t.Errorf("listing after the kill: %d presets, problems %v", len(presets), problems)
	}
}

// TestConcurrentAppendsKeepEveryLineWhole runs ten processes appending to
// one history at once; every line must parse and none may be missing.
func TestConcurrentAppendsKeepEveryLineWhole(t *testing.T) {
	s, env := testStore(t)
	root := filepath.Dir(env["XDG_CONFIG_HOME"])
	const writers = 10
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := helper(t, "append", root, "w"+strconv.Itoa(w)).CombinedOutput()
			if err != nil {
				errs <- fmt.Errorf("writer %d: %v %s", w, err, out)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	data, err := os.ReadFile(s.HistoryPath())
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) != writers*appendsPerWriter {
		t.Fatalf("%d lines, want %d", len(lines), writers*appendsPerWriter)
	}
	seen := map[string]bool{}
	for i, l := range lines {
		var e Entry
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("line %d is torn: %v", i+1, err)
		}
		seen[e.ConsumerID] = true
	}
	if len(seen) != writers*appendsPerWriter {
		t.Errorf("%d distinct entries, want %d", len(seen), writers*appendsPerWriter)
	}
	if entries := allHistory(t, s); len(entries) != writers*appendsPerWriter {
		t.Errorf("History: %d entries", len(entries))
	}
}

// TestConcurrentAppendsFromGoroutines is the same inside one process, each
// append with its own file handle (run under -race).
func TestConcurrentAppendsFromGoroutines(t *testing.T) {
	s, _ := testStore(t)
	var wg sync.WaitGroup
	for w := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e, _ := NewEntry(bigRequest("g"+strconv.Itoa(w)), time.Now(), time.Time{}, "", "", true)
			if err := s.AppendHistory(e); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if entries := allHistory(t, s); len(entries) != 10 {
		t.Errorf("%d entries", len(entries))
	}
}
