package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestResumeAfterCtrlCAndSIGTERM runs the real wizard on a pseudo-terminal
// three times over the same XDG homes: typed into and left with Ctrl+C;
// resumed, typed into and killed with SIGTERM; resumed with every value,
// and finished. The history then holds the session and no draft is left.
func TestResumeAfterCtrlCAndSIGTERM(t *testing.T) {
	t.Parallel()
	bin := builtBinary(t)
	root := t.TempDir()
	env := []string{"APIDECK_API_KEY=", "XDG_CONFIG_HOME=" + filepath.Join(root, "config"), "XDG_STATE_HOME=" + filepath.Join(root, "state")}
	drafts := filepath.Join(root, "state", "vault-session", "drafts")
	press := func(r *ptyRun, keys string) {
		t.Helper()
		for _, k := range keys { // one at a time, as typed
			if _, err := r.keyboard.Write([]byte(string(k))); err != nil {
				t.Fatal(err)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	readDraft := func() map[string]any {
		t.Helper()
		files, _ := filepath.Glob(filepath.Join(drafts, "*.json"))
		if len(files) != 1 {
			t.Fatalf("%d drafts, want 1: %v", len(files), files)
		}
		data, _ := os.ReadFile(files[0])
		if strings.Contains(string(data), "sk_") || strings.Contains(string(data), "/session/") {
			t.Fatalf("the draft holds a secret:\n%s", data)
		}
		var d map[string]any
		if err := json.Unmarshal(data, &d); err != nil {
			t.Fatal(err)
		}
		return d
	}

	// 1. Type on the consumer step, then Ctrl+C (a key in raw mode).
	r := startInPTY(t, bin, env, "--demo")
	r.see(t, "2/7 Consumer", 10*time.Second)
	press(r, "Globex\tJane")
	press(r, "\x03")
	if code, ended := r.exit(5 * time.Second); !ended || code != exitInterrupted {
		t.Fatalf("ctrl+c: ended %v, exit %d; output ends %q", ended, code, tail(r.out.String(), 300))
	}
	if !strings.Contains(r.out.String(), "draft kept (without the key)") {
		t.Errorf("no word of the draft: %q", tail(r.out.String(), 300))
	}
	r.stop()
	if d := readDraft(); d["step"] != "Consumer" || !strings.Contains(toJSON(d["session"]), `"account_name":"Globex","user_name":"Jane"`) {
		t.Fatalf("draft after ctrl+c: %v", d)
	}

	// 2. The offer; enter resumes on the consumer step; type the email,
	// then SIGTERM.
	r = startInPTY(t, bin, env, "--demo")
	r.see(t, "Resume the unfinished session for test-consumer (Globex, all APIs", 10*time.Second)
	press(r, "\r")
	r.see(t, "2/7 Consumer", 5*time.Second)
	press(r, "\t\tjane@globex.example")
	r.see(t, "globex.example", 5*time.Second)
	r.signal(t, syscall.SIGTERM)
	if code, ended := r.exit(5 * time.Second); !ended || code != exitInterrupted {
		t.Fatalf("SIGTERM: ended %v, exit %d; output ends %q", ended, code, tail(r.out.String(), 300))
	}
	r.stop()
	if d := readDraft(); !strings.Contains(toJSON(d["session"]), `"email":"jane@globex.example"`) {
		t.Fatalf("draft after SIGTERM: %v", d)
	}

	// 3. Resume again, go to the review and create; then quit.
	r = startInPTY(t, bin, env, "--demo")
	defer r.stop()
	r.see(t, "Resume the unfinished session", 10*time.Second)
	press(r, "\r")
	r.see(t, "2/7 Consumer", 5*time.Second)
	press(r, "\x13") // ctrl+s: to the review
	r.see(t, "7/7 Review", 5*time.Second)
	press(r, "\r")
	r.see(t, "Session ready", 10*time.Second)
	press(r, "q")
	if code, ended := r.exit(5 * time.Second); !ended || code != 0 {
		t.Fatalf("q: ended %v, exit %d; output ends %q", ended, code, tail(r.out.String(), 300))
	}
	if files, _ := filepath.Glob(filepath.Join(drafts, "*.json")); len(files) != 0 {
		t.Errorf("drafts left after the session was created: %v", files)
	}
	history, err := os.ReadFile(filepath.Join(root, "state", "vault-session", "history.jsonl"))
	if err != nil || strings.Count(string(history), "\n") != 1 || !strings.Contains(string(history), `"email":"jane@globex.example"`) ||
		strings.Contains(string(history), "/session/") {
		t.Errorf("history: %v\n%s", err, history)
	}
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
