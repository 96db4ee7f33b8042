package sshserve

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/apideck-samples/vault-session/model/keptfile"
	"github.com/apideck-samples/vault-session/model/termtext"
	gossh "golang.org/x/crypto/ssh"
)

// Person is who a connection is: the comment of their authorized key
// ("hank@support"), or the key's fingerprint when it has none.
type Person struct {
	Name        string
	Fingerprint string // SHA256:…, as ssh-keygen -l prints it
}

// People are the keys allowed in, read from an authorized_keys file. The
// file is read again when it changes, so a person added or removed counts
// from the next connection, without a restart.
type People struct {
	path string

	mu      sync.Mutex
	stamp   fileStamp
	byKey   map[string]Person // by the key's wire form
	skipped []SkippedLine
}

// SkippedLine is a line of the file that lets no one in, and why. Its
// text is never kept: the wrong file given may hold a private key.
type SkippedLine struct {
	Line int
	Why  string
	// NotAKey is a line that is no public key at all, rather than a key
	// with options the server does not honour.
	NotAKey bool
}

func (s SkippedLine) String() string { return fmt.Sprintf("line %d: %s", s.Line, s.Why) }

// SkippedShown is how many skipped lines are named one by one: the
// wrong file given (a private key, known_hosts, a CSV) has a line not a
// key after another, and a screen of them says no more than three.
const SkippedShown = 3

// SummariseSkipped names the first SkippedShown lines, then counts the
// rest in one line: "and 41 more lines that are not keys".
func SummariseSkipped(skipped []SkippedLine) []string {
	var out []string
	for _, s := range skipped[:min(len(skipped), SkippedShown)] {
		out = append(out, s.String())
	}
	rest := skipped[min(len(skipped), SkippedShown):]
	if len(rest) == 0 {
		return out
	}
	notKeys := 0
	for _, s := range rest {
		if s.NotAKey {
			notKeys++
		}
	}
	switch {
	case notKeys == len(rest):
		phrase := "that are not keys"
		if len(rest) == 1 {
			phrase = "that is not a key"
		}
		out = append(out, fmt.Sprintf("and %s %s", moreLines(len(rest)), phrase))
	case notKeys == 0:
		out = append(out, fmt.Sprintf("and %s with options, not let in", moreLines(len(rest))))
	default:
		out = append(out, fmt.Sprintf("and %s not let in: %d not keys, %d with options", moreLines(len(rest)), notKeys, len(rest)-notKeys))
	}
	return out
}

func moreLines(n int) string {
	if n == 1 {
		return "1 more line"
	}
	return fmt.Sprintf("%d more lines", n)
}

// fileStamp tells a file that changed.
type fileStamp struct {
	size  int64
	mtime time.Time
	inode uint64
}

// maxAuthorizedKeys bounds the file: a line is a few hundred bytes.
const maxAuthorizedKeys = 1 << 20

// LoadPeople reads the authorized_keys file at path. It is an error for
// the file to be missing, unreadable or to let no one in: a server that
// nobody can use is a mistake to say at once.
func LoadPeople(path string) (*People, error) {
	p := &People{path: path}
	if err := p.reload(); err != nil {
		return nil, err
	}
	if len(p.byKey) == 0 {
		return nil, noOneLetIn(path, p.skipped)
	}
	return p, nil
}

// noOneLetIn says why a file lets no one in: empty, or the wrong file
// (its first lines named, the rest counted), and what it should hold.
func noOneLetIn(path string, skipped []SkippedLine) error {
	const want = "an authorized_keys file, a public key a line, its comment naming the person, as 'ssh-ed25519 AAAA… hank@support'"
	if len(skipped) == 0 {
		return fmt.Errorf("%s lets no one in: it holds no public key; give %s", path, want)
	}
	return fmt.Errorf("%s lets no one in: it holds no public key:\n  %s\nGive %s.", path, strings.Join(SummariseSkipped(skipped), "\n  "), want)
}

// Skipped are the lines that were not taken, each with its reason.
func (p *People) Skipped() []SkippedLine {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]SkippedLine(nil), p.skipped...)
}

// Count is how many keys let someone in.
func (p *People) Count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.byKey)
}

