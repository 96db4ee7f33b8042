package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client/mock"
	"github.com/apideck-samples/vault-session/model/store"
)

// requireOneElementALine fails unless the JSON array that starts on the
// line opening with open ("[" for a whole output, `  "attention": [` for
// health's member) holds its elements one to a line, each a whole object:
// the one shape of every streamed array, whatever the command.
func requireOneElementALine(t *testing.T, what, out, open string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	start := -1
	for i, l := range lines {
		if strings.HasSuffix(l, open) {
			start = i
			break
		}
	}
	if start < 0 {
		t.Errorf("%s: no %q line:\n%s", what, open, out)
		return
	}
	elements := 0
	for _, l := range lines[start+1:] {
		if strings.TrimSpace(l) == "]" || strings.TrimSpace(l) == "]," {
			break
		}
		elem := strings.TrimSuffix(strings.TrimSpace(l), ",")
		var obj map[string]any
		if err := json.Unmarshal([]byte(elem), &obj); err != nil {
			t.Errorf("%s: line %q is not one whole object (%v):\n%.1200s", what, l, err, out)
			return
		}
		elements++
	}
	if elements < 2 {
		t.Errorf("%s: %d elements; the test wants two or more:\n%s", what, elements, out)
	}
}

// TestEveryStreamedArrayIsOneObjectALine: audit, history, consumers list,
// logs and health's attention print --output json the same way.
func TestEveryStreamedArrayIsOneObjectALine(t *testing.T) {
	t.Parallel()
	r := newSupportRig(t)
	requireOneElementALine(t, "consumers list", r.run("consumers", "list", "--output", "json").stdout, "[")
	requireOneElementALine(t, "logs", r.run("logs", "--consumer-id", mock.GlobexID, "--output", "json").stdout, "[")
	requireOneElementALine(t, "health", r.run("health", "--output", "json").stdout, `"attention": [`)

	c := newTestCLI(t)
	fillHistory(t, c, 3, 0)
	requireOneElementALine(t, "history", c.run("history", "--output", "json").stdout, "[")

	log := store.OpenAuditLog(filepath.Join(c.xdgState, "vault-session", "audit.jsonl"))
	for _, person := range []string{"hank@support", "ida@support"} {
		if err := log.Append(store.AuditEntry{Time: fixedNow.Add(-time.Hour), Person: person, ConsumerID: "acme-42", UnifiedAPIs: []string{"crm"}, SessionLength: "1h"}); err != nil {
			t.Fatal(err)
		}
	}
	c.configured = func(a *app) { a.now = func() time.Time { return fixedNow } }
	requireOneElementALine(t, "audit", c.run("audit", "--output", "json").stdout, "[")
}
