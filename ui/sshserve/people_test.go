package sshserve

import (
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

func TestPeopleAreNamedByTheirKeysComment(t *testing.T) {
	t.Parallel()
	hank, nameless, restricted := newPerson(t, "hank@support"), newPerson(t, ""), newPerson(t, "ida@support")
	path := filepath.Join(t.TempDir(), "authorized_keys")
	file := "# the support team\n" +
		hank.authorizedLine() +
		strings.TrimSpace(string(gossh.MarshalAuthorizedKey(nameless.signer.PublicKey()))) + "\n" +
		`from="10.0.0.0/8" ` + restricted.authorizedLine() +
		"ssh-ed25519 not-base64 broken\n"
	if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	people, err := LoadPeople(path)
	if err != nil {
		t.Fatal(err)
	}
	if who, ok := people.Lookup(hank.signer.PublicKey()); !ok || who.Name != "hank@support" ||
		who.Fingerprint != gossh.FingerprintSHA256(hank.signer.PublicKey()) {
		t.Errorf("hank: %+v %v", who, ok)
	}
	fp := gossh.FingerprintSHA256(nameless.signer.PublicKey())
	if who, ok := people.Lookup(nameless.signer.PublicKey()); !ok || who.Name != fp {
		t.Errorf("a key without a comment is named %q, want its fingerprint", who.Name)
	}
	// A line with options the server does not honour lets no one in.
	if _, ok := people.Lookup(restricted.signer.PublicKey()); ok {
		t.Error("a key with from= was let in without its restriction")
	}
	skipped := strings.Join(SummariseSkipped(people.Skipped()), "\n")
	if !strings.Contains(skipped, "line 4: options") || !strings.Contains(skipped, "line 5: a damaged public key (illegal base64") {
		t.Errorf("skipped: %s", skipped)
	}

	// A person added to the file counts from the next login.
	ida := newPerson(t, "ida@support")
	time.Sleep(10 * time.Millisecond) // a new modification time
	if err := os.WriteFile(path, []byte(hank.authorizedLine()+ida.authorizedLine()), 0o600); err != nil {
		t.Fatal(err)
	}
	if who, ok := people.Lookup(ida.signer.PublicKey()); !ok || who.Name != "ida@support" {
		t.Errorf("ida, added: %+v %v", who, ok)
	}
	if _, ok := people.Lookup(nameless.signer.PublicKey()); ok {
		t.Error("a key removed from the file still logs in")
	}
}

func TestAFileThatLetsNoOneInIsRefused(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "authorized_keys")
	os.WriteFile(path, []byte("# nobody yet\n"), 0o600)
	if _, err := LoadPeople(path); err == nil || !strings.Contains(err.Error(), "lets no one in") {
		t.Errorf("empty file: %v", err)
	}
	if _, err := LoadPeople(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("a missing file was taken")
	}
}

// The wrong file given (a private key, a services list) is summed up, not
// listed a line at a time, and its text never repeated: a private key's
// lines are secret.
func TestTheWrongFileIsSummedUp(t *testing.T) {
	t.Parallel()
	hank := newPerson(t, "hank@support")
	block, err := gossh.MarshalPrivateKey(hank.key, "hank@support")
	if err != nil {
		t.Fatal(err)
	}
	private := pem.EncodeToMemory(block)
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}

	_, err = LoadPeople(write("id_ed25519", string(private)))
	if err == nil {
		t.Fatal("a private key was taken for an authorized_keys file")
	}
	lines := strings.Split(err.Error(), "\n")
	want := []string{
		"lets no one in: it holds no public key:",
		"line 1: the start of a private key: give public keys (.pub), never a private one",
		"line 2: not a public key",
		"line 3: not a public key",
		fmt.Sprintf("and %d more lines that are not keys", strings.Count(string(private), "\n")-3),
		"Give an authorized_keys file, a public key a line",
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(want), err)
	}
	for i, w := range want {
		if !strings.Contains(lines[i], w) {
			t.Errorf("line %d: %q, want it to say %q", i+1, lines[i], w)
		}
	}
	for _, secret := range strings.Split(strings.TrimSpace(string(private)), "\n")[1:] {
		if len(secret) > 20 && strings.Contains(err.Error(), secret[:20]) {
			t.Fatalf("the error repeats the private key: %s", err)
		}
	}

	// One key among forty lines that are not keys and two with options:
	// the key is let in, and three lines named, the rest counted.
	var file strings.Builder
	for i := range 40 {
		fmt.Fprintf(&file, "service-%d 80/tcp\n", i)
	}
	file.WriteString(`from="10.0.0.0/8" ` + newPerson(t, "ida").authorizedLine())
	file.WriteString(`restrict ` + newPerson(t, "joe").authorizedLine())
	file.WriteString(hank.authorizedLine())
	people, err := LoadPeople(write("mixed", file.String()))
	if err != nil || people.Count() != 1 {
		t.Fatalf("mixed: %v", err)
	}
	got := SummariseSkipped(people.Skipped())
	want = []string{"line 1: not a public key", "line 2: not a public key", "line 3: not a public key", "and 39 more lines not let in: 37 not keys, 2 with options"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("summary:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := SummariseSkipped(people.Skipped()[:4]); got[3] != "and 1 more line that is not a key" {
		t.Errorf("one more: %q", got[3])
	}
}

func TestPersonNamesArePrintableOneLine(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"hank@support":           "hank@support",
		"  spaced  ":             "spaced",
		"evil\x1b[2Jname\r\nx":   "evil[2Jnamex",
		strings.Repeat("a", 100): strings.Repeat("a", 64),
		"\x1b\x07":               "",
		"José Núñez (laptop)":    "José Núñez (laptop)",
		"hank\u202egnp.exe":      "hankgnp.exe",           // a bidi override would reorder the log line
		strings.Repeat("é", 100): strings.Repeat("é", 64), // characters, not bytes
	} {
		if got := personName(in); got != want {
			t.Errorf("personName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTheHostKeyIsMadeOnceAndKept(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state", "vault-session", "ssh_host_ed25519_key")
	first, created, err := LoadHostKey(path)
	if err != nil || !created {
		t.Fatalf("first start: created %v, %v", created, err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("host key mode %v, %v", info.Mode().Perm(), err)
	}
	if dir, _ := os.Stat(filepath.Dir(path)); dir.Mode().Perm() != 0o700 {
		t.Errorf("host key folder mode %v", dir.Mode().Perm())
	}
	if first.PublicKey().Type() != gossh.KeyAlgoED25519 {
		t.Errorf("host key type %s", first.PublicKey().Type())
	}
	again, created, err := LoadHostKey(path)
	if err != nil || created {
		t.Fatalf("restart: created %v, %v", created, err)
	}
	if gossh.FingerprintSHA256(again.PublicKey()) != gossh.FingerprintSHA256(first.PublicKey()) {
		t.Error("the host key changed across a restart")
	}
	// A key others can read is refused, as sshd refuses one.
	os.Chmod(path, 0o644)
	if _, _, err := LoadHostKey(path); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("a 0644 host key: %v", err)
	}
	os.Chmod(path, 0o600)
	os.WriteFile(path, []byte("not a key"), 0o600)
	if _, _, err := LoadHostKey(path); err == nil {
		t.Error("a file that is not a key was taken")
	}
}
