package cli

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestFileErrorsAreSaidInTheProgramsWords: a file or folder that is not
// there is said as the program says things ("PATH does not exist"), the
// path kept, never in Go's words ("stat PATH: no such file or
// directory"), whichever flag named it.
func TestFileErrorsAreSaidInTheProgramsWords(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	gone := filepath.Join(dir, "gone")
	csv := writeFile(t, "customers.csv", "consumer_id\nacme-1\n")
	keys := writeFile(t, "authorized_keys", hankKeyLine)
	aFile := writeFile(t, "plain.txt", "text")
	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{"create", "--demo", "--consumer-id", "c", "--from", gone + "/s.json"}, "cannot read the session file: " + gone + "/s.json does not exist"},
		{[]string{"create", "--demo", "--consumer-id", "c", "--preset", gone + "/p.json"}, "--preset: " + gone + "/p.json does not exist"},
		{[]string{"batch", gone + ".csv", "--demo"}, gone + ".csv does not exist"},
		{[]string{"batch", csv, "--demo", "--results", gone + "/r.jsonl"}, "--results: " + gone + "/r.jsonl does not exist"},
		{[]string{"batch", csv, "--demo", "--retry-file", gone + "/r.csv"}, "cannot write the failed rows beside " + gone + "/r.csv: " + gone + " does not exist"},
		{[]string{"preview", "--html", gone + "/p.html"}, "cannot write " + gone + "/p.html: " + gone + " does not exist"},
		{[]string{"serve", "--demo", "--authorized-keys", gone + "/keys"}, "cannot read the authorized keys: " + gone + "/keys does not exist"},
		{[]string{"serve", "--demo", "--authorized-keys", keys, "--host-key", aFile + "/key"}, aFile + "/key: part of it is not a folder"},
		{[]string{"audit", "--audit", aFile + "/audit.jsonl"}, aFile + "/audit.jsonl: part of it is not a folder"},
	} {
		c := newTestCLI(t)
		if tc.args[0] == "serve" {
			r := serveFor(c, 2*time.Second, tc.args[1:]...)
			checkSaid(t, tc.args, r, tc.says)
			continue
		}
		checkSaid(t, tc.args, c.run(tc.args...), tc.says)
	}
}

func checkSaid(t *testing.T, args []string, r cliResult, says string) {
	t.Helper()
	if r.code == exitOK || !strings.Contains(r.stderr, "vault-session: "+says+"\n") {
		t.Errorf("%q: want a failure saying %q:\n%s", args, says, r)
	}
	for _, goWords := range []string{"no such file or directory", "not a directory", "stat ", "open ", "mkdir "} {
		if strings.Contains(r.stderr, goWords) {
			t.Errorf("%q says %q:\n%s", args, goWords, r.stderr)
		}
	}
}
