package mock_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestBrowserTestsWithoutChromium runs one browser test again, in this
// test binary, with Chromium hidden (a PATH holding nothing and no
// VAULT_SESSION_CHROMIUM): on a developer's machine it skips and says how
// to run it; with CI=true, as .ci/run runs, it fails.
func TestBrowserTestsWithoutChromium(t *testing.T) {
	t.Parallel()
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if name != "PATH" && name != "CI" && name != "VAULT_SESSION_CHROMIUM" {
			env = append(env, kv)
		}
	}
	// Under -race a process sleeps 1 s at exit for races still to report;
	// the runs again report theirs as they happen, so they end at once.
	env = append(env, "PATH="+t.TempDir(), "GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	rerun := func(extra ...string) (string, error) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestVaultPageAutoRedirect$", "-test.v", "-test.count=1")
		cmd.Env = append(append([]string{}, env...), extra...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}

	out, err := rerun()
	if err != nil || !strings.Contains(out, "--- SKIP: TestVaultPageAutoRedirect") {
		t.Fatalf("without Chromium the browser test should skip: %v\n%s", err, out)
	}
	for _, how := range []string{"apt-get install -y chromium", "VAULT_SESSION_CHROMIUM"} {
		if !strings.Contains(out, how) {
			t.Errorf("the skip does not say how to run the test (%q):\n%s", how, out)
		}
	}

	out, err = rerun("CI=true")
	if err == nil || !strings.Contains(out, "--- FAIL: TestVaultPageAutoRedirect") || !strings.Contains(out, "CI=true: the Vault page must be checked in a browser") {
		t.Fatalf("under CI=true a missing Chromium should fail the test: %v\n%s", err, out)
	}
}
