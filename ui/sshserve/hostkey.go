package sshserve

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"github.com/apideck-samples/vault-session/model/keptfile"
	gossh "golang.org/x/crypto/ssh"
)

// maxHostKey bounds the host key file: an OpenSSH private key is a few
// hundred bytes (a few KiB for RSA).
const maxHostKey = 64 << 10

// LoadHostKey reads the server's host key from path, or, when there is no
// file there, makes an ed25519 key and keeps it there (0600, in a 0700
// folder, written whole or not at all), so the key people check on their
// first connection stays the server's across restarts. created says
// which. A key others can read is refused, as sshd refuses one.
func LoadHostKey(path string) (signer gossh.Signer, created bool, err error) {
	signer, err = readHostKey(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return signer, false, err
	}
	if err := os.MkdirAll(filepath.Dir(path), keptfile.DirMode); err != nil {
		return nil, false, fmt.Errorf("cannot keep the host key: %w", err)
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, false, err
	}
	block, err := gossh.MarshalPrivateKey(priv, "vault-session serve")
	if err != nil {
		return nil, false, err
	}
	switch err := keptfile.CreateFile(path, pem.EncodeToMemory(block)); {
	case errors.Is(err, fs.ErrExist):
		// Another server made one at the same moment: use theirs.
		signer, err = readHostKey(path)
		return signer, false, err
	case err != nil:
		return nil, false, fmt.Errorf("cannot keep the host key: %w", err)
	}
	signer, err = gossh.NewSignerFromKey(priv)
	return signer, true, err
}

func readHostKey(path string) (gossh.Signer, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		// Said first: "run chmod 600" would not make a FIFO a key.
		return nil, fmt.Errorf("cannot read the host key: %w", &keptfile.KindError{Path: path, Mode: info.Mode()})
	}
	if runtime.GOOS != "windows" && info.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("the host key %s can be read by others (mode %04o): run chmod 600 on it", path, info.Mode().Perm())
	}
	data, err := keptfile.ReadFile(path, maxHostKey)
	if err != nil {
		return nil, fmt.Errorf("cannot read the host key: %w", err)
	}
	signer, err := gossh.ParsePrivateKey(data)
	if err != nil {
		return nil, fmt.Errorf("the host key %s is not a private key without a passphrase: %w", path, err)
	}
	return signer, nil
}
