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
	skipped []string          // lines not taken, and why
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
		return nil, fmt.Errorf("%s lets no one in: add a line per person, as 'ssh-ed25519 AAAA… hank@support'", path)
	}
	return p, nil
}

// Skipped are the lines that were not taken, each with its reason.
func (p *People) Skipped() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.skipped...)
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
func parseAuthorizedKeys(data []byte) (map[string]Person, []string) {
	byKey := map[string]Person{}
	var skipped []string
	for n, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		key, comment, options, _, err := gossh.ParseAuthorizedKey(line)
		switch {
		case err != nil:
			skipped = append(skipped, fmt.Sprintf("line %d: not a public key (%v)", n+1, err))
			continue
		case len(options) > 0:
			skipped = append(skipped, fmt.Sprintf("line %d: options (%s) are not supported; the key is not let in", n+1, strings.Join(options, ",")))
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

// personName is a comment as a name: printable, one line, at most 64
// characters; "" when nothing is left.
func personName(comment string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(comment) {
		if b.Len() >= 64 {
			break
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			continue
		}
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String())
}

// errNotAuthorized is a key not in the file.
var errNotAuthorized = errors.New("key not authorized")