// Lookup says whose key this is. The file is read again first when it
// changed; if it cannot be read now, the keys read last still count.
func (p *People) Lookup(key gossh.PublicKey) (Person, bool) {
	_ = p.reload()
	p.mu.Lock()
	defer p.mu.Unlock()
	who, ok := p.byKey[string(key.Marshal())]
	return who, ok
}

func (p *People) reload() error {
	info, err := os.Stat(p.path)
	if err != nil {
		return fmt.Errorf("cannot read the authorized keys: %w", err)
	}
	stamp := fileStamp{size: info.Size(), mtime: info.ModTime(), inode: inodeOf(info)}
	p.mu.Lock()
	same := p.byKey != nil && stamp == p.stamp
	p.mu.Unlock()
	if same {
		return nil
	}
	data, err := keptfile.ReadFile(p.path, maxAuthorizedKeys)
	if err != nil {
		return fmt.Errorf("cannot read the authorized keys: %w", err)
	}
	byKey, skipped := parseAuthorizedKeys(data)
	p.mu.Lock()
	p.stamp, p.byKey, p.skipped = stamp, byKey, skipped
	p.mu.Unlock()
	return nil
}

// parseAuthorizedKeys reads authorized_keys lines. A line with options
// (from=, command=, restrict…) is skipped: the server honours none of
// them, and letting such a key in without its restriction would give more
// than the line says.
func parseAuthorizedKeys(data []byte) (map[string]Person, []SkippedLine) {
	byKey := map[string]Person{}
	var skipped []SkippedLine
	for n, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		key, comment, options, _, err := gossh.ParseAuthorizedKey(line)
		switch {
		case err != nil:
			skipped = append(skipped, SkippedLine{Line: n + 1, Why: notAKey(line, err), NotAKey: true})
			continue
		case len(options) > 0:
			skipped = append(skipped, SkippedLine{Line: n + 1, Why: fmt.Sprintf("options (%s) are not supported; the key is not let in", strings.Join(options, ","))})
			continue
		}
		fp := gossh.FingerprintSHA256(key)
		name := personName(comment)
		if name == "" {
			name = fp
		}
		byKey[string(key.Marshal())] = Person{Name: name, Fingerprint: fp}
	}
	return byKey, skipped
}

// notAKey says why a line is no public key, without its text: the start
// of a private key is named as one; a line that names a key type but
// does not parse (cut short, pasted with a break) gets the parser's
// reason; anything else is just not a key.
func notAKey(line []byte, err error) string {
	switch {
	case bytes.HasPrefix(line, []byte("-----BEGIN")) && bytes.Contains(line, []byte("PRIVATE KEY")):
		return "the start of a private key: give public keys (.pub), never a private one"
	case keyTypeNamed(line):
		return fmt.Sprintf("a damaged public key (%s)", lastParseError(err))
	}
	return "not a public key"
}

// keyTypeNamed reports whether a word of the line is an SSH key type.
func keyTypeNamed(line []byte) bool {
	for _, word := range bytes.Fields(line) {
		for _, prefix := range []string{"ssh-", "ecdsa-sha2-", "sk-ssh-", "sk-ecdsa-"} {
			if bytes.HasPrefix(word, []byte(prefix)) {
				return true
			}
		}
	}
	return false
}

// lastParseError is the useful end of x/crypto/ssh's error ("ssh: no key
// found; last parsing error for ignored line: illegal base64 data …").
func lastParseError(err error) string {
	msg := err.Error()
	if _, last, ok := strings.Cut(msg, "last parsing error for ignored line: "); ok {
		return last
	}
	return msg
}

// personName is a comment as a name: printable, one line, at most 64
// characters; "" when nothing is left.
func personName(comment string) string {
	var b strings.Builder
	kept := 0
	for _, r := range strings.TrimSpace(comment) {
		if kept == 64 {
			break
		}
		if r == '\n' || !termtext.IsSafe(string(r)) {
			continue // what the one sanitiser would escape: controls, bidi controls
		}
		b.WriteRune(r)
		kept++
	}
	return strings.TrimSpace(b.String())
}

// errNotAuthorized is a key not in the file.
var errNotAuthorized = errors.New("key not authorized")
