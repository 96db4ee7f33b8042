package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/model/store"
)

const hankKeyLine = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJY8kDKoh9ZHoPqi2VaFPtS91c1mXdGFIAnmLdJWi/6p hank@support\n"

// serveFor runs serve until d has passed (its SIGTERM), on a free port.
func serveFor(c *cli, d time.Duration, args ...string) cliResult {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	c.ctx = ctx
	defer func() { c.ctx = nil }()
	return c.run(append([]string{"serve", "--listen", "127.0.0.1:0"}, args...)...)
}

func TestServeSaysWhatItServesAndKeepsItsHostKey(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	keys := filepath.Join(t.TempDir(), "authorized_keys")
	os.WriteFile(keys, []byte(hankKeyLine), 0o600)
	fingerprint := regexp.MustCompile(`host key (SHA256:\S+) \(ed25519, ([^,)]+)(, made now)?\)`)

	first := serveFor(c, 300*time.Millisecond, "--demo", "--authorized-keys", keys)
	if first.code != exitOK || !strings.HasPrefix(first.stdout, "127.0.0.1:") {
		t.Fatalf("first start: %s", first)
	}
	m1 := fingerprint.FindStringSubmatch(first.stderr)
	if m1 == nil || m1[3] == "" {
		t.Fatalf("no new host key said:\n%s", first.stderr)
	}
	for _, want := range []string{"1 key let in", "DEMO: sessions go to the built-in demo API", "stopping: telling everyone connected", "stopped"} {
		if !strings.Contains(first.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, first.stderr)
		}
	}
	if info, err := os.Stat(m1[2]); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("host key %s: %v %v", m1[2], info, err)
	}
	second := serveFor(c, 300*time.Millisecond, "--demo", "--authorized-keys", keys)
	m2 := fingerprint.FindStringSubmatch(second.stderr)
	if second.code != exitOK || m2 == nil || m2[1] != m1[1] || m2[3] != "" {
		t.Errorf("after a restart the host key is %v, was %v:\n%s", m2, m1[1], second)
	}
}

// An audit log that others can read is made the server's alone at the
// start, and the start says so.
func TestServeMakesTheAuditLogPrivate(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	dir := t.TempDir()
	keys := filepath.Join(dir, "authorized_keys")
	os.WriteFile(keys, []byte(hankKeyLine), 0o600)
	audit := filepath.Join(dir, "audit.jsonl")
	os.WriteFile(audit, []byte(`{"time":"2026-11-26T10:00:00Z","person":"hank@support","consumer_id":"acme-1"}`+"\n"), 0o644)
	r := serveFor(c, 300*time.Millisecond, "--demo", "--authorized-keys", keys, "--audit", audit)
	if r.code != exitOK || !strings.Contains(r.stderr, "audit log "+audit+" (it was readable by others: now 0600)") {
		t.Errorf("serve with a 0644 audit log: %s", r)
	}
	if info, err := os.Stat(audit); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("audit log: %v, %v; want 0600", info, err)
	}
}

// The paths the start names came from flags: a control character in one
// is shown, not obeyed.
func TestServeShowsItsPathsSafely(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	dir := t.TempDir()
	keys := filepath.Join(dir, "authorized_keys")
	os.WriteFile(keys, []byte(hankKeyLine), 0o600)
	audit, hostKey := filepath.Join(dir, "audit\x1b[2J.jsonl"), filepath.Join(dir, "host\x1b]0;t\a_key")
	r := serveFor(c, 300*time.Millisecond, "--demo", "--authorized-keys", keys, "--audit", audit, "--host-key", hostKey)
	if r.code != exitOK || strings.Contains(r.stderr, "\x1b") ||
		!strings.Contains(r.stderr, `audit\x1b[2J.jsonl`) || !strings.Contains(r.stderr, `host\x1b]0;t\x07_key`) {
		t.Errorf("serve with an escape in its paths: %s", r)
	}
}

// An --authorized-keys file with lines that are not keys (the wrong
// file, or the right one with a paste gone wrong) is summed up in four
// warnings whatever its length; one with no key at all stops the start
// with an error that says so.
func TestServeSumsUpLinesThatAreNotKeys(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	dir := t.TempDir()
	var wrong strings.Builder
	for i := range 200 {
		fmt.Fprintf(&wrong, "acme-%d,Acme %d,ops@acme.test\n", i, i)
	}
	mixed := filepath.Join(dir, "mixed")
	os.WriteFile(mixed, []byte(wrong.String()+hankKeyLine), 0o600)
	r := serveFor(c, 300*time.Millisecond, "--demo", "--authorized-keys", mixed)
	warnings := strings.Count(r.stderr, "vault-session: warning: "+mixed+": ")
	if r.code != exitOK || warnings != 4 || !strings.Contains(r.stderr, mixed+": line 3: not a public key\n") ||
		!strings.Contains(r.stderr, mixed+": and 197 more lines that are not keys\n") || !strings.Contains(r.stderr, "1 key let in") {
		t.Errorf("serve with 200 lines that are not keys and one key: %d warnings\n%s", warnings, r)
	}

	csv := filepath.Join(dir, "customers.csv")
	os.WriteFile(csv, []byte(wrong.String()), 0o600)
	r = serveFor(c, 300*time.Millisecond, "--demo", "--authorized-keys", csv)
	want := "vault-session: " + csv + " lets no one in: it holds no public key:\n" +
		"  line 1: not a public key\n  line 2: not a public key\n  line 3: not a public key\n" +
		"  and 197 more lines that are not keys\n" +
		"Give an authorized_keys file, a public key a line, its comment naming the person, as 'ssh-ed25519 AAAA… hank@support'.\n"
	if r.code != exitError || r.stderr != want || r.stdout != "" {
		t.Errorf("serve with no key at all: %s\nwant exit %d and stderr:\n%s", r, exitError, want)
	}
}

func TestServeRefusesToStartWithoutPeopleOrAKey(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	keys := filepath.Join(t.TempDir(), "authorized_keys")
	os.WriteFile(keys, []byte(hankKeyLine), 0o600)
	empty := filepath.Join(t.TempDir(), "empty")
	os.WriteFile(empty, []byte("# nobody\n"), 0o600)
	for _, tc := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"--demo"}, exitUsage, "serve needs --authorized-keys FILE"},
		{[]string{"--authorized-keys", keys}, exitUsage, "set APIDECK_API_KEY"},
		{[]string{"--authorized-keys", keys, "--api-key", "k"}, exitUsage, "set APIDECK_APP_ID"},
		{[]string{"--demo", "--authorized-keys", empty}, exitError, "lets no one in"},
		{[]string{"--demo", "--authorized-keys", keys, "--max-per-person", "0"}, exitUsage, "--max-per-person 0"},
		{[]string{"--demo", "--authorized-keys", keys, "--listen", "256.0.0.1:1"}, exitError, "cannot listen"},
	} {
		r := c.run(append([]string{"serve"}, tc.args...)...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.says) {
			t.Errorf("serve %q: %s\nwant exit %d saying %q", tc.args, r, tc.code, tc.says)
		}
	}
}

func TestAuditListsWhoCreatedWhatNewestFirst(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	log := store.OpenAuditLog(filepath.Join(c.xdgState, "vault-session", "audit.jsonl"))
	at := func(h int) time.Time { return fixedNow.Add(time.Duration(-h) * time.Hour) }
	exp := fixedNow.Add(time.Hour)
	for _, e := range []store.AuditEntry{
		{Time: at(30), Person: "hank@support", KeyFingerprint: "SHA256:hank", RemoteAddr: "10.1.2.3:50000", ConsumerID: "old-1", SessionLength: "1h", APIHost: "unify.apideck.com"},
		{Time: at(2), Person: "ida@support", KeyFingerprint: "SHA256:ida", RemoteAddr: "10.1.2.4:50001", ConsumerID: "acme-42", UnifiedAPIs: []string{"crm", "hris"}, SessionLength: "1d", ExpiresAt: &exp, APIHost: "unify.apideck.com"},
		{Time: at(1), Person: "hank@support", KeyFingerprint: "SHA256:hank", RemoteAddr: "[::1]:50002", ConsumerID: "evil\x1b[2J", SessionLength: "1h", Demo: true},
	} {
		if err := log.Append(e); err != nil {
			t.Fatal(err)
		}
	}
	c.configured = func(a *app) { a.now = func() time.Time { return fixedNow } }

	all := c.run("audit")
	if all.code != exitOK {
		t.Fatal(all)
	}
	lines := strings.Split(strings.TrimSpace(all.stdout), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "CREATED") || !strings.Contains(lines[1], "evil\\x1b[2J") ||
		!strings.Contains(lines[2], "ida@support") || !strings.Contains(lines[2], "crm,hris") || !strings.Contains(lines[3], "old-1") {
		t.Errorf("audit:\n%s", all.stdout)
	}
	if strings.Contains(all.stdout, "\x1b") {
		t.Error("text from the log reached the terminal unescaped")
	}

	recent := c.run("audit", "--since", "24h")
	if strings.Contains(recent.stdout, "old-1") || !strings.Contains(recent.stdout, "acme-42") {
		t.Errorf("--since 24h:\n%s", recent.stdout)
	}

	ida := c.run("audit", "--person", "ida@support", "--output", "json")
	var got []store.AuditEntry
	if err := json.Unmarshal([]byte(ida.stdout), &got); err != nil || len(got) != 1 || got[0].ConsumerID != "acme-42" {
		t.Errorf("--person ida --output json: %v %+v\n%s", err, got, ida.stdout)
	}
	if byKey := c.run("audit", "--person", "SHA256:hank", "--output", "json"); strings.Count(byKey.stdout, `"consumer_id"`) != 2 {
		t.Errorf("--person by fingerprint:\n%s", byKey.stdout)
	}

	none := c.run("audit", "--person", "nobody")
	if none.code != exitOK || !strings.Contains(none.stdout, "No sessions in the audit log") {
		t.Errorf("no match: %s", none)
	}
	if bad := c.run("audit", "--since", "soon"); bad.code != exitUsage {
		t.Errorf("--since soon: %s", bad)
	}
	// A log that cannot be read is exit 1, not "No sessions".
	folder := c.run("audit", "--audit", t.TempDir())
	if folder.code != exitError || strings.Contains(folder.stdout, "No sessions") || !strings.Contains(folder.stderr, "not a regular file") {
		t.Errorf("--audit FOLDER: %s", folder)
	}
}
